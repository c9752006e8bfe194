"""Issues: create, fill in order, check the release gate, release.

The gate: every article of the issue has an approved (or published) translation of its
newest revision in every required language (the source language counts as present).
A publisher may release with languages missing only by giving a reason, which is kept.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gnews_i18n.languages import EDITION_LANGUAGES
from gnews_i18n.newsletter.headers import control_problem
from gnews_i18n.states import TranslationState
from gnews_i18n.store.models import MAX_KEY, Article, Issue, IssueArticle, utcnow

READY = (TranslationState.APPROVED, TranslationState.PUBLISHED)


class IssueError(ValueError):
    """Something the caller can correct: an unknown issue or article, a released issue changed."""


@dataclass(frozen=True)
class Blocker:
    """One translation an issue waits for."""

    article_id: int
    slug: str
    lang: str
    state: str  # the translation's state, or "missing" when none was ever asked for

    def __str__(self) -> str:
        return f"article {self.article_id} ({self.slug}) in {self.lang}: {self.state}"


class GateClosed(IssueError):
    def __init__(self, number: int, blockers: list[Blocker]):
        self.blockers = blockers
        listed = "\n  ".join(str(b) for b in blockers)
        super().__init__(f"issue {number} cannot be released; these translations are not approved:\n  {listed}\n"
                         "Approve them, or release with --missing-reason \"…\" (a publisher) to send it without them.")


def default_languages() -> list[str]:
    """Every edition the newsletter publishes."""
    return list(EDITION_LANGUAGES)


def _in_range(what: str, value: int) -> None:
    if not 1 <= value <= MAX_KEY:
        raise IssueError(f"{what} {value} is out of range: use a number from 1 to {MAX_KEY}")


def check_titles(titles: dict[str, str]) -> None:
    """An issue's title is its e-mail's Subject: one line, no control characters."""
    for lang, title in titles.items():
        problem = control_problem(title)
        if problem:
            raise IssueError(f"the {lang} title of the issue {problem}")


def get_issue(session: Session, number: int) -> Issue:
    if not 1 <= number <= MAX_KEY:
        raise IssueError(f"no issue {number}; issue numbers run from 1 to {MAX_KEY}")
    issue = session.scalar(select(Issue).where(Issue.number == number))
    if issue is None:
        raise IssueError(f"no issue {number}; `gnews-i18n issue create` makes one")
    return issue


def create_issue(session: Session, number: int, date: dt.date, titles: dict[str, str],
                 languages: list[str] | None = None, release_at: dt.datetime | None = None) -> Issue:
    _in_range("issue number", number)
    if session.scalar(select(Issue.id).where(Issue.number == number)) is not None:
        raise IssueError(f"issue {number} exists already; `gnews-i18n issue show {number}`, or change its titles "
                         f"with `gnews-i18n issue title {number} --title LANG=TITLE`")
    check_titles(titles)
    languages = languages or default_languages()
    unknown = [code for code in languages if code not in EDITION_LANGUAGES]
    if unknown:
        raise IssueError(f"unknown language(s) {', '.join(unknown)}; editions are {', '.join(EDITION_LANGUAGES)}")
    issue = Issue(number=number, date=date, titles=dict(titles), languages=list(languages), release_at=release_at,
                  missing=[])
    session.add(issue)
    session.flush()
    return issue


def _unreleased(issue: Issue) -> None:
    if issue.released:
        raise IssueError(f"issue {issue.number} was released on {issue.released_at:%Y-%m-%d %H:%M} UTC "
                         "and cannot change")


def set_titles(session: Session, issue: Issue, titles: dict[str, str]) -> Issue:
    """Change the issue's titles per language until it is released; an empty title removes that language's."""
    _unreleased(issue)
    unknown = [code for code in titles if code not in EDITION_LANGUAGES]
    if unknown:
        raise IssueError(f"unknown language(s) {', '.join(unknown)}; editions are {', '.join(EDITION_LANGUAGES)}")
    check_titles(titles)
    merged = dict(issue.titles or {})
    for lang, title in titles.items():
        if title.strip():
            merged[lang] = title.strip()
        else:
            merged.pop(lang, None)
    issue.titles = merged  # a new dict: the JSON column sees the change
    session.flush()
    return issue


def add_article(session: Session, issue: Issue, article_id: int, position: int | None = None) -> None:
    """Put an article into the issue, at ``position`` (1-based) or last."""
    _unreleased(issue)
    _in_range("article", article_id)
    article = session.get(Article, article_id)
    if article is None:
        raise IssueError(f"no article {article_id}; `gnews-i18n status` lists them")
    if any(e.article_id == article_id for e in issue.entries):
        raise IssueError(f"article {article_id} is in issue {issue.number} already")
    entries = list(issue.entries)
    index = len(entries) if position is None else max(0, min(position - 1, len(entries)))
    entries.insert(index, IssueArticle(article=article, position=0))
    _renumber(issue, entries)


def remove_article(session: Session, issue: Issue, article_id: int) -> None:
    _unreleased(issue)
    entry = next((e for e in issue.entries if e.article_id == article_id), None)
    if entry is None:
        raise IssueError(f"article {article_id} is not in issue {issue.number}")
    issue.entries.remove(entry)
    session.flush()
    _renumber(issue, list(issue.entries))


def _renumber(issue: Issue, entries: list[IssueArticle]) -> None:
    for position, entry in enumerate(entries, 1):
        entry.position = position
    issue.entries[:] = entries


def blockers(issue: Issue) -> list[Blocker]:
    """The translations the issue waits for, in issue order, then language."""
    found = []
    for entry in issue.entries:
        article = entry.article
        latest = article.latest
        for lang in issue.languages:
            if lang == article.source_lang:
                continue
            translation = next((t for t in latest.translations if t.target_lang == lang), None)
            if translation is None:
                found.append(Blocker(article.id, article.slug, lang, "missing"))
            elif translation.state not in READY:
                found.append(Blocker(article.id, article.slug, lang, translation.state))
    return found


def release(session: Session, issue: Issue, by: str, missing_reason: str | None = None,
            now: dt.datetime | None = None) -> list[Blocker]:
    """Release the issue if the gate is open, or with ``missing_reason`` over what blocks it.
    Returns the blockers released over (empty when the gate was open)."""
    _unreleased(issue)
    if not issue.entries:
        raise IssueError(f"issue {issue.number} has no articles; `gnews-i18n issue add {issue.number} ARTICLE`")
    waiting = blockers(issue)
    if waiting and not (missing_reason or "").strip():
        raise GateClosed(issue.number, waiting)
    issue.released_at = now or utcnow()
    issue.released_by = by
    issue.missing = [[b.article_id, b.lang] for b in waiting]
    issue.missing_reason = missing_reason.strip() if waiting and missing_reason else None
    return waiting


def due_issues(session: Session, now: dt.datetime | None = None) -> list[Issue]:
    """Unreleased issues whose ``release_at`` has come, oldest first."""
    now = now or utcnow()
    return list(session.scalars(select(Issue).where(Issue.released_at.is_(None), Issue.release_at.is_not(None),
                                                    Issue.release_at <= now).order_by(Issue.release_at)))


def next_number(session: Session) -> int:
    return (session.scalar(select(func.max(Issue.number))) or 0) + 1


def describe(issue: Issue) -> dict:
    """The issue as plain data (for `issue show --json` and the templates)."""
    waiting = blockers(issue) if not issue.released else []
    return {
        "number": issue.number, "date": issue.date.isoformat(), "titles": issue.titles,
        "languages": issue.languages,
        "release_at": issue.release_at.isoformat(timespec="minutes") if issue.release_at else None,
        "released_at": issue.released_at.isoformat(timespec="seconds") if issue.released_at else None,
        "released_by": issue.released_by, "missing_reason": issue.missing_reason, "missing": issue.missing,
        "articles": [{"position": e.position, "article": e.article_id, "slug": e.article.slug,
                      "title": e.article.latest.title, "source_lang": e.article.source_lang} for e in issue.entries],
        "blockers": [{"article": b.article_id, "slug": b.slug, "lang": b.lang, "state": b.state} for b in waiting],
    }
