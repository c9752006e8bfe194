"""What a reader meets first: a landing page per site, language switchers on index pages, bylines."""

from __future__ import annotations

import html5lib
import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from gnews_i18n.config import load_settings
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
