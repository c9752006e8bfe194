"""Corrections: a new source revision with a note; only what changed goes back to review, and every
edition that carries it shows a dated notice in its language (pages, feeds, issue pages, webhooks)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from gnews_i18n.articles.submission import submit
from gnews_i18n.config import load_settings
from gnews_i18n.intake import IntakeError, parse_article
from gnews_i18n.newsletter.issues import add_article as put
from gnews_i18n.newsletter.issues import create_issue, get_issue, release
from gnews_i18n.newsletter.site import refresh_issues, write_issue_pages
from gnews_i18n.publish import Publisher
from gnews_i18n.review.actions import approve, edit_segment, get_translation, position
from gnews_i18n.states import SegmentState
from gnews_i18n.store.models import Article, Edition, IssueDelivery, Translation
from gnews_i18n.worker.job import run_translation

from conftest import ROOT, run_cli
from newsletter_desk import add_article, article_text

KO_ARTICLE = """---
title: 타슈켄트주 대표단, 경기도 의료기관 방문
date: 2023-11-21
author: 경기도 보건의료정책과
slug: tashkent-visit
lang: ko
---

대표단은 11월 7일부터 10일까지 경기도를 방문했다. 대표단은 아주대학교병원을 방문했다.

경기도는 협력 방안을 논의했다.
"""
CHANGED_KO = ("11월 7일부터 10일까지", "11월 6일부터 10일까지")


class Hook(BaseHTTPRequestHandler):
    received: list[dict] = []

    def do_POST(self):  # noqa: N802 (http.server's naming)
        type(self).received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def database_url(tmp_path):
    """SQLite only: the model-backed walk is slow, and every PostgreSQL store test migrates through 0007."""
    return f"sqlite:///{tmp_path / 'desk.sqlite'}"


@pytest.fixture
def hook():
    Hook.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    server.shutdown()


def _publish(db, settings, article_id, lang):
    publisher = Publisher(settings)
    with publisher.directory.lock(), db.session() as session:
        return publisher.publish_article(session, article_id, lang)


def _review_and_approve(db, translation_id, texts: dict[str, str]):
    with db.session() as session:
        for ref, text in texts.items():
            edit_segment(session, translation_id, ref, text, "olga")
    with db.session() as session:
        approve(session, translation_id, "olga", override="random test model: its words mean nothing")


@pytest.mark.slow
def test_a_correction_reviews_only_what_changed_and_every_edition_shows_it(db, gnews_env, monkeypatch, hook):
    monkeypatch.setenv("GNEWS_DATABASE_URL", db.url)
    monkeypatch.setenv("GNEWS_PUBLISH_WEBHOOKS", hook)
    settings = load_settings()
    original = KO_ARTICLE
    with db.session() as session:
        first = submit(session, parse_article(original.encode(), "tashkent-visit.md"), ["en"], submitted_by="ed")
    run_translation(db, settings, first.translation_ids[0], "w")
    with db.session() as session:
        byline = next(s for s in get_translation(session, first.translation_ids[0]).segments
                      if position(s) == "byline")
        assert byline.source_text == "경기도 보건의료정책과"
        assert "byline_unknown" in [f["id"] for f in byline.flags]  # the glossary lacks this department
    _review_and_approve(db, first.translation_ids[0],
                        {"byline": "Health and Medical Policy Division, Gyeonggi-do"})
    _publish(db, settings, first.article_id, "en")
    page = HTMLParser((settings.publish_dir / "en" / "tashkent-visit.html").read_text())
    assert "Health and Medical Policy Division, Gyeonggi-do" in page.css_first("p.meta").text()
    assert page.css("p.correction") == []

    # The correction: one date in one sentence, and a note.
    corrected = original.replace(*CHANGED_KO)
    with db.session() as session:
        with pytest.raises(IntakeError, match="must change it"):
            submit(session, parse_article(original.encode(), "tashkent-visit.md"), ["en"], correction="같은 글")
        second = submit(session, parse_article(corrected.encode(), "tashkent-visit.md"), ["en"], submitted_by="ed",
                        correction="대표단 방문 일정을 바로잡았습니다.")
        article = session.get(Article, second.article_id)
        article.latest.created_at = dt.datetime(2023, 11, 22, 8, 30)
    assert second.revision_number == 2
    run_translation(db, settings, second.translation_ids[0], "w")
    with db.session() as session:
        segments = get_translation(session, second.translation_ids[0]).segments
        waiting = {position(s): s.source_text for s in segments if s.state != SegmentState.APPROVED}
        changed = next(s for s in segments if CHANGED_KO[1] in s.source_text)
        before = {s.source_text: s.text for s in get_translation(session, first.translation_ids[0]).segments}
        carried = [s for s in segments if s.state == SegmentState.APPROVED]
        assert {s.text for s in carried} == {before[s.source_text] for s in carried}  # the approved text kept
    assert waiting == {"correction": "대표단 방문 일정을 바로잡았습니다.", position(changed): changed.source_text}
    assert len(carried) == len(segments) - 2

    # Until the English correction is approved, the English page stays as it was; Korean shows it at once.
    report = _publish(db, settings, first.article_id, "ko")
    assert "en/tashkent-visit.html" not in report.written
    ko = HTMLParser((settings.publish_dir / "ko" / "tashkent-visit.html").read_text())
    assert ko.css_first("p.correction").text() == "2023년 11월 22일 정정: 대표단 방문 일정을 바로잡았습니다."

    _review_and_approve(db, second.translation_ids[0], {"correction": "The dates of the visit were corrected."})
    report = _publish(db, settings, first.article_id, "en")
    assert {"en/tashkent-visit.html", "en/atom.xml", "en/feed.xml"} <= set(report.written)
    en = HTMLParser((settings.publish_dir / "en" / "tashkent-visit.html").read_text())
    notice = "Corrected on November 22, 2023: The dates of the visit were corrected."
    assert en.css_first("p.correction").text() == notice
    assert "Health and Medical Policy Division, Gyeonggi-do" in en.css_first("p.meta").text()  # carried, approved
    atom = (settings.publish_dir / "en" / "atom.xml").read_text()
    assert '<category term="correction" label="Corrected on November 22, 2023: The dates' in atom

    actions = {(p["lang"], p["action"]) for p in Hook.received}
    assert {("ko", "correct"), ("en", "correct"), ("en", "publish")} <= actions
    correct = next(p for p in Hook.received if p["lang"] == "en" and p["action"] == "correct")
    assert correct["revision"] == 2
    assert correct["correction"] == {"revision": 2, "date": "2023-11-22", "text": "The dates of the visit were "
                                     "corrected.", "notice": "Corrected on November 22, 2023: The dates of the "
                                     "visit were corrected."}
    with db.session() as session:
        carriers = {e.lang: [c["revision"] for c in e.corrections]
                    for e in session.query(Edition).filter_by(article_id=first.article_id)}
    assert carriers == {"ko": [2], "en": [2]}


def _bench():
    """The publishing benchmark's stand-in for workers and reviewers (drafts without a model)."""
    spec = importlib.util.spec_from_file_location("publish_incremental", ROOT / "bench" / "publish_incremental.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_released_issue_links_the_corrected_article_without_sending_mail_again(tmp_path, monkeypatch):
    from gnews_i18n.store.db import Database

    monkeypatch.setenv("GNEWS_PUBLISH_DIR", str(tmp_path / "public"))
    monkeypatch.setenv("GNEWS_SITE_URL", "https://news.example.org")
    settings = load_settings()
    db = Database(f"sqlite:///{tmp_path / 'desk.sqlite'}")
    article_id = add_article(db, 4, ["ko", "ru"], ["ko", "ru"])
    with db.session() as session:
        issue = create_issue(session, 27, dt.date(2023, 11, 30), {"en": "Vol. 27"}, ["en", "ko", "ru"])
        put(session, issue, article_id)
        release(session, issue, "pub")
    publisher = Publisher(settings)
    with publisher.directory.lock(), db.session() as session:
        write_issue_pages(session, get_issue(session, 27), settings, publisher)
    for lang in ("en", "ko", "ru"):  # the issue's page has its own entry in each language's feeds
        atom = (tmp_path / "public" / lang / "atom.xml").read_text()
        assert f"<id>https://news.example.org/{lang}/issue-27.html</id>" in atom
        rss = (tmp_path / "public" / lang / "feed.xml").read_text()
        assert f"<link>https://news.example.org/{lang}/issue-27.html</link>" in rss
    assert "<title>Vol. 27</title>" in (tmp_path / "public" / "en" / "atom.xml").read_text()

    text = article_text(4).replace(b"It has 40 beds.", b"It has 44 beds.")
    with db.session() as session:
        result = submit(session, parse_article(text, "clinic-4.md"), ["ko", "ru"],
                        correction="The bed count was wrong.")
        session.get(Article, article_id).latest.created_at = dt.datetime(2023, 11, 22, 8, 30)
    _bench().draft(db, result.translation_ids, approve=False)
    with db.session() as session:
        for translation_id in result.translation_ids:
            states = {position(s): s.state for s in get_translation(session, translation_id).segments}
            assert states == {"title": "approved", "0.0": "approved", "1.0": "machine", "correction": "machine"}
    with db.session() as session:
        ru = next(i for i in result.translation_ids if session.get(Translation, i).target_lang == "ru")
    _review_and_approve(db, ru, {"correction": "Число коек было указано неверно.", "1.0": "В нём 44 койки."})

    with publisher.directory.lock(), db.session() as session:
        report = publisher.publish_article(session, article_id, "ru")
        report.written += refresh_issues(session, article_id, settings, publisher)
    assert set(report.written) >= {"ru/clinic-4.html", "ru/issue-27.html", "en/clinic-4.html", "en/issue-27.html"}
    assert "ko/clinic-4.html" not in report.written and "ko/issue-27.html" not in report.written  # not approved yet
    root = settings.publish_dir
    page = HTMLParser((root / "ru" / "clinic-4.html").read_text())
    notice = "Исправлено 22 ноября 2023\u202fг.: Число коек было указано неверно."
    assert page.css_first("p.correction").text() == notice
    assert not page.css_first("p.note").text().endswith("..")  # "… 2023 г." ends with one full stop
    issue_page = HTMLParser((root / "ru" / "issue-27.html").read_text())
    assert issue_page.css_first("ol.toc a").attributes["href"] == "clinic-4.html"
    assert issue_page.css_first("ol.toc p.correction").text().startswith("Исправлено 22 ноября 2023\u202fг.:")
    with db.session() as session:
        assert session.query(IssueDelivery).count() == 0  # the issue's e-mail is not sent again
    db.dispose()


def test_cli_submits_a_correction_and_editions_shows_who_carries_it(tmp_path, monkeypatch):
    from gnews_i18n.store.db import Database

    env = {"GNEWS_DATA_DIR": str(tmp_path / "var"), "GNEWS_PUBLISH_DIR": str(tmp_path / "public"),
           "GNEWS_DATABASE_URL": f"sqlite:///{tmp_path / 'desk.sqlite'}", "GNEWS_PUBLISH_WEBHOOKS": ""}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    db = Database(env["GNEWS_DATABASE_URL"])
    article_id = add_article(db, 6, ["ko", "ru"], ["ko", "ru"])
    publisher = Publisher(load_settings())
    with publisher.directory.lock(), db.session() as session:
        publisher.publish_article(session, article_id, "ko")
    source = tmp_path / "clinic-6.md"
    source.write_bytes(article_text(6).replace(b"60 beds", b"66 beds"))

    refused = run_cli(env, "submit", str(tmp_path / "clinic-6.md"), "--to", "ko", "--correction", " ")
    assert refused.returncode == 1 and "a correction needs a note" in refused.stderr
    done = run_cli(env, "submit", str(source), "--to", "ko,ru", "--no-queue",
                   "--correction", "The bed count was wrong.")
    assert done.returncode == 0, done.stderr
    assert f"article {article_id} (clinic-6), revision 2 (correction)" in done.stderr
    with db.session() as session:
        ids = [t.id for t in session.get(Article, article_id).latest.translations]
    _bench().draft(db, ids, approve=False)
    status = json.loads(run_cli(env, "status", str(article_id), "--json").stdout)
    drafts = [t for t in status[0]["translations"] if t["revision"] == 2]
    # title and first sentence carried; the changed sentence and the note wait: the same count as the desk's
    assert [(t["progress"], t["progress_kind"]) for t in drafts] == [([2, 4], "approved")] * 2
    with db.session() as session:
        for translation in session.get(Article, article_id).latest.translations:
            for segment in translation.segments:
                segment.state = "approved"
            translation.state, translation.approved_at = "approved", dt.datetime(2023, 11, 23)
        session.get(Article, article_id).latest.created_at = dt.datetime(2023, 11, 22, 8, 30)
    with publisher.directory.lock(), db.session() as session:
        publisher.publish_article(session, article_id, "ru")
    listed = json.loads(run_cli(env, "editions", "--json").stdout)
    carried = {row["lang"]: [c["revision"] for c in row["corrections"]] for row in listed}
    assert carried == {"en": [2], "ko": [2], "ru": [2]}
    table = run_cli({**env, "COLUMNS": "200"}, "editions").stdout
    assert "r2 2023-11-22" in table
    db.dispose()
