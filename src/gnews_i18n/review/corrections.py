"""A correction's draft: what stays approved, and what goes back to review.

When a correction (a new source revision with a note) has been machine-translated, each
segment whose source sentence is unchanged takes the approved text of the language's
previous approved translation, approved; only changed sentences and the note wait for a
reviewer. Where that approval overrode QA errors with a reason, the carried sentence (the
same source, the same approved text) carries the override too: its error flags say who
accepted them and why, the history says "carry+override", and approving the correction
asks for no second reason for them. The author/department line is flagged when the glossary does not cover it, so
a reviewer checks a machine-made department name before it reaches a byline.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from gnews_i18n.flags import flag
from gnews_i18n.intake.document import BYLINE_BLOCK, CORRECTION_BLOCK
from gnews_i18n.states import SegmentState
from gnews_i18n.store.models import Segment, SegmentChange, Translation

CARRIER = "correction"  # author of the history entries of carried segments
_WORD = re.compile(r"\w")


def previous_approved(translation: Translation) -> Translation | None:
    """The newest approved translation into the same language of an earlier revision."""
    number = translation.revision.number
    for revision in reversed(translation.revision.article.revisions):
        if revision.number >= number:
            continue
        for older in revision.translations:
            if older.target_lang == translation.target_lang and older.approved_at is not None:
                return older
    return None


def carry_approved(session: Session, translation: Translation, segments: list[Segment]) -> int:
    """Unchanged sentences of a correction keep their approved text; returns how many."""
    if not translation.revision.correction:
        return 0
    before = previous_approved(translation)
    if before is None:
        return 0
    approved: dict[str, Segment] = {}
    for old in before.segments:
        if old.block_index != CORRECTION_BLOCK and old.state == SegmentState.APPROVED:
            approved.setdefault(old.source_text, old)
    override = {"reason": before.override_reason, "by": before.approved_by, "translation": before.id} \
        if before.override_reason else None
    carried = 0
    for segment in segments:
        old = approved.get(segment.source_text) if segment.block_index != CORRECTION_BLOCK else None
        if old is None:
            continue
        flags = [_overridden(f, override) for f in old.flags or []]
        segment.text, segment.flags, segment.terms = old.text, flags, list(old.terms or [])
        segment.state = SegmentState.APPROVED
        segment.provenance = {**(old.provenance or {}), "carried_from": before.id}
        action = "carry+override" if any(f.get("overridden") for f in flags) else "carry"
        session.add(SegmentChange(segment_id=segment.id, translation_id=translation.id, version=segment.version,
                                  action=action, text=segment.text, author=CARRIER))
        carried += 1
    return carried


def _overridden(item: dict, override: dict | None) -> dict:
    """An error flag the previous approval overrode, marked with that override (the same source and
    text: the reviewer's reason still holds); other flags as they were."""
    if override is None or item.get("severity") != "error":
        return dict(item)
    note = f" (overridden by {override['by']} on translation {override['translation']}: {override['reason']})"
    return {**item, "overridden": override, "message": f"{item.get('message', '')}{note}"}


def carried_override(segments: list[Segment]) -> str | None:
    """The reason carried with overridden flags, as the correction's approval records it."""
    for segment in segments:
        for item in segment.flags or []:
            if item.get("overridden"):
                found = item["overridden"]
                return f"carried from translation {found['translation']} ({found['by']}): {found['reason']}"
    return None


def byline_unknown(segment: Segment) -> bool:
    """True when glossary terms do not cover the whole author/department line."""
    rest = segment.source_text
    for hit in segment.terms or []:
        rest = rest.replace(hit.get("source") or "\0", " ")
    return bool(_WORD.search(rest))


def flag_byline(segments: list[Segment]) -> None:
    for segment in segments:
        if segment.block_index != BYLINE_BLOCK or segment.state == SegmentState.APPROVED:
            continue
        if byline_unknown(segment) and not any(f.get("id") == "byline_unknown" for f in segment.flags or []):
            segment.flags = [*(segment.flags or []), flag(
                "byline_unknown", "warning",
                "the author/department line is not in the glossary: check this translation, and add the "
                "name to the glossary (type institution) so the next article gets it right",
                segment.source_text, segment.text)]


def prepare_draft(session: Session, translation_id: int) -> None:
    """After machine translation, before review: carry what a correction left unchanged, flag the byline."""
    session.flush()
    translation = session.get(Translation, translation_id)
    segments = list(session.scalars(select(Segment).where(Segment.translation_id == translation_id)
                                    .order_by(Segment.block_index, Segment.sentence_index)))
    carry_approved(session, translation, segments)
    flag_byline(segments)
