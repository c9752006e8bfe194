"""Publishing an approved translation as static pages."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from gnews_i18n.config import load_settings
from gnews_i18n.intake import parse_article
from gnews_i18n.jobs import run_translation
from gnews_i18n.publish import NothingToPublish, publish_article
from gnews_i18n.publish.files import safe_path
from gnews_i18n.review.actions import approve
from gnews_i18n.store.models import Edition, Segment, Translation
from gnews_i18n.submission import submit

from conftest import EN_SAMPLE


@pytest.fixture
def approved(db, gnews_env):
    with db.session() as session:
        result = submit(session, parse_article(EN_SAMPLE.read_bytes(), EN_SAMPLE.name), ["ko"])
    translation_id = result.translation_ids[0]
    run_translation(db, load_settings(), translation_id, "w")
    with db.session() as session:  # a reviewer's edit of the title
        title = session.scalar(select(Segment).where(Segment.translation_id == translation_id,
                                                     Segment.block_index == -1))
        title.text = "우즈베키스탄 <대표단> 경기도 방문"
        approve(session, translation_id, "reviewer", override="random test model")
    return result.article_id, translation_id


def test_nothing_unapproved_is_published(db, gnews_env, tmp_path):
    with db.session() as session:
        result = submit(session, parse_article(EN_SAMPLE.read_bytes(), EN_SAMPLE.name), ["ko"])
    with pytest.raises(NothingToPublish), db.session() as session:
        publish_article(session, result.article_id, "ko", tmp_path / "public")
    assert not (tmp_path / "public" / "ko").exists()


def test_an_approved_translation_becomes_an_edition(db, approved, tmp_path):
    article_id, translation_id = approved
    out = tmp_path / "public"
    with db.session() as session:
        pages = publish_article(session, article_id, "ko", out)
    assert [p.lang for p in pages] == ["ko", "en"]  # the source edition goes out beside it
    korean = (out / "ko" / f"{pages[0].path.name}").read_text()
    assert "<h1>우즈베키스탄 &lt;대표단&gt; 경기도 방문</h1>" in korean  # the reviewed title, escaped
    assert "2023년 11월 21일" in korean and "기계 번역" in korean
    assert 'hreflang="en"' in korean
    index = (out / "ko" / "index.html").read_text()
    assert pages[0].path.name in index and "우즈베키스탄 &lt;대표단&gt;" in index
    with db.session() as session:
        assert session.get(Translation, translation_id).state == "published"
        assert {e.lang for e in session.scalars(select(Edition))} == {"ko", "en"}


def test_republishing_unchanged_content_rewrites_nothing(db, approved, tmp_path):
    article_id, _ = approved
    out = tmp_path / "public"
    with db.session() as session:
        publish_article(session, article_id, "ko", out)
    mtimes = {p: p.stat().st_mtime_ns for p in out.rglob("*.html")}
    with db.session() as session:
        pages = publish_article(session, article_id, "ko", out)
    assert not any(p.changed for p in pages)
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*.html")} == mtimes


def test_paths_cannot_leave_the_output_directory(tmp_path):
    with pytest.raises(ValueError, match="outside"):
        safe_path(tmp_path, "ko", "../../etc/passwd")
    assert safe_path(tmp_path, "ko", "a.html") == (tmp_path / "ko" / "a.html").resolve()
