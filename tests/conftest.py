"""Shared fixtures: settings in a temporary directory, test models, real databases and brokers.

Services are used for real where they answer (PostgreSQL, Redis on these machines);
elsewhere the tests that need them are skipped with the reason printed.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "src" / "gnews_i18n" / "samples"
EN_SAMPLE = SAMPLES / "medical-gyeonggi-2023-11-tashkent-delegation.en.txt"
KO_SAMPLE = SAMPLES / "medical-gyeonggi-2023-11-tashkent-delegation.ko.md"
NEWSLETTER_GLOSSARY = ROOT / "glossaries" / "medical-gyeonggi.csv"
POSTGRES_URL = os.environ.get("GNEWS_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("GNEWS_TEST_REDIS_URL", "redis://127.0.0.1:6379")

os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")  # no hub here; fail fast instead of retrying


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def postgres_available() -> bool:
    return _reachable("127.0.0.1", 5432) and os.environ.get("GNEWS_TEST_NO_POSTGRES") != "1"


def redis_available() -> bool:
    return _reachable("127.0.0.1", 6379)


def rabbitmq_available() -> bool:
    return _reachable("127.0.0.1", 5672)


@pytest.fixture(scope="session")
def models_root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("models")


@pytest.fixture(scope="session")
def en_ko_model(models_root) -> Path:
    from gnews_i18n.devmodels.testmodel import build_test_model

    return build_test_model(models_root / "en-ko", "en", "ko")


@pytest.fixture(scope="session")
def ko_en_model(models_root) -> Path:
    from gnews_i18n.devmodels.testmodel import build_test_model

    return build_test_model(models_root / "ko-en", "ko", "en")


@pytest.fixture
def gnews_env(tmp_path, monkeypatch, en_ko_model, ko_en_model) -> dict[str, str]:
    """GNEWS_* settings pointing into this test's directory, on the embedded defaults."""
    env = {
        "GNEWS_DATA_DIR": str(tmp_path / "var"),
        "GNEWS_PUBLISH_DIR": str(tmp_path / "public"),
        "GNEWS_MODEL_EN_KO": str(en_ko_model),
        "GNEWS_MODEL_KO_EN": str(ko_en_model),
        "GNEWS_BROKER_POLL_SECONDS": "0.1",
        "GNEWS_NUM_BEAMS": "1",  # random test models: greedy is enough and 4× faster
        # random weights: every output looks wrong, and decoding it again (beam search) doubled the
        # time of each test that translates; the retry itself is tested on the engine (test_mt)
        "GNEWS_MT_RETRY": "0",
        "GNEWS_GLOSSARIES": str(NEWSLETTER_GLOSSARY),
    }
    for key in [k for k in os.environ if k.startswith("GNEWS_") and not k.startswith("GNEWS_TEST_")]:
        monkeypatch.delenv(key)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return env


