"""Delivering e-mail editions: ``.eml`` files in a directory, or SMTP with an idempotency record.

Each recipient gets their language's edition (or the fallback language's when the issue has
no such edition). A message accepted by the SMTP server is recorded (issue, recipient) in
the same breath, so a retried job skips everyone already served; the narrow window between
the server's acceptance and the record is covered by a Message-ID that is the same on every
attempt (decision 0019).
"""

from __future__ import annotations

import csv
import io
import smtplib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import select

from gnews_i18n.config import Settings
from gnews_i18n.newsletter import subscribers
from gnews_i18n.newsletter.headers import control_problem
from gnews_i18n.newsletter.issues import IssueError, get_issue
from gnews_i18n.newsletter.mail import Edition, MailSettings, build_message, edition
from gnews_i18n.newsletter.transport import Pace, TransportError, connect, send
from gnews_i18n.store.db import Database
from gnews_i18n.store.models import IssueDelivery

BATCH = 50  # messages per SMTP connection
ATTEMPTS = 3  # per batch, on connection errors


class DeliveryError(RuntimeError):
    """Recipients file or SMTP server problems the operator can fix; already-sent mail is recorded."""


@dataclass(frozen=True)
class Recipient:
    email: str
    lang: str
    name: str


@dataclass
class DeliveryReport:
    sent: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # served by an earlier run
    refused: dict[str, str] = field(default_factory=dict)  # address → the server's answer
    sizes: dict[str, int] = field(default_factory=dict)  # lang → bytes of the whole message
    ended: list[str] = field(default_factory=list)  # unsubscribed or bounced: never sent another edition
    bounced: list[str] = field(default_factory=list)  # marked bounced by this run's refusals
    langs: dict[str, str] = field(default_factory=dict)  # address → the edition it gets

    def per_language(self) -> dict[str, dict[str, int]]:
        """``{lang: {"sent": n, "failed": n, "skipped": n}}``; skipped: served before, or left the list."""
        table: dict[str, dict[str, int]] = {}
        for kind, addresses in (("sent", self.sent), ("failed", list(self.refused)),
                                ("skipped", self.skipped + self.ended)):
            for address in addresses:
                row = table.setdefault(self.langs.get(address, "?"), {"sent": 0, "failed": 0, "skipped": 0})
                row[kind] += 1
        return dict(sorted(table.items()))

    def summary(self) -> str:
        return "; ".join(f"{lang}: {n['sent']} sent, {n['failed']} failed, {n['skipped']} skipped"
                         for lang, n in self.per_language().items()) or "nobody to send to"


