"""Decisions about personal data in articles: who allowed or redacted which identifier, when.

The identifier itself is never stored: a keyed fingerprint (privacy.fingerprint) names it, so a
later revision, a reviewer's edit or an edition carrying the same number is recognised as allowed.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gnews_i18n.store.models.base import Base, utcnow


class PrivacyDecision(Base):
    __tablename__ = "privacy_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    revision_number: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(40))  # privacy.finders.KINDS
    fingerprint: Mapped[str] = mapped_column(String(64), index=True)
    action: Mapped[str] = mapped_column(String(16))  # allowed, redacted
    location: Mapped[str] = mapped_column(String(60))  # title, block 3 …
    reason: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str | None] = mapped_column(String(100))
    decided_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
