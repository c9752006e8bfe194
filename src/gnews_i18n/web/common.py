"""What every page of the desk shares: templates, who is logged in, flash messages."""

from __future__ import annotations

from importlib import resources

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from gnews_i18n.auth.permissions import Actor
from gnews_i18n.auth.requests import csrf_ok, csrf_token, session_actor, with_a_role

HERE = resources.files("gnews_i18n.web")
templates = Jinja2Templates(directory=str(HERE / "templates"))


class LoginRequired(Exception):
    """A page needs a logged-in user: the app answers with a redirect to /login?next=…"""

    def __init__(self, next_url: str):
        self.next_url = next_url


def page_actor(request: Request) -> Actor:
    """The logged-in user, or LoginRequired."""
    actor = session_actor(request)
    if actor is None:
        raise LoginRequired(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
    return with_a_role(actor)


def form_actor(request: Request, csrf: str) -> Actor:
    """The logged-in user of a form post, which must carry the session's CSRF token."""
    actor = page_actor(request)
    if not csrf_ok(request, csrf):
        raise HTTPException(403, "missing or wrong CSRF token; reload the page and try again")
    return actor


def flash(request: Request, message: str, kind: str = "info") -> None:
    request.session.setdefault("flash", []).append([kind, message])


def render(request: Request, name: str, context: dict, status_code: int = 200,
           headers: dict[str, str] | None = None) -> HTMLResponse:
    context = {"actor": session_actor(request), "csrf": csrf_token(request),
               "flashes": request.session.pop("flash", []), **context}
    return templates.TemplateResponse(request, name, context, status_code=status_code, headers=headers)
