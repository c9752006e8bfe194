"""XLIFF 1.2 and 2.0 (OASIS), what most CAT tools exchange: units written and read.

Writing takes plain units (id, state, notes, source and target text) and writes inline tags
as XLIFF codes (``formats.inline``). Reading checks the structure — one ``<file>``, units
made only of the parts XLIFF defines, one ``<segment>`` per 2.0 unit, no entity
references (lxml would drop them and the rest of their text) — and returns each unit with
its notes, whether it is approved, and its ``<source>``/``<target>`` elements: as in
Translate Toolkit, a unit keeps its XML, because turning inline codes back into tags
needs the codes of the segment the reading room knows (``review.xliff``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from gnews_i18n.formats.base import FormatError, FormatProblem
from gnews_i18n.formats.inline import original_data, write_inline
from gnews_i18n.formats.xml import Element, child, children, entity_references, local, namespace, parse_xml, path

__all__ = ["APPROVED_12", "NS_12", "NS_20", "XliffDocument", "XliffUnit", "XliffUnitOut", "read_xliff_file",
           "write_xliff"]

NS_12 = "urn:oasis:names:tc:xliff:document:1.2"
NS_20 = "urn:oasis:names:tc:xliff:document:2.0"
APPROVED_12 = {"final", "signed-off"}
_HEADER_FIELD = re.compile(r"^(X-[\w-]+):\s*(.*)$", re.MULTILINE)
_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


@dataclass
class XliffUnitOut:
    """A unit to write: ``state`` is the 1.2 or 2.0 state value; ``notes`` (category, text)."""

    id: str
    source: str
    target: str
    state: str
    approved: bool = False
    sub_state: str = ""  # 2.0's subState
    notes: list[tuple[str, str]] = field(default_factory=list)
    attributes: dict[str, str] = field(default_factory=dict)  # extra attributes of the unit (another namespace)


def write_xliff(version: str, src: str, tgt: str, original: str, units: list[XliffUnitOut], *,
                file_attributes: dict[str, str], nsmap: dict[str, str], file_id: str = "f1", note: str = "",
                tool: tuple[str, str] = ("", "")) -> str:
    """An XLIFF ``version`` ("1.2" or "2.0") file of one ``<file>``; ``tool`` is (name, version)."""
    fills: list[tuple[Element, str, str]] = []  # (source or target element, its text, the unit's source)
    if version == "1.2":
        root = etree.Element(f"{{{NS_12}}}xliff", {"version": "1.2"}, nsmap={None: NS_12, **nsmap})
        file = etree.SubElement(root, f"{{{NS_12}}}file", {
            "original": original, "source-language": src, "target-language": tgt, "datatype": "plaintext",
            "tool-id": tool[0], **file_attributes})
        header = etree.SubElement(file, f"{{{NS_12}}}header")
        etree.SubElement(header, f"{{{NS_12}}}tool", {"tool-id": tool[0], "tool-name": tool[0],
                                                      "tool-version": tool[1]})
        etree.SubElement(header, f"{{{NS_12}}}note", {"from": tool[0]}).text = note
        body = etree.SubElement(file, f"{{{NS_12}}}body")
        for unit in units:
            element = etree.SubElement(body, f"{{{NS_12}}}trans-unit", {
                "id": unit.id, "resname": unit.id, "approved": "yes" if unit.approved else "no", **unit.attributes,
                _SPACE: "preserve"})
            fills.append((etree.SubElement(element, f"{{{NS_12}}}source"), unit.source, unit.source))
            target = etree.SubElement(element, f"{{{NS_12}}}target", {"state": unit.state})
            fills.append((target, unit.target, unit.source))
            for category, text in unit.notes:
                priority = "1" if category == "qa" else "5"
                etree.SubElement(element, f"{{{NS_12}}}note", {"from": tool[0], "priority": priority}).text = text
    else:
        root = etree.Element(f"{{{NS_20}}}xliff", {"version": "2.0", "srcLang": src, "trgLang": tgt},
                             nsmap={None: NS_20, **nsmap})
        file = etree.SubElement(root, f"{{{NS_20}}}file", {"id": file_id, "original": original, **file_attributes})
        notes = etree.SubElement(file, f"{{{NS_20}}}notes")
        etree.SubElement(notes, f"{{{NS_20}}}note", {"category": tool[0]}).text = note
        for unit in units:
            element = etree.SubElement(file, f"{{{NS_20}}}unit", {"id": unit.id, **unit.attributes,
                                                                   _SPACE: "preserve"})
            unit_notes = etree.SubElement(element, f"{{{NS_20}}}notes")
            for category, text in unit.notes:
                etree.SubElement(unit_notes, f"{{{NS_20}}}note", {"category": category}).text = text
            original_data(element, unit.source, NS_20)
            segment = etree.SubElement(element, f"{{{NS_20}}}segment", {"id": "s", "state": unit.state})
            if unit.sub_state:
                segment.set("subState", unit.sub_state)
            fills.append((etree.SubElement(segment, f"{{{NS_20}}}source"), unit.source, unit.source))
            fills.append((etree.SubElement(segment, f"{{{NS_20}}}target"), unit.target, unit.source))
    # Indent the structure first, then fill sources and targets: indenting must not touch their text.
    etree.indent(root)
    ns = NS_12 if version == "1.2" else NS_20
    for element, text, source in fills:
        write_inline(element, text, source, version, ns)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(root, encoding="unicode") + "\n"


@dataclass
class XliffUnit:
    """A unit as read: its element (``trans-unit`` or ``unit``), notes, approval, and the
    ``<source>``/``<target>`` elements (``target`` None when it has none)."""

    element: Element
    id: str
    notes: list[str]
    approved: bool
    source: Element
    target: Element | None
    line: int


@dataclass
class XliffDocument:
    name: str
    version: str  # "1.2", "2.0" … as the root says
    file: Element  # the one <file>, for the reading room's own attributes
    units: list[XliffUnit] = field(default_factory=list)
    problems: list[FormatProblem] = field(default_factory=list)  # units left out, each with its line
    header_fields: dict[str, str] = field(default_factory=dict)  # a po2xliff header unit's X-… fields
    header_line: int = 0  # that unit's line (0: no such unit)


def read_xliff_file(data: bytes, name: str) -> XliffDocument:
    """The units of an XLIFF 1.x or 2.x file; FormatError when the file as a whole cannot be used."""
    root = parse_xml(data, name)
    entities = entity_references(root)
    if entities:  # lxml leaves them out of the text, and the rest of that text with them
        raise FormatError([FormatProblem(name, e.sourceline or 0, f"the entity reference {e.text} is not read (an "
                                         "XLIFF review file carries text only); write the character itself, or "
                                         "&amp; &lt; &gt; &quot; &apos;") for e in entities])
    version = root.get("version", "")
    if local(root) != "xliff" or not (version.startswith("1.") or version.startswith("2.")):
        raise FormatError(FormatProblem(name, root.sourceline or 0, f"not an XLIFF 1.x or 2.x file (root "
                                        f"<{local(root)}> version {version or '?'})"))
    files = [f for f in children(root) if local(f) == "file"]
    if len(files) != 1:
        raise FormatError(FormatProblem(name, root.sourceline or 0, f"{len(files)} <file> elements; a review file "
                                        "holds one translation"))
    document = XliffDocument(name, version, files[0])
    units_xml = [u for u in files[0].iter() if isinstance(u.tag, str) and local(u) in ("trans-unit", "unit")]
    header = next((u for u in units_xml if u.get("restype") == "x-gettext-domain-header"), None)
    if header is not None:  # a PO file converted by po2xliff: the PO header is this unit's source
        document.header_fields = dict(_HEADER_FIELD.findall("".join(header.itertext())))
        document.header_line = header.sourceline or 0
        units_xml.remove(header)
    if not units_xml:
        raise FormatError(FormatProblem(name, files[0].sourceline or 0, "no trans-unit or unit in the file"))
    for element in units_xml:
        try:
            document.units.append((_unit_12 if version.startswith("1.") else _unit_20)(element))
        except _Problem as problem:
            document.problems.append(FormatProblem(name, problem.line, str(problem)))
    return document


class _Problem(ValueError):
    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.line = line


def _unit_12(element: Element) -> XliffUnit:
    allowed = {"source", "target", "note", "context-group", "alt-trans", "seg-source", "count-group", "prop-group"}
    for inner in children(element):
        if local(inner) not in allowed and namespace(inner) in (NS_12, "urn:oasis:names:tc:xliff:document:1.1", ""):
            raise _Problem(f"<{local(inner)}> at {path(inner)} is not part of an XLIFF 1.2 trans-unit",
                           inner.sourceline or 0)
    notes = ["".join(n.itertext()) for n in children(element) if local(n) in ("note", "context-group")]
    target = child(element, "target")
    approved = element.get("approved") == "yes" or (target is not None and target.get("state", "") in APPROVED_12)
    return _unit(element, element, notes, approved)


def _unit_20(element: Element) -> XliffUnit:
    segments = [s for s in children(element) if local(s) == "segment"]
    for inner in children(element):
        if local(inner) not in ("notes", "originalData", "segment", "ignorable") and namespace(inner) == NS_20:
            raise _Problem(f"<{local(inner)}> at {path(inner)} is not part of an XLIFF 2.0 unit", inner.sourceline or 0)
    if len(segments) != 1:
        raise _Problem(f"unit {element.get('id')!r} has {len(segments)} <segment>; the desk's units have one (join "
                       "segments the tool split before export)", element.sourceline or 0)
    notes_xml = child(element, "notes")
    notes = ["".join(n.itertext()) for n in children(notes_xml)] if notes_xml is not None else []
    return _unit(element, segments[0], notes, segments[0].get("state") == "final")


def _unit(element: Element, holder: Element, notes: list[str], approved: bool) -> XliffUnit:
    """The unit whose ``holder`` (the trans-unit, or 2.0's segment) has the source and target."""
    source = child(holder, "source")
    if source is None:
        raise _Problem(f"{local(element)} {element.get('id')!r} has no <source>", holder.sourceline or 0)
    return XliffUnit(element, element.get("id", ""), notes, approved, source, child(holder, "target"),
                     element.sourceline or 0)
