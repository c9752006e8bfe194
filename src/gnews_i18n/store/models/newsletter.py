"""The newsletter's tables: issues, their articles in order, and e-mail deliveries."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gnews_i18n.store.models.articles import Article
from gnews_i18n.store.models.base import Base, utcnow


class Issue(Base):
    """A numbered, dated issue: articles in an order, a title per language, required languages."""

    __tablename__ = "issues"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    date: Mapped[dt.date] = mapped_column(Date)
    titles: Mapped[dict] = mapped_column(JSON, default=dict)  # lang → title
    languages: Mapped[list] = mapped_column(JSON, default=list)  # every one must be complete to release
    release_at: Mapped[dt.datetime | None] = mapped_column(DateTime)  # scheduled release (UTC), on beat
    released_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    released_by: Mapped[str | None] = mapped_column(String(100))
    missing_reason: Mapped[str | None] = mapped_column(Text)  # why it went out with translations missing
    missing: Mapped[list] = mapped_column(JSON, default=list)  # [[article_id, lang], …] missing at release
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    entries: Mapped[list[IssueArticle]] = relationship(
        back_populates="issue", order_by="IssueArticle.position", cascade="all, delete-orphan"
    )

    @property
    def released(self) -> bool:
        return self.released_at is not None

    def title_in(self, lang: str) -> str:
        """The issue's title in ``lang``, else in English, else any, else its number."""
        titles = self.titles or {}
        return titles.get(lang) or titles.get("en") or next(iter(titles.values()), "") or f"№ {self.number}"


class IssueArticle(Base):
    __tablename__ = "issue_articles"
    __table_args__ = (UniqueConstraint("issue_id", "article_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("issues.id", ondelete="CASCADE"), index=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)

    issue: Mapped[Issue] = relationship(back_populates="entries")
    article: Mapped[Article] = relationship()


class IssueDelivery(Base):
    """One e-mail edition sent to one recipient: the idempotency record a retried job consults."""

    __tablename__ = "issue_deliveries"
    __table_args__ = (UniqueConstraint("issue_id", "recipient"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("issues.id", ondelete="CASCADE"), index=True)
    recipient: Mapped[str] = mapped_column(String(320))  # lower-cased address
    lang: Mapped[str] = mapped_column(String(8))
    message_id: Mapped[str] = mapped_column(String(200))
    sent_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
