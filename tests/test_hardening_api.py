"""The HTTP doors refuse bad input as typed problems, never 500, and send security headers everywhere."""

from __future__ import annotations

import json
import re
from importlib import resources

import pytest
from fastapi.testclient import TestClient

from gnews_i18n.auth import add_user, issue_token

HUGE = "99999999999999999999"
ARTICLE = "The delegation visited the hospital on Tuesday and signed an agreement."


@pytest.fixture
def client(tmp_path, monkeypatch):
    from gnews_i18n.auth.requests import database, database_for
    from gnews_i18n.server import create_app

    for key, value in {"GNEWS_DATA_DIR": str(tmp_path / "var"), "GNEWS_PUBLISH_DIR": str(tmp_path / "public"),
                       "GNEWS_DATABASE_URL": f"sqlite:///{tmp_path / 'desk.sqlite'}", "GNEWS_GLOSSARIES": "",
                       "GNEWS_MAX_ARTICLE_BYTES": "20000", "GNEWS_COOKIE_SECURE": "0"}.items():
        monkeypatch.setenv(key, value)
    database_for.cache_clear()
    headers = {}
    with database().session() as session:
        for name, roles, langs in [("ed", ["editor"], []), ("root", ["admin"], [])]:
            add_user(session, name, roles, langs)
            headers[name] = {"Authorization": f"Bearer {issue_token(session, name)}"}
    with TestClient(create_app(), raise_server_exceptions=False) as test_client:
        test_client.tokens = headers
        yield test_client
    database_for.cache_clear()


def _is_problem(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and body["detail"] and body["code"] and body["title"]
    return body


def test_ids_beyond_64_bit_are_422_on_every_item_path(client):
    paths = client.get("/openapi.json").json()["paths"]
    tried = 0
    for path, operations in paths.items():
        if "_id}" not in path and "{number}" not in path:  # {number}: a newsletter issue's
            continue
        url = re.sub(r"\{(?:[a-z_]*_id|number)\}", HUGE, path).replace("{ref}", "title")
        for method in operations:
            response = client.request(method, url, headers=client.tokens["root"], json={})
            body = _is_problem(response, 422)
            assert body["field"].startswith("path.") and "less than or equal" in body["detail"]
            tried += 1
    for page in (f"/t/{HUGE}", f"/t/{HUGE}/history", f"/t/{HUGE}/po"):
        _is_problem(client.get(page), 422)
    assert tried >= 13


@pytest.mark.parametrize("content, field", [
    ('{"title": "A visit", "blocks": null}', "body.content.blocks"),
    ('{"title": "A visit", "blocks": [{"kind": "heading", "text": "' + ARTICLE + '", "level": "x"}]}',
     "body.content.blocks[0].level"),
    ('{"title": "A visit", "body": "' + ARTICLE + '", "slug": 1}', "body.content.slug"),
    ('{"title": "A visit", "body": "' + ARTICLE + '", "author": {}}', "body.content.author"),
    ('{"title": "\\ud800", "body": "' + ARTICLE + '"}', "body.content.title"),
    ('{"title": "A visit", "body": "' + ARTICLE + '", "date": "2023-13-45"}', "body.content.date"),
    ("[" * 10_000, "body.content"),
])
def test_bad_json_articles_are_422_naming_the_field(client, content, field):
    response = client.post("/api/articles", json={"content": content, "format": "json", "lang": "en"},
                           headers=client.tokens["ed"])
    body = _is_problem(response, 422)
    assert body.get("field") == field


def test_request_bodies_that_no_database_can_store_are_422(client):
    raw = '{"content": "\\ud800 hello", "lang": "en"}'
    body = _is_problem(client.post("/api/articles", content=raw, headers={**client.tokens["ed"],
                                                                          "content-type": "application/json"}), 422)
    assert body["field"] == "body.content" and "lone surrogate" in body["detail"]
    body = _is_problem(client.post("/api/articles", json={"content": "a\x00b"}, headers=client.tokens["ed"]), 422)
    assert "NUL" in body["detail"]


def test_too_large_is_413(client):
    big = {"content": "A visit\n\n" + ARTICLE * 400, "format": "text", "lang": "en"}
    _is_problem(client.post("/api/articles", json=big, headers=client.tokens["ed"]), 413)
    huge = json.dumps({"content": "x" * 200_000})
    _is_problem(client.post("/api/articles", content=huge, headers={**client.tokens["ed"],
                                                                     "content-type": "application/json"}), 413)


def test_a_user_needs_a_role(client):
    for body in ({"name": "nobody"}, {"name": "nobody", "roles": []}):
        problem = _is_problem(client.post("/api/users", json=body, headers=client.tokens["root"]), 422)
        assert problem["field"] == "body.roles"


def test_405_names_every_method_of_the_path(client):
    response = client.delete("/api/translations/1/po", headers=client.tokens["ed"])
    _is_problem(response, 405)
    assert response.headers["allow"] == "GET, PUT"  # FastAPI routes answer HEAD only where declared
    assert client.post("/site/index.html").headers["allow"] == "GET, HEAD"


def test_every_page_has_security_headers_and_no_inline_script(client, tmp_path):
    (tmp_path / "public" / "ko").mkdir(parents=True)
    (tmp_path / "public" / "ko" / "index.html").write_text("<html><body>hi</body></html>", encoding="utf-8")
    for url in ("/login", "/queue", "/docs", "/api/me", "/static/desk.js", "/site/ko/index.html", "/nowhere",
                "/openapi.json", "/health"):
        response = client.get(url, follow_redirects=False)
        csp = response.headers["content-security-policy"]
        script = next(d for d in csp.split(";") if d.strip().startswith("script-src")).split()
        # 'wasm-unsafe-eval' (the site's search runs Pagefind's WebAssembly) allows no JavaScript eval
        assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script, (url, csp)
        assert "frame-ancestors 'none'" in csp
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"]
    templates = resources.files("gnews_i18n.web") / "templates"
    for template in templates.iterdir():
        html = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), f"inline script in {template.name}"
        assert not re.search(r"\son[a-z]+\s*=", html), f"inline event handler in {template.name}"


