"""A draft in review made without a model: an article with inline markup, quotes and a number,
its segments written as machine output would be, one with a glossary term and one with a QA flag."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from gnews_i18n.articles.submission import submit
from gnews_i18n.intake import parse_article
from gnews_i18n.states import SegmentState, TranslationState
from gnews_i18n.store.db import Database
from gnews_i18n.store.models import Segment, Translation

ARTICLE = b"""---
title: Delegation visits Gyeonggi
slug: delegation-visit
lang: en
date: 2023-11-08
---

The <em>delegation</em> arrived on November 7. See <a href="https://example.org/r">the report</a>.

The minister said "welcome" to the 8 hospitals.
"""

SEGMENTS = [  # (block, sentence, source, machine draft, glossary terms, QA flags)
    (-1, 0, "Delegation visits Gyeonggi", "대표단, 경기도 방문",
     [{"source": "Gyeonggi", "target": "경기도", "how": "model"}], []),
    (0, 0, "The <em>delegation</em> arrived on November 7.", "<em>대표단</em>은 11월 7일에 도착했다.", [], []),
    (0, 1, 'See <a href="https://example.org/r">the report</a>.', '<a href="https://example.org/r">보고서</a>를 보라.',
     [], []),
    (1, 0, 'The minister said "welcome" to the 8 hospitals.', '장관은 9개 병원에 "환영합니다"라고 말했다.', [],
     [{"id": "number_mismatch", "severity": "error", "message": "source 8 → target 9"}]),
]


def make_review_draft(db: Database, lang: str = "ko") -> int:
    """A translation of ARTICLE into ``lang``, in review, with SEGMENTS as its machine drafts."""
    with db.session() as session:
        translation_id = submit(session, parse_article(ARTICLE, "delegation.md"), [lang],
                                submitted_by="editor1").translation_ids[0]
        translation = session.get(Translation, translation_id)
        for block, sentence, source, draft, terms, flags in SEGMENTS:
            session.add(Segment(translation_id=translation_id, block_index=block, sentence_index=sentence,
                                source_text=source, machine_text=draft, text=draft, state=SegmentState.MACHINE,
                                flags=flags, provenance={}, terms=terms, version=1))
        translation.state = TranslationState.IN_REVIEW
        translation.model_id = "test drafts"
    return translation_id


@contextmanager
def review_desk(tmp_path: Path) -> Iterator[tuple[Database, int]]:
    """A SQLite desk in ``tmp_path`` holding one such draft: (database, translation id)."""
    db = Database(f"sqlite:///{tmp_path / 'desk.sqlite'}")
    try:
        yield db, make_review_draft(db)
    finally:
        db.dispose()
