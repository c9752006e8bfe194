"""Newsletter issues over HTTP (``/api/issues``): the same actions and roles as `gnews-i18n issue`.

Editors and publishers build an issue; only a publisher releases it, which publishes its
pages in the request (under the publishing lock, like the CLI). A closed gate answers 409
with the translations it waits for.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException
from pydantic import AfterValidator, BaseModel, Field

from gnews_i18n.auth import require
from gnews_i18n.auth.permissions import Actor
from gnews_i18n.auth.requests import MAX_ID, ItemId, Text, current_actor, database
from gnews_i18n.config import load_settings
from gnews_i18n.newsletter import issues
from gnews_i18n.newsletter.delivery import DeliveryError, deliver, editions, subscriber_recipients
from gnews_i18n.newsletter.headers import control_problem
from gnews_i18n.newsletter.mail import MailError, MailSettings
from gnews_i18n.newsletter.site import release_and_publish
from gnews_i18n.store.models import Issue

router = APIRouter(prefix="/api/issues", tags=["newsletter"])
Who = Annotated[Actor, Depends(current_actor)]


def _header_text(value: str) -> str:
    problem = control_problem(value)
    if problem:
        raise ValueError(problem)
    return value


# An issue title is the newsletter's Subject: a CR/LF is a 422 here, not a failed send later.
Title = Annotated[Text, AfterValidator(_header_text)]


class IssueIn(BaseModel):
    number: int | None = Field(None, ge=1, le=MAX_ID, description="The issue's number; the next one when omitted.")
    date: dt.date | None = Field(None, description="The issue's date; today when omitted.")
    titles: dict[Text, Title] = Field(default_factory=dict, description='Per language, e.g. {"en": "Vol. 27"}.')
    languages: list[Text] = Field(default_factory=list, description="Required languages; every edition if empty.")
    release_at: dt.datetime | None = Field(None, description="Scheduled release (UTC unless an offset is given).")


class TitlesIn(BaseModel):
    titles: dict[Text, Title] = Field(..., description='Per language; an empty title removes it, '
                                                       'e.g. {"ko": "제27호"}.')


class SendIn(BaseModel):
    wait: bool = Field(False, description="Send in this request and answer with the report, instead of a job.")


class ArticleRef(BaseModel):
    article: int = Field(..., ge=1, le=MAX_ID, description="The article's id.")
    position: int | None = Field(None, ge=1, le=MAX_ID, description="1-based place in the issue; last when omitted.")


class ReleaseIn(BaseModel):
    missing_reason: Text | None = Field(None, description="Release with translations missing; the reason is kept.")


def _issue(session, number: int) -> Issue:
    try:
        return issues.get_issue(session, number)
    except issues.IssueError as error:
        raise HTTPException(404, str(error)) from None


def _conflict(error: issues.IssueError) -> HTTPException:
    return HTTPException(409, str(error))


@router.get("")
def list_issues(actor: Who) -> list[dict]:
    with database().session() as session:
        return [issues.describe(i) for i in session.query(Issue).order_by(Issue.number.desc())]


@router.post("", status_code=201)
def create(body: IssueIn, actor: Who) -> dict:
    """Create an issue (editor or publisher)."""
    require(actor, "build_issue")
    when = body.release_at
    if when is not None and when.tzinfo is not None:
        when = when.astimezone(dt.UTC).replace(tzinfo=None)
    with database().session() as session:
        try:
            issue = issues.create_issue(session, body.number or issues.next_number(session),
                                        body.date or dt.date.today(), dict(body.titles), list(body.languages) or None,
                                        when)
        except issues.IssueError as error:
            raise _conflict(error) from None
        return issues.describe(issue)


@router.get("/{number}")
def show(number: ItemId, actor: Who) -> dict:
    """The issue: its articles in order, and the translations its release waits for."""
    with database().session() as session:
        return issues.describe(_issue(session, number))


@router.patch("/{number}")
def retitle(number: ItemId, body: TitlesIn, actor: Who) -> dict:
    """Change the issue's titles per language until it is released (editor or publisher; released: 409)."""
    return _change(number, actor, lambda session, issue: issues.set_titles(session, issue, dict(body.titles)))


@router.post("/{number}/email", status_code=202,
             responses={503: {"description": "the job queue cannot be reached; try again later"}})
def send(number: ItemId, actor: Who, body: SendIn | None = None) -> dict:
    """Send the released issue to every active subscriber, each in their language, once (a publisher).
    A job for the workers (202), or with ``wait`` in this request, answering the report per language."""
    require(actor, "release_issue")
    settings = load_settings()
    try:
        mail = MailSettings.load(settings)
        if not mail.smtp_url:
            raise HTTPException(409, "GNEWS_SMTP_URL is not set: there is no mail server to send through")
        eds = editions(database(), number, settings)
        if not (body and body.wait):
            from gnews_i18n.worker.tasks import dispatch, email_issue  # deferred: Celery is slow to import

            if not dispatch(email_issue, number, None):
                raise HTTPException(503, "the broker cannot be reached; try again later, or with wait")
            return {"status": "queued", "number": number}
        report = deliver(database(), number, subscriber_recipients(database()), eds, mail, settings.secret_key())
    except (issues.IssueError, MailError, DeliveryError) as error:
        raise _conflict(error) from None
    return {"status": "sent", "number": number, "per_language": report.per_language(), "refused": report.refused,
            "bounced": report.bounced}


@router.post("/{number}/articles")
def add(number: ItemId, body: ArticleRef, actor: Who) -> dict:
    """Put an article into the issue, at ``position`` or last (editor or publisher)."""
    return _change(number, actor, lambda session, issue: issues.add_article(session, issue, body.article,
                                                                             body.position))


@router.delete("/{number}/articles/{article_id}")
def remove(number: ItemId, article_id: ItemId, actor: Who) -> dict:
    return _change(number, actor, lambda session, issue: issues.remove_article(session, issue, article_id))


def _change(number: int, actor: Actor, change) -> dict:
    """Build the issue (a released one cannot change: 409)."""
    require(actor, "build_issue")
    with database().session() as session:
        issue = _issue(session, number)
        try:
            change(session, issue)
        except issues.IssueError as error:
            raise _conflict(error) from None
        session.flush()
        return issues.describe(issue)


@router.post("/{number}/release")
def release(number: ItemId, actor: Who, body: ReleaseIn | None = None) -> dict:
    """Release (a publisher): when every article is approved in every required language, or with a
    ``missing_reason``; the issue's pages are published before the answer."""
    require(actor, "release_issue")
    with database().session() as session:
        _issue(session, number)  # a missing issue is a 404, a closed gate a 409
    try:
        return release_and_publish(database(), load_settings(), number, actor.name,
                                   body.missing_reason if body else None)
    except issues.IssueError as error:
        raise _conflict(error) from None
