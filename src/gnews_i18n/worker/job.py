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
import logging
import os
import socket
import time
import uuid
from dataclasses import dataclass, field

from sqlalchemy import or_, select, update

from gnews_i18n.config import Settings
from gnews_i18n.intake.article import Block
from gnews_i18n.memory import SessionMemory, source_key
from gnews_i18n.mt import get_translator
from gnews_i18n.pipeline import StageClock, segment_article, translate_segments
from gnews_i18n.privacy.guard import Guard, article_texts, unresolved
from gnews_i18n.qa import QAContext, check_by_flag, check_pair
from gnews_i18n.review.corrections import prepare_draft
from gnews_i18n.review.personal_data import refresh_flags
from gnews_i18n.states import SegmentState, TranslationState
from gnews_i18n.store.db import Database
from gnews_i18n.store.models import Segment, Translation, utcnow
from gnews_i18n.terms import Terminology, article_terms
from gnews_i18n.terms.files import article_registry, cached_registry
from gnews_i18n.worker import metrics

log = logging.getLogger(__name__)


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
    article_id: int | None = None
    clock: StageClock = field(default_factory=StageClock)


def _ids(translation_id: int, article_id: int | None, lang: str | None, stage: str, **more) -> dict:
    """The fields every job log line carries (GNEWS_LOG_FORMAT=json writes them as keys)."""
    return {"translation_id": translation_id, "article_id": article_id, "lang": lang, "stage": stage, **more}


def run_translations(db: Database, settings: Settings, translation_ids: list[int], owner: str) -> dict:
    """Translate several jobs; those of one direction (and glossary) share the engine's batches,
    so the sentences of several short articles fill batches together. Returns outcome by id.

    Every step logs a line with the article and translation ids and the stage, and the job's
    seconds by stage, its latency and its QA flags go to the workers' metrics (``metrics``)."""
    outcomes: dict[int, JobOutcome] = {}
    jobs: list[_Job] = []
    guard = Guard.from_settings(settings)
    for translation_id in translation_ids:
        clock = StageClock()
        with clock.stage("store"):
            outcome = claim(db, translation_id, owner, settings.lease_seconds)
        if outcome is not None:
            outcomes[translation_id] = outcome
            metrics.job_finished(outcome.status)
            log.info("translation %d not claimed (%s): %s", translation_id, outcome.status, outcome.detail,
                     extra=_ids(translation_id, None, None, "claim", outcome=outcome.status))
            continue
        with clock.stage("store"), db.session() as session:
            row = session.get(Translation, translation_id)
            revision = row.revision
            article_id, lang = revision.article_id, row.target_lang
            log.info("article %d → %s: translation %d claimed by %s (attempt %d)", article_id, lang,
                     translation_id, owner, row.attempts, extra=_ids(translation_id, article_id, lang, "claim"))
            # Nothing reaches the engine with personal data nobody decided about (docs/privacy.md).
            article_id = revision.article_id
            found = unresolved(session, article_id, article_texts(revision.title, revision.blocks,
                                                                           revision.author), guard)
            if not found:
                src = revision.article.source_lang
                blocks = [Block.from_dict(b) for b in revision.blocks]
                with clock.stage("segment"):
                    drafts = segment_article(revision.title, blocks, src, revision.article_date,
                                             author=revision.author, correction=revision.correction)
                jobs.append(_Job(translation_id, src, lang, revision.glossary, drafts, article_id, clock))
                log.info("article %d → %s: %d segments", article_id, lang, len(drafts),
                         extra=_ids(translation_id, article_id, lang, "segment", segments=len(drafts)))
        if found:  # the session is closed: SQLite lets the failure be written
            message = (f"not sent to machine translation: personal data nobody allowed or redacted: "
                       f"{'; '.join(item.describe() for item in found)}. Submit the article again with "
                       "--redact-personal-data or --allow-personal-data \"REASON\", or allow each finding "
                       f"(`gnews-i18n privacy allow {article_id} ID --reason \"…\"`), then retry the translation "
                       f"(the desk's Retry, or POST /api/translations/{translation_id}/retry).")
            _fail(db, translation_id, owner, message)
            outcomes[translation_id] = JobOutcome("skipped", detail=message)
            metrics.job_finished("skipped")
            log.warning("article %d → %s: %s", article_id, lang, message,
                        extra=_ids(translation_id, article_id, lang, "privacy"))
    groups: dict[tuple, list[_Job]] = {}
    for job in jobs:
        groups.setdefault((job.src, job.tgt, job.glossary), []).append(job)
    for (src, tgt, glossary), members in groups.items():
        started = time.perf_counter()
        model_id = "translation memory"
        clock = StageClock()  # the group's shared work, shared out evenly among its jobs below
        to_translate: list = []
        try:
            with clock.stage("memory"):
                from_memory(db, src, tgt, [d for job in members for d in job.drafts])
            to_translate = [d for job in members for d in job.drafts if not d.from_memory]
            with clock.stage("store"):
                _renew_all(db, members, owner, settings, 0)
            if to_translate:  # a fully remembered article needs no model at all
                with clock.stage("terms"):
                    terminology = _terminology(settings, glossary, src, tgt)
                with clock.stage("mt"):  # the first job of a process loads the model here
                    translator = get_translator(settings, src, tgt)
                model_id = translator.model_id
                for job in members:
                    log.info("article %s → %s: translating %d segments (%d from memory) with %s", job.article_id,
                             tgt, len(job.drafts), sum(d.from_memory for d in job.drafts), model_id,
                             extra=_ids(job.translation_id, job.article_id, tgt, "mt", model=model_id))
                translate_segments(to_translate, translator, terminology=terminology,
                                   on_progress=_progress(db, members, owner, settings, clock), clock=clock)
        except LeaseLost:
            for job in members:
                metrics.job_finished("lease_lost")
                log.warning("article %s → %s: lease lost, another worker has the job", job.article_id, tgt,
                            extra=_ids(job.translation_id, job.article_id, tgt, "mt"))
            raise
        except Exception as error:
            for job in members:
                _fail(db, job.translation_id, owner, f"{type(error).__name__}: {error}")
                metrics.job_finished("failed")
                log.error("article %s → %s: failed: %s: %s", job.article_id, tgt, type(error).__name__, error,
                          extra=_ids(job.translation_id, job.article_id, tgt, "mt"))
            raise
        seconds = (time.perf_counter() - started) / len(members)
        machine = [d for d in to_translate if not d.from_memory]
        metrics.machine_translated(f"{src}-{tgt}", len(machine), clock.seconds.get("mt", 0.0))
        metrics.qa_flagged(_flags_by_check(machine))
        for job in members:
            with job.clock.stage("store"):
                try:
                    latency = _save(db, job, owner, model_id, seconds)
                except LeaseLost:
                    metrics.job_finished("lease_lost")
                    log.warning("article %s → %s: lease lost before saving, another worker has the job",
                                job.article_id, tgt, extra=_ids(job.translation_id, job.article_id, tgt, "store"))
                    raise
            outcomes[job.translation_id] = JobOutcome("done", detail=f"{len(job.drafts)} segments")
            stages = {stage: job.clock.seconds.get(stage, 0.0) + clock.seconds.get(stage, 0.0) / len(members)
                      for stage in metrics.STAGES}
            metrics.job_finished("done")
            metrics.job_timings(stages, latency)
            log.info("article %s → %s: translation %d in review, %d segments in %.2f s (%s)", job.article_id, tgt,
                     job.translation_id, len(job.drafts), sum(stages.values()),
                     ", ".join(f"{stage} {value:.3f}" for stage, value in stages.items()),
                     extra=_ids(job.translation_id, job.article_id, tgt, "review", segments=len(job.drafts),
                                seconds={stage: round(value, 4) for stage, value in stages.items()},
                                latency=None if latency is None else round(latency, 3)))
    return outcomes


