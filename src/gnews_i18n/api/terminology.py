"""The terminology over the API: the people registry (``/api/people``) and the history of edits
to it and to the glossary (``/api/terminology/history``). Reading needs a desk account; adding
needs ``manage_glossary`` (admins)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import BaseModel, Field

from gnews_i18n.auth import require
from gnews_i18n.auth.permissions import Actor
from gnews_i18n.auth.requests import Text, current_actor, database
from gnews_i18n.config import load_settings
from gnews_i18n.flags import parse_date
from gnews_i18n.terms.editing import add_post, history, people_on, record
from gnews_i18n.terms.files import cached_registry

router = APIRouter(prefix="/api")
Who = Annotated[Actor, Depends(current_actor)]


@router.get("/people", tags=["glossary"])
def people(actor: Who, search: str | None = None, on: str | None = Query(None, description="YYYY-MM-DD: "
                                                                          "only the post held that day")) -> list[dict]:
    """The registry's people and their posts (with ``on``: the post held on that day)."""
    registry = cached_registry(load_settings().people_paths)
    try:
        day = parse_date(on) if on else None
    except ValueError as error:
        raise HTTPException(422, str(error)) from None
    return people_on(registry, search or "", day)

class PostIn(BaseModel):
    id: Text = Field(..., description="The person's id (a new one adds a person).")
    names: dict[Text, Text] = Field(default_factory=dict, description='Name per language, e.g. {"ko": "엄원자", '
                                    '"en": "Eom Won-ja"} (for a new person).')
    org: dict[Text, Text] = Field(default_factory=dict, description='Organisation per language.')
    title: dict[Text, Text] = Field(default_factory=dict, description='Title per language.')
    title_type: Text = Field("officer", description="head (title before the name in English) or officer.")
    from_: Text = Field("", alias="from", description="First day of the post, YYYY-MM-DD.")
    to: Text = Field("", description="Last day of the post, YYYY-MM-DD (empty: still held).")
    note: Text = ""


@router.post("/people", status_code=201, tags=["glossary"])
def add_person_or_post(body: PostIn, actor: Who) -> dict:
    """Add a person, or a post of a known person, to the last registry file (admins); recorded in the history."""
    require(actor, "manage_glossary")
    files = load_settings().people_paths
    if not files:
        raise HTTPException(409, "no people registry is configured; set GNEWS_PEOPLE or add glossaries/people.csv")
    cells = {**body.names, **{f"org_{k}": v for k, v in body.org.items()},
             **{f"title_{k}": v for k, v in body.title.items()}, "from": body.from_, "to": body.to, "note": body.note}
    if body.title:
        cells["title_type"] = body.title_type
    row = add_post(files[-1], body.id, cells)  # GlossaryError: a problem document with every file:line
    with database().session() as session:
        record(session, "people", files[-1], body.id, "add", row, actor.name)
    return {"file": files[-1].name, "row": row}


@router.get("/terminology/history", tags=["glossary"])
def terminology_history(actor: Who, kind: str | None = Query(None, description="glossary or people"),
                        key: str | None = None) -> list[dict]:
    """Who added which concept, person or post, when (latest first)."""
    with database().session() as session:
        return history(session, kind, key)
