"""The people registry and the terminology history over the API (admins edit, everyone reads)."""

from __future__ import annotations

import re

import pytest

from conftest import api_desk


@pytest.fixture
def desk(db, tmp_path, monkeypatch):
    for key, value in {"GNEWS_DATABASE_URL": db.url, "GNEWS_DATA_DIR": str(tmp_path / "var"),
                       "GNEWS_COOKIE_SECURE": "0", "GNEWS_PEOPLE": str(tmp_path / "people.csv"),
                       "GNEWS_GLOSSARIES": str(tmp_path / "desk.csv")}.items():
        monkeypatch.setenv(key, value)
    (tmp_path / "desk.csv").write_text("id,type,ko,en,valid_from,valid_to\n", encoding="utf-8")
    with api_desk(db, [("kim", ["reviewer"], ["en"]), ("root", ["admin"], [])],
                  password=lambda name: f"password-{name}") as made:
        yield made


EOM = {"id": "eom-won-ja", "names": {"ko": "엄원자", "en": "Eom Won-ja"}, "org": {"ko": "경기도", "en": "Gyeonggi-do"},
       "title": {"ko": "보건의료과장", "en": "Director of the Health and Medical Division"},
       "from": "2021-01-01", "to": "2023-06-30"}


def test_admins_add_people_and_posts_with_history(desk):
    client, tokens = desk
    assert client.post("/api/people", json=EOM, headers=tokens["kim"]).status_code == 403
    assert client.post("/api/people", json=EOM, headers=tokens["root"]).status_code == 201
    later = {"id": "eom-won-ja", "org": {"ko": "경기도", "en": "Gyeonggi-do"},
             "title": {"ko": "보건건강국장", "en": "Head of the Health and Medical Department"}, "from": "2023-07-01"}
    assert client.post("/api/people", json=later, headers=tokens["root"]).status_code == 201
    found = client.get("/api/people", params={"search": "엄"}, headers=tokens["kim"]).json()
    assert [p["title"]["en"] for p in found[0]["posts"]] == ["Director of the Health and Medical Division",
                                                              "Head of the Health and Medical Department"]
    on_day = client.get("/api/people", params={"on": "2023-11-21"}, headers=tokens["kim"]).json()
    assert [p["title"]["ko"] for p in on_day[0]["posts"]] == ["보건건강국장"]
    inverted = client.post("/api/people", json={**later, "from": "2024-01-01", "to": "2023-01-01"},
                           headers=tokens["root"])
    assert inverted.status_code == 422
    assert any("inverted range" in p for p in inverted.json()["problems"])
    history = client.get("/api/terminology/history", params={"key": "eom-won-ja"}, headers=tokens["kim"]).json()
    assert [(h["author"], h["row"].get("title_ko")) for h in history] == [("root", "보건건강국장"),
                                                                           ("root", "보건의료과장")]


def test_dated_glossary_rows_over_the_api_are_checked_and_recorded(desk):
    client, tokens = desk
    old = {"id": "division", "forms": {"ko": "보건의료과", "en": "Health and Medical Division"},
           "type": "institution", "valid_to": "2023-06-30"}
    new = {"id": "division", "forms": {"ko": "보건의료정책과", "en": "Health and Medical Policy Division"},
           "type": "institution", "valid_from": "2023-01-01"}
    assert client.post("/api/glossary", json=old, headers=tokens["root"]).status_code == 201
    clash = client.post("/api/glossary", json=new, headers=tokens["root"])
    assert clash.status_code == 422 and any("overlaps" in p for p in clash.json()["problems"])
    assert client.post("/api/glossary", json={**new, "valid_from": "2023-07-01"}, headers=tokens["root"]).status_code \
        == 201
    terms = client.get("/api/glossary", headers=tokens["kim"]).json()
    assert [(t["forms"]["en"], t["valid_from"], t["valid_to"]) for t in terms] == [
        ("Health and Medical Division", None, "2023-06-30"), ("Health and Medical Policy Division", "2023-07-01", None)]
    history = client.get("/api/terminology/history", params={"kind": "glossary"}, headers=tokens["kim"]).json()
    assert [h["row"]["en"] for h in history] == ["Health and Medical Policy Division", "Health and Medical Division"]


