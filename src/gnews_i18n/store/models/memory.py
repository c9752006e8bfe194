"""The translation memory's entries."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from gnews_i18n.store.models.base import Base, utcnow


class MemoryEntry(Base):
    """Translation memory: an approved target for one normalized source sentence."""

    __tablename__ = "memory_entries"
    __table_args__ = (UniqueConstraint("source_lang", "target_lang", "source_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_lang: Mapped[str] = mapped_column(String(8))
    target_lang: Mapped[str] = mapped_column(String(8))
    source_key: Mapped[str] = mapped_column(String(64))  # SHA-256 of the normalized source
    source_text: Mapped[str] = mapped_column(Text)
    target_text: Mapped[str] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(String(200), default="")  # "translation 12" or "tmx:file"
    author: Mapped[str] = mapped_column(String(100), default="")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
