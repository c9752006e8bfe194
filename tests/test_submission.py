"""Submitting articles into the store, on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from gnews_i18n.articles.submission import parse_targets, submit
from gnews_i18n.intake import IntakeError, parse_article
from gnews_i18n.states import TranslationState
from gnews_i18n.store.models import Article, ArticleRevision, Translation

from conftest import EN_SAMPLE


def _sample(**changes):
    article = parse_article(EN_SAMPLE.read_bytes(), EN_SAMPLE.name)
    for key, value in changes.items():
        setattr(article, key, value)
    return article


def test_submit_creates_one_translation_per_target(db):
    with db.session() as session:
        result = submit(session, _sample(), ["ko", "ru"])
    with db.session() as session:
        rows = session.scalars(select(Translation).order_by(Translation.target_lang)).all()
        assert [(t.target_lang, t.state) for t in rows] == [("ko", "queued"), ("ru", "queued")]
        assert result.translation_ids == [t.id for t in sorted(rows, key=lambda t: t.id)]
        article = session.get(Article, result.article_id)
        assert article.latest.title.startswith("Uzbekistan Tashkent")
        assert article.latest.blocks[0]["kind"] == "subtitle"


def test_revisions_are_kept_and_older_translations_outdated(db):
    with db.session() as session:
        first = submit(session, _sample(), ["ko"])
    with db.session() as session:
        again = submit(session, _sample(), ["ko"])  # same text: no new revision, same job
    assert (again.revision_number, again.new_revision) == (1, False)
    assert again.translation_ids == first.translation_ids

    edited = _sample()
    edited.title = edited.title + " (updated)"
    with db.session() as session:
        second = submit(session, edited, ["ko"])
    assert second.revision_number == 2 and second.article_id == first.article_id
    with db.session() as session:
        titles = session.scalars(select(ArticleRevision.title).order_by(ArticleRevision.number)).all()
        assert titles[0].endswith("Gyeonggi-do") and titles[1].endswith("(updated)")
        assert session.get(Translation, first.translation_ids[0]).state == TranslationState.OUTDATED
        assert session.get(Translation, second.translation_ids[0]).state == TranslationState.QUEUED


def test_target_languages_are_checked():
    assert parse_targets("ko, ru,ko,en", "en") == ["ko", "ru"]
    with pytest.raises(IntakeError, match="unknown target language xx"):
        parse_targets("ko,xx", "en")


def test_a_failed_submission_writes_nothing(db):
    article = _sample()
    with pytest.raises(RuntimeError), db.session() as session:
        submit(session, article, ["ko"])
        raise RuntimeError("enqueue failed before commit")
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Article)) == 0
        assert session.scalar(select(func.count()).select_from(Translation)) == 0


def test_slug_owned_by_an_article_in_the_other_language(db):
    with db.session() as session:
        submit(session, _sample(slug="same-slug"), ["ko"])
    korean = parse_article("제목\n\n분당서울대학교병원을 방문했다.\n".encode(), "ko.txt")
    korean.slug = "same-slug"
    with pytest.raises(IntakeError, match="another slug"), db.session() as session:
        submit(session, korean, ["en"])


def test_source_markdown_round_trips_a_revision(db):
    """What the editors' correction form starts from: submitted again unchanged, it is the same revision."""
    from gnews_i18n.articles.submission import source_markdown

    text = ("---\ntitle: 'Ward: news'\nslug: ward-news\nlang: en\ndate: 2023-11-21\nauthor: Desk\n---\n\n"
            "## A heading\n\nIt has *40* beds and a [page](https://example.org/w).\n\n- one\n- two\n\n"
            "> A quote.\n")
    with db.session() as session:
        first = submit(session, parse_article(text.encode(), "ward.md"), [])
        markdown = source_markdown(session.get(Article, first.article_id).latest)
        again = submit(session, parse_article(markdown.encode(), "ward.md"), [])
    assert not again.new_revision and again.revision_number == 1, markdown
