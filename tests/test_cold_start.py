"""Processes starting together on a fresh database: one creates the schema, none fails.

Eight processes (forked, so they start within a millisecond of each other) open the same new
database 20 times over; before the migration lock, some died on `table articles already exists`
(SQLite) or a unique violation on `alembic_version` (PostgreSQL)."""

from __future__ import annotations

import json
import multiprocessing
import multiprocessing.pool
import traceback

import pytest

from conftest import EN_SAMPLE, _postgres_database, postgres_available, run_cli

PROCESSES = 8
ROUNDS = 20


def _open_and_store(url: str, start, errors, index: int) -> None:
    from gnews_i18n.store.db import Database
    from gnews_i18n.store.models import User

    start.wait()
    try:
        database = Database(url)
        with database.session() as session:  # the schema is really there: write a row
            session.add(User(name=f"user-{index}", roles=["editor"], languages=[]))
        database.dispose()
    except BaseException:
        errors.put(traceback.format_exc(limit=3))
        raise SystemExit(1) from None


def _start_together(url: str) -> list[str]:
    context = multiprocessing.get_context("fork")
    start, errors = context.Event(), context.Queue()
    processes = [context.Process(target=_open_and_store, args=(url, start, errors, i)) for i in range(PROCESSES)]
    for process in processes:
        process.start()
    start.set()
    for process in processes:
        process.join(60)
    failures = [errors.get(timeout=5) for p in processes if p.exitcode != 0]
    from gnews_i18n.store.db import Database
    from gnews_i18n.store.models import User

    database = Database(url, upgrade=False)
    with database.session() as session:
        stored = session.query(User).count()
    database.dispose()
    assert stored == PROCESSES - len(failures)
    return failures


@pytest.mark.slow
def test_eight_processes_start_on_a_new_sqlite_database(tmp_path):
    for round_number in range(ROUNDS):
        failures = _start_together(f"sqlite:///{tmp_path / f'round-{round_number}.sqlite'}")
        assert not failures, f"round {round_number}: {len(failures)} of {PROCESSES} failed:\n{failures[0]}"
    print(f"\ncold starts on SQLite: {ROUNDS} rounds × {PROCESSES} processes, 0 failed, 0 rows lost")


@pytest.mark.slow
@pytest.mark.postgres
def test_eight_processes_start_on_a_new_postgres_database():
    if not postgres_available():
        pytest.skip(reason="PostgreSQL not available at 127.0.0.1:5432")
    for round_number in range(ROUNDS):
        database = _postgres_database()
        url = next(database)
        try:
            failures = _start_together(url)
        finally:
            database.close()
        assert not failures, f"round {round_number}: {len(failures)} of {PROCESSES} failed:\n{failures[0]}"
    print(f"\ncold starts on PostgreSQL: {ROUNDS} rounds × {PROCESSES} processes, 0 failed, 0 rows lost")


@pytest.mark.slow
def test_concurrent_submits_on_a_new_database_all_store_their_article(gnews_env, tmp_path):
    """The issue's reproduction, through the real command: eight `submit`s at once, nothing lost."""
    env = {**gnews_env, "GNEWS_DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite'}"}
    sources = []
    for index in range(PROCESSES):
        source = tmp_path / f"article-{index}.md"
        source.write_text(f"---\ntitle: Cold start {index}\nslug: cold-start-{index}\n---\n\n"
                          + EN_SAMPLE.read_text(encoding="utf-8").split("\n", 2)[-1][:400], encoding="utf-8")
        sources.append(source)
    with multiprocessing.pool.ThreadPool(PROCESSES) as pool:
        results = pool.map(lambda s: run_cli(env, "submit", str(s), "--to", "ko", "--no-queue"), sources)
    for result in results:
        assert result.returncode == 0, result.stderr[-2000:]
        assert "Traceback" not in result.stderr
    listing = run_cli(env, "status", "--json")
    assert listing.returncode == 0, listing.stderr
    assert len(json.loads(listing.stdout)) == PROCESSES
