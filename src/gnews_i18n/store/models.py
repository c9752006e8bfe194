"""Tables. Revisions are appended, never rewritten; a translation belongs to one revision."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
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
    submitted_by: Mapped[str | None] = mapped_column(String(100))  # user name; editors may not approve their own
    # A correction's note (source language); set on a revision submitted as a correction of the one before.
    correction: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, server_default=func.now())

    article: Mapped[Article] = relationship(back_populates="revisions")
    translations: Mapped[list[Translation]] = relationship(
        back_populates="revision", order_by="Translation.target_lang"
    )

    @property
    def article_date(self) -> dt.date | None:
        """The date terminology and QA read the article at: intake's, else the day it was submitted."""
        return self.date or (self.created_at.date() if self.created_at else None)


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


def byline(translation: Translation) -> str | None:
    """The translated author/department line (block -3), if the translation has one."""
    return next((s.text for s in translation.segments if s.block_index == -3), None)


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

    article: Mapped[Article] = relationship(back_populates="editions")


class User(Base):
    """A person at the desk. Roles: editor, reviewer (scoped to ``languages``), publisher, admin."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    roles: Mapped[list] = mapped_column(JSON, default=list)
    languages: Mapped[list] = mapped_column(JSON, default=list)  # a reviewer's target languages; "*" is all
    password_hash: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user", cascade="all, delete-orphan")


class ApiToken(Base):
    """An API token; only its SHA-256 is kept, the token itself is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    user: Mapped[User] = relationship(back_populates="tokens")


class Comment(Base):
    """A reviewer's note on a translation (or one of its segments), e.g. why changes are requested."""

    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    translation_id: Mapped[int] = mapped_column(ForeignKey("translations.id", ondelete="CASCADE"), index=True)
    segment_id: Mapped[int | None] = mapped_column(ForeignKey("segments.id", ondelete="SET NULL"))
    author: Mapped[str] = mapped_column(String(100))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class SegmentChange(Base):
    """History: each edit or approval of a segment, who did it and when, and the text after it."""

    __tablename__ = "segment_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    segment_id: Mapped[int] = mapped_column(ForeignKey("segments.id", ondelete="CASCADE"), index=True)
    translation_id: Mapped[int] = mapped_column(ForeignKey("translations.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(16))  # edit, approve, import
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


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


# The newsletter's tables share this metadata (migrations, mappers); imported last, it needs Base.
from gnews_i18n.newsletter import models as _newsletter_models  # noqa: E402,F401
