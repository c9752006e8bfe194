"""The privacy guard at the doors: submit (store, CLI, API), the translation job, publishing.
Store tests run on SQLite and again on PostgreSQL."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import delete, func, select

from gnews_i18n.articles.personal_data import Guard, PersonalDataError
from gnews_i18n.articles.submission import submit
from gnews_i18n.config import load_settings
from gnews_i18n.intake import parse_article
from gnews_i18n.privacy import load_policy
from gnews_i18n.publish import PersonalDataInEdition, Publisher
from gnews_i18n.states import TranslationState
from gnews_i18n.store.models import Article, ArticleRevision, PrivacyDecision, Translation

from conftest import api_desk, run_cli

STORY = """---
title: 입원 환자 이야기
slug: privacy-story
lang: ko
date: 2024-03-20
---

경기도의료원은 20일 응급 환자를 받았다.

환자의 주민등록번호는 900101-1234568이다.

보호자 연락처는 010-1234-5678이다.
"""
GUARD = Guard(load_policy(None), "test-key")


@pytest.fixture
def settings_on(db, tmp_path, monkeypatch):
    """GNEWS_* pointing at ``db`` and this test's directories (no models needed: nothing is translated)."""
    env = {"GNEWS_DATA_DIR": str(tmp_path / "var"), "GNEWS_PUBLISH_DIR": str(tmp_path / "public"),
           "GNEWS_DATABASE_URL": db.url, "GNEWS_SECRET_KEY": "test-key", "GNEWS_COOKIE_SECURE": "0"}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("GNEWS_PRIVACY_POLICY", raising=False)
    return env


def story(text: str = STORY):
    return parse_article(text.encode(), "story.md")


def count(session, table) -> int:
    return session.scalar(select(func.count()).select_from(table))


def test_submit_refuses_personal_data_and_stores_nothing(db):
    with db.session() as session, pytest.raises(PersonalDataError) as raised:
        submit(session, story(), ["en"], guard=GUARD, raw=STORY)
    message = str(raised.value)
    assert "line 10 (block 2 (paragraph)): resident registration number (주민등록번호) 900101-1******" in message
    assert "line 12 (block 3 (paragraph)): mobile phone number" in message
    assert "1234568" not in message and "010-1234" not in message  # the error does not repeat the identifier
    assert "--redact-personal-data" in message and "--allow-personal-data" in message
    with db.session() as session:
        assert (count(session, Article), count(session, ArticleRevision), count(session, Translation)) == (0, 0, 0)


def test_redaction_stores_only_the_masked_text_and_records_who(db):
    with db.session() as session:
        result = submit(session, story(), ["en"], guard=GUARD, redact_personal_data=True, submitted_by="editor1")
    assert result.personal_data_decision == "redacted"
    with db.session() as session:
        revision = session.scalars(select(ArticleRevision)).one()
        stored = json.dumps(revision.blocks, ensure_ascii=False)
        assert "900101-1******" in stored and "1234568" not in stored and "010-1234" not in stored
        decisions = session.scalars(select(PrivacyDecision).order_by(PrivacyDecision.id)).all()
        assert [(d.kind, d.action, d.decided_by, d.location) for d in decisions] == [
            ("resident_number", "redacted", "editor1", "block 2 (paragraph)"),
            ("mobile_phone", "redacted", "editor1", "block 3 (paragraph)")]
        assert all("1234568" not in d.fingerprint and d.reason is None for d in decisions)


def test_allowing_records_the_reason_and_a_later_revision_with_the_same_number_passes(db):
    with db.session() as session:
        submit(session, story(), ["en"], guard=GUARD, allow_personal_data="patient consented in writing",
               submitted_by="editor1")
    with db.session() as session:
        assert {d.reason for d in session.scalars(select(PrivacyDecision))} == {"patient consented in writing"}
        assert "900101-1234568" in json.dumps(session.scalars(select(ArticleRevision)).one().blocks)
    changed = STORY.replace("응급 환자를", "응급 환자 한 명을")
    with db.session() as session:
        again = submit(session, story(changed), ["en"], guard=GUARD)  # same identifiers: decided already
    assert again.revision_number == 2
    added = changed + "\n담당자 메일은 chulsoo.kim@naver.com이다.\n"
    with db.session() as session, pytest.raises(PersonalDataError, match="e-mail address c\\*\\*\\*@naver.com"):
        submit(session, story(added), ["en"], guard=GUARD)


