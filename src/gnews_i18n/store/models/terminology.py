"""The history of terminology edited at the desk or over the API."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gnews_i18n.store.models.base import Base, utcnow


class TerminologyChange(Base):
    """History of the terminology edited at the desk or over the API: one row per added or changed
    glossary concept or registry post, with who and when (the files stay the source of truth)."""

    __tablename__ = "terminology_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # glossary, people
    file: Mapped[str] = mapped_column(Text)
    key: Mapped[str] = mapped_column(String(200), index=True)  # concept id or first form; person id
    action: Mapped[str] = mapped_column(String(16))  # add, post (a person's new post)
    row: Mapped[dict] = mapped_column(JSON)  # the CSV row as written
    author: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
