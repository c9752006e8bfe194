"""Read-side summaries of articles and translations, shared by the CLI, the API and the web desk."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gnews_i18n.intake.document import block_role
from gnews_i18n.review.actions import position
from gnews_i18n.review.progress import progress
from gnews_i18n.store.models import Article, Translation, translated_title


def translation_summary(translation: Translation) -> dict:
    revision = translation.revision
    done = progress(translation)
    edition = next((e for e in revision.article.editions if e.lang == translation.target_lang), None)
    return {
        "id": translation.id,
        "article_id": revision.article_id,
        "slug": revision.article.slug,
        "revision": revision.number,
        "source_lang": revision.article.source_lang,
        "target_lang": translation.target_lang,
        "state": translation.state,
        "title": translated_title(translation),
        "source_title": revision.title,
        # translated segments before review, approved ones from review on (review/progress.py)
        "progress": [done.done, done.total],
        "progress_kind": done.kind,
        "attempts": translation.attempts,
        "model": translation.model_id,
        "error": translation.error,
        "published_path": edition.path if edition and edition.translation_id == translation.id else None,
        # flags counted by id (term_missing, number_mismatch …), for reports and queues
        "flags": dict(Counter(f["id"] for s in translation.segments for f in s.flags or [])),
        "override_reason": translation.override_reason,
    }


def article_summary(article: Article) -> dict:
    latest = article.latest
    return {
        "id": article.id,
        "slug": article.slug,
        "source_lang": article.source_lang,
        "title": latest.title,
        "date": latest.date.isoformat() if latest.date else None,
        "revision": latest.number,
        "translations": [translation_summary(t) for r in article.revisions for t in r.translations],
        "editions": [
            {"lang": e.lang, "path": e.path, "revision": e.revision_number,
             "published_at": e.published_at.isoformat(timespec="seconds"), "corrections": e.corrections or []}
            for e in article.editions
        ],
    }


def list_articles(session: Session, article_id: int | None = None) -> list[dict]:
    query = select(Article).order_by(Article.id)
    if article_id is not None:
        query = query.where(Article.id == article_id)
    return [article_summary(a) for a in session.scalars(query)]


def list_translations(session: Session, states: list[str] | None = None, lang: str | None = None) -> list[dict]:
    query = select(Translation).order_by(Translation.created_at, Translation.id)
    if states:
        query = query.where(Translation.state.in_(states))
    if lang:
        query = query.where(Translation.target_lang == lang)
    return [translation_summary(t) for t in session.scalars(query)]


def segment_view(segment) -> dict:
    return {
        "id": segment.id,
        "position": position(segment),
        "source": segment.source_text,
        "machine_text": segment.machine_text,
        "text": segment.text,
        "state": segment.state,
        "version": segment.version,
        "flags": segment.flags or [],
        "terms": segment.terms or [],
        "provenance": segment.provenance or {},
    }


def translation_detail(translation: Translation) -> dict:
    summary = translation_summary(translation)
    segments = [segment_view(s) for s in translation.segments]
    revision = translation.revision
    for view, segment in zip(segments, translation.segments, strict=True):
        # a photo's alt text and caption: reviewers see which, and the photo beside them
        if (role := block_role(revision.blocks, segment.block_index)) is not None:
            photo = revision.photo(role.split(": ", 1)[1])
            view["role"] = role
            view["photo"] = _thumbnail(photo) if photo is not None else None
    summary["segments"] = segments
    summary["approved_segments"] = sum(1 for s in segments if s["state"] == "approved")
    summary["submitted_by"] = translation.revision.submitted_by
    summary["approved_by"] = translation.approved_by
    return summary


def _thumbnail(photo, longest: int = 240) -> dict:
    """A stored photo as the desk shows it beside its rows: its address on the desk and a small size."""
    scale = min(1.0, longest / max(photo.width, photo.height, 1))
    return {"id": photo.id, "name": photo.name, "url": f"/photos/{photo.id}",
            "width": max(1, round(photo.width * scale)), "height": max(1, round(photo.height * scale))}


def state_counts(session: Session, languages: list[str] | None = None) -> dict[str, int]:
    """How many translations are in each state (into ``languages`` only, when given)."""
    query = select(Translation.state, func.count()).group_by(Translation.state)
    if languages:
        query = query.where(Translation.target_lang.in_(languages))
    return dict(session.execute(query).all())
