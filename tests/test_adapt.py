"""Learning from reviewers: approved pairs held out by article, model versions side by side,
promotion only when the new version wins, rollback, one run at a time, workers that follow."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import shutil
from pathlib import Path

import pytest

from gnews_i18n.adapt.data import AdaptDataError, ApprovedPair, approved_pairs, hold_out, protect
from gnews_i18n.adapt.evaluate import Comparison, Scores
from gnews_i18n.adapt.promotion import Margins, decide
from gnews_i18n.adapt.run import AdaptBusy, AdaptOptions, adapt_direction, direction_lock
from gnews_i18n.config import load_settings
from gnews_i18n.mt.registry import choose
from gnews_i18n.mt.versions import (
    BASE,
    CURRENT_FILE,
    Manifest,
    VersionError,
    current,
    promote,
    rollback,
    today,
)


def _pairs(articles: int, per_article: int) -> list[ApprovedPair]:
    return [ApprovedPair(f"a{a}", f"원문 {a}-{s}", f"source {a}-{s}") for a in range(articles)
            for s in range(per_article)]


def test_held_out_slice_takes_whole_articles_and_is_the_same_every_time():
    pairs = _pairs(30, 4) + _pairs(30, 9)[30 * 4:]  # articles of different sizes
    split = hold_out(pairs, 0.15)
    assert split == hold_out(list(pairs), 0.15)
    held_articles = {p.article for p in split.held_out}
    assert not held_articles & {p.article for p in split.train}
    assert len(split.held_out) >= 0.15 * len(pairs)
    assert len(split.train) + len(split.held_out) == len(pairs)
    assert hold_out(pairs, 0.3).held_out != split.held_out


def test_articles_the_serving_version_learnt_are_never_held_out():
    pairs = _pairs(20, 5)
    learnt = frozenset(f"a{a}" for a in range(15))
    split = hold_out(pairs, 0.2, learnt=learnt)
    assert split.held_out and {p.article for p in split.held_out} <= {f"a{a}" for a in range(15, 20)}
    with pytest.raises(AdaptDataError, match="none is left to test a new version fairly"):
        hold_out(pairs, 0.2, learnt=frozenset(f"a{a}" for a in range(20)))


def test_too_small_a_slice_or_a_single_article_is_refused_with_the_reason():
    with pytest.raises(AdaptDataError, match="at least 10%"):
        hold_out(_pairs(10, 3), 0.05)
    with pytest.raises(AdaptDataError, match="at least two articles"):
        hold_out(_pairs(1, 20), 0.1)


def test_glossary_terms_become_the_pipelines_placeholders_on_both_sides():
    from gnews_i18n.terms import Glossary, Term, Terminology

    term = Term({"ko": "순천의료원", "en": "Suncheon Medical Center"}, "institution")
    terminology = Terminology(Glossary([term]), "ko", "en")
    pairs = [ApprovedPair("1", "순천의료원은 환자 12명을 치료했다.", "Suncheon Medical Center treated 12 patients."),
             ApprovedPair("1", "순천의료원은 문을 열었다.", "The hospital opened.")]  # the reviewer wrote it otherwise
    protected, kept = protect(pairs, terminology, "code")
    assert "순천의료원" not in protected.source and "Suncheon" not in protected.target
    token = next(w for w in protected.source.split() if w.startswith("TRM"))[:5]
    assert protected.target.startswith(token)
    assert kept == pairs[1]


def test_approved_pairs_come_from_approved_translations_of_the_direction_only(db):
    from gnews_i18n.store.models import Article, ArticleRevision, Segment, Translation

    day = dt.datetime(2026, 11, 2, 9, 0)
    with db.session() as session:
        for number, (state, approved_at) in enumerate([("approved", day), ("published", day + dt.timedelta(days=20)),
                                                       ("in_review", None)]):
            article = Article(slug=f"a{number}", source_lang="ko")
            revision = ArticleRevision(article=article, number=1, title="t", source_format="md", blocks=[],
                                       checksum=str(number))
            translation = Translation(revision=revision, target_lang="en", state=state, approved_at=approved_at)
            other = Translation(revision=revision, target_lang="ru", state="approved", approved_at=day)
            for index in range(2):
                source = f"문장 {number}.{index}"
                translation.segments.append(Segment(block_index=0, sentence_index=index, source_text=source,
                                                    machine_text="mt", text=f"Sentence {number}.{index}.",
                                                    state="approved"))
                other.segments.append(Segment(block_index=0, sentence_index=index, source_text=source,
                                              machine_text="mt", text="Предложение.", state="approved"))
            session.add_all([article, revision, translation, other])
    with db.session() as session:
        everything = approved_pairs(session, "ko", "en")
        recent = approved_pairs(session, "ko", "en", since=dt.date(2026, 11, 10))
    assert [p.target for p in everything] == ["Sentence 0.0.", "Sentence 0.1.", "Sentence 1.0.", "Sentence 1.1."]
    assert {p.machine for p in everything} == {"mt"}
    assert [p.target for p in recent] == ["Sentence 1.0.", "Sentence 1.1."]
    assert len({p.article for p in everything}) == 2


def _comparison(name: str, old: float, new: float, sentences: int = 40) -> Comparison:
    return Comparison(name, Scores(old, 50.0, 0.2, sentences), Scores(new, 45.0, 0.1, sentences))


def test_promotion_needs_a_held_out_gain_and_no_general_loss():
    margins = Margins(min_gain=2.0, max_general_drop=1.0)
    assert decide(_comparison("h", 60, 63), _comparison("g", 80, 79.5), margins).promote
    small = decide(_comparison("h", 60, 61), _comparison("g", 80, 80), margins)
    assert not small.promote and "GNEWS_ADAPT_MIN_GAIN" in small.reason
    forgot = decide(_comparison("h", 60, 70), _comparison("g", 80, 77), margins)
    assert not forgot.promote and "general chrF fell by 3.00" in forgot.reason
    unguarded = decide(_comparison("h", 60, 70), None, margins)
    assert not unguarded.promote and "general.tsv" in unguarded.reason


def _fake_version(directory: Path, name: str, parent: str) -> None:
    (directory / name).mkdir(parents=True)
    (directory / name / "config.json").write_text("{}", encoding="utf-8")
    Manifest(name, parent, today()).save(directory / name)


def test_promote_and_rollback_switch_what_the_registry_chooses_on_the_next_call(tmp_path, monkeypatch):
    monkeypatch.setenv("GNEWS_MODELS_DIR", str(tmp_path / "models"))
    monkeypatch.delenv("GNEWS_MODEL_KO_EN", raising=False)
    directory = tmp_path / "models" / "ko-en"
    directory.mkdir(parents=True)
    (directory / "config.json").write_text("{}", encoding="utf-8")
    _fake_version(directory, "v1", BASE)
    _fake_version(directory, "v2", "v1")
    settings = load_settings()
    assert choose(settings, "ko", "en").model == str(directory)  # a version is a candidate until promoted

    promote(directory, "v1")
    promote(directory, "v2")
    chosen = choose(settings, "ko", "en")
    assert (chosen.model, chosen.version) == (str(directory / "v2"), "v2")
    assert Manifest.load(directory / "v2").status == "promoted"
    assert Manifest.load(directory / "v1").status == "retired"

    assert rollback(directory) == ("v2", "v1")
    assert choose(settings, "ko", "en").model == str(directory / "v1")
    assert rollback(directory) == ("v1", BASE)
    assert choose(settings, "ko", "en").model == str(directory)
    with pytest.raises(VersionError, match="nothing to roll back"):
        rollback(directory)
    with pytest.raises(VersionError, match="no model version 'v9'.*v1, v2"):
        promote(directory, "v9")
    (directory / CURRENT_FILE).write_text("v7\n", encoding="utf-8")  # a version deleted by hand: the base serves
    assert current(directory) == BASE


def test_the_cli_lists_promotes_and_rolls_back_versions(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from gnews_i18n.cli import app

    directory = tmp_path / "models" / "ko-en"
    directory.mkdir(parents=True)
    (directory / "config.json").write_text("{}", encoding="utf-8")
    _fake_version(directory, "v1", BASE)
    monkeypatch.setenv("GNEWS_MODELS_DIR", str(tmp_path / "models"))
    monkeypatch.setenv("GNEWS_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("GNEWS_MODEL_KO_EN", raising=False)
    runner = CliRunner()
    promoted = runner.invoke(app, ["models", "promote", "v1", "--src", "ko", "--tgt", "en"])
    assert promoted.exit_code == 0, promoted.output
    assert (directory / CURRENT_FILE).read_text().strip() == "v1"
    listed = runner.invoke(app, ["models", "list"], env={"COLUMNS": "250"})
    assert "ko-en: model versions" in listed.output and "v1 *" in listed.output
    missing = runner.invoke(app, ["models", "promote", "v3", "--src", "ko", "--tgt", "en"])
    assert missing.exit_code == 1 and "no model version 'v3'" in missing.output
    back = runner.invoke(app, ["models", "rollback", "--src", "ko", "--tgt", "en"])
    assert back.exit_code == 0 and "from v1 to base" in back.output
    assert current(directory) == BASE


def test_two_runs_for_one_direction_never_overlap(tmp_path):
    directory = tmp_path / "ko-en"
    with direction_lock(directory):
        with pytest.raises(AdaptBusy, match=f"already running \\(pid {os.getpid()}"):
            with direction_lock(directory):
                pass
        with direction_lock(tmp_path / "en-ko"):  # another direction is free
            pass
    with direction_lock(directory):  # released after the run
        pass


# --- the real thing: the tiny trained model adapted on a simulated newsroom --------------------------------


@pytest.fixture(scope="module")
def tiny_ko_en(tmp_path_factory) -> Path:
    from gnews_i18n.devmodels.training import build_trained_model

    directory = tmp_path_factory.mktemp("tiny") / "ko-en"
    build_trained_model(directory, "ko", "en", "tiny")
    return directory


def _newsroom(articles: int, seed: int) -> list[ApprovedPair]:
    from gnews_i18n.devmodels.house_style import newsroom

    return [ApprovedPair(p.article, p.ko, p.en, p.plain) for p in newsroom(articles, 6, seed)]


FAST = dict(holdout=0.2, num_beams=1)


@pytest.mark.slow
def test_a_house_style_is_learnt_and_promoted_and_shuffled_targets_are_refused(tiny_ko_en, tmp_path, monkeypatch):
    from gnews_i18n.adapt.finetune import FinetuneSettings
    from gnews_i18n.mt.loader import get_translator

    models = tmp_path / "models"
    directory = models / "ko-en"
    shutil.copytree(tiny_ko_en, directory)
    _general_set_the_style_leaves_alone(directory, 40)
    monkeypatch.setenv("GNEWS_MODELS_DIR", str(models))
    monkeypatch.delenv("GNEWS_MODEL_KO_EN", raising=False)
    monkeypatch.setenv("GNEWS_NUM_BEAMS", "1")
    settings = load_settings()
    before = get_translator(settings, "ko", "en")
    sentence = "김미경 시장은 환자 452명이 원격진료 시범 사업에 참여했다고 밝혔다."

    training = FinetuneSettings(steps=STEPS, learning_rate=LEARNING_RATE, batch=16)
    helpful = adapt_direction(models, "ko", "en", _newsroom(ARTICLES, 11), AdaptOptions(training=training, **FAST))
    assert helpful.promoted, helpful.reason
    assert helpful.held_out.chrf_change >= Margins().min_gain
    assert current(directory) == "v1" and (directory / "v1" / "report.md").exists()
    manifest = json.loads((directory / "v1" / "manifest.json").read_text())
    assert manifest["parent"] == BASE and manifest["status"] == "promoted" and manifest["counts"]["replay"] > 0
    assert len(manifest["learnt_articles"]) == helpful.counts["train_articles"]

    # a worker that loaded the base picks the promoted version on its next job, and drafts say which
    after = get_translator(settings, "ko", "en")
    assert after is not before and after.model_id == str(directory / "v1")
    assert after.translate([sentence])[0].provenance["version"] == "v1"

    shuffled = _newsroom(ARTICLES, 12)
    targets = [p.target for p in shuffled]
    random.Random(5).shuffle(targets)
    harmful = [ApprovedPair(p.article, p.source, t) for p, t in zip(shuffled, targets, strict=True)]
    short = FinetuneSettings(steps=STEPS // 4, learning_rate=LEARNING_RATE, batch=16)  # refused sooner: CI time
    refused = adapt_direction(models, "ko", "en", harmful, AdaptOptions(training=short, **FAST))
    assert not refused.promoted and "GNEWS_ADAPT_MIN_GAIN" in refused.reason
    assert current(directory) == "v1"  # CURRENT unchanged
    assert Manifest.load(directory / "v2").status == "candidate"
    assert refused.reason in (directory / "v2" / "report.md").read_text()

    assert rollback(directory) == ("v1", BASE)
    assert choose(settings, "ko", "en").model == str(directory)


def _general_set_the_style_leaves_alone(directory: Path, count: int) -> None:
    from gnews_i18n.adapt.finetune import GENERAL_FILE, read_pairs, write_pairs
    from gnews_i18n.devmodels.house_style import untouched

    write_pairs(directory / GENERAL_FILE, untouched(read_pairs(directory / GENERAL_FILE))[:count])


@pytest.mark.slow
def test_a_stopped_run_resumes_from_its_checkpoint_and_ends_as_an_unbroken_one(tiny_ko_en, tmp_path):
    from gnews_i18n.adapt.finetune import FinetuneError, FinetuneSettings, finetune, read_pairs

    pairs = [(p.source, p.target) for p in _newsroom(4, 11)]
    settings = FinetuneSettings(steps=4, learning_rate=LEARNING_RATE, batch=4, checkpoint_every=2)
    replay = read_pairs(tiny_ko_en / "replay.tsv")

    def stop_at_step_3(done: int, total: int, loss: float) -> None:
        if done == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        finetune(tiny_ko_en, tmp_path / "v1", "ko", "en", pairs, settings, replay=replay, on_progress=stop_at_step_3)
    with pytest.raises(FinetuneError, match="other data"):
        finetune(tiny_ko_en, tmp_path / "v1", "ko", "en", pairs[1:], settings, replay=replay, resume=True)
    resumed = finetune(tiny_ko_en, tmp_path / "v1", "ko", "en", pairs, settings, replay=replay, resume=True)
    unbroken = finetune(tiny_ko_en, tmp_path / "v2", "ko", "en", pairs, settings, replay=replay)
    assert resumed["resumed_at"] == 2 and unbroken["resumed_at"] == 0
    assert resumed["final_loss"] == pytest.approx(unbroken["final_loss"], abs=0.02)
    assert not (tmp_path / "v1" / "checkpoint").exists()


ARTICLES = 30
STEPS = 100
LEARNING_RATE = 3e-4


def test_the_worker_task_runs_on_the_training_queue_and_reports_instead_of_failing(tmp_path, monkeypatch):
    from gnews_i18n.worker import tasks
    from gnews_i18n.worker.app import TRAINING_QUEUE, app

    assert app.conf.task_routes["adapt"] == {"queue": TRAINING_QUEUE}
    assert not [entry for entry in app.conf.beat_schedule.values() if entry["task"] == "adapt"]  # off by default
    directory = tmp_path / "models" / "ko-en"
    directory.mkdir(parents=True)
    (directory / "config.json").write_text("{}", encoding="utf-8")
    monkeypatch.setenv("GNEWS_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("GNEWS_MODELS_DIR", str(tmp_path / "models"))
    monkeypatch.delenv("GNEWS_DATABASE_URL", raising=False)
    monkeypatch.setattr(tasks, "_context", {})
    nothing = tasks.adapt("ko", "en")
    assert "at least two articles" in nothing["error"] and not (directory / "v1").exists()
    with direction_lock(directory):
        assert "already running" in tasks.adapt("ko", "en")["busy"]
