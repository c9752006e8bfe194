"""Every refusal as a problem-details answer, and every answer an operation can give in OpenAPI."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match, Mount

from gnews_i18n.api.problems import Problem, problem, response_doc
from gnews_i18n.articles.personal_data import PersonalDataError
from gnews_i18n.auth import Forbidden, UserError
from gnews_i18n.auth.users import NoSuchUser
from gnews_i18n.intake import IntakeError
from gnews_i18n.intake.article import ArticleTooLarge
from gnews_i18n.review.actions import NotFound, PersonalDataInDraft, ReviewError, StaleEdit
from gnews_i18n.review.po import PoImportError
from gnews_i18n.terms import GlossaryError

log = logging.getLogger("gnews_i18n.api")


def field_name(loc: tuple | list) -> str:
    """``("body", "blocks", 0, "level")`` → ``body.blocks[0].level``."""
    name = ""
    for part in loc:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name


def allowed_methods(app: FastAPI, scope: dict) -> list[str]:
    """The methods some route serves at this path (Starlette's own Allow names only the first route's)."""
    methods: set[str] = set()
    for route in app.router.routes:
        if isinstance(route, Mount):
            if route.matches(scope)[0] != Match.NONE:
                methods |= {"GET", "HEAD"}  # static files
            continue
        for method in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"):
            if route.matches({**scope, "method": method})[0] == Match.FULL:
                methods.add(method)
    return sorted(methods)


def install_error_handlers(app: FastAPI) -> None:
    """Domain errors become problem answers whose ``detail`` says what to do next."""

    @app.exception_handler(StarletteHTTPException)
    def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        headers = dict(error.headers or {})
        if error.status_code == 400 and error.detail == "There was an error parsing the body":
            # FastAPI's answer to a body that is not UTF-8 JSON: an invalid request like any other.
            return problem(422, "body: not valid JSON (or not UTF-8); send a JSON object as the schema describes",
                           field="body")
        if error.status_code == 405:
            # A fresh scope: inside a mount the request's own scope has the mount's root_path.
            fresh = {"type": "http", "path": request.url.path, "root_path": "", "method": request.method}
            headers["Allow"] = ", ".join(allowed_methods(app, fresh))
        detail = error.detail if isinstance(error.detail, str) else str(error.detail)
        if error.status_code == 404 and detail == "Not Found":
            detail = f"nothing at {request.url.path}; the API is described at /docs"
        elif error.status_code == 405:
            detail = f"{request.method} is not allowed on {request.url.path}; use {headers['Allow']}"
        return problem(error.status_code, detail, headers=headers or None)

    @app.exception_handler(RequestValidationError)
    def invalid_request(_request: Request, error: RequestValidationError) -> JSONResponse:
        errors = [{"field": field_name(e.get("loc", ())), "message": str(e.get("msg", "invalid"))}
                  for e in error.errors()]
        first = errors[0] if errors else {"field": "", "message": "invalid request"}
        return problem(422, f"{first['field']}: {first['message']}" if first["field"] else first["message"],
                       field=first["field"] or None, errors=errors)

    @app.exception_handler(StaleEdit)
    def stale(_request: Request, error: StaleEdit) -> JSONResponse:
        return problem(409, str(error), code="stale_edit", current_text=error.current_text,
                       current_version=error.current_version)

    @app.exception_handler(NotFound)
    def not_found(_request: Request, error: NotFound) -> JSONResponse:
        return problem(404, str(error))

    @app.exception_handler(PersonalDataInDraft)
    def personal_data_in_draft(_request: Request, error: PersonalDataInDraft) -> JSONResponse:
        return problem(409, str(error), code="personal_data", problems=[item.to_dict() for item in error.located])

    @app.exception_handler(ReviewError)
    def conflict(_request: Request, error: ReviewError) -> JSONResponse:
        return problem(409, str(error))

    @app.exception_handler(Forbidden)
    def forbidden(_request: Request, error: Forbidden) -> JSONResponse:
        return problem(403, str(error))

    @app.exception_handler(PoImportError)
    def po_problems(_request: Request, error: PoImportError) -> JSONResponse:
        return problem(422, str(error), code="po_problems", field="body", problems=error.problems)

    @app.exception_handler(GlossaryError)
    def glossary_problems(_request: Request, error: GlossaryError) -> JSONResponse:
        return problem(422, str(error), code="glossary_problems", problems=[str(p) for p in error.problems])

    @app.exception_handler(PersonalDataError)
    def personal_data(_request: Request, error: PersonalDataError) -> JSONResponse:
        return problem(422, str(error), code="personal_data", field="body.content",
                       problems=[item.to_dict() for item in error.located])

    @app.exception_handler(IntakeError)
    def intake(_request: Request, error: IntakeError) -> JSONResponse:
        status = 413 if isinstance(error, ArticleTooLarge) else 422
        return problem(status, str(error), field=error.field)

    @app.exception_handler(UserError)
    def user_error(_request: Request, error: UserError) -> JSONResponse:
        return problem(404 if isinstance(error, NoSuchUser) else 422, str(error))

    @app.exception_handler(Exception)
    def internal(_request: Request, error: Exception) -> JSONResponse:
        # The traceback goes to the server log, never to the client.
        log.error("unhandled error", exc_info=error)
        return problem(500, "internal error; the server log has the details")


def _codes(path: str, method: str, operation: dict) -> dict[int, str]:
    if not path.startswith("/api/"):
        return {}
    codes = {400: "the path or query string holds a NUL character (api.middleware.RefuseNul)",
             401: "no or an invalid API token (or web session)",
             403: "the user's roles or languages do not allow it, or the CSRF token is missing"}
    if "{" in path:
        codes[404] = "no such item"
    if operation.get("parameters") or operation.get("requestBody"):
        codes[422] = "a parameter or the body is invalid; `field` names it"
    if method in ("post", "put", "patch", "delete"):
        codes[409] = "the action does not apply in the item's current state"
    elif path.endswith(("/po", "/xliff")):  # an export: refused while the draft carries undecided personal data
        codes[409] = "the draft carries personal data nobody allowed (`code: personal_data`, `problems`)"
    if operation.get("requestBody"):
        codes[413] = "the request body is larger than the limit"
    return codes


def document_problems(app: FastAPI) -> None:
    """OpenAPI lists, for each operation, every error it can answer, all with the Problem body."""

    def openapi() -> dict:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        schemas = schema.setdefault("components", {}).setdefault("schemas", {})
        schemas.pop("HTTPValidationError", None)
        schemas.pop("ValidationError", None)
        schemas["Problem"] = Problem.model_json_schema()
        for path, operations in schema.get("paths", {}).items():
            for method, operation in operations.items():
                responses = operation.setdefault("responses", {})
                for status, description in _codes(path, method, operation).items():
                    old = responses.get(str(status), {}).get("description")
                    responses[str(status)] = response_doc(old if old and status != 422 else description)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi
