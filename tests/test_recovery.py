"""On one machine with no servers: a worker started with --beat sweeps up work whose message was
never sent (recorded with --no-queue here, as a broker outage would leave it)."""

from __future__ import annotations

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
