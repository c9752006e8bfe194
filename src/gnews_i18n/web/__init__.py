"""The reviewers' web desk: server-rendered pages (Jinja2) with a little JavaScript."""

# The public surface: these modules, imported directly (this package imports none of them).
__all__ = ["common", "editors", "pages", "render", "terminology"]
