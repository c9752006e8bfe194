"""The newsletter's readers over HTTP (``/api/subscribers``): the same actions as `gnews-i18n subscribers`.

Publishers and admins only. Adding a reader makes them pending and sends the confirmation
mail (double opt-in), as the site's form does; an import with bad lines answers 422 with
every line's problem and imports nothing unless ``skip_bad``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from gnews_i18n.auth import require
from gnews_i18n.auth.permissions import Actor
from gnews_i18n.auth.requests import Text, current_actor, database
from gnews_i18n.config import load_settings
from gnews_i18n.newsletter import subscribers
from gnews_i18n.newsletter.confirmation import send_confirmations
from gnews_i18n.newsletter.mail import MailError, MailSettings

router = APIRouter(prefix="/api/subscribers", tags=["newsletter"])


def _manager(actor: Annotated[Actor, Depends(current_actor)]) -> Actor:
    require(actor, "manage_subscribers")
    return actor


Manager = Annotated[Actor, Depends(_manager)]


class SubscriberIn(BaseModel):
    email: Text = Field(..., max_length=320, description="The reader's address (validated, normalized).")
    lang: Text = Field(..., max_length=8, description="The edition they read.")
    name: Text = Field("", max_length=200, description="Their name, for the To line.")
    source: Text = Field("added through the API", max_length=300, description="Where their consent was given.")


def _unprocessable(error: subscribers.SubscriberError) -> HTTPException:
    return HTTPException(422, str(error))


def _confirm(readers: list[tuple[str, str]]) -> dict[str, str]:
    settings = load_settings()
    try:
        mail = MailSettings.load(settings)
    except MailError as error:
        return {address: str(error) for address, _ in readers}
    return send_confirmations(mail, settings.secret_key(), readers, settings.data_dir / "outbox")


@router.get("")
def list_subscribers(actor: Manager, status: str | None = None, lang: str | None = None) -> dict:
    """Readers with their consent record, and the counts per language and status."""
    with database().session() as session:
        try:
            rows = subscribers.listing(session, status, lang)
        except subscribers.SubscriberError as error:
            raise _unprocessable(error) from None
        return {"subscribers": rows, "counts": subscribers.counts(session)}


@router.post("", status_code=201)
def add(body: SubscriberIn, actor: Manager) -> dict:
    """Add a reader as pending and send the confirmation mail; an active reader is left as they are."""
    with database().session() as session:
        try:
            outcome = subscribers.request_subscription(session, body.email, body.lang, method="api",
                                                       source=f"{body.source} (by {actor.name})", name=body.name)
        except subscribers.SubscriberError as error:
            raise _unprocessable(error) from None
    problems = _confirm([(outcome.email, outcome.lang)]) if outcome.confirm else {}
    return {"email": outcome.email, "lang": outcome.lang, "status": "pending" if outcome.confirm else "active",
            "confirmation_sent": outcome.confirm and not problems,
            "problem": problems.get(outcome.email)}


@router.post("/import", openapi_extra={"requestBody": {
    "required": True, "content": {"text/csv": {"schema": {"type": "string"}}}}})
async def import_csv(request: Request, actor: Manager, skip_bad: bool = False, confirm: bool = True) -> dict:
    """A CSV body (``text/csv``, the columns of the export); 422 with every bad line unless ``skip_bad``."""
    try:
        text = (await request.body()).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise HTTPException(422, "the CSV must be UTF-8") from None
    with database().session() as session:
        try:
            report = subscribers.import_csv(session, text, "body", skip_bad=skip_bad)
        except subscribers.SubscriberError as error:
            raise _unprocessable(error) from None
    problems = _confirm(report.to_confirm) if confirm else {}
    return {"added": report.added, "existing": report.existing, "skipped": report.problems,
            "confirmation_problems": problems}


CSV_RESPONSE = {200: {"description": "Every reader, the columns `import` reads",
                     "content": {"text/csv": {"schema": {"type": "string"}}}}}


@router.get("/export", response_class=Response, responses=CSV_RESPONSE)
def export(actor: Manager) -> Response:
    with database().session() as session:
        text = subscribers.export_csv(session)
    return Response(text, media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": 'attachment; filename="subscribers.csv"'})


def _act(email: str, action) -> dict:
    with database().session() as session:
        try:
            action(session, email)
        except subscribers.SubscriberError as error:
            raise HTTPException(404 if "not on the list" in str(error) else 422, str(error)) from None
    return {"email": email}


@router.delete("/{email}")
def remove(email: str, actor: Manager) -> dict:
    """Unsubscribe a reader (kept with their consent record, so no edition reaches them)."""
    return {**_act(email, subscribers.remove), "status": "unsubscribed"}


@router.post("/{email}/forget")
def forget(email: str, actor: Manager) -> dict:
    """Erase the address everywhere; only an anonymous count is kept."""
    return {**_act(email, subscribers.forget), "status": "erased"}
