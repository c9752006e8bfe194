"""The REST API: tokens, every resource, review actions, conflicts, PO over HTTP."""

from __future__ import annotations

import polib
import pytest

from gnews_i18n.store.models import Translation

from conftest import EN_SAMPLE, api_desk


@pytest.fixture
def desk(db, draft, monkeypatch):
    """An app on the draft's database, and tokens for a cast of users."""
    monkeypatch.setenv("GNEWS_COOKIE_SECURE", "0")
    cast = [("kim", ["reviewer"], ["ko"]), ("olga", ["reviewer"], ["ru"]), ("editor1", ["editor", "reviewer"], ["ko"]),
            ("pub", ["publisher"], []), ("root", ["admin"], [])]
    with api_desk(db, cast, password=lambda name: "password-" + name) as (client, tokens):
        yield client, tokens


def test_tokens_are_required_and_checked(desk, draft):
    client, tokens = desk
    assert client.get("/health").json()["status"] == "ok"
    assert client.get("/api/translations").status_code == 401
    assert client.get("/api/translations", headers={"Authorization": "Bearer gn_nope"}).status_code == 401
    assert client.get("/api/me", headers=tokens["olga"]).json() == {"name": "olga", "roles": ["reviewer"],
                                                                   "languages": ["ru"]}
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/articles", "/api/articles/{article_id}/revisions", "/api/translations/{translation_id}",
                 "/api/translations/{translation_id}/segments/{ref}", "/api/translations/{translation_id}/approve",
                 "/api/translations/{translation_id}/request-changes", "/api/translations/{translation_id}/comments",
                 "/api/translations/{translation_id}/po", "/api/glossary", "/api/users"):
        assert path in paths, path


def test_submit_and_read_articles(desk):
    client, tokens = desk
    body = {"content": "# 새 소식\n\n경기도는 11월 7일 행사를 열었다.\n", "filename": "news.md", "targets": ["en"],
            "queue": False}
    assert client.post("/api/articles", json=body, headers=tokens["kim"]).status_code == 403  # reviewers don't submit
    created = client.post("/api/articles", json=body, headers=tokens["editor1"])
    assert created.status_code == 201, created.text
    article_id = created.json()["article_id"]
    revisions = client.get(f"/api/articles/{article_id}/revisions", headers=tokens["kim"]).json()
    assert revisions[0]["submitted_by"] == "editor1" and revisions[0]["translations"][0]["lang"] == "en"
    bad = client.post("/api/articles", json={**body, "content": "   "}, headers=tokens["editor1"])
    assert bad.status_code == 422 and "empty" in bad.json()["detail"]
    assert client.get("/api/articles/999", headers=tokens["kim"]).status_code == 404


def test_segment_edits_conflict_with_409(desk, draft):
    client, tokens = desk
    detail = client.get(f"/api/translations/{draft}", headers=tokens["kim"]).json()
    title = detail["segments"][0]
    assert title["position"] == "title" and title["version"] == 1
    url = f"/api/translations/{draft}/segments/{title['id']}"
    first = client.put(url, json={"text": "경기도, 대표단 초청", "version": 1}, headers=tokens["kim"])
    assert first.status_code == 200 and first.json()["version"] == 2 and first.json()["state"] == "edited"
    second = client.put(url, json={"text": "다른 제목", "version": 1}, headers=tokens["editor1"])
    assert second.status_code == 409
    assert second.json()["current_text"] == "경기도, 대표단 초청" and second.json()["current_version"] == 2
    assert client.put(url, json={"text": "제목", "version": 2}, headers=tokens["olga"]).status_code == 403
    assert client.put(f"/api/translations/{draft}/segments/99.9", json={"text": "x", "version": 1},
                      headers=tokens["kim"]).status_code == 404
    approved = client.post(f"{url}/approve", json={"version": 2}, headers=tokens["kim"])
    assert approved.status_code == 200 and approved.json()["state"] == "approved"
    history = client.get(f"/api/translations/{draft}/history", headers=tokens["kim"]).json()
    assert [(h["action"], h["author"], h["version"]) for h in history] == [("edit", "kim", 2), ("approve", "kim", 3)]


def test_review_actions_and_roles(desk, draft, db):
    client, tokens = desk
    base = f"/api/translations/{draft}"
    refused = client.post(f"{base}/approve", json={"publish": False}, headers=tokens["kim"])
    assert refused.status_code == 409 and "error flag" in refused.json()["detail"]  # QA errors need an override
    assert client.post(f"{base}/approve", json={"override": "x", "publish": False},
                       headers=tokens["olga"]).status_code == 403  # ru reviewer, ko draft
    own = client.post(f"{base}/approve", json={"override": "x", "publish": False}, headers=tokens["editor1"])
    assert own.status_code == 403 and "submitted this article" in own.json()["detail"]
    changes = client.post(f"{base}/request-changes", json={"body": "용어를 확인하세요"}, headers=tokens["kim"])
    assert changes.json()["state"] == "changes_requested"
    client.post(f"{base}/comments", json={"body": "제목을 줄였습니다", "segment": "title"}, headers=tokens["kim"])
    assert [c["body"] for c in client.get(f"{base}/comments", headers=tokens["kim"]).json()] == [
        "용어를 확인하세요", "제목을 줄였습니다"]
    assert client.post(f"{base}/publish", headers=tokens["pub"]).status_code == 409  # not approved yet
    ok = client.post(f"{base}/approve", json={"override": "random test model", "publish": False},
                     headers=tokens["kim"])
    assert ok.status_code == 200
    assert client.post(f"{base}/publish", headers=tokens["kim"]).status_code == 403  # only publishers
    with db.session() as session:
        translation = session.get(Translation, draft)
        assert translation.state == "approved" and translation.approved_by == "kim"
        assert translation.override_reason == "random test model"


