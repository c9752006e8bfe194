"""Progress, one meaning everywhere (CLI, API, desk): how far a translation is on its way.

Before review, the share of segments machine translation has finished ("5/18 translated");
from review on, the share of segments a reviewer has approved ("0/18 approved"), the count
the desk shows. A draft that has just left the machine is 0/18 approved, never 18/18.
"""

from __future__ import annotations

from dataclasses import dataclass

from gnews_i18n.states import SegmentState, TranslationState
from gnews_i18n.store.models import Translation

BEFORE_REVIEW = (TranslationState.QUEUED, TranslationState.TRANSLATING, TranslationState.FAILED)


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    kind: str  # "translated" or "approved"

    def __str__(self) -> str:
        return f"{self.done}/{self.total} {self.kind}" if self.total else ""


def progress(translation: Translation) -> Progress:
    if translation.state in BEFORE_REVIEW:
        return Progress(translation.progress_done, translation.progress_total, "translated")
    segments = translation.segments
    return Progress(sum(1 for s in segments if s.state == SegmentState.APPROVED), len(segments), "approved")
