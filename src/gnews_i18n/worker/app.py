"""The Celery application: broker, queues and delivery guarantees.

With no ``GNEWS_BROKER_URL`` the broker is kombu's SQLAlchemy transport on an
SQLite file, so a worker runs on a laptop with no server; Redis or RabbitMQ
URLs work unchanged. Tasks are acknowledged late, and the work itself is
claimed in the database (see ``worker/job.py``), so redelivery is harmless.
"""

from __future__ import annotations

import fcntl
from functools import cache

from celery import Celery, bootsteps
from celery.signals import after_setup_logger, after_setup_task_logger, worker_shutdown

from gnews_i18n.config import Settings, load_settings
from gnews_i18n.worker.heartbeat import beat_heart, heartbeat_path
from gnews_i18n.worker.logs import use_json

TRANSLATE_QUEUE = "translate"
PUBLISH_QUEUE = "publish"
MAINTENANCE_QUEUE = "maintenance"  # the sweep beat sends: short tasks, never behind a long translation
TRAINING_QUEUE = "training"  # model adaptation (``adapt``): hours of CPU, never in front of a translation


def adapt_schedule() -> dict:
    """Optional weekly adaptations on beat: ``GNEWS_ADAPT_BEAT="ko-en en-ko"`` (off when unset)."""
    import os

    from celery.schedules import crontab

    directions = os.environ.get("GNEWS_ADAPT_BEAT", "").replace(",", " ").split()
    return {f"adapt-{d}": {"task": "adapt", "schedule": crontab(minute=0, hour=3, day_of_week="sun"),
                           "args": d.split("-", 1)} for d in directions if "-" in d}


def make_celery(settings: Settings | None = None) -> Celery:
    settings = settings or load_settings()
    if settings.broker_is_embedded:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        # The sqla transport takes its polling interval from the class, not from
        # broker_transport_options (those go to create_engine and crash it).
        from kombu.transport import sqlalchemy as sqla_transport  # only with the embedded broker

        sqla_transport.Transport.polling_interval = settings.broker_poll_seconds
    app = Celery("gnews_i18n", broker=settings.broker_url, backend=settings.result_backend,
                 include=["gnews_i18n.worker.tasks"])
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_default_queue=TRANSLATE_QUEUE,
        task_routes={"translate": {"queue": TRANSLATE_QUEUE}, "translate_many": {"queue": TRANSLATE_QUEUE},
                     "publish": {"queue": PUBLISH_QUEUE}, "sweep": {"queue": MAINTENANCE_QUEUE},
                     "publish_issue": {"queue": PUBLISH_QUEUE}, "email_issue": {"queue": PUBLISH_QUEUE},
                     "adapt": {"queue": TRAINING_QUEUE}},
        task_serializer="json",
        accept_content=["json"],
        # The store holds every outcome; results nobody reads would only add a second service
        # that can be down (a Redis result store that is away made `submit` crash after 20 s).
        task_ignore_result=True,
        # With the broker down, sending gives up within about a second; the work waits in the store.
        task_publish_retry_policy={"max_retries": 2, "interval_start": 0, "interval_step": 0.3, "interval_max": 0.5},
        broker_connection_timeout=2,
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
        # A task past its limit is killed; its lease runs out and the sweep sends it again.
        task_time_limit=settings.task_time_limit or None,
        beat_schedule={"sweep": {"task": "sweep", "schedule": settings.sweep_seconds,
                                 "options": {"expires": settings.sweep_seconds}}, **adapt_schedule()},
    )
    app.steps["consumer"].add(Heartbeat)
    if settings.broker_url.startswith(("redis", "rediss", "sentinel")):
        # Redis redelivers an unacknowledged task after this long (a worker that died).
        app.conf.broker_transport_options = {"visibility_timeout": max(60, int(settings.lease_seconds * 4))}
    return app


class Heartbeat(bootsteps.StartStopStep):
    """Touches this worker's heartbeat file from the consumer's timer (``worker/heartbeat.py``);
    on Redis and RabbitMQ that timer runs in the consumer's event loop, so a stuck loop stops it."""

    def __init__(self, parent, **kwargs) -> None:
        super().__init__(parent, **kwargs)
        self.timer_ref = None

    def start(self, parent) -> None:
        settings = load_settings()
        path = heartbeat_path(settings, parent.hostname)
        beat_heart(path)
        _heartbeats.add(path)
        self.timer_ref = parent.timer.call_repeatedly(settings.heartbeat_seconds, beat_heart, (path,))

    def stop(self, parent) -> None:
        if self.timer_ref is not None:
            self.timer_ref.cancel()
            self.timer_ref = None


_heartbeats: set = set()


@worker_shutdown.connect
def _stop_heartbeat(**_kwargs) -> None:
    """A worker that stops says so: its file goes, and `worker --check` reports it not running."""
    for path in _heartbeats:
        path.unlink(missing_ok=True)


@after_setup_logger.connect
@after_setup_task_logger.connect
def _log_format(logger=None, **_kwargs) -> None:
    if logger is not None and load_settings().log_format == "json":
        use_json(logger)


@cache
def ensure_broker_ready() -> None:
    """Create the embedded broker's tables and queues once, one process at a time.

    kombu's SQLAlchemy transport creates them on first use without a cross-process
    lock, so a worker starting while the CLI submits can crash on a duplicate queue
    row. A file lock beside the broker file serializes that first use.
    """
    settings = load_settings()
    if not settings.broker_url.startswith("sqla+"):  # the filesystem transport makes its folders itself
        return
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    with open(settings.data_dir / "broker.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        with app.connection_for_write() as connection:
            channel = connection.default_channel
            for queue in (TRANSLATE_QUEUE, PUBLISH_QUEUE, MAINTENANCE_QUEUE, TRAINING_QUEUE):
                channel._get_or_create(queue)  # the transport's own idempotent create


app = make_celery()
