"""The people's glossary format: CSV, one concept a row, one column per language.

Columns (only language columns are required; the minimal file is ``ko,en``):

=================  ==========================================================
``ko``, ``en``, …  the approved form in that language (ISO 639-1 code)
``type``           person, institution, place, title, program, product, other
``id``             a stable concept id (optional; used when files override)
``<lang>_variants`` other forms that mean the same, ``|``-separated
``<lang>_forbidden`` forms that must not appear in output, ``|``-separated
``note``           for reviewers
``dnt``            ``yes`` when the term is never translated (kept as written)
``ko_reading``     how a Latin-script form is read in Korean (``Revo-i`` → 레보아이)
``case_sensitive`` ``yes`` when English case must match exactly
``definition``     what the concept means (from or for terminology tools)
``subject``        subject field (medicine, law …), as terminology tools file it
``pos``            part of speech (noun, properNoun, verb …)
``valid_from``     first day the row's forms are valid (``YYYY-MM-DD``; empty = always was)
``valid_to``       last day they are valid (empty = still valid); rows sharing an ``id``
                   are the periods of one concept (a renamed institution, a retitled post)
``<lang>_abbr``    the abbreviation (SNUBH), introduced in parentheses at the first mention
``<lang>_short``   a short form for later mentions (분당서울대병원)
=================  ==========================================================
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from gnews_i18n.formats.base import FormatError
from gnews_i18n.formats.table import decode_utf8, read_table, write_table
from gnews_i18n.languages import GLOSSARY_LANGUAGES
from gnews_i18n.terms.glossary import TERM_TYPES, Glossary, Origin, Term
from gnews_i18n.terms.problems import GlossaryError, GlossaryProblem

META_COLUMNS = {"type", "id", "note", "dnt", "ko_reading", "case_sensitive", "definition", "subject", "pos",
                "valid_from", "valid_to"}
LANGUAGE_SUFFIXES = ("_variants", "_forbidden", "_abbr", "_short")
TRUE = {"yes", "y", "true", "1", "x"}


def parse_day(value: str) -> dt.date | None:
    """An ISO date cell (empty = open); ValueError saying what to write instead."""
    value = value.strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a date; write YYYY-MM-DD, e.g. 2023-07-01") from None


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split("|") if part.strip()]


def read_csv(path: Path | str, text: str | None = None) -> tuple[Glossary, list[GlossaryProblem]]:
    """Read a glossary CSV; problems carry file and line. Raises GlossaryError only if unreadable."""
    name = str(path)
    try:
        if text is None:
            text = decode_utf8(Path(path).read_bytes(), name)
        table = read_table(text, name)
    except FormatError as error:
        raise GlossaryError([GlossaryProblem(p.file, p.line, p.message) for p in error.problems]) from None
    except FileNotFoundError:
        raise GlossaryError([GlossaryProblem(name, 0, "not found")]) from None
    except OSError as error:
        raise GlossaryError([GlossaryProblem(name, 0, f"cannot read: {error.strerror}")]) from None
    problems: list[GlossaryProblem] = []
    header = [h.strip().lower() for h in table.header]
    languages = [h for h in header if h in GLOSSARY_LANGUAGES]
    for column in header:
        base = column.rsplit("_", 1)[0] if column.endswith(LANGUAGE_SUFFIXES) else column
        if column not in META_COLUMNS and base not in GLOSSARY_LANGUAGES:
            problems.append(GlossaryProblem(name, 1, f"unknown column {column!r} (language codes such as ko, en, "
                                            "ru; or type, id, note, dnt, ko_reading, definition, subject, "
                                            "pos, valid_from, valid_to, <lang>_variants, <lang>_forbidden, "
                                            "<lang>_abbr, <lang>_short)"))
    if len(languages) < 1:
        problems.append(GlossaryProblem(name, 1, "no language column; the header needs codes such as ko,en"))
        raise GlossaryError(problems)

    glossary = Glossary()
    for table_row in table.rows:
        line, row = table_row.line, table_row.cells
        if len(row) != len(header) and table_row.end_line > line:
            problems.append(GlossaryProblem(name, line, f"a quote opened on this line is not closed (the row runs "
                                            f"to line {table_row.end_line}); close it, or double a quote meant "
                                            'inside a cell ("")'))
            continue
        if len(row) > len(header):
            problems.append(GlossaryProblem(name, line, f"{len(row)} cells but {len(header)} columns "
                                            "(a comma inside a form needs quotes)"))
            continue
        if len(row) < len(header):
            # Filling the missing cells from the left would shift values into the wrong columns.
            problems.append(GlossaryProblem(name, line, f"{len(row)} cells but {len(header)} columns "
                                            f"({', '.join(header)}); write an empty cell for each missing value, "
                                            "e.g. 경기도,,place"))
            continue
        cells = {column: value.strip() for column, value in zip(header, row, strict=False)}
        forms = {lang: cells.get(lang, "") for lang in languages}
        try:
            valid_from, valid_to = parse_day(cells.get("valid_from", "")), parse_day(cells.get("valid_to", ""))
        except ValueError as error:
            problems.append(GlossaryProblem(name, line, str(error)))
            continue
        term = Term(
            forms={lang: form for lang, form in forms.items() if form},
            type=(cells.get("type") or "other").lower(),
            id=cells.get("id", ""),
            variants={lang: _split(cells.get(f"{lang}_variants")) for lang in languages},
            forbidden={lang: _split(cells.get(f"{lang}_forbidden")) for lang in languages},
            note=cells.get("note", ""),
            do_not_translate=cells.get("dnt", "").lower() in TRUE,
            ko_reading=cells.get("ko_reading", ""),
            case_sensitive=cells.get("case_sensitive", "").lower() in TRUE,
            definition=cells.get("definition", ""),
            subject=cells.get("subject", ""),
            pos=cells.get("pos", ""),
            origin=Origin(name, line),
            valid_from=valid_from,
            valid_to=valid_to,
            abbreviations={lang: cells[f"{lang}_abbr"] for lang in languages if cells.get(f"{lang}_abbr")},
            short_forms={lang: cells[f"{lang}_short"] for lang in languages if cells.get(f"{lang}_short")},
        )
        if term.type not in TERM_TYPES:
            problems.append(GlossaryProblem(name, line, f"type {term.type!r} is not one of {', '.join(TERM_TYPES)}"))
        if len(term.forms) == 0:
            problems.append(GlossaryProblem(name, line, "every language column is empty"))
            continue
        if len(term.forms) == 1 and not term.do_not_translate:
            problems.append(GlossaryProblem(
                name, line, f"only a {next(iter(term.forms))} form; add the other language or mark dnt=yes",
                severity="warning"))
        glossary.terms.append(term)
    return glossary, problems


def write_csv(glossary: Glossary, languages: list[str] | None = None) -> str:
    languages = languages or sorted(glossary.languages, key=lambda c: (c not in ("ko", "en"), c))
    columns = ["id", "type", *languages, *[f"{lang}_variants" for lang in languages],
               *[f"{lang}_forbidden" for lang in languages], "note", "dnt", "ko_reading", "case_sensitive"]
    # Terminology tools' fields get columns only when some term has them (the people's files stay small).
    columns += [c for c in ("definition", "subject", "pos", "valid_from", "valid_to")
                if any(getattr(t, c) for t in glossary.terms)]
    for suffix, attribute in (("abbr", "abbreviations"), ("short", "short_forms")):
        columns += [f"{lang}_{suffix}" for lang in languages if any(getattr(t, attribute).get(lang)
                                                                    for t in glossary.terms)]
    rows = []
    for term in glossary.terms:
        row = {"id": term.id, "type": term.type, "note": term.note, "dnt": "yes" if term.do_not_translate else "",
               "ko_reading": term.ko_reading, "case_sensitive": "yes" if term.case_sensitive else "",
               "definition": term.definition, "subject": term.subject, "pos": term.pos,
               "valid_from": term.valid_from.isoformat() if term.valid_from else "",
               "valid_to": term.valid_to.isoformat() if term.valid_to else ""}
        for lang in languages:
            row[f"{lang}_abbr"] = term.abbreviations.get(lang, "")
            row[f"{lang}_short"] = term.short_forms.get(lang, "")
            row[lang] = term.forms.get(lang, "")
            row[f"{lang}_variants"] = "|".join(term.variants.get(lang, []))
            row[f"{lang}_forbidden"] = "|".join(term.forbidden.get(lang, []))
        rows.append([row[c] for c in columns])
    return write_table(columns, rows)
