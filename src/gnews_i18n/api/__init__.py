"""The REST API: routers, RFC 9457 problems, body limits and security headers (``server.py`` mounts it)."""

# The public surface: these modules, imported directly (this package imports none of them).
__all__ = ["errors", "issues", "links", "middleware", "problems", "rest", "review_files", "terminology"]
