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
from urllib.parse import unquote, urlsplit

from sqlalchemy import select

from gnews_i18n.config import Settings
from gnews_i18n.newsletter.headers import control_problem
from gnews_i18n.newsletter.issues import IssueError, get_issue
from gnews_i18n.newsletter.mail import Edition, MailSettings, build_message, edition
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


def _connect(url: str) -> smtplib.SMTP:
    """``smtp://[user:pass@]host[:port]`` (STARTTLS when ``?starttls=1``) or ``smtps://…``."""
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise DeliveryError(f"GNEWS_SMTP_URL {url!r}: write smtp://user:password@host:587?starttls=1 "
                            "or smtps://user:password@host:465")
    if parts.scheme == "smtps":
        client: smtplib.SMTP = smtplib.SMTP_SSL(parts.hostname, parts.port or 465, timeout=30)
    else:
        client = smtplib.SMTP(parts.hostname, parts.port or 25, timeout=30)
        if "starttls=1" in parts.query:
            client.starttls()
    if parts.username:
        client.login(unquote(parts.username), unquote(parts.password or ""))
    return client


def deliver(db: Database, number: int, recipients: list[Recipient], eds: dict[str, Edition], mail: MailSettings,
         secret: str, *, batch: int = BATCH, pause: Callable[[float], None] = time.sleep) -> DeliveryReport:
    """Send each recipient their edition once, however often this is run for the issue."""
    report = DeliveryReport()
    with db.session() as session:
        issue_id = get_issue(session, number).id
        served = set(session.scalars(select(IssueDelivery.recipient).where(IssueDelivery.issue_id == issue_id)))
    todo = []
    for recipient in recipients:
        if recipient.email.lower() in served:
            report.skipped.append(recipient.email)
            continue
        lang = recipient.lang if recipient.lang in eds else mail.fallback_lang
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
                _send_batch(db, issue_id, chunk, eds, mail, secret, report)
                break
            except (smtplib.SMTPServerDisconnected, smtplib.SMTPResponseException, OSError) as error:
                # 4xx answers and lost connections are worth another try; 5xx is the server's last word
                permanent = isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500
                if permanent or attempt == ATTEMPTS:
                    raise DeliveryError(f"SMTP server {urlsplit(mail.smtp_url).hostname}: {error}; "
                                        f"{len(report.sent)} sent and recorded; run again to send the rest") from error
                pause(2 ** attempt)
    return report


def _send_batch(db, issue_id, chunk, eds, mail, secret, report) -> None:
    if not chunk:
        return
    with _connect(mail.smtp_url) as client:
        for recipient, lang in chunk:
            message: EmailMessage = build_message(eds[lang], mail, secret, recipient.email, recipient.name)
            report.sizes[lang] = len(bytes(message))
            try:
                client.send_message(message)
            except smtplib.SMTPRecipientsRefused as error:
                report.refused[recipient.email] = str(error.recipients.get(recipient.email, error))
                continue
            except smtplib.SMTPDataError as error:
                if error.smtp_code < 500:
                    raise  # a temporary refusal: the batch is tried again
                report.refused[recipient.email] = f"{error.smtp_code} {error.smtp_error.decode(errors='replace')}"
                continue
            with db.session() as session:  # recorded at once: a retry skips this recipient
                session.add(IssueDelivery(issue_id=issue_id, recipient=recipient.email.lower(), lang=lang,
                                          message_id=message["Message-ID"]))
            report.sent.append(recipient.email)
