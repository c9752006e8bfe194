"""Second security pass (issue 28), accounts: no role means no read; an operator deactivates, revokes
and deletes through the CLI, the API and the desk; desk sessions end on the server (logout, a new
password); wrong passwords are throttled per account and per address (429 + Retry-After), and an
admin unlocks; four eyes holds across the revisions of an article. On SQLite and PostgreSQL."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from gnews_i18n.articles.submission import submit
from gnews_i18n.auth import issue_token
from gnews_i18n.cli import app as cli
from gnews_i18n.intake import parse_article
from gnews_i18n.states import TranslationState
from gnews_i18n.store.models import Edition, Translation

from conftest import api_desk

ARTICLE = "---\ntitle: Delegation visits the hospital\n---\n\nThe delegation visited the hospital on {day}.\n"


@pytest.fixture
def desk(db, tmp_path, monkeypatch):
    """The app over ``db``; users root (admin), kim (reviewer ko), ed (editor) with tokens and passwords."""

    env = {"GNEWS_DATA_DIR": str(tmp_path / "var"), "GNEWS_PUBLISH_DIR": str(tmp_path / "public"),
           "GNEWS_DATABASE_URL": db.url, "GNEWS_GLOSSARIES": "", "GNEWS_COOKIE_SECURE": "0",
           "GNEWS_BROKER_URL": f"sqla+sqlite:///{tmp_path / 'broker.sqlite'}",
           "GNEWS_LOGIN_ACCOUNT_FAILURES": "3", "GNEWS_LOGIN_ADDRESS_FAILURES": "6"}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    cast = [("root", ["admin"], []), ("kim", ["reviewer"], ["ko"]), ("ed", ["editor"], []),
            ("lee", ["reviewer"], ["ko"])]
    with api_desk(db, cast) as (_, headers):  # each test opens its own clients: one per browser or caller
        tokens = {name: header["Authorization"].removeprefix("Bearer ") for name, header in headers.items()}
        yield {"db": db, "env": env, "tokens": tokens}


def _client():
    from gnews_i18n.server import create_app

    return TestClient(create_app(), raise_server_exceptions=False)


def _csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def _login(client, name, password=None):
    page = client.get("/login")
    return client.post("/login", data={"name": name, "password": password or f"{name}-password",
                                       "csrf": _csrf(page.text), "next": "/queue"}, follow_redirects=False)


def _bearer(desk, name):
    return {"Authorization": f"Bearer {desk['tokens'][name]}"}


def _cli(desk, *args, token=""):
    return CliRunner().invoke(cli, list(args), env={**desk["env"], "GNEWS_TOKEN": token})


def _draft(desk, submitted_by="ed", day="Tuesday") -> int:
    article = parse_article(ARTICLE.format(day=day).encode(), "a.md", lang="en")
    with desk["db"].session() as session:
        result = submit(session, article, ["ko"], submitted_by=submitted_by)
        translation = session.get(Translation, result.translation_ids[0])
        translation.state = TranslationState.IN_REVIEW  # no segments needed: nothing here edits one
    return result.translation_ids[0]


def test_a_user_whose_roles_were_all_revoked_reads_nothing(desk):
    draft = _draft(desk)
    api, browser = _client(), _client()
    assert _login(browser, "kim").status_code == 303
    assert browser.get(f"/t/{draft}").status_code == 200
    assert _cli(desk, "users", "grant", "kim", "reviewer", "--revoke").exit_code == 0
    for path in ("/api/me", "/api/articles", f"/api/translations/{draft}", f"/api/translations/{draft}/po",
                 "/api/glossary", "/api/issues", "/api/terminology/history"):
        assert api.get(path, headers=_bearer(desk, "kim")).status_code == 403, path
    page = browser.get(f"/t/{draft}")
    assert page.status_code == 403 and "kim has no role" in page.text
    shown = _cli(desk, "review", "show", str(draft), token=desk["tokens"]["kim"])
    assert shown.exit_code == 1 and "kim cannot view" in shown.output
    assert _cli(desk, "review", "show", str(draft), token="gn_forged").exit_code == 1


def test_operator_lifecycle_through_cli_api_and_desk(desk):
    api, admin = _client(), _client()
    root = _bearer(desk, "root")
    assert _login(admin, "root").status_code == 303
    kim_browser = _client()
    assert _login(kim_browser, "kim").status_code == 303
    # deactivate: CLI; the token, the open session and the password stop at once; activate again by API
    assert _cli(desk, "users", "deactivate", "kim").exit_code == 0
    assert api.get("/api/me", headers=_bearer(desk, "kim")).status_code == 401
    assert kim_browser.get("/queue", follow_redirects=False).status_code == 303  # back to /login
    assert _login(_client(), "kim").status_code == 401
    assert api.post("/api/users/kim/activate", headers=root).json() == {"name": "kim", "active": True}
    assert api.get("/api/me", headers=_bearer(desk, "kim")).status_code == 200
    # deactivate through the API (admin only, and not oneself), then the desk
    assert api.post("/api/users/kim/deactivate", headers=_bearer(desk, "ed")).status_code == 403
    assert api.post("/api/users/root/deactivate", headers=root).status_code == 409
    assert api.post("/api/users/kim/deactivate", headers=root).status_code == 200
    assert api.get("/api/me", headers=_bearer(desk, "kim")).status_code == 401
    page = admin.get("/users")
    assert page.status_code == 200 and "deactivated" in page.text
    assert admin.post("/users/kim/activate", data={"csrf": _csrf(page.text)}).status_code == 200
    assert api.get("/api/me", headers=_bearer(desk, "kim")).status_code == 200
    ed_browser = _client()
    _login(ed_browser, "ed")
    assert ed_browser.get("/users").status_code == 403
    # revoke a token: the API lists and revokes; the desk and the CLI revoke others
    listed = api.get("/api/users/kim/tokens", headers=root).json()
    assert len(listed) == 1
    assert api.delete(f"/api/users/kim/tokens/{listed[0]['id']}", headers=root).status_code == 200
    assert api.get("/api/me", headers=_bearer(desk, "kim")).status_code == 401
    with desk["db"].session() as session:
        second, third = issue_token(session, "kim", "desk"), issue_token(session, "kim", "cli")
    ids = [t["id"] for t in api.get("/api/users/kim/tokens", headers=root).json()]
    page = admin.get("/users")
    admin.post(f"/users/kim/tokens/{ids[0]}/revoke", data={"csrf": _csrf(page.text)})
    assert api.get("/api/me", headers={"Authorization": f"Bearer {second}"}).status_code == 401
    assert _cli(desk, "users", "revoke-token", "kim", str(ids[1]), token=desk["tokens"]["ed"]).exit_code == 1
    assert _cli(desk, "users", "revoke-token", "kim", str(ids[1])).exit_code == 0
    assert api.get("/api/me", headers={"Authorization": f"Bearer {third}"}).status_code == 401
    # delete: the CLI (lee), the API (ed), the desk (kim); each is gone from the list
    assert _cli(desk, "users", "delete", "lee", "--yes", token=desk["tokens"]["kim"]).exit_code == 1
    assert _cli(desk, "users", "delete", "lee", "--yes", token=desk["tokens"]["root"]).exit_code == 0
    assert api.delete("/api/users/ed", headers=root).status_code == 200
    assert api.get("/api/me", headers=_bearer(desk, "ed")).status_code == 401
    page = admin.get("/users")
    admin.post("/users/kim/delete", data={"csrf": _csrf(page.text)})
    assert [u["name"] for u in api.get("/api/users", headers=root).json()] == ["root"]
    assert "no user 'kim'" in _cli(desk, "users", "deactivate", "kim").output


def test_logout_ends_the_session_on_the_server(desk):
    draft = _draft(desk)
    browser = _client()
    assert _login(browser, "kim").status_code == 303
    page = browser.get(f"/t/{draft}").text
    captured = dict(browser.cookies)
    browser.post("/logout", data={"csrf": _csrf(page)})
    thief = _client()
    thief.cookies.update(captured)
    assert thief.get("/queue", follow_redirects=False).headers["location"].startswith("/login")
    posted = thief.post(f"/t/{draft}/comment", data={"csrf": _csrf(page), "body": "still here"},
                        follow_redirects=False)
    assert posted.status_code == 303 and posted.headers["location"].startswith("/login")
    with desk["db"].session() as session:
        assert session.get(Translation, draft) is not None
    api = _client()
    assert api.get(f"/api/translations/{draft}/comments", headers=_bearer(desk, "kim")).json() == []


def test_a_new_password_ends_the_other_sessions(desk):
    laptop, phone = _client(), _client()
    assert _login(laptop, "kim").status_code == 303 and _login(phone, "kim").status_code == 303
    assert laptop.get("/queue").status_code == 200
    result = CliRunner().invoke(cli, ["users", "password", "kim", "--password-stdin"], input="a-new-password\n",
                                env={**desk["env"], "GNEWS_TOKEN": ""})
    assert result.exit_code == 0, result.output
    for browser in (laptop, phone):
        assert browser.get("/queue", follow_redirects=False).status_code == 303
    assert _login(_client(), "kim", "a-new-password").status_code == 303


def test_wrong_passwords_are_throttled_per_account_and_unlocked_by_an_admin(desk, caplog):
    browser = _client()
    for _ in range(3):
        assert _login(browser, "kim", "wrong-wrong").status_code == 401
    with caplog.at_level("WARNING", logger="gnews_i18n.auth"):
        locked = _login(browser, "kim")  # the right password, but the account waits
    assert locked.status_code == 429 and 0 < int(locked.headers["retry-after"]) <= 900
    assert "Too many wrong passwords" in locked.text
    assert any("login throttled" in r.getMessage() and "'kim'" in r.getMessage() for r in caplog.records)
    assert _login(browser, "ed").status_code == 303  # another account from the same address still may
    refused = _cli(desk, "users", "unlock", "kim", token=desk["tokens"]["ed"])
    assert refused.exit_code == 1 and "ed cannot manage users" in refused.output
    assert _cli(desk, "users", "unlock", "kim").exit_code == 0
    assert _login(_client(), "kim").status_code == 303


def test_wrong_passwords_from_one_address_are_throttled_across_accounts(desk):
    browser = _client()
    for name in ("kim", "ed", "lee", "nobody", "kim", "ed"):
        assert _login(browser, name, "wrong-wrong").status_code == 401
    locked = _login(browser, "root")
    assert locked.status_code == 429 and int(locked.headers["retry-after"]) > 0
    assert _cli(desk, "users", "unlock", "--address", "testclient").exit_code == 0
    assert _login(browser, "root").status_code == 303


def test_four_eyes_counts_every_revision_of_the_article(desk):
    """Decision 0031: whoever submitted any revision of an article does not approve a translation of it,
    a correction submitted by someone else included."""
    first = _draft(desk, submitted_by="kim", day="Tuesday")
    with desk["db"].session() as session:  # the first revision is live in English, so it can be corrected
        revision = session.get(Translation, first).revision
        session.add(Edition(article_id=revision.article_id, lang="en", revision_number=revision.number,
                            title=revision.title, path="en/a.html"))
    with desk["db"].session() as session:
        article = parse_article(ARTICLE.format(day="Wednesday").encode(), "a.md", lang="en")
        result = submit(session, article, ["ko"], submitted_by="ed", correction="The visit was on Wednesday.")
        assert session.get(Translation, first).revision.article_id == session.get(
            Translation, result.translation_ids[0]).revision.article_id
        correction = result.translation_ids[0]
        session.get(Translation, correction).state = TranslationState.IN_REVIEW
    api = _client()
    refused = api.post(f"/api/translations/{correction}/approve", headers=_bearer(desk, "kim"))
    assert refused.status_code == 403 and "kim submitted this article" in refused.json()["detail"]
    cli_refused = _cli(desk, "review", "approve", str(correction), "--no-publish", token=desk["tokens"]["kim"])
    assert cli_refused.exit_code == 1 and "cannot approve" in cli_refused.output
    assert api.post(f"/api/translations/{correction}/approve", headers=_bearer(desk, "lee")).status_code == 200
