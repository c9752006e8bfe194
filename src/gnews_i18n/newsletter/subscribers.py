"""The subscriber list: double opt-in, unsubscribe, bounces, erasure, CSV import and export.

Plain Python over the store; the site's forms, the API, the desk and the CLI are doors into it.
An address is validated and normalized by email-validator (syntax only: no DNS lookups),
lower-cased, and unique on the list. A reader is ``pending`` until they follow the signed
link in their confirmation mail, then ``active``; ``unsubscribed`` and ``bounced`` rows stay,
so that no edition reaches them again and an import cannot bring them back. ``forget`` erases
the address everywhere and keeps only an anonymous count.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from enum import StrEnum

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from gnews_i18n.languages import EDITION_LANGUAGES
from gnews_i18n.newsletter.headers import control_problem
from gnews_i18n.newsletter.links import check_confirm, check_unsubscribe
from gnews_i18n.store.models import IssueDelivery, Subscriber, SubscriberErasure, utcnow


class Status(StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    UNSUBSCRIBED = "unsubscribed"
    BOUNCED = "bounced"


ENDED = (Status.UNSUBSCRIBED, Status.BOUNCED)
RESEND_AFTER = dt.timedelta(minutes=10)  # a pending reader asking again gets a new confirmation mail after this
COLUMNS = ["email", "lang", "status", "name", "consent_at", "consent_method", "consent_source", "confirmed_at",
           "unsubscribed_at"]


class SubscriberError(ValueError):
    """Input the caller can correct: an address that is not one, an unknown language or reader, a bad file."""


def normalize_address(value: str) -> str:
    """The address as stored: validated (syntax only), normalized, lower-cased."""
    try:
        return validate_email(value.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise SubscriberError(f"{value!r} is not an e-mail address: {error}") from None


def check_lang(lang: str) -> str:
    code = (lang or "").strip().lower()
    if code not in EDITION_LANGUAGES:
        raise SubscriberError(f"unknown language {lang!r}; editions are {', '.join(EDITION_LANGUAGES)}")
    return code


def find(session: Session, address: str) -> Subscriber | None:
    return session.scalar(select(Subscriber).where(Subscriber.email == address))


@dataclass(frozen=True)
class Request:
    """The outcome of a subscription request: whether a confirmation mail must go to ``email``."""

    email: str
    lang: str
    confirm: bool


def request_subscription(session: Session, email: str, lang: str, *, method: str, source: str, name: str = "",
                         now: dt.datetime | None = None) -> Request:
    """Add ``email`` as ``pending`` with a consent record (or renew a pending or ended one).
    An active reader is left exactly as they are; the caller answers the same either way."""
    address, code = normalize_address(email), check_lang(lang)
    if problem := control_problem(name):
        raise SubscriberError(f"the name {problem}")
    now = now or utcnow()
    row = find(session, address)
    if row is not None and row.status == Status.ACTIVE:
        return Request(address, row.lang, confirm=False)
    if row is not None and row.status == Status.PENDING and row.consent_at and now - row.consent_at < RESEND_AFTER:
        return Request(address, row.lang, confirm=False)  # the form cannot be used to flood an inbox
    if row is None:
        row = Subscriber(email=address, bounces=0)
        session.add(row)
    row.lang, row.name, row.status, row.bounces = code, name.strip() or (row.name or ""), Status.PENDING, 0
    row.consent_at, row.consent_method, row.consent_source = now, method, source[:500]
    row.unsubscribed_at = None
    session.flush()
    return Request(address, code, confirm=True)


def confirm(session: Session, email: str, lang: str, stamp: str, signature: str, secret: str,
            max_age_hours: float, now: dt.datetime | None = None) -> Subscriber:
    """Make a pending reader active (again: no change) when the link verifies; LinkError otherwise."""
    address = email.strip().lower()
    check_confirm(secret, address, lang, stamp, signature, max_age_hours, now)
    row = find(session, address)
    if row is None or row.status in ENDED:
        # forgotten, or left the list after the link was made: the old link must not bring them back
        raise SubscriberError("this subscription no longer exists; subscribe again to get a new link")
    if row.status == Status.PENDING:
        row.status, row.confirmed_at, row.lang = Status.ACTIVE, now or utcnow(), check_lang(lang)
    return row


def unsubscribe(session: Session, email: str, lang: str, signature: str, secret: str,
                now: dt.datetime | None = None) -> None:
    """RFC 8058: at once, no login, no further step. A reader who was never on the list (an
    address from a recipients file) is recorded as unsubscribed, so no edition reaches them again."""
    address = email.strip().lower()
    check_unsubscribe(secret, address, signature)
    row = find(session, address)
    if row is None:
        row = Subscriber(email=address, lang=lang if lang in EDITION_LANGUAGES else "", name="", bounces=0,
                         consent_method="", consent_source="")
        session.add(row)
    if row.status != Status.UNSUBSCRIBED:
        row.status, row.unsubscribed_at = Status.UNSUBSCRIBED, now or utcnow()


def remove(session: Session, email: str) -> None:
    """An admin takes a reader off the list (kept as unsubscribed, with their consent record)."""
    row = find(session, normalize_address(email))
    if row is None:
        raise SubscriberError(f"{email} is not on the list; `gnews-i18n subscribers list` shows who is")
    if row.status != Status.UNSUBSCRIBED:
        row.status, row.unsubscribed_at = Status.UNSUBSCRIBED, utcnow()


def forget(session: Session, email: str) -> None:
    """Erase the address everywhere (the list, the delivery records); only an anonymous count remains."""
    address = normalize_address(email)
    row = find(session, address)
    deliveries = session.scalar(select(func.count()).select_from(IssueDelivery)
                                .where(IssueDelivery.recipient == address))
    if row is None and not deliveries:
        raise SubscriberError(f"{email} is not on the list and was never sent an issue; nothing to erase")
    if row is not None:
        session.delete(row)
    session.execute(delete(IssueDelivery).where(IssueDelivery.recipient == address))
    session.add(SubscriberErasure(erased_at=utcnow()))


def record_bounce(session: Session, email: str, limit: int) -> bool:
    """A permanent refusal (5xx) for ``email``; it is marked bounced at the ``limit``-th in a row.
    Returns whether it is bounced now."""
    row = find(session, email.lower())
    if row is None:
        return False
    row.bounces = (row.bounces or 0) + 1
    if row.bounces >= max(1, limit) and row.status not in ENDED:
        row.status = Status.BOUNCED
    return row.status == Status.BOUNCED


def record_delivered(session: Session, email: str) -> None:
    row = find(session, email.lower())
    if row is not None and row.bounces:
        row.bounces = 0


def ended(session: Session, addresses: list[str]) -> set[str]:
    """Which of ``addresses`` (lower-cased) have unsubscribed or bounced."""
    wanted = {a.lower() for a in addresses}
    rows = session.scalars(select(Subscriber.email).where(Subscriber.status.in_([s.value for s in ENDED])))
    return {email for email in rows if email in wanted}


def active(session: Session) -> list[Subscriber]:
    return list(session.scalars(select(Subscriber).where(Subscriber.status == Status.ACTIVE)
                                .order_by(Subscriber.lang, Subscriber.email)))


def listing(session: Session, status: str | None = None, lang: str | None = None) -> list[dict]:
    query = select(Subscriber).order_by(Subscriber.email)
    if status:
        if status not in {s.value for s in Status}:
            raise SubscriberError(f"unknown status {status!r}; one of {', '.join(s.value for s in Status)}")
        query = query.where(Subscriber.status == status)
    if lang:
        query = query.where(Subscriber.lang == check_lang(lang))
    return [_row(s) for s in session.scalars(query)]


def counts(session: Session) -> dict:
    """``{"by_lang": {lang: {status: n}}, "total": n, "forgotten": n}``."""
    by_lang: dict[str, dict[str, int]] = {}
    for lang, status, number in session.execute(select(Subscriber.lang, Subscriber.status, func.count())
                                                .group_by(Subscriber.lang, Subscriber.status)):
        by_lang.setdefault(lang or "?", {s.value: 0 for s in Status})[status] = number
    return {"by_lang": dict(sorted(by_lang.items())),
            "total": sum(sum(v.values()) for v in by_lang.values()),
            "forgotten": session.scalar(select(func.count()).select_from(SubscriberErasure)) or 0}


def _stamp(moment: dt.datetime | None) -> str:
    return moment.isoformat(timespec="seconds") if moment else ""


def _row(s: Subscriber) -> dict:
    return {"email": s.email, "lang": s.lang, "status": s.status, "name": s.name or "",
            "consent_at": _stamp(s.consent_at), "consent_method": s.consent_method or "",
            "consent_source": s.consent_source or "", "confirmed_at": _stamp(s.confirmed_at),
            "unsubscribed_at": _stamp(s.unsubscribed_at)}


# CSV --------------------------------------------------------------------------------------------
def export_csv(session: Session) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in listing(session):
        writer.writerow(row)
    return out.getvalue()


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)  # new rows (pending ones need a confirmation mail)
    to_confirm: list[tuple[str, str]] = field(default_factory=list)  # (address, lang) of the pending ones
    existing: list[str] = field(default_factory=list)  # already on the list: left exactly as they are
    problems: list[str] = field(default_factory=list)  # skipped lines (with skip_bad)


def _when(value: str) -> dt.datetime | None:
    if not value.strip():
        return None
    moment = dt.datetime.fromisoformat(value.strip())
    return moment.astimezone(dt.UTC).replace(tzinfo=None) if moment.tzinfo else moment


def import_csv(session: Session, text: str, where: str, *, skip_bad: bool = False,
               now: dt.datetime | None = None) -> ImportReport:
    """Add the readers of a CSV file (``email,lang`` and optionally the other export columns).

    Every bad line is reported as ``where:line: what``; with any, nothing is imported unless
    ``skip_bad``. A row without a status is ``pending`` (it needs a confirmation mail); an
    ``active`` row needs ``consent_at``, the consent it was given. Addresses already on the
    list are left as they are: an import never brings back someone who left."""
    now = now or utcnow()
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    header = [c.strip().lower() for c in rows[0]] if rows else []
    if "email" not in header or "lang" not in header:
        raise SubscriberError(f"{where}:1: the first line must be a header with at least email,lang "
                              f"(all columns: {','.join(COLUMNS)})")
    unknown = [c for c in header if c not in COLUMNS]
    if unknown:
        raise SubscriberError(f"{where}:1: unknown column(s) {', '.join(unknown)}; known: {','.join(COLUMNS)}")
    report, seen, good = ImportReport(), set(), []
    for line, cells in enumerate(rows[1:], 2):
        if not any(c.strip() for c in cells):
            continue
        values = dict(zip(header, [c.strip() for c in cells] + [""] * len(header), strict=False))
        try:
            good.append(_import_row(values, seen))
        except SubscriberError as error:
            report.problems.append(f"{where}:{line}: {error}")
    if report.problems and not skip_bad:
        raise SubscriberError("\n".join(report.problems) + "\nNothing was imported; correct the file and run "
                              "again, or pass --skip-bad to import the good lines.")
    for values in good:
        if find(session, values["email"]) is not None:
            report.existing.append(values["email"])
            continue
        status = values["status"]
        session.add(Subscriber(
            email=values["email"], lang=values["lang"], name=values["name"], status=status, bounces=0,
            consent_at=values["consent_at"] or now, consent_method=values["consent_method"] or "import",
            consent_source=values["consent_source"] or where, confirmed_at=values["confirmed_at"],
            unsubscribed_at=values["unsubscribed_at"]))
        report.added.append(values["email"])
        if status == Status.PENDING:
            report.to_confirm.append((values["email"], values["lang"]))
    session.flush()
    return report


def _import_row(values: dict, seen: set[str]) -> dict:
    address = normalize_address(values.get("email", ""))
    if address in seen:
        raise SubscriberError(f"{address} is listed twice")
    seen.add(address)
    status = values.get("status", "") or Status.PENDING.value
    if status not in {s.value for s in Status}:
        raise SubscriberError(f"status {status!r} of {address}: write one of {', '.join(s.value for s in Status)}")
    if problem := control_problem(values.get("name", "")):
        raise SubscriberError(f"the name of {address} {problem}")
    out = {"email": address, "lang": check_lang(values.get("lang", "")), "status": status,
           "name": values.get("name", ""), "consent_method": values.get("consent_method", ""),
           "consent_source": values.get("consent_source", "")}
    for key in ("consent_at", "confirmed_at", "unsubscribed_at"):
        try:
            out[key] = _when(values.get(key, ""))
        except ValueError:
            raise SubscriberError(f"{key} {values.get(key)!r} of {address}: write an ISO time, e.g. "
                                  "2024-02-01T09:30:00") from None
    if status == Status.ACTIVE and out["consent_at"] is None:
        raise SubscriberError(f"{address} is active but has no consent_at (when they agreed); leave the status "
                              "empty to send them a confirmation mail instead")
    return out
