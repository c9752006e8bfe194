"""Review: edits and approvals (compare-and-set), access, progress, corrections, the effort report,
and the PO/XLIFF round trips."""

# The public surface: these modules, imported directly (this package imports none of them).
__all__ = ["access", "actions", "corrections", "effort", "files", "inline", "po", "progress", "units", "xliff"]
