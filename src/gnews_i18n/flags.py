"""A flag: what a check found, how serious, and the two spans it compares; and what a
check may know beyond the pair itself (``QAContext``).

A leaf module: QA, terminology, the engine's guards and the review desk all make or read
flags, so the shape lives below all of them. ``source`` and ``target`` are the spans as
written ("" when one side has nothing to show), so a reviewer sees what was compared with
what; ``fix``, when present, is a replacement that resolves the flag in one action:
``{"find": …, "replace": …}`` on the target text. Flags are stored as JSON on segments,
so a flag is a typed dict, not an object.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal, NotRequired, TypedDict

Severity = Literal["error", "warning"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning")


class Fix(TypedDict):
    find: str
    replace: str


class Flag(TypedDict):
    id: str  # the check's id, e.g. ``number_mismatch``
    severity: Severity
    message: str
    source: str
    target: str
    fix: NotRequired[Fix]


def flag(check_id: str, severity: Severity, message: str, source: str = "", target: str = "", **extra) -> Flag:
    return {"id": check_id, "severity": severity, "message": message, "source": source, "target": target,
            **extra}  # type: ignore[typeddict-item]  # extra: ``fix`` and check-specific details


def has_errors(flags: list[Flag]) -> bool:
    return any(f.get("severity") == "error" for f in flags)


ORIGINS = ("machine", "human")


@dataclass(frozen=True)
class QAContext:
    """The article's date, who wrote the target, and the article's text before this segment."""

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


__all__ = ["ORIGINS", "SEVERITIES", "Fix", "Flag", "QAContext", "Severity", "flag", "has_errors", "parse_date"]
