"""Put a parsed article into the store: a new article or a new revision, and its translations."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from gnews_i18n.articles.personal_data import (
    ALLOWED,
    REDACTED,
    Guard,
    Located,
    PersonalDataError,
    article_texts,
    record,
    redacted_article,
    screen,
    unresolved,
)
from gnews_i18n.intake.article import FIGURE, IntakeError, ParsedArticle
from gnews_i18n.intake.photos import Photo, missing_photos
from gnews_i18n.languages import EDITION_LANGUAGES, NAMES
from gnews_i18n.states import TranslationState
from gnews_i18n.store.models import Article, ArticlePhoto, ArticleRevision, Translation


@dataclass(frozen=True)
class SubmitResult:
    article_id: int
    revision_number: int
    translation_ids: list[int]
    new_revision: bool
    personal_data: list[Located] = field(default_factory=list)  # decided (allowed, redacted) or warnings
    personal_data_decision: str | None = None  # allowed, redacted


def parse_targets(value: str | list[str], source_lang: str) -> list[str]:
    targets = value.split(",") if isinstance(value, str) else value
    targets = [t.strip().lower() for t in targets if t.strip()]
    unknown = [t for t in targets if t not in EDITION_LANGUAGES]
    if unknown:
        known = ", ".join(f"{code} ({NAMES[code]})" for code in EDITION_LANGUAGES)
        raise IntakeError(f"unknown target language {', '.join(unknown)}; the desk has editions in {known}")
    return [t for t in dict.fromkeys(targets) if t != source_lang]


def submit(
    session: Session, article: ParsedArticle, targets: list[str], glossary: str | None = None,
    submitted_by: str | None = None, correction: str | None = None, allow_personal_data: str | None = None,
    redact_personal_data: bool = False, guard: Guard | None = None, raw: str | None = None,
    allow_findings: list[str] | None = None,
) -> SubmitResult:
    """Record ``article`` and queue translations into ``targets``; the caller commits, then enqueues.

    Submitting the same content again adds no revision; changed content adds one and
    marks the older revision's translations outdated (they stay live until replaced).
    With ``correction`` (the note readers will see), the new revision corrects a published
    article: its translations keep the approved text of every unchanged sentence.

    Personal identifiers the privacy policy blocks (``privacy/``) raise PersonalDataError before
    anything is stored, unless ``redact_personal_data`` (they are masked in the stored text) or
    ``allow_personal_data`` (a person's reason, recorded with ``submitted_by``); with
    ``allow_findings`` (finding ids the error listed) the reason covers those findings only,
    and any other undecided one still stops the article. ``raw``, the submitted file's text,
    lets the error name lines.
    """
    existing = session.scalar(select(Article).where(Article.slug == article.slug))
    _keep_photos(article, existing)
    if existing is not None and existing.source_lang != article.lang:
        raise IntakeError(
            f"slug {article.slug!r} already belongs to an article written in {existing.source_lang}; "
            "give this article another slug"
        )
    if correction is not None:
        correction = _check_correction(existing, article, correction)
    guard = guard or Guard.from_settings()
    texts = article_texts(article.title, article.blocks, article.author)
    found = unresolved(session, existing.id if existing is not None else None, texts, guard, raw)
    decision = None
    if found and allow_findings:
        found = _chosen(found, allow_findings, article.slug or article.title)
    if found:
        if redact_personal_data:
            article, decision = redacted_article(article, guard.policy), REDACTED
        elif allow_personal_data is not None and allow_personal_data.strip():
            decision = ALLOWED
        elif allow_personal_data is not None:
            raise IntakeError("--allow-personal-data needs a reason saying who checked the personal data and why it "
                              "may be published, e.g. --allow-personal-data \"patient consented in writing\"")
        else:
            raise PersonalDataError(article.slug or article.title, found)
    warnings = [item for item in screen(texts, guard.policy, raw) if item.action != "block"]
    new_revision = True
    if existing is None:
        existing = Article(slug=article.slug, source_lang=article.lang)
        session.add(existing)
        session.flush()
        revision = _add_revision(session, existing, article, number=1, glossary=glossary,
                                 submitted_by=submitted_by)
    elif existing.latest.checksum == article.checksum() and existing.latest.glossary == glossary:
        revision, new_revision = existing.latest, False
    else:
        for old in existing.latest.translations:
            if old.state not in (TranslationState.FAILED,):
                old.state = TranslationState.OUTDATED
        revision = _add_revision(session, existing, article, number=existing.latest.number + 1, glossary=glossary,
                                 submitted_by=submitted_by)
        revision.correction = correction

    have = {t.target_lang: t for t in revision.translations}
    ids = []
    for lang in targets:
        translation = have.get(lang)
        if translation is None:
            translation = Translation(revision=revision, target_lang=lang, state=TranslationState.QUEUED,
                                      attempts=0, progress_done=0, progress_total=0)
            session.add(translation)
            session.flush()
        ids.append(translation.id)
    if decision is not None:
        record(session, existing.id, revision.number, found, guard, decision,
               allow_personal_data.strip() if decision == ALLOWED else None, submitted_by)
    return SubmitResult(existing.id, revision.number, ids, new_revision, found + warnings, decision)


def _chosen(found: list[Located], allow_findings: list[str], name: str) -> list[Located]:
    """The findings ``allow_findings`` names; any other undecided finding refuses the article."""
    wanted = {i.strip().lower() for i in allow_findings if i.strip()}
    known = {item.finding_id for item in found}
    unknown = sorted(wanted - known)
    if unknown:
        raise IntakeError(f"{name}: no undecided finding {', '.join(unknown)}; the undecided findings are "
                          f"{', '.join(sorted(known)) or 'none'} (submit without --allow-finding to see them listed)",
                          field="allow_findings")
    rest = [item for item in found if item.finding_id not in wanted]
    if rest:
        raise PersonalDataError(name, rest)
    return [item for item in found if item.finding_id in wanted]


def _keep_photos(article: ParsedArticle, existing: Article | None) -> None:
    """A figure whose image was not given again keeps the one its article's last revision stored
    (a correction need not upload its photos again); one found nowhere is refused, by name."""
    missing = []
    for name in article.photo_names():
        if name in article.photos:
            continue
        stored = existing.latest.photo(name) if existing is not None else None
        if stored is None:
            missing.append(name)
        else:
            article.photos[name] = Photo(name, stored.data, stored.media_type, stored.width, stored.height)
    if missing:
        raise missing_photos(article.slug or article.title, missing)


def _check_correction(existing: Article | None, article: ParsedArticle, note: str) -> str:
    """A correction needs a note, a published article, and a changed text."""
    note = " ".join(note.split())
    if not note:
        raise IntakeError("a correction needs a note saying what was wrong, e.g. --correction \"The ward has "
                          "40 beds, not 400.\"")
    if existing is None or not existing.editions:
        raise IntakeError(f"article {article.slug!r} is not published, so there is nothing to correct; "
                          "submit it without --correction")
    if existing.latest.checksum == article.checksum():
        raise IntakeError(f"the text of {article.slug!r} is the same as revision {existing.latest.number}; "
                          "a correction must change it")
    return note


def _add_revision(
    session: Session, owner: Article, article: ParsedArticle, number: int, glossary: str | None = None,
    submitted_by: str | None = None,
) -> ArticleRevision:
    revision = ArticleRevision(
        article=owner,
        number=number,
        title=article.title,
        date=article.date,
        author=article.author,
        category=article.category,
        source_format=article.source_format,
        blocks=[block.to_dict() for block in article.blocks],
        checksum=article.checksum(),
        glossary=glossary,
        submitted_by=submitted_by,
    )
    for photo in article.photos.values():
        revision.photos.append(ArticlePhoto(name=photo.name, media_type=photo.media_type, width=photo.width,
                                            height=photo.height, sha256=photo.sha256, data=photo.data))
    session.add(revision)
    session.flush()
    return revision


_INLINE = [(re.compile(r"<strong>(.*?)</strong>"), r"**\1**"), (re.compile(r"<em>(.*?)</em>"), r"*\1*"),
           (re.compile(r'<a href="([^"]*)">(.*?)</a>'), r"[\2](\1)")]
_PREFIX = {"list_item": "- ", "quote": "> "}


def source_markdown(revision: ArticleRevision) -> str:
    """A revision as Markdown with front matter, for an editor to correct and submit again
    (headings, lists, quotes, emphasis and links come back as they were taken in)."""
    meta = {key: value for key, value in [("title", revision.title), ("slug", revision.article.slug),
                                          ("lang", revision.article.source_lang), ("date", revision.date),
                                          ("author", revision.author), ("category", revision.category)] if value}
    lines = ["---", yaml.safe_dump(meta, allow_unicode=True, sort_keys=False).strip(), "---", ""]
    after_figure = False
    for block in revision.blocks:
        text = block["text"]
        for pattern, replacement in _INLINE:
            text = pattern.sub(replacement, text)
        if block["kind"] == FIGURE:  # the photo, then its caption as the italic line under it
            lines += [f"![{text}]({block['src']})", ""]
            after_figure = True
            continue
        if block["kind"] == "caption" and after_figure:
            text = f"*{text}*"
        after_figure = False
        if block["kind"] == "heading":
            text = "#" * max(1, int(block.get("level") or 2)) + " " + text
        lines += [_PREFIX.get(block["kind"], "") + text, ""]
    return "\n".join(lines)
