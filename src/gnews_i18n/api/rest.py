"""The REST API under /api: articles, translations, segments, review actions, comments,
PO files, glossary and users. Every endpoint names the permission it needs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, Response
from pydantic import Base64Bytes, BaseModel, Field
from sqlalchemy import select

from gnews_i18n.articles.queries import list_articles, list_translations, segment_view, translation_detail
from gnews_i18n.articles.submission import parse_targets, submit
from gnews_i18n.auth import add_user as add
from gnews_i18n.auth import issue_token, require
from gnews_i18n.auth.permissions import ROLES, Actor
from gnews_i18n.auth.requests import ItemId, Text, current_actor, database
from gnews_i18n.auth.users import USER_NAME, delete_user, revoke_token, set_active, tokens_of
from gnews_i18n.config import load_settings
from gnews_i18n.intake import IntakeError, parse_article
from gnews_i18n.intake.photos import attach_photos
from gnews_i18n.languages import EDITION_LANGUAGES
from gnews_i18n.publish import NothingToPublish, PersonalDataInEdition, TargetError, publish_correction
from gnews_i18n.review import actions
from gnews_i18n.review.access import translation_for
from gnews_i18n.review.files import apply_for
from gnews_i18n.review.personal_data import FindingError, allow_finding, article_findings
from gnews_i18n.review.po import export_po as export
from gnews_i18n.states import TranslationState
from gnews_i18n.store.models import Article, User
from gnews_i18n.terms import article_terms, cached_glossary
from gnews_i18n.terms.editing import add_concept
from gnews_i18n.worker.tasks import enqueue_publication, enqueue_translations

router = APIRouter(prefix="/api")
Who = Annotated[Actor, Depends(current_actor)]

class ArticleIn(BaseModel):
    content: Text = Field(..., description="The article: Markdown with YAML front matter, HTML, plain text or JSON.")
    filename: Text = Field("article.md", description="Its name; the extension tells the format when `format` is unset.")
    format: Text | None = Field(None, description="markdown, html, text or json")
    lang: Text | None = Field(None, description="Source language (ko or en); detected when omitted.")
    targets: list[Text] = Field(default_factory=list, description="Target languages, e.g. [\"ko\", \"ru\"].")
    queue: bool = Field(True, description="Send the translation jobs to the workers.")
    correction: Text | None = Field(None, description="Submit a published article's corrected text as a correction, "
                                    "with this note for readers; only changed sentences go back to review.")
    allow_personal_data: Text | None = Field(None, description="Store the article although the privacy guard found "
                                             "personal identifiers in it: why a person decided they may be "
                                             "published (recorded with your name).")
    redact_personal_data: bool = Field(False, description="Mask the personal identifiers found before storing.")
    allow_findings: list[Text] = Field(default_factory=list, description="With allow_personal_data: the ids of the "
                                       "findings the reason covers (from the 422's problems); any other undecided "
                                       "finding still refuses the article.")
    photos: dict[Text, Base64Bytes] = Field(
        default_factory=dict, description="The image files the article's figures name, by that name, base64-encoded: "
        "{\"photos/ajou.jpg\": \"/9j/4AAQ…\"}. Each is checked by its content (JPEG, PNG, WebP or GIF, within "
        "GNEWS_MAX_PHOTO_BYTES and GNEWS_MAX_PHOTO_PIXELS) and stored without its metadata (EXIF, GPS).")


@router.get("/me", tags=["users"])
def me(actor: Who) -> dict:
    return {"name": actor.name, "roles": sorted(actor.roles), "languages": sorted(actor.languages)}


@router.post("/articles", status_code=201, tags=["articles"])
def submit_article(body: ArticleIn, actor: Who) -> dict:
    """Submit an article (a new one, or a new revision of one with the same slug) and queue its translations."""
    require(actor, "submit")
    try:
        article = parse_article(body.content.encode("utf-8"), body.filename, lang=body.lang, fmt=body.format,
                                max_bytes=load_settings().max_article_bytes)
    except IntakeError as error:
        error.field = "body.content" + (f".{error.field}" if error.field else "")
        raise
    settings = load_settings()
    try:
        attach_photos(article, dict(body.photos), body.filename, max_bytes=settings.max_photo_bytes,
                      max_pixels=settings.max_photo_pixels)
    except IntakeError as error:
        error.field = "body.photos"
        raise
    try:
        targets = parse_targets(body.targets, article.lang)
    except IntakeError as error:
        error.field = "body.targets"
        raise
    with database().session() as session:
        result = submit(session, article, targets, submitted_by=actor.name, correction=body.correction,
                        allow_personal_data=body.allow_personal_data,
                        redact_personal_data=body.redact_personal_data, raw=body.content,
                        allow_findings=body.allow_findings)
    source_published = None
    if body.correction is not None and result.new_revision:
        source_published = _publish_correction(result.article_id)
    if body.queue and result.translation_ids:
        enqueue_translations(result.translation_ids)
    return {"article_id": result.article_id, "revision": result.revision_number, "slug": article.slug,
            "new_revision": result.new_revision, "translation_ids": result.translation_ids,
            "personal_data": [item.to_dict() for item in result.personal_data],
            "personal_data_decision": result.personal_data_decision,
            **({"correction_published": source_published} if source_published is not None else {})}


def _publish_correction(article_id: int) -> str:
    """The corrected source edition, published at once; what went wrong when it could not be (the
    submission stands: `gnews-i18n publish --article N` publishes it later)."""
    try:
        publish_correction(database(), load_settings(), article_id)
    except (NothingToPublish, PersonalDataInEdition, TargetError) as error:
        return f"not yet: {error}"
    return "published"


@router.get("/articles", tags=["articles"])
def articles(actor: Who) -> list[dict]:
    with database().session() as session:
        return list_articles(session)


@router.get("/articles/{article_id}", tags=["articles"])
def article(article_id: ItemId, actor: Who) -> dict:
    with database().session() as session:
        found = list_articles(session, article_id)
    if not found:
        raise HTTPException(404, f"no article {article_id}")
    return found[0]


class AllowIn(BaseModel):
    reason: Text = Field(..., description="Who checked the personal data and why it may be published.")


@router.get("/articles/{article_id}/personal-data", tags=["articles"])
def personal_data(article_id: ItemId, actor: Who) -> list[dict]:
    """Every personal-data finding in the article's latest text and drafts: its id, where, kind, the
    masked form, and what was decided (undecided, allowed with who/when/why, redacted, warning)."""
    require(actor, "submit")
    with database().session() as session:
        try:
            return [item.to_dict() for item in article_findings(session, article_id)]
        except FindingError as error:
            raise HTTPException(error.status, str(error)) from None


@router.post("/articles/{article_id}/personal-data/{finding}/allow", tags=["articles"])
def allow_personal_data(article_id: ItemId, finding: Annotated[str, Path(max_length=64)], body: AllowIn,
                        actor: Who) -> dict:
    """Allow one finding (that identifier, in this article only), with the reason; who and when are recorded."""
    require(actor, "submit")
    with database().session() as session:
        try:
            return allow_finding(session, article_id, finding, body.reason, actor.name).to_dict()
        except FindingError as error:
            raise HTTPException(error.status, str(error)) from None


@router.get("/articles/{article_id}/revisions", tags=["articles"])
def revisions(article_id: ItemId, actor: Who) -> list[dict]:
    with database().session() as session:
        found = session.get(Article, article_id)
        if found is None:
            raise HTTPException(404, f"no article {article_id}")
        return [{"number": r.number, "title": r.title, "date": r.date.isoformat() if r.date else None,
                 "submitted_by": r.submitted_by, "created_at": r.created_at.isoformat(timespec="seconds"),
                 "blocks": r.blocks, "translations": [{"id": t.id, "lang": t.target_lang, "state": t.state}
                                                      for t in r.translations]}
                for r in found.revisions]


@router.get("/translations", tags=["translations"])
def translations(actor: Who, state: list[str] | None = Query(None), lang: str | None = None) -> list[dict]:
    with database().session() as session:
        return list_translations(session, state, lang)


@router.get("/translations/{translation_id}", tags=["translations"])
def translation(translation_id: ItemId, actor: Who) -> dict:
    """A translation with its segments: source, machine output, current text, version, flags, terms."""
    with database().session() as session:
        return translation_detail(actions.get_translation(session, translation_id))

class SegmentEdit(BaseModel):
    text: Text
    version: int = Field(..., description="The version the reviewer started from; a newer one on the server is 409.")


@router.put("/translations/{translation_id}/segments/{ref}", tags=["review"],
            responses={409: {"description": "the segment changed since `version`; the body has the current text"}})


def edit_segment(translation_id: ItemId, ref: str, body: SegmentEdit, actor: Who) -> dict:
    """Save a reviewer's text for one segment (by id or position); QA runs again on it."""
    with database().session() as session:
        translation = translation_for(session, translation_id, actor, "edit_segment")
        glossary = article_terms(load_settings(), translation.revision.glossary)
        segment = actions.edit_segment(session, translation_id, ref, body.text, actor.name, body.version, glossary)
        return segment_view(segment)

