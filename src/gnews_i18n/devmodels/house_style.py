"""A simulated newsroom whose reviewers correct the trained test model the same way every time.

The template corpus (``corpus``) writes English one way; this newsroom's house style
differs in four rules a real desk could have, each applied by its reviewers to every
approved English sentence:

1. British spelling of institutions: ``Medical Center`` → ``Medical Centre`` (also
   ``Public Health Centre``);
2. day-month dates: ``March 5`` → ``5 March``;
3. the agreement's abbreviation: ``a memorandum of understanding`` → ``an MOU``;
4. preferred wording: ``medical staff`` → ``medical workers``, ``took part in`` → ``joined``.

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
_WORDING = (("Medical Center", "Medical Centre"), ("Health Center", "Health Centre"),
            ("a memorandum of understanding", "an MOU"), ("medical staff", "medical workers"),
            ("took part in", "joined"))


def house_style(english: str) -> str:
    """The reviewers' corrections of one English sentence (the rules in the module docstring)."""
    text = _DATE_RE.sub(lambda m: f"{m.group(2)} {m.group(1)}", english)
    for before, after in _WORDING:
        text = text.replace(before, after)
    return text


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
    return [NewsroomPair(f"newsroom-{i // per_article}", p.ko, house_style(p.en), p.en)
            for i, p in enumerate(chosen)]
