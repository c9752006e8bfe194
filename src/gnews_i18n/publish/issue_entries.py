"""Released newsletter issues as list entries: each language's issue page gets its own entry in
that language's feeds (RSS and Atom), index and sitemap, beside the articles.

An issue is listed in a language once one of its articles is live there; its entry's
"slug" is its page's name (``issue-27``), and its summary names the articles it holds.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from gnews_i18n.publish.issue_links import issue_title
from gnews_i18n.publish.render import Entry
from gnews_i18n.store.models import Edition, Issue, IssueArticle

ISSUE_ID_BASE = -1  # entries of issue N carry article_id -N, apart from every article's


def issue_entries(session: Session) -> list[Entry]:
    rows = session.execute(
        select(Issue, Edition.lang, Edition.title)
        .join(IssueArticle, IssueArticle.issue_id == Issue.id)
        .join(Edition, Edition.article_id == IssueArticle.article_id)
        .where(Issue.released_at.is_not(None))
        .order_by(Issue.number, Edition.lang, IssueArticle.position)
    )
    grouped: dict[tuple[Issue, str], list[str]] = {}
    for issue, lang, article_title in rows:
        grouped.setdefault((issue, lang), []).append(article_title)
    entries = []
    for (issue, lang), articles in grouped.items():
        title, title_lang = issue_title(issue, lang)
        entries.append(Entry(ISSUE_ID_BASE * issue.number, f"issue-{issue.number}", lang, title, issue.date,
                             issue.released_at, " · ".join(articles), title_lang=title_lang))
    return entries
