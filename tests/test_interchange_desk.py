"""XLIFF at the desk: GET|PUT /api/translations/{id}/xliff with permissions, and download/upload on the page."""

from __future__ import annotations

import re

import pytest

from gnews_i18n.store.db import Database

from conftest import api_desk
from review_draft import SEGMENTS, make_review_draft


@pytest.fixture
def desk(tmp_path, monkeypatch):
    db = Database(f"sqlite:///{tmp_path / 'desk.sqlite'}")
    translation_id = make_review_draft(db)
    for key, value in {"GNEWS_DATA_DIR": str(tmp_path / "var"), "GNEWS_DATABASE_URL": db.url,
                       "GNEWS_COOKIE_SECURE": "0", "GNEWS_GLOSSARIES": ""}.items():
        monkeypatch.setenv(key, value)
    with api_desk(db, [("kim", ["reviewer"], ["ko"]), ("olga", ["reviewer"], ["ru"])]) as (client, tokens):
        yield client, tokens, translation_id
    db.dispose()


def test_xliff_over_the_api_with_permissions(desk):
    client, tokens, translation_id = desk
    base = f"/api/translations/{translation_id}/xliff"
    assert "/api/translations/{translation_id}/xliff" in client.get("/openapi.json").json()["paths"]
    v12 = client.get(base, headers=tokens["kim"])
    assert v12.status_code == 200 and v12.headers["content-type"].startswith("application/xliff+xml")
    assert 'filename="delegation-visit.ko.xlf"' in v12.headers["content-disposition"]
    v20 = client.get(base, params={"version": "2.0"}, headers=tokens["kim"])
    assert 'version="2.0"' in v20.text and v20.text.count("<unit ") == len(SEGMENTS)
    approved = v20.text.replace('<segment id="s" state="translated" subState="gnews:machine">',
                                '<segment id="s" state="final">', 1)
    assert client.put(base, content=approved.encode(), headers=tokens["olga"]).status_code == 403
    applied = client.put(base, content=approved.encode(), headers=tokens["kim"])
    assert applied.status_code == 200, applied.text
    assert applied.json()["approved"] == ["title"]
    # The same old file with the title also corrected: the title moved on since the export, so it is refused.
    stale = approved.replace("대표단, 경기도 방문</target>", "대표단이 경기도를 방문</target>")
    again = client.put(base, content=stale.encode(), headers=tokens["kim"])
    assert again.status_code == 422
    assert any("changed at the desk since the export" in p for p in again.json()["problems"])


def test_the_page_links_xliff_and_takes_an_xliff_upload(desk):
    client, _, translation_id = desk
    page = client.get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    client.post("/login", data={"name": "kim", "password": "kim-password", "csrf": csrf, "next": "/queue"})
    html = client.get(f"/t/{translation_id}").text
    assert f'href="/t/{translation_id}/xliff"' in html and f'href="/t/{translation_id}/xliff?version=2.0"' in html
    assert 'accept=".po,.xlf,.xliff"' in html
    xliff = client.get(f"/t/{translation_id}/xliff").text
    assert "<trans-unit " in xliff
    edited = xliff.replace("8개 병원이", "여덟 병원이").replace("9개 병원에", "8개 병원에")
    csrf = re.search(r'name="csrf" value="([^"]+)"', html).group(1)
    uploaded = client.post(f"/t/{translation_id}/po", data={"csrf": csrf},
                           files={"file": ("draft.xlf", edited.encode(), "application/xliff+xml")})
    assert "draft.xlf: 1 edited, 0 approved" in uploaded.text