def read_recipients(path: Path) -> list[Recipient]:
    """``email,lang,name`` with a header row; every bad line is listed with file:line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise DeliveryError(f"cannot read {path}: {error}") from error
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or [c.strip().lower() for c in rows[0][:3]] != ["email", "lang", "name"]:
        raise DeliveryError(f"{path}:1: the first line must be the header email,lang,name")
    recipients, problems, seen = [], [], set()
    for line, row in enumerate(rows[1:], 2):
        if not any(c.strip() for c in row):
            continue
        email, lang, name = ([c.strip() for c in row] + ["", "", ""])[:3]
        if "@" not in parseaddr(email)[1] or parseaddr(email)[1] != email:
            problems.append(f"{path}:{line}: {email!r} is not an e-mail address")
        elif not lang:
            problems.append(f"{path}:{line}: no language for {email}")
        elif problem := control_problem(name):
            problems.append(f"{path}:{line}: the name of {email} {problem}")
        elif email.lower() in seen:
            problems.append(f"{path}:{line}: {email} is listed twice")
        else:
            seen.add(email.lower())
            recipients.append(Recipient(email, lang.lower(), name))
    if problems:
        raise DeliveryError("\n".join(problems) + "\nNothing was sent; correct the file and run again.")
    return recipients


def editions(db: Database, number: int, settings: Settings) -> dict[str, Edition]:
    """Every language edition of a released issue."""
    with db.session() as session:
        issue = get_issue(session, number)
        if not issue.released:
            raise IssueError(f"issue {number} is not released; `gnews-i18n issue release {number}` first")
        return {lang: edition(session, issue, lang, settings) for lang in issue.languages}


def write_eml(eds: dict[str, Edition], mail: MailSettings, secret: str, directory: Path) -> dict[str, Path]:
    """One ``issue-N.LANG.eml`` per language (addressed to the list itself)."""
    directory.mkdir(parents=True, exist_ok=True)
    written = {}
    for lang, ed in eds.items():
        path = directory / f"issue-{ed.number}.{lang}.eml"
        path.write_bytes(bytes(build_message(ed, mail, secret)))
        written[lang] = path
    return written


def subscriber_recipients(db: Database) -> list[Recipient]:
    """Every active subscriber, in their language."""
    with db.session() as session:
        return [Recipient(s.email, s.lang, s.name or "") for s in subscribers.active(session)]


def deliver(db: Database, number: int, recipients: list[Recipient], eds: dict[str, Edition], mail: MailSettings,
         secret: str, *, batch: int = BATCH, pause: Callable[[float], None] = time.sleep,
         pace: Pace | None = None) -> DeliveryReport:
    """Send each recipient their edition once, however often this is run for the issue; nobody who
    unsubscribed or bounced; at most GNEWS_MAIL_PER_MINUTE messages a minute."""
    report = DeliveryReport()
    pace = pace or Pace(mail.per_minute)
    with db.session() as session:
        issue_id = get_issue(session, number).id
        served = set(session.scalars(select(IssueDelivery.recipient).where(IssueDelivery.issue_id == issue_id)))
        gone = subscribers.ended(session, [r.email for r in recipients])
    todo = []
    for recipient in recipients:
        lang = recipient.lang if recipient.lang in eds else mail.fallback_lang
        report.langs[recipient.email] = lang
        if recipient.email.lower() in served:
            report.skipped.append(recipient.email)
            continue
        if recipient.email.lower() in gone:
            report.ended.append(recipient.email)
            continue
        if lang not in eds:
            raise DeliveryError(f"{recipient.email} reads {recipient.lang}, which issue {number} lacks, and the "
                                f"fallback {mail.fallback_lang} is not among its languages ({', '.join(eds)}); "
                                "set GNEWS_NEWSLETTER_FALLBACK_LANG")
        todo.append((recipient, lang))
    for start in range(0, len(todo), batch):
        chunk = [(r, lang) for r, lang in todo[start:start + batch]]
        for attempt in range(1, ATTEMPTS + 1):
            chunk = [(r, lang) for r, lang in chunk if r.email not in report.sent and r.email not in report.refused]
            try:
                _send_batch(db, issue_id, chunk, eds, mail, secret, report, pace)
                break
            except TransportError as error:
                raise DeliveryError(f"{error}; {len(report.sent)} sent and recorded") from error
            except (smtplib.SMTPServerDisconnected, smtplib.SMTPResponseException, OSError) as error:
                # 4xx answers and lost connections are worth another try; 5xx is the server's last word
                permanent = isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500
                if permanent or attempt == ATTEMPTS:
                    raise DeliveryError(f"SMTP server {urlsplit(mail.smtp_url).hostname}: {error}; "
                                        f"{len(report.sent)} sent and recorded; run again to send the rest") from error
                pause(2 ** attempt)
    return report


def _send_batch(db, issue_id, chunk, eds, mail, secret, report, pace) -> None:
    if not chunk:
        return
    with connect(mail.smtp_url) as client:
        for recipient, lang in chunk:
            message: EmailMessage = build_message(eds[lang], mail, secret, recipient.email, recipient.name)
            report.sizes[lang] = len(bytes(message))
            pace.wait()
            try:
                send(client, message, recipient.email, mail.dkim_selector, mail.dkim_key)
            except smtplib.SMTPRecipientsRefused as error:
                answer = error.recipients.get(recipient.email)
                if answer is not None and answer[0] < 500:
                    raise smtplib.SMTPDataError(*answer) from error  # temporary: the batch is tried again
                _refused(db, mail, report, recipient.email, str(answer or error))
                continue
            except smtplib.SMTPDataError as error:
                if error.smtp_code < 500:
                    raise  # a temporary refusal: the batch is tried again
                _refused(db, mail, report, recipient.email,
                         f"{error.smtp_code} {error.smtp_error.decode(errors='replace')}")
                continue
            with db.session() as session:  # recorded at once: a retry skips this recipient
                session.add(IssueDelivery(issue_id=issue_id, recipient=recipient.email.lower(), lang=lang,
                                          message_id=message["Message-ID"]))
                subscribers.record_delivered(session, recipient.email)
            report.sent.append(recipient.email)


def _refused(db: Database, mail: MailSettings, report: DeliveryReport, address: str, answer: str) -> None:
    """A permanent refusal: reported, and counted towards the address's bounce limit."""
    report.refused[address] = answer
    with db.session() as session:
        if subscribers.record_bounce(session, address, mail.bounce_limit):
            report.bounced.append(address)