def test_po_over_http(desk, draft):
    client, tokens = desk
    base = f"/api/translations/{draft}/po"
    response = client.get(base, headers=tokens["kim"])
    assert response.status_code == 200 and "attachment" in response.headers["content-disposition"]
    po = polib.pofile(response.text)
    po.find("title", by="msgctxt").msgstr = "타슈켄트 대표단, 경기도 방문"
    applied = client.put(base, content=str(po).encode(), headers=tokens["kim"])
    assert applied.status_code == 200 and applied.json()["edited"] == ["title"]
    po.find("0.0", by="msgctxt").msgctxt = "42.0"
    problems = client.put(base, content=str(po).encode(), headers=tokens["kim"])
    assert problems.status_code == 422
    assert any("unknown msgctxt '42.0'" in p for p in problems.json()["problems"])


def test_glossary_and_users_need_admin(desk, tmp_path, monkeypatch):
    client, tokens = desk
    glossary = tmp_path / "desk.csv"
    glossary.write_text("type,ko,en,note\n", encoding="utf-8")
    monkeypatch.setenv("GNEWS_GLOSSARIES", str(glossary))
    term = {"forms": {"ko": "경기도의료원", "en": "Gyeonggi Provincial Medical Center"}, "type": "institution"}
    assert client.post("/api/glossary", json=term, headers=tokens["kim"]).status_code == 403
    assert client.post("/api/glossary", json=term, headers=tokens["root"]).status_code == 201
    found = client.get("/api/glossary", params={"search": "의료원"}, headers=tokens["kim"]).json()
    assert [t["forms"]["en"] for t in found] == ["Gyeonggi Provincial Medical Center"]
    clash = client.post("/api/glossary", json={"forms": {"ko": "경기도의료원", "en": "Other"}}, headers=tokens["root"])
    assert clash.status_code == 422
    assert client.get("/api/users", headers=tokens["kim"]).status_code == 403
    made = client.post("/api/users", json={"name": "aziz", "roles": ["reviewer"], "languages": ["uz"]},
                       headers=tokens["root"])
    assert made.status_code == 201
    assert client.post("/api/users", json={"name": "x", "roles": ["reviewer"]}, headers=tokens["root"]).status_code \
        == 422
    token = client.post("/api/users/aziz/tokens", headers=tokens["root"]).json()["token"]
    assert client.get("/api/me", headers={"Authorization": f"Bearer {token}"}).json()["languages"] == ["uz"]
    assert client.post("/api/users/root/tokens", headers=tokens["kim"]).status_code == 403


def test_submitting_the_sample_over_http_queues_it(desk):
    client, tokens = desk
    body = {"content": EN_SAMPLE.read_text(encoding="utf-8"), "filename": EN_SAMPLE.name, "targets": ["ru"],
            "queue": False}
    created = client.post("/api/articles", json=body, headers=tokens["editor1"]).json()
    queued = client.get("/api/translations", params={"state": "queued", "lang": "ru"}, headers=tokens["kim"]).json()
    assert [t["id"] for t in queued] == created["translation_ids"]


def test_publishing_waits_for_a_publisher_when_the_rule_says_so(desk, draft, monkeypatch):
    client, tokens = desk
    monkeypatch.setenv("GNEWS_PUBLISH_ON_APPROVAL", "0")
    approved = client.post(f"/api/translations/{draft}/approve", json={"override": "test model"},
                           headers=tokens["kim"])
    assert approved.json() == {"id": draft, "state": "approved", "publishing": False}
    queued = client.post(f"/api/translations/{draft}/publish", headers=tokens["pub"])
    assert queued.status_code == 202 and queued.json()["publishing"] is True


def test_request_changes_can_send_a_draft_back_to_mt(desk, draft):
    client, tokens = desk
    sent = client.post(f"/api/translations/{draft}/request-changes",
                       json={"body": "다시 번역해 주세요", "retranslate": True}, headers=tokens["kim"])
    assert sent.json() == {"id": draft, "state": "queued"}
    assert client.get(f"/api/translations/{draft}", headers=tokens["kim"]).json()["state"] == "queued"


def test_a_failed_translation_can_be_tried_again(desk, draft, db):
    """Retry is the way back from `failed`, for a reviewer of that language; on other states it is refused."""
    client, tokens = desk
    refused = client.post(f"/api/translations/{draft}/retry", headers=tokens["kim"])
    assert refused.status_code == 409 and "only a failed one" in refused.json()["detail"]
    with db.session() as session:
        translation = session.get(Translation, draft)
        translation.state, translation.error = "failed", "OSError: no config.json in /models/en-ko"
    assert client.post(f"/api/translations/{draft}/retry", headers=tokens["olga"]).status_code == 403
    shown = client.get(f"/api/translations/{draft}", headers=tokens["kim"]).json()
    assert shown["state"] == "failed" and "no config.json" in shown["error"]
    retried = client.post(f"/api/translations/{draft}/retry", headers=tokens["kim"])
    assert retried.status_code == 200, retried.text
    assert retried.json() == {"id": draft, "state": "queued"}
    assert client.get(f"/api/translations/{draft}", headers=tokens["kim"]).json()["state"] == "queued"
