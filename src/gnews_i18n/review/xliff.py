"""Offline review through XLIFF 1.2 and 2.0, what most CAT tools exchange (memoQ, Trados, OmegaT, Okapi).

Export: one ``trans-unit`` (1.2) or ``unit`` (2.0) per segment, its id the segment's
position (``title``, ``2.0``) like the PO ``msgctxt``; ``state`` says where it stands
(1.2: ``needs-translation``, ``needs-review-translation`` for machine and memory drafts,
``translated`` once edited, ``final`` with ``approved="yes"`` once approved; 2.0:
``initial``, ``translated``, ``final``); notes carry the segment version, glossary terms
and QA flags; inline tags are codes (``formats.inline``). The ``<file>`` names the
translation and source revision (``gnews:`` attributes, and ``original`` for tools that
drop foreign attributes).

Import reads our files, XLIFF 1.1/1.2 that converters write from our PO (``po2xliff``:
the key is lost, the segment note kept) and 2.0 from CAT tools, into the shared
``ReviewFile``; ``review.file_import.apply_review`` gives it the PO import's guarantees.
Approving is ``approved="yes"`` or state ``final``/``signed-off`` (1.2), state ``final`` (2.0).
"""

from __future__ import annotations

import re

from lxml import etree
from sqlalchemy.orm import Session

from gnews_i18n import __version__
from gnews_i18n.formats.inline import InlineError, read_inline, source_codes, write_inline
from gnews_i18n.formats.inline import original_data as write_original_data
from gnews_i18n.formats.xml import (
    Element,
    XmlFileError,
    child,
    children,
    entity_references,
    local,
    namespace,
    parse_xml,
    path,
)
from gnews_i18n.review.actions import get_translation, position
from gnews_i18n.review.file_import import (
    SEGMENT_NOTE,
    ReviewFile,
    ReviewImportError,
    ReviewImportResult,
    ReviewUnit,
    Words,
    apply_review,
    ascii_number,
    segment_note,
)
from gnews_i18n.states import SegmentState
from gnews_i18n.store.models import Translation

NS_12 = "urn:oasis:names:tc:xliff:document:1.2"
NS_20 = "urn:oasis:names:tc:xliff:document:2.0"
NS_GNEWS = "urn:gnews-i18n:xliff"
FORMATS = {"xliff": "1.2", "xliff12": "1.2", "xliff2": "2.0", "xliff20": "2.0"}
WORDS = Words(key="id", source="source", target="target", unapproved="approved or final",
              id_field="gnews:translation-id on <file> (or X-Gnews-Translation-Id)")
_ORIGINAL = re.compile(r"gnews-i18n/translation/(\d+)/revision/(\d+)")
_POSITION = re.compile(r"^(title|\d+\.\d+)$")
_HEADER_FIELD = re.compile(r"^(X-Gnews-[\w-]+):\s*(.*)$", re.MULTILINE)
APPROVED_12 = {"final", "signed-off"}


def _state(segment, version: str) -> str:
    if segment.state == SegmentState.APPROVED:
        return "final"
    if not segment.text:
        return "needs-translation" if version == "1.2" else "initial"
    if version == "2.0":
        return "translated"
    return "translated" if segment.state == SegmentState.EDITED else "needs-review-translation"


def _notes(segment) -> list[tuple[str, str]]:
    """(category, text) of a segment's notes: its version first, then terms and QA flags."""
    notes = [("gnews", segment_note(segment.id, segment.version, segment.state))]
    notes += [("term", f"term: {t.get('source')} → {t.get('target')}") for t in segment.terms or []]
    notes += [("qa", f"{f.get('severity')} {f.get('id')}: {f.get('message')}") for f in segment.flags or []]
    return notes


