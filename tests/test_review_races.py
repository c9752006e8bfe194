"""An edit and an approval of the same draft at the same instant, 50 times, on SQLite and PostgreSQL.

Before approval locked what it approves, PostgreSQL sometimes kept both (the segment held the
edit while the approval and the translation memory recorded the machine text), or let the edit
land after the approval. Now exactly one of the two wins each time, and an approved translation
holds only approved text, which is also what the memory remembers."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from gnews_i18n.review.actions import ReviewError, approve, edit_segment
from gnews_i18n.states import SegmentState, TranslationState
from gnews_i18n.store.models import Article, ArticleRevision, MemoryEntry, Segment, Translation

TRIALS = 50
MACHINE = "기계가 번역한 문장 {n}."
EDITED = "검토자가 고친 문장 {n}."


def _make_draft(db, n: int) -> tuple[int, int, int]:
    """A draft in review with two segments, no model needed; returns (translation, segment, its version)."""
    with db.session() as session:
        article = Article(slug=f"race-{n}", source_lang="en")
        revision = ArticleRevision(article=article, number=1, title=f"Race {n}", source_format="text",
                                   blocks=[], checksum=f"{n:064d}", submitted_by="editor")
        translation = Translation(revision=revision, target_lang="ko", state=TranslationState.IN_REVIEW)
        session.add(article)
        for index in range(2):
            session.add(Segment(translation=translation, block_index=0, sentence_index=index,
                                source_text=f"Sentence {index} of race {n}.", machine_text=MACHINE.format(n=n),
                                text=MACHINE.format(n=n), state=SegmentState.MACHINE, flags=[], version=1))
        session.flush()
        segment = min(translation.segments, key=lambda s: s.sentence_index)
        return translation.id, segment.id, segment.version


def _race(db, translation_id: int, segment_id: int, version: int) -> dict[str, object]:
    """Run the edit and the approval from the same starting point, released together."""
    start = threading.Barrier(2)
    outcome: dict[str, object] = {}

    def edit() -> None:
        start.wait()
        try:
            with db.session() as session:
                edit_segment(session, translation_id, segment_id, EDITED.format(n=translation_id), "kim",
                             expected_version=version)
            outcome["edit"] = "ok"
        except ReviewError as error:
            outcome["edit"] = type(error).__name__

    def approve_draft() -> None:
        start.wait()
        try:
            with db.session() as session:
                approve(session, translation_id, "lee", seen_versions={segment_id: version})
            outcome["approve"] = "ok"
        except ReviewError as error:
            outcome["approve"] = type(error).__name__

    threads = [threading.Thread(target=edit), threading.Thread(target=approve_draft)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return outcome


@pytest.mark.slow
def test_edit_and_approve_at_the_same_instant_never_disagree(db):
    wins = {"edit": 0, "approve": 0}
    for n in range(TRIALS):
        translation_id, segment_id, version = _make_draft(db, n)
        outcome = _race(db, translation_id, segment_id, version)
        winners = [action for action, result in outcome.items() if result == "ok"]
        assert len(winners) == 1, f"trial {n}: {outcome}"
        wins[winners[0]] += 1
        with db.session() as session:
            translation = session.get(Translation, translation_id)
            segments = session.scalars(select(Segment).where(Segment.translation_id == translation_id)).all()
            remembered = {e.source_text: e.target_text for e in session.scalars(select(MemoryEntry))}
            edited = session.get(Segment, segment_id)
            if winners == ["approve"]:
                assert translation.state == TranslationState.APPROVED
                assert edited.text == MACHINE.format(n=n)
                assert all(s.state == SegmentState.APPROVED for s in segments)
                assert all(remembered[s.source_text] == s.text for s in segments)  # memory = approved text
            else:
                assert translation.state == TranslationState.IN_REVIEW
                assert edited.text == EDITED.format(n=translation_id) and edited.state == SegmentState.EDITED
                assert all(s.source_text not in remembered for s in segments)
    print(f"\nedit/approve races on {db.engine.dialect.name}: {TRIALS} trials, edit won {wins['edit']}, "
          f"approve won {wins['approve']}, inconsistent 0")
