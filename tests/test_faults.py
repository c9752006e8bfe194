"""Fault suite: a broker that goes away and comes back, a worker killed while another sits idle.

Each scenario runs on a Redis server of its own (a free port, nothing kept on disk), a real
worker and a real `gnews-i18n beat`, and prints what an operator would want to know:
submitted / reached review / duplicated / lost, and how long recovery took. Nobody runs
`requeue`: the sweep on beat has to bring the work back by itself.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from gnews_i18n.states import TranslationState
from gnews_i18n.store.db import Database
from gnews_i18n.store.models import Segment, Translation

from conftest import EN_SAMPLE, free_port, run_cli, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.redis, pytest.mark.timeout(600)]


# The outage tests stop and start a redis-server of their own. .ci/run installs it; outside CI a
# machine without it skips them (`which redis-server` says), under CI its absence is a failure.
needs_redis_server = pytest.mark.skipif(
    shutil.which("redis-server") is None and not os.environ.get("CI"),
    reason="redis-server is not on PATH (`which redis-server` finds nothing): apt-get install redis-server")


class RedisServer:
    """A redis-server of the test's own, which it can stop and start again on the same port."""

    def __init__(self, directory: Path):
        if shutil.which("redis-server") is None:  # only under CI (``needs_redis_server``): a failure
            pytest.fail(f"redis-server not found on PATH={os.environ.get('PATH', '')!r}; .ci/run installs it")
        self.port = free_port()
        self.directory = directory
        self.process: subprocess.Popen | None = None
        self.start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.directory)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        import redis

        wait_for(lambda: _answers(redis.Redis(port=self.port)), 20, "redis-server to answer")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)


def _answers(client) -> bool:
    try:
        return client.ping()
    except Exception:  # noqa: BLE001 - not up yet
        return False


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    yield server
    server.stop()


