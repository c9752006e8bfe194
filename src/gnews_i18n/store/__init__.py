"""Persistence: SQLAlchemy models, sessions and Alembic migrations."""

from gnews_i18n.store.db import Database, ensure_schema
from gnews_i18n.store.models import Article, ArticleRevision, Edition, Segment, Translation

__all__ = ["Article", "ArticleRevision", "Database", "Edition", "Segment", "Translation", "ensure_schema"]
