"""What an operator's probes ask: is the database reachable and migrated, is the broker
reachable, how deep is each queue, how many translations are in each state (a worker's own
liveness: ``worker/heartbeat.py``).

Read at the moment of asking (a scrape, a probe), never cached: these are the figures that say
whether work is stuck.
"""

from __future__ import annotations

import datetime as dt
import fcntl
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from kombu import Connection
from prometheus_client.core import GaugeMetricFamily
from sqlalchemy import func, select, text

from gnews_i18n.config import Settings
from gnews_i18n.states import TranslationState
from gnews_i18n.store.db import Database, migration_status
from gnews_i18n.store.models import Translation, utcnow
from gnews_i18n.worker.app import MAINTENANCE_QUEUE, PUBLISH_QUEUE, TRANSLATE_QUEUE

QUEUES = (TRANSLATE_QUEUE, PUBLISH_QUEUE, MAINTENANCE_QUEUE)
PROBE_TIMEOUT = 2.0  # seconds a probe waits for the database or the broker


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str = ""


def check_database(db: Database) -> list[Check]:
    """Reachable, and at the newest migration this code knows."""
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            current, head = migration_status(connection)
    except Exception as error:  # noqa: BLE001 - any failure is the answer, reported whole
        return [Check("database", False, f"database unreachable: {type(error).__name__}: {error}".strip()[:500])]
    checks = [Check("database", True)]
    if current != head:
        checks.append(Check("migrations", False, f"database at migration {current or 'none'}, this version needs "
                                                 f"{head}: run any gnews-i18n command once to upgrade it"))
    else:
        checks.append(Check("migrations", True, head or ""))
    return checks


def _connect(settings: Settings) -> Connection:
    """A connection to the configured broker (the settings of now, not those the Celery app was
    made with), given up on after ``PROBE_TIMEOUT``."""
    # the SQLAlchemy transport hands its options to create_engine, which refuses socket options
    options = {"socket_timeout": PROBE_TIMEOUT} if settings.broker_url.startswith(("redis", "rediss")) else {}
    connection = Connection(settings.broker_url, connect_timeout=PROBE_TIMEOUT, transport_options=options)
    connection.ensure_connection(max_retries=1, interval_start=0, timeout=PROBE_TIMEOUT)
    return connection


def check_broker(settings: Settings) -> Check:
    try:
        queue_depths(settings)  # the embedded broker opens its database only when asked something
    except Exception as error:  # noqa: BLE001 - any failure is the answer, reported whole
        return Check("broker", False, f"broker unreachable: {type(error).__name__}: {error}".strip()[:500])
    return Check("broker", True)


def queue_depths(settings: Settings) -> dict[str, int]:
    """Messages waiting in each queue (not those a worker holds). Kombu's virtual transports
    (Redis, the embedded SQLAlchemy and filesystem brokers) count them themselves; AMQP answers
    a passive declare."""
    depths = {}
    with _connect(settings) as connection, _broker_lock(settings):
        channel = connection.default_channel
        for queue in QUEUES:
            if hasattr(channel, "_size"):
                depths[queue] = int(channel._size(queue))
                continue
            try:
                depths[queue] = int(channel.queue_declare(queue=queue, passive=True).message_count)
            except connection.channel_errors:  # no worker declared it yet: nothing waits in it
                depths[queue] = 0
                channel = connection.channel()  # AMQP closes a channel that asked for a missing queue
    return depths


@contextmanager
def _broker_lock(settings: Settings) -> Iterator[None]:
    """The embedded broker creates a queue's row on first count: under the lock every process
    takes for that (``worker.app.ensure_broker_ready``)."""
    if not settings.broker_url.startswith("sqla+"):
        yield
        return
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    with open(settings.data_dir / "broker.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def translations_by_state(db: Database) -> dict[str, tuple[int, float]]:
    """Each state → (translations in it, seconds since the oldest of them last changed)."""
    now = utcnow()
    found = {state.value: (0, 0.0) for state in TranslationState}
    with db.session() as session:
        rows = session.execute(select(Translation.state, func.count(), func.min(Translation.updated_at))
                               .group_by(Translation.state)).all()
    for state, count, oldest in rows:
        age = (now - oldest).total_seconds() if isinstance(oldest, dt.datetime) else 0.0
        found[str(state)] = (int(count), max(0.0, age))
    return found


class LiveCollector:
    """The gauges of ``/metrics`` read at scrape time from the store and the broker."""

    def __init__(self, settings: Settings, database: Callable[[], Database]) -> None:
        self.settings, self.database = settings, database

    def collect(self):
        up = GaugeMetricFamily("gnews_up", "Whether the server reached each dependency at this scrape "
                               "(1) or not (0).", labels=["dependency"])
        try:
            states = translations_by_state(self.database())
            up.add_metric(["database"], 1)
        except Exception:  # noqa: BLE001 - a scrape reports the outage instead of failing
            states = {}
            up.add_metric(["database"], 0)
        counts = GaugeMetricFamily("gnews_translations", "Translations in each state now.", labels=["state"])
        ages = GaugeMetricFamily("gnews_translation_oldest_seconds", "Seconds since the oldest translation in "
                                 "each state last changed (0 when none): stuck work grows here.", labels=["state"])
        for state, (count, age) in sorted(states.items()):
            counts.add_metric([state], count)
            ages.add_metric([state], age)
        try:
            depths = queue_depths(self.settings)
            up.add_metric(["broker"], 1)
        except Exception:  # noqa: BLE001
            depths = {}
            up.add_metric(["broker"], 0)
        queued = GaugeMetricFamily("gnews_queue_depth", "Messages waiting in each Celery queue.", labels=["queue"])
        for queue, depth in depths.items():
            queued.add_metric([queue], depth)
        yield from (up, counts, ages, queued)