class BeatProcess:
    def __init__(self, env: dict[str, str], log_path: Path):
        self.log = open(log_path, "ab")
        self.process = subprocess.Popen([sys.executable, "-m", "gnews_i18n.cli", "beat"], env={**os.environ, **env},
                                        stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()


@pytest.fixture
def start_beat(tmp_path):
    started: list[BeatProcess] = []

    def start(env: dict[str, str]) -> BeatProcess:
        started.append(BeatProcess(env, tmp_path / f"beat-{len(started)}.log"))
        return started[-1]

    yield start
    for beat in started:
        beat.stop()


def _fault_env(gnews_env: dict[str, str], redis_url: str, tmp_path: Path) -> dict[str, str]:
    return {**gnews_env, "GNEWS_BROKER_URL": redis_url, "GNEWS_RESULT_BACKEND": redis_url,
            "GNEWS_DATABASE_URL": f"sqlite:///{tmp_path / 'faults.sqlite'}",
            "GNEWS_SWEEP_SECONDS": "1", "GNEWS_RESEND_AFTER_SECONDS": "3", "GNEWS_LEASE_SECONDS": LEASE}


LEASE = "20"  # long enough for a chunk on a loaded 2-core machine; Redis redelivers only after 80 s


def _counts(db: Database) -> dict[str, int]:
    with db.session() as session:
        translations = session.scalars(select(Translation)).all()
        positions = session.execute(select(Segment.translation_id, Segment.block_index, Segment.sentence_index,
                                           func.count()).group_by(Segment.translation_id, Segment.block_index,
                                                                  Segment.sentence_index)).all()
    return {
        "reached review": sum(t.state == TranslationState.IN_REVIEW for t in translations),
        "queued": sum(t.state == TranslationState.QUEUED for t in translations),
        "duplicated": sum(1 for *_, count in positions if count > 1),
        "translations": len(translations),
    }


def _time_recovery(db: Database, worker, since: float, expected: int, taken_up) -> tuple[float, float]:
    """Seconds from ``since`` until the stranded work is taken up, and until all of it is in review."""
    wait_for(taken_up, 400, "the stranded work to be taken up", worker)
    taken = time.monotonic() - since
    wait_for(lambda: _counts(db)["reached review"] == expected, 400, "the stranded work to be translated", worker)
    return taken, time.monotonic() - since


def _articles(tmp_path: Path, count: int) -> list[Path]:
    body = EN_SAMPLE.read_text(encoding="utf-8").split("\n\n")
    paths = []
    for n in range(count):
        path = tmp_path / f"outage-{n}.md"
        path.write_text(f"---\ntitle: Outage article {n}\nslug: outage-{n}\n---\n\n" + "\n\n".join(body[3:5]),
                        encoding="utf-8")
        paths.append(path)
    return paths


@needs_redis_server
def test_work_submitted_during_a_broker_outage_is_translated_when_it_returns(
        gnews_env, redis_server, start_worker, start_beat, tmp_path):
    env = _fault_env(gnews_env, redis_server.url, tmp_path)
    worker = start_worker(env, queues="translate,maintenance")
    start_beat(env)
    db = Database(env["GNEWS_DATABASE_URL"])

    redis_server.stop()
    articles = _articles(tmp_path, 4)
    started = time.monotonic()
    submitted = run_cli(env, "submit", *map(str, articles), "--to", "ko")
    assert submitted.returncode == 0, submitted.stderr[-2000:]
    assert "cannot be reached now" in submitted.stderr and "Traceback" not in submitted.stderr
    assert time.monotonic() - started < 30  # says so promptly instead of retrying for ages
    assert len(submitted.stdout.split()) == 4  # every article stored, its id printed

    time.sleep(3)  # the outage lasts a little while
    redis_server.start()
    taken_up, recovery = _time_recovery(db, worker, time.monotonic(), 4, lambda: _counts(db)["queued"] == 0)
    counts = _counts(db)
    print(f"\nbroker outage: submitted 4, reached review {counts['reached review']}, duplicated "
          f"{counts['duplicated']}, lost {4 - counts['reached review']}; work taken up {taken_up:.1f} s and all "
          f"translated {recovery:.1f} s after the broker came back")
    assert counts["duplicated"] == 0 and counts["translations"] == 4
    db.dispose()


def _long_article(tmp_path: Path) -> Path:
    text = EN_SAMPLE.read_text(encoding="utf-8")
    head, _, body = text.partition("- Strengthening of Korea-Uzbekistan Global Medical Cooperation -")
    path = tmp_path / "long.txt"
    path.write_text(head + "\n\n".join(f"{body.strip()} Part {n}." for n in range(6)), encoding="utf-8")
    return path


def _parent_of(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


@needs_redis_server
def test_an_idle_worker_takes_over_a_killed_workers_job_within_a_lease(
        gnews_env, redis_server, start_worker, start_beat, tmp_path):
    """Two workers wait; the one that took the job is killed; the other finishes it once the lease
    has run out (20 s here), long before Redis would redeliver the message (80 s)."""
    env = _fault_env(gnews_env, redis_server.url, tmp_path)
    workers = [start_worker(env, queues="translate,maintenance") for _ in range(2)]
    start_beat(env)
    db = Database(env["GNEWS_DATABASE_URL"])
    wait_for(lambda: all("ready" in w.output() for w in workers), 120, "both workers to be ready")
    submitted = run_cli(env, "submit", str(_long_article(tmp_path)), "--to", "ko")
    assert submitted.returncode == 0, submitted.stderr

    def holder():
        with db.session() as session:
            row = session.scalars(select(Translation)).one()
            return row.lease_owner if row.state == TranslationState.TRANSLATING else None

    owner = wait_for(holder, 400, "a worker to claim the translation")
    child = int(owner.split(":")[1])
    busy = next(w for w in workers if w.process.pid in (child, _parent_of(child)))
    busy.kill()
    killed = time.monotonic()
    idle = next(w for w in workers if w is not busy)

    def attempts() -> int:
        with db.session() as session:
            return session.scalars(select(Translation.attempts)).one()

    takeover, recovery = _time_recovery(db, idle, killed, 1, lambda: attempts() >= 2)
    counts = _counts(db)
    print(f"\nworker killed mid-translation: submitted 1, reached review {counts['reached review']}, duplicated "
          f"{counts['duplicated']}, lost 0; taken over {takeover:.1f} s and finished {recovery:.1f} s after the kill "
          f"(lease {LEASE} s)")
    assert takeover < 75, "came back only through the broker's redelivery, not the sweep"
    assert counts["duplicated"] == 0 and counts["translations"] == 1 and attempts() == 2
    db.dispose()


def test_shutdown_is_bounded(gnews_env, start_worker, tmp_path):
    """SIGTERM while a long translation runs: the worker waits the grace period, not the whole job."""
    env = {**gnews_env, "GNEWS_SHUTDOWN_GRACE_SECONDS": "3"}
    worker = start_worker(env, queues="translate")
    submitted = run_cli(env, "submit", str(_long_article(tmp_path)), "--to", "ko")
    assert submitted.returncode == 0, submitted.stderr
    db = Database(f"sqlite:///{gnews_env['GNEWS_DATA_DIR']}/gnews.sqlite")

    def under_way() -> bool:
        with db.session() as session:
            return session.scalars(select(Translation.state)).one() == TranslationState.TRANSLATING

    wait_for(under_way, 400, "the translation to be under way", worker, interval=0.05)
    stopping = time.monotonic()
    worker.process.send_signal(signal.SIGTERM)
    worker.process.wait(60)
    waited = time.monotonic() - stopping
    assert "exiting by force" in worker.output()
    with db.session() as session:
        assert session.scalars(select(Translation.state)).one() == TranslationState.TRANSLATING  # left for the sweep
    print(f"\nshutdown with a translation running: exited {waited:.1f} s after SIGTERM (grace 3 s)")
    assert waited < 30
    db.dispose()


@needs_redis_server
def test_a_worker_with_beat_on_a_fresh_data_directory_sweeps_work_sent_during_an_outage(
        gnews_env, redis_server, start_worker, tmp_path):
    """The documented scale-out set-up from nothing: Redis, `worker --beat`, a data directory not made yet."""
    fresh = tmp_path / "new-install" / "var"
    env = {**_fault_env(gnews_env, redis_server.url, tmp_path), "GNEWS_DATA_DIR": str(fresh)}
    worker = start_worker(env, queues="translate,maintenance", extra_args=["--beat"])
    wait_for(lambda: " ready." in worker.output(), 120, "the worker to start", worker)
    db = Database(env["GNEWS_DATABASE_URL"])

    redis_server.stop()
    submitted = run_cli(env, "submit", str(EN_SAMPLE), "--to", "ko")
    assert submitted.returncode == 0 and "cannot be reached now" in submitted.stderr, submitted.stderr[-2000:]
    time.sleep(2)
    redis_server.start()
    wait_for(lambda: _counts(db)["reached review"] == 1, 240, "the swept job to be translated", worker)
    log = worker.log_path.read_text(errors="replace")
    assert "sweep: re-sent 1 queued" in log
    assert "FileNotFoundError" not in log  # beat kept its schedule (its "ERROR/Beat" lines are the outage)
    assert any(fresh.glob("beat-schedule*"))
    db.dispose()


def test_a_worker_whose_beat_cannot_keep_its_schedule_stops_with_the_reason(gnews_env, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    env = {**gnews_env, "GNEWS_DATA_DIR": str(blocker / "var"), "GNEWS_BROKER_URL": "redis://127.0.0.1:1/0",
           "GNEWS_DATABASE_URL": f"sqlite:///{tmp_path / 'd.sqlite'}", "COLUMNS": "400"}
    started = run_cli(env, "worker", "--beat")
    assert started.returncode == 1 and "Traceback" not in started.stderr, started.stderr[-2000:]
    assert f"beat cannot keep its schedule in {blocker / 'var' / 'beat-schedule'}" in started.stderr
