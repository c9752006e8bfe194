"""Pure ASGI middleware: security headers on every answer, and a cap on request bodies."""

from __future__ import annotations

import json

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gnews_i18n.api.problems import MEDIA_TYPE

# No inline script anywhere: the desk's behaviour lives in /static/desk.js.
DESK_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
            "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
# Published editions: the site's own stylesheet; the one script is the search page's (search.js with
# Pagefind, whose index runs as WebAssembly: 'wasm-unsafe-eval'). Forms post to /site/ on this server:
# the search page's GET form, the subscribe form and the unsubscribe page's button.
SITE_CSP = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data: https:; object-src 'none'; base-uri 'none'; form-action 'self'; "
            "frame-ancestors 'none'")
# Swagger UI comes from its CDN and sets styles inline; its start-up script is ours, under /static.
DOCS_CSP = ("default-src 'self'; script-src 'self' https://cdn.jsdelivr.net; "
            "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
            "img-src 'self' data: https://fastapi.tiangolo.com; object-src 'none'; base-uri 'none'; "
            "frame-ancestors 'none'")


def csp_for(path: str) -> str:
    if path.startswith("/site/") or path == "/site":
        return SITE_CSP
    if path == "/docs":
        return DOCS_CSP
    return DESK_CSP


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = [(b"content-security-policy", csp_for(scope["path"]).encode()),
                 (b"x-frame-options", b"DENY"),
                 (b"x-content-type-options", b"nosniff"),
                 (b"referrer-policy", b"same-origin")]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [h for h in extra if h[0] not in names]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimit:
    """Refuse a body larger than ``limit`` bytes with 413, by its Content-Length or while it streams in."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def _refuse(self, send: Send) -> None:
        body = json.dumps({"type": "about:blank", "title": "Content Too Large", "status": 413, "code": "too_large",
                           "detail": f"the request body is larger than {self.limit // 1024} KB; split it, or raise "
                                     "GNEWS_MAX_ARTICLE_BYTES if this is intended"}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", MEDIA_TYPE.encode()), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers", [])).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.limit):
            await self._refuse(send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    # An HTTPException, so FastAPI's body reading passes it on to the 413 handler.
                    raise HTTPException(413, f"the request body is larger than {self.limit // 1024} KB")
            return message

        await self.app(scope, counted, send)


class RefuseNul:
    """Refuse a NUL character in the path or the query string with a 400 problem.

    No database stores NUL in text (PostgreSQL raises), and no name, state or label holds one,
    so it is refused at the door for every route, API and desk alike."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and ("\x00" in scope["path"] or b"%00" in scope.get("query_string", b"")):
            where = "path" if "\x00" in scope["path"] else "query"
            body = json.dumps({"type": "about:blank", "title": "Bad Request", "status": 400,
                               "code": "nul_character", "field": where,
                               "detail": f"the {where} contains a NUL character (%00); remove it and "
                                         "send the request again"}).encode()
            await send({"type": "http.response.start", "status": 400,
                        "headers": [(b"content-type", MEDIA_TYPE.encode()),
                                    (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send)
