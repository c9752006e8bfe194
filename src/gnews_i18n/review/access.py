"""A translation, fetched for someone who wants to act on it: their role, language and the four-eyes rule checked."""

from __future__ import annotations

from sqlalchemy.orm import Session

from gnews_i18n.auth import require
from gnews_i18n.auth.permissions import Actor
from gnews_i18n.review.actions import get_translation
from gnews_i18n.store.models import Translation, article_authors


def translation_for(session: Session, translation_id: int, actor: Actor, action: str) -> Translation:
    """The translation, or Forbidden / NotFound."""
    translation = get_translation(session, translation_id)
    require(actor, action, translation.target_lang, article_authors(translation))
    return translation
