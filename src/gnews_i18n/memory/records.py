"""Memory entries as plain records, the key they are found by, and what a memory must answer.

Normalizing folds Unicode compatibility forms (NFKC: full-width digits, ㎎ → mg) and
runs of whitespace, so a sentence copied with other spacing still matches; case and
punctuation are kept, since they change the translation.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

_SPACE = re.compile(r"\s+")


def normalize(text: str) -> str:
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def source_key(text: str) -> str:
    return hashlib.sha256(normalize(text).encode()).hexdigest()


@dataclass(frozen=True)
class MemoryRecord:
    """One approved pair: ``source_text`` → ``target_text`` from ``source_lang`` to ``target_lang``."""

    source_lang: str
    target_lang: str
    source_text: str
    target_text: str
    origin: str = ""
    author: str = ""
    updated_at: dt.datetime | None = None
    id: int | None = None  # the store's id, when the record came from it


class MemorySource(Protocol):
    """What translation needs of a memory: the records for some sources, by ``source_key``."""

    def lookup(self, src: str, tgt: str, sources: Sequence[str]) -> Mapping[str, MemoryRecord]: ...
