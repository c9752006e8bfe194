"""``gnews-i18n subscribers …``: the newsletter's readers: list, add, import, export, remove, forget."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from gnews_i18n.cli.access import check_now
from gnews_i18n.cli.common import console, database, err, fail, import_size
from gnews_i18n.config import load_settings
from gnews_i18n.newsletter import subscribers
from gnews_i18n.newsletter.confirmation import send_confirmations
from gnews_i18n.newsletter.mail import MailError, MailSettings

app = typer.Typer(help="The newsletter's readers: list, add (double opt-in), import and export CSV, remove, forget.",
                  no_args_is_help=True)


def _confirmations(readers: list[tuple[str, str]]) -> None:
    """Send the confirmation mails (or write them to <data dir>/outbox without GNEWS_SMTP_URL)."""
    if not readers:
        return
    settings = load_settings()
    try:
        mail = MailSettings.load(settings)
    except MailError as error:
        fail(f"{error}\nThe readers are stored as pending; `gnews-i18n subscribers add` sends their mail again.")
    problems = send_confirmations(mail, settings.secret_key(), readers, settings.data_dir / "outbox")
    for address, problem in problems.items():
        err.print(f"[yellow]not sent[/yellow] {address}: {problem}", highlight=False)
    where = "sent" if mail.smtp_url else f"written to {settings.data_dir / 'outbox'} (GNEWS_SMTP_URL is not set)"
    console.print(f"{len(readers) - len(problems)} confirmation mail(s) {where}", highlight=False)


@app.command("list")
def list_(
    status: str = typer.Option(None, "--status", help="Only pending, active, unsubscribed or bounced readers."),
    lang: str = typer.Option(None, "--lang", help="Only readers of this edition."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Readers with their status and consent record, then the counts per language and status."""
    check_now("manage_subscribers")
    with database().session() as session:
        try:
            rows = subscribers.listing(session, status, lang)
        except subscribers.SubscriberError as error:
            fail(str(error))
        counts = subscribers.counts(session)
    if as_json:
        print(json.dumps({"subscribers": rows, "counts": counts}, ensure_ascii=False, indent=2))
        return
    for row in rows:
        console.print(f"{row['email']}  {row['lang']}  {row['status']}  consent {row['consent_at']} "
                      f"({row['consent_method']}: {row['consent_source']})", highlight=False, markup=False)
    for code, by_status in counts["by_lang"].items():
        console.print(f"{code}: " + ", ".join(f"{n} {s}" for s, n in by_status.items()), highlight=False)
    console.print(f"{counts['total']} on the list; {counts['forgotten']} erased on request", highlight=False)


@app.command("add")
def add(
    email: str = typer.Argument(..., help="The reader's address."),
    lang: str = typer.Option(..., "--lang", help="The edition they read (ko, en, ru, uz, mn)."),
    name: str = typer.Option("", "--name", help="Their name, for the To line."),
    source: str = typer.Option("added at the command line", "--source", help="Where their consent was given."),
) -> None:
    """Add a reader as pending and send the confirmation mail (double opt-in); an active reader is left as is."""
    check_now("manage_subscribers")
    with database().session() as session:
        try:
            outcome = subscribers.request_subscription(session, email, lang, method="cli", source=source, name=name)
        except subscribers.SubscriberError as error:
            fail(str(error))
    if not outcome.confirm:
        console.print(f"{outcome.email} is already an active reader; nothing changed", highlight=False)
        return
    console.print(f"{outcome.email} ({outcome.lang}) is pending until they confirm", highlight=False)
    _confirmations([(outcome.email, outcome.lang)])


@app.command("import")
def import_(
    file: Path = typer.Argument(..., help="CSV with at least email,lang (and any column `export` writes); "
                                "- for stdin."),
    skip_bad: bool = typer.Option(False, "--skip-bad", help="Import the good lines even when others are bad."),
    no_confirm: bool = typer.Option(False, "--no-confirm", help="Do not send confirmation mails to pending readers."),
) -> None:
    """Add the readers of a CSV file. Every bad line is reported with its number; with any, nothing is
    imported unless --skip-bad. Addresses already on the list are left exactly as they are."""
    check_now("manage_subscribers")
    if str(file) == "-":
        text, where = sys.stdin.read(), "<stdin>"
    else:
        import_size(file)
        try:
            text, where = file.read_text(encoding="utf-8-sig"), str(file)
        except (OSError, UnicodeDecodeError) as error:
            fail(f"cannot read {file}: {error}")
    with database().session() as session:
        try:
            report = subscribers.import_csv(session, text, where, skip_bad=skip_bad)
        except subscribers.SubscriberError as error:
            fail(str(error))
    for problem in report.problems:
        err.print(f"[yellow]skipped[/yellow] {problem}", highlight=False)
    console.print(f"{len(report.added)} added ({len(report.to_confirm)} pending), {len(report.existing)} already "
                  f"on the list and left as they are, {len(report.problems)} bad line(s) skipped", highlight=False)
    if not no_confirm:
        _confirmations(report.to_confirm)


@app.command("export")
def export(out: Path = typer.Argument(None, help="Where to write the CSV; standard output when omitted.")) -> None:
    """Every reader as CSV (the columns `import` reads), consent record included."""
    check_now("manage_subscribers")
    with database().session() as session:
        text = subscribers.export_csv(session)
    if out is None:
        sys.stdout.write(text)
        return
    out.write_text(text, encoding="utf-8")
    console.print(f"{text.count(chr(10)) - 1} reader(s) written to {out}", highlight=False)


@app.command("remove")
def remove(email: str = typer.Argument(..., help="The reader's address.")) -> None:
    """Take a reader off the list (kept as unsubscribed with their consent record: no edition reaches them)."""
    check_now("manage_subscribers")
    with database().session() as session:
        try:
            subscribers.remove(session, email)
        except subscribers.SubscriberError as error:
            fail(str(error))
    console.print(f"{email} unsubscribed", highlight=False)


@app.command("forget")
def forget(
    email: str = typer.Argument(..., help="The reader's address."),
    yes: bool = typer.Option(False, "--yes", help="Do it without asking."),
) -> None:
    """Erase the address everywhere (the list and the delivery records); only an anonymous count is kept."""
    check_now("manage_subscribers")
    if not yes and not typer.confirm(f"Erase {email} for good?"):
        fail("nothing erased")
    with database().session() as session:
        try:
            subscribers.forget(session, email)
        except subscribers.SubscriberError as error:
            fail(str(error))
    console.print(f"{email} erased; only the count of erased addresses remembers it", highlight=False)
