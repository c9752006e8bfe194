"""Render one language's edition of an article, and that language's index page."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from babel.dates import format_date
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, select_autoescape
from sqlalchemy import select
from sqlalchemy.orm import Session

from gnews_i18n.intake.article import Block
from gnews_i18n.languages import endonym, name_in
from gnews_i18n.pipeline import TranslatedSentence, assemble
from gnews_i18n.publish.files import safe_path, write_if_changed
from gnews_i18n.states import TranslationState
from gnews_i18n.store.models import Article, ArticleRevision, Edition, Translation, utcnow

MT_NOTE = {
    "ko": "기계 번역 후 {lang} 담당 편집자가 {date}에 검수했습니다.",
    "en": "Machine-translated, reviewed by the {lang} desk on {date}.",
    "ru": "Машинный перевод, проверен редакцией ({lang}) {date}.",
}


class NothingToPublish(RuntimeError):
    """No approved version exists in that language yet."""


@dataclass(frozen=True)
class PublishedPage:
    lang: str
    path: Path
    changed: bool


def _environment(template_dir: Path | None) -> Environment:
    loaders = [PackageLoader("gnews_i18n.publish", "templates")]
    if template_dir is not None:
        loaders.insert(0, FileSystemLoader(str(template_dir)))
    return Environment(loader=ChoiceLoader(loaders), autoescape=select_autoescape(default=True))


def _localized_date(date, lang: str) -> str:
    if date is None:
        return ""
    try:
        return format_date(date, format="long", locale=lang)
    except Exception:  # a language Babel lacks: ISO is still readable
        return date.isoformat()


def _content(session: Session, article: Article, lang: str) -> tuple[ArticleRevision, Translation | None]:
    """The newest publishable version of ``article`` in ``lang``."""
    if lang == article.source_lang:
        return article.latest, None
    translation = session.scalar(
        select(Translation)
        .join(ArticleRevision)
        .where(ArticleRevision.article_id == article.id, Translation.target_lang == lang,
               Translation.state.in_([TranslationState.APPROVED, TranslationState.PUBLISHED]))
        .order_by(ArticleRevision.number.desc())
    )
    if translation is None:
        raise NothingToPublish(f"article {article.id} has no approved {lang} translation to publish")
    return translation.revision, translation


def publish_edition(
    session: Session, article_id: int, lang: str, publish_dir: Path, template_dir: Path | None = None
) -> PublishedPage:
    article = session.get(Article, article_id)
    if article is None:
        raise NothingToPublish(f"no article {article_id}")
    revision, translation = _content(session, article, lang)
    source_blocks = [Block.from_dict(b) for b in revision.blocks]
    if translation is None:
        title, blocks = revision.title, source_blocks
        note = ""
    else:
        sentences = [TranslatedSentence(s.block_index, s.sentence_index, s.text) for s in translation.segments]
        title, blocks = assemble(source_blocks, sentences, lang)
        template = MT_NOTE.get(lang, MT_NOTE["en"])
        note = template.format(lang=name_in(lang, lang), date=_localized_date(translation.approved_at, lang))

    env = _environment(template_dir)
    path = safe_path(publish_dir, lang, f"{article.slug}.html")
    # The source edition always goes out with a translation, so it is always a sibling.
    siblings = sorted(({e.lang for e in article.editions} | {article.source_lang}) - {lang})
    html = env.get_template("article.html").render(
        lang=lang, title=title, blocks=blocks, date=_localized_date(revision.date, lang),
        author=revision.author, note=note,
        alternates=[(code, endonym(code), f"{code}/{article.slug}.html") for code in siblings],
    )
    changed = write_if_changed(path, html)

    edition = session.scalar(select(Edition).where(Edition.article_id == article.id, Edition.lang == lang))
    if edition is None:
        edition = Edition(article_id=article.id, lang=lang)
        session.add(edition)
    edition.translation_id = translation.id if translation else None
    edition.revision_number = revision.number
    edition.title = title
    edition.path = str(path)
    if changed or edition.published_at is None:
        edition.published_at = utcnow()
    if translation is not None:
        translation.state = TranslationState.PUBLISHED
    session.flush()
    _write_index(session, env, publish_dir, lang)
    return PublishedPage(lang, path, changed)


def publish_article(
    session: Session, article_id: int, lang: str, publish_dir: Path, template_dir: Path | None = None
) -> list[PublishedPage]:
    """Publish ``lang``, then refresh the article's other editions (their language links change)."""
    pages = [publish_edition(session, article_id, lang, publish_dir, template_dir)]
    article = session.get(Article, article_id)
    others = {e.lang for e in article.editions} | {article.source_lang}
    for other in sorted(others - {lang}):
        try:
            pages.append(publish_edition(session, article_id, other, publish_dir, template_dir))
        except NothingToPublish:
            continue
    return pages


def _write_index(session: Session, env: Environment, publish_dir: Path, lang: str) -> None:
    editions = session.scalars(select(Edition).where(Edition.lang == lang)).all()
    entries = []
    for edition in editions:
        article = edition.article
        revision = next(r for r in article.revisions if r.number == edition.revision_number)
        entries.append({"title": edition.title, "href": f"{article.slug}.html", "date": revision.date,
                        "date_text": _localized_date(revision.date, lang)})
    entries.sort(key=lambda e: (e["date"] is not None, e["date"]), reverse=True)
    html = env.get_template("index.html").render(lang=lang, language=endonym(lang), entries=entries)
    write_if_changed(safe_path(publish_dir, lang, "index.html"), html)