def export_xliff(translation: Translation, version: str = "1.2") -> str:
    """The draft as XLIFF ``version`` ("1.2" or "2.0")."""
    revision = translation.revision
    article = revision.article
    src, tgt = article.source_lang, translation.target_lang
    original = f"gnews-i18n/translation/{translation.id}/revision/{revision.number}/{article.slug}"
    ids = {f"{{{NS_GNEWS}}}translation-id": str(translation.id), f"{{{NS_GNEWS}}}source-revision":
           str(revision.number), f"{{{NS_GNEWS}}}article": article.slug}
    fills: list[tuple[Element, str, str]] = []  # (source or target element, its text, the segment's source)
    how = ("Correct a target to edit it; set it final (approved) to approve it. Keep ids, sources and codes.")
    if version == "1.2":
        root = etree.Element(f"{{{NS_12}}}xliff", {"version": "1.2"}, nsmap={None: NS_12, "gnews": NS_GNEWS})
        file = etree.SubElement(root, f"{{{NS_12}}}file", {
            "original": original, "source-language": src, "target-language": tgt, "datatype": "plaintext",
            "tool-id": "gnews-i18n", **ids})
        header = etree.SubElement(file, f"{{{NS_12}}}header")
        etree.SubElement(header, f"{{{NS_12}}}tool", {"tool-id": "gnews-i18n", "tool-name": "gnews-i18n",
                                                      "tool-version": __version__})
        etree.SubElement(header, f"{{{NS_12}}}note", {"from": "gnews-i18n"}).text = how
        body = etree.SubElement(file, f"{{{NS_12}}}body")
        for segment in translation.segments:
            approved = segment.state == SegmentState.APPROVED
            unit = etree.SubElement(body, f"{{{NS_12}}}trans-unit", {
                "id": position(segment), "resname": position(segment), "approved": "yes" if approved else "no",
                f"{{{NS_GNEWS}}}version": str(segment.version), "{http://www.w3.org/XML/1998/namespace}space":
                "preserve"})
            fills.append((etree.SubElement(unit, f"{{{NS_12}}}source"), segment.source_text, segment.source_text))
            target = etree.SubElement(unit, f"{{{NS_12}}}target", {"state": _state(segment, "1.2")})
            fills.append((target, segment.text, segment.source_text))
            for category, text in _notes(segment):
                etree.SubElement(unit, f"{{{NS_12}}}note", {"from": "gnews-i18n",
                                                            "priority": "1" if category == "qa" else "5"}).text = text
    else:
        root = etree.Element(f"{{{NS_20}}}xliff", {"version": "2.0", "srcLang": src, "trgLang": tgt},
                             nsmap={None: NS_20, "gnews": NS_GNEWS})
        file = etree.SubElement(root, f"{{{NS_20}}}file", {"id": f"t{translation.id}", "original": original, **ids})
        notes = etree.SubElement(file, f"{{{NS_20}}}notes")
        etree.SubElement(notes, f"{{{NS_20}}}note", {"category": "gnews-i18n"}).text = how
        for segment in translation.segments:
            unit = etree.SubElement(file, f"{{{NS_20}}}unit", {
                "id": position(segment), f"{{{NS_GNEWS}}}version": str(segment.version),
                "{http://www.w3.org/XML/1998/namespace}space": "preserve"})
            unit_notes = etree.SubElement(unit, f"{{{NS_20}}}notes")
            for category, text in _notes(segment):
                etree.SubElement(unit_notes, f"{{{NS_20}}}note", {"category": category}).text = text
            write_original_data(unit, segment.source_text, NS_20)
            seg = etree.SubElement(unit, f"{{{NS_20}}}segment", {"id": "s", "state": _state(segment, "2.0")})
            if segment.state in (SegmentState.MACHINE, SegmentState.MEMORY):
                seg.set("subState", f"gnews:{segment.state}")
            fills.append((etree.SubElement(seg, f"{{{NS_20}}}source"), segment.source_text, segment.source_text))
            fills.append((etree.SubElement(seg, f"{{{NS_20}}}target"), segment.text, segment.source_text))
    # Indent the structure first, then fill sources and targets: indenting must not touch their text.
    etree.indent(root)
    ns = NS_12 if version == "1.2" else NS_20
    for element, text, source in fills:
        write_inline(element, text, source, version, ns)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(root, encoding="unicode") + "\n"


