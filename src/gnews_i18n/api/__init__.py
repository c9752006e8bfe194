"""The REST API: routers, RFC 9457 problems, body limits and security headers (``server.py`` mounts it)."""