def _postgres_database():
    import psycopg

    name = f"gnews_test_{uuid.uuid4().hex[:10]}"
    admin = POSTGRES_URL.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        yield url
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def postgres_url():
    if not postgres_available():
        pytest.skip(reason="PostgreSQL not available at 127.0.0.1:5432")
    yield from _postgres_database()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request, tmp_path) -> str:
    """Each store test runs on SQLite, and again on PostgreSQL when it answers."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.sqlite'}"
        return
    if not postgres_available():
        pytest.skip(reason="PostgreSQL not available at 127.0.0.1:5432")
    yield from _postgres_database()


@pytest.fixture
def db(database_url):
    from gnews_i18n.store.db import Database

    database = Database(database_url)
    yield database
    database.dispose()


@contextlib.contextmanager
def api_desk(db, cast: list[tuple[str, list[str], list[str]]], password=lambda name: f"{name}-password"):
    """The desk's app (``create_app``) in a TestClient over ``db``, and a bearer token for each
    (name, roles, languages) of ``cast``; the settings (GNEWS_*) must already point at ``db``."""
    from fastapi.testclient import TestClient

    from gnews_i18n.auth import add_user, issue_token
    from gnews_i18n.auth.requests import database_for
    from gnews_i18n.server import create_app

    database_for.cache_clear()
    tokens = {}
    with db.session() as session:
        for name, roles, langs in cast:
            add_user(session, name, roles, langs, password=password(name))
            tokens[name] = {"Authorization": f"Bearer {issue_token(session, name)}"}
    client = TestClient(create_app())
    try:
        yield client, tokens
    finally:
        client.close()
        database_for.cache_clear()


@pytest.fixture
def desk(tmp_path):
    """The review-file desk (PO, XLIFF): a SQLite database holding one draft in review, as
    (database, translation id). Modules whose desk holds more (the API's app and tokens, the
    CLI's users) define their own ``desk``, built on ``api_desk`` where it is the API's."""
    from review_draft import review_desk

    with review_desk(tmp_path) as made:
        yield made


def run_cli(env: dict[str, str], *args: str, input: str | None = None) -> subprocess.CompletedProcess:
    """`gnews-i18n ARGS…` in its own process, with ``env`` over this one's environment."""
    return subprocess.run([sys.executable, "-m", "gnews_i18n.cli", *args], env={**os.environ, **env},
                          input=input, capture_output=True, text=True, timeout=300)


@pytest.fixture
def draft(db, gnews_env, monkeypatch) -> int:
    """A translation of the English sample into Korean, machine-translated and waiting in review.
    The settings (and so the CLI and the API) use the same database as ``db``."""
    from gnews_i18n.config import load_settings

    monkeypatch.setenv("GNEWS_DATABASE_URL", db.url)
    gnews_env["GNEWS_DATABASE_URL"] = db.url
    from gnews_i18n.articles.submission import submit
    from gnews_i18n.intake import parse_article
    from gnews_i18n.worker.job import run_translation

    with db.session() as session:
        result = submit(session, parse_article(EN_SAMPLE.read_bytes(), EN_SAMPLE.name), ["ko"],
                        submitted_by="editor1")
    run_translation(db, load_settings(), result.translation_ids[0], "w")
    return result.translation_ids[0]


CHROMIUM = os.environ.get("GNEWS_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture
def browser():
    """Debian's Chromium, headless, through Playwright (skipped where it is not installed)."""
    import shutil

    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.skip(reason=f"Chromium not available at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ServerProcess:
    """A real `gnews-i18n serve` (uvicorn) on a free local port."""

    def __init__(self, env: dict[str, str], log_path: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.log = open(log_path, "ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gnews_i18n.cli", "serve", "--port", str(self.port)],
            stdout=self.log, stderr=subprocess.STDOUT, env={**os.environ, **env}, start_new_session=True)
        wait_for(self._up, 60, "the API server to answer /health")

    def _up(self) -> bool:
        import httpx

        if self.process.poll() is not None:
            raise AssertionError("server exited:\n" + self.log_path.read_text(errors="replace")[-3000:])
        try:
            return httpx.get(self.url + "/health", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()


@pytest.fixture
def start_server(tmp_path):
    servers: list[ServerProcess] = []

    def start(env: dict[str, str]) -> ServerProcess:
        server = ServerProcess(env, tmp_path / f"server-{len(servers)}.log")
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


class WorkerProcess:
    """A real `gnews-i18n worker` in its own process group, its output in a log file."""

    def __init__(self, env: dict[str, str], log_path: Path, queues: str = "translate,publish",
                 extra_args: list[str] | None = None):
        self.log_path = log_path
        self.log = open(log_path, "ab")
        full_env = {**os.environ, **env, "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gnews_i18n.cli", "worker", "--queues", queues, "--concurrency", "1",
             "--hostname", f"test-{uuid.uuid4().hex[:6]}@%h", *(extra_args or [])],
            stdout=self.log, stderr=subprocess.STDOUT, env=full_env, start_new_session=True,
        )

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]

    def kill(self) -> None:
        import signal

        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        import signal

        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
        try:
            os.killpg(self.process.pid, signal.SIGKILL)  # any child left behind
        except ProcessLookupError:
            pass
        self.log.close()


@pytest.fixture
def start_worker(tmp_path):
    workers: list[WorkerProcess] = []

    def start(env: dict[str, str], queues: str = "translate,publish",
              extra_args: list[str] | None = None) -> WorkerProcess:
        worker = WorkerProcess(env, tmp_path / f"worker-{len(workers)}.log", queues, extra_args)
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()


def wait_for(predicate, timeout: float, what: str, worker: WorkerProcess | None = None, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        if worker is not None and worker.process.poll() is not None:
            raise AssertionError(f"worker exited ({worker.process.returncode}) while waiting for {what}:\n"
                                 + worker.output())
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}"
                         + (f"\nworker log:\n{worker.output()}" if worker else ""))
