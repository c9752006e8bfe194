"""TBX import: TBX 2008 (``martif``, ``tig`` or ``ntig/termGrp``) and TBX v3 (``tbx``), any XML encoding.

A concept becomes one glossary term. In each language the first preferred term (or,
with no status anywhere, the first term) is the approved form; admitted and other
terms are variants; deprecated, superseded and forbidden terms are forbidden forms.
Subject field, definition, notes, part of speech and "translation needed: no" are
kept; other descriptive fields (context, source …) are kept as notes. Anything in the
term structure this reader does not understand is an error naming the element's path
and line, so a file is imported completely or refused; never silently emptied.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from gnews_i18n.formats.xml import Element, XmlFileError, children, lang_of, local, namespace, parse_xml, path, text_of
from gnews_i18n.terms.csvfile import parse_day
from gnews_i18n.terms.glossary import TERM_TYPES, Glossary, Origin, Term
from gnews_i18n.terms.problems import GlossaryError, GlossaryProblem
from gnews_i18n.terms.tbx import NOTE_CASE, NOTE_FROM, NOTE_READING, NOTE_TO, NOTE_TYPE

CORE_NAMESPACES = {"", "urn:iso:std:iso:30042:ed-2", "urn:iso:std:iso:30042:ed-1", "http://www.lisa.org/TBX"}
ROOTS, ENTRIES, LANGS = {"martif", "tbx"}, {"termEntry", "conceptEntry"}, {"langSet", "langSec"}
TERM_HOLDERS = {"tig", "ntig", "termSec"}
# Data categories (TBX core elements); their ``type`` says which.
CATEGORIES = {"descrip", "note", "termNote", "admin", "ref", "xref", "transac", "transacNote", "date"}
GROUPS = {"descripGrp", "termNoteGrp", "adminGrp", "transacGrp", "termGrp"}
# Kept out of the glossary on purpose (who changed what when, cross-references), reported once.
NOT_KEPT = {"transac", "transacNote", "date", "xref", "ref", "termCompList", "termComp"}
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


@dataclass
class _Reading:
    name: str
    problems: list[GlossaryProblem] = field(default_factory=list)
    not_kept: dict[str, int] = field(default_factory=dict)  # category → how many

    def error(self, element: Element, message: str) -> None:
        self.problems.append(GlossaryProblem(self.name, element.sourceline or 0, message))

    def unknown(self, element: Element, container: str) -> None:
        self.error(element, f"<{local(element)}> at {path(element)} is not TBX structure this reader understands "
                            f"(inside <{container}>); the concept is not imported. Remove it, or convert the file "
                            "to TBX-Basic")


def _category(element: Element) -> tuple[str, str] | None:
    """(element kind, data category) of a data-category element; TBX v3 DCT style names the
    category by the element itself (``<basic:subjectField>``)."""
    name = local(element)
    if namespace(element) in CORE_NAMESPACES:
        return (name, (element.get("type") or "").strip()) if name in CATEGORIES else None
    return ("descrip", name)


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
        root = parse_xml(data, name)
    except XmlFileError as error:
        file_line, _, message = str(error).rpartition(": not well-formed")
        line = int(file_line.rsplit(":", 1)[1]) if file_line else 1
        raise GlossaryError([GlossaryProblem(name, line, "not well-formed TBX/XML" + message)]) from None
    reading = _Reading(name)
    if local(root) not in ROOTS:
        reading.error(root, f"not a TBX file: the root is <{local(root)}>, not <martif> (TBX 2008) or <tbx> (TBX v3)")
        raise GlossaryError(reading.problems)
    body = next((b for t in children(root) if local(t) == "text" for b in children(t) if local(b) == "body"), None)
    if body is None:
        reading.error(root, f"no <text><body> under <{local(root)}>; a TBX file keeps its concepts there")
        raise GlossaryError(reading.problems)
    glossary = Glossary()
    for entry in children(body):
        if local(entry) not in ENTRIES:
            reading.unknown(entry, "body")
            continue
        term = _concept(entry, reading)
        if term is not None:
            glossary.terms.append(term)
    if not glossary.terms and not reading.problems:
        reading.error(body, "no concepts (<termEntry> or <conceptEntry>) with terms in <body>")
    if reading.problems:
        raise GlossaryError(reading.problems)
    warnings = [GlossaryProblem(name, 0, f"{count} <{kind}> element(s) not kept (the glossary has no place for "
                                "them)", severity="warning") for kind, count in sorted(reading.not_kept.items())]
    return glossary, warnings


def _concept(entry: Element, reading: _Reading) -> Term | None:
    term = Term(forms={}, id=entry.get("id", ""), origin=Origin(reading.name, entry.sourceline or 0))
    notes: list[str] = []
    statuses: dict[str, list[tuple[str, str | None, str]]] = {}  # lang → [(form, status, termType)]
    problems_before = len(reading.problems)
    for element in children(entry):
        if local(element) in LANGS:
            lang = lang_of(element)
            if not lang:
                reading.error(element, f"<{local(element)}> at {path(element)} has no xml:lang")
                continue
            _language(element, lang, term, notes, statuses.setdefault(lang, []), reading)
        else:
            _data(element, term, notes, reading, entry)
    if len(reading.problems) > problems_before:
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
        if statuses:
            reading.error(entry, f"concept {term.id or path(entry)} has only deprecated or forbidden terms; "
                                 "give it a preferred or admitted term, or drop it")
        else:
            reading.error(entry, f"concept {term.id or path(entry)} has no term in any language")
        return None
    return term


def _language(lang_sec: Element, lang: str, term: Term, notes: list[str],
              forms: list[tuple[str, str | None, str]], reading: _Reading) -> None:
    for element in children(lang_sec):
        if local(element) in TERM_HOLDERS:
            found = _term(element, lang, term, notes, reading)
            if found is not None:
                forms.append(found)
        else:
            _data(element, term, notes, reading, lang_sec, lang)


def _term(holder: Element, lang: str, term: Term, notes: list[str],
          reading: _Reading) -> tuple[str, str | None, str] | None:
    """One term of a ``tig``, ``ntig`` (with its ``termGrp``) or ``termSec``: (form, status, termType)."""
    elements = children(holder)
    if local(holder) == "ntig":
        groups = [e for e in elements if local(e) == "termGrp"]
        if len(groups) != 1:
            reading.error(holder, f"<ntig> at {path(holder)} needs exactly one <termGrp>, found {len(groups)}")
            return None
        elements = children(groups[0]) + [e for e in elements if local(e) != "termGrp"]
    form, status, kind = None, None, ""
    for element in elements:
        if local(element) == "term":
            form = text_of(element)
            continue
        category = _category(element)
        if category is not None and category[1] == "termType":
            kind = text_of(element).replace(" ", "").replace("-", "").lower()
            continue
        if category is not None and category[1] in ("administrativeStatus", "normativeAuthorization"):
            status = _status(text_of(element))
            if status is None:
                reading.error(element, f"{category[1]} {text_of(element)!r} at {path(element)} is not one of "
                                       "preferred, admitted, deprecated, superseded (…Term-admn-sts)")
                return None
            continue
        _data(element, term, notes, reading, holder, lang)
    if not form:
        reading.error(holder, f"<{local(holder)}> at {path(holder)} has no <term> text")
        return None
    return form, status, kind


def _data(element: Element, term: Term, notes: list[str], reading: _Reading, container: Element,
          lang: str = "") -> None:
    """A data category at concept, language or term level."""
    name = local(element)
    if name in NOT_KEPT:
        reading.not_kept[name] = reading.not_kept.get(name, 0) + 1
        return
    if name in GROUPS:
        for inner in children(element):
            _data(inner, term, notes, reading, element, lang)
        return
    category = _category(element)
    if category is None:
        reading.unknown(element, local(container))
        return
    kind, kind_type = category
    text = text_of(element)
    if not text:
        return
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
        _valid(element, kind_type.lower() in VALID_FROM_TYPES, text, term, reading)
    elif kind == "note" or not kind_type:
        _note(text, term, notes, element, reading)
    else:  # context, source, usage note …: kept for reviewers, labelled
        notes.append(f"{kind_type}{f' ({lang})' if lang else ''}: {text}")


def _valid(element: Element, start: bool, text: str, term: Term, reading: _Reading) -> None:
    try:
        day = parse_day(text)
    except ValueError as error:
        reading.error(element, f"{path(element)}: {error}")
        return
    if start:
        term.valid_from = day
    else:
        term.valid_to = day


def _note(text: str, term: Term, notes: list[str], element: Element, reading: _Reading) -> None:
    label, _, value = text.partition(": ")
    if label in (NOTE_FROM, NOTE_TO):
        _valid(element, label == NOTE_FROM, value, term, reading)
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
