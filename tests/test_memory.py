"""Translation memory, TMX, and the reviewer-effort report."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET

import pytest

from gnews_i18n.articles.submission import submit
from gnews_i18n.config import load_settings
from gnews_i18n.intake import parse_article
from gnews_i18n.memory import lookup, normalize, source_key
from gnews_i18n.memory.repository import export_tmx, import_tmx
from gnews_i18n.memory.tmx import TmxError
from gnews_i18n.review.actions import approve, edit_segment, get_translation
from gnews_i18n.review.effort import edit_rate, effort, effort_csv
from gnews_i18n.store.db import Database
from gnews_i18n.store.models import MemoryEntry, Translation
from gnews_i18n.worker.job import run_translation

from conftest import EN_SAMPLE
from conftest import run_cli as run


def _approve_with_one_edit(db, translation_id) -> str:
    with db.session() as session:
        edit_segment(session, translation_id, "title", "경기도, 타슈켄트 의료 대표단 초청", "kim")
        approve(session, translation_id, "kim", override="random test model")
        return get_translation(session, translation_id).segments[0].source_text


def test_normalized_keys():
    assert normalize("  5만\u3000명 ,  ㎎ ") == "5만 명 , mg"
    assert source_key("A  b") == source_key("A b") != source_key("a b")


def test_approved_segments_fill_the_same_sentences_later_without_the_model(db, draft, monkeypatch, tmp_path):
    title_source = _approve_with_one_edit(db, draft)
    with db.session() as session:
        entries = session.query(MemoryEntry).count()
        assert entries >= 10
        hit = lookup(session, "en", "ko", [title_source])[source_key(title_source)]
        assert hit.target_text == "경기도, 타슈켄트 의료 대표단 초청" and hit.origin == f"translation {draft}"
    # The same article again under another slug; no model is reachable now.
    monkeypatch.setenv("GNEWS_MODEL_EN_KO", str(tmp_path / "no-model-here"))
    copy = dataclasses.replace(parse_article(EN_SAMPLE.read_bytes(), EN_SAMPLE.name), slug="a-copy-of-the-sample")
    with db.session() as session:
        again = submit(session, copy, ["ko"]).translation_ids[0]
    outcome = run_translation(db, load_settings(), again, "w")
    assert outcome.status == "done"
    with db.session() as session:
        translation = session.get(Translation, again)
        assert translation.model_id == "translation memory"
        assert {s.state for s in translation.segments} == {"memory"}
        assert translation.segments[0].text == "경기도, 타슈켄트 의료 대표단 초청"
        assert translation.segments[0].provenance["origin"] == f"translation {draft}"


def test_tmx_round_trip(db, draft, tmp_path):
    _approve_with_one_edit(db, draft)
    with db.session() as session:
        tmx = export_tmx(session)
        count = session.query(MemoryEntry).count()
    root = ET.fromstring(tmx)
    assert root.get("version") == "1.4" and root.find("header").get("srclang") == "en"
    units = root.findall("body/tu")
    assert len(units) == count
    langs = [tuv.get("{http://www.w3.org/XML/1998/namespace}lang") for tuv in units[0].findall("tuv")]
    assert langs == ["en", "ko"]
    other = Database(f"sqlite:///{tmp_path / 'other.sqlite'}")
    with other.session() as session:
        result = import_tmx(session, tmx.encode(), "desk.tmx")
    assert result.units == count and result.entries == count  # in the stated direction only
    with other.session() as session:
        source = units[0].find("tuv/seg").text
        assert lookup(session, "en", "ko", [source])
        assert not lookup(session, "ko", "en", [units[0].findall("tuv/seg")[1].text])
    other.dispose()
    with pytest.raises(TmxError, match=r"bad\.tmx:1: not well-formed"), other.session() as session:
        import_tmx(session, b"<tmx><body>", "bad.tmx")


def test_memory_commands(gnews_env, draft, db, tmp_path):
    _approve_with_one_edit(db, draft)
    out = tmp_path / "memory.tmx"
    exported = run(gnews_env, "memory", "export", "-o", str(out))
    assert exported.returncode == 0, exported.stderr
    imported = run(gnews_env, "memory", "import", str(out))
    assert imported.returncode == 0 and "memory entries" in imported.stdout
    broken = tmp_path / "broken.tmx"
    broken.write_text("<tmx>", encoding="utf-8")
    refused = run(gnews_env, "memory", "import", str(broken))
    assert refused.returncode == 1 and "broken.tmx:1" in refused.stderr


def test_edit_rate():
    assert edit_rate("같은 문장", "같은 문장") == 0.0
    assert edit_rate("abcd", "abce") == 0.25
    assert edit_rate("", "new") == 1.0


def test_report_by_model_pair_and_month(db, draft, gnews_env):
    _approve_with_one_edit(db, draft)
    with db.session() as session:
        rows = effort(session)
        segments = len(get_translation(session, draft).segments)
    assert len(rows) == 1
    row = rows[0]
    assert row.pair == "en-ko" and row.translations == 1 and row.segments == segments
    assert row.unchanged == segments - 1 and 0 < row.mean_edit_rate < 1
    csv_text = effort_csv(rows)
    assert csv_text.splitlines()[0].startswith("model,pair,month,translations,segments,mean_edit_rate")
    table = run(gnews_env, "report")
    assert table.returncode == 0 and "en-ko" in table.stdout
    assert run(gnews_env, "report", "--csv", "-").stdout == csv_text
