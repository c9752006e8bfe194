"""Memory entries keyed by (source language, target language, normalized source).

Normalizing folds Unicode compatibility forms (NFKC: full-width digits, ㎎ → mg) and
runs of whitespace, so a sentence copied with other spacing still matches; case and
punctuation are kept, since they change the translation.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata

from sqlalchemy import select
from sqlalchemy.orm import Session

from gnews_i18n.store.models import MemoryEntry, Translation, utcnow

_SPACE = re.compile(r"\s+")


def normalize(text: str) -> str:
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def source_key(text: str) -> str:
    return hashlib.sha256(normalize(text).encode()).hexdigest()


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
    for segment in translation.segments:
        remember(session, src, tgt, segment.source_text, segment.text, f"translation {translation.id}", author)
    return len(translation.segments)


def lookup(session: Session, src: str, tgt: str, sources: list[str]) -> dict[str, MemoryEntry]:
    """Entries for those of ``sources`` the memory holds, by their key."""
    keys = list({source_key(s) for s in sources})
    found: dict[str, MemoryEntry] = {}
    for start in range(0, len(keys), 500):  # stay under the databases' bound-parameter limits
        query = select(MemoryEntry).where(MemoryEntry.source_lang == src, MemoryEntry.target_lang == tgt,
                                          MemoryEntry.source_key.in_(keys[start:start + 500]))
        found.update((entry.source_key, entry) for entry in session.scalars(query))
    return found
