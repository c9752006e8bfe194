"""Offline review through XLIFF 1.2 and 2.0, what most CAT tools exchange (memoQ, Trados, OmegaT, Okapi).

Export: one ``trans-unit`` (1.2) or ``unit`` (2.0) per segment, its id the segment's
position (``title``, ``2.0``) like the PO ``msgctxt``; ``state`` says where it stands
(1.2: ``needs-translation``, ``needs-review-translation`` for machine and memory drafts,
``translated`` once edited, ``final`` with ``approved="yes"`` once approved; 2.0:
``initial``, ``translated``, ``final``); notes carry the segment version, glossary terms
and QA flags; inline tags are codes (``formats.inline``). The ``<file>`` names the
translation and source revision (``gnews:`` attributes, and ``original`` for tools that
drop foreign attributes). Writing and reading the file itself is ``formats.xliff``'s.

Import reads our files, XLIFF 1.1/1.2 that converters write from our PO (``po2xliff``:
the key is lost, the segment note kept) and 2.0 from CAT tools, into the shared
``ReviewFile``; ``review.file_import.apply_review`` gives it the PO import's guarantees.
Approving is ``approved="yes"`` or state ``final``/``signed-off`` (1.2), state ``final`` (2.0).
"""

from __future__ import annotations

import re

from sqlalchemy.orm import Session, object_session

from gnews_i18n import __version__
from gnews_i18n.formats.base import FormatError
from gnews_i18n.formats.inline import InlineError, read_inline, source_codes
from gnews_i18n.formats.xliff import XliffUnit, XliffUnitOut, read_xliff_file, write_xliff
from gnews_i18n.intake.document import block_role
from gnews_i18n.review.actions import PersonalDataInDraft, get_translation, position
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
from gnews_i18n.review.personal_data import refusal, undecided_in
from gnews_i18n.states import SegmentState
from gnews_i18n.store.models import Translation

NS_GNEWS = "urn:gnews-i18n:xliff"
FORMATS = {"xliff": "1.2", "xliff12": "1.2", "xliff2": "2.0", "xliff20": "2.0"}
WORDS = Words(key="id", source="source", target="target", unapproved="approved or final",
              id_field="gnews:translation-id on <file> (or X-Gnews-Translation-Id)")
_ORIGINAL = re.compile(r"gnews-i18n/translation/(\d+)/revision/(\d+)")
_POSITION = re.compile(r"^(title|byline|correction|\d+\.\d+)$")


def _state(segment, version: str) -> str:
    if segment.state == SegmentState.APPROVED:
        return "final"
    if not segment.text:
        return "needs-translation" if version == "1.2" else "initial"
    if version == "2.0":
        return "translated"
    return "translated" if segment.state == SegmentState.EDITED else "needs-review-translation"


def _notes(segment, blocks: list | None = None) -> list[tuple[str, str]]:
    """(category, text) of a segment's notes: its version first, then what it is when it is no running
    text (a photo's alt text or caption), then terms and QA flags."""
    notes = [("gnews", segment_note(segment.id, segment.version, segment.state))]
    if blocks is not None and (role := block_role(blocks, segment.block_index)):
        notes.append(("context", role))
    notes += [("term", f"term: {t.get('source')} → {t.get('target')}") for t in segment.terms or []]
    notes += [("qa", f"{f.get('severity')} {f.get('id')}: {f.get('message')}") for f in segment.flags or []]
    return notes


def export_xliff(translation: Translation, version: str = "1.2") -> str:
    """The draft as XLIFF ``version`` ("1.2" or "2.0")."""
    if found := undecided_in(object_session(translation), translation):  # nothing undecided leaves (docs/privacy.md)
        raise PersonalDataInDraft(refusal(translation, found, "exported"), found)
    revision = translation.revision
    article = revision.article
    original = f"gnews-i18n/translation/{translation.id}/revision/{revision.number}/{article.slug}"
    ids = {f"{{{NS_GNEWS}}}translation-id": str(translation.id), f"{{{NS_GNEWS}}}source-revision":
           str(revision.number), f"{{{NS_GNEWS}}}article": article.slug}
    units = [XliffUnitOut(
        position(segment), segment.source_text, segment.text, _state(segment, version),
        approved=segment.state == SegmentState.APPROVED,
        sub_state=f"gnews:{segment.state}" if version == "2.0" and segment.state in (SegmentState.MACHINE,
                                                                                     SegmentState.MEMORY) else "",
        notes=_notes(segment, revision.blocks), attributes={f"{{{NS_GNEWS}}}version": str(segment.version)},
    ) for segment in translation.segments]
    return write_xliff(version, article.source_lang, translation.target_lang, original, units, file_attributes=ids,
                       nsmap={"gnews": NS_GNEWS}, file_id=f"t{translation.id}", tool=("gnews-i18n", __version__),
                       note="Correct a target to edit it; set it final (approved) to approve it. Keep ids, sources "
                            "and codes.")


