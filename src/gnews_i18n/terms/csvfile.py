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
=================  ==========================================================
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from gnews_i18n.languages import GLOSSARY_LANGUAGES
from gnews_i18n.terms.glossary import TERM_TYPES, Glossary, Origin, Term
from gnews_i18n.terms.problems import GlossaryError, GlossaryProblem

META_COLUMNS = {"type", "id", "note", "dnt", "ko_reading", "case_sensitive", "definition", "subject", "pos"}
TRUE = {"yes", "y", "true", "1", "x"}


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split("|") if part.strip()]


def read_csv(path: Path | str, text: str | None = None) -> tuple[Glossary, list[GlossaryProblem]]:
    """Read a glossary CSV; problems carry file and line. Raises GlossaryError only if unreadable."""
    name = str(path)
    if text is None:
        try:
            text = Path(path).read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise GlossaryError([GlossaryProblem(name, 1, f"not UTF-8 (byte offset {error.start}); "
                                                 "save the file as UTF-8")]) from None
        except FileNotFoundError:
            raise GlossaryError([GlossaryProblem(name, 0, "not found")]) from None
        except OSError as error:
            raise GlossaryError([GlossaryProblem(name, 0, f"cannot read: {error.strerror}")]) from None
    problems: list[GlossaryProblem] = []
    reader = csv.reader(io.StringIO(text))
    rows = _rows(reader, name)
    try:
        header = [h.strip().lower() for h in next(rows)]
    except StopIteration:
        raise GlossaryError([GlossaryProblem(name, 1, "the file is empty; the first row names the columns, "
                                             "e.g. ko,en,type")]) from None
    languages = [h for h in header if h in GLOSSARY_LANGUAGES]
    for column in header:
        base = column.rsplit("_", 1)[0] if column.endswith(("_variants", "_forbidden")) else column
        if column not in META_COLUMNS and base not in GLOSSARY_LANGUAGES:
            problems.append(GlossaryProblem(name, 1, f"unknown column {column!r} (language codes such as ko, en, "
                                            "ru; or type, id, note, dnt, ko_reading, definition, subject, "
                                            "pos, <lang>_variants, <lang>_forbidden)"))
    if len(languages) < 1:
        problems.append(GlossaryProblem(name, 1, "no language column; the header needs codes such as ko,en"))
        raise GlossaryError(problems)

    glossary = Glossary()
    for row in rows:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
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


def _rows(reader, name: str):
    """The reader's rows; a line the csv module cannot read (a stray carriage return, a NUL) is a problem
    with its line, not a crash."""
    while True:
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise GlossaryError([GlossaryProblem(name, reader.line_num or 1, f"not readable as CSV: {error}; "
                                                 "save the file as plain CSV (UTF-8)")]) from None


def write_csv(glossary: Glossary, languages: list[str] | None = None) -> str:
    languages = languages or sorted(glossary.languages, key=lambda c: (c not in ("ko", "en"), c))
    columns = ["id", "type", *languages, *[f"{lang}_variants" for lang in languages],
               *[f"{lang}_forbidden" for lang in languages], "note", "dnt", "ko_reading", "case_sensitive"]
    # Terminology tools' fields get columns only when some term has them (the people's files stay small).
    columns += [c for c in ("definition", "subject", "pos") if any(getattr(t, c) for t in glossary.terms)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for term in glossary.terms:
        row = {"id": term.id, "type": term.type, "note": term.note, "dnt": "yes" if term.do_not_translate else "",
               "ko_reading": term.ko_reading, "case_sensitive": "yes" if term.case_sensitive else "",
               "definition": term.definition, "subject": term.subject, "pos": term.pos}
        for lang in languages:
            row[lang] = term.forms.get(lang, "")
            row[f"{lang}_variants"] = "|".join(term.variants.get(lang, []))
            row[f"{lang}_forbidden"] = "|".join(term.forbidden.get(lang, []))
        writer.writerow([row[c] for c in columns])
    return out.getvalue()
