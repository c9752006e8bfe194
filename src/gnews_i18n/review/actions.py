"""Review actions on a translation. Each checks the state it starts from.

Segment saves are compare-and-set on the segment's version (one UPDATE … WHERE
version = expected), so of two reviewers saving from the same version one wins and
the other gets ``StaleEdit`` with the winner's text: never a lost update, on
PostgreSQL's row locks as on SQLite's single writer.

An edit and an approval of the same draft serialize on the translation's row: edits hold
it shared (``FOR SHARE``), approval exclusively (``FOR UPDATE``), and approval then takes
every segment by compare-and-set too. So an edit that lands first is part of what is
approved (and remembered), and one that comes later is refused; never an approved
translation holding text nobody approved. (SQLite ignores the row locks; there the
edit's UPDATE itself requires the draft to be editable, checked under its one writer lock.)
"""

from __future__ import annotations

from sqlalchemy import exists, select, update
from sqlalchemy.orm import Session, object_session

from gnews_i18n.config import load_settings
from gnews_i18n.intake.document import position_label
from gnews_i18n.memory import remember_translation
from gnews_i18n.privacy.guard import Guard, decided_fingerprints
from gnews_i18n.qa import QAContext, check_pair
from gnews_i18n.review.corrections import carried_override
from gnews_i18n.review.personal_data import PERSONAL_DATA, refusal, segment_flags, undecided_in
from gnews_i18n.states import APPROVABLE, SegmentState, TranslationState, requeue
from gnews_i18n.store.models import Comment, Segment, SegmentChange, Translation, utcnow
from gnews_i18n.terms import Terminology
from gnews_i18n.terms.files import cached_registry


class ReviewError(RuntimeError):
    """A review action that does not apply now; the message says why."""

class PersonalDataInDraft(ReviewError):
    """A draft carries personal data nobody allowed, so it is not approved or exported."""
    def __init__(self, message: str, located: list | None = None):
        super().__init__(message)
        self.located = located or []

class NotFound(ReviewError):
    """No such translation or segment."""

class StaleEdit(ReviewError):
    """The segment changed since the reviewer loaded it; their text is not saved."""
    def __init__(self, message: str, current_text: str = "", current_version: int = 0):
        super().__init__(message)
        self.current_text = current_text
        self.current_version = current_version


def get_translation(session: Session, translation_id: int) -> Translation:
    translation = session.get(Translation, translation_id)
    if translation is None:
        raise NotFound(f"no translation {translation_id}; `gnews-i18n review list` shows those waiting")
    return translation


def lock_translation(session: Session, translation_id: int, *, exclusive: bool) -> Translation:
    """The translation read afresh under a row lock held until the transaction ends:
    shared for segment changes, exclusive for approval (a no-op on SQLite)."""
    translation = session.scalars(
        select(Translation).where(Translation.id == translation_id)
        .with_for_update(read=not exclusive).execution_options(populate_existing=True)
    ).one_or_none()
    if translation is None:
        raise NotFound(f"no translation {translation_id}; `gnews-i18n review list` shows those waiting")
    return translation


def _fresh_segments(session: Session, translation_id: int) -> list[Segment]:
    return list(session.scalars(
        select(Segment).where(Segment.translation_id == translation_id)
        .order_by(Segment.block_index, Segment.sentence_index).execution_options(populate_existing=True)
    ))


def _still_editable(translation_id: int):
    """An UPDATE condition: the draft is still in review when the row is written."""
    return exists(select(Translation.id).where(Translation.id == translation_id,
                                               Translation.state.in_(list(APPROVABLE))))


def position(segment: Segment) -> str:
    """How people name a segment: ``title``, ``byline``, ``correction`` or ``block.sentence``."""
    return position_label(segment.block_index, segment.sentence_index)


def find_segment(translation: Translation, ref: str | int) -> Segment:
    """A segment by position (``title``, ``2.0``) or by its numeric id."""
    wanted = str(ref)
    segment = next((s for s in translation.segments if position(s) == wanted or str(s.id) == wanted), None)
    if segment is None:
        raise NotFound(f"translation {translation.id} has no segment {wanted!r}; "
                          f"`gnews-i18n review show {translation.id}` lists them")
    return segment


def _editable(translation: Translation) -> None:
    if translation.state not in APPROVABLE:
        raise ReviewError(f"translation {translation.id} is {translation.state}; only drafts in review can be changed")


def recheck(segment: Segment, text: str, src: str, tgt: str, glossary=None) -> list[dict]:
    """QA flags for ``text`` as a person's translation of the segment (suggested names are kept),
    with the article's date and the article's text before the segment as context."""
    terminology = Terminology(glossary, src, tgt, registry=_registry()) if glossary is not None else None
    kept = [f for f in segment.flags or [] if f.get("id") in ("name_suggested",)]
    article_id = segment.translation.revision.article_id
    session = object_session(segment)
    decided = decided_fingerprints(session, article_id) if session is not None else set()
    return (kept + check_pair(segment.source_text, text, src, tgt, terminology, article_context(segment))
            + segment_flags(segment, Guard.from_settings(), decided, article_id, target=text))


