"""The issue API (/api/issues) and the editors' pages over HTTP: roles, CSRF, a correction from the desk."""

from __future__ import annotations

import html
import re

import pytest

from gnews_i18n.store.models import Article, Edition

from conftest import api_desk
from newsletter_desk import add_article, approve


@pytest.fixture
def desk(tmp_path, monkeypatch):
    from gnews_i18n.store.db import Database

    for key, value in {"GNEWS_DATA_DIR": str(tmp_path / "var"), "GNEWS_PUBLISH_DIR": str(tmp_path / "public"),
                       "GNEWS_DATABASE_URL": f"sqlite:///{tmp_path / 'desk.sqlite'}", "GNEWS_COOKIE_SECURE": "0",
                       "GNEWS_SITE_URL": "https://news.example.org", "GNEWS_PUBLISH_WEBHOOKS": "",
                       "GNEWS_BROKER_URL": f"filesystem://{tmp_path / 'broker'}"}.items():
        monkeypatch.setenv(key, value)
    db = Database(f"sqlite:///{tmp_path / 'desk.sqlite'}")
    with api_desk(db, [("ed", ["editor"], []), ("pub", ["publisher"], []), ("kim", ["reviewer"], ["ko"])]) \
            as (client, tokens):
        yield client, tokens, db
    db.dispose()


def test_issue_api_builds_gates_and_releases_with_roles(desk):
    client, tokens, db = desk
    first = add_article(db, 1, ["ko"], ["ko"])
    second = add_article(db, 2, ["ko"], [])  # Korean still in review
    body = {"number": 27, "date": "2023-11-30", "titles": {"en": "Vol. 27"}, "languages": ["en", "ko"]}
    assert client.post("/api/issues", json=body, headers=tokens["kim"]).status_code == 403
    created = client.post("/api/issues", json=body, headers=tokens["ed"])
    assert created.status_code == 201, created.text
    for article in (second, first):
        added = client.post("/api/issues/27/articles", json={"article": article}, headers=tokens["ed"])
        assert added.status_code == 200, added.text
    shown = client.get("/api/issues/27", headers=tokens["kim"]).json()
    assert [a["article"] for a in shown["articles"]] == [second, first]
    assert shown["blockers"] == [{"article": second, "slug": "clinic-2", "lang": "ko", "state": "in_review"}]
    assert client.post("/api/issues/27/release", headers=tokens["ed"]).status_code == 403  # editors don't release
    closed = client.post("/api/issues/27/release", headers=tokens["pub"])
    assert closed.status_code == 409 and "clinic-2" in closed.json()["detail"]
    assert client.delete(f"/api/issues/27/articles/{second}", headers=tokens["ed"]).status_code == 200
    released = client.post("/api/issues/27/release", headers=tokens["pub"])
    assert released.status_code == 200, released.text
    assert released.json()["released_by"] == "pub" and "ko/issue-27.html" in released.json()["written"]
    late = client.post("/api/issues/27/articles", json={"article": second}, headers=tokens["ed"])
    assert late.status_code == 409 and "cannot change" in late.json()["detail"]
    assert client.get("/api/issues/99", headers=tokens["ed"]).status_code == 404
    approve(db, second, "ko")


def _csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def _login(client, name) -> None:
    page = client.get("/login")
    client.post("/login", data={"name": name, "password": f"{name}-password", "csrf": _csrf(page.text),
                                "next": "/articles"}, follow_redirects=False)


def test_an_editor_submits_and_corrects_from_the_desk(desk):
    client, tokens, db = desk
    article_id = add_article(db, 3, ["ko"], ["ko"])
    with db.session() as session:  # published: the Korean edition is live
        session.add(Edition(article_id=article_id, lang="ko", revision_number=1, title="t", path="p"))
    _login(client, "kim")
    assert client.get("/submit").status_code == 403  # a reviewer does not submit
    client.cookies.clear()
    _login(client, "ed")
    listing = client.get("/articles").text
    assert f'href="/articles/{article_id}/correct"' in listing and "2/3 approved" not in listing
    assert "3/3 approved" in listing  # the approved Korean translation, progress as on the review desk

    form = client.get(f"/articles/{article_id}/correct").text
    text = re.search(r'<textarea name="text" id="text"[^>]*>(.*?)</textarea>', form, re.S).group(1)
    assert "It has 30 beds." in text
    data = {"text": html.unescape(text).replace("30 beds", "33 beds"),
            "targets": ["ko"], "article_id": str(article_id), "correction": "The bed count was wrong."}
    assert client.post("/submit", data=data, follow_redirects=False).status_code == 403  # no CSRF token
    same = client.post("/submit", data={**data, "text": html.unescape(text), "csrf": _csrf(form)})
    assert same.status_code == 422 and "a correction must change it" in same.text
    assert "Correct “Clinic news 3”" in same.text  # the form again, with the editor's text
    done = client.post("/submit", data={**data, "csrf": _csrf(form)}, follow_redirects=False)
    assert done.status_code == 303, done.text
    with db.session() as session:
        latest = session.get(Article, article_id).latest
        assert (latest.number, latest.correction, latest.submitted_by) == (2, "The bed count was wrong.", "ed")
    assert "corrected in r2" in client.get("/articles").text

    pasted = client.post("/submit", data={"csrf": _csrf(form), "text": "", "targets": ["ko"]})
    assert pasted.status_code == 422 and "nothing to submit" in pasted.text