class SegmentApproval(BaseModel):
    version: int | None = None


@router.post("/translations/{translation_id}/segments/{ref}/approve", tags=["review"])
def approve_segment(translation_id: ItemId, ref: str, actor: Who, body: SegmentApproval | None = None) -> dict:
    with database().session() as session:
        translation_for(session, translation_id, actor, "approve")
        segment = actions.approve_segment(session, translation_id, ref, actor.name, body.version if body else None)
        return segment_view(segment)

class Approval(BaseModel):
    override: Text | None = Field(None, description="Why QA error flags are accepted; required when there are any.")
    publish: bool = Field(True, description="Queue publishing after approval.")


@router.post("/translations/{translation_id}/approve", tags=["review"])
def approve(translation_id: ItemId, actor: Who, body: Approval | None = None) -> dict:
    """Approve every segment and the translation; publishing is queued."""
    body = body or Approval()
    db = database()
    with db.session() as session:
        translation_for(session, translation_id, actor, "approve")
        actions.approve(session, translation_id, actor.name, override=body.override)
    queued = enqueue_publication(db, translation_id, on_approval=True) if body.publish else False
    return {"id": translation_id, "state": "approved", "publishing": queued}

class CommentIn(BaseModel):
    body: Text
    segment: Text | None = Field(None, description="A segment id or position the comment is about.")