def _registry():
    """The people registry the desk checks titles against (none configured: None)."""
    return cached_registry(load_settings().people_paths)


def article_context(segment: Segment, origin: str = "human"):
    """The QA context of a segment: its article's date and the segments before it."""
    translation = segment.translation
    order = (segment.block_index, segment.sentence_index)
    earlier = sorted((s for s in translation.segments if (s.block_index, s.sentence_index) < order),
                     key=lambda s: (s.block_index, s.sentence_index))
    return QAContext(translation.revision.article_date, origin, " ".join(s.source_text for s in earlier),
                     " ".join(s.text or "" for s in earlier))


def edit_segment(
    session: Session, translation_id: int, ref: str | int, text: str, reviewer: str,
    expected_version: int | None = None, glossary=None, action: str = "edit",
) -> Segment:
    """Replace a segment's text and re-run QA. ``expected_version`` is the version the
    reviewer started from (default: the one read now); if the segment moved on, StaleEdit."""
    translation = lock_translation(session, translation_id, exclusive=False)
    _editable(translation)
    segment = find_segment(translation, ref)
    text = text.strip()
    if not text:
        raise ReviewError("the new text is empty; a segment cannot be blank")
    expected = segment.version if expected_version is None else expected_version
    src, tgt = translation.revision.article.source_lang, translation.target_lang
    flags = recheck(segment, text, src, tgt, glossary)
    provenance = {**(segment.provenance or {}), "edited_by": reviewer}
    result = session.execute(
        update(Segment)
        .where(Segment.id == segment.id, Segment.version == expected, _still_editable(translation_id))
        .values(text=text, flags=flags, state=SegmentState.EDITED, version=Segment.version + 1,
                provenance=provenance)
        .execution_options(synchronize_session=False)
    )
    session.refresh(segment)
    if result.rowcount != 1:
        _editable(lock_translation(session, translation_id, exclusive=False))  # approved meanwhile?
        raise StaleEdit(
            f"segment {position(segment)} was changed by someone else (now version {segment.version}: "
            f"{segment.text!r}); reload it and edit again", segment.text, segment.version)
    _record(session, segment, action, reviewer)
    return segment


def approve_segment(session: Session, translation_id: int, ref: str | int, reviewer: str,
                    expected_version: int | None = None) -> Segment:
    """Mark one segment approved as it stands (its flags stay visible)."""
    translation = lock_translation(session, translation_id, exclusive=False)
    _editable(translation)
    segment = find_segment(translation, ref)
    if segment.state == SegmentState.APPROVED:
        return segment
    expected = segment.version if expected_version is None else expected_version
    result = session.execute(
        update(Segment).where(Segment.id == segment.id, Segment.version == expected, _still_editable(translation_id))
        .values(state=SegmentState.APPROVED, version=Segment.version + 1)
        .execution_options(synchronize_session=False)
    )
    session.refresh(segment)
    if result.rowcount != 1:
        raise StaleEdit(f"segment {position(segment)} changed before your approval (now: {segment.text!r}); "
                        "read it again", segment.text, segment.version)
    _record(session, segment, "approve", reviewer)
    return segment


def _record(session: Session, segment: Segment, action: str, author: str) -> None:
    session.add(SegmentChange(segment_id=segment.id, translation_id=segment.translation_id,
                              version=segment.version, action=action, text=segment.text, author=author))


def blocking_flags(segments: list[Segment]) -> list[tuple[str, dict]]:
    """Error flags that stop approval: (segment position, flag). Personal data is not among them:
    approval checks it afresh (``personal_data.undecided_in``), and no override passes it; nor is one
    an earlier approval overrode on the same source and text, carried by a correction
    (``corrections.carry_approved``)."""
    found = []
    for segment in segments:
        found += [(position(segment), f) for f in segment.flags or [] if f.get("severity") == "error"
                  and f.get("id") != PERSONAL_DATA and not f.get("overridden")]
    return found


