"""Articles in the store: submission (revisions and translation jobs) and the read-side
summaries the doors show (``queries``)."""

# The public surface: these modules, imported directly (this package imports none of them).
__all__ = ["queries", "submission"]
