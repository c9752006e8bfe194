"""The glossary commands as a terminologist uses them, and glossaries in translation jobs."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from sqlalchemy import select

from gnews_i18n.articles.submission import submit
from gnews_i18n.config import load_settings
from gnews_i18n.intake import parse_article
from gnews_i18n.store.db import Database
from gnews_i18n.store.models import Segment
from gnews_i18n.terms import load_glossaries
from gnews_i18n.worker.job import run_translation

from conftest import EN_SAMPLE, NEWSLETTER_GLOSSARY


def gnews(env, *args, input=None):
    return subprocess.run([sys.executable, "-m", "gnews_i18n.cli", *args], env={**os.environ, **env},
                          input=input, capture_output=True, text=True, timeout=300)


def test_add_list_export_import(gnews_env, tmp_path):
    own = tmp_path / "own.csv"
    added = gnews(gnews_env, "glossary", "add", str(own), "--form", "ko=수원", "--form", "en=Suwon", "--type", "place")
    assert added.returncode == 0, added.stderr
    conflict = gnews(gnews_env, "glossary", "add", str(own), "--form", "ko=수원", "--form", "en=Soowon")
    assert conflict.returncode == 1 and "one source form must have one target" in conflict.stderr
    assert own.read_text(encoding="utf-8").count("\n") == 2  # nothing half-added

    listed = gnews({**gnews_env, "COLUMNS": "250"}, "glossary", "list", "--type", "person")
    assert "Eom Won-ja" in listed.stdout and "Ajou" not in listed.stdout

    tbx = tmp_path / "all.tbx"
    assert gnews(gnews_env, "glossary", "export", "-o", str(tbx)).returncode == 0
    back = tmp_path / "back.csv"
    imported = gnews(gnews_env, "glossary", "import", str(tbx), "-o", str(back))
    assert imported.returncode == 0, imported.stderr
    assert len(load_glossaries([back]).terms) == len(load_glossaries([NEWSLETTER_GLOSSARY]).terms)


def test_translate_json_reports_hits_and_suggestions(gnews_env):
    result = gnews(gnews_env, "translate", "--src", "ko", "--tgt", "en", "--json",
                   input="홍길동 경기도 보건국장은 분당서울대학교병원을 방문했다.\n")
    assert result.returncode == 0, result.stderr
    line = json.loads(result.stdout)
    assert "Seoul National University Bundang Hospital" in line["text"] and "Hong Gil-dong" in line["text"]
    assert {hit["term"] for hit in line["terms"]} >= {"snubh", "gyeonggi-do"}
    assert [f["suggestion"] for f in line["flags"] if f["id"] == "name_suggested"] == ["Hong Gil-dong"]


def test_translate_takes_extra_glossaries_over_the_active_ones(gnews_env, tmp_path):
    override = tmp_path / "override.csv"
    override.write_text("ko,en\n경기도,Gyeonggi Province\n", encoding="utf-8")
    result = gnews(gnews_env, "translate", "--src", "ko", "--tgt", "en", "--glossary", str(override),
                   input="경기도에서 열렸다.\n")
    assert "Gyeonggi Province" in result.stdout and "Gyeonggi-do" not in result.stdout
    broken = tmp_path / "broken.csv"
    broken.write_text("ko,en,type\n서울,Seoul,city\n", encoding="utf-8")
    bad = gnews(gnews_env, "translate", "--src", "ko", "--tgt", "en", "--glossary", str(broken), input="서울\n")
    assert bad.returncode == 1 and f"{broken}:2: error" in bad.stderr


def test_an_articles_own_glossary_overrides_the_global_one(gnews_env, tmp_path):
    own = tmp_path / "article.csv"
    own.write_text("ko,en\n분당서울대병원,Seoul National University Bundang Hospital\n", encoding="utf-8")
    result = gnews(gnews_env, "submit", str(EN_SAMPLE), "--to", "ko", "--no-queue", "--glossary", str(own))
    assert result.returncode == 0, result.stderr
    db = Database(load_settings().database_url)
    run_translation(db, load_settings(), 1, "w")
    with db.session() as session:
        segments = session.scalars(select(Segment).where(Segment.translation_id == 1)).all()
        targets = {hit["target"] for s in segments for hit in s.terms}
    assert "분당서울대병원" in targets and "분당서울대학교병원" not in targets  # the article's form wins
    assert "아주대학교병원" in targets  # the global glossary still applies
    with db.session() as session:  # the same text with another glossary is a new revision to translate
        again = submit(session, parse_article(EN_SAMPLE.read_bytes(), EN_SAMPLE.name), ["ko"], glossary=None)
    assert again.revision_number == 2
    db.dispose()
    db.dispose()


def test_suggested_names_are_confirmed_into_a_glossary(gnews_env, tmp_path):
    article = tmp_path / "ko.md"
    article.write_text("---\ntitle: 방문\nlang: ko\n---\n\n홍길동 경기도 보건국장은 아주대학교병원을 방문했다.\n",
                       encoding="utf-8")
    submitted = gnews(gnews_env, "submit", str(article), "--to", "en", "--no-queue")
    assert submitted.returncode == 0, submitted.stderr
    db = Database(load_settings().database_url)
    run_translation(db, load_settings(), 1, "w")
    target = tmp_path / "people.csv"
    confirmed = gnews(gnews_env, "glossary", "confirm-names", "1", "--to", str(target))
    assert confirmed.returncode == 0, confirmed.stderr
    terms = load_glossaries([target]).terms
    assert [(t.forms["ko"], t.forms["en"], t.type) for t in terms] == [("홍길동", "Hong Gil-dong", "person")]
    db.dispose()
