"""TBX export for terminology and CAT tools: TBX-Basic 2008 (``<martif>``) or TBX v3 (ISO 30042:2019).

Most CAT tools and Translate Toolkit read the 2008 dialect (``termEntry/langSet/tig``),
so it is the default; v3 (``conceptEntry/langSec/termSec``, DCA style) on request.
Each form of a concept is a term whose ``administrativeStatus`` says preferred (the
approved form), admitted (a variant) or deprecated (forbidden). The desk's own fields
that TBX-Basic has no place for (the type beside a subject field, a Korean reading,
case sensitivity) travel as ``<note>gnews-…: value</note>``, which every tool keeps.

Dates: TBX-Basic has no data category for when a term is valid (``<date>`` belongs to
``transacGrp``, the record of who changed an entry when), so a dated concept's range
travels as ``<note>gnews-valid-from: 2023-07-01</note>`` and ``gnews-valid-to`` on the
``termEntry``; ``tbx_read`` also accepts ``<descrip>``/``<admin>`` typed ``validFrom``/
``validTo`` from other tools. An abbreviation or short form is a term of its own with
the standard ``<termNote type="termType">abbreviation</termNote>`` (or ``shortForm``).
Reading is in ``tbx_read``.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from gnews_i18n.terms.glossary import Glossary, Term

TBX3_NS = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PREFERRED, ADMITTED, DEPRECATED = "preferredTerm-admn-sts", "admittedTerm-admn-sts", "deprecatedTerm-admn-sts"
FORMATS = ("tbx2008", "tbx3")
# Notes that carry the desk's own fields (read back by tbx_read).
NOTE_TYPE, NOTE_READING, NOTE_CASE = "gnews-type", "gnews-ko-reading", "gnews-case-sensitive"
NOTE_FROM, NOTE_TO = "gnews-valid-from", "gnews-valid-to"
ABBREVIATION, SHORT_FORM = "abbreviation", "shortForm"


@dataclass(frozen=True)
class _Dialect:
    root: str
    header: str
    entry: str
    lang: str
    term: str
    ns: str = ""

    def q(self, tag: str) -> str:
        return f"{{{self.ns}}}{tag}" if self.ns else tag


_DIALECTS = {
    "tbx2008": _Dialect("martif", "martifHeader", "termEntry", "langSet", "tig"),
    "tbx3": _Dialect("tbx", "tbxHeader", "conceptEntry", "langSec", "termSec", TBX3_NS),
}


def write_tbx(glossary: Glossary, source_lang: str = "ko", fmt: str = "tbx2008") -> str:
    """The glossary as TBX-Basic: ``fmt`` is ``tbx2008`` (``<martif>``) or ``tbx3`` (``<tbx>``)."""
    if fmt not in _DIALECTS:
        raise ValueError(f"TBX format {fmt!r}: use one of {', '.join(FORMATS)}")
    d = _DIALECTS[fmt]
    nsmap = {None: d.ns} if d.ns else None
    attrs = {"type": "TBX-Basic", XML_LANG: source_lang}
    if fmt == "tbx3":
        attrs["style"] = "dca"
    root = etree.Element(d.q(d.root), attrs, nsmap=nsmap)
    file_desc = etree.SubElement(etree.SubElement(root, d.q(d.header)), d.q("fileDesc"))
    etree.SubElement(etree.SubElement(file_desc, d.q("sourceDesc")), d.q("p")).text = "gnews-i18n glossary"
    body = etree.SubElement(etree.SubElement(root, d.q("text")), d.q("body"))
    for index, term in enumerate(glossary.terms, 1):
        _entry(body, d, term, term.id or f"c{index}", source_lang)
    etree.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(root, encoding="unicode") + "\n"


def _entry(body, d: _Dialect, term: Term, concept_id: str, source_lang: str) -> None:
    def sub(parent, tag: str, text: str, **attrs: str):
        element = etree.SubElement(parent, d.q(tag), attrs)
        element.text = text
        return element

    entry = etree.SubElement(body, d.q(d.entry), {"id": concept_id})
    sub(entry, "descrip", term.subject or term.type, type="subjectField")
    if term.definition:
        sub(entry, "descrip", term.definition, type="definition")
    if term.do_not_translate:
        sub(entry, "descrip", "no", type="Translation needed")
    for line in term.note.splitlines():
        if line.strip():
            sub(entry, "note", line.strip())
    if term.subject:
        sub(entry, "note", f"{NOTE_TYPE}: {term.type}")
    if term.ko_reading:
        sub(entry, "note", f"{NOTE_READING}: {term.ko_reading}")
    if term.case_sensitive:
        sub(entry, "note", f"{NOTE_CASE}: yes")
    for label, day in ((NOTE_FROM, term.valid_from), (NOTE_TO, term.valid_to)):
        if day:
            sub(entry, "note", f"{label}: {day.isoformat()}")
    languages = set(term.forms) | set(term.variants) | set(term.forbidden) | set(term.abbreviations) | \
        set(term.short_forms)
    for lang in sorted(languages, key=lambda code: (code != source_lang, code)):
        forms = [(term.forms.get(lang), PREFERRED, "")] + [(v, ADMITTED, "") for v in term.variants.get(lang, [])]
        forms += [(term.abbreviations.get(lang), ADMITTED, ABBREVIATION), (term.short_forms.get(lang), ADMITTED,
                                                                            SHORT_FORM)]
        forms += [(f, DEPRECATED, "") for f in term.forbidden.get(lang, [])]
        forms = [(f, s, kind) for f, s, kind in forms if f]
        if not forms:
            continue
        lang_sec = etree.SubElement(entry, d.q(d.lang), {XML_LANG: lang})
        for form, status, kind in forms:
            term_sec = etree.SubElement(lang_sec, d.q(d.term))
            sub(term_sec, "term", form)
            if term.pos:
                sub(term_sec, "termNote", term.pos, type="partOfSpeech")
            if kind:
                sub(term_sec, "termNote", kind, type="termType")
            sub(term_sec, "termNote", status, type="administrativeStatus")
