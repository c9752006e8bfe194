"""An operator's view from outside: /metrics (scraped and parsed as Prometheus does), /healthz,
/readyz, JSON log lines; and, with real worker processes, counters that survive a restart,
`worker --check` and Flower."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import subprocess
import sys

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from conftest import free_port, redis_available, run_cli, wait_for


def scrape(client) -> dict[tuple[str, tuple], float]:
    """/metrics as {(sample name, sorted labels): value}, parsed by prometheus-client's own parser."""
    answer = client.get("/metrics")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(answer.text) for sample in family.samples}


def value(samples: dict, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.fixture
def app_client(gnews_env):
    from fastapi.testclient import TestClient

    from gnews_i18n.auth.requests import database_for
    from gnews_i18n.server import create_app

    database_for.cache_clear()
    with TestClient(create_app()) as client:
        yield client
    database_for.cache_clear()


def short_article(slug: str, sentence: str = "The clinic in Suwon opened 3 new wards.") -> bytes:
    """One sentence and a title: the model's time stays small beside what is measured."""
    return f"---\ntitle: Wards in Suwon\nslug: {slug}\n---\n\n{sentence}\n".encode()


@contextlib.contextmanager
def json_lines(logger_name: str):
    """The lines ``logger_name`` writes while inside, through the JSON formatter."""
    from gnews_i18n.worker.logs import JsonFormatter

    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(self.format(record))

    handler = Collect(logging.INFO)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger(logger_name)
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield lines
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def test_metrics_and_json_logs_follow_a_submission_a_translation_and_a_publication(app_client, monkeypatch):
    from gnews_i18n.articles.submission import submit
    from gnews_i18n.auth.requests import database
    from gnews_i18n.config import load_settings
    from gnews_i18n.intake import parse_article
    from gnews_i18n.review.actions import approve
    from gnews_i18n.worker.job import run_translation
    from gnews_i18n.worker.tasks import publish

    monkeypatch.setenv("GNEWS_TORCH_THREADS", "1")
    before = scrape(app_client)
    assert value(before, "gnews_up", dependency="database") == 1
    assert value(before, "gnews_up", dependency="broker") == 1
    assert value(before, "gnews_queue_depth", queue="translate") == 0
    assert value(before, "gnews_translations", state="queued") == 0

    db = database()
    with db.session() as session:
        submitted = submit(session, parse_article(short_article("wards"), "wards.md"), ["ko"], submitted_by="editor1")
    translation_id, article_id = submitted.translation_ids[0], submitted.article_id
    queued = scrape(app_client)
    assert value(queued, "gnews_translations", state="queued") == 1
    assert value(queued, "gnews_translation_oldest_seconds", state="queued") >= 0

    with json_lines("gnews_i18n.worker.job") as lines:
        run_translation(db, load_settings(), translation_id, "test-worker")
    reviewed = scrape(app_client)
    assert value(reviewed, "gnews_translations", state="queued") == 0
    assert value(reviewed, "gnews_translations", state="in_review") == 1
    assert value(reviewed, "gnews_jobs_total", outcome="done") == 1
    assert value(reviewed, "gnews_job_latency_seconds_count") == 1
    assert value(reviewed, "gnews_mt_sentences_total", direction="en-ko") == 2  # the title and the sentence
    assert value(reviewed, "gnews_mt_seconds_total", direction="en-ko") > 0
    for stage in ("segment", "memory", "terms", "mt", "qa", "store"):
        assert value(reviewed, "gnews_stage_seconds_count", stage=stage) == 1, stage
    flags = sum(v for (name, _), v in reviewed.items() if name == "gnews_qa_flags_total")
    assert flags > 0  # a random-weights model's output is flagged
    assert value(reviewed, "gnews_publications_total", kind="article", outcome="published") == 0

    entries = [json.loads(line) for line in lines]  # one JSON object a line, every one with the ids
    assert len(entries) >= 4
    for entry in entries:
        assert (entry["translation_id"], entry["article_id"], entry["lang"]) == (translation_id, article_id, "ko")
        assert entry["stage"] and entry["message"] and entry["level"] == "INFO"
    assert entries[0]["stage"] == "claim" and entries[-1]["stage"] == "review"
    assert set(entries[-1]["seconds"]) == {"segment", "memory", "terms", "mt", "qa", "store"}

    with db.session() as session:
        approve(session, translation_id, "reviewer1", override="test model output")
    assert publish(article_id, "ko")["status"] == "published"
    published = scrape(app_client)
    assert value(published, "gnews_translations", state="published") == 1
    assert value(published, "gnews_publications_total", kind="article", outcome="published") == 1
    assert value(published, "gnews_publish_seconds_count", kind="article") == 1
    assert value(published, "gnews_publish_files_written_total") >= 2  # the article page and its index at least


def test_healthz_and_readyz_answer_when_everything_is_up(app_client):
    assert app_client.get("/healthz").json()["status"] == "ok"
    ready = app_client.get("/readyz")
    assert ready.status_code == 200, ready.text
    assert {c["name"]: c["ok"] for c in ready.json()["checks"]} == {"database": True, "migrations": True,
                                                                    "broker": True}


def test_readyz_is_503_with_the_reason_when_the_database_is_unreachable(app_client, monkeypatch):
    monkeypatch.setenv("GNEWS_DATABASE_URL", f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/gone")
    answer = app_client.get("/readyz")
    assert answer.status_code == 503
    body = answer.json()
    assert body["code"] == "not_ready" and "database unreachable" in body["detail"]
    assert {c["name"]: c["ok"] for c in body["checks"]} == {"database": False, "broker": True}
    assert app_client.get("/healthz").status_code == 200  # the process itself is fine
    assert value(scrape(app_client), "gnews_up", dependency="database") == 0


def test_readyz_is_503_when_the_schema_is_behind_or_the_broker_away(app_client, monkeypatch):
    from sqlalchemy import text

    from gnews_i18n.auth.requests import database

    with database().engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'an_older_one'"))
    behind = app_client.get("/readyz")
    assert behind.status_code == 503
    assert "an_older_one" in behind.json()["detail"] and "upgrade" in behind.json()["detail"]
    monkeypatch.setenv("GNEWS_BROKER_URL", f"redis://127.0.0.1:{free_port()}/0")
    away = app_client.get("/readyz").json()
    assert {c["name"]: c["ok"] for c in away["checks"]}["broker"] is False


# ---- real worker processes ---------------------------------------------------------------------

def _check(env: dict[str, str]) -> subprocess.CompletedProcess:
    return run_cli(env, "worker", "--check")


@pytest.mark.slow
def test_counters_survive_a_worker_restart_and_the_check_follows_the_worker(gnews_env, start_worker, tmp_path):
    """Two jobs, each done by a different worker process (the first stopped before the second
    starts): the installation's counter says 2, neither reset to 1 nor counted 3. The worker's
    JSON log lines parse, and `worker --check` is 0 while it runs, 1 once it stopped."""
    from fastapi.testclient import TestClient

    from gnews_i18n.auth.requests import database_for
    from gnews_i18n.server import create_app

    env = {**gnews_env, "GNEWS_LOG_FORMAT": "json", "GNEWS_HEARTBEAT_SECONDS": "1", "GNEWS_TORCH_THREADS": "1"}
    database_for.cache_clear()
    client = TestClient(create_app())
    for round_number in (1, 2):
        article = tmp_path / f"restart-{round_number}.md"
        article.write_bytes(short_article(f"restart-{round_number}"))
        assert run_cli(env, "submit", str(article), "--to", "ko").returncode == 0
        if round_number == 1:  # no worker yet: the message waits in the embedded broker
            assert value(scrape(client), "gnews_queue_depth", queue="translate") == 1
        worker = start_worker(env, queues="translate")
        wait_for(lambda n=round_number: value(scrape(client), "gnews_jobs_total", outcome="done") == n, 90,
                 f"job {round_number} to be done", worker)
        if round_number == 1:
            checked = _check(env)
            assert checked.returncode == 0, checked.stdout + checked.stderr
            assert "alive" in checked.stdout
        worker.stop()
        if round_number == 1:
            stopped = _check(env)
            assert stopped.returncode == 1 and "no worker has a heartbeat" in stopped.stderr
        log_lines = [json.loads(line) for line in worker.log_path.read_text().splitlines() if line.startswith("{")]
        done = [e for e in log_lines if e.get("stage") == "review"]
        assert len(done) == 1 and done[0]["translation_id"] == round_number and done[0]["article_id"] == round_number
    samples = scrape(client)
    client.close()
    database_for.cache_clear()
    assert value(samples, "gnews_jobs_total", outcome="done") == 2
    assert value(samples, "gnews_job_latency_seconds_count") == 2
    assert value(samples, "gnews_translations", state="in_review") == 2
    assert value(samples, "gnews_queue_depth", queue="translate") == 0


@pytest.mark.slow
@pytest.mark.redis
def test_flower_shows_a_task_the_projects_worker_ran(gnews_env, start_worker, tmp_path):
    """Flower, as the compose file runs it (`celery -A gnews_i18n.worker.app flower`), on Redis:
    the sweep a worker ran appears in its API, by id, name and worker."""
    pytest.importorskip("flower")
    if not redis_available():
        pytest.skip(reason="Redis not available at 127.0.0.1:6379")
    import redis

    broker = "redis://127.0.0.1:6379/13"
    redis.Redis.from_url(broker).flushdb()
    env = {**gnews_env, "GNEWS_BROKER_URL": broker, "GNEWS_RESULT_BACKEND": broker}
    port = free_port()
    with open(tmp_path / "flower.log", "wb") as log:
        flower = subprocess.Popen([sys.executable, "-m", "celery", "-A", "gnews_i18n.worker.app", "flower",
                                   f"--port={port}", "--address=127.0.0.1"],
                                  env={**os.environ, **env, "FLOWER_BASIC_AUTH": "ops:flower-test"},
                                  stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            worker = start_worker(env, queues="maintenance", extra_args=["--events"])
            wait_for(lambda: b" ready." in worker.log_path.read_bytes(), 60, "the worker to be ready", worker)
            sent = subprocess.run([sys.executable, "-c", "from gnews_i18n.worker.tasks import sweep; "
                                   "print(sweep.apply_async().id)"], env={**os.environ, **env},
                                  capture_output=True, text=True, timeout=60)
            assert sent.returncode == 0, sent.stderr
            task_id = sent.stdout.strip()

            def seen() -> dict | None:
                try:
                    answer = httpx.get(f"http://127.0.0.1:{port}/api/tasks", auth=("ops", "flower-test"), timeout=2)
                    task = answer.json().get(task_id)
                except (httpx.HTTPError, ValueError):
                    return None
                return task if task and task.get("state") == "SUCCESS" else None

            task = wait_for(seen, 60, "Flower to report the sweep task", worker)
            assert task["name"] == "sweep" and task["worker"].startswith("test-")
        finally:
            flower.terminate()
            try:
                flower.wait(10)
            except subprocess.TimeoutExpired:
                flower.kill()
            redis.Redis.from_url(broker).flushdb()
