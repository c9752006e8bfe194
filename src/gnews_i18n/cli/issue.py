"""``gnews-i18n issue …``: build a newsletter issue, release it, write or send its e-mail editions."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import typer

from gnews_i18n.cli.access import acting_name, check_now
from gnews_i18n.cli.common import console, database, err, fail
from gnews_i18n.config import load_settings
from gnews_i18n.newsletter.delivery import (
    DeliveryError,
    deliver,
    editions,
    read_recipients,
    subscriber_recipients,
    write_eml,
)
from gnews_i18n.newsletter.issues import (
    IssueError,
    add_article,
    create_issue,
    describe,
    get_issue,
    next_number,
    remove_article,
    set_titles,
)
from gnews_i18n.newsletter.issues import release as release_issue
from gnews_i18n.newsletter.mail import MailError, MailSettings
from gnews_i18n.newsletter.site import write_issue_pages
from gnews_i18n.publish import Publisher, TargetError

app = typer.Typer(help="Newsletter issues: create, add and remove articles, show, release, e-mail.",
                        no_args_is_help=True)


def _titles(pairs: list[str]) -> dict[str, str]:
    titles = {}
    for pair in pairs or []:
        lang, sep, text = pair.partition("=")
        if not sep or not lang.strip() or not text.strip():
            fail(f"--title {pair!r}: write LANG=TITLE, e.g. --title 'en=Vol. 27, November 2023'")
        titles[lang.strip()] = text.strip()
    return titles


def _when(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        fail(f"--release-at {value!r}: write an ISO time, e.g. 2023-11-30T09:00+09:00 (UTC when no offset)")
    return moment.astimezone(dt.UTC).replace(tzinfo=None) if moment.tzinfo else moment


@app.command("create")
def create(
    number: int = typer.Argument(None, help="Issue number; the next one when omitted."),
    date: str = typer.Option(None, "--date", help="Issue date (YYYY-MM-DD); today when omitted."),
    title: list[str] = typer.Option(None, "--title", help="LANG=TITLE, once per language."),
    lang: str = typer.Option("", "--lang", help="Required languages, comma-separated; all editions when omitted."),
    release_at: str = typer.Option(None, "--release-at", help="Release then (ISO time), on `gnews-i18n beat`."),
    by: str = typer.Option("cli", "--by", help="Who builds the issue."),
) -> None:
    """Create an issue (no articles yet)."""
    try:
        day = dt.date.fromisoformat(date) if date else dt.date.today()
    except ValueError:
        fail(f"--date {date!r}: write YYYY-MM-DD")
    with database().session() as session:
        acting_name(session, by, "build_issue")
        try:
            issue = create_issue(session, number or next_number(session), day, _titles(title),
                                 [c.strip() for c in lang.split(",") if c.strip()] or None, _when(release_at))
        except IssueError as error:
            fail(str(error))
        number = issue.number
        languages = ", ".join(issue.languages)
    console.print(f"issue {number} created ({languages}). Next: `gnews-i18n issue add {number} ARTICLE`",
                  highlight=False)


@app.command("title")
def title_(
    number: int = typer.Argument(..., help="Issue number (not released yet)."),
    title: list[str] = typer.Option(..., "--title", help="LANG=TITLE, once per language; LANG= removes one."),
    by: str = typer.Option("cli", "--by", help="Who builds the issue."),
) -> None:
    """Set the issue's title in one or more languages (until it is released)."""
    titles = {}
    for pair in title:
        lang, sep, text = pair.partition("=")
        if not sep or not lang.strip():
            fail(f"--title {pair!r}: write LANG=TITLE, e.g. --title 'ko=제27호' (LANG= removes that title)")
        titles[lang.strip()] = text.strip()
    with database().session() as session:
        acting_name(session, by, "build_issue")
        try:
            issue = set_titles(session, get_issue(session, number), titles)
        except IssueError as error:
            fail(str(error))
        shown = "; ".join(f"{lang}: {text}" for lang, text in sorted(issue.titles.items()))
    console.print(f"issue {number} titles: {shown}", highlight=False, markup=False)


