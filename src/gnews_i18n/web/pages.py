"""The reviewers' pages: login, the queue, a translation side by side, its history.

Pages read through the same review actions as the API and the CLI. Forms post with
the session's CSRF token; segment edits and approvals go to the REST API from the
page's script with the token in ``X-CSRF-Token``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, FastAPI, Form, HTTPException, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import select

from gnews_i18n.articles.queries import state_counts, translation_detail, translation_summary
from gnews_i18n.auth import Forbidden, allowed, authenticate, require, throttle
from gnews_i18n.auth.requests import ItemId, csrf_ok, csrf_token, database
from gnews_i18n.auth.users import end_session, start_session
from gnews_i18n.config import load_settings
from gnews_i18n.privacy import mask
from gnews_i18n.publish.negotiation import preferred_language
from gnews_i18n.qa import flag_labels
from gnews_i18n.review import actions
from gnews_i18n.review.access import translation_for
from gnews_i18n.review.files import apply_for, export_review, format_for
from gnews_i18n.review.personal_data import FindingError, allow_finding
from gnews_i18n.review.po import PoImportError, export_po
from gnews_i18n.states import TranslationState
from gnews_i18n.store.models import ArticlePhoto, Translation, article_authors, utcnow
from gnews_i18n.web.accounts import router as accounts_pages
from gnews_i18n.web.common import HERE, LoginRequired, flash, form_actor, page_actor, render, templates
from gnews_i18n.web.editors import router as editors_pages
from gnews_i18n.web.reader import router as reader_pages
from gnews_i18n.web.render import highlight, word_diff
from gnews_i18n.web.terminology import router as terminology_pages
from gnews_i18n.worker.tasks import enqueue_publication, enqueue_translations

router = APIRouter(include_in_schema=False)
OPEN_STATES = [TranslationState.IN_REVIEW, TranslationState.CHANGES_REQUESTED]


def _safe_next(url: str | None) -> str:
    return url if url and url.startswith("/") and not url.startswith("//") else "/queue"


@router.get("/login")
def login_page(request: Request, next: str = "/queue") -> HTMLResponse:
    return render(request, "login.html", {"next": _safe_next(next), "error": None})


@router.post("/login")
def login(request: Request, name: str = Form(...), password: str = Form(...), csrf: str = Form(""),
          next: str = Form("/queue")) -> Response:
    if not csrf_ok(request, csrf):
        return render(request, "login.html", {"next": _safe_next(next), "error": "The form expired; try again."},
                       status_code=403)
    name, address = name.strip()[:100], request.client.host if request.client else "unknown"
    limits = throttle.Limits.of(load_settings())
    with database().session() as session:
        wait = throttle.retry_after(session, name, address, limits)
        if wait:
            throttle.log.warning("login throttled: account %r from %s, %d s to wait", name, address, wait)
            return render(request, "login.html", {"next": _safe_next(next), "error": (
                f"Too many wrong passwords for this account or from this address; try again in {wait} s, "
                "or ask an admin to unlock it (`gnews-i18n users unlock NAME`).")},
                status_code=429, headers={"Retry-After": str(wait)})
        actor = authenticate(session, name, password)
        if actor is None:
            throttle.record_failure(session, name, address, limits)
            throttle.log.info("login failed: account %r from %s", name, address)
        else:
            throttle.record_success(session, name)
            key = start_session(session, actor)
    if actor is None:
        return render(request, "login.html", {"next": _safe_next(next),
                                               "error": "Wrong name or password."}, status_code=401)
    request.session.clear()  # a fresh session (and CSRF token) on login: no fixation
    request.session["sid"] = key
    csrf_token(request)
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request, csrf: str = Form("")) -> Response:
    """End the session on the server too: a copy of the cookie opens nothing afterwards."""
    if csrf_ok(request, csrf):
        with database().session() as session:
            end_session(session, request.session.get("sid"))
        request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.get("/docs")
def api_docs(request: Request) -> HTMLResponse:
    """Swagger UI for the REST API; its script is /static/docs.js (no inline script under the CSP)."""
    return templates.TemplateResponse(request, "docs.html", {})


@router.get("/")
def home() -> Response:
    return RedirectResponse("/queue", status_code=303)


@router.get("/queue")
def queue(request: Request, lang: str = "", state: str = "", article: str = "", older_than: str = "") -> Response:
    """Translations waiting, oldest first, with counts per state."""
    actor = page_actor(request)
    states = list(TranslationState) if state == "all" else ([state] if state else OPEN_STATES)
    # A reviewer first sees the languages they review; "all" is one click away.
    own = sorted(actor.languages) if "reviewer" in actor.roles and "*" not in actor.languages else []
    languages = [lang] if lang and lang != "all" else (own if not lang else [])
    with database().session() as session:
        query = (select(Translation).where(Translation.state.in_(states))
                 .order_by(Translation.created_at, Translation.id))
        if languages:
            query = query.where(Translation.target_lang.in_(languages))
        if older_than.strip().isdecimal():  # isdigit() also passes "²", which int() refuses
            days = min(int(older_than), 36_500)  # beyond a century timedelta overflows; nothing is older anyway
            query = query.where(Translation.created_at <= utcnow() - dt.timedelta(days=days))
        rows = []
        for translation in session.scalars(query):
            summary = translation_summary(translation)
            if article and article.lower() not in summary["slug"] and article != str(summary["article_id"]):
                continue
            summary["age_days"] = (utcnow() - translation.created_at).days
            summary["approved_segments"] = sum(1 for s in translation.segments if s.state == "approved")
            summary["segments"] = len(translation.segments)
            summary["mine"] = allowed(actor, "approve", translation.target_lang)
            rows.append(summary)
        counts = state_counts(session, languages)
    return render(request, "queue.html", {
        "rows": rows, "counts": counts, "states": list(TranslationState),
        "filters": {"lang": lang, "state": state, "article": article, "older_than": older_than},
        "own_languages": own if not lang else [],
    })


@router.get("/t/{translation_id}")
def translation_page(request: Request, translation_id: ItemId) -> Response:
    actor = page_actor(request)
    with database().session() as session:
        translation = actions.get_translation(session, translation_id)
        detail = translation_detail(translation)
        comments = actions.comments_of(session, translation_id)
        submitted_by = article_authors(translation)
    for segment in detail["segments"]:
        segment["source_html"] = highlight(segment["source"], [t.get("source", "") for t in segment["terms"]])
        segment["text_html"] = highlight(segment["text"], [t.get("target", "") for t in segment["terms"]])
    lang = detail["target_lang"]
    return render(request, "translation.html", {
        "t": detail, "comments": comments,
        "can_edit": allowed(actor, "edit_segment", lang) and detail["state"] in OPEN_STATES,
        "can_approve": allowed(actor, "approve", lang, submitted_by) and detail["state"] in OPEN_STATES,
        "can_publish": allowed(actor, "publish") and detail["state"] == TranslationState.APPROVED,
        "can_allow_personal_data": allowed(actor, "submit") and detail["state"] in OPEN_STATES,
        "errors": sum(1 for s in detail["segments"] for f in s["flags"] if f.get("severity") == "error"),
        "site_url": _site_url(detail),
        "flag_labels": flag_labels(),
    })


def _site_url(detail: dict) -> str | None:
    if not detail.get("published_path"):
        return None
    return f"/site/{quote(detail['target_lang'])}/{quote(detail['slug'])}.html"


@router.get("/photos/{photo_id}")
def photo_file(request: Request, photo_id: ItemId) -> Response:
    """A stored photo (as cleaned at submit), for the review desk's rows; signed-in users only."""
    page_actor(request)
    with database().session() as session:
        photo = session.get(ArticlePhoto, photo_id)
        if photo is None:
            raise HTTPException(404, f"no photo {photo_id}")
        return Response(photo.data, media_type=photo.media_type,
                        headers={"Cache-Control": "private, max-age=3600"})


