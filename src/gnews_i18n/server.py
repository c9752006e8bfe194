"""The web server: the REST API (api/, OpenAPI at /docs) and the reviewers' web desk (web/), mounted side by side,
with the operator's probes and metrics (/healthz, /readyz, /metrics: api/operations.py)."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.middleware.sessions import SessionMiddleware

from gnews_i18n import __version__
from gnews_i18n.api.errors import document_problems, install_error_handlers
from gnews_i18n.api.issues import router as issues
from gnews_i18n.api.links import document_links
from gnews_i18n.api.middleware import BodyLimit, RefuseNul, SecurityHeaders
from gnews_i18n.api.operations import router as operations
from gnews_i18n.api.rest import router
from gnews_i18n.api.review_files import router as review_files
from gnews_i18n.api.subscribers import router as subscribers_api
from gnews_i18n.api.terminology import router as terminology_api
from gnews_i18n.auth.requests import database
from gnews_i18n.config import load_settings
from gnews_i18n.web.pages import mount_web


def create_app() -> FastAPI:
    settings = load_settings()
    app = FastAPI(title="gnews-i18n", version=__version__,
                  description="Translation desk: articles, machine translations under review, editions. "
                              "Authenticate with `Authorization: Bearer <token>` (`gnews-i18n users token NAME`). "
                              "Every error is an RFC 9457 problem (`application/problem+json`).",
                  docs_url=None, redoc_url=None)  # /docs is the web desk's page, without inline script
    app.add_middleware(
        SessionMiddleware, secret_key=settings.secret_key(), session_cookie="gnews_session",
        max_age=int(settings.session_hours * 3600), same_site="lax", https_only=settings.cookie_secure,
    )
    # A JSON-escaped article can be six times its bytes; PO files and forms stay far below this;
    # an article's photos, base64-encoded or uploaded: about four photos' worth.
    app.add_middleware(BodyLimit, limit=8 * settings.max_article_bytes + 6 * settings.max_photo_bytes + 64 * 1024)
    app.add_middleware(RefuseNul)
    app.add_middleware(SecurityHeaders)
    install_error_handlers(app)
    document_problems(app)
    document_links(app)

    @app.get("/health", tags=["operations"])
    def health() -> dict:
        with database().engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")
        return {"status": "ok", "version": __version__}

    app.include_router(operations)
    app.include_router(router)
    app.include_router(review_files)
    app.include_router(issues)
    app.include_router(subscribers_api)
    app.include_router(terminology_api)
    mount_web(app, settings)
    return app
