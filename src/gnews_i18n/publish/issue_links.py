"""Where an article sits in the newsletter: the newest released issue that holds it, and the
articles before and after it there, for the article page's breadcrumb and previous/next links."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from gnews_i18n.publish.render import Neighbour
from gnews_i18n.store.models import Article, Issue, IssueArticle


def issue_title(issue: Issue, lang: str) -> tuple[str, str]:
    """(the issue's title on a ``lang`` page, the language it is in): its own, else English's, else any."""
    titles = issue.titles or {}
    for code in (lang, "en", *titles):
        if titles.get(code):
            return titles[code], code
    return f"№ {issue.number}", lang


def issue_page(number: int) -> str:
    return f"issue-{number}.html"


def issues_by_article(session: Session) -> dict[int, Issue]:
    """Article id → the newest released issue that holds it."""
    rows = session.execute(select(IssueArticle.article_id, Issue).join(Issue, Issue.id == IssueArticle.issue_id)
                           .where(Issue.released_at.is_not(None)).order_by(Issue.number))
    return {article_id: issue for article_id, issue in rows}


def article_links(issue: Issue | None, article: Article, lang: str,
                  title_in: Callable[[Article, str], str | None]
                  ) -> tuple[Neighbour | None, Neighbour | None, Neighbour | None]:
    """(the issue, the previous article, the next article) as links from ``article``'s ``lang`` page;
    ``title_in(article, lang)`` is an article's title there, or None where it is not live in ``lang``."""
    if issue is None:
        return None, None, None
    title, title_lang = issue_title(issue, lang)
    home = Neighbour(issue_page(issue.number), title, title_lang)
    entries = sorted(issue.entries, key=lambda e: e.position)
    here = next((i for i, e in enumerate(entries) if e.article_id == article.id), None)
    if here is None:
        return home, None, None

    def nearest(candidates) -> Neighbour | None:
        for entry in candidates:
            found = title_in(entry.article, lang)
            if found is not None:
                return Neighbour(f"{entry.article.slug}.html", found, lang)
        return None

    return home, nearest(reversed(entries[:here])), nearest(entries[here + 1:])
