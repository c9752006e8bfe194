"""Translations of one revision into one language, their segments, comments and each segment's history."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gnews_i18n.intake.document import BYLINE_BLOCK, TITLE_BLOCK
from gnews_i18n.store.models.base import Base, utcnow

if TYPE_CHECKING:
    from gnews_i18n.store.models.articles import ArticleRevision


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
    block_index: Mapped[int] = mapped_column(Integer)  # body from 0; title, byline, note < 0 (intake.document)
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
    return next((s.text for s in translation.segments if s.block_index == TITLE_BLOCK), None)


def article_authors(translation: Translation) -> frozenset[str]:
    """Everyone who submitted a revision of the translation's article (four eyes: none of them approves)."""
    return frozenset(r.submitted_by for r in translation.revision.article.revisions if r.submitted_by)


def byline(translation: Translation) -> str | None:
    """The translated author/department line (``BYLINE_BLOCK``), if the translation has one."""
    return next((s.text for s in translation.segments if s.block_index == BYLINE_BLOCK), None)


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
