"""Translation jobs: claimed once, resumable after a dead worker, never stored twice."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select, update

from gnews_i18n.articles.submission import submit
from gnews_i18n.config import load_settings
from gnews_i18n.intake import parse_article
from gnews_i18n.review.actions import ReviewError, approve
from gnews_i18n.states import TranslationState
from gnews_i18n.store.models import Segment, Translation, utcnow
from gnews_i18n.worker.job import claim, pending_work, run_translation

from conftest import EN_SAMPLE


@pytest.fixture
def queued(db, gnews_env):
    with db.session() as session:
        result = submit(session, parse_article(EN_SAMPLE.read_bytes(), EN_SAMPLE.name), ["ko"])
    return result.translation_ids[0]


def _segments(db, translation_id):
    with db.session() as session:
        return session.scalars(select(Segment).where(Segment.translation_id == translation_id)).all()


def test_a_job_translates_every_sentence_and_waits_for_review(db, queued):
    outcome = run_translation(db, load_settings(), queued, "worker-a")
    assert outcome.status == "done"
    segments = _segments(db, queued)
    assert len(segments) == 18  # the title and 17 sentences of the sample
    assert segments[0].block_index == -1 and segments[0].source_text.startswith("Uzbekistan Tashkent")
    assert all(s.machine_text and s.text == s.machine_text and s.state == "machine" for s in segments)
    assert all(s.provenance["backend"] == "transformers" and "seconds" in s.provenance for s in segments)
    # the active glossary (GNEWS_GLOSSARIES) was applied: hits recorded, approved forms in the draft
    ajou = [s for s in segments if "Ajou University Hospital" in s.source_text]
    assert ajou and all("아주대학교병원" in s.text for s in ajou)
    assert all(any(hit["term"] == "ajou-hospital" for hit in s.terms) for s in ajou)
    with db.session() as session:
        translation = session.get(Translation, queued)
        assert translation.state == TranslationState.IN_REVIEW
        assert translation.lease_owner is None and translation.attempts == 1


def test_a_redelivered_job_does_nothing(db, queued):
    run_translation(db, load_settings(), queued, "worker-a")
    again = run_translation(db, load_settings(), queued, "worker-b")
    assert again.status == "skipped"
    assert len(_segments(db, queued)) == 18


def test_a_live_claim_makes_the_second_delivery_wait(db, queued):
    assert claim(db, queued, "worker-a", lease_seconds=60) is None
    outcome = run_translation(db, load_settings(), queued, "worker-b")
    assert outcome.status == "busy" and 59 <= outcome.retry_after <= 61


def test_an_expired_claim_is_taken_over(db, queued):
    assert claim(db, queued, "dead-worker", lease_seconds=60) is None
    with db.session() as session:  # the dead worker's lease runs out
        session.execute(update(Translation).values(lease_expires_at=utcnow() - dt.timedelta(seconds=1)))
    _, running, _ = pending_work(db)
    assert [tid for tid, _ in running] == [queued]
    assert run_translation(db, load_settings(), queued, "worker-b").status == "done"
    with db.session() as session:
        assert session.get(Translation, queued).attempts == 2
        assert session.scalar(select(func.count()).select_from(Segment)) == 18


def test_approval_needs_a_finished_translation(db, queued):
    with pytest.raises(ReviewError, match="not been translated"), db.session() as session:
        approve(session, queued, "rev")
    run_translation(db, load_settings(), queued, "worker-a")
    with pytest.raises(ReviewError, match=r"error flag\(s\).*override"), db.session() as session:
        approve(session, queued, "rev")  # the random model's draft fails QA: approval is blocked
    with db.session() as session:
        approve(session, queued, "rev", override="random test model")
    with db.session() as session:
        translation = session.get(Translation, queued)
        assert translation.state == TranslationState.APPROVED and translation.approved_by == "rev"
        assert translation.override_reason == "random test model"
        assert {s.state for s in translation.segments} == {"approved"}


def test_a_missing_model_fails_the_job_with_advice(db, queued, monkeypatch, tmp_path):
    monkeypatch.setenv("GNEWS_MODEL_EN_KO", str(tmp_path / "no-such-model"))
    with pytest.raises(Exception, match="no config.json|cannot load"):
        run_translation(db, load_settings(), queued, "worker-a")
    with db.session() as session:
        translation = session.get(Translation, queued)
        assert translation.state == TranslationState.FAILED and "no-such-model" in translation.error


def test_a_failed_job_has_a_way_back(db, queued, gnews_env, monkeypatch, tmp_path):
    """Failed is not final: `status` shows why, `requeue --failed` queues it again, and the
    next run (its cause fixed) translates it."""
    from conftest import run_cli

    monkeypatch.setenv("GNEWS_DATABASE_URL", db.url)
    env = {**gnews_env, "GNEWS_DATABASE_URL": db.url}
    monkeypatch.setenv("GNEWS_MODEL_EN_KO", str(tmp_path / "no-such-model"))
    with pytest.raises(Exception, match="no config.json|cannot load"):
        run_translation(db, load_settings(), queued, "worker-a")
    shown = run_cli({**env, "COLUMNS": "250"}, "status")
    assert "failed" in shown.stdout and "no-such-model" in shown.stdout and "requeue --failed" in shown.stdout

    assert run_cli(env, "requeue").returncode == 0
    assert _state(db, queued) == TranslationState.FAILED  # plain requeue leaves failures alone
    again = run_cli(env, "requeue", "--failed")
    assert again.returncode == 0, again.stderr
    assert "1 of them failed before" in again.stdout
    assert _state(db, queued) == TranslationState.QUEUED
    monkeypatch.setenv("GNEWS_MODEL_EN_KO", gnews_env["GNEWS_MODEL_EN_KO"])  # the cause fixed
    assert run_translation(db, load_settings(), queued, "worker-b").status == "done"
    assert _state(db, queued) == TranslationState.IN_REVIEW


def test_the_sweep_picks_stalled_work_once(db, queued):
    """Queued work nobody touched for a while is picked, then left alone until it is quiet again;
    an interrupted job is picked once its lease has expired."""
    from gnews_i18n.worker.recovery import pick_stalled

    assert not pick_stalled(db, resend_after=60)  # just queued: its message is probably on its way
    with db.session() as session:
        session.execute(update(Translation).values(updated_at=utcnow() - dt.timedelta(seconds=120)))
    assert pick_stalled(db, resend_after=60).queued == [queued]
    assert not pick_stalled(db, resend_after=60)  # sent just now: not again before another minute

    assert claim(db, queued, "worker-a", lease_seconds=60) is None
    with db.session() as session:
        session.execute(update(Translation).values(updated_at=utcnow() - dt.timedelta(seconds=120)))
    assert not pick_stalled(db, resend_after=60)  # lease still running: the worker may be alive
    with db.session() as session:
        session.execute(update(Translation).values(lease_expires_at=utcnow() - dt.timedelta(seconds=1),
                                                    updated_at=utcnow() - dt.timedelta(seconds=120)))
    assert pick_stalled(db, resend_after=60).interrupted == [queued]


def _state(db, translation_id) -> str:
    with db.session() as session:
        return session.get(Translation, translation_id).state


def test_several_articles_share_the_engines_batches(db, gnews_env, monkeypatch):
    """Two short articles in one run: one engine call carries sentences of both."""
    import gnews_i18n.worker.job as jobs_module
    from gnews_i18n.worker.job import run_translations

    calls: list[list[str]] = []
    real = jobs_module.get_translator

    class Recording:
        def __init__(self, inner):
            self.inner, self.src, self.tgt, self.model_id = inner, inner.src, inner.tgt, inner.model_id

        def translate(self, texts):
            calls.append(list(texts))
            return self.inner.translate(texts)

    monkeypatch.setattr(jobs_module, "get_translator", lambda *args: Recording(real(*args)))
    ids = []
    for title, body in (("Hospital news", "Ajou University Hospital opened a ward."),
                        ("Clinic news", "The delegation visited Tashkent. They returned home.")):
        article = parse_article(f"{title}\n\n{body}\n".encode(), f"{title}.txt")
        with db.session() as session:
            ids += submit(session, article, ["ko"]).translation_ids
    outcomes = run_translations(db, load_settings(), ids, "worker-a")
    assert [outcomes[i].status for i in ids] == ["done", "done"]
    # the articles' sentences in one call (another may be the terminology's probe of the model, once per model)
    theirs = [call for call in calls if {"Hospital news", "Clinic news"} & set(call)]
    assert len(theirs) == 1 and {"Hospital news", "Clinic news"} <= set(theirs[0]), calls
    with db.session() as session:
        counts = [len(session.get(Translation, i).segments) for i in ids]
        assert counts == [2, 3]  # each article's own title and sentences, saved to its own translation
        assert all(session.get(Translation, i).state == TranslationState.IN_REVIEW for i in ids)


def test_a_worker_builds_the_terminology_once_until_a_glossary_changes(gnews_env, tmp_path, monkeypatch):
    import os

    from gnews_i18n.worker.job import _terminology

    glossary = tmp_path / "terms.csv"
    glossary.write_text("type,ko,en\ninstitution,아주대학교병원,Ajou University Hospital\n", encoding="utf-8")
    monkeypatch.setenv("GNEWS_GLOSSARIES", str(glossary))
    first = _terminology(load_settings(), None, "ko", "en")
    assert _terminology(load_settings(), None, "ko", "en") is first
    assert _terminology(load_settings(), "type,ko,en\nplace,수원,Suwon\n", "ko", "en") is not first  # the article's own
    glossary.write_text("type,ko,en\ninstitution,아주대학교병원,Ajou Univ. Hospital\n", encoding="utf-8")
    os.utime(glossary, ns=(glossary.stat().st_atime_ns, glossary.stat().st_mtime_ns + 10**9))
    changed = _terminology(load_settings(), None, "ko", "en")
    assert changed is not first
    assert "Ajou Univ. Hospital" in changed.finish(*_translated(changed, "아주대학교병원을 방문했다."))[0]


def _translated(terminology, source: str):
    prepared = terminology.prepare(source)
    return prepared.text, prepared  # the "model" copies its input: the placeholder is found as written