@app.command("add")
def add(
    number: int = typer.Argument(..., help="Issue number."),
    articles: list[int] = typer.Argument(..., help="Article ids, in order."),
    position: int = typer.Option(None, "--position", help="Insert at this place (1 is first); last when omitted."),
    by: str = typer.Option("cli", "--by", help="Who builds the issue."),
) -> None:
    """Add articles to an issue, in the order given."""
    with database().session() as session:
        acting_name(session, by, "build_issue")
        try:
            issue = get_issue(session, number)
            for offset, article in enumerate(articles):
                add_article(session, issue, article, None if position is None else position + offset)
        except IssueError as error:
            fail(str(error))
        count = len(issue.entries)
    console.print(f"issue {number}: {count} article(s)", highlight=False)


@app.command("remove")
def remove(
    number: int = typer.Argument(..., help="Issue number."),
    article: int = typer.Argument(..., help="Article id."),
    by: str = typer.Option("cli", "--by", help="Who builds the issue."),
) -> None:
    """Take an article out of an unreleased issue."""
    with database().session() as session:
        acting_name(session, by, "build_issue")
        try:
            remove_article(session, get_issue(session, number), article)
        except IssueError as error:
            fail(str(error))
    console.print(f"article {article} removed from issue {number}", highlight=False)


