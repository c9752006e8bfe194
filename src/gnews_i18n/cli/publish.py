"""``gnews-i18n publish``, ``unpublish`` and ``editions``: the publisher's and operator's doors."""

from __future__ import annotations

import json

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from sqlalchemy import select

from gnews_i18n.cli.access import check_now
from gnews_i18n.cli.common import console, database, fail
from gnews_i18n.config import load_settings
from gnews_i18n.publish import NothingToPublish, Publisher, TargetError
from gnews_i18n.states import TranslationState
from gnews_i18n.store.models import Article, Edition, Translation

app = typer.Typer()


def _progress(console) -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                    console=console, transient=False)


@app.command("publish")
def publish(
    lang: list[str] = typer.Option(None, "--lang", help="Only these editions (repeat); all when omitted."),
    all_: bool = typer.Option(False, "--all", help="Every live edition of every article (a full rebuild into "
                              "an empty directory; unchanged files are not rewritten)."),
    article: int = typer.Option(None, "--article", help="One article (with --lang: those of its editions)."),
) -> None:
    """Publish approved translations now, in this process.

    Without options: every approved translation not yet published. Only what changed is
    written; index pages, feeds and the sitemap follow. Webhooks get the changed articles.
    """
    check_now("publish")
    settings = load_settings()
    publisher = Publisher(settings)
    db = database()
    written = deleted = sent = 0
    try:
        with publisher.directory.lock():
            if all_:
                with _progress(console) as bar, db.session() as session:
                    task = bar.add_task("publishing", total=None)
                    report = publisher.publish_all(
                        session, lang or None, progress=lambda done, total: bar.update(task, completed=done,
                                                                                      total=total))
                written, deleted, sent = len(report.written), len(report.deleted), report.sent
            else:
                with db.session() as session:
                    if article is not None:
                        found = session.get(Article, article)
                        if found is None:
                            fail(f"no article {article}; `gnews-i18n status` lists them")
                        jobs = [(article, code) for code in (lang or sorted(
                            {found.source_lang} | {t.target_lang for r in found.revisions
                                                   for t in r.translations}))]
                    else:
                        query = session.query(Translation).filter(Translation.state == TranslationState.APPROVED)
                        jobs = [(t.revision.article_id, t.target_lang) for t in query
                                if not lang or t.target_lang in lang]
                if not jobs:
                    console.print("Nothing approved waits for publishing.")
                    return
                with _progress(console) as bar:
                    task = bar.add_task("publishing", total=len(jobs))
                    for article_id, code in jobs:
                        try:
                            with db.session() as session:
                                report = publisher.publish_article(session, article_id, code)
                        except NothingToPublish as reason:
                            if article is not None and lang:
                                fail(str(reason))
                        else:
                            written, deleted = written + len(report.written), deleted + len(report.deleted)
                            sent += report.sent
                        bar.advance(task)
    except TargetError as error:
        fail(f"{error}\nNothing was changed in {settings.publish_dir}; run the command again later.")
    console.print(f"{written} file(s) written, {deleted} removed in {settings.publish_dir}"
                  + (f"; {sent} webhook deliveries" if sent else "") + ".", highlight=False)


@app.command("unpublish")
def unpublish(
    article: int = typer.Argument(..., help="Article id (see `gnews-i18n editions`)."),
    lang: list[str] = typer.Option(None, "--lang", help="Only these editions (repeat); all when omitted."),
) -> None:
    """Take an article out of one or all editions; indexes, feeds, sitemap and webhooks follow.

    The translation becomes `withdrawn`; `gnews-i18n publish --article ID --lang L` puts it back.
    """
    check_now("unpublish")
    publisher = Publisher(load_settings())
    try:
        with publisher.directory.lock(), database().session() as session:
            report = publisher.unpublish(session, article, lang or None)
    except (NothingToPublish, TargetError) as error:
        fail(str(error))
    console.print(f"removed {', '.join(report.deleted)}; {len(report.written)} file(s) updated.",
                  highlight=False)


@app.command("editions")
def editions(
    lang: str = typer.Option(None, "--lang", help="Only this language."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """What is live where: article, language, source revision, when published, file."""
    with database().session() as session:
        query = select(Edition, Article.slug).join(Article).order_by(Article.id, Edition.lang)
        if lang:
            query = query.where(Edition.lang == lang)
        rows = [{"article": e.article_id, "slug": slug, "lang": e.lang, "revision": e.revision_number,
                 "translation": e.translation_id, "title": e.title,
                 "published_at": e.published_at.isoformat(timespec="seconds"), "path": e.path}
                for e, slug in session.execute(query)]
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        console.print("Nothing is live yet. Approved translations are published by the workers, "
                      "or now with `gnews-i18n publish`.")
        return
    table = Table("article", "slug", "lang", "rev", "translation", "published", "title")
    for row in rows:
        table.add_row(str(row["article"]), row["slug"], row["lang"], str(row["revision"]),
                      str(row["translation"] or "source"), row["published_at"], row["title"][:50])
    console.print(table)
