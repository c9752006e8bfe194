"""Articles, their revisions (appended, never rewritten) and the editions that are live."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gnews_i18n.store.models.base import Base, utcnow

if TYPE_CHECKING:
    from gnews_i18n.store.models.translations import Translation

class Article(Base):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    source_lang: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, server_default=func.now())

    revisions: Mapped[list[ArticleRevision]] = relationship(
        back_populates="article", order_by="ArticleRevision.number"
    )
    editions: Mapped[list[Edition]] = relationship(back_populates="article", order_by="Edition.lang")

    @property
    def latest(self) -> ArticleRevision:
        return self.revisions[-1]


class ArticleRevision(Base):
    __tablename__ = "article_revisions"
    __table_args__ = (UniqueConstraint("article_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    date: Mapped[dt.date | None] = mapped_column(Date)
    author: Mapped[str | None] = mapped_column(String(200))
    category: Mapped[str | None] = mapped_column(String(200))
    source_format: Mapped[str] = mapped_column(String(16))
    blocks: Mapped[list] = mapped_column(JSON)
    glossary: Mapped[str | None] = mapped_column(Text)  # the article's own glossary (CSV), over the global ones
    checksum: Mapped[str] = mapped_column(String(64))
    submitted_by: Mapped[str | None] = mapped_column(String(100))  # user name; editors may not approve their own
    # A correction's note (source language); set on a revision submitted as a correction of the one before.
    correction: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, server_default=func.now())

    article: Mapped[Article] = relationship(back_populates="revisions")
    translations: Mapped[list[Translation]] = relationship(
        back_populates="revision", order_by="Translation.target_lang"
    )
    photos: Mapped[list[ArticlePhoto]] = relationship(
        back_populates="revision", order_by="ArticlePhoto.name", cascade="all, delete-orphan"
    )

    def photo(self, name: str) -> ArticlePhoto | None:
        """The stored image a figure of this revision names (its ``src``)."""
        return next((p for p in self.photos if p.name == name), None)

    @property
    def article_date(self) -> dt.date | None:
        """The date terminology and QA read the article at: intake's, else the day it was submitted."""
        return self.date or (self.created_at.date() if self.created_at else None)


class ArticlePhoto(Base):
    """A figure's image, stored with the revision that shows it: checked by content and
    without its metadata (intake/photos.py). A revision carries its own copies, so an
    older revision's edition keeps its photos when a newer one changes them."""

    __tablename__ = "article_photos"
    __table_args__ = (UniqueConstraint("revision_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("article_revisions.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(300))  # as the article's figure names it: photos/ajou.jpg
    media_type: Mapped[str] = mapped_column(String(40))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)

    revision: Mapped[ArticleRevision] = relationship(back_populates="photos")

    @property
    def published_name(self) -> str:
        """The file name on the site: the content's hash, so a changed photo gets a new URL."""
        suffix = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "image/gif": ".gif"}
        return f"{self.sha256[:16]}{suffix.get(self.media_type, '')}"


class Edition(Base):
    """What is live: the published version of one article in one language."""

    __tablename__ = "editions"
    __table_args__ = (UniqueConstraint("article_id", "lang"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    lang: Mapped[str] = mapped_column(String(8))
    translation_id: Mapped[int | None] = mapped_column(ForeignKey("translations.id", ondelete="SET NULL"))
    revision_number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    path: Mapped[str] = mapped_column(Text)
    published_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    # What indexes, feeds and the sitemap need, kept here so they are built without reading bodies.
    date: Mapped[dt.date | None] = mapped_column(Date)
    summary: Mapped[str | None] = mapped_column(Text)
    content_hash: Mapped[str | None] = mapped_column(String(64))
    # The correction notices this edition shows: [{"revision", "date", "text"}], in its language.
    corrections: Mapped[list | None] = mapped_column(JSON, default=list)
    # The lead photo as issue pages and e-mails show it: {"src", "width", "height", "alt", "caption"}, in
    # its language, ``src`` relative to the site's root (publish/figures.py); None without photos.
    lead_figure: Mapped[dict | None] = mapped_column(JSON)

    article: Mapped[Article] = relationship(back_populates="editions")
