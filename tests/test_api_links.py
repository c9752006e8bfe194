"""The API's OpenAPI links (api/links.py) lead where they say: a client that follows them from a
submitted article, a new issue or a new user lands on that item, not on a 404; a link to a route
that is not there stops the schema from building; a user the path names who is not there is a 404."""

from __future__ import annotations

import pytest

from gnews_i18n.api.links import LINKS, Link, add_links
from gnews_i18n.store.db import Database

from conftest import api_desk

ARTICLE = "---\ntitle: Delegation visits the hospital\n---\n\nThe delegation visited the hospital on Monday.\n"


@pytest.fixture
def client(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'desk.sqlite'}"
    for key, value in {"GNEWS_DATA_DIR": str(tmp_path / "var"), "GNEWS_PUBLISH_DIR": str(tmp_path / "public"),
                       "GNEWS_DATABASE_URL": url, "GNEWS_GLOSSARIES": "", "GNEWS_COOKIE_SECURE": "0",
                       "GNEWS_BROKER_URL": f"sqla+sqlite:///{tmp_path / 'broker.sqlite'}"}.items():
        monkeypatch.setenv(key, value)
    db = Database(url)
    cast = [("chief", ["admin", "editor", "publisher"], []), ("kim", ["reviewer"], ["ko"])]
    with api_desk(db, cast) as (api, headers):
        api.headers.update(headers["chief"])
        yield api
    db.dispose()


def _pointer(document, pointer: str):
    for step in pointer.lstrip("/").split("/"):
        document = document[int(step)] if isinstance(document, list) else document[step]
    return document


def _resolve(expression: str, request_path: dict, request_body: dict, response_body) -> object:
    """An OpenAPI runtime expression, the three kinds api/links.py writes."""
    if expression.startswith("$response.body#"):
        return _pointer(response_body, expression.split("#", 1)[1])
    if expression.startswith("$request.body#"):
        return _pointer(request_body, expression.split("#", 1)[1])
    assert expression.startswith("$request.path."), expression
    return request_path[expression.removeprefix("$request.path.")]


def _follow(client, link: Link, request_path: dict, request_body: dict, response_body):
    """Call the link's target with the values the link picks (a GET, or the target with no body)."""
    method, template = link.target.split(" ", 1)
    values = {name: _resolve(expression, request_path, request_body, response_body)
              for name, expression in link.parameters}
    return client.request(method, template.format(**values))


def _links_from(source: str, status: str) -> list[Link]:
    return [link for link in LINKS if link.source == source and link.status == status
            and link.target.startswith("GET ")]


def test_the_published_schema_carries_every_link_and_refuses_a_broken_one(client):
    schema = client.get("/openapi.json").json()
    operation_ids = {operation["operationId"] for path in schema["paths"].values() for operation in path.values()}
    published = [(name, link) for path in schema["paths"].values() for operation in path.values()
                 for answer in operation["responses"].values() for name, link in answer.get("links", {}).items()]
    assert sorted(name for name, _ in published) == sorted(link.name for link in LINKS)
    assert all(link["operationId"] in operation_ids for _, link in published)

    # a link whose target was renamed, or that names a parameter the target does not take, stops the build
    gone = Link("POST /api/articles", "201", "GetGone", "GET /api/gone/{article_id}",
                (("article_id", "$response.body#/article_id"),), "A route that was renamed.")
    with pytest.raises(ValueError, match="GetGone: no operation GET /api/gone/"):
        add_links(schema, [gone])
    wrong = Link("POST /api/articles", "201", "WrongName", "GET /api/articles/{article_id}",
                 (("id", "$response.body#/article_id"),), "A parameter the route does not take.")
    with pytest.raises(ValueError, match=r"WrongName: GET /api/articles/\{article_id\} takes \['article_id'\]"):
        add_links(schema, [wrong])


def test_following_the_links_from_what_a_call_made_reaches_it_and_a_missing_user_is_a_404(client):
    body = {"content": ARTICLE, "targets": ["ko"], "queue": False}
    submitted = client.post("/api/articles", json=body)
    assert submitted.status_code == 201, submitted.text
    for link in _links_from("POST /api/articles", "201"):
        answer = _follow(client, link, {}, body, submitted.json())
        assert answer.status_code == 200, (link.name, answer.text)
    assert client.get("/api/articles/" + str(submitted.json()["article_id"])).json()["slug"]

    issue = client.post("/api/issues", json={"titles": {"en": "Vol. 3"}})
    assert issue.status_code == 201, issue.text
    added = {"article": submitted.json()["article_id"]}
    placed = client.post(f"/api/issues/{issue.json()['number']}/articles", json=added)
    assert placed.status_code == 200, placed.text
    (remove,) = [link for link in LINKS if link.source == "POST /api/issues/{number}/articles"]
    removed = _follow(client, remove, {"number": issue.json()["number"]}, added, placed.json())
    assert removed.status_code == 200 and removed.json()["articles"] == [], removed.text

    user = client.post("/api/users", json={"name": "lee", "roles": ["editor"]})
    assert user.status_code == 201, user.text
    for link in _links_from("POST /api/users", "201"):
        assert _follow(client, link, {}, {}, user.json()).status_code == 200, link.name

    translations = client.get("/api/translations")
    for link in _links_from("GET /api/translations", "200"):
        answer = _follow(client, link, {}, {}, translations.json())
        assert answer.status_code == 200 and answer.json()["id"] == translations.json()[0]["id"], link.name


    # a user the path names who is not there: 404, as any other item
    for method, path in (("GET", "/api/users/nobody/tokens"), ("POST", "/api/users/nobody/tokens"),
                         ("POST", "/api/users/nobody/deactivate"), ("DELETE", "/api/users/nobody"),
                         ("DELETE", "/api/users/kim/tokens/999")):
        answer = client.request(method, path)
        assert answer.status_code == 404, (path, answer.text)
        assert answer.json()["code"] == "not_found" and ("no user 'nobody'" in answer.json()["detail"]
                                                         or "kim has no token 999" in answer.json()["detail"])
