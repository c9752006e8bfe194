"""Request-scoped pieces: the database, and who is asking.

Two ways in: an API token (``Authorization: Bearer gn_…``) for scripts and the CLI,
or the web desk's signed session cookie. A cookie rides along on any request the
browser makes, so every state-changing request authenticated by the cookie must also
carry the session's CSRF token (form field ``csrf`` or header ``X-CSRF-Token``).
"""

from __future__ import annotations

import hmac
import secrets
from functools import lru_cache
from typing import Annotated

from fastapi import HTTPException, Path, Request
from pydantic import AfterValidator

from gnews_i18n.auth import user_for_token
from gnews_i18n.auth.permissions import Actor
from gnews_i18n.auth.users import user_for_session
from gnews_i18n.config import load_settings
from gnews_i18n.store.db import Database
from gnews_i18n.store.models import MAX_KEY

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# Keys and numbers are INTEGER columns: 32-bit on PostgreSQL (decision 0030). A larger id is a 422 at the
# door, never an overflow in the driver (SQLite would have taken it, PostgreSQL raised a 500).
MAX_ID = MAX_KEY
ItemId = Annotated[int, Path(ge=1, le=MAX_ID, description="A positive id (at most 2147483647).")]


def clean_text(value: str) -> str:
    """JSON allows what no database stores: refuse lone surrogates and NUL characters."""
    if "\x00" in value:
        raise ValueError("contains a NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValueError(f"contains a lone surrogate ({value[error.start]!a}) at character {error.start}") from None
    return value


Text = Annotated[str, AfterValidator(clean_text)]


@lru_cache(maxsize=4)
def database_for(url: str) -> Database:
    return Database(url)


def database() -> Database:
    return database_for(load_settings().database_url)


def csrf_token(request: Request) -> str:
    """The session's CSRF token, made on first use."""
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


def csrf_ok(request: Request, offered: str | None) -> bool:
    expected = request.session.get("csrf")
    return bool(expected and offered and hmac.compare_digest(expected, offered))


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def session_actor(request: Request) -> Actor | None:
    """The logged-in user of the web desk, looked up again on each request: the cookie holds a session
    key, and the session ends server-side (logout, a password change, deactivation) whatever the cookie."""
    key = request.session.get("sid")
    if not key:
        return None
    with database().session() as session:
        return user_for_session(session, key)


async def current_actor(request: Request) -> Actor:
    """FastAPI dependency: the token's or the session's user; 401 without either, 403 on a missing CSRF token."""
    token = bearer_token(request)
    if token:
        with database().session() as session:
            actor = user_for_token(session, token)
        if actor is None:
            raise HTTPException(401, "invalid API token", headers={"WWW-Authenticate": "Bearer"})
        return with_a_role(actor)
    actor = session_actor(request)
    if actor is None:
        raise HTTPException(401, "log in at /login, or send an API token as `Authorization: Bearer …` "
                                 "(`gnews-i18n users token NAME` makes one)", headers={"WWW-Authenticate": "Bearer"})
    if request.method not in SAFE_METHODS:
        offered = request.headers.get("x-csrf-token")
        if offered is None and request.headers.get("content-type", "").startswith(
                ("application/x-www-form-urlencoded", "multipart/form-data")):
            offered = (await request.form()).get("csrf")
        if not csrf_ok(request, offered):
            raise HTTPException(403, "missing or wrong CSRF token; reload the page and try again")
    return with_a_role(actor)


def with_a_role(actor: Actor) -> Actor:
    """The actor, if they hold any role: a user whose roles were all revoked may not even read (403)."""
    if not actor.roles:
        raise HTTPException(403, f"{actor.name} has no role at the desk, so cannot read or change anything; "
                                 f"an admin can `gnews-i18n users grant {actor.name} ROLE`")
    return actor
