"""A simulated newsroom whose reviewers correct the trained test model the same way every time.

The template corpus (``corpus``) writes English one way; this newsroom's house style
differs in three rules a real desk could have, each applied by its reviewers to every
approved English sentence:

1. day-month dates: ``on March 5`` → ``on 5 March``;
2. the agreement's plain name: ``a memorandum of understanding`` → ``a cooperation agreement``;
3. delegations named by their country first: ``A delegation from Mongolia visited`` →
   ``The Mongolia delegation visited``.

The rules use only words the trained test models know: their sub-word vocabulary is built
from the template corpus, and a piece the corpus never used (``Centre``'s ``re``) has an
untrained embedding that a few hundred small steps cannot teach (measured: ``joined`` came
out as ``jo.``). A real model's vocabulary is trained throughout.

The sentences come from the domain corpus (other seeds than the model's training text), in
articles of a few sentences each: what ``bench/adaptation.py`` and the adaptation tests feed
``adapt`` as approved post-edits. A test instrument, like the rest of ``devmodels``.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from gnews_i18n.devmodels.corpus import _MONTHS, make_corpus

_DATE_RE = re.compile(r"\b(" + "|".join(_MONTHS) + r") (\d{1,2})\b")
_DELEGATION_RE = re.compile(r"\bA delegation from ([A-Z][\w-]*(?: [A-Z][\w-]*)*) visited\b")
_WORDING = (("a memorandum of understanding", "a cooperation agreement"),)


def house_style(english: str) -> str:
    """The reviewers' corrections of one English sentence (the rules in the module docstring)."""
    text = _DATE_RE.sub(lambda m: f"{m.group(2)} {m.group(1)}", english)
    text = _DELEGATION_RE.sub(lambda m: f"The {m.group(1)} delegation visited", text)
    for before, after in _WORDING:
        text = text.replace(before, after)
    return text


def untouched(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The (source, English) pairs the house style has no opinion on: a general set on which an
    adapted model should translate as before (a pair the style changes would count its win as a loss)."""
    return [(source, english) for source, english in pairs if house_style(english) == english]


@dataclass(frozen=True)
class NewsroomPair:
    article: str
    ko: str
    en: str  # the approved English, in house style
    plain: str  # the same sentence as the corpus writes it (what the base model learnt)


def newsroom(articles: int, per_article: int = 6, seed: int = 4242, *, styled_only: bool = True) -> list[NewsroomPair]:
    """``articles`` simulated articles of ``per_article`` approved ko→en sentences; with
    ``styled_only`` every sentence is one a house-style rule changes (what reviewers correct)."""
    wanted = articles * per_article
    pool = make_corpus(wanted * 4, seed)
    chosen = [p for p in pool if not styled_only or house_style(p.en) != p.en][:wanted]
    if len(chosen) < wanted:
        raise ValueError(f"the corpus gave {len(chosen)} house-style sentences, not {wanted}; ask for fewer")
    random.Random(seed).shuffle(chosen)
    return [NewsroomPair(f"newsroom-{seed}-{i // per_article}", p.ko, house_style(p.en), p.en)
            for i, p in enumerate(chosen)]