@app.command("show")
def show(
    number: int = typer.Argument(..., help="Issue number."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """The issue: its articles in order, required languages, and what blocks its release."""
    check_now("view")
    with database().session() as session:
        try:
            data = describe(get_issue(session, number))
        except IssueError as error:
            fail(str(error))
    if as_json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return
    state = f"released {data['released_at']} by {data['released_by']}" if data["released_at"] else "not released"
    if data["release_at"] and not data["released_at"]:
        state += f", scheduled for {data['release_at']} UTC"
    console.print(f"issue {data['number']} of {data['date']} ({', '.join(data['languages'])}): {state}",
                  highlight=False)
    for lang, title in sorted(data["titles"].items()):
        console.print(f"  title ({lang}) {title}", highlight=False, markup=False)
    for item in data["articles"]:
        console.print(f"  {item['position']}. article {item['article']} {item['slug']} — {item['title']}",
                      highlight=False, markup=False)
    if data["missing_reason"]:
        console.print(f"released without {len(data['missing'])} translation(s): {data['missing_reason']}",
                      highlight=False)
    for blocker in data["blockers"]:
        console.print(f"  waits for article {blocker['article']} in {blocker['lang']} ({blocker['state']})",
                      highlight=False)


@app.command("release")
def release(
    number: int = typer.Argument(..., help="Issue number."),
    missing_reason: str = typer.Option(None, "--missing-reason", help="Release although translations are "
                                       "missing (a publisher); the reason is recorded."),
    by: str = typer.Option("cli", "--by", help="The publisher releasing it."),
) -> None:
    """Release the issue when every article is approved in every required language; its pages are published."""
    settings = load_settings()
    publisher = Publisher(settings)
    try:
        with publisher.directory.lock(), database().session() as session:
            who = acting_name(session, by, "release_issue")
            issue = get_issue(session, number)
            skipped = release_issue(session, issue, who, missing_reason)
            report = write_issue_pages(session, issue, settings, publisher)
    except IssueError as error:
        fail(str(error))
    except TargetError as error:
        fail(f"{error}\nThe issue is not released; run the command again later.")
    for blocker in skipped:
        err.print(f"[yellow]released without[/yellow] {blocker}", highlight=False)
    console.print(f"issue {number} released; {len(report.written)} file(s) written in {settings.publish_dir}. "
                  f"Next: `gnews-i18n issue email {number}`", highlight=False)


@app.command("publish")
def publish(number: int = typer.Argument(..., help="Issue number (released).")) -> None:
    """Publish a released issue's pages again (after a late translation was published, or a lost job)."""
    check_now("release_issue")
    settings = load_settings()
    publisher = Publisher(settings)
    try:
        with publisher.directory.lock(), database().session() as session:
            issue = get_issue(session, number)
            if not issue.released:
                fail(f"issue {number} is not released; `gnews-i18n issue release {number}` publishes it")
            report = write_issue_pages(session, issue, settings, publisher)
    except IssueError as error:
        fail(str(error))
    except TargetError as error:
        fail(f"{error}\nNothing was changed; run the command again later.")
    console.print(f"issue {number}: {len(report.written)} file(s) written in {settings.publish_dir}", highlight=False)


@app.command("email")
def email(
    number: int = typer.Argument(..., help="Issue number (released)."),
    out: Path = typer.Option(Path("mail"), "--out", help="Where the .eml files go when not sending."),
    recipients: Path = typer.Option(None, "--recipients", help="CSV email,lang,name: with GNEWS_SMTP_URL set, "
                                    "each gets their language's edition, once."),
    to_subscribers: bool = typer.Option(False, "--subscribers", help="Send to every active subscriber "
                                        "(`gnews-i18n subscribers list`) instead of a --recipients file."),
    queue: bool = typer.Option(False, "--queue", help="Send with --recipients or --subscribers as a job for the "
                               "workers (retried until every reader is served) instead of in this process."),
) -> None:
    """The issue's e-mail editions: `.eml` per language in --out, or sent by SMTP (GNEWS_SMTP_URL) to --recipients
    or --subscribers (those who unsubscribed or bounced never get it; GNEWS_MAIL_PER_MINUTE paces it)."""
    check_now("release_issue")  # sending the newsletter is a publisher's act, like releasing it
    if to_subscribers and recipients is not None:
        fail("give --recipients FILE or --subscribers, not both")
    settings = load_settings()
    db = database()
    try:
        mail = MailSettings.load(settings)
        eds = editions(db, number, settings)
        if (recipients is None and not to_subscribers) or not mail.smtp_url:
            if recipients is not None or to_subscribers:
                err.print("[yellow]note:[/yellow] GNEWS_SMTP_URL is not set: writing .eml files, sending nothing",
                          highlight=False)
            for lang, path in write_eml(eds, mail, settings.secret_key(), out).items():
                console.print(f"{lang}: {path} ({path.stat().st_size / 1024:.1f} KB)", highlight=False)
            return
        readers = subscriber_recipients(db) if to_subscribers else read_recipients(recipients)
        if queue:
            from gnews_i18n.worker.tasks import dispatch as send_job  # deferred: Celery is slow to import
            from gnews_i18n.worker.tasks import email_issue  # deferred: slow to import

            if not send_job(email_issue, number, None if to_subscribers else str(recipients.resolve())):
                fail("the broker cannot be reached; run the command again later, or without --queue")
            console.print(f"issue {number}: a job will send {len(readers)} reader(s) their edition"
                          + ("" if to_subscribers else " (the file must stay where it is until then)"),
                          highlight=False)
            return
        report = deliver(db, number, readers, eds, mail, settings.secret_key())
    except (IssueError, MailError, DeliveryError) as error:
        fail(str(error))
    for address, answer in report.refused.items():
        err.print(f"[yellow]refused[/yellow] {address}: {answer}"
                  + (" (now marked bounced)" if address in report.bounced else ""), highlight=False)
    console.print(report.summary(), highlight=False)
    sizes = ", ".join(f"{lang} {size / 1024:.1f} KB" for lang, size in sorted(report.sizes.items()))
    console.print(f"issue {number}: {len(report.sent)} sent, {len(report.skipped)} already sent before, "
                  f"{len(report.refused)} refused, {len(report.ended)} unsubscribed or bounced"
                  + (f" (message sizes: {sizes})" if sizes else ""), highlight=False)
    if report.refused:
        raise typer.Exit(1)
