"""TBX import: the concepts ``formats.tbx`` reads (TBX 2008 and v3, any XML encoding) become glossary terms.

A concept becomes one glossary term. In each language the first preferred term (or,
with no status anywhere, the first term) is the approved form; admitted and other
terms are variants; deprecated, superseded and forbidden terms are forbidden forms.
Subject field, definition, notes, part of speech and "translation needed: no" are
kept; other descriptive fields (context, source …) are kept as notes. Anything in the
term structure this reader does not understand is an error naming the element's path
and line, so a file is imported completely or refused; never silently emptied.
"""

from __future__ import annotations

from pathlib import Path

from gnews_i18n.formats.base import FormatError, FormatProblem
from gnews_i18n.formats.tbx import TbxConcept, TbxField, TbxTerm, read_tbx_file
from gnews_i18n.terms.csvfile import parse_day
from gnews_i18n.terms.glossary import TERM_TYPES, Glossary, Origin, Term
from gnews_i18n.terms.problems import GlossaryError, GlossaryProblem
from gnews_i18n.terms.tbx import NOTE_CASE, NOTE_FROM, NOTE_READING, NOTE_TO, NOTE_TYPE

PREFERRED, ADMITTED, FORBIDDEN = "preferred", "admitted", "forbidden"
STATUSES = {
    "preferred": PREFERRED, "standardized": PREFERRED, "legal": PREFERRED, "regulated": PREFERRED,
    "admitted": ADMITTED, "variant": ADMITTED, "notrecommended": FORBIDDEN,
    "deprecated": FORBIDDEN, "superseded": FORBIDDEN, "forbidden": FORBIDDEN, "obsolete": FORBIDDEN,
}
NO = {"no", "false", "0", "n", "not needed", "do not translate"}
# termType values that make a term the concept's abbreviation or short form (TBX-Basic's picklist).
ABBREVIATION_TYPES = {"abbreviation", "acronym", "initialism", "abbreviatedform"}
SHORT_TYPES = {"shortform", "clippedterm"}
# Data categories other tools use for a validity range (accepted beside the desk's notes).
VALID_FROM_TYPES, VALID_TO_TYPES = {"validfrom", "valid-from", "effectivedate"}, {"validto", "valid-to", "expirydate"}


def _status(value: str) -> str | None:
    key = value.strip().lower().removesuffix("-admn-sts").removesuffix("term").replace(" ", "").replace("-", "")
    return STATUSES.get(key)


def _problem(name: str, problem: FormatProblem) -> GlossaryProblem:
    return GlossaryProblem(name, problem.line, problem.message)


def read_tbx(source: Path | str | bytes, name: str | None = None) -> tuple[Glossary, list[GlossaryProblem]]:
    """Read a TBX file; warnings come back with the glossary, errors raise GlossaryError (every one)."""
    if isinstance(source, bytes):
        data, name = source, name or "<tbx>"
    else:
        name = name or str(source)
        try:
            data = Path(source).read_bytes()
        except OSError as error:
            raise GlossaryError([GlossaryProblem(name, 0, f"cannot read: {error.strerror}")]) from None
    try:
        tbx = read_tbx_file(data, name)
    except FormatError as error:
        raise GlossaryError([GlossaryProblem(name, p.line, p.message.replace("not well-formed XML",
                                                                             "not well-formed TBX/XML"))
                             for p in error.problems]) from None
    problems = [_problem(name, p) for p in tbx.problems]
    glossary = Glossary()
    for concept in tbx.concepts:
        term = _concept(concept, name, problems)
        if term is not None:
            glossary.terms.append(term)
    if not glossary.terms and not problems:
        problems.append(GlossaryProblem(name, tbx.body_line, "no concepts (<termEntry> or <conceptEntry>) with terms "
                                        "in <body>"))
    if problems:
        raise GlossaryError(sorted(problems, key=lambda p: p.line))
    warnings = [GlossaryProblem(name, 0, f"{count} <{kind}> element(s) not kept (the glossary has no place for "
                                "them)", severity="warning") for kind, count in sorted(tbx.not_kept.items())]
    return glossary, warnings


