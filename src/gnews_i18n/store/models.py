"""Tables. Revisions are appended, never rewritten; a translation belongs to one revision."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Date, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


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
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, server_default=func.now())

    article: Mapped[Article] = relationship(back_populates="revisions")
    translations: Mapped[list[Translation]] = relationship(
        back_populates="revision", order_by="Translation.target_lang"
    )


class Translation(Base):
    """One article revision in one target language, from queue to publication."""

    __tablename__ = "translations"
    __table_args__ = (UniqueConstraint("revision_id", "target_lang"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("article_revisions.id", ondelete="CASCADE"), index=True)
    target_lang: Mapped[str] = mapped_column(String(8))
    state: Mapped[str] = mapped_column(String(24), index=True)
    # Claim on the work: which worker translates it, until when (renewed while it runs).
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_owner: Mapped[str | None] = mapped_column(String(200))
    lease_expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    progress_done: Mapped[int] = mapped_column(Integer, default=0)
    progress_total: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    model_id: Mapped[str | None] = mapped_column(String(500))
    seconds: Mapped[float | None] = mapped_column(Float)
    approved_by: Mapped[str | None] = mapped_column(String(200))
    override_reason: Mapped[str | None] = mapped_column(Text)  # why errors flagged by QA were approved anyway
    approved_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    revision: Mapped[ArticleRevision] = relationship(back_populates="translations")
    segments: Mapped[list[Segment]] = relationship(
        back_populates="translation",
        order_by="(Segment.block_index, Segment.sentence_index)",
        cascade="all, delete-orphan",
    )


class Segment(Base):
    """One source sentence (or the title) and its translation."""

    __tablename__ = "segments"
    __table_args__ = (UniqueConstraint("translation_id", "block_index", "sentence_index"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    translation_id: Mapped[int] = mapped_column(ForeignKey("translations.id", ondelete="CASCADE"), index=True)
    block_index: Mapped[int] = mapped_column(Integer)  # -1 is the title
    sentence_index: Mapped[int] = mapped_column(Integer)
    source_text: Mapped[str] = mapped_column(Text)
    machine_text: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16))
    flags: Mapped[list] = mapped_column(JSON, default=list)
    provenance: Mapped[dict] = mapped_column(JSON, default=dict)
    terms: Mapped[list] = mapped_column(JSON, default=list)  # glossary hits: source, target, how placed
    version: Mapped[int] = mapped_column(Integer, default=1)

    translation: Mapped[Translation] = relationship(back_populates="segments")


def translated_title(translation: Translation) -> str | None:
    """The current text of the title segment (the reviewer's, once edited)."""
    return next((s.text for s in translation.segments if s.block_index == -1), None)


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

    article: Mapped[Article] = relationship(back_populates="editions")
