"""Sentence splitting per language: Kiwi for Korean, pysbd's rules for the others."""

from __future__ import annotations

import threading
from functools import lru_cache

import pysbd

from gnews_i18n.languages import PYSBD_LANGUAGES
from gnews_i18n.markup import mask, unmask

# pysbd ships rules for these; other languages fall back to its English rules.
_kiwi_lock = threading.Lock()


@lru_cache(maxsize=1)
def _kiwi():
    from kiwipiepy import Kiwi  # loads its model (≈2 s): only when Korean text is split

    return Kiwi()


@lru_cache(maxsize=16)
def _pysbd(lang: str):
    return pysbd.Segmenter(language=lang if lang in PYSBD_LANGUAGES else "en", clean=False)


def split_sentences(text: str, lang: str) -> list[str]:
    """Sentences of one block of text, whitespace-trimmed, none empty. Inline tags are
    opaque words to the splitters (a link's address has dots, but no sentence ends there)."""
    text, tags = mask(text.strip())
    if not text:
        return []
    if lang == "ko":
        with _kiwi_lock:  # Kiwi objects are not documented as thread-safe
            sentences = [s.text for s in _kiwi().split_into_sents(text)]
    else:
        sentences = _pysbd(lang).segment(text)
    return [unmask(s.strip(), tags) for s in sentences if s.strip()]


def join_sentences(sentences: list[str], lang: str) -> str:
    """Reassemble a block from its translated sentences."""
    separator = "" if lang in ("zh", "ja") else " "
    return separator.join(s.strip() for s in sentences if s.strip())