def export_for(session: Session, translation_id: int, version: str = "1.2") -> str:
    return export_xliff(get_translation(session, translation_id), version)


# ----------------------------------------------------------------------------------------------- reading


def read_xliff(session: Session, data: bytes, name: str) -> ReviewFile:
    """The reviewed units of an XLIFF file (1.1, 1.2 or 2.0); ReviewImportError on anything not understood."""
    try:
        document = read_xliff_file(data, name)
    except FormatError as error:
        raise ReviewImportError(name, [str(p) for p in error.problems]) from None
    declared, revision = _declared(document.file)
    header_line = document.file.sourceline or 0
    if document.header_line:  # a PO file converted by po2xliff: our PO header was its header unit
        if not declared:
            declared = document.header_fields.get("X-Gnews-Translation-Id", "").strip()
            header_line = document.header_line
        revision = revision or document.header_fields.get("X-Gnews-Source-Revision", "").strip()
    translation = session.get(Translation, int(declared)) if ascii_number(declared) else None
    sources = {s.id: s.source_text for s in translation.segments} if translation else {}
    by_position = {position(s): s.id for s in translation.segments} if translation else {}
    problems = [(p.line, str(p)) for p in document.problems]
    units = []
    for unit in document.units:
        try:
            units.append(_review_unit(unit, sources, by_position))
        except (InlineError, _Problem) as error:
            line = getattr(error, "line", unit.line)
            problems.append((line, f"{name}:{line}: {error}"))
    return ReviewFile(name, declared, revision, units, WORDS, [text for _, text in sorted(problems)], header_line)


class _Problem(ValueError):
    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.line = line


def _declared(file) -> tuple[str, str]:
    declared = file.get(f"{{{NS_GNEWS}}}translation-id", "")
    revision = file.get(f"{{{NS_GNEWS}}}source-revision", "")
    found = _ORIGINAL.search(file.get("original", ""))
    if found:
        declared, revision = declared or found.group(1), revision or found.group(2)
    return declared.strip(), revision.strip()


def _identify(unit: XliffUnit, by_position: dict[str, int]) -> tuple[str, int | None, int | None]:
    """(key, segment id, exported version) of a unit: its id when it is a position, else the segment note's."""
    note = next((m for text in unit.notes if (m := SEGMENT_NOTE.search(text))), None)
    key = unit.id if _POSITION.match(unit.id) else ""
    segment_id = int(note.group(1)) if note else None
    if not key and segment_id is None:
        key = unit.id  # reported as unknown by apply_review
    attribute = unit.element.get(f"{{{NS_GNEWS}}}version")
    version = int(attribute) if attribute and ascii_number(attribute) else (int(note.group(2)) if note else None)
    if key and segment_id is not None and by_position.get(key, segment_id) != segment_id:
        raise _Problem(f"unit {unit.id!r} carries the note of segment {segment_id}, which is another segment; "
                       "keep ids and notes together", unit.line)
    return key, segment_id, version


def _review_unit(unit: XliffUnit, sources: dict[int, str], by_position: dict[str, int]) -> ReviewUnit:
    key, segment_id, version = _identify(unit, by_position)
    wanted = by_position.get(key) if key else segment_id
    codes = source_codes(sources.get(wanted or -1, ""))
    target = read_inline(unit.target, codes) if unit.target is not None else ""
    return ReviewUnit(key, read_inline(unit.source, codes), target, unit.approved, unit.line, segment_id, version)


def declared_id(session: Session, data: bytes, name: str) -> int:
    """The translation id an XLIFF file names (ReviewImportError when it names none)."""
    return read_xliff(session, data, name).translation_id()


def import_xliff(session: Session, data: bytes, name: str, reviewer: str, *, translation_id: int | None = None,
                 glossary=None) -> ReviewImportResult:
    """Apply a reviewed XLIFF file: all of it, or ReviewImportError listing every problem."""
    return apply_review(session, read_xliff(session, data, name), reviewer, translation_id=translation_id,
                        glossary=glossary)
