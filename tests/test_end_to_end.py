"""The whole path through real worker processes: embedded broker, Redis + PostgreSQL, a killed worker."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from gnews_i18n.states import TranslationState
from gnews_i18n.store.db import Database
from gnews_i18n.store.models import Edition, Segment, Translation

from conftest import EN_SAMPLE, postgres_available, rabbitmq_available, redis_available, wait_for

pytestmark = pytest.mark.slow


def cli(env: dict[str, str], *args: str, input: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "gnews_i18n.cli", *args], env={**os.environ, **env}, input=input,
        capture_output=True, timeout=300,
    )


def _state(db: Database, translation_id: int) -> str:
    with db.session() as session:
        return session.get(Translation, translation_id).state


def _walk_the_path(env: dict[str, str], database_url: str, start_worker) -> None:
    """Submit with the CLI, translate on a worker, approve with the CLI, publish on the worker."""
    worker = start_worker(env)
    submitted = cli(env, "submit", str(EN_SAMPLE), "--to", "ko")
    assert submitted.returncode == 0, submitted.stderr.decode()
    article_id = int(submitted.stdout.decode().strip())
    db = Database(database_url)
    with db.session() as session:
        translation_id = session.scalar(select(Translation.id))
    wait_for(lambda: _state(db, translation_id) == TranslationState.IN_REVIEW, 180, "translation", worker)

    listed = cli(env, "review", "list", "--json")
    assert f'"id": {translation_id}' in listed.stdout.decode()
    refused = cli(env, "review", "approve", str(translation_id), "--by", "tester")
    assert refused.returncode == 1 and b"error flag" in refused.stderr  # a random model's draft fails QA
    approved = cli(env, "review", "approve", str(translation_id), "--by", "tester", "--override", "test model")
    assert approved.returncode == 0, approved.stderr.decode()
    wait_for(lambda: _state(db, translation_id) == TranslationState.PUBLISHED, 120, "publication", worker)

    with db.session() as session:
        editions = {e.lang: Path(e.path) for e in session.scalars(select(Edition))}
        segments = session.scalars(select(Segment).where(Segment.translation_id == translation_id)).all()
    assert set(editions) == {"en", "ko"}
    korean = editions["ko"].read_text()
    assert '<html lang="ko">' in korean and "2023년 11월 21일" in korean
    assert all(s.text.split()[0] in korean for s in segments if s.text.split())  # the reviewed text is what went out
    english = editions["en"].read_text()
    assert "Korea University Ansan Hospital" in english and 'hreflang="ko"' in english
    assert (editions["ko"].parent / "index.html").exists()
    status = cli(env, "status", str(article_id), "--json")
    assert '"state": "published"' in status.stdout.decode()
    db.dispose()


def test_the_path_on_embedded_defaults(gnews_env, start_worker):
    """SQLite database, SQLite broker: no server process anywhere."""
    database_url = f"sqlite:///{gnews_env['GNEWS_DATA_DIR']}/gnews.sqlite"
    _walk_the_path(gnews_env, database_url, start_worker)


@pytest.mark.redis
@pytest.mark.postgres
def test_the_path_on_redis_and_postgresql(gnews_env, start_worker, postgres_url):
    if not redis_available():
        pytest.skip(reason="Redis not available at 127.0.0.1:6379")
    import redis

    client = redis.Redis.from_url("redis://127.0.0.1:6379/11")
    client.flushdb()
    env = {**gnews_env, "GNEWS_DATABASE_URL": postgres_url,
           "GNEWS_BROKER_URL": "redis://127.0.0.1:6379/11", "GNEWS_RESULT_BACKEND": "redis://127.0.0.1:6379/11"}
    try:
        _walk_the_path(env, postgres_url, start_worker)
    finally:
        client.flushdb()


@pytest.mark.rabbitmq
def test_the_path_on_rabbitmq(gnews_env, start_worker):
    """RabbitMQ as broker by URL; results and data stay on SQLite."""
    if not rabbitmq_available():
        pytest.skip(reason="RabbitMQ not available at 127.0.0.1:5672")
    env = {**gnews_env, "GNEWS_BROKER_URL": "amqp://guest:guest@127.0.0.1:5672//"}
    _purge_rabbitmq(env["GNEWS_BROKER_URL"])
    database_url = f"sqlite:///{gnews_env['GNEWS_DATA_DIR']}/gnews.sqlite"
    _walk_the_path(env, database_url, start_worker)


def _purge_rabbitmq(url: str) -> None:
    """Queues are shared on the server: start from empty ones."""
    from kombu import Connection

    with Connection(url) as connection:
        channel = connection.channel()
        for queue in ("translate", "publish"):
            try:
                channel.queue_purge(queue)
            except Exception:  # noqa: BLE001 - the queue does not exist yet
                channel = connection.channel()


def _long_article(tmp_path: Path) -> Path:
    """The sample's body six times over: long enough to kill a worker in the middle of it."""
    text = EN_SAMPLE.read_text()
    head, _, body = text.partition("- Strengthening of Korea-Uzbekistan Global Medical Cooperation -")
    path = tmp_path / "long.txt"
    path.write_text(head + "\n\n".join(f"{body.strip()} Part {n}." for n in range(6)))
    return path