def test_cli_checks_registries_and_confirms_a_suggested_name_with_its_post(gnews_env, tmp_path):
    import os
    import subprocess
    import sys

    from gnews_i18n.config import load_settings
    from gnews_i18n.store.db import Database
    from gnews_i18n.terms.people import read_people
    from gnews_i18n.worker.job import run_translation

    def gnews(*args):
        return subprocess.run([sys.executable, "-m", "gnews_i18n.cli", *args], env={**os.environ, **gnews_env},
                              capture_output=True, text=True, timeout=300)

    broken = tmp_path / "people.csv"
    broken.write_text("id,ko,en,org_ko,title_ko,from,to\nx,김철수,Kim Cheol-su,경기도,과장,2024-01-01,2023-01-01\n",
                      encoding="utf-8")
    checked = gnews("glossary", "check", str(broken))
    assert checked.returncode == 1
    assert f"{broken}:2: error: inverted range: from 2024-01-01 is after to 2023-01-01" in checked.stdout

    article = tmp_path / "ko.md"
    article.write_text("---\ntitle: 방문\nlang: ko\ndate: 2023-11-21\n---\n\n홍길동 경기도 보건국장은 아주대학교병원을 "
                       "방문했다.\n", encoding="utf-8")
    assert gnews("submit", str(article), "--to", "en", "--no-queue").returncode == 0
    db = Database(load_settings().database_url)
    run_translation(db, load_settings(), 1, "w")
    registry = tmp_path / "registry" / "people.csv"
    registry.parent.mkdir()
    confirmed = gnews("glossary", "confirm-names", "1", "--people", str(registry), "--org", "ko=경기도", "--org",
                      "en=Gyeonggi-do", "--title", "ko=보건국장", "--title", "en=Director of Public Health",
                      "--from", "2023-01-01")
    assert confirmed.returncode == 0, confirmed.stderr
    person = read_people(registry)[0].people[0]
    assert (person.id, person.names, person.posts[0].title["en"], str(person.posts[0].start)) == \
        ("hong-gil-dong", {"ko": "홍길동", "en": "Hong Gil-dong"}, "Director of Public Health", "2023-01-01")
    history = gnews("glossary", "check", str(registry))
    assert history.returncode == 0, history.stdout + history.stderr
    db.dispose()


def login(client, name: str, page: str) -> str:
    """Log ``name`` in at the desk; returns the CSRF token of ``page``'s forms."""
    client.cookies.clear()
    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text).group(1)
    client.post("/login", data={"name": name, "password": f"password-{name}", "csrf": csrf, "next": "/queue"})
    return re.search(r'name="csrf" value="([^"]+)"', client.get(page).text).group(1)


def test_the_desk_page_lists_the_registry_and_admins_add_posts(desk):
    client, _ = desk
    csrf = login(client, "root", "/people")
    form = {"csrf": csrf, "person_id": "kim-dong-yeon", "name_ko": "김동연", "name_en": "Kim Dong-yeon",
            "org_ko": "경기도", "org_en": "Gyeonggi", "title_ko": "지사", "title_en": "Governor", "title_type": "head",
            "start": "2022-07-01"}
    added = client.post("/people", data=form)
    assert "added kim-dong-yeon" in added.text and "Governor" in added.text and "2022-07-01" in added.text
    before = client.get("/people", params={"on": "2021-01-01"}).text
    assert "no post on 2021-01-01" in before
    refused = client.post("/people", data={**form, "start": "2023-13-01"})
    assert "not added" in refused.text and "is not a date" in refused.text
    login(client, "kim", "/people")
    assert "Add a person or a post" not in client.get("/people").text
    assert "Governor" in client.get("/people").text


def test_the_desk_glossary_page_shows_dated_concepts_and_admins_add_them(desk):
    client, _ = desk
    csrf = login(client, "root", "/glossary")
    old = {"csrf": csrf, "concept_id": "ggd-health", "type": "institution", "ko": "보건의료과",
           "en": "Health and Medical Division", "valid_to": "2023-06-30"}
    assert "added 보건의료과" in client.post("/glossary", data=old).text
    new = {**old, "ko": "보건건강국", "en": "Health Department", "valid_from": "2023-06-01", "valid_to": ""}
    overlapping = client.post("/glossary", data=new).text
    assert "not added" in overlapping and "overlap" in overlapping
    assert "added 보건건강국" in client.post("/glossary", data={**new, "valid_from": "2023-07-01"}).text
    before = client.get("/glossary", params={"on": "2022-01-01"}).text
    assert "Health and Medical Division" in before and "Health Department</td>" not in before
    after = client.get("/glossary", params={"on": "2024-01-01"}).text
    assert "Health Department</td>" in after and "Health and Medical Division" not in after.split("<h2>History")[0]
    assert "ggd-health" in after.split("<h2>History")[1]  # both additions are in the history, by root
    csrf = login(client, "kim", "/glossary")
    page = client.get("/glossary").text
    assert "Add a concept" not in page and "보건건강국" in page
    refused = client.post("/glossary", data={**new, "csrf": csrf, "ko": "다른", "valid_from": "2030-01-01"})
    assert "only admins edit the glossary" in refused.text
    assert "다른" not in client.get("/glossary").text
