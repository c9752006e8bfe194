"""Celery tasks: thin doors into ``jobs`` and ``publish``. One store and model cache per process."""

from __future__ import annotations

import logging
import os

from celery.signals import worker_process_init, worker_ready

from gnews_i18n.config import load_settings
from gnews_i18n.jobs import pending_work, run_translation, run_translations, worker_identity
from gnews_i18n.publish import NothingToPublish, Publisher, TargetError
from gnews_i18n.queue import app, ensure_broker_ready
from gnews_i18n.states import TranslationState
from gnews_i18n.store.db import Database
from gnews_i18n.store.models import Translation

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
    """Several jobs at once (a batch of submitted articles): their sentences share batches."""
    settings, db, owner = _process_context()
    outcomes = run_translations(db, settings, translation_ids, owner)
    for translation_id, outcome in outcomes.items():
        if outcome.status == "busy":
            translate.apply_async((translation_id,), countdown=outcome.retry_after)
    return {str(k): v.status for k, v in outcomes.items()}


@app.task(name="publish", bind=True, max_retries=8)
def publish(self, article_id: int, lang: str) -> dict:
    """Publish one language of an article (its other editions, indexes, feeds and sitemap follow).
    A target that cannot take it (a webhook down) makes the job retry with growing delays;
    the idempotency keys make the retries harmless to the receiver."""
    settings, db, _ = _process_context()
    publisher = Publisher(settings)
    try:
        with publisher.directory.lock(), db.session() as session:
            report = publisher.publish_article(session, article_id, lang)
    except NothingToPublish as reason:
        return {"status": "skipped", "detail": str(reason)}
    except TargetError as error:
        raise self.retry(exc=error, countdown=min(600, 15 * 2 ** self.request.retries)) from error
    return {"status": "published", "written": report.written, "sent": report.sent}


def resend_pending(db: Database) -> tuple[int, int, int]:
    """Send again queued jobs, interrupted ones (when their lease runs out) and approved
    translations not yet published; returns how many of each."""
    ensure_broker_ready()
    queued, running, approved = pending_work(db)
    for translation_id in queued:
        translate.delay(translation_id)
    for translation_id, wait in running:
        translate.apply_async((translation_id,), countdown=wait)
    for translation_id in approved:
        enqueue_publication(db, translation_id, on_approval=True)
    return len(queued), len(running), len(approved)


def enqueue_translations(translation_ids: list[int], together: bool = False) -> None:
    """One task per job, or with ``together`` one task for all (same-direction jobs share batches)."""
    ensure_broker_ready()
    if together and len(translation_ids) > 1:
        translate_many.delay(translation_ids)
        return
    for translation_id in translation_ids:
        translate.delay(translation_id)


def enqueue_publication(db: Database, translation_id: int, on_approval: bool = False) -> bool:
    """Publish the translation's language (the source edition is refreshed with it). With
    ``on_approval``, only where the rule is to publish on approval (GNEWS_PUBLISH_ON_APPROVAL);
    otherwise a publisher does it. Returns whether a job was queued."""
    if on_approval and not load_settings().publish_on_approval:
        return False
    with db.session() as session:
        translation = session.get(Translation, translation_id)
        if translation is None or translation.state not in (TranslationState.APPROVED, TranslationState.WITHDRAWN,
                                                             TranslationState.PUBLISHED):
            return False
        article = translation.revision.article
        article_id, lang = article.id, translation.target_lang
    ensure_broker_ready()
    publish.delay(article_id, lang)
    return True