def _flags_by_check(drafts: list) -> dict[tuple[str, str], int]:
    """(check id, flag id) → how many times the machine drafts carry it."""
    counted: dict[tuple[str, str], int] = {}
    for draft in drafts:
        for flag in draft.flags:
            check = check_by_flag(flag["id"])
            key = (check.check_id if check else "engine", flag["id"])  # the engine's own guards: mt_suspect …
            counted[key] = counted.get(key, 0) + 1
    return counted


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
            if entry is None or not draft.source_text.strip():  # a photo without alt text: nothing to recall
                continue
            draft.machine_text, draft.from_memory = entry.target_text, True
            draft.provenance = {"memory": entry.id, "origin": entry.origin}
            # a remembered translation was written (or approved) by a person
            draft.flags = check_pair(draft.source_text, entry.target_text, src, tgt,
                                     context=QAContext(draft.article_date, "human"))
            filled += 1
    return filled


def _progress(db: Database, members: list[_Job], owner: str, settings: Settings, clock: StageClock):
    """The leases renewed after each chunk but the last: the save follows it at once, checks the
    lease itself and sets the progress to done (one write transaction fewer per job)."""
    def renew(done: int, total: int) -> None:
        if done < total:
            with clock.stage("store"):
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


def _save(db: Database, job: _Job, owner: str, model_id: str, seconds: float) -> float | None:
    """Store one job's segments in one transaction, only while its lease is still ours. Returns the
    seconds since the translation was submitted when this is its first draft (else None).

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
        first_draft = not existing
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
        session.flush()
        session.expire(row, ["segments"])
        refresh_flags(session, [row])  # personal data in the draft, with the article's decisions
        row.state = TranslationState.IN_REVIEW
        row.lease_owner = None
        row.lease_expires_at = None
        row.model_id = model_id
        row.progress_done = row.progress_total = len(job.drafts)
        row.seconds = round(seconds, 3)
        return (utcnow() - row.created_at).total_seconds() if first_draft and row.created_at else None


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
