"""Offline review through gettext PO files, for any PO editor: a translation's segments ↔ PO units.

Export: one entry per segment; ``msgctxt`` is the segment's position (``title``,
``2.0``), stable for the life of the translation; ``msgid`` the source, ``msgstr``
the current text; ``#.`` comments carry the segment version, glossary terms and QA
flags; ``fuzzy`` marks what is not approved yet. The header names the translation
and the source revision. Reading and writing PO itself is ``formats.po``.

Import is all or nothing: every entry is checked first (known context, unchanged
source, same translation and revision, nobody changed the segment meanwhile) and
only a clean file is applied. Clearing ``fuzzy`` approves a segment; a changed
``msgstr`` is an edit, checked again by QA.
"""

from __future__ import annotations

from sqlalchemy.orm import Session, object_session

from gnews_i18n import __version__
from gnews_i18n.formats.base import FormatError, Unit, UnitFile
from gnews_i18n.formats.po import HEADER_ARTICLE, HEADER_ID, HEADER_REVISION, plural_forms, read_po, write_po
from gnews_i18n.intake.document import block_role
from gnews_i18n.review.actions import PersonalDataInDraft, get_translation, position
from gnews_i18n.review.file_import import (
    SEGMENT_NOTE,
    ReviewFile,
    ReviewImportError,
    ReviewImportResult,
    ReviewUnit,
    apply_review,
    segment_note,
)
from gnews_i18n.review.personal_data import refusal, undecided_in
from gnews_i18n.states import SegmentState
from gnews_i18n.store.models import Translation, utcnow

__all__ = ["HEADER_ARTICLE", "HEADER_ID", "HEADER_REVISION", "PoImportError", "PoImportResult", "declared_id",
           "export_for", "export_po", "import_po"]

# The PO names of the shared import machinery (``review.file_import``), kept for callers.
PoImportError = ReviewImportError
PoImportResult = ReviewImportResult


def export_po(translation: Translation) -> str:
    if found := undecided_in(object_session(translation), translation):  # nothing undecided leaves (docs/privacy.md)
        raise PersonalDataInDraft(refusal(translation, found, "exported"), found)
    revision = translation.revision
    article = revision.article
    now = utcnow().strftime("%Y-%m-%d %H:%M+0000")
    header = {
        "Project-Id-Version": f"gnews-i18n {__version__}",
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": revision.created_at.strftime("%Y-%m-%d %H:%M+0000"),
        "PO-Revision-Date": now,
        "Last-Translator": translation.approved_by or "gnews-i18n machine translation",
        "Language-Team": f"gnews-i18n {translation.target_lang}",
        "Language": translation.target_lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": plural_forms(translation.target_lang),
        HEADER_ID: str(translation.id),
        HEADER_ARTICLE: article.slug,
        HEADER_REVISION: str(revision.number),
        "X-Gnews-Source-Language": article.source_lang,
    }
    comment = (f"{article.slug} (revision {revision.number}), {article.source_lang} → {translation.target_lang}.\n"
               "Clear the fuzzy flag to approve a segment; edit msgstr to correct it. Keep msgctxt and msgid.")
    units = []
    for segment in translation.segments:
        notes = [segment_note(segment.id, segment.version, segment.state)]
        if role := block_role(revision.blocks, segment.block_index):  # a photo's alt text or caption
            notes.append(role)
        notes += [f"term: {t.get('source')} → {t.get('target')}" for t in segment.terms or []]
        notes += [f"{f.get('severity')} {f.get('id')}: {f.get('message')}" for f in segment.flags or []]
        units.append(Unit(source=segment.source_text, target=segment.text, key=position(segment),
                          flags=[] if segment.state == SegmentState.APPROVED else ["fuzzy"],
                          notes=notes))
    return write_po(header, comment, units)


def _read(data: bytes | str, name: str) -> UnitFile:
    try:
        return read_po(data, name)
    except FormatError as error:
        raise PoImportError(name, [str(problem) for problem in error.problems]) from None


def declared_id(data: bytes | str, name: str) -> int:
    """The translation id a PO file's header names (PoImportError when it names none)."""
    return _review_file(_read(data, name)).translation_id()


def _review_file(po: UnitFile) -> ReviewFile:
    units = []
    for unit in po.units:
        note = next((m for line in unit.notes if (m := SEGMENT_NOTE.match(line))), None)
        units.append(ReviewUnit(
            key=unit.key, source=unit.source, target=unit.target, approved="fuzzy" not in unit.flags,
            line=unit.line, segment_id=int(note.group(1)) if note else None,
            version=int(note.group(2)) if note else None))
    return ReviewFile(po.name, (po.header.get(HEADER_ID) or "").strip(), (po.header.get(HEADER_REVISION) or ""),
                      units, header_line=po.header_lines.get(HEADER_ID, 0))


def import_po(
    session: Session, data: bytes | str, name: str, reviewer: str, *,
    translation_id: int | None = None, glossary=None,
) -> PoImportResult:
    """Apply a reviewed PO file; raises PoImportError (nothing applied) listing every problem.
    A file whose msgctxt were dropped on the way (po2xliff → xliff2po) is matched by the
    segment named in each entry's ``#.`` comment."""
    return apply_review(session, _review_file(_read(data, name)), reviewer, translation_id=translation_id,
                        glossary=glossary)


def export_for(session: Session, translation_id: int) -> str:
    return export_po(get_translation(session, translation_id))
