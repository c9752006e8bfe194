"""Celery tasks: thin doors into ``worker.job``, ``publish``, ``newsletter`` and ``worker.recovery``.

One store and model cache per process.

Sending never takes the caller down: with the broker unreachable, ``send`` gives up after a
bounded retry and says so; the work is in the database already, and the sweep on Celery beat
(or a worker's start, or ``gnews-i18n requeue``) sends it once the broker is back.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from pathlib import Path

from billiard.process import active_children
from celery import Task
from celery.signals import worker_process_init, worker_ready, worker_shutting_down
from kombu.exceptions import OperationalError

from gnews_i18n.adapt.run import adapt_unattended
from gnews_i18n.config import load_settings
from gnews_i18n.newsletter.delivery import DeliveryError, deliver, editions, read_recipients, subscriber_recipients
from gnews_i18n.newsletter.issues import get_issue
from gnews_i18n.newsletter.mail import MailSettings
from gnews_i18n.newsletter.schedule import release_due
from gnews_i18n.newsletter.site import refresh_issues
from gnews_i18n.newsletter.site import write_issue_pages as render_issue
from gnews_i18n.publish import NothingToPublish, Publisher, TargetError
from gnews_i18n.states import TranslationState
from gnews_i18n.store.db import Database
from gnews_i18n.store.models import Translation
from gnews_i18n.worker import metrics
from gnews_i18n.worker.app import app, ensure_broker_ready
from gnews_i18n.worker.job import pending_work, run_translation, worker_identity
from gnews_i18n.worker.recovery import pick_stalled

log = logging.getLogger(__name__)
_context: dict[int, tuple] = {}


def _process_context():
    """Settings, database and worker identity of this process (rebuilt after a fork)."""
    pid = os.getpid()
    if pid not in _context:
        settings = load_settings()
        _context.clear()
        _context[pid] = (settings, Database(settings.database_url), worker_identity())
    return _context[pid]


@worker_process_init.connect
def _limit_threads(**_kwargs) -> None:
    # Several prefork children share the cores; a forked torch must not reuse the parent's pool.
    import torch

    torch.set_num_threads(load_settings().torch_threads or os.cpu_count() or 1)


@worker_ready.connect
def _resend_pending(sender=None, **_kwargs) -> None:
    """Re-send work a dead worker left behind; duplicates are harmless (jobs claim first)."""
    _, db, _ = _process_context()
    queued, running, approved = resend_pending(db)
    if queued or running or approved:
        log.info("re-sent %d queued, %d interrupted, %d approved jobs", queued, running, approved)
    _context.clear()  # the prefork children must open their own connections


@worker_shutting_down.connect
def _bounded_shutdown(sig=None, how=None, **_kwargs) -> None:
    """A warm shutdown waits for running tasks; past the grace period the worker exits by force.
    Nothing is lost: unfinished tasks were never acknowledged, and their leases run out."""
    grace = load_settings().shutdown_grace_seconds

    def force_exit() -> None:
        log.error("worker still stopping %.0f s after %s (%s shutdown): exiting by force; "
                  "interrupted work is sent again once its lease runs out", grace, sig, how)
        for child in active_children():
            try:
                os.kill(child.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        os._exit(1)

    timer = threading.Timer(grace, force_exit)
    timer.daemon = True
    timer.start()


@app.task(name="translate", bind=True, max_retries=None)
def translate(self, translation_id: int) -> dict:
    settings, db, owner = _process_context()
    outcome = run_translation(db, settings, translation_id, owner)
    if outcome.status == "busy":
        # Another worker holds the lease; look again when it would expire.
        raise self.retry(countdown=outcome.retry_after)
    return {"status": outcome.status, "detail": outcome.detail}


@app.task(name="translate_many")
def translate_many(translation_ids: list[int]) -> dict:
    """A message from an earlier version (several jobs in one task): sent on as one task a job,
    so every free worker takes a share and a busy job waits as any other does."""
    return {"sent": [translation_id for translation_id in translation_ids if dispatch(translate, translation_id)]}


@app.task(name="sweep")
def sweep() -> dict:
    """Run by Celery beat every GNEWS_SWEEP_SECONDS: send again what has stalled (queued work
    whose message was lost, interrupted work whose lease ran out, approved work not published)."""
    settings, db, _ = _process_context()
    stalled = pick_stalled(db, settings.resend_after_seconds)
    for translation_id in stalled.queued + stalled.interrupted:
        dispatch(translate, translation_id)
    for translation_id in stalled.approved:
        enqueue_publication(db, translation_id, on_approval=True)
    if stalled:
        log.info("sweep: re-sent %d queued, %d interrupted, %d approved", len(stalled.queued),
                 len(stalled.interrupted), len(stalled.approved))
    released = []
    for due in release_due(db):  # newsletter issues whose release_at has come
        if due.released:
            released.append(due.number)
            log.info("sweep: %s", due.describe())
            if not dispatch(publish_issue, due.number):
                log.error("sweep: issue %d is released but its publication was not sent; "
                          "`gnews-i18n issue publish %d` publishes it", due.number, due.number)
        else:
            log.warning("sweep: %s", due.describe())
    return {"queued": stalled.queued, "interrupted": stalled.interrupted, "approved": stalled.approved,
            "issues_released": released}


# Training outlives GNEWS_TASK_TIME_LIMIT (a translation's); a day is the bound here. A worker lost
# mid-run gets the task again (late acknowledgement) and resumes from the last checkpoint.
@app.task(name="adapt", time_limit=24 * 3600, soft_time_limit=None)
def adapt(src: str, tgt: str, since: str | None = None, steps: int = 300, holdout: float = 0.1) -> dict:
    """Adapt a direction's model on its approved post-edits (``gnews-i18n models adapt``'s work);
    queue ``training``: start a worker with ``-Q training`` to take these."""
    settings, db, _ = _process_context()
    outcome = adapt_unattended(db, settings, src, tgt, since=since, steps=steps, holdout=holdout)
    if "busy" in outcome or "error" in outcome:
        log.warning("adapt %s-%s: %s", src, tgt, outcome.get("busy") or outcome.get("error"))
    else:
        log.info("adapt %s-%s: %s %s", src, tgt, outcome["version"],
                 "promoted" if outcome["promoted"] else f"kept as a candidate ({outcome['reason']})")
    return outcome


@app.task(name="publish", bind=True, max_retries=8)
def publish(self, article_id: int, lang: str) -> dict:
    """Publish one language of an article (its other editions, indexes, feeds and sitemap follow).
    A target that cannot take it (a webhook down) makes the job retry with growing delays;
    the idempotency keys make the retries harmless to the receiver."""
    settings, db, _ = _process_context()
    publisher = Publisher(settings)
    started = time.perf_counter()
    try:
        with publisher.directory.lock(), db.session() as session:
            report = publisher.publish_article(session, article_id, lang)
            report.written += refresh_issues(session, article_id, settings, publisher)
    except NothingToPublish as reason:
        metrics.published("article", "skipped", time.perf_counter() - started)
        return {"status": "skipped", "detail": str(reason)}
    except TargetError as error:
        metrics.published("article", "retried", time.perf_counter() - started)
        raise self.retry(exc=error, countdown=min(600, 15 * 2 ** self.request.retries)) from error
    seconds = time.perf_counter() - started
    metrics.published("article", "published", seconds, len(report.written))
    log.info("article %d: %s published, %d files written in %.2f s", article_id, lang, len(report.written), seconds,
             extra={"article_id": article_id, "lang": lang, "stage": "publish", "files": len(report.written)})
    return {"status": "published", "written": report.written, "sent": report.sent}


@app.task(name="publish_issue", bind=True, max_retries=8)
def publish_issue(self, number: int) -> dict:
    """Publish a released issue: its articles' editions, then its page in every language."""
    settings, db, _ = _process_context()
    publisher = Publisher(settings)
    started = time.perf_counter()
    try:
        with publisher.directory.lock(), db.session() as session:
            report = render_issue(session, get_issue(session, number), settings, publisher)
    except TargetError as error:
        metrics.published("issue", "retried", time.perf_counter() - started)
        raise self.retry(exc=error, countdown=min(600, 15 * 2 ** self.request.retries)) from error
    metrics.published("issue", "published", time.perf_counter() - started, len(report.written))
    return {"status": "published", "written": report.written}