def export_for(session: Session, translation_id: int, version: str = "1.2") -> str:
    return export_xliff(get_translation(session, translation_id), version)


# ----------------------------------------------------------------------------------------------- reading


def read_xliff(session: Session, data: bytes, name: str) -> ReviewFile:
    """The reviewed units of an XLIFF file (1.1, 1.2 or 2.0); ReviewImportError on anything not understood."""
    try:
        root = parse_xml(data, name)
    except XmlFileError as error:
        raise ReviewImportError(name, [str(error)]) from None
    entities = entity_references(root)
    if entities:  # lxml leaves them out of the text, and the rest of that text with them
        raise ReviewImportError(name, [f"{name}:{e.sourceline}: the entity reference {e.text} is not read (an XLIFF "
                                       "review file carries text only); write the character itself, or &amp; "
                                       "&lt; &gt; &quot; &apos;" for e in entities])
    version = root.get("version", "")
    if local(root) != "xliff" or not (version.startswith("1.") or version.startswith("2.")):
        raise ReviewImportError(name, [f"{name}:{root.sourceline}: not an XLIFF 1.x or 2.x file (root "
                                       f"<{local(root)}> version {version or '?'})"])
    files = [f for f in children(root) if local(f) == "file"]
    if len(files) != 1:
        raise ReviewImportError(name, [f"{name}:{root.sourceline}: {len(files)} <file> elements; a review file "
                                       "holds one translation"])
    file = files[0]
    declared, revision = _declared(file)
    units_xml = [u for u in file.iter() if isinstance(u.tag, str) and local(u) in ("trans-unit", "unit")]
    header = next((u for u in units_xml if u.get("restype") == "x-gettext-domain-header"), None)
    header_line = file.sourceline or 0
    if header is not None:  # a PO file converted by po2xliff: our PO header is this unit's source
        fields = dict(_HEADER_FIELD.findall("".join(header.itertext())))
        if not declared:
            declared, header_line = fields.get("X-Gnews-Translation-Id", "").strip(), header.sourceline or 0
        revision = revision or fields.get("X-Gnews-Source-Revision", "").strip()
        units_xml.remove(header)
    translation = session.get(Translation, int(declared)) if ascii_number(declared) else None
    sources = {s.id: s.source_text for s in translation.segments} if translation else {}
    by_position = {position(s): s.id for s in translation.segments} if translation else {}
    problems: list[str] = []
    units = []
    for element in units_xml:
        try:
            unit = (_unit_12 if version.startswith("1.") else _unit_20)(element, sources, by_position)
        except (InlineError, _Problem) as error:
            problems.append(f"{name}:{getattr(error, 'line', element.sourceline)}: {error}")
            continue
        units.append(unit)
    if not units_xml:
        raise ReviewImportError(name, [f"{name}:{file.sourceline}: no trans-unit or unit in the file"])
    return ReviewFile(name, declared, revision, units, WORDS, problems, header_line)


class _Problem(ValueError):
    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.line = line


def _declared(file: Element) -> tuple[str, str]:
    declared = file.get(f"{{{NS_GNEWS}}}translation-id", "")
    revision = file.get(f"{{{NS_GNEWS}}}source-revision", "")
    found = _ORIGINAL.search(file.get("original", ""))
    if found:
        declared, revision = declared or found.group(1), revision or found.group(2)
    return declared.strip(), revision.strip()


