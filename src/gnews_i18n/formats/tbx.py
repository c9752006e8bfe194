"""TBX files (ISO 30042): TBX 2008 (``martif``: ``termEntry/langSet/tig`` or ``ntig/termGrp``) and
TBX v3 (``tbx``: ``conceptEntry/langSec/termSec``), read in any XML encoding and written as
TBX-Basic.

Only the structure: concepts, their language sections, terms, and the data categories
(``descrip``, ``note``, ``termNote``, ``admin`` …) at each level, each with its line and
path. What a category *means* for a glossary (which term is preferred, what a note
carries) is ``terms.tbx``'s business. Structure this reader does not understand is a
problem naming the element's path and line, and its concept is left out, so the reading
room can refuse the file rather than import it half-empty. Who changed an entry when
(``transac``, ``date``) and cross-references are counted in ``not_kept``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from lxml import etree

from gnews_i18n.formats.base import FormatError, FormatProblem
from gnews_i18n.formats.xml import XML_LANG, Element, EntryStream, children, lang_of, local, namespace, text_of

__all__ = ["DIALECTS", "TbxConcept", "TbxField", "TbxFile", "TbxLanguage", "TbxTerm", "read_tbx_file",
           "write_tbx_file"]

CORE_NAMESPACES = {"", "urn:iso:std:iso:30042:ed-2", "urn:iso:std:iso:30042:ed-1", "http://www.lisa.org/TBX"}
ROOTS, ENTRIES, LANGS = {"martif", "tbx"}, {"termEntry", "conceptEntry"}, {"langSet", "langSec"}
TERM_HOLDERS = {"tig", "ntig", "termSec"}
# Data categories (TBX core elements); their ``type`` says which.
CATEGORIES = {"descrip", "note", "termNote", "admin", "ref", "xref", "transac", "transacNote", "date"}
GROUPS = {"descripGrp", "termNoteGrp", "adminGrp", "transacGrp", "termGrp"}
NOT_KEPT = {"transac", "transacNote", "date", "xref", "ref", "termCompList", "termComp"}
TBX3_NS = "urn:iso:std:iso:30042:ed-2"


@dataclass(frozen=True)
class TbxField:
    """One data category: its element (``descrip``, ``note``, ``termNote`` …), its category
    (the ``type``, or the element's own name in TBX v3's DCT style; "" for a plain note) and text."""

    kind: str
    type: str
    text: str
    line: int = 0
    path: str = ""


@dataclass
class TbxTerm:
    form: str
    fields: list[TbxField] = field(default_factory=list)  # termNote … in file order
    line: int = 0
    path: str = ""


@dataclass
class TbxLanguage:
    lang: str
    terms: list[TbxTerm] = field(default_factory=list)
    fields: list[TbxField] = field(default_factory=list)


@dataclass
class TbxConcept:
    id: str = ""
    fields: list[TbxField] = field(default_factory=list)
    languages: list[TbxLanguage] = field(default_factory=list)
    line: int = 0
    path: str = ""


@dataclass
class TbxFile:
    name: str
    concepts: list[TbxConcept] = field(default_factory=list)
    problems: list[FormatProblem] = field(default_factory=list)  # concepts with one are left out
    not_kept: dict[str, int] = field(default_factory=dict)  # element → how many
    body_line: int = 0


class _Reader:
    def __init__(self, name: str, stream: EntryStream):
        self.file = TbxFile(name)
        self.path = stream.path

    def error(self, element: Element, message: str) -> None:
        self.file.problems.append(FormatProblem(self.file.name, element.sourceline or 0, message))

    def unknown(self, element: Element, container: str) -> None:
        self.error(element, f"<{local(element)}> at {self.path(element)} is not TBX structure this reader understands "
                            f"(inside <{container}>); the concept is not imported. Remove it, or convert the file "
                            "to TBX-Basic")

    def concept(self, entry: Element) -> TbxConcept | None:
        concept = TbxConcept(entry.get("id", ""), line=entry.sourceline or 0, path=self.path(entry))
        before = len(self.file.problems)
        for element in children(entry):
            if local(element) in LANGS:
                lang = lang_of(element)
                if not lang:
                    self.error(element, f"<{local(element)}> at {self.path(element)} has no xml:lang")
                    continue
                concept.languages.append(self.language(element, lang))
            else:
                self.data(element, concept.fields, entry)
        return concept if len(self.file.problems) == before else None

    def language(self, lang_sec: Element, lang: str) -> TbxLanguage:
        language = TbxLanguage(lang)
        for element in children(lang_sec):
            if local(element) in TERM_HOLDERS:
                term = self.term(element)
                if term is not None:
                    language.terms.append(term)
            else:
                self.data(element, language.fields, lang_sec)
        return language

    def term(self, holder: Element) -> TbxTerm | None:
        elements = children(holder)
        if local(holder) == "ntig":
            groups = [e for e in elements if local(e) == "termGrp"]
            if len(groups) != 1:
                self.error(holder, f"<ntig> at {self.path(holder)} needs exactly one <termGrp>, found {len(groups)}")
                return None
            elements = children(groups[0]) + [e for e in elements if local(e) != "termGrp"]
        term = TbxTerm("", line=holder.sourceline or 0, path=self.path(holder))
        for element in elements:
            if local(element) == "term":
                term.form = text_of(element)
            else:
                self.data(element, term.fields, holder)
        if not term.form:
            self.error(holder, f"<{local(holder)}> at {self.path(holder)} has no <term> text")
            return None
        return term

    def data(self, element: Element, into: list[TbxField], container: Element) -> None:
        name = local(element)
        if name in NOT_KEPT:
            self.file.not_kept[name] = self.file.not_kept.get(name, 0) + 1
            return
        if name in GROUPS:
            for inner in children(element):
                self.data(inner, into, element)
            return
        if namespace(element) in CORE_NAMESPACES:
            if name not in CATEGORIES:
                self.unknown(element, local(container))
                return
            kind, category = name, (element.get("type") or "").strip()
        else:  # TBX v3 DCT style names the category by the element itself (<basic:subjectField>)
            kind, category = "descrip", name
        text = text_of(element)
        if text:
            into.append(TbxField(kind, category, text, element.sourceline or 0, self.path(element)))


def read_tbx_file(data: bytes, name: str) -> TbxFile:
    """The concepts of a TBX file; a file that is not TBX at all raises FormatError, structure
    inside a concept that is not understood is in ``problems`` (that concept left out). The file
    is read one concept at a time (formats.xml.EntryStream): memory holds the concepts, not the tree."""
    stream = EntryStream(data, name, ("*", "text", "body"))
    reader = _Reader(name, stream)
    for entry in stream.entries():
        if local(stream.root) not in ROOTS:
            continue  # refused below, once the whole file is known to be XML
        if local(entry) not in ENTRIES:
            reader.unknown(entry, "body")
            continue
        concept = reader.concept(entry)
        if concept is not None:
            reader.file.concepts.append(concept)
    stream.finish()
    root, body = stream.root, stream.container
    if local(root) not in ROOTS:
        reader.error(root, f"not a TBX file: the root is <{local(root)}>, not <martif> (TBX 2008) or <tbx> (TBX v3)")
        raise FormatError(reader.file.problems)
    if body is None:
        reader.error(root, f"no <text><body> under <{local(root)}>; a TBX file keeps its concepts there")
        raise FormatError(reader.file.problems)
    reader.file.body_line = body.sourceline or 0
    _settle(reader.file, stream)
    return reader.file


def _settle(file: TbxFile, stream: EntryStream) -> None:
    """Paths as the whole tree writes them (``termEntry`` alone: no ``[1]``), in problems and in what was read."""
    file.problems = stream.settled(file.problems)
    if not stream.alone():
        return
    for concept in file.concepts:
        concept.path = stream.settle(concept.path)
        concept.fields = [replace(f, path=stream.settle(f.path)) for f in concept.fields]
        for language in concept.languages:
            language.fields = [replace(f, path=stream.settle(f.path)) for f in language.fields]
            for term in language.terms:
                term.path = stream.settle(term.path)
                term.fields = [replace(f, path=stream.settle(f.path)) for f in term.fields]


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


DIALECTS = {
    "tbx2008": _Dialect("martif", "martifHeader", "termEntry", "langSet", "tig"),
    "tbx3": _Dialect("tbx", "tbxHeader", "conceptEntry", "langSec", "termSec", TBX3_NS),
}


def write_tbx_file(concepts: list[TbxConcept], source_lang: str, fmt: str = "tbx2008") -> str:
    """TBX-Basic: ``fmt`` is ``tbx2008`` (``<martif>``) or ``tbx3`` (``<tbx>``, DCA style)."""
    if fmt not in DIALECTS:
        raise ValueError(f"TBX format {fmt!r}: use one of {', '.join(DIALECTS)}")
    d = DIALECTS[fmt]
    attrs = {"type": "TBX-Basic", XML_LANG: source_lang}
    if fmt == "tbx3":
        attrs["style"] = "dca"
    root = etree.Element(d.q(d.root), attrs, nsmap={None: d.ns} if d.ns else None)
    file_desc = etree.SubElement(etree.SubElement(root, d.q(d.header)), d.q("fileDesc"))
    etree.SubElement(etree.SubElement(file_desc, d.q("sourceDesc")), d.q("p")).text = "gnews-i18n glossary"
    body = etree.SubElement(etree.SubElement(root, d.q("text")), d.q("body"))

    def fields(parent, items: list[TbxField]) -> None:
        for item in items:
            element = etree.SubElement(parent, d.q(item.kind), {"type": item.type} if item.type else {})
            element.text = item.text

    for concept in concepts:
        entry = etree.SubElement(body, d.q(d.entry), {"id": concept.id})
        fields(entry, concept.fields)
        for language in concept.languages:
            lang_sec = etree.SubElement(entry, d.q(d.lang), {XML_LANG: language.lang})
            fields(lang_sec, language.fields)
            for term in language.terms:
                term_sec = etree.SubElement(lang_sec, d.q(d.term))
                etree.SubElement(term_sec, d.q("term")).text = term.form
                fields(term_sec, term.fields)
    etree.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(root, encoding="unicode") + "\n"
