"""Review actions on a translation. Each checks the state it starts from."""

from __future__ import annotations

from sqlalchemy.orm import Session

from gnews_i18n.states import APPROVABLE, SegmentState, TranslationState
from gnews_i18n.store.models import Translation, utcnow


class ReviewError(RuntimeError):
    """A review action that does not apply now; the message says why."""


def get_translation(session: Session, translation_id: int) -> Translation:
    translation = session.get(Translation, translation_id)
    if translation is None:
        raise ReviewError(f"no translation {translation_id}; `gnews-i18n review list` shows those waiting")
    return translation


def blocking_flags(translation: Translation) -> list[tuple[str, dict]]:
    """Error flags that stop approval: (segment position, flag)."""
    found = []
    for segment in translation.segments:
        where = "title" if segment.block_index < 0 else f"{segment.block_index}.{segment.sentence_index}"
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
