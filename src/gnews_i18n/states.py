"""The named states of translations and segments, in one obvious place."""

from __future__ import annotations

from enum import StrEnum


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
