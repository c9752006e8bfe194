"""Review actions on a translation. Each checks the state it starts from."""

from __future__ import annotations

from sqlalchemy.orm import Session

from gnews_i18n.states import APPROVABLE, SegmentState, TranslationState
from gnews_i18n.store.models import Segment, Translation, utcnow


class ReviewError(RuntimeError):
    """A review action that does not apply now; the message says why."""


def get_translation(session: Session, translation_id: int) -> Translation:
    translation = session.get(Translation, translation_id)
    if translation is None:
        raise ReviewError(f"no translation {translation_id}; `gnews-i18n review list` shows those waiting")
    return translation


class StaleEdit(ReviewError):
    """The segment changed since the reviewer loaded it; their text is not saved."""


def edit_segment(
    session: Session, translation_id: int, position: str, text: str, reviewer: str,
    expected_version: int | None = None, glossary=None,
) -> Segment:
    """Replace a segment's text (``position`` is ``title`` or ``block.sentence``) and re-run QA."""
    from gnews_i18n.qa import check_pair
    from gnews_i18n.terms import Terminology

    translation = get_translation(session, translation_id)
    if translation.state not in APPROVABLE:
        raise ReviewError(f"translation {translation_id} is {translation.state}; only drafts in review can be edited")
    segment = next((s for s in translation.segments if _position(s) == position), None)
    if segment is None:
        raise ReviewError(f"translation {translation_id} has no segment {position!r}; "
                          f"`gnews-i18n review show {translation_id}` lists them")
    if not text.strip():
        raise ReviewError("the new text is empty; a segment cannot be blank")
    if expected_version is not None and segment.version != expected_version:
        raise StaleEdit(f"segment {position} was changed by someone else (now version {segment.version}: "
                        f"{segment.text!r}); reload it and edit again")
    src, tgt = translation.revision.article.source_lang, translation.target_lang
    terminology = Terminology(glossary, src, tgt) if glossary is not None else None
    kept = [f for f in segment.flags or [] if f.get("id") in ("name_suggested",)]
    segment.flags = kept + check_pair(segment.source_text, text, src, tgt, terminology)
    segment.text = text
    segment.state = SegmentState.EDITED
    segment.version += 1
    segment.provenance = {**(segment.provenance or {}), "edited_by": reviewer}
    return segment


def _position(segment: Segment) -> str:
    return "title" if segment.block_index < 0 else f"{segment.block_index}.{segment.sentence_index}"


def blocking_flags(translation: Translation) -> list[tuple[str, dict]]:
    """Error flags that stop approval: (segment position, flag)."""
    found = []
    for segment in translation.segments:
        where = _position(segment)
        found += [(where, f) for f in segment.flags or [] if f.get("severity") == "error"]
    return found


def approve(session: Session, translation_id: int, reviewer: str, override: str | None = None) -> Translation:
    """Approve every segment and the translation; the caller then enqueues publishing.

    Error flags from QA block approval unless ``override`` gives the reviewer's reason.
    """
    translation = get_translation(session, translation_id)
    if translation.state not in APPROVABLE:
        hint = {
            TranslationState.QUEUED: "it has not been translated yet",
            TranslationState.TRANSLATING: "it is being translated; wait until it is in_review",
            TranslationState.APPROVED: "it is approved already",
            TranslationState.PUBLISHED: "it is published already",
            TranslationState.OUTDATED: "a newer source revision exists; review that one's translation",
            TranslationState.FAILED: f"its translation failed: {translation.error}",
        }.get(translation.state, "")
        raise ReviewError(f"translation {translation_id} cannot be approved: {hint or translation.state}")
    blocking = blocking_flags(translation)
    if blocking and not (override and override.strip()):
        listed = "\n".join(f"  segment {where}: {f['id']}: {f['message']}" for where, f in blocking[:20])
        more = f"\n  … and {len(blocking) - 20} more" if len(blocking) > 20 else ""
        raise ReviewError(f"translation {translation_id} has {len(blocking)} error flag(s); fix the segments, or "
                          f"approve anyway with an override reason:\n{listed}{more}")
    translation.override_reason = override.strip() if blocking and override else None
    for segment in translation.segments:
        if segment.state != SegmentState.APPROVED:
            segment.state = SegmentState.APPROVED
            segment.version += 1
    translation.state = TranslationState.APPROVED
    translation.approved_by = reviewer
    translation.approved_at = utcnow()
    return translation
