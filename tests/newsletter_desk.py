"""Articles with translations made directly in the store (no model, no worker), for newsletter tests."""

from __future__ import annotations

import datetime as dt

from gnews_i18n.articles.submission import submit
from gnews_i18n.intake import parse_article
from gnews_i18n.states import SegmentState, TranslationState
from gnews_i18n.store.db import Database
from gnews_i18n.store.models import Segment, Translation


def article_text(n: int) -> bytes:
    return (f"---\ntitle: Clinic news {n}\nslug: clinic-{n}\nlang: en\ndate: 2023-11-{n:02d}\n---\n\n"
            f"Hospital {n} opened a new ward on November {n}.\n\nIt has {n * 10} beds.\n").encode()


def add_article(db: Database, n: int, langs: list[str], approved: list[str]) -> int:
    """Article ``n`` in English with translations into ``langs``; those in ``approved`` are approved
    (segments written as a reviewer would), the others wait in review. Returns the article id."""
    with db.session() as session:
        result = submit(session, parse_article(article_text(n), f"clinic-{n}.md"), langs, submitted_by="ed")
        for translation_id in result.translation_ids:
            translation = session.get(Translation, translation_id)
            lang = translation.target_lang
            for block, sentence, source in [(-1, 0, f"Clinic news {n}"),
                                            (0, 0, f"Hospital {n} opened a new ward on November {n}."),
                                            (1, 0, f"It has {n * 10} beds.")]:
                text = f"[{lang}] {source}"
                session.add(Segment(translation_id=translation_id, block_index=block, sentence_index=sentence,
                                    source_text=source, machine_text=text, text=text,
                                    state=SegmentState.APPROVED if lang in approved else SegmentState.MACHINE,
                                    flags=[], provenance={}, terms=[], version=1))
            if lang in approved:
                translation.state = TranslationState.APPROVED
                translation.approved_by, translation.approved_at = "rev", dt.datetime(2023, 11, 20, 9, 0)
            else:
                translation.state = TranslationState.IN_REVIEW
        return result.article_id


def approve(db: Database, article_id: int, lang: str) -> None:
    with db.session() as session:
        for translation in session.query(Translation).filter_by(target_lang=lang):
            if translation.revision.article_id == article_id:
                translation.state = TranslationState.APPROVED
                translation.approved_at = dt.datetime(2023, 11, 21, 9, 0)
                for segment in translation.segments:
                    segment.state = SegmentState.APPROVED