def approve(session: Session, translation_id: int, reviewer: str, override: str | None = None,
            seen_versions: dict[int, int] | None = None) -> Translation:
    """Approve every segment and the translation, and remember them in the translation memory;
    the caller then enqueues publishing. QA error flags block approval unless ``override``
    gives the reviewer's reason. ``seen_versions`` (segment id → version the reviewer read)
    refuses the approval if any of those segments changed since.
    """
    translation = lock_translation(session, translation_id, exclusive=True)
    if translation.state not in APPROVABLE:
        raise ReviewError(f"translation {translation_id} cannot be approved: {_why_not(translation)}")
    # Claim the state change first, so two reviewers approving at once cannot both succeed
    # (on SQLite this also takes the writer lock: no edit lands from here to the commit).
    claimed = session.execute(
        update(Translation).where(Translation.id == translation_id, Translation.state == translation.state)
        .values(state=TranslationState.APPROVED).execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise ReviewError(f"translation {translation_id} changed state meanwhile; reload it")
    segments = _fresh_segments(session, translation_id)  # read after the lock: every edit that landed
    undecided = undecided_in(session, translation, segments)
    if undecided:  # an override reason is for QA errors; personal data needs a person's decision
        raise PersonalDataInDraft(refusal(translation, undecided, "approved"), undecided)
    blocking = blocking_flags(segments)
    if blocking and not (override and override.strip()):
        listed = "\n".join(f"  segment {where}: {f['id']}: {f['message']}" for where, f in blocking[:20])
        more = f"\n  … and {len(blocking) - 20} more" if len(blocking) > 20 else ""
        raise ReviewError(f"translation {translation_id} has {len(blocking)} error flag(s); fix the segments, or "
                          f"approve anyway with an override reason:\n{listed}{more}")
    for segment in segments:
        expected = (seen_versions or {}).get(segment.id, segment.version)
        if segment.state == SegmentState.APPROVED and expected == segment.version:
            continue
        taken = session.execute(
            update(Segment).where(Segment.id == segment.id, Segment.version == expected)
            .values(state=SegmentState.APPROVED, version=Segment.version + 1)
            .execution_options(synchronize_session=False)
        )
        session.refresh(segment)
        if taken.rowcount != 1:
            raise StaleEdit(f"segment {position(segment)} changed before your approval (now version "
                            f"{segment.version}: {segment.text!r}); read it again", segment.text, segment.version)
        _record(session, segment, "approve", reviewer)
    session.refresh(translation)
    translation.override_reason = override.strip() if blocking and override else carried_override(segments)
    translation.approved_by = reviewer
    translation.approved_at = utcnow()
    remember_translation(session, translation, reviewer)
    return translation


def _why_not(translation: Translation) -> str:
    return {
        TranslationState.QUEUED: "it has not been translated yet",
        TranslationState.TRANSLATING: "it is being translated; wait until it is in_review",
        TranslationState.APPROVED: "it is approved already",
        TranslationState.PUBLISHED: "it is published already",
        TranslationState.OUTDATED: "a newer source revision exists; review that one's translation",
        TranslationState.FAILED: f"its translation failed: {translation.error}",
    }.get(translation.state, translation.state)


def request_changes(session: Session, translation_id: int, comment: str, reviewer: str,
                    retranslate: bool = False) -> Translation:
    """Send a draft back with a comment saying what is wrong: to the translators (it stays
    editable), or with ``retranslate`` to machine translation again (the caller enqueues the
    job; the segments keep their ids and history, and their text is replaced)."""
    translation = get_translation(session, translation_id)
    if translation.state != TranslationState.IN_REVIEW:
        raise ReviewError(f"translation {translation_id} is {translation.state}; changes can be requested only "
                          "on a draft in review")
    if not comment.strip():
        raise ReviewError("say what should change: the comment is empty")
    if retranslate:
        requeue(translation)
    else:
        translation.state = TranslationState.CHANGES_REQUESTED
    session.add(Comment(translation_id=translation_id, author=reviewer, body=comment.strip()))
    return translation


def retry_failed(session: Session, translation_id: int) -> Translation:
    """Give a failed translation another run (after its cause is fixed); the caller enqueues it."""
    translation = get_translation(session, translation_id)
    if translation.state != TranslationState.FAILED:
        raise ReviewError(f"translation {translation_id} is {translation.state}; only a failed one is tried again")
    requeue(translation)
    return translation


def add_comment(session: Session, translation_id: int, body: str, author: str,
                segment_ref: str | int | None = None) -> Comment:
    translation = get_translation(session, translation_id)
    if not body.strip():
        raise ReviewError("the comment is empty")
    segment = find_segment(translation, segment_ref) if segment_ref is not None else None
    comment = Comment(translation_id=translation_id, segment_id=segment.id if segment else None,
                      author=author, body=body.strip())
    session.add(comment)
    session.flush()
    return comment


def comments_of(session: Session, translation_id: int) -> list[Comment]:
    return list(session.scalars(select(Comment).where(Comment.translation_id == translation_id)
                                .order_by(Comment.created_at, Comment.id)))


def history_of(session: Session, translation_id: int) -> list[SegmentChange]:
    return list(session.scalars(select(SegmentChange).where(SegmentChange.translation_id == translation_id)
                                .order_by(SegmentChange.created_at, SegmentChange.id)))