def test_an_empty_reason_is_not_a_decision(db):
    with db.session() as session, pytest.raises(Exception, match="needs a reason"):
        submit(session, story(), ["en"], guard=GUARD, allow_personal_data="  ")


def test_the_job_sends_nothing_undecided_to_machine_translation(db, settings_on):
    from gnews_i18n.worker.job import run_translation

    with db.session() as session:
        result = submit(session, story(), ["en"], allow_personal_data="checked", submitted_by="editor1")
        session.execute(delete(PrivacyDecision))  # as if the decision were never made (an older desk)
    outcome = run_translation(db, load_settings(), result.translation_ids[0], "w")
    assert outcome.status == "skipped"  # no model configured: reaching the engine would raise instead
    with db.session() as session:
        translation = session.get(Translation, result.translation_ids[0])
        assert translation.state == TranslationState.FAILED
        assert "not sent to machine translation" in translation.error and "1234568" not in translation.error


def test_publishing_refuses_an_edition_with_an_undecided_identifier(db, settings_on, tmp_path):
    with db.session() as session:
        result = submit(session, story(), ["en"], allow_personal_data="checked", submitted_by="editor1")
    publisher = Publisher(load_settings())
    with db.session() as session:
        publisher.publish_article(session, result.article_id, "ko")  # allowed: published
    assert (tmp_path / "public" / "ko" / "privacy-story.html").exists()
    with db.session() as session:
        session.execute(delete(PrivacyDecision))
    (tmp_path / "public" / "ko" / "privacy-story.html").unlink()
    with db.session() as session, pytest.raises(PersonalDataInEdition, match="the ko edition of 'privacy-story' "
                                                                             "carries personal data nobody allowed"):
        publisher.publish_article(session, result.article_id, "ko")
    assert not (tmp_path / "public" / "ko" / "privacy-story.html").exists()


def test_api_submit_answers_422_with_every_finding(db, settings_on):
    with api_desk(db, [("editor1", ["editor"], [])]) as (client, tokens):
        body = {"content": STORY, "filename": "story.md", "targets": ["en"], "queue": False}
        refused = client.post("/api/articles", json=body, headers=tokens["editor1"])
        assert refused.status_code == 422
        problem = refused.json()
        assert problem["code"] == "personal_data"
        assert [(p["line"], p["kind"], p["masked"]) for p in problem["problems"]] == [
            (10, "resident_number", "900101-1******"), (12, "mobile_phone", "***-****-5678")]
        assert "1234568" not in refused.text
        with db.session() as session:
            assert count(session, Article) == 0
        allowed = client.post("/api/articles", json={**body, "redact_personal_data": True},
                              headers=tokens["editor1"])
        assert allowed.status_code == 201, allowed.text
        assert allowed.json()["personal_data_decision"] == "redacted"


def test_cli_submit_exits_1_naming_lines_and_what_to_do(tmp_path, settings_on, db):
    path = tmp_path / "story.md"
    path.write_text(STORY, encoding="utf-8")
    refused = run_cli(settings_on, "submit", str(path), "--to", "en", "--no-queue")
    assert refused.returncode == 1
    assert "line 10 (block 2 (paragraph)): resident registration number" in refused.stderr
    assert "--allow-personal-data" in refused.stderr
    with db.session() as session:
        assert count(session, Article) == 0
    allowed = run_cli(settings_on, "submit", str(path), "--to", "en", "--no-queue", "--by", "editor1",
                      "--allow-personal-data", "guardian consented")
    assert allowed.returncode == 0, allowed.stderr
    assert "allowed (reason recorded)" in allowed.stderr