@router.get("/t/{translation_id}/history")
def history_page(request: Request, translation_id: ItemId) -> Response:
    page_actor(request)
    with database().session() as session:
        translation = actions.get_translation(session, translation_id)
        segments = {s.id: s for s in translation.segments}
        changes = [{"at": c.created_at, "author": c.author, "action": c.action, "version": c.version,
                    "segment": actions.position(segments[c.segment_id]) if c.segment_id in segments else "?",
                    "text": c.text,
                    "diff": word_diff(segments[c.segment_id].machine_text, c.text) if c.segment_id in segments
                    else c.text}
                   for c in actions.history_of(session, translation_id)]
        title = translation.revision.title
    return render(request, "history.html", {"id": translation_id, "title": title, "changes": changes})


@router.post("/t/{translation_id}/approve")
def approve_all(request: Request, translation_id: ItemId, csrf: str = Form(""), override: str = Form("")) -> Response:
    actor = form_actor(request, csrf)
    db = database()
    try:
        with db.session() as session:
            translation_for(session, translation_id, actor, "approve")
            actions.approve(session, translation_id, actor.name, override=override or None)
    except (actions.ReviewError, Forbidden) as error:
        flash(request, str(error), "error")
    else:
        if enqueue_publication(db, translation_id, on_approval=True):
            flash(request, "Approved. Publishing is queued; this page shows the link once it is live.")
        else:
            flash(request, "Approved. A publisher publishes it (publishing on approval is off).")
    return RedirectResponse(f"/t/{translation_id}", status_code=303)