@pytest.mark.timeout(900)
@pytest.mark.parametrize("backend", ["embedded", pytest.param("redis+postgresql", marks=[pytest.mark.redis,
                                                                                         pytest.mark.postgres])])
def test_a_worker_killed_mid_translation_yields_exactly_one_translation(
    backend, gnews_env, start_worker, tmp_path, request
):
    env = {**gnews_env, "GNEWS_LEASE_SECONDS": "6"}
    database_url = f"sqlite:///{gnews_env['GNEWS_DATA_DIR']}/gnews.sqlite"
    if backend != "embedded":
        if not (redis_available() and postgres_available()):
            pytest.skip(reason="Redis or PostgreSQL not available at 127.0.0.1")
        import redis

        database_url = request.getfixturevalue("postgres_url")
        redis.Redis.from_url("redis://127.0.0.1:6379/12").flushdb()
        env.update(GNEWS_DATABASE_URL=database_url, GNEWS_BROKER_URL="redis://127.0.0.1:6379/12",
                   GNEWS_RESULT_BACKEND="redis://127.0.0.1:6379/12")
    first = start_worker(env, queues="translate")
    submitted = cli(env, "submit", str(_long_article(tmp_path)), "--to", "ko")
    assert submitted.returncode == 0, submitted.stderr.decode()
    db = Database(database_url)
    with db.session() as session:
        translation_id = session.scalar(select(Translation.id))

    def in_the_middle():
        with db.session() as session:
            row = session.get(Translation, translation_id)
            return row.state == TranslationState.TRANSLATING and 0 < row.progress_done < row.progress_total

    wait_for(in_the_middle, 180, "the translation to be under way", first, interval=0.05)
    first.kill()  # SIGKILL to the worker and its pool: no cleanup, no acknowledgement
    killed = time.monotonic()
    assert _state(db, translation_id) == TranslationState.TRANSLATING

    second = start_worker(env, queues="translate")
    wait_for(lambda: _state(db, translation_id) == TranslationState.IN_REVIEW, 240, "the retried translation",
             second)
    print(f"\nworker killed mid-translation ({backend}): submitted 1, reached review 1, recovered "
          f"{time.monotonic() - killed:.1f} s after the kill (a new worker started, lease 6 s)")
    with db.session() as session:
        translation = session.get(Translation, translation_id)
        assert translation.attempts == 2
        assert session.scalar(select(func.count()).select_from(Translation)) == 1
        segments = session.scalars(select(Segment).where(Segment.translation_id == translation_id)).all()
        assert len(segments) == translation.progress_total
        positions = [(s.block_index, s.sentence_index) for s in segments]
        assert len(positions) == len(set(positions))
        assert all(s.machine_text for s in segments)
    db.dispose()
