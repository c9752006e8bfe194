"""Issue pages per language (contents in order with leads, links that resolve, a language switcher),
and what a reader meets first: the landing page, index switchers, bylines."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import html5lib
import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from gnews_i18n.config import load_settings
from gnews_i18n.newsletter.issues import add_article as put
from gnews_i18n.newsletter.issues import create_issue, get_issue, release
from gnews_i18n.newsletter.site import write_issue_pages
from gnews_i18n.publish import Publisher
from gnews_i18n.review.corrections import byline_unknown
from gnews_i18n.store.db import Database
from gnews_i18n.store.models import Segment

from newsletter_desk import add_article, approve


@pytest.fixture
def site(tmp_path, monkeypatch):
    monkeypatch.setenv("GNEWS_PUBLISH_DIR", str(tmp_path / "public"))
    monkeypatch.setenv("GNEWS_SITE_URL", "https://news.example.org")
    db = Database(f"sqlite:///{tmp_path / 'desk.sqlite'}")
    yield db, load_settings()
    db.dispose()


def _publish(db, settings, number):
    publisher = Publisher(settings)
    with publisher.directory.lock(), db.session() as session:
        return write_issue_pages(session, get_issue(session, number), settings, publisher)


def test_issue_pages_list_articles_in_order_and_fill_in_later(site):
    db, settings = site
    first = add_article(db, 1, ["ko", "ru"], ["ko", "ru"])
    second = add_article(db, 2, ["ko", "ru"], ["ko"])  # Russian still in review
    with db.session() as session:
        issue = create_issue(session, 27, dt.date(2023, 11, 30), {"en": "Vol. 27", "ko": "제27호"},
                             ["en", "ko", "ru"])
        put(session, issue, second)
        put(session, issue, first)
        release(session, issue, "pub", missing_reason="Russian desk is away")
    report = _publish(db, settings, 27)
    assert {"en/issue-27.html", "ko/issue-27.html", "ru/issue-27.html", "ko/clinic-1.html"} <= set(report.written)

    root = settings.publish_dir
    for lang in ("en", "ko", "ru"):
        html5lib.HTMLParser(strict=True).parse((root / lang / "issue-27.html").read_bytes())
    ko = HTMLParser((root / "ko" / "issue-27.html").read_text())
    assert ko.css_first("h1").text() == "제27호"
    links = [a.attributes["href"] for a in ko.css("ol.toc a")]
    assert links == ["clinic-2.html", "clinic-1.html"]  # the issue's order, not the date's
    assert all((root / "ko" / href).exists() for href in links)
    assert ko.css_first("ol.toc p").text() == "[ko] Hospital 2 opened a new ward on November 2."
    switcher = {a.attributes["hreflang"]: a.attributes["href"] for a in ko.css("nav a[hreflang]")}
    assert switcher == {"en": "../en/issue-27.html", "ru": "../ru/issue-27.html"}
    ru = HTMLParser((root / "ru" / "issue-27.html").read_text())
    assert [a.attributes["href"] for a in ru.css("ol.toc a")] == ["clinic-1.html"]
    assert HTMLParser((root / "en" / "issue-27.html").read_text()).css_first("h1").text() == "Vol. 27"

    assert _publish(db, settings, 27).written == []  # nothing changed: nothing rewritten
    approve(db, second, "ru")
    again = _publish(db, settings, 27)
    assert "ru/issue-27.html" in again.written and "ko/issue-27.html" not in again.written
    ru = HTMLParser((root / "ru" / "issue-27.html").read_text())
    assert [a.attributes["href"] for a in ru.css("ol.toc a")] == ["clinic-2.html", "clinic-1.html"]


def test_the_publish_job_adds_a_late_article_to_its_released_issue(tmp_path):
    """Released without the Russian translation; once it is approved, the worker's publish job
    (run here in its own process, no broker needed) puts it on the issue's Russian page."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GNEWS_")}
    env.update(GNEWS_DATA_DIR=str(tmp_path / "var"), GNEWS_DATABASE_URL=f"sqlite:///{tmp_path / 'desk.sqlite'}",
               GNEWS_PUBLISH_DIR=str(tmp_path / "public"), GNEWS_PUBLISH_WEBHOOKS="")
    db = Database(env["GNEWS_DATABASE_URL"])
    late = add_article(db, 1, ["ru"], [])
    with db.session() as session:
        issue = create_issue(session, 3, dt.date(2023, 11, 30), {}, ["en", "ru"])
        put(session, issue, late)
        release(session, issue, "pub", missing_reason="later")
    approve(db, late, "ru")
    db.dispose()
    job = f"from gnews_i18n.worker import tasks; print(sorted(tasks.publish.run({late}, 'ru')['written']))"
    run = subprocess.run([sys.executable, "-c", job], env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "ru/issue-3.html" in run.stdout and "ru/clinic-1.html" in run.stdout
    page = HTMLParser((tmp_path / "public" / "ru" / "issue-3.html").read_text())
    assert [a.attributes["href"] for a in page.css("ol.toc a")] == ["clinic-1.html"]


def _publish_all(db, settings):
    publisher = Publisher(settings)
    with publisher.directory.lock(), db.session() as session:
        return publisher.publish_all(session)


def _switcher(path) -> dict[str, str]:
    page = HTMLParser(path.read_text())
    return {a.attributes["hreflang"]: a.attributes["href"] for a in page.css("nav a[hreflang]")}


def test_landing_page_and_index_switchers_follow_the_languages_live(site):
    db, settings = site
    add_article(db, 1, ["ko", "ru"], ["ko"])
    _publish_all(db, settings)
    root = settings.publish_dir
    html5lib.HTMLParser(strict=True).parse((root / "index.html").read_bytes())
    assert _switcher(root / "index.html") == {"en": "en/index.html", "ko": "ko/index.html"}
    assert _switcher(root / "ko" / "index.html") == {"en": "../en/index.html"}
    assert all((root / href).exists() for href in _switcher(root / "index.html").values())

    approve(db, 1, "ru")  # a third language goes live: every index page's switcher gains it
    report = _publish_all(db, settings)
    assert {"index.html", "en/index.html", "ko/index.html", "ru/index.html"} <= set(report.written)
    assert _switcher(root / "en" / "index.html") == {"ko": "../ko/index.html", "ru": "../ru/index.html"}
    assert _switcher(root / "index.html")["ru"] == "ru/index.html"
    russian = HTMLParser((root / "ru" / "clinic-1.html").read_text()).css_first("p.note").text()
    assert russian.endswith("г.") and not russian.endswith("г..")
    assert _publish_all(db, settings).written == []  # nothing changed, nothing rewritten


def test_a_byline_is_unknown_until_glossary_terms_cover_it():
    segment = Segment(source_text="경기도 보건건강국", terms=[])
    assert byline_unknown(segment)
    segment.terms = [{"source": "경기도"}]
    assert byline_unknown(segment)  # "보건건강국" is left over
    segment.terms = [{"source": "경기도 보건건강국", "target": "Health and Medical Department of Gyeonggi-do"}]
    assert not byline_unknown(segment)