class ChangesIn(BaseModel):
    body: Text = Field(..., description="What should change.")
    retranslate: bool = Field(False, description="Send it back to machine translation, not only to the translators.")


@router.post("/translations/{translation_id}/request-changes", tags=["review"])
def request_changes(translation_id: ItemId, body: ChangesIn, actor: Who) -> dict:
    with database().session() as session:
        translation_for(session, translation_id, actor, "request_changes")
        state = actions.request_changes(session, translation_id, body.body, actor.name, body.retranslate).state
    if body.retranslate:
        enqueue_translations([translation_id])
    return {"id": translation_id, "state": state}


@router.post("/translations/{translation_id}/retry", tags=["review"])
def retry(translation_id: ItemId, actor: Who) -> dict:
    """Translate a failed translation again (after fixing what its `error` says)."""
    with database().session() as session:
        translation_for(session, translation_id, actor, "request_changes")
        state = actions.retry_failed(session, translation_id).state
    enqueue_translations([translation_id])
    return {"id": translation_id, "state": state}


@router.get("/translations/{translation_id}/comments", tags=["review"])
def comments(translation_id: ItemId, actor: Who) -> list[dict]:
    with database().session() as session:
        actions.get_translation(session, translation_id)
        return [{"id": c.id, "author": c.author, "body": c.body, "segment_id": c.segment_id,
                 "created_at": c.created_at.isoformat(timespec="seconds")}
                for c in actions.comments_of(session, translation_id)]