@app.task(name="email_issue", bind=True, max_retries=8)
def email_issue(self, number: int, recipients: str | None = None) -> dict:
    """Send a released issue's e-mail editions to the readers listed in the CSV file ``recipients``,
    or to every active subscriber when it is None. Each accepted message is recorded per
    recipient, so a retry sends only what is left."""
    settings, db, _ = _process_context()
    mail = MailSettings.load(settings)
    if not mail.smtp_url:
        return {"status": "skipped", "detail": "GNEWS_SMTP_URL is not set"}
    # a bad file fails at once: retrying cannot mend it
    readers = read_recipients(Path(recipients)) if recipients else subscriber_recipients(db)
    try:
        report = deliver(db, number, readers, editions(db, number, settings), mail, settings.secret_key())
    except DeliveryError as error:
        metrics.emailed(0, 0, retried=True)
        raise self.retry(exc=error, countdown=min(3600, 60 * 2 ** self.request.retries)) from error
    metrics.emailed(len(report.sent), len(report.refused))
    return {"status": "sent", "sent": len(report.sent), "skipped": len(report.skipped), "refused": report.refused,
            "per_language": report.per_language()}


def dispatch(task: Task, *args, countdown: float | None = None) -> bool:
    """Send one task; False (and a log line) when the broker cannot be reached after a short retry."""
    try:
        ensure_broker_ready()
        task.apply_async(args, countdown=countdown)
    except (OperationalError, OSError) as error:
        log.warning("broker unreachable, %s%s not sent now (the sweep sends it later): %s", task.name, args, error)
        return False
    return True


