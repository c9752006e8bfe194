"""Reviewer effort: how much of the machine output people had to change.

Per approved segment, the edit rate is the character edit distance (Levenshtein)
between the machine output and the approved text, divided by the approved text's
length: 0 when approved unchanged, about 1 when rewritten. Aggregated by model,
language pair and month of approval.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein
from sqlalchemy import select
from sqlalchemy.orm import Session

from gnews_i18n.states import TranslationState
from gnews_i18n.store.models import Translation


def edit_rate(machine: str, final: str) -> float:
    if machine == final:
        return 0.0
    return Levenshtein.distance(machine, final) / max(len(final), len(machine), 1)


@dataclass
class EffortRow:
    model: str
    pair: str
    month: str
    translations: int = 0
    segments: int = 0
    unchanged: int = 0
    edit_rate_sum: float = 0.0
    terms_missing: int = 0

    @property
    def mean_edit_rate(self) -> float:
        return self.edit_rate_sum / self.segments if self.segments else 0.0

    @property
    def share_unchanged(self) -> float:
        return self.unchanged / self.segments if self.segments else 0.0

    def as_dict(self) -> dict:
        return {"model": self.model, "pair": self.pair, "month": self.month, "translations": self.translations,
                "segments": self.segments, "mean_edit_rate": round(self.mean_edit_rate, 4),
                "share_unchanged": round(self.share_unchanged, 4), "terms_missing": self.terms_missing}


def effort(session: Session) -> list[EffortRow]:
    rows: dict[tuple, EffortRow] = {}
    query = select(Translation).where(
        Translation.state.in_([TranslationState.APPROVED, TranslationState.PUBLISHED, TranslationState.OUTDATED]),
        Translation.approved_at.is_not(None),
    )
    for translation in session.scalars(query):
        pair = f"{translation.revision.article.source_lang}-{translation.target_lang}"
        key = (translation.model_id or "?", pair, translation.approved_at.strftime("%Y-%m"))
        row = rows.setdefault(key, EffortRow(*key))
        row.translations += 1
        for segment in translation.segments:
            rate = edit_rate(segment.machine_text, segment.text)
            row.segments += 1
            row.unchanged += rate == 0.0
            row.edit_rate_sum += rate
            row.terms_missing += sum(1 for f in segment.flags or [] if f.get("id") == "term_missing")
    return [rows[k] for k in sorted(rows)]


def effort_csv(rows: list[EffortRow]) -> str:
    out = io.StringIO()
    fields = ["model", "pair", "month", "translations", "segments", "mean_edit_rate", "share_unchanged",
              "terms_missing"]
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(row.as_dict() for row in rows)
    return out.getvalue()
