"""FastAPI application. Read-only for now: health, articles, translations.

State-changing endpoints arrive with authentication (API tokens and reviewer
logins); until then submitting and approving go through the CLI.
"""

from __future__ import annotations

from functools import cache

from fastapi import FastAPI, HTTPException, Query

from gnews_i18n import __version__
from gnews_i18n.config import load_settings
from gnews_i18n.store.db import Database
from gnews_i18n.views import list_articles, list_translations


@cache
def _database() -> Database:
    return Database(load_settings().database_url)


def create_app() -> FastAPI:
    app = FastAPI(title="gnews-i18n", version=__version__,
                  description="Translation desk: articles, machine translations under review, editions.")

    @app.get("/health")
    def health() -> dict:
        with _database().engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")
        return {"status": "ok", "version": __version__}

    @app.get("/api/articles")
    def articles() -> list[dict]:
        with _database().session() as session:
            return list_articles(session)

    @app.get("/api/articles/{article_id}")
    def article(article_id: int) -> dict:
        with _database().session() as session:
            found = list_articles(session, article_id)
        if not found:
            raise HTTPException(404, f"no article {article_id}")
        return found[0]

    @app.get("/api/translations")
    def translations(state: list[str] | None = Query(None), lang: str | None = None) -> list[dict]:
        with _database().session() as session:
            return list_translations(session, state, lang)

    return app


app = create_app()
