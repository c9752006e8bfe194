"""Second security pass (issue 28), the HTTP doors: ids past the 32-bit columns and NUL characters
in query strings are 4xx problems on SQLite and PostgreSQL alike, never a 500 from the driver."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from gnews_i18n.auth import add_user, issue_token

LARGEST = 2**31 - 1  # the largest key an INTEGER column holds on PostgreSQL (decision 0030)
PAST = [2**31, 2**63 - 1]


@pytest.fixture
def doors(db, tmp_path, monkeypatch):
    """The app over ``db`` (both backends): an all-roles user's API token, and their logged-in desk session."""
    from gnews_i18n.auth.requests import database_for
    from gnews_i18n.server import create_app

    for key, value in {"GNEWS_DATA_DIR": str(tmp_path / "var"), "GNEWS_PUBLISH_DIR": str(tmp_path / "public"),
                       "GNEWS_DATABASE_URL": db.url, "GNEWS_GLOSSARIES": "", "GNEWS_COOKIE_SECURE": "0",
                       "GNEWS_BROKER_URL": f"sqla+sqlite:///{tmp_path / 'broker.sqlite'}"}.items():
        monkeypatch.setenv(key, value)
    database_for.cache_clear()
    with db.session() as session:
        add_user(session, "root", ["admin", "editor", "reviewer", "publisher"], ["*"], password="root-password")
        token = issue_token(session, "root")
    api = TestClient(create_app(), raise_server_exceptions=False)
    desk = TestClient(create_app(), raise_server_exceptions=False)
    page = desk.get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    assert desk.post("/login", data={"name": "root", "password": "root-password", "csrf": csrf},
                     follow_redirects=False).status_code == 303
    yield api, {"Authorization": f"Bearer {token}"}, desk
    api.close()
    desk.close()
    database_for.cache_clear()


def _problem(response, *statuses: int) -> dict:
    assert response.status_code in statuses, (response.request.method, response.request.url, response.text)
    assert response.headers["content-type"].startswith("application/problem+json")
    return response.json()


API_ROUTES = [
    ("GET", "/api/articles/{id}"), ("GET", "/api/articles/{id}/revisions"), ("GET", "/api/translations/{id}"),
    ("PUT", "/api/translations/{id}/segments/title"), ("POST", "/api/translations/{id}/segments/title/approve"),
    ("POST", "/api/translations/{id}/approve"), ("POST", "/api/translations/{id}/request-changes"),
    ("POST", "/api/translations/{id}/retry"), ("GET", "/api/translations/{id}/comments"),
    ("POST", "/api/translations/{id}/comments"), ("GET", "/api/translations/{id}/history"),
    ("GET", "/api/translations/{id}/po"), ("POST", "/api/translations/{id}/publish"),
    ("GET", "/api/issues/{id}"), ("POST", "/api/issues/{id}/articles"), ("POST", "/api/issues/{id}/release"),
    ("DELETE", "/api/issues/1/articles/{id}"),
]
BODIES = {"PUT": {"text": "x", "version": 1}, "POST": {"comment": "x", "body": "x", "article": 1}}


def test_item_routes_at_the_edge_of_the_key_range(doors):
    api, token, desk = doors
    for method, route in API_ROUTES:
        at_edge = api.request(method, route.format(id=LARGEST), headers=token, json=BODIES.get(method, {}))
        # the largest key is looked up (and not found), or the body is refused: never a 500
        _problem(at_edge, 404, 409, 422)
        if at_edge.status_code == 422:
            assert not at_edge.json().get("field", "").startswith("path"), at_edge.text
        for past in PAST:
            body = _problem(api.request(method, route.format(id=past), headers=token, json=BODIES.get(method, {})),
                            422)
            assert body["field"].startswith("path.") and str(LARGEST) in body["detail"], body
    for page in ("/t/{id}", "/t/{id}/history", "/t/{id}/po", "/issues/{id}", "/articles/{id}/correct"):
        assert desk.get(page.format(id=LARGEST)).status_code == 404
        for past in PAST:
            assert desk.get(page.format(id=past)).status_code == 422


@pytest.mark.parametrize("number", PAST)
def test_an_issue_number_past_the_column_is_refused_at_every_door(doors, number):
    api, token, desk = doors
    body = _problem(api.post("/api/issues", headers=token, json={"number": number, "titles": {"en": "Vol"}}), 422)
    assert body["field"] == "body.number"
    assert api.post("/api/issues", headers=token, json={"number": LARGEST}).status_code == 201
    _problem(api.post(f"/api/issues/{LARGEST}/articles", headers=token, json={"article": number}), 422)
    csrf = re.search(r'name="csrf" value="([^"]+)"', desk.get("/issues").text).group(1)
    made = desk.post("/issues", data={"csrf": csrf, "number": str(number)}, follow_redirects=True)
    assert made.status_code == 200 and f"from 1 to {LARGEST}" in made.text
    submitted = desk.post("/submit", data={"csrf": csrf, "text": "x", "article_id": str(number)})
    assert submitted.status_code < 500


@pytest.mark.parametrize("method, url", [
    ("GET", "/api/translations?state=%00"), ("GET", "/api/translations?lang=ko%00"),
    ("GET", "/api/terminology/history?kind=%00"), ("POST", "/api/users/root/tokens?label=%00"),
    ("GET", "/api/users/%00/x"), ("POST", "/api/users/ro%00ot/tokens"),
])
def test_nul_in_a_query_or_path_is_a_400_problem(doors, method, url):
    api, token, _desk = doors
    body = _problem(api.request(method, url, headers=token), 400)
    assert body["code"] == "nul_character" and "NUL" in body["detail"]


def test_nul_in_the_desk_queue_filter_is_a_400(doors):
    _api, _token, desk = doors
    for url in ("/queue?state=%00", "/queue?lang=%00&state=all", "/articles?q=%00"):
        assert desk.get(url).status_code == 400
    assert desk.get("/queue?state=all").status_code == 200
