"""The FastAPI application: the REST API (/api, OpenAPI at /docs) and the reviewers' web desk."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.middleware.sessions import SessionMiddleware

from gnews_i18n import __version__
from gnews_i18n.api.deps import database
from gnews_i18n.auth import Forbidden, UserError
from gnews_i18n.config import load_settings
from gnews_i18n.intake import IntakeError
from gnews_i18n.review.actions import NotFound, ReviewError, StaleEdit
from gnews_i18n.review.po import PoImportError
from gnews_i18n.terms import GlossaryError


def _errors(app: FastAPI) -> None:
    """Domain errors become HTTP answers whose ``detail`` says what to do next."""

    @app.exception_handler(StaleEdit)
    def stale(_request: Request, error: StaleEdit) -> JSONResponse:
        return JSONResponse({"detail": str(error), "current_text": error.current_text,
                             "current_version": error.current_version}, status_code=409)

    @app.exception_handler(NotFound)
    def not_found(_request: Request, error: NotFound) -> JSONResponse:
        return JSONResponse({"detail": str(error)}, status_code=404)

    @app.exception_handler(ReviewError)
    def conflict(_request: Request, error: ReviewError) -> JSONResponse:
        return JSONResponse({"detail": str(error)}, status_code=409)

    @app.exception_handler(Forbidden)
    def forbidden(_request: Request, error: Forbidden) -> JSONResponse:
        return JSONResponse({"detail": str(error)}, status_code=403)

    @app.exception_handler(PoImportError)
    def po_problems(_request: Request, error: PoImportError) -> JSONResponse:
        return JSONResponse({"detail": str(error), "problems": error.problems}, status_code=422)

    @app.exception_handler(GlossaryError)
    def glossary_problems(_request: Request, error: GlossaryError) -> JSONResponse:
        return JSONResponse({"detail": str(error), "problems": [str(p) for p in error.problems]}, status_code=422)

    for kind in (IntakeError, UserError):
        app.add_exception_handler(
            kind, lambda _request, error: JSONResponse({"detail": str(error)}, status_code=422))


def create_app() -> FastAPI:
    from gnews_i18n.api.rest import router
    from gnews_i18n.api.review_files import router as review_files
    from gnews_i18n.web.pages import mount_web

    settings = load_settings()
    app = FastAPI(title="gnews-i18n", version=__version__,
                  description="Translation desk: articles, machine translations under review, editions. "
                              "Authenticate with `Authorization: Bearer <token>` (`gnews-i18n users token NAME`).")
    app.add_middleware(
        SessionMiddleware, secret_key=settings.secret_key(), session_cookie="gnews_session",
        max_age=int(settings.session_hours * 3600), same_site="lax", https_only=settings.cookie_secure,
    )
    _errors(app)

    @app.get("/health", tags=["operations"])
    def health() -> dict:
        with database().engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")
        return {"status": "ok", "version": __version__}

    app.include_router(router)
    app.include_router(review_files)
    mount_web(app, settings)
    return app
