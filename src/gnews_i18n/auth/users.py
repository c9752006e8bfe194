"""Users, passwords (Argon2) and API tokens (only their SHA-256 is stored)."""

from __future__ import annotations

import hashlib
import re
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from gnews_i18n.auth.permissions import ROLES, Actor
from gnews_i18n.languages import EDITION_LANGUAGES
from gnews_i18n.store.models import ApiToken, User, WebSession, utcnow

_hasher = PasswordHasher()
USER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$")  # the API documents it as the name's pattern
TOKEN_PREFIX = "gn_"


class UserError(ValueError):
    """A user command that cannot be done; the message says why."""


class NoSuchUser(UserError):
    """The user (or the user's token) named is not there: the API's 404, a UserError everywhere else."""


def _check_roles(roles: list[str], languages: list[str]) -> None:
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise UserError(f"unknown role {', '.join(unknown)}; roles are {', '.join(ROLES)}")
    bad = [lang for lang in languages if lang != "*" and lang not in EDITION_LANGUAGES]
    if bad:
        raise UserError(f"unknown language {', '.join(bad)}; "
                        f"the desk has {', '.join(EDITION_LANGUAGES)} (or * for all)")
    if "reviewer" in roles and not languages:
        raise UserError("a reviewer needs languages: --lang ru (repeat it, or * for all)")


def get_user(session: Session, name: str) -> User:
    user = session.scalar(select(User).where(User.name == name))
    if user is None:
        raise NoSuchUser(f"no user {name!r}; `gnews-i18n users list` shows them")
    return user


def add_user(session: Session, name: str, roles: list[str], languages: list[str] | None = None,
             password: str | None = None) -> User:
    if not USER_NAME.match(name):
        raise UserError(f"user name {name!r}: use letters, digits and . _ @ - (up to 100)")
    languages = list(dict.fromkeys(languages or []))
    _check_roles(roles, languages)
    if session.scalar(select(User).where(User.name == name)) is not None:
        raise UserError(f"user {name!r} exists already; `gnews-i18n users grant` changes roles")
    user = User(name=name, roles=list(dict.fromkeys(roles)), languages=languages, active=True)
    if password is not None:
        set_password(user, password)
    session.add(user)
    session.flush()
    return user


def grant(session: Session, name: str, role: str, languages: list[str] | None = None,
          revoke: bool = False) -> User:
    user = get_user(session, name)
    roles = [r for r in user.roles if r != role] if revoke else list(dict.fromkeys([*user.roles, role]))
    langs = list(user.languages or [])
    if languages:
        langs = [lang for lang in langs if lang not in languages] if revoke else list(dict.fromkeys(langs + languages))
    _check_roles(roles, langs if "reviewer" in roles else [])
    user.roles, user.languages = roles, langs
    return user


def set_password(user: User, password: str) -> None:
    if len(password) < 8:
        raise UserError("a password needs at least 8 characters")
    user.password_hash = _hasher.hash(password)


def authenticate(session: Session, name: str, password: str) -> Actor | None:
    user = session.scalar(select(User).where(User.name == name))
    if user is None or not user.active or not user.password_hash:
        _hasher.hash(password)  # the same work either way, so timing does not reveal names
        return None
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    return Actor.of(user)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session: Session, name: str, label: str = "") -> str:
    """A new API token for ``name``; returned once, only its hash is stored."""
    user = get_user(session, name)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiToken(user=user, token_hash=_digest(token), label=label))
    session.flush()
    return token


def user_for_token(session: Session, token: str) -> Actor | None:
    if not token:
        return None
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(token.strip())))
    if row is None or not row.user.active:
        return None
    row.last_used_at = utcnow()
    return Actor.of(row.user)


# The life of an account: deactivate (reversible), delete, revoke one token --------------------------
def change_password(session: Session, name: str, password: str, keep_session: str | None = None) -> User:
    """Set ``name``'s password and end their other desk sessions (all of them but ``keep_session``)."""
    user = get_user(session, name)
    set_password(user, password)
    end_sessions(session, user, keep=keep_session)
    return user


def set_active(session: Session, name: str, active: bool) -> User:
    """Deactivate (or reactivate) ``name``: an inactive user's tokens, sessions and password open nothing."""
    user = get_user(session, name)
    user.active = active
    if not active:
        end_sessions(session, user)
    return user


def delete_user(session: Session, name: str) -> None:
    """Remove ``name`` with their tokens and sessions; the names they left in history stay as text."""
    session.delete(get_user(session, name))
    session.flush()


def tokens_of(session: Session, name: str) -> list[dict]:
    return [{"id": t.id, "label": t.label, "created_at": t.created_at.isoformat(timespec="seconds"),
             "last_used_at": t.last_used_at and t.last_used_at.isoformat(timespec="seconds")}
            for t in sorted(get_user(session, name).tokens, key=lambda t: t.id)]


def revoke_token(session: Session, name: str, token_id: int) -> None:
    """Revoke one of ``name``'s tokens by its id (``users tokens NAME`` lists them)."""
    user = get_user(session, name)
    row = next((t for t in user.tokens if t.id == token_id), None)
    if row is None:
        raise NoSuchUser(f"{name} has no token {token_id}; `gnews-i18n users tokens {name}` lists them")
    user.tokens.remove(row)
    session.flush()


# Desk sessions, kept server-side so that they can end -----------------------------------------------
def start_session(session: Session, actor: Actor) -> str:
    """A new desk session for ``actor``; the returned key goes into the (signed) cookie."""
    user = get_user(session, actor.name)
    key = secrets.token_urlsafe(32)
    session.add(WebSession(user=user, key_hash=_digest(key)))
    session.flush()
    return key


def user_for_session(session: Session, key: str | None) -> Actor | None:
    """The active user whose session ``key`` is, None when it ended (logout, password change, deactivation)."""
    if not key:
        return None
    row = session.scalar(select(WebSession).where(WebSession.key_hash == _digest(key)))
    return Actor.of(row.user) if row is not None and row.user.active else None


def end_session(session: Session, key: str | None) -> None:
    if key:
        session.execute(delete(WebSession).where(WebSession.key_hash == _digest(key)))


def end_sessions(session: Session, user: User, keep: str | None = None) -> None:
    """End every desk session of ``user`` (but ``keep``)."""
    query = delete(WebSession).where(WebSession.user_id == user.id)
    if keep:
        query = query.where(WebSession.key_hash != _digest(keep))
    session.execute(query)
