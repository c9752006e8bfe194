"""The named states of translations and segments, in one obvious place."""

from __future__ import annotations

from enum import StrEnum
from types import MappingProxyType


class TranslationState(StrEnum):
    QUEUED = "queued"
    TRANSLATING = "translating"
    IN_REVIEW = "in_review"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    PUBLISHED = "published"
    OUTDATED = "outdated"
    WITHDRAWN = "withdrawn"  # was published, then unpublished; a publisher can publish it again
    FAILED = "failed"


class SegmentState(StrEnum):
    MACHINE = "machine"
    MEMORY = "memory"
    EDITED = "edited"
    APPROVED = "approved"


# Which review actions move a translation from which states.
APPROVABLE = {TranslationState.IN_REVIEW, TranslationState.CHANGES_REQUESTED}


# What a translation sent back to the queue forgets (a failed job tried again, a draft sent back
# to MT, the sweep's release): its lease, its progress and its last error. One set of columns,
# so the CLI, the desk, the API and the sweep requeue alike.
REQUEUED = MappingProxyType({"state": TranslationState.QUEUED, "lease_owner": None, "lease_expires_at": None,
                             "progress_done": 0, "error": None})


def requeue(translation) -> None:
    """Put one loaded translation back in the queue (the caller enqueues its job)."""
    for column, value in REQUEUED.items():
        setattr(translation, column, value)
