"""Every table of the desk, one module per area; importing this package registers them all
on one metadata (``Base``), which the migrations and every mapper see."""

from gnews_i18n.store.models.articles import Article, ArticlePhoto, ArticleRevision, Edition
from gnews_i18n.store.models.base import MAX_KEY, Base, utcnow
from gnews_i18n.store.models.memory import MemoryEntry
from gnews_i18n.store.models.newsletter import Issue, IssueArticle, IssueDelivery
from gnews_i18n.store.models.people import ApiToken, LoginFailure, User, WebSession
from gnews_i18n.store.models.privacy import PrivacyDecision
from gnews_i18n.store.models.subscribers import Subscriber, SubscriberErasure
from gnews_i18n.store.models.terminology import TerminologyChange
from gnews_i18n.store.models.translations import (
    Comment,
    Segment,
    SegmentChange,
    Translation,
    article_authors,
    byline,
    translated_title,
)

__all__ = ["MAX_KEY", "ApiToken", "Article", "ArticlePhoto", "ArticleRevision", "Base", "Comment", "Edition", "Issue",
           "IssueArticle", "IssueDelivery", "LoginFailure", "MemoryEntry", "PrivacyDecision", "Segment",
           "SegmentChange", "Subscriber", "SubscriberErasure", "TerminologyChange", "Translation", "User",
           "WebSession", "article_authors", "byline", "translated_title", "utcnow"]
