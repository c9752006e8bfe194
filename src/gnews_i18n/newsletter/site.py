"""An issue on the published site: its articles' editions, then one page per language.

The page is a table of contents (each article's title and lead, linking its page) with a
language switcher, rendered by the publishing renderer and written through the same
journaled directory transaction, under the same manifest keys: unchanged pages are not
rewritten. A corrected article shows its newest correction notice there too (the page
links the corrected article; the e-mail is not sent again). Articles still missing in a
language are left out of that language's page until they are published and the issue is
published again.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from gnews_i18n.config import Settings
from gnews_i18n.newsletter import issues
from gnews_i18n.newsletter.issues import blockers
from gnews_i18n.publish import Publisher, PublishReport
from gnews_i18n.publish.issue_links import issue_page, issue_title
from gnews_i18n.publish.notices import notice
from gnews_i18n.publish.render import digest
from gnews_i18n.store.db import Database
from gnews_i18n.store.models import Edition, Issue, IssueArticle


def contents(session: Session, issue: Issue, lang: str) -> list[dict]:
    """The live editions of the issue's articles in ``lang``, in issue order."""
    items = []
    for entry in issue.entries:
        edition = session.query(Edition).filter_by(article_id=entry.article_id, lang=lang).one_or_none()
        if edition is not None:
            items.append({"article": entry.article_id, "slug": entry.article.slug, "title": edition.title,
                          "lead": edition.summary or "", "href": f"{entry.article.slug}.html",
                          "lead_figure": edition.lead_figure,  # the lead photo (publish/figures.py), or None
                          "correction": notice(lang, edition.corrections[-1]) if edition.corrections else ""})
    return items


def write_issue_pages(session: Session, issue: Issue, settings: Settings, publisher: Publisher | None = None
                  ) -> PublishReport:
    """Publish every ready edition of the issue's articles, then the issue's page per language.
    The caller holds ``publisher.directory.lock()``."""
    publisher = publisher or Publisher(settings)
    waiting = {(b.article_id, b.lang) for b in blockers(issue)}
    pairs = [(e.article_id, lang) for e in issue.entries for lang in issue.languages
             if (e.article_id, lang) not in waiting]
    report = publisher.publish_articles(session, pairs, search_index=False)  # indexed once, with the issue
    article_pass = report.written + report.deleted
    session.flush()
    renderer = publisher.renderer
    run = publisher.begin(session, report)
    pages = 0
    try:
        for lang in issue.languages:
            relpath = f"{lang}/{issue_page(issue.number)}"
            items = contents(session, issue, lang)
            alternates = [code for code in issue.languages if code != lang]
            title, title_lang = issue_title(issue, lang)
            key = digest(renderer.stamp, "issue", relpath, title, issue.date, items, alternates,
                         *([title_lang] if title_lang != lang else []))
            if run.manifest.get(relpath) == key and (settings.publish_dir / relpath).exists():
                continue
            html = renderer.issue(lang=lang, number=issue.number, title=title, title_lang=title_lang,
                                  date=issue.date, items=items, alternates=alternates,
                                  page=issue_page(issue.number))
            run.write(relpath, html, key)
            pages += 1
        before = len(report.written)
        publisher.lists(run, set(issue.languages))  # feed entries
        run.index_search(settings.publish_dir, article_pass)
        # a page is also rewritten under its old key when its file went missing
        if pages or len(report.written) > before or run.new_manifest != run.manifest:
            run.transaction.commit(run.new_manifest)
        else:
            run.transaction.abort()
    except BaseException:
        run.transaction.abort()
        raise
    return report


def refresh_issues(session: Session, article_id: int, settings: Settings, publisher: Publisher) -> list[str]:
    """After an article is published: the pages of released issues that hold it, so an article
    released as missing appears on its issue's page (the e-mail is not sent again)."""
    issues = session.scalars(select(Issue).join(IssueArticle).where(IssueArticle.article_id == article_id,
                                                                   Issue.released_at.is_not(None)))
    written = []
    for issue in issues:
        written += [p for p in write_issue_pages(session, issue, settings, publisher).written if "/issue-" in p]
    return written


def release_and_publish(db: Database, settings: Settings, number: int, who: str, missing_reason: str | None
                        ) -> dict:
    """Release issue ``number`` and publish its pages in one go (API and desk alike); IssueError
    when it does not exist or its gate is closed without a reason."""
    publisher = Publisher(settings)
    with publisher.directory.lock(), db.session() as session:
        issue = issues.get_issue(session, number)
        skipped = issues.release(session, issue, who, missing_reason)
        report = write_issue_pages(session, issue, settings, publisher)
        return {**issues.describe(issue), "released_without": [str(b) for b in skipped],
                "written": sorted(report.written)}
