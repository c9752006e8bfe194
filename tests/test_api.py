"""The REST API's read side."""

from __future__ import annotations

from fastapi.testclient import TestClient

from gnews_i18n.config import load_settings
from gnews_i18n.intake import parse_article
from gnews_i18n.store.db import Database
from gnews_i18n.submission import submit

from conftest import EN_SAMPLE


def test_articles_and_translations_over_http(gnews_env):
    from gnews_i18n.api import app as app_module

    app_module._database.cache_clear()
    db = Database(load_settings().database_url)
    with db.session() as session:
        result = submit(session, parse_article(EN_SAMPLE.read_bytes(), EN_SAMPLE.name), ["ko", "ru"])
    client = TestClient(app_module.create_app())
    assert client.get("/health").json()["status"] == "ok"
    articles = client.get("/api/articles").json()
    assert [a["slug"] for a in articles] == [articles[0]["slug"]] and articles[0]["date"] == "2023-11-21"
    assert client.get(f"/api/articles/{result.article_id}").json()["id"] == result.article_id
    assert client.get("/api/articles/999").status_code == 404
    queued = client.get("/api/translations", params={"state": "queued", "lang": "ru"}).json()
    assert [t["target_lang"] for t in queued] == ["ru"]
    assert "/api/articles" in client.get("/openapi.json").json()["paths"]
    app_module._database.cache_clear()