@router.post("/t/{translation_id}/personal-data/{finding}/allow")
def allow_personal_data(request: Request, translation_id: ItemId, finding: str, csrf: str = Form(""),
                        reason: str = Form("")) -> Response:
    """An editor allows one personal-data finding of the draft's article, with the reason (recorded)."""
    actor = form_actor(request, csrf)
    try:
        require(actor, "submit")
        with database().session() as session:
            article_id = actions.get_translation(session, translation_id).revision.article_id
            item = allow_finding(session, article_id, finding, reason, actor.name)
    except (actions.ReviewError, Forbidden, FindingError) as error:
        flash(request, str(error), "error")
    else:
        flash(request, f"{item.located.finding.name} {mask(item.located.finding)} allowed for this article "
                       "(your name and reason are recorded).")
    return RedirectResponse(f"/t/{translation_id}", status_code=303)


@router.post("/t/{translation_id}/request-changes")
def request_changes(request: Request, translation_id: ItemId, csrf: str = Form(""), comment: str = Form(""),
                    retranslate: str = Form("")) -> Response:
    actor = form_actor(request, csrf)
    try:
        with database().session() as session:
            translation_for(session, translation_id, actor, "request_changes")
            actions.request_changes(session, translation_id, comment, actor.name, retranslate=bool(retranslate))
    except (actions.ReviewError, Forbidden) as error:
        flash(request, str(error), "error")
    else:
        if retranslate:
            enqueue_translations([translation_id])
            flash(request, "Sent back to machine translation; the new draft appears here when it is done.")
        else:
            flash(request, "Changes requested; the draft stays open for edits.")
    return RedirectResponse(f"/t/{translation_id}", status_code=303)


@router.post("/t/{translation_id}/retry")
def retry(request: Request, translation_id: ItemId, csrf: str = Form("")) -> Response:
    actor = form_actor(request, csrf)
    try:
        with database().session() as session:
            translation_for(session, translation_id, actor, "request_changes")
            actions.retry_failed(session, translation_id)
    except (actions.ReviewError, Forbidden) as error:
        flash(request, str(error), "error")
    else:
        enqueue_translations([translation_id])
        flash(request, "Sent to machine translation again; the draft appears here when it is done.")
    return RedirectResponse(f"/t/{translation_id}", status_code=303)


@router.post("/t/{translation_id}/comment")
def comment(request: Request, translation_id: ItemId, csrf: str = Form(""), body: str = Form("")) -> Response:
    actor = form_actor(request, csrf)
    try:
        require(actor, "comment")
        with database().session() as session:
            actions.add_comment(session, translation_id, body, actor.name)
    except (actions.ReviewError, Forbidden) as error:
        flash(request, str(error), "error")
    return RedirectResponse(f"/t/{translation_id}#comments", status_code=303)


@router.post("/t/{translation_id}/publish")
def publish(request: Request, translation_id: ItemId, csrf: str = Form("")) -> Response:
    actor = form_actor(request, csrf)
    try:
        require(actor, "publish")
    except Forbidden as error:
        flash(request, str(error), "error")
    else:
        enqueue_publication(database(), translation_id)
        flash(request, "Publishing queued.")
    return RedirectResponse(f"/t/{translation_id}", status_code=303)


