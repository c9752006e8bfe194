"""On one machine with no servers: a worker started with --beat sweeps up work whose message was
never sent (recorded with --no-queue here, as a broker outage would leave it)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from sqlalchemy import select

from gnews_i18n.states import TranslationState
from gnews_i18n.store.db import Database
from gnews_i18n.store.models import Translation

from conftest import EN_SAMPLE, run_cli, wait_for

pytestmark = pytest.mark.slow


def test_a_worker_with_beat_sends_work_nobody_sent(gnews_env, start_worker):
    env = {**gnews_env, "GNEWS_SWEEP_SECONDS": "1", "GNEWS_RESEND_AFTER_SECONDS": "2"}
    worker = start_worker(env, queues="translate,maintenance", extra_args=["--beat"])
    wait_for(lambda: " ready." in worker.output(), 120, "the worker to start", worker)
    # After the worker's start (which re-sends what it finds): only the sweep can send this one.
    recorded = run_cli(env, "submit", str(EN_SAMPLE), "--to", "ko", "--no-queue")
    assert recorded.returncode == 0, recorded.stderr
    db = Database(f"sqlite:///{gnews_env['GNEWS_DATA_DIR']}/gnews.sqlite")

    def state() -> str:
        with db.session() as session:
            return session.scalars(select(Translation.state)).one()

    wait_for(lambda: state() == TranslationState.IN_REVIEW, 300, "the swept job to be translated", worker)
    assert "sweep: re-sent 1 queued" in worker.log_path.read_text(errors="replace")
    db.dispose()


def test_a_several_job_message_from_an_earlier_version_is_still_translated(gnews_env, start_worker, tmp_path):
    """Before one task a job, a worker sent ``translate_many``; such messages may wait in a queue
    through an upgrade. The new worker splits them into one task a job."""
    worker = start_worker(gnews_env, queues="translate")
    wait_for(lambda: " ready." in worker.output(), 120, "the worker to start", worker)
    # recorded after the worker's start-up resend, not queued: only the old message can send them
    korean = tmp_path / "ko.md"
    korean.write_text("---\ntitle: 경기도 소식\nlang: ko\n---\n\n아주대학교병원을 방문했다.\n", encoding="utf-8")
    recorded = [run_cli(gnews_env, "submit", str(path), "--to", lang, "--no-queue")
                for path, lang in ((EN_SAMPLE, "ko"), (korean, "en"))]
    assert all(r.returncode == 0 for r in recorded), [r.stderr for r in recorded]
    db = Database(f"sqlite:///{gnews_env['GNEWS_DATA_DIR']}/gnews.sqlite")
    with db.session() as session:
        ids = list(session.scalars(select(Translation.id)))
    assert len(ids) == 2
    sent = subprocess.run([sys.executable, "-c", "import sys; from gnews_i18n.worker.tasks import translate_many; "
                           "translate_many.apply_async(([int(a) for a in sys.argv[1:]],))", *map(str, ids)],
                          env={**os.environ, **gnews_env}, capture_output=True, text=True, timeout=120)
    assert sent.returncode == 0, sent.stderr  # as the earlier version sent it, on this test's broker

    def states() -> set[str]:
        with db.session() as session:
            return set(session.scalars(select(Translation.state)))

    wait_for(lambda: states() == {TranslationState.IN_REVIEW}, 240, "both jobs to be translated", worker)
    db.dispose()
