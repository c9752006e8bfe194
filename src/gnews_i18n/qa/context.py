"""What a check may know beyond the pair itself: the article's date, who wrote the target,
and the article's text before this segment."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

ORIGINS = ("machine", "human")


@dataclass(frozen=True)
class QAContext:
    article_date: dt.date | None = None
    # "machine": an MT draft, where the engine guarantees terms; "human": a reviewer's edit,
    # a PO import, the translation memory or any bilingual text a person wrote.
    origin: str = "machine"
    earlier_source: str = ""  # the article's source text before this segment
    earlier_target: str = ""  # the translation of that text, as it stands

    @property
    def human(self) -> bool:
        return self.origin == "human"


def parse_date(value: str) -> dt.date:
    """``YYYY-MM-DD``; raises ValueError with what to type instead."""
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"{value!r} is not a date; write it as YYYY-MM-DD, e.g. 2023-11-21") from None
