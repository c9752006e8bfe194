"""The translation memory in the database: remember approved pairs, look them up, TMX in and out.

Entries are keyed by (source language, target language, normalized source); see ``records``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from gnews_i18n.memory.records import MemoryRecord, normalize, source_key
from gnews_i18n.memory.tmx import TmxImport, parse_tmx, write_tmx
from gnews_i18n.privacy import BLOCK, PrivacyPolicy, redact
from gnews_i18n.privacy.guard import Guard
from gnews_i18n.store.models import MemoryEntry, Translation, utcnow


def remember(session: Session, src: str, tgt: str, source: str, target: str, origin: str = "",
             author: str = "", updated_at: dt.datetime | None = None) -> MemoryEntry:
    """Add or replace the entry for ``source`` (the newest approval wins); ``updated_at`` keeps
    the time of an approval made elsewhere (a TMX file's ``changedate``)."""
    key = source_key(source)
    entry = session.scalar(select(MemoryEntry).where(
        MemoryEntry.source_lang == src, MemoryEntry.target_lang == tgt, MemoryEntry.source_key == key))
    if entry is None:
        entry = MemoryEntry(source_lang=src, target_lang=tgt, source_key=key)
        session.add(entry)
    entry.source_text, entry.target_text = normalize(source), target
    entry.origin, entry.author, entry.updated_at = origin, author, updated_at or utcnow()
    session.flush()
    return entry


def remember_translation(session: Session, translation: Translation, author: str) -> int:
    """Feed every segment of an approved translation into the memory; returns how many."""
    src, tgt = translation.revision.article.source_lang, translation.target_lang
    kept = [s for s in translation.segments if s.source_text.strip()]  # not a photo's missing alt text
    for segment in kept:
        remember(session, src, tgt, segment.source_text, segment.text, f"translation {translation.id}", author)
    return len(kept)


def _record(entry: MemoryEntry) -> MemoryRecord:
    return MemoryRecord(entry.source_lang, entry.target_lang, entry.source_text, entry.target_text,
                        entry.origin, entry.author, entry.updated_at, entry.id)


class SessionMemory:
    """The stored memory, as a ``MemorySource`` for one database session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def lookup(self, src: str, tgt: str, sources: Sequence[str]) -> dict[str, MemoryRecord]:
        keys = list({source_key(s) for s in sources})
        found: dict[str, MemoryRecord] = {}
        for start in range(0, len(keys), 500):  # stay under the databases' bound-parameter limits
            query = select(MemoryEntry).where(MemoryEntry.source_lang == src, MemoryEntry.target_lang == tgt,
                                              MemoryEntry.source_key.in_(keys[start:start + 500]))
            found.update((entry.source_key, _record(entry)) for entry in self.session.scalars(query))
        return found


def lookup(session: Session, src: str, tgt: str, sources: Sequence[str]) -> dict[str, MemoryRecord]:
    """Records for those of ``sources`` the memory holds, by their key."""
    return SessionMemory(session).lookup(src, tgt, sources)


def export_tmx(session: Session, src: str | None = None, tgt: str | None = None) -> str:
    """The memory (or one direction of it) as TMX 1.4, personal identifiers the privacy policy
    blocks masked: an article's decision to allow one covers its publication, not a file for
    CAT tools (the memory's entries belong to no article), so nothing here is refused either."""
    query = select(MemoryEntry).order_by(MemoryEntry.source_lang, MemoryEntry.target_lang, MemoryEntry.id)
    if src:
        query = query.where(MemoryEntry.source_lang == src)
    if tgt:
        query = query.where(MemoryEntry.target_lang == tgt)
    policy = Guard.from_settings().policy
    return write_tmx([_masked(_record(entry), policy) for entry in session.scalars(query)])


def _masked(record: MemoryRecord, policy: PrivacyPolicy) -> MemoryRecord:
    def clean(text: str) -> str:
        return redact(text, [f for f, action in policy.findings(text) if action == BLOCK])
    return dataclasses.replace(record, source_text=clean(record.source_text), target_text=clean(record.target_text))


def import_tmx(session: Session, data: bytes, name: str, author: str = "", both_directions: bool = False
               ) -> TmxImport:
    """Add every unit of a TMX file to the memory (the newest wins on the same source), or nothing."""
    parsed = parse_tmx(data, name, author, both_directions)
    for record in parsed.records:
        remember(session, record.source_lang, record.target_lang, record.source_text, record.target_text,
                 record.origin[:200], record.author[:100], updated_at=record.updated_at)
    return parsed.result