def _identify(element: Element, notes: list[str], by_position: dict[str, int]) -> tuple[str, int | None, int | None]:
    """(key, segment id, exported version) of a unit: its id when it is a position, else the segment note's."""
    note = next((m for text in notes if (m := SEGMENT_NOTE.search(text))), None)
    unit_id = element.get("id", "")
    key = unit_id if _POSITION.match(unit_id) else ""
    segment_id = int(note.group(1)) if note else None
    if not key and segment_id is None:
        key = unit_id  # reported as unknown by apply_review
    attribute = element.get(f"{{{NS_GNEWS}}}version")
    version = int(attribute) if attribute and ascii_number(attribute) else (int(note.group(2)) if note else None)
    if key and segment_id is not None and by_position.get(key, segment_id) != segment_id:
        raise _Problem(f"unit {unit_id!r} carries the note of segment {segment_id}, which is another segment; "
                       "keep ids and notes together", element.sourceline or 0)
    return key, segment_id, version


def _source_of(key: str, segment_id: int | None, sources: dict[int, str], by_position: dict[str, int]) -> str:
    wanted = by_position.get(key) if key else segment_id
    return sources.get(wanted or -1, "")


def _unit_12(element: Element, sources, by_position) -> ReviewUnit:
    allowed = {"source", "target", "note", "context-group", "alt-trans", "seg-source", "count-group", "prop-group"}
    for inner in children(element):
        if local(inner) not in allowed and namespace(inner) in (NS_12, "urn:oasis:names:tc:xliff:document:1.1", ""):
            raise _Problem(f"<{local(inner)}> at {path(inner)} is not part of an XLIFF 1.2 trans-unit",
                           inner.sourceline or 0)
    notes = ["".join(n.itertext()) for n in children(element) if local(n) in ("note", "context-group")]
    target = child(element, "target")
    approved = element.get("approved") == "yes" or (target is not None and target.get("state", "") in APPROVED_12)
    return _read_unit(element, element, notes, approved, sources, by_position)


def _unit_20(element: Element, sources, by_position) -> ReviewUnit:
    segments = [s for s in children(element) if local(s) == "segment"]
    for inner in children(element):
        if local(inner) not in ("notes", "originalData", "segment", "ignorable") and namespace(inner) == NS_20:
            raise _Problem(f"<{local(inner)}> at {path(inner)} is not part of an XLIFF 2.0 unit", inner.sourceline or 0)
    if len(segments) != 1:
        raise _Problem(f"unit {element.get('id')!r} has {len(segments)} <segment>; the desk's units have one (join "
                       "segments the tool split before export)", element.sourceline or 0)
    notes_xml = child(element, "notes")
    notes = ["".join(n.itertext()) for n in children(notes_xml)] if notes_xml is not None else []
    return _read_unit(element, segments[0], notes, segments[0].get("state") == "final", sources, by_position)


def _read_unit(element: Element, holder: Element, notes: list[str], approved: bool, sources, by_position
               ) -> ReviewUnit:
    """The unit whose ``holder`` (the trans-unit, or 2.0's segment) has the source and target."""
    key, segment_id, version = _identify(element, notes, by_position)
    source_xml, target_xml = child(holder, "source"), child(holder, "target")
    if source_xml is None:
        raise _Problem(f"{local(element)} {element.get('id')!r} has no <source>", holder.sourceline or 0)
    codes = source_codes(_source_of(key, segment_id, sources, by_position))
    target = read_inline(target_xml, codes) if target_xml is not None else ""
    return ReviewUnit(key, read_inline(source_xml, codes), target, approved, element.sourceline or 0, segment_id,
                      version)


def declared_id(session: Session, data: bytes, name: str) -> int:
    """The translation id an XLIFF file names (ReviewImportError when it names none)."""
    return read_xliff(session, data, name).translation_id()


def import_xliff(session: Session, data: bytes, name: str, reviewer: str, *, translation_id: int | None = None,
                 glossary=None) -> ReviewImportResult:
    """Apply a reviewed XLIFF file: all of it, or ReviewImportError listing every problem."""
    return apply_review(session, read_xliff(session, data, name), reviewer, translation_id=translation_id,
                        glossary=glossary)
