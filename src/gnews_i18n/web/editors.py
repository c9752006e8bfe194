"""The editors' pages: submit an article (upload or paste, choose its editions), follow each
article's translations and their progress, submit a correction, build and release an issue.

Same session login, CSRF token on every form and role checks as the reviewers' pages
(``pages.py``); what is done is recorded as everywhere else (the submitter on the revision,
who released an issue on the issue, the segment history).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from gnews_i18n.articles.personal_data import PersonalDataError
from gnews_i18n.articles.submission import parse_targets, source_markdown, submit
from gnews_i18n.auth import Forbidden, allowed, require
from gnews_i18n.auth.requests import MAX_ID, ItemId, database
from gnews_i18n.config import load_settings
from gnews_i18n.intake import IntakeError, parse_article
from gnews_i18n.intake.photos import attach_photos
from gnews_i18n.languages import EDITION_LANGUAGES, NAMES
from gnews_i18n.newsletter import issues, subscribers
from gnews_i18n.newsletter.site import release_and_publish
from gnews_i18n.publish import NothingToPublish, PersonalDataInEdition, TargetError, publish_correction
from gnews_i18n.review.progress import progress
from gnews_i18n.store.models import Article, Issue, translated_title
from gnews_i18n.web.common import flash, form_actor, page_actor, render
from gnews_i18n.worker.tasks import dispatch, email_issue, enqueue_translations

router = APIRouter(include_in_schema=False)
FORMATS = ("", "markdown", "text", "html", "json")


def _article_row(article: Article) -> dict:
    latest_by_lang = {}
    for revision in article.revisions:
        for translation in revision.translations:
            latest_by_lang[translation.target_lang] = translation
    return {
        "id": article.id, "slug": article.slug, "title": article.latest.title, "revision": article.latest.number,
        "source_lang": article.source_lang,
        "corrections": [r.number for r in article.revisions if r.correction],
        "live": sorted(e.lang for e in article.editions),
        "translations": [{"id": t.id, "lang": lang, "state": t.state, "revision": t.revision.number,
                          "title": translated_title(t), "progress": str(progress(t))}
                         for lang, t in sorted(latest_by_lang.items())],
    }


@router.get("/articles")
def articles_page(request: Request) -> Response:
    actor = page_actor(request)
    with database().session() as session:
        rows = [_article_row(a) for a in session.scalars(select(Article).order_by(Article.id.desc()))]
    return render(request, "articles.html", {"rows": rows, "can_submit": allowed(actor, "submit")})


def _about(article: Article | None) -> dict | None:
    """What the form shows of the article being corrected (plain data: the session is closed by then)."""
    return None if article is None else {"id": article.id, "slug": article.slug, "title": article.latest.title}


def _form(request: Request, article: dict | None = None, **values) -> Response:
    context = {"languages": [(code, NAMES[code]) for code in EDITION_LANGUAGES], "formats": FORMATS,
               "article": article, "values": {"targets": [], "text": "", "format": "", "lang": "", "correction": "",
                                              "findings": [], "allow_personal_data": "", "allow_findings": [],
                                              **values}}
    return render(request, "submit.html", context, status_code=422 if values.get("error") else 200)


@router.get("/submit")
def submit_page(request: Request) -> Response:
    require_page(request, "submit")
    return _form(request)


@router.get("/articles/{article_id}/correct")
def correct_page(request: Request, article_id: ItemId) -> Response:
    require_page(request, "submit")
    with database().session() as session:
        article = session.get(Article, article_id)
        if article is None:
            raise HTTPException(404, f"no article {article_id}")
        targets = sorted({t.target_lang for r in article.revisions for t in r.translations})
        return _form(request, _about(article), text=source_markdown(article.latest), format="markdown",
                     targets=targets)


def require_page(request: Request, action: str) -> None:
    try:
        require(page_actor(request), action)
    except Forbidden as error:
        raise HTTPException(403, str(error)) from None


SUFFIX_FORMATS = {".md": "markdown", ".markdown": "markdown", ".txt": "text", ".html": "html", ".htm": "html",
                  ".json": "json"}


@router.post("/submit")
async def submit_form(request: Request, csrf: str = Form(""), text: str = Form(""), format: str = Form(""),
                      lang: str = Form(""), targets: list[str] = Form([]), correction: str = Form(""),
                      article_id: str = Form(""), file: UploadFile | None = File(None),
                      redact_personal_data: str = Form(""), allow_personal_data: str = Form(""),
                      allow_findings: list[str] = Form([]),
                      photos: list[UploadFile] = File([])) -> Response:
    """Take in an upload or pasted text, record it (as a correction when a note is given), queue its jobs.
    Personal data nobody decided about sends the form back with each finding listed and the text
    kept (an upload's too), to be masked, allowed with a reason (all, or the findings ticked) or edited."""
    actor = form_actor(request, csrf)
    values = {"text": text, "format": format, "lang": lang, "targets": targets, "correction": correction,
              "allow_personal_data": allow_personal_data, "allow_findings": allow_findings}
    with database().session() as session:
        article = (_about(session.get(Article, int(article_id)))
                   if article_id.isdecimal() and int(article_id) <= MAX_ID else None)
    try:
        require(actor, "submit")
        data, name = (await file.read(), file.filename or "upload") if file and file.filename else (
            text.encode("utf-8"), "pasted.md" if format in ("", "markdown") else f"pasted.{format}")
        if file and file.filename:  # if the form comes back, the upload's text is in it: nothing to choose again
            values["text"] = data.decode("utf-8", "replace")
            values["format"] = format or SUFFIX_FORMATS.get(Path(file.filename).suffix.lower(), "")
        if not data.strip():
            raise IntakeError("nothing to submit: choose a file or paste the article")
        settings = load_settings()
        parsed = parse_article(data, name, lang=lang or None, fmt=format or None,
                               max_bytes=settings.max_article_bytes)
        allow = allow_personal_data.strip() if allow_personal_data.strip() or allow_findings else None
        if allow_findings and not allow:
            raise IntakeError("to allow the findings ticked, say why they may be published (the reason is "
                              "recorded with your name)")
        uploads = {photo.filename: await photo.read() for photo in photos if photo.filename}
        attach_photos(parsed, uploads, name, max_bytes=settings.max_photo_bytes, max_pixels=settings.max_photo_pixels)
        with database().session() as session:
            result = submit(session, parsed, parse_targets(targets, parsed.lang), submitted_by=actor.name,
                            correction=correction if article is not None else None,
                            redact_personal_data=bool(redact_personal_data), allow_personal_data=allow,
                            allow_findings=allow_findings or None, raw=data.decode("utf-8", "replace"))
    except PersonalDataError as error:
        message = ("Personal data found: nothing was stored or sent to translation. Remove or mask it in the text "
                   "below and submit again; or tick “Mask them before storing”; or, if a person checked that it may "
                   "be published, give the reason and tick the findings it covers (none ticked: all of them).")
        return _form(request, article, error=message, findings=[item.to_dict() for item in error.located], **values)
    except (IntakeError, Forbidden) as error:
        return _form(request, article, error=str(error), **values)
    if result.translation_ids:
        enqueue_translations(result.translation_ids)
    if article is not None and result.new_revision:  # the source edition shows the correction at once
        try:
            publish_correction(database(), load_settings(), result.article_id)
        except (NothingToPublish, PersonalDataInEdition, TargetError) as error:
            flash(request, f"The corrected source page is not published yet: {error}. A publisher can publish "
                           "it from the article's page.", "error")
    kind = "correction" if article is not None else ("revision" if result.new_revision else "unchanged")
    decided = {"allowed": " Personal data allowed (reason recorded).",
               "redacted": " Personal data masked before storing."}.get(result.personal_data_decision or "", "")
    flash(request, f"Article {result.article_id} ({parsed.slug}), revision {result.revision_number} ({kind}): "
                    f"{len(result.translation_ids)} translation(s) queued.{decided}")
    return RedirectResponse(f"/articles#article-{result.article_id}", status_code=303)


# Issues ------------------------------------------------------------------------------------
@router.get("/issues")
def issues_page(request: Request) -> Response:
    actor = page_actor(request)
    with database().session() as session:
        rows = [issues.describe(i) for i in session.scalars(select(Issue).order_by(Issue.number.desc()))]
        number = issues.next_number(session)
    return render(request, "issues.html", {"rows": rows, "next": number, "today": dt.date.today().isoformat(),
                                            "can_build": allowed(actor, "build_issue"),
                                            "languages": [(code, NAMES[code]) for code in EDITION_LANGUAGES]})


@router.post("/issues")
def create_issue(request: Request, csrf: str = Form(""), number: int = Form(...), date: str = Form(""),
                 title: str = Form(""), languages: list[str] = Form([])) -> Response:
    actor = form_actor(request, csrf)
    try:
        require(actor, "build_issue")
        with database().session() as session:
            issues.create_issue(session, number, dt.date.fromisoformat(date) if date else dt.date.today(),
                                {"en": title.strip()} if title.strip() else {}, languages or None)
    except (issues.IssueError, Forbidden, ValueError) as error:
        flash(request, str(error), "error")
        return RedirectResponse("/issues", status_code=303)
    return RedirectResponse(f"/issues/{number}", status_code=303)


@router.get("/issues/{number}")
def issue_page(request: Request, number: ItemId) -> Response:
    actor = page_actor(request)
    with database().session() as session:
        try:
            issue = issues.get_issue(session, number)
        except issues.IssueError as error:
            raise HTTPException(404, str(error)) from None
        detail = issues.describe(issue)
        inside = {e.article_id for e in issue.entries}
        candidates = [(a.id, a.slug, a.latest.title) for a in session.scalars(select(Article).order_by(Article.id))
                      if a.id not in inside]
    return render(request, "issue.html", {"issue": detail, "candidates": candidates,
                                           "languages": [(code, NAMES[code]) for code in EDITION_LANGUAGES],
                                           "can_send": allowed(actor, "release_issue") and bool(detail["released_at"]),
                                           "can_build": allowed(actor, "build_issue") and not detail["released_at"],
                                           "can_release": allowed(actor, "release_issue")
                                           and not detail["released_at"]})


def _issue_action(request: Request, csrf: str, number: int, action: str, change) -> Response:
    actor = form_actor(request, csrf)
    try:
        require(actor, action)
        message = change(actor)
    except (issues.IssueError, Forbidden) as error:
        flash(request, str(error), "error")
    else:
        flash(request, message)
    return RedirectResponse(f"/issues/{number}", status_code=303)


@router.post("/issues/{number}/add")
def add_to_issue(request: Request, number: ItemId, csrf: str = Form(""), article: int = Form(...)) -> Response:
    def change(_actor) -> str:
        with database().session() as session:
            issues.add_article(session, issues.get_issue(session, number), article)
        return f"Article {article} added."
    return _issue_action(request, csrf, number, "build_issue", change)


@router.post("/issues/{number}/remove")
def remove_from_issue(request: Request, number: ItemId, csrf: str = Form(""), article: int = Form(...)) -> Response:
    def change(_actor) -> str:
        with database().session() as session:
            issues.remove_article(session, issues.get_issue(session, number), article)
        return f"Article {article} removed."
    return _issue_action(request, csrf, number, "build_issue", change)


@router.post("/issues/{number}/release")
def release_issue(request: Request, number: ItemId, csrf: str = Form(""), missing_reason: str = Form("")) -> Response:
    def change(actor) -> str:
        try:
            result = release_and_publish(database(), load_settings(), number, actor.name,
                                         missing_reason.strip() or None)
        except issues.GateClosed as closed:  # said in this page's words, not the CLI's flag
            waiting = "; ".join(str(b) for b in closed.blockers)
            raise issues.IssueError(
                f"Issue {number} cannot be released yet: {len(closed.blockers)} translation(s) are not approved "
                f"({waiting}). Approve them, or write why it should go out without them in “Release without "
                "them, because” and press Release again.") from None
        return f"Issue {number} released: {len(result['written'])} file(s) published."
    return _issue_action(request, csrf, number, "release_issue", change)


@router.post("/issues/{number}/titles")
async def retitle_issue(request: Request, number: ItemId) -> Response:
    """The title in every language (fields ``title_<lang>``; an empty one removes it), until release."""
    form = await request.form()
    titles = {code: str(form.get(f"title_{code}", "")) for code in EDITION_LANGUAGES if f"title_{code}" in form}

    def change(_actor) -> str:
        with database().session() as session:
            issues.set_titles(session, issues.get_issue(session, number), titles)
        return f"Issue {number}: titles saved."
    return _issue_action(request, str(form.get("csrf", "")), number, "build_issue", change)


@router.post("/issues/{number}/email")
def email_issue_page(request: Request, number: ItemId, csrf: str = Form("")) -> Response:
    """Send the released issue to every active subscriber: a job for the workers."""
    def change(_actor) -> str:
        with database().session() as session:
            if not issues.get_issue(session, number).released:
                raise issues.IssueError(f"Issue {number} is not released yet; release it first.")
        if not dispatch(email_issue, number, None):
            raise issues.IssueError("The job queue cannot be reached now; nothing was sent. Try again later.")
        return f"Issue {number}: a job sends it to every active subscriber, each in their language, once."
    return _issue_action(request, csrf, number, "release_issue", change)


# Subscribers --------------------------------------------------------------------------------
@router.get("/subscribers")
def subscribers_page(request: Request) -> Response:
    require_page(request, "manage_subscribers")
    with database().session() as session:
        counts = subscribers.counts(session)
    statuses = [s.value for s in subscribers.Status]
    return render(request, "subscribers.html", {"counts": counts, "statuses": statuses})
