"""Reviewers' edits: saved with a version, checked again, never lost to a stale copy."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from gnews_i18n.articles.submission import submit
from gnews_i18n.config import load_settings
from gnews_i18n.intake import parse_article
from gnews_i18n.review.actions import ReviewError, StaleEdit, edit_segment
from gnews_i18n.store.models import Segment
from gnews_i18n.terms import load_glossaries
from gnews_i18n.worker.job import run_translation

from conftest import EN_SAMPLE, NEWSLETTER_GLOSSARY


def _segment(db, translation_id, block, sentence) -> Segment:
    with db.session() as session:
        return session.query(Segment).filter_by(translation_id=translation_id, block_index=block,
                                                sentence_index=sentence).one()


def test_an_edit_is_checked_again(db, draft):
    glossary = load_glossaries([NEWSLETTER_GLOSSARY])
    source = _segment(db, draft, 2, 0).source_text  # "In the official welcome ceremony held on November 7 …"
    assert "November 7" in source and "8 medical institutions" in source
    with db.session() as session:
        segment = edit_segment(session, draft, "2.0", "11월 9일 열린 환영식에 9개 의료기관이 참석했다.", "kim",
                               glossary=glossary)
        assert {f["id"] for f in segment.flags} >= {"number_mismatch", "term_missing"}
        assert segment.state == "edited" and segment.version == 2
    with db.session() as session:
        segment = edit_segment(session, draft, "2.0", "11월 7일 열린 환영식에 8개 의료기관이 참석했다.", "kim",
                               glossary=glossary)
        assert "number_mismatch" not in {f["id"] for f in segment.flags}


def test_a_stale_edit_is_refused_and_loses_nothing(db, draft):
    with db.session() as session:
        edit_segment(session, draft, "title", "첫 번째 검토자의 제목", "kim", expected_version=1)
    with pytest.raises(StaleEdit, match="첫 번째 검토자의 제목"), db.session() as session:
        edit_segment(session, draft, "title", "두 번째 검토자의 제목", "lee", expected_version=1)
    assert _segment(db, draft, -1, 0).text == "첫 번째 검토자의 제목"


def test_edits_need_a_segment_and_some_text(db, draft):
    with pytest.raises(ReviewError, match="no segment '99.0'"), db.session() as session:
        edit_segment(session, draft, "99.0", "텍스트", "kim")
    with pytest.raises(ReviewError, match="empty"), db.session() as session:
        edit_segment(session, draft, "title", "  ", "kim")


def test_review_edit_command(gnews_env):
    from gnews_i18n.store.db import Database

    db = Database(load_settings().database_url)  # the command's own database (GNEWS_DATA_DIR)
    with db.session() as session:
        result = submit(session, parse_article(EN_SAMPLE.read_bytes(), EN_SAMPLE.name), ["ko"])
    translation_id = result.translation_ids[0]
    run_translation(db, load_settings(), translation_id, "w")
    result = subprocess.run(
        [sys.executable, "-m", "gnews_i18n.cli", "review", "edit", str(translation_id), "title", "경기도 방문",
         "--by", "kim"], capture_output=True, text=True, env=os.environ.copy())
    assert result.returncode == 0, result.stderr
    assert "version 2" in result.stdout
    assert _segment(db, translation_id, -1, 0).text == "경기도 방문"
    stale = subprocess.run(
        [sys.executable, "-m", "gnews_i18n.cli", "review", "edit", str(translation_id), "title", "다른 제목",
         "--version", "1"], capture_output=True, text=True, env=os.environ.copy())
    assert stale.returncode == 1 and "changed by someone else" in stale.stderr
    db.dispose()


def test_sent_back_to_machine_translation_keeps_ids_and_history(db, draft):
    from gnews_i18n.review.actions import comments_of, history_of, request_changes
    from gnews_i18n.store.models import Translation

    with db.session() as session:
        edit_segment(session, draft, "title", "검토자가 고친 제목", "kim", expected_version=1)
        ids = [s.id for s in session.get(Translation, draft).segments]
        request_changes(session, draft, "용어가 많이 틀렸습니다. 다시 번역해 주세요.", "kim", retranslate=True)
        assert session.get(Translation, draft).state == "queued"
    outcome = run_translation(db, load_settings(), draft, "w")
    assert outcome.status == "done"
    with db.session() as session:
        translation = session.get(Translation, draft)
        assert translation.state == "in_review"
        assert [s.id for s in translation.segments] == ids  # the same rows, so the history stays with them
        title = translation.segments[0]
        assert title.text == title.machine_text != "검토자가 고친 제목" and title.version == 3
        assert [(c.action, c.author, c.text) for c in history_of(session, draft)] == [
            ("edit", "kim", "검토자가 고친 제목")]
        assert [c.body for c in comments_of(session, draft)] == ["용어가 많이 틀렸습니다. 다시 번역해 주세요."]
    with pytest.raises(StaleEdit), db.session() as session:  # an editor still open on version 2
        edit_segment(session, draft, "title", "늦은 수정", "lee", expected_version=2)


def test_an_edit_is_checked_with_the_article_date_and_as_human_text(db, draft):
    import datetime as dt

    from gnews_i18n.review.actions import get_translation

    glossary = load_glossaries([NEWSLETTER_GLOSSARY])
    with db.session() as session:
        get_translation(session, draft).revision.date = dt.date(2023, 11, 21)
    with db.session() as session:  # the Korean day alone: November comes from the article's date
        text = "7일 라마다프라자 수원호텔에서 열린 환영식에 8개 의료기관이 참석했다."
        segment = edit_segment(session, draft, "2.0", text, "kim", glossary=glossary)
        assert not [f for f in segment.flags if f["severity"] == "error"], segment.flags
    with db.session() as session:
        segment = edit_segment(session, draft, "2.0", "7일 환영식에 8개 의료기관이 참석했다.", "kim", glossary=glossary)
        missing = [f for f in segment.flags if f["id"] == "term_missing"]
        assert missing and {f["severity"] for f in missing} == {"warning"}  # a person's edit: a warning
