"""Outputs that leave the desk carry text, never live markup or forged headers: RSS descriptions
(a hostile title, summary or correction note) and e-mail headers (issue titles, sender and
recipient names)."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import html
import json
import re

import feedparser
import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from sqlalchemy import select

import test_newsletter_mail
from gnews_i18n.articles.submission import submit
from gnews_i18n.config import load_settings
from gnews_i18n.intake import parse_article
from gnews_i18n.newsletter.issues import add_article, create_issue, release
from gnews_i18n.publish import Publisher
from gnews_i18n.review.actions import approve
from gnews_i18n.store.models import Issue, Segment, Translation
from gnews_i18n.worker.job import run_translation

from conftest import EN_SAMPLE, api_desk, run_cli

Inbox = test_newsletter_mail.Inbox
released, smtp = test_newsletter_mail.released, test_newsletter_mail.smtp  # the released issue 27, an SMTP inbox

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


# E-mail headers ---------------------------------------------------------------------------------

INJECTED = "Vol. 27\r\nBcc: everyone@example.org"


def _csrf(page: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


@pytest.fixture
def issue_desk(db, tmp_path, monkeypatch):
    env = {"GNEWS_DATA_DIR": str(tmp_path / "var"), "GNEWS_PUBLISH_DIR": str(tmp_path / "public"),
           "GNEWS_DATABASE_URL": db.url, "GNEWS_COOKIE_SECURE": "0", "GNEWS_SITE_URL": "https://news.example.org",
           "GNEWS_BROKER_URL": f"filesystem://{tmp_path / 'broker'}"}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with api_desk(db, [("ed", ["editor"], [])]) as (client, tokens):
        yield client, tokens, env


def test_an_issue_title_with_a_line_break_is_refused_at_every_door(issue_desk, db):
    client, tokens, env = issue_desk
    answer = client.post("/api/issues", json={"number": 27, "titles": {"en": INJECTED}}, headers=tokens["ed"])
    assert answer.status_code == 422, answer.text
    problem = answer.json()
    assert "titles" in json.dumps(problem) and "control character (U+000D) at character 8" in json.dumps(problem)

    page = client.get("/login")
    client.post("/login", data={"name": "ed", "password": "ed-password", "csrf": _csrf(page.text)})
    form = client.get("/issues")
    assert form.status_code == 200, form.text
    shown = client.post("/issues", data={"csrf": _csrf(form.text), "number": "28", "title": "Vol. 28\nBcc: x"})
    assert "control character (U+000A)" in html.unescape(shown.text)

    token = tokens["ed"]["Authorization"].split()[1]
    cli = run_cli({**env, "GNEWS_TOKEN": token, "COLUMNS": "400"},
                  "issue", "create", "29", "--title", "en=Vol. 29\rBcc: x")
    assert cli.returncode == 1 and "en title of the issue contains a control character (U+000D)" in cli.stderr
    assert "Traceback" not in cli.stderr
    with db.session() as session:
        assert session.scalars(select(Issue.number)).all() == []  # nothing was made at any door


def test_header_fields_with_line_breaks_are_refused_and_unsubscribe_urls_stay_readable(released, smtp, tmp_path):
    db, _, env = released
    inbox = Inbox()
    run = {**env, "GNEWS_SMTP_URL": smtp(inbox), "COLUMNS": "400"}
    readers = tmp_path / "readers.csv"
    readers.write_text('email,lang,name\nann@example.org,ko,Ann\nbob@example.org,en,"Bob\r\nBcc: x@example.org"\n',
                       encoding="utf-8")
    bad_file = run_cli(run, "issue", "email", "27", "--recipients", str(readers))
    assert bad_file.returncode == 1 and "Traceback" not in bad_file.stderr
    assert f"{readers}:3: the name of bob@example.org contains a control character (U+000A)" in bad_file.stderr
    bad_sender = run_cli({**run, "GNEWS_NEWSLETTER_NAME": "News\nBcc: x@example.org"},
                         "issue", "email", "27", "--recipients", str(readers))
    assert bad_sender.returncode == 1 and "GNEWS_NEWSLETTER_NAME contains a control character" in bad_sender.stderr
    assert "Traceback" not in bad_sender.stderr
    assert inbox.received == []

    readers.write_text("email,lang,name\nann.with.a.rather.long.address@hospital.example.org,ko,Ann\n")
    with db.session() as session:  # a title stored before the doors checked goes out on one line
        issue = session.scalar(select(Issue).where(Issue.number == 27))
        issue.titles = {**issue.titles, "ko": "제27호\r\nBcc: x@example.org"}
    sent = run_cli(run, "issue", "email", "27", "--recipients", str(readers))
    assert sent.returncode == 0, sent.stderr
    [(_, raw)] = inbox.received
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["Subject"] == "제27호 Bcc: x@example.org" and "Bcc" not in message
    unsubscribe = message["List-Unsubscribe"]
    assert "=?" not in raw.split(b"List-Unsubscribe:")[1].split(b"\n ")[0].decode()  # not RFC 2047-encoded
    first = unsubscribe.split(",")[0]
    assert first.startswith("<https://news.example.org/unsubscribe?") and first.endswith(">")
    assert "email=ann.with.a.rather.long.address%40hospital.example.org" in first and len(first) > 78
