"""Interchange formats: one module per format, read and written as plain units."""

# The public surface: these modules, imported directly (this package imports none of them).
__all__ = ["xml"]
