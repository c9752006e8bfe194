"""Login throttling: too many wrong passwords for one account, or from one client address, within a
window, and the desk answers 429 with ``Retry-After`` until the window has moved on, or an admin
unlocks it (`gnews-i18n users unlock`). Failures are rows in the database, so every server process
behind a balancer counts the same ones."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from gnews_i18n.config import Settings
from gnews_i18n.store.models import LoginFailure, utcnow

log = logging.getLogger("gnews_i18n.auth")


@dataclass(frozen=True)
class Limits:
    per_account: int
    per_address: int
    window: dt.timedelta

    @classmethod
    def of(cls, settings: Settings) -> Limits:
        return cls(settings.login_account_failures, settings.login_address_failures,
                   dt.timedelta(seconds=settings.login_window_seconds))


def _wait(session: Session, column, value: str, limit: int, window: dt.timedelta, now: dt.datetime) -> int:
    """Seconds until fewer than ``limit`` failures for ``value`` remain in the window; 0 when already so."""
    since = now - window
    times = session.scalars(select(LoginFailure.at).where(column == value, LoginFailure.at > since)
                            .order_by(LoginFailure.at.desc()).limit(limit)).all()
    if len(times) < limit:
        return 0
    return max(1, int((times[-1] + window - now).total_seconds()) + 1)


def retry_after(session: Session, name: str, address: str, limits: Limits) -> int:
    """Seconds the login of ``name`` from ``address`` must wait; 0 when it may try."""
    now = utcnow()
    return max(_wait(session, LoginFailure.name, name, limits.per_account, limits.window, now),
               _wait(session, LoginFailure.address, address, limits.per_address, limits.window, now))


def record_failure(session: Session, name: str, address: str, limits: Limits) -> None:
    session.add(LoginFailure(name=name[:100], address=address[:64]))
    session.execute(delete(LoginFailure).where(LoginFailure.at < utcnow() - limits.window))  # old ones count no more


def record_success(session: Session, name: str) -> None:
    """A right password clears the account's failures (not the address's)."""
    session.execute(delete(LoginFailure).where(LoginFailure.name == name))


def unlock(session: Session, name: str | None = None, address: str | None = None) -> int:
    """Forget the failures of an account and/or an address; how many were forgotten."""
    if name is None and address is None:
        raise ValueError("name an account or an address to unlock")
    where = [*([LoginFailure.name == name] if name is not None else []),
             *([LoginFailure.address == address] if address is not None else [])]
    count = session.scalar(select(func.count(LoginFailure.id)).where(*where)) or 0
    session.execute(delete(LoginFailure).where(*where))
    log.warning("login unlocked: account %r, address %r (%d failure(s) forgotten)", name, address, count)
    return count
