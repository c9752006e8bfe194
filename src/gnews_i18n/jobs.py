"""Run one translation job against the store, safely under redelivery and worker death.

A job first *claims* its translation (a compare-and-set on the row): state goes
``queued → translating`` with a lease (owner, expiry) that the worker renews after
every chunk. A second delivery of the same job finds the claim and stops; a job
whose worker died is claimable again once the lease has expired. Results are
written in one transaction, only while the lease is still ours, so a translation
is stored exactly once whatever the broker redelivers.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import time
import uuid
from dataclasses import dataclass

from sqlalchemy import delete, or_, select, update

from gnews_i18n.config import Settings
from gnews_i18n.intake.article import Block
from gnews_i18n.mt import get_translator
from gnews_i18n.pipeline import segment_article, translate_segments
from gnews_i18n.states import SegmentState, TranslationState
from gnews_i18n.store.db import Database
from gnews_i18n.store.models import Segment, Translation, utcnow
from gnews_i18n.terms import Glossary, Terminology, cached_glossary
from gnews_i18n.terms.csvfile import read_csv


class LeaseLost(RuntimeError):
    """Another worker took the job over (our lease expired); our results are discarded."""


@dataclass(frozen=True)
class JobOutcome:
    status: str  # "done", "skipped", "busy"
    retry_after: float = 0.0
    detail: str = ""


def worker_identity() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def claim(db: Database, translation_id: int, owner: str, lease_seconds: float) -> JobOutcome | None:
    """Take the job, or say why not. None means claimed."""
    now = utcnow()
    expires = now + dt.timedelta(seconds=lease_seconds)
    with db.session() as session:
        result = session.execute(
            update(Translation)
            .where(Translation.id == translation_id)
            .where(or_(
                Translation.state == TranslationState.QUEUED,
                (Translation.state == TranslationState.TRANSLATING) & (Translation.lease_expires_at < now),
            ))
            .values(state=TranslationState.TRANSLATING, lease_owner=owner, lease_expires_at=expires,
                    attempts=Translation.attempts + 1, error=None, progress_done=0)
        )
        if result.rowcount == 1:
            return None
        row = session.get(Translation, translation_id)
        if row is None:
            return JobOutcome("skipped", detail=f"translation {translation_id} does not exist")
        if row.state == TranslationState.TRANSLATING and row.lease_expires_at:
            wait = (row.lease_expires_at - now).total_seconds()
            return JobOutcome("busy", retry_after=max(0.5, wait + 0.5), detail=f"held by {row.lease_owner}")
        return JobOutcome("skipped", detail=f"translation {translation_id} is {row.state}")


def _renew(db: Database, translation_id: int, owner: str, lease_seconds: float, done: int, total: int) -> None:
    with db.session() as session:
        result = session.execute(
            update(Translation)
            .where(Translation.id == translation_id, Translation.lease_owner == owner,
                   Translation.state == TranslationState.TRANSLATING)
            .values(lease_expires_at=utcnow() + dt.timedelta(seconds=lease_seconds),
                    progress_done=done, progress_total=total)
        )
        if result.rowcount != 1:
            raise LeaseLost(f"translation {translation_id}: lease lost during translation")


def article_terms(settings: Settings, article_glossary: str | None) -> Glossary:
    """The global glossaries, overridden by the article's own."""
    glossary = cached_glossary(settings.glossary_paths)
    if article_glossary:
        own, _ = read_csv("article glossary", article_glossary)
        glossary = glossary.merged_with(own)
    return glossary


def run_translation(db: Database, settings: Settings, translation_id: int, owner: str) -> JobOutcome:
    outcome = claim(db, translation_id, owner, settings.lease_seconds)
    if outcome is not None:
        return outcome
    started = time.perf_counter()
    try:
        with db.session() as session:
            row = session.get(Translation, translation_id)
            revision = row.revision
            src, tgt = revision.article.source_lang, row.target_lang
            title = revision.title
            blocks = [Block.from_dict(b) for b in revision.blocks]
            article_glossary = revision.glossary
        terminology = Terminology(article_terms(settings, article_glossary), src, tgt)
        translator = get_translator(settings, src, tgt)
        drafts = segment_article(title, blocks, src)
        _renew(db, translation_id, owner, settings.lease_seconds, 0, len(drafts))
        translate_segments(
            drafts, translator, terminology=terminology,
            on_progress=lambda done, total: _renew(db, translation_id, owner, settings.lease_seconds, done, total),
        )
    except LeaseLost:
        raise
    except Exception as error:
        _fail(db, translation_id, owner, f"{type(error).__name__}: {error}")
        raise
    with db.session() as session:
        row = session.scalars(
            select(Translation).where(Translation.id == translation_id).with_for_update()
        ).one()
        if row.lease_owner != owner or row.state != TranslationState.TRANSLATING:
            raise LeaseLost(f"translation {translation_id}: lease lost before saving")
        session.execute(delete(Segment).where(Segment.translation_id == translation_id))
        for draft in drafts:
            session.add(Segment(
                translation_id=translation_id, block_index=draft.block_index,
                sentence_index=draft.sentence_index, source_text=draft.source_text,
                machine_text=draft.machine_text, text=draft.machine_text, state=SegmentState.MACHINE,
                flags=draft.flags, provenance=draft.provenance, terms=draft.terms, version=1,
            ))
        row.state = TranslationState.IN_REVIEW
        row.lease_owner = None
        row.lease_expires_at = None
        row.model_id = translator.model_id
        row.progress_done = row.progress_total = len(drafts)
        row.seconds = round(time.perf_counter() - started, 3)
    return JobOutcome("done", detail=f"{len(drafts)} segments")


def _fail(db: Database, translation_id: int, owner: str, message: str) -> None:
    with db.session() as session:
        session.execute(
            update(Translation)
            .where(Translation.id == translation_id, Translation.lease_owner == owner)
            .values(state=TranslationState.FAILED, error=message[:2000], lease_owner=None, lease_expires_at=None)
        )


def pending_work(db: Database) -> tuple[list[int], list[tuple[int, float]], list[int]]:
    """What a starting worker should (re)send: queued jobs, jobs whose lease will expire
    (with the seconds until then), and approved translations not yet published."""
    now = utcnow()
    with db.session() as session:
        queued = list(session.scalars(select(Translation.id).where(Translation.state == TranslationState.QUEUED)))
        running = [
            (tid, max(0.0, (expires - now).total_seconds()) + 0.5)
            for tid, expires in session.execute(
                select(Translation.id, Translation.lease_expires_at)
                .where(Translation.state == TranslationState.TRANSLATING)
            )
            if expires is not None
        ]
        approved = list(session.scalars(
            select(Translation.id).where(Translation.state == TranslationState.APPROVED)
        ))
    return queued, running, approved
