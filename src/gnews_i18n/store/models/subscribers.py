"""The newsletter's readers: one row an address, with its language, status and consent record,
and an anonymous count of the addresses erased on request."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from gnews_i18n.store.models.base import Base, utcnow


class Subscriber(Base):
    """A reader of the list: ``pending`` until the address is confirmed, then ``active``;
    ``unsubscribed`` or ``bounced`` end it (the row stays, so no edition reaches them again)."""

    __tablename__ = "subscribers"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)  # normalized, lower-cased
    lang: Mapped[str] = mapped_column(String(8))  # the edition they read
    name: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(16), index=True)
    # The consent record: when, how (site form, api, cli, import) and from where (page, client address)
    consent_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    consent_method: Mapped[str] = mapped_column(String(40), default="")
    consent_source: Mapped[str] = mapped_column(String(500), default="")
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    unsubscribed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    bounces: Mapped[int] = mapped_column(Integer, default=0)  # permanent refusals since the last delivery
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class SubscriberErasure(Base):
    """An address erased on request (``subscribers forget``): only the time is kept, never the address."""

    __tablename__ = "subscriber_erasures"

    id: Mapped[int] = mapped_column(primary_key=True)
    erased_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