@router.get("/t/{translation_id}/po")
def download_po(request: Request, translation_id: ItemId) -> Response:
    page_actor(request)
    try:
        with database().session() as session:
            translation = actions.get_translation(session, translation_id)
            name = f"{translation.revision.article.slug}.{translation.target_lang}.po"
            text = export_po(translation)
    except actions.PersonalDataInDraft as error:  # the page says why, with what to do
        flash(request, str(error), "error")
        return RedirectResponse(f"/t/{translation_id}", status_code=303)
    return Response(text, media_type="text/x-gettext-translation; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/t/{translation_id}/xliff")
def download_xliff(request: Request, translation_id: ItemId, version: str = "1.2") -> Response:
    page_actor(request)
    try:
        with database().session() as session:
            actions.get_translation(session, translation_id)
            exported = export_review(session, translation_id, "xliff2" if version == "2.0" else "xliff")
    except actions.PersonalDataInDraft as error:
        flash(request, str(error), "error")
        return RedirectResponse(f"/t/{translation_id}", status_code=303)
    return Response(exported.text, media_type=exported.media_type,
                    headers={"Content-Disposition": f'attachment; filename="{exported.filename}"'})


@router.post("/t/{translation_id}/po")
async def upload_po(request: Request, translation_id: ItemId, file: UploadFile, csrf: str = Form("")) -> Response:
    """Upload a reviewed PO or XLIFF file (told apart by name and content)."""
    actor = form_actor(request, csrf)
    data = await file.read()
    try:
        name = file.filename or "upload.po"
        with database().session() as session:
            result = apply_for(session, load_settings(), translation_id, data, name, actor, format_for(name, data))
    except (PoImportError, actions.ReviewError, Forbidden) as error:
        flash(request, str(error), "error")
    else:
        flash(request, f"{file.filename}: {len(result['edited'])} edited, {len(result['approved'])} approved, "
                        f"{result['unchanged']} unchanged.")
    return RedirectResponse(f"/t/{translation_id}", status_code=303)

class PublicFiles(StaticFiles):
    """The published editions, without their hidden parts (``.gnews-publish/``: manifest and journal)."""
    async def check_config(self) -> None:
        """Nothing published yet is a 404 for each page, not an error."""
        if Path(self.directory).is_dir():
            await super().check_config()

    def get_path(self, scope) -> str:
        path = super().get_path(scope)
        if any(part.startswith(".") and part != "." for part in path.replace("\\", "/").split("/")):
            raise HTTPException(404, "not found")
        return path

    async def get_response(self, path: str, scope) -> Response:
        """``/site/``: the landing page in the reader's language (Accept-Language), where published."""
        if path not in (".", ""):  # an explicit index.html is the default language's
            return await super().get_response(path, scope)
        root = Path(self.directory)
        available = sorted(p.name[len("index."):-len(".html")] for p in root.glob("index.*.html"))
        header = dict(scope.get("headers", [])).get(b"accept-language", b"").decode("latin-1")
        lang = preferred_language(header, available)
        page = root / (f"index.{lang}.html" if lang else "index.html")
        if not page.is_file():
            return await super().get_response(path, scope)
        return FileResponse(page, media_type="text/html; charset=utf-8",
                            headers={"Vary": "Accept-Language", **({"Content-Language": lang} if lang else {})})


def mount_web(app: FastAPI, settings) -> None:
    @app.exception_handler(LoginRequired)
    def to_login(_request: Request, error: LoginRequired) -> Response:
        return RedirectResponse(f"/login?next={quote(error.next_url)}", status_code=303)

    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(reader_pages)  # /site/subscribe, /site/confirm, /site/unsubscribe: before the files
    # A preview of what readers see, so reviewers can check a published edition.
    app.mount("/site", PublicFiles(directory=str(settings.publish_dir), html=True, check_dir=False), name="site")
    app.include_router(router)
    app.include_router(editors_pages)  # articles, submissions, corrections, issues
    app.include_router(terminology_pages)  # the people registry
    app.include_router(accounts_pages)  # admins: deactivate, delete, revoke tokens, unlock logins