def _concept(concept: TbxConcept, name: str, problems: list[GlossaryProblem]) -> Term | None:
    term = Term(forms={}, id=concept.id, origin=Origin(name, concept.line))
    notes: list[str] = []
    statuses: dict[str, list[tuple[str, str | None, str]]] = {}  # lang → [(form, status, termType)]
    before = len(problems)

    def error(line: int, message: str) -> None:
        problems.append(GlossaryProblem(name, line, message))

    for item in concept.fields:
        _data(item, term, notes, error)
    for language in concept.languages:
        forms = statuses.setdefault(language.lang, [])
        for item in language.fields:
            _data(item, term, notes, error, language.lang)
        for tbx_term in language.terms:
            found = _term(tbx_term, language.lang, term, notes, error)
            if found is not None:
                forms.append(found)
    if len(problems) > before:
        return None
    for lang, forms in statuses.items():
        for form, status, kind in forms:
            if status != FORBIDDEN and kind in ABBREVIATION_TYPES:
                term.abbreviations.setdefault(lang, form)
            elif status != FORBIDDEN and kind in SHORT_TYPES:
                term.short_forms.setdefault(lang, form)
        # an abbreviation's or short form's own term is not a variant (the same form may also be one)
        usable = [(form, status) for form, status, kind in forms
                  if status != FORBIDDEN and kind not in ABBREVIATION_TYPES | SHORT_TYPES]
        preferred = [form for form, status in usable if status == PREFERRED]
        chosen = preferred[0] if preferred else (usable[0][0] if usable else None)
        if chosen:
            term.forms[lang] = chosen
        variants = [form for form, _ in usable if form != chosen]
        forbidden = [form for form, status, _ in forms if status == FORBIDDEN]
        if variants:
            term.variants[lang] = list(dict.fromkeys(variants))
        if forbidden:
            term.forbidden[lang] = list(dict.fromkeys(forbidden))
    term.note = "\n".join(dict.fromkeys(notes))
    if not term.forms:
        if any(statuses.values()):
            error(concept.line, f"concept {term.id or concept.path} has only deprecated or forbidden terms; "
                                "give it a preferred or admitted term, or drop it")
        else:
            error(concept.line, f"concept {term.id or concept.path} has no term in any language")
        return None
    return term


def _term(tbx_term: TbxTerm, lang: str, term: Term, notes: list[str], error) -> tuple[str, str | None, str] | None:
    """(form, status, termType) of one term; its other categories go to the concept."""
    status, kind = None, ""
    for item in tbx_term.fields:
        if item.type == "termType":
            kind = item.text.replace(" ", "").replace("-", "").lower()
        elif item.type in ("administrativeStatus", "normativeAuthorization"):
            status = _status(item.text)
            if status is None:
                error(item.line, f"{item.type} {item.text!r} at {item.path} is not one of "
                                 "preferred, admitted, deprecated, superseded (…Term-admn-sts)")
                return None
        else:
            _data(item, term, notes, error, lang)
    return tbx_term.form, status, kind


def _data(item: TbxField, term: Term, notes: list[str], error, lang: str = "") -> None:
    """A data category at concept, language or term level."""
    kind, kind_type, text = item.kind, item.type, item.text
    if kind_type == "subjectField":
        if text in TERM_TYPES and term.type == "other" and not term.subject:
            term.type = text
        elif not term.subject:
            term.subject = text
        else:
            notes.append(f"subject field: {text}")
    elif kind_type == "definition":
        if text not in term.definition.splitlines():
            term.definition = f"{term.definition}\n{text}" if term.definition else text
    elif kind_type.lower().replace(" ", "") in ("translationneeded", "transfercomment"):
        term.do_not_translate = term.do_not_translate or text.lower() in NO
    elif kind_type == "partOfSpeech":
        term.pos = term.pos or text
    elif kind_type == "ko-reading":  # written by earlier versions of the desk
        term.ko_reading = text
    elif kind_type.lower() in VALID_FROM_TYPES | VALID_TO_TYPES:
        _valid(item, kind_type.lower() in VALID_FROM_TYPES, text, term, error)
    elif kind == "note" or not kind_type:
        _note(item, term, notes, error)
    else:  # context, source, usage note …: kept for reviewers, labelled
        notes.append(f"{kind_type}{f' ({lang})' if lang else ''}: {text}")


def _valid(item: TbxField, start: bool, text: str, term: Term, error) -> None:
    try:
        day = parse_day(text)
    except ValueError as problem:
        error(item.line, f"{item.path}: {problem}")
        return
    if start:
        term.valid_from = day
    else:
        term.valid_to = day


def _note(item: TbxField, term: Term, notes: list[str], error) -> None:
    text = item.text
    label, _, value = text.partition(": ")
    if label in (NOTE_FROM, NOTE_TO):
        _valid(item, label == NOTE_FROM, value, term, error)
        return
    if text == "do-not-translate":  # written by earlier versions of the desk
        term.do_not_translate = True
    elif label == NOTE_TYPE and value in TERM_TYPES:
        if term.type in TERM_TYPES and term.type != "other" and not term.subject:
            term.subject = term.type  # the subject field was read as a type first
        term.type = value
    elif label == NOTE_READING:
        term.ko_reading = value
    elif label == NOTE_CASE:
        term.case_sensitive = value.lower() == "yes"
    else:
        notes.append(text)
