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

from sqlalchemy import or_, select, update

from gnews_i18n.articles.personal_data import Guard, article_texts, unresolved
from gnews_i18n.config import Settings
from gnews_i18n.intake.article import Block
from gnews_i18n.memory import SessionMemory, source_key
from gnews_i18n.mt import get_translator
from gnews_i18n.pipeline import segment_article, translate_segments
from gnews_i18n.privacy import load_policy
from gnews_i18n.qa import QAContext, check_pair
from gnews_i18n.review.corrections import prepare_draft
from gnews_i18n.states import SegmentState, TranslationState
from gnews_i18n.store.db import Database
from gnews_i18n.store.models import Segment, Translation, utcnow
from gnews_i18n.terms import Terminology, article_terms
from gnews_i18n.terms.files import article_registry, cached_registry


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


def run_translation(db: Database, settings: Settings, translation_id: int, owner: str) -> JobOutcome:
    return run_translations(db, settings, [translation_id], owner)[translation_id]


@dataclass
class _Job:
    translation_id: int
    src: str
    tgt: str
    glossary: str | None
    drafts: list


def run_translations(db: Database, settings: Settings, translation_ids: list[int], owner: str) -> dict:
    """Translate several jobs; those of one direction (and glossary) share the engine's batches,
    so the sentences of several short articles fill batches together. Returns outcome by id."""
    outcomes: dict[int, JobOutcome] = {}
    jobs: list[_Job] = []
    guard = Guard(load_policy(), settings.secret_key())
    for translation_id in translation_ids:
        outcome = claim(db, translation_id, owner, settings.lease_seconds)
        if outcome is not None:
            outcomes[translation_id] = outcome
            continue
        with db.session() as session:
            row = session.get(Translation, translation_id)
            revision = row.revision
            # Nothing reaches the engine with personal data nobody decided about (docs/privacy.md).
            found = unresolved(session, revision.article_id, article_texts(revision.title, revision.blocks,
                                                                           revision.author), guard)
            if not found:
                src = revision.article.source_lang
                blocks = [Block.from_dict(b) for b in revision.blocks]
                jobs.append(_Job(translation_id, src, row.target_lang, revision.glossary,
                                 segment_article(revision.title, blocks, src, revision.article_date,
                                                 author=revision.author, correction=revision.correction)))
        if found:  # the session is closed: SQLite lets the failure be written
            message = (f"not sent to machine translation: personal data nobody allowed or redacted: "
                       f"{'; '.join(item.describe() for item in found)}. Submit the article again with "
                       "--redact-personal-data or --allow-personal-data \"REASON\".")
            _fail(db, translation_id, owner, message)
            outcomes[translation_id] = JobOutcome("skipped", detail=message)
    groups: dict[tuple, list[_Job]] = {}
    for job in jobs:
        groups.setdefault((job.src, job.tgt, job.glossary), []).append(job)
    for (src, tgt, glossary), members in groups.items():
        started = time.perf_counter()
        model_id = "translation memory"
        try:
            from_memory(db, src, tgt, [d for job in members for d in job.drafts])
            to_translate = [d for job in members for d in job.drafts if not d.from_memory]
            _renew_all(db, members, owner, settings, 0)
            if to_translate:  # a fully remembered article needs no model at all
                terminology = _terminology(settings, glossary, src, tgt)
                translator = get_translator(settings, src, tgt)
                model_id = translator.model_id
                translate_segments(to_translate, translator, terminology=terminology,
                                   on_progress=_progress(db, members, owner, settings))
        except LeaseLost:
            raise
        except Exception as error:
            for job in members:
                _fail(db, job.translation_id, owner, f"{type(error).__name__}: {error}")
            raise
        seconds = (time.perf_counter() - started) / len(members)
        for job in members:
            _save(db, job, owner, model_id, seconds)
            outcomes[job.translation_id] = JobOutcome("done", detail=f"{len(job.drafts)} segments")
    return outcomes


_terminologies: dict[tuple[str, str], Terminology] = {}