@router.post("/translations/{translation_id}/comments", status_code=201, tags=["review"])
def add_comment(translation_id: ItemId, body: CommentIn, actor: Who) -> dict:
    require(actor, "comment")
    with database().session() as session:
        comment = actions.add_comment(session, translation_id, body.body, actor.name, body.segment)
        return {"id": comment.id, "author": comment.author, "body": comment.body}


@router.get("/translations/{translation_id}/history", tags=["review"])
def history(translation_id: ItemId, actor: Who) -> list[dict]:
    with database().session() as session:
        translation = actions.get_translation(session, translation_id)
        where = {s.id: actions.position(s) for s in translation.segments}
        return [{"segment": where.get(c.segment_id), "segment_id": c.segment_id, "action": c.action,
                 "version": c.version, "text": c.text, "author": c.author,
                 "at": c.created_at.isoformat(timespec="seconds")}
                for c in actions.history_of(session, translation_id)]


@router.get("/translations/{translation_id}/po", tags=["review"], response_class=Response,
            responses={200: {"content": {"text/x-gettext-translation": {}}}})


def export_po(translation_id: ItemId, actor: Who) -> Response:
    """The draft as a PO file, for offline review in any PO editor."""
    with database().session() as session:
        translation = actions.get_translation(session, translation_id)
        text = export(translation)
        name = f"{translation.revision.article.slug}.{translation.target_lang}.po"
    return Response(text, media_type="text/x-gettext-translation; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.put("/translations/{translation_id}/po", tags=["review"],
            responses={422: {"description": "the file has problems (listed); nothing was applied"}},
            openapi_extra={"requestBody": {"required": True, "content": {
                "text/x-gettext-translation": {"schema": {"type": "string"}}}}})
async def import_po(translation_id: ItemId, request: Request, actor: Who) -> dict:
    """Apply a reviewed PO file (the request body): all of it, or nothing with a list of problems."""
    data = await request.body()
    with database().session() as session:
        return apply_for(session, load_settings(), translation_id, data, f"translation-{translation_id}.po", actor,
                         "po")


@router.post("/translations/{translation_id}/publish", status_code=202, tags=["publishing"])
def publish(translation_id: ItemId, actor: Who) -> dict:
    """Queue publishing of an approved translation (publishers only)."""
    require(actor, "publish")
    db = database()
    with db.session() as session:
        translation = actions.get_translation(session, translation_id)
        if translation.state not in (TranslationState.APPROVED, TranslationState.PUBLISHED):
            raise HTTPException(409, f"translation {translation_id} is {translation.state}; approve it first")
    enqueue_publication(db, translation_id)
    return {"id": translation_id, "publishing": True}


@router.get("/glossary", tags=["glossary"])
def glossary(actor: Who, search: str | None = None, type: str | None = None) -> list[dict]:
    terms = cached_glossary(load_settings().glossary_paths).terms
    return [{"id": t.id, "type": t.type, "forms": t.forms, "note": t.note, "abbreviations": t.abbreviations,
             "short_forms": t.short_forms, "valid_from": t.valid_from and t.valid_from.isoformat(),
             "valid_to": t.valid_to and t.valid_to.isoformat()} for t in terms
            if (not type or t.type == type)
            and (not search or any(search.casefold() in f.casefold() for f in t.forms.values()))]

class TermIn(BaseModel):
    forms: dict[Text, Text] = Field(..., description='Approved form per language, e.g. {"ko": "…", "en": "…"}.')
    type: Text = "other"
    note: Text = ""
    id: Text = Field("", description="Concept id; rows sharing one are the periods of a dated concept.")
    valid_from: Text = Field("", description="First day the forms are valid, YYYY-MM-DD (empty: always were).")
    valid_to: Text = Field("", description="Last day they are valid, YYYY-MM-DD (empty: still valid).")


