"""Outputs that leave the desk carry text, never live markup or forged headers: RSS descriptions
(a hostile title, summary or correction note) and e-mail headers (issue titles, sender and
recipient names)."""

from __future__ import annotations

import datetime as dt
import html

import feedparser
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from sqlalchemy import select

from gnews_i18n.articles.submission import submit
from gnews_i18n.config import load_settings
from gnews_i18n.intake import parse_article
from gnews_i18n.newsletter.issues import add_article, create_issue, release
from gnews_i18n.publish import Publisher
from gnews_i18n.review.actions import approve
from gnews_i18n.store.models import Segment, Translation
from gnews_i18n.worker.job import run_translation

from conftest import EN_SAMPLE

HOSTILE_TITLE = '<img src=x onerror="alert(1)">제목'
HOSTILE_SUMMARY = "<script>alert(2)</script>요약"  # as text: block text is markup, so a reviewer types it escaped
HOSTILE_NOTE = '<img src=y onerror="alert(3)">정정'


def _edit_and_approve(db, translation_id: int, texts: dict[int, str]) -> None:
    """A reviewer's edits of each block's first sentence, by block index (-1 is the title), then approval."""
    with db.session() as session:
        for segment in session.scalars(select(Segment).where(Segment.translation_id == translation_id)):
            if segment.block_index in texts and segment.sentence_index == 0:
                segment.text = texts[segment.block_index]
            elif segment.block_index not in texts and segment.state != "approved":
                segment.text = segment.text or "본문"
        approve(session, translation_id, "reviewer", override="random test model")


def _publish(db, article_id: int) -> None:
    publisher = Publisher(load_settings())
    with publisher.directory.lock(), db.session() as session:
        publisher.publish_article(session, article_id, "ko")


def _assert_inert(description: str) -> None:
    """The description as a feed reader renders it: HTML with no element and no event handler."""
    assert "<script" not in description and "<img" not in description, description
    tree = HTMLParser(f"<div id=d>{description}</div>")
    assert tree.css("script, img, [onerror]") == [], description


def test_a_hostile_title_summary_or_correction_note_reaches_rss_readers_as_text(db, draft, gnews_env):
    with db.session() as session:
        body = set(session.scalars(select(Segment.block_index).where(Segment.translation_id == draft,
                                                                      Segment.block_index >= 0)))
        article_id = session.get(Translation, draft).revision.article_id
    _edit_and_approve(db, draft, {-1: HOSTILE_TITLE} | dict.fromkeys(body, html.escape(HOSTILE_SUMMARY)))
    with db.session() as session:  # an issue entry's description lists its articles' titles
        issue = create_issue(session, 7, dt.date(2023, 11, 30), {"ko": "제7호"}, ["ko"])
        add_article(session, issue, article_id)
        release(session, issue, "pub")
    _publish(db, article_id)

    corrected = EN_SAMPLE.read_text().replace("visited Gyeonggi-do", "visited Gyeonggi Province", 1)
    with db.session() as session:
        second = submit(session, parse_article(corrected.encode(), EN_SAMPLE.name), ["ko"], submitted_by="editor1",
                        correction="The wording was corrected.")
    run_translation(db, load_settings(), second.translation_ids[0], "w")
    with db.session() as session:
        note = session.scalar(select(Segment.block_index).where(
            Segment.translation_id == second.translation_ids[0], Segment.source_text == "The wording was corrected."))
    _edit_and_approve(db, second.translation_ids[0], dict.fromkeys(body, html.escape(HOSTILE_SUMMARY))
                      | {-1: HOSTILE_TITLE, note: HOSTILE_NOTE})
    _publish(db, article_id)

    xml = (load_settings().publish_dir / "ko" / "feed.xml").read_bytes()
    feed = feedparser.parse(xml, sanitize_html=False)  # what a reader that trusts the feed would render
    assert feed.bozo == 0, feed.get("bozo_exception")
    descriptions = [entry.description for entry in feed.entries]
    assert len(descriptions) == 2  # the article and the issue
    for description in descriptions:
        _assert_inert(description)
    shown = " ".join(HTMLParser(f"<div>{d}</div>").text() for d in descriptions)
    for text in (HOSTILE_TITLE, HOSTILE_SUMMARY, HOSTILE_NOTE):
        assert text in shown  # the words are kept, as text