def _terminology(settings: Settings, article_glossary: str | None, src: str, tgt: str) -> Terminology:
    """A job's terminology. With the active glossaries only (most jobs) it is built once per process
    and direction, again when a file changes (5,000 terms: 35 ms a job otherwise); an article's
    own glossary makes it this job's alone."""
    terms, registry = article_terms(settings, article_glossary), cached_registry(settings.people_paths)
    if article_glossary:  # the article's own glossary wins over the registry's people it names
        return Terminology(terms, src, tgt, registry=article_registry(registry, article_glossary))
    kept = _terminologies.get((src, tgt))
    if kept is None or kept.source_glossary is not terms or kept.registry is not registry:
        kept = _terminologies[src, tgt] = Terminology(terms, src, tgt, registry=registry)
    return kept


def from_memory(db: Database, src: str, tgt: str, drafts: list) -> int:
    """Fill drafts whose source the translation memory holds; returns how many."""
    with db.session() as session:
        found = SessionMemory(session).lookup(src, tgt, [d.source_text for d in drafts])
        filled = 0
        for draft in drafts:
            entry = found.get(source_key(draft.source_text))
            if entry is None:
                continue
            draft.machine_text, draft.from_memory = entry.target_text, True
            draft.provenance = {"memory": entry.id, "origin": entry.origin}
            # a remembered translation was written (or approved) by a person
            draft.flags = check_pair(draft.source_text, entry.target_text, src, tgt,
                                     context=QAContext(draft.article_date, "human"))
            filled += 1
    return filled


def _progress(db: Database, members: list[_Job], owner: str, settings: Settings):
    """The leases renewed after each chunk but the last: the save follows it at once, checks the
    lease itself and sets the progress to done (one write transaction fewer per job)."""
    def renew(done: int, total: int) -> None:
        if done < total:
            _renew_all(db, members, owner, settings, done)
    return renew


def _renew_all(db: Database, members: list[_Job], owner: str, settings: Settings, done: int) -> None:
    """Renew every lease of a shared run. ``done`` counts the drafts the model has finished, in
    the shared list's order; drafts filled from the translation memory count as done already."""
    offset = 0
    for job in members:
        remembered = sum(1 for d in job.drafts if d.from_memory)
        translated = len(job.drafts) - remembered
        own = remembered + min(translated, max(0, done - offset))
        _renew(db, job.translation_id, owner, settings.lease_seconds, own, len(job.drafts))
        offset += translated


def _save(db: Database, job: _Job, owner: str, model_id: str, seconds: float) -> None:
    """Store one job's segments in one transaction, only while its lease is still ours.

    A translation sent back to MT (changes requested) keeps its segment rows: they are
    updated in place with a new version, so their history stays and an editor open on
    the old text gets a conflict instead of overwriting the new draft."""
    with db.session() as session:
        row = session.scalars(
            select(Translation).where(Translation.id == job.translation_id).with_for_update()
        ).one()
        if row.lease_owner != owner or row.state != TranslationState.TRANSLATING:
            raise LeaseLost(f"translation {job.translation_id}: lease lost before saving")
        existing = {(s.block_index, s.sentence_index): s for s in row.segments}
        for draft in job.drafts:
            segment = existing.pop((draft.block_index, draft.sentence_index), None)
            if segment is None:
                segment = Segment(translation_id=job.translation_id, block_index=draft.block_index,
                                  sentence_index=draft.sentence_index, version=0)
                session.add(segment)
            segment.source_text, segment.machine_text, segment.text = (draft.source_text, draft.machine_text,
                                                                       draft.machine_text)
            segment.state = SegmentState.MEMORY if draft.from_memory else SegmentState.MACHINE
            segment.flags, segment.provenance, segment.terms = draft.flags, draft.provenance, draft.terms
            segment.version += 1
        for leftover in existing.values():
            session.delete(leftover)
        prepare_draft(session, job.translation_id)  # a correction keeps what it left unchanged approved
        row.state = TranslationState.IN_REVIEW
        row.lease_owner = None
        row.lease_expires_at = None
        row.model_id = model_id
        row.progress_done = row.progress_total = len(job.drafts)
        row.seconds = round(seconds, 3)


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