@router.post("/glossary", status_code=201, tags=["glossary"])
def add_term(body: TermIn, actor: Who) -> dict:
    """Add a concept to the last active CSV glossary (admins)."""
    require(actor, "manage_glossary")
    extra = {"id": body.id, "valid_from": body.valid_from, "valid_to": body.valid_to}
    try:
        with database().session() as session:  # GlossaryError: a problem document
            file = add_concept(session, load_settings().glossary_paths, body.forms, body.type, body.note, extra,
                               actor.name)
    except FileNotFoundError as error:
        raise HTTPException(409, str(error)) from None
    return {"file": file.name, "forms": body.forms}

class UserIn(BaseModel):
    # The schema says what add_user accepts; add_user itself checks it, with messages that say what to do.
    name: Text = Field(..., json_schema_extra={"pattern": USER_NAME.pattern})
    roles: list[Text] = Field(..., min_length=1, description="At least one of editor, reviewer, publisher, admin.",
                              json_schema_extra={"items": {"type": "string", "enum": list(ROLES)}})
    languages: list[Text] = Field(default_factory=list, description="Required for a reviewer; * for all.",
                                  json_schema_extra={"items": {"type": "string",
                                                               "enum": [*EDITION_LANGUAGES, "*"]}})
    password: Text | None = Field(None, description="At least 8 characters; none: tokens only.",
                                  json_schema_extra={"anyOf": [{"type": "string", "minLength": 8}, {"type": "null"}]})


@router.get("/users", tags=["users"])
def users(actor: Who) -> list[dict]:
    require(actor, "manage_users")
    with database().session() as session:
        return [{"name": u.name, "roles": u.roles, "languages": u.languages, "active": u.active}
                for u in session.scalars(select(User).order_by(User.name))]


@router.post("/users", status_code=201, tags=["users"])
def add_user(body: UserIn, actor: Who) -> dict:
    require(actor, "manage_users")
    with database().session() as session:
        user = add(session, body.name, body.roles, body.languages, body.password)
        return {"name": user.name, "roles": user.roles, "languages": user.languages}


@router.post("/users/{name}/tokens", status_code=201, tags=["users"])
def new_token(name: str, actor: Who, label: str = "") -> dict:
    """A new API token (shown once). Admins for anyone; everyone for themselves."""
    if name != actor.name:
        require(actor, "manage_users")
    with database().session() as session:
        return {"name": name, "token": issue_token(session, name, label)}


def _not_oneself(actor: Actor, name: str) -> None:
    require(actor, "manage_users")
    if actor.name == name:
        raise HTTPException(409, f"{name} cannot do that to their own account; another admin must")


@router.post("/users/{name}/deactivate", tags=["users"])
def deactivate_user(name: str, actor: Who) -> dict:
    """Stop a user: their tokens, password and desk sessions open nothing (admins; not oneself)."""
    return _set_active(actor, name, False)


@router.post("/users/{name}/activate", tags=["users"])
def activate_user(name: str, actor: Who) -> dict:
    """Let a deactivated user in again (admins; not oneself)."""
    return _set_active(actor, name, True)


def _set_active(actor, name: str, active: bool) -> dict:
    _not_oneself(actor, name)
    with database().session() as session:
        user = set_active(session, name, active)
        return {"name": user.name, "active": user.active}


@router.delete("/users/{name}", tags=["users"])
def remove_user(name: str, actor: Who) -> dict:
    """Delete a user with their tokens and sessions (admins; not oneself); history keeps the name."""
    _not_oneself(actor, name)
    with database().session() as session:
        delete_user(session, name)
    return {"name": name, "deleted": True}


@router.get("/users/{name}/tokens", tags=["users"])
def list_tokens(name: str, actor: Who) -> list[dict]:
    """A user's tokens (id, label, dates; never the token). Admins for anyone; everyone for themselves."""
    if name != actor.name:
        require(actor, "manage_users")
    with database().session() as session:
        return tokens_of(session, name)


@router.delete("/users/{name}/tokens/{token_id}", tags=["users"])
def delete_token(name: str, token_id: ItemId, actor: Who) -> dict:
    """Revoke a token. Admins for anyone; everyone for themselves."""
    if name != actor.name:
        require(actor, "manage_users")
    with database().session() as session:
        revoke_token(session, name, token_id)
    return {"name": name, "revoked": token_id}