def test_the_publishing_bookkeeping_is_never_served(client, tmp_path):
    hidden = tmp_path / "public" / ".gnews-publish"
    hidden.mkdir(parents=True)
    (hidden / "manifest.json").write_text("{}", encoding="utf-8")
    for url in ("/site/.gnews-publish/manifest.json", "/site/ko/../.gnews-publish/manifest.json",
                "/site/%2egnews-publish/manifest.json"):
        assert client.get(url).status_code == 404, url


def test_openapi_documents_a_problem_for_every_error(client):
    schema = client.get("/openapi.json").json()
    assert "Problem" in schema["components"]["schemas"]
    assert "HTTPValidationError" not in json.dumps(schema)
    for path, operations in schema["paths"].items():
        if not path.startswith("/api/"):
            continue
        for method, operation in operations.items():
            responses = operation["responses"]
            expected = {"401", "403"} | ({"404"} if "{" in path else set()) | (
                {"409"} if method in ("post", "put") else set()) | ({"413"} if "requestBody" in operation else set())
            assert expected <= set(responses), (method, path, sorted(responses))
            for status in expected:
                assert "application/problem+json" in responses[status]["content"], (method, path, status)


def test_queue_filters_never_overflow(client):
    from gnews_i18n.auth.requests import database

    with database().session() as session:
        add_user(session, "kim", ["reviewer"], ["ko"], password="password-kim")
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/login").text).group(1)
    assert client.post("/login", data={"name": "kim", "password": "password-kim", "csrf": csrf},
                       follow_redirects=False).status_code == 303
    for value in ("99999999999999999999", "²", "-1", "٣"):
        assert client.get("/queue", params={"older_than": value}).status_code == 200, value


def test_web_pages_answer_any_query_without_a_server_error(client):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from gnews_i18n.auth.requests import database

    with database().session() as session:
        add_user(session, "olga", ["reviewer"], ["ru"], password="password-olga")
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/login").text).group(1)
    client.post("/login", data={"name": "olga", "password": "password-olga", "csrf": csrf})
    seen = []

    @settings(max_examples=100, derandomize=True, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(page=st.sampled_from(["/queue", "/login", "/t/1", "/t/1/history", "/t/1/po", "/docs"]),
           params=st.dictionaries(st.sampled_from(["lang", "state", "article", "older_than", "next"]),
                                  st.text(max_size=30), max_size=4))
    def visit(page, params):
        response = client.get(page, params=params, follow_redirects=False)
        seen.append(response.status_code)
        assert response.status_code < 500, (page, params, response.text[:300])

    visit()
    assert len(seen) == 100