def resend_pending(db: Database) -> tuple[int, int, int]:
    """Send again queued jobs, interrupted ones (when their lease runs out) and approved
    translations not yet published; returns how many of each."""
    queued, running, approved = pending_work(db)
    for translation_id in queued:
        dispatch(translate, translation_id)
    for translation_id, wait in running:
        dispatch(translate, translation_id, countdown=wait)
    for translation_id in approved:
        enqueue_publication(db, translation_id, on_approval=True)
    return len(queued), len(running), len(approved)


def enqueue_translations(translation_ids: list[int]) -> bool:
    """One task per job (article revision × language), so every free worker takes a share.
    Returns False when the broker could not take them now (they stay queued in the store)."""
    # all() stops at the first refusal: with the broker down, one timeout is enough to know
    return all(dispatch(translate, translation_id) for translation_id in translation_ids)


def enqueue_publication(db: Database, translation_id: int, on_approval: bool = False) -> bool:
    """Publish the translation's language (the source edition is refreshed with it). With
    ``on_approval``, only where the rule is to publish on approval (GNEWS_PUBLISH_ON_APPROVAL);
    otherwise a publisher does it. Returns whether a job was sent."""
    if on_approval and not load_settings().publish_on_approval:
        return False
    with db.session() as session:
        translation = session.get(Translation, translation_id)
        if translation is None or translation.state not in (TranslationState.APPROVED, TranslationState.WITHDRAWN,
                                                             TranslationState.PUBLISHED):
            return False
        article = translation.revision.article
        article_id, lang = article.id, translation.target_lang
    return dispatch(publish, article_id, lang)
