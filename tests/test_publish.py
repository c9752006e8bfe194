"""Publishing editions: pages, indexes, feeds, sitemap; safety, atomicity, idempotence, targets."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import xml.etree.ElementTree as ET

import feedparser
import html5lib
import pytest
from sqlalchemy import select

from gnews_i18n.articles.submission import submit
from gnews_i18n.config import load_settings
from gnews_i18n.intake import parse_article
from gnews_i18n.publish import NothingToPublish, Publisher
from gnews_i18n.publish.files import safe_path
from gnews_i18n.publish.render import Renderer, localized_date
from gnews_i18n.review.actions import approve
from gnews_i18n.store.models import Edition, Segment, Translation
from gnews_i18n.worker.job import run_translation

from conftest import EN_SAMPLE, run_cli

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML_NS = "{http://www.w3.org/1999/xhtml}"


def approve_draft(db, translation_id, title="우즈베키스탄 <대표단> 경기도 방문") -> None:
    with db.session() as session:  # a reviewer's edit of the title
        segment = session.scalar(select(Segment).where(Segment.translation_id == translation_id,
                                                       Segment.block_index == -1))
        segment.text = title
        approve(session, translation_id, "reviewer", override="random test model")


@pytest.fixture
def approved(db, draft):
    approve_draft(db, draft)
    with db.session() as session:
        return session.get(Translation, draft).revision.article_id, draft


@pytest.fixture
def out(gnews_env):
    return load_settings().publish_dir


def publish(db, article_id, lang):
    with db.session() as session:
        return Publisher(load_settings()).publish_article(session, article_id, lang)


def assert_valid_html5(path) -> None:
    parser = html5lib.HTMLParser(strict=True)
    parser.parse(path.read_bytes())  # raises on any parse error


def files(root) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*")
            if p.is_file() and ".gnews-publish" not in p.parts}


def test_nothing_unapproved_is_published(db, gnews_env, out):
    with db.session() as session:
        result = submit(session, parse_article(EN_SAMPLE.read_bytes(), EN_SAMPLE.name), ["ko"])
    with pytest.raises(NothingToPublish):
        publish(db, result.article_id, "ko")
    assert not (out / "ko").exists()


def test_an_approved_translation_becomes_an_edition(db, approved, out):
    article_id, translation_id = approved
    report = publish(db, article_id, "ko")
    slug = report.editions[0][0]
    assert sorted(report.editions) == [(slug, "en"), (slug, "ko")]  # the source edition goes out beside it
    korean = (out / "ko" / f"{slug}.html").read_text()
    assert "<h1>우즈베키스탄 &lt;대표단&gt; 경기도 방문</h1>" in korean  # the reviewed title, escaped
    assert "2023년 11월 21일" in korean and "기계 번역" in korean and "검수했습니다" in korean
    assert f'hreflang="en" lang="en" href="../en/{slug}.html">English</a>' in korean  # the language switcher
    english = (out / "en" / f"{slug}.html").read_text()
    assert f'href="../ko/{slug}.html">한국어</a>' in english and "November 21, 2023" in english
    index = (out / "ko" / "index.html").read_text()
    assert f"{slug}.html" in index and "우즈베키스탄 &lt;대표단&gt;" in index
    for page in (out / "ko" / f"{slug}.html", out / "en" / f"{slug}.html", out / "ko" / "index.html"):
        assert_valid_html5(page)
    with db.session() as session:
        assert session.get(Translation, translation_id).state == "published"
        assert {e.lang for e in session.scalars(select(Edition))} == {"ko", "en"}


def test_feeds_and_sitemap(db, approved, out):
    article_id, _ = approved
    slug = publish(db, article_id, "ko").editions[0][0]
    site = load_settings().site_url
    for name in ("feed.xml", "atom.xml"):
        feed = feedparser.parse((out / "ko" / name).read_bytes())
        assert feed.bozo == 0, feed.get("bozo_exception")
        assert [e.link for e in feed.entries] == [f"{site}/ko/{slug}.html"]
        assert feed.entries[0].title == "우즈베키스탄 <대표단> 경기도 방문"
    index = ET.parse(out / "sitemap.xml").getroot()
    assert index.tag == f"{SITEMAP_NS}sitemapindex"
    shard = index.find(f"{SITEMAP_NS}sitemap/{SITEMAP_NS}loc").text
    assert shard == f"{site}/sitemap-0001.xml"
    urlset = ET.parse(out / "sitemap-0001.xml").getroot()
    urls = urlset.findall(f"{SITEMAP_NS}url")
    assert sorted(u.find(f"{SITEMAP_NS}loc").text for u in urls) == [f"{site}/en/{slug}.html",
                                                                      f"{site}/ko/{slug}.html"]
    for url in urls:  # every version lists every version, itself included
        alternates = {link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML_NS}link")}
        assert alternates == {"en": f"{site}/en/{slug}.html", "ko": f"{site}/ko/{slug}.html"}
        dt.date.fromisoformat(url.find(f"{SITEMAP_NS}lastmod").text)


def test_republishing_unchanged_content_rewrites_nothing(db, approved, out):
    article_id, _ = approved
    publish(db, article_id, "ko")
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    report = publish(db, article_id, "ko")
    assert report.written == [] and report.deleted == []
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == before


def test_a_new_source_revision_keeps_the_old_translation_live(db, approved, out, gnews_env):
    article_id, translation_id = approved
    slug = publish(db, article_id, "ko").editions[0][0]
    changed = parse_article(EN_SAMPLE.read_bytes().replace(b"November 7", b"November 8"), EN_SAMPLE.name)
    with db.session() as session:
        new = submit(session, changed, ["ko"]).translation_ids[0]
        assert session.get(Translation, translation_id).state == "outdated"
    publish(db, article_id, "en")  # the new English source goes out; Korean keeps the reviewed old version
    assert "November 8" in (out / "en" / f"{slug}.html").read_text()
    assert "우즈베키스탄 &lt;대표단&gt;" in (out / "ko" / f"{slug}.html").read_text()
    run_translation(db, load_settings(), new, "w")
    approve_draft(db, new, title="새 개정판의 제목")
    publish(db, article_id, "ko")
    assert "새 개정판의 제목" in (out / "ko" / f"{slug}.html").read_text()
    with db.session() as session:
        edition = session.scalar(select(Edition).where(Edition.lang == "ko"))
        assert edition.revision_number == 2 and edition.translation_id == new


def test_unpublish_and_publish_again(db, approved, out, gnews_env):
    article_id, translation_id = approved
    slug = publish(db, article_id, "ko").editions[0][0]
    with db.session() as session:
        report = Publisher(load_settings()).unpublish(session, article_id, ["ko"])
    # the language's last page gone, its landing page goes too (nothing to land on)
    assert report.deleted == [f"ko/{slug}.html", "index.ko.html"]
    assert not (out / "ko" / f"{slug}.html").exists()
    assert slug not in (out / "ko" / "index.html").read_text()
    assert "/ko/" not in (out / "sitemap-0001.xml").read_text()
    assert "../ko/" not in (out / "en" / f"{slug}.html").read_text()  # no link to a page that is gone
    assert feedparser.parse((out / "ko" / "feed.xml").read_bytes()).entries == []
    with db.session() as session:
        assert session.get(Translation, translation_id).state == "withdrawn"
    again = run_cli(gnews_env, "publish", "--article", str(article_id), "--lang", "ko")
    assert again.returncode == 0, again.stderr
    assert (out / "ko" / f"{slug}.html").exists()
    editions = json.loads(run_cli(gnews_env, "editions", "--json").stdout)
    assert {(e["lang"], e["revision"]) for e in editions} == {("ko", 1), ("en", 1)}
    gone = run_cli(gnews_env, "unpublish", str(article_id))
    assert gone.returncode == 0 and not (out / "en" / f"{slug}.html").exists()


def test_index_pages(db, gnews_env, out, monkeypatch):
    monkeypatch.setenv("GNEWS_INDEX_PAGE_SIZE", "2")
    base = parse_article(EN_SAMPLE.read_bytes(), EN_SAMPLE.name)
    with db.session() as session:
        for day in range(1, 6):
            article = dataclasses.replace(base, slug=f"news-{day}", title=f"News of day {day}",
                                          date=dt.date(2023, 11, day))
            submit(session, article, [])
    with db.session() as session:
        Publisher(load_settings()).publish_all(session)
    pages = sorted(p.name for p in (out / "en").glob("*.html") if not p.name.startswith("news-"))
    assert pages == ["index.html", "issues.html", "page-2.html", "page-3.html", "search.html"]  # + archive, search
    first = (out / "en" / "index.html").read_text()
    assert first.index("News of day 5") < first.index("News of day 4") and "day 3" not in first  # newest first
    assert 'rel="next" href="page-2.html"' in first
    assert 'rel="prev" href="page-2.html"' in (out / "en" / "page-3.html").read_text()
    for page in (out / "en").glob("*.html"):
        assert_valid_html5(page)
    with db.session() as session:
        Publisher(load_settings()).unpublish(session, 1)
        Publisher(load_settings()).unpublish(session, 2)
    assert not (out / "en" / "page-3.html").exists()


def test_article_html_is_sanitized():
    renderer = Renderer("https://news.example")
    hostile = [
        type("B", (), {"kind": "paragraph", "level": 0,
                       "text": 'Hi <script>alert(1)</script><a href="javascript:alert(2)" onclick="x()">x</a> '
                               '<iframe src="https://evil"></iframe><img src=x onerror=alert(3)>'
                               '<a href="https://www.gg.go.kr/">도청</a> <b>bold</b> 5 < 7 & 8'})(),
    ]
    html = renderer.article(lang="en", slug="s", title="<script>t</script>", blocks=hostile, date=None,
                            author=None, note="", alternates=["en"])
    for bad in ("<script", "javascript:", "onclick", "<iframe", "onerror", "<img"):
        assert bad not in html
    assert '<a href="https://www.gg.go.kr/" rel="noopener">도청</a>' in html and "<b>bold</b>" in html
    assert "5 &lt; 7 &amp; 8" in html and "&lt;script&gt;t&lt;/script&gt;" in html
    html5lib.HTMLParser(strict=True).parse(html)


def test_dates_are_localized():
    day = dt.date(2023, 11, 21)
    assert localized_date(day, "ko") == "2023년 11월 21일"
    assert localized_date(day, "ru") == "21 ноября 2023\u202fг."  # CLDR: a narrow no-break space
    assert localized_date(day, "en") == "November 21, 2023"
    assert "2023" in localized_date(day, "uz") and "2023" in localized_date(day, "mn")


def test_a_publishers_own_templates(db, approved, out, tmp_path, monkeypatch):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "article.html").write_text(
        '{% extends "base.html" %}{% block title %}{{ title }}{% endblock %}'
        '{% block body %}<main class="house-style"><h1>{{ title }}</h1></main>{% endblock %}', encoding="utf-8")
    monkeypatch.setenv("GNEWS_TEMPLATE_DIR", str(templates))
    article_id, _ = approved
    slug = publish(db, article_id, "ko").editions[0][0]
    assert '<main class="house-style">' in (out / "ko" / f"{slug}.html").read_text()


def test_paths_cannot_leave_the_output_directory(tmp_path):
    with pytest.raises(ValueError, match="outside"):
        safe_path(tmp_path, "ko", "../../etc/passwd")
    assert safe_path(tmp_path, "ko", "a.html") == (tmp_path / "ko" / "a.html").resolve()


def test_a_hostile_slug_never_reaches_the_disk(db, gnews_env, out):
    from gnews_i18n.intake import IntakeError

    with pytest.raises(IntakeError, match="slug"):
        parse_article(b"---\ntitle: T\nslug: ../../etc/passwd\nlang: en\n---\n\nSome body text here.\n", "a.md")
    hostile = dataclasses.replace(parse_article(EN_SAMPLE.read_bytes(), EN_SAMPLE.name), slug="../../escaped")
    with db.session() as session:  # past intake (a row written by hand): the publisher still refuses it
        article_id = submit(session, hostile, []).article_id
    with pytest.raises(ValueError, match="outside"):
        publish(db, article_id, "en")
    assert not (out.parent.parent / "escaped.html").exists()
    staging = out / ".gnews-publish" / "staging"
    assert not staging.exists() or not list(staging.iterdir())  # nothing staged is left behind


def test_unpublishing_publishes_nothing_new(db, approved, out):
    """A translation approved but held for a publisher stays unpublished when another edition is taken down."""
    article_id, translation_id = approved
    slug = publish(db, article_id, "ko").editions[0][0]
    with db.session() as session:  # a Russian translation, approved, waiting for a publisher
        korean = session.get(Translation, translation_id)
        russian = Translation(revision=korean.revision, target_lang="ru", state="approved", attempts=1,
                              progress_done=0, progress_total=0, approved_by="olga")
        session.add(russian)
        session.flush()
        for segment in korean.segments:
            session.add(Segment(translation_id=russian.id, block_index=segment.block_index,
                                sentence_index=segment.sentence_index, source_text=segment.source_text,
                                machine_text="перевод", text="перевод", state="approved", flags=[], provenance={},
                                terms=[], version=2))
    with db.session() as session:
        Publisher(load_settings()).unpublish(session, article_id, ["ko"])
    assert not (out / "ru" / f"{slug}.html").exists()
    with db.session() as session:
        assert session.scalar(select(Translation).where(Translation.target_lang == "ru")).state == "approved"
