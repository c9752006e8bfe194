"""The admins' page of accounts (``/users``): deactivate, reactivate or delete a user, revoke a token,
lift login throttling. The same actions as `gnews-i18n users …` and ``/api/users/…``."""

from __future__ import annotations

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from gnews_i18n.auth import Forbidden, UserError, require, throttle
from gnews_i18n.auth.requests import ItemId, database
from gnews_i18n.auth.users import delete_user, revoke_token, set_active, tokens_of
from gnews_i18n.store.models import User
from gnews_i18n.web.common import flash, form_actor, page_actor, render

router = APIRouter(include_in_schema=False)


def _admin(actor) -> None:
    try:
        require(actor, "manage_users")
    except Forbidden as error:
        raise HTTPException(403, str(error)) from None


@router.get("/users")
def users_page(request: Request) -> Response:
    _admin(page_actor(request))
    with database().session() as session:
        rows = [{"name": u.name, "roles": u.roles, "languages": u.languages, "active": u.active,
                 "tokens": tokens_of(session, u.name)} for u in session.scalars(select(User).order_by(User.name))]
    return render(request, "users.html", {"rows": rows})


def _act(request: Request, csrf: str, name: str, act, done: str) -> Response:
    actor = form_actor(request, csrf)
    _admin(actor)
    if actor.name == name:
        flash(request, f"{name} cannot do that to their own account; another admin must", "error")
        return RedirectResponse("/users", status_code=303)
    try:
        with database().session() as session:
            act(session)
    except UserError as error:
        flash(request, str(error), "error")
    else:
        flash(request, done)
    return RedirectResponse("/users", status_code=303)


@router.post("/users/{name}/deactivate")
def deactivate(request: Request, name: str, csrf: str = Form("")) -> Response:
    return _act(request, csrf, name, lambda s: set_active(s, name, False), f"{name} deactivated.")


@router.post("/users/{name}/activate")
def activate(request: Request, name: str, csrf: str = Form("")) -> Response:
    return _act(request, csrf, name, lambda s: set_active(s, name, True), f"{name} active again.")


@router.post("/users/{name}/delete")
def delete(request: Request, name: str, csrf: str = Form("")) -> Response:
    return _act(request, csrf, name, lambda s: delete_user(s, name), f"user {name} deleted.")


@router.post("/users/{name}/tokens/{token_id}/revoke")
def revoke(request: Request, name: str, token_id: ItemId, csrf: str = Form("")) -> Response:
    return _act(request, csrf, name, lambda s: revoke_token(s, name, token_id), f"token {token_id} of {name} revoked.")


@router.post("/users/{name}/unlock")
def unlock(request: Request, name: str, csrf: str = Form("")) -> Response:
    return _act(request, csrf, name, lambda s: throttle.unlock(s, name), f"failed logins of {name} forgotten.")
