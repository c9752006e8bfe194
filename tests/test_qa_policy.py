"""The newsroom's severity policy, `gnews-i18n qa --date`, and the article date inside the desk."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import pytest

from gnews_i18n.pipeline import segment_article
from gnews_i18n.qa import QAContext, check_pair
from gnews_i18n.qa.policy import PolicyError, read_policy

DROPPED = ("환자는 수술을 받지 않았다.", "The patient underwent surgery.")


def severities(source, target, src="ko", tgt="en"):
    return {f["id"]: f["severity"] for f in check_pair(source, target, src, tgt, context=QAContext(origin="human"))}


def test_a_policy_raises_and_lowers_checks_per_language_pair(tmp_path, monkeypatch):
    policy = tmp_path / "qa-policy.toml"
    policy.write_text('[all]\nnumber_rounded = "off"\n\n[ko-en]\nnegation_mismatch = "error"\n', encoding="utf-8")
    assert severities(*DROPPED) == {"negation_mismatch": "warning"}  # the default
    monkeypatch.setenv("GNEWS_QA_POLICY", str(policy))
    assert severities(*DROPPED) == {"negation_mismatch": "error"}
    assert severities(DROPPED[1], DROPPED[0], "en", "ko") == {"negation_mismatch": "warning"}  # other pair
    assert "number_rounded" not in severities("632명이 왔다.", "More than 600 came.")
    policy.write_text('[ko-en]\nnegation_mismatch = "off"\n', encoding="utf-8")
    os.utime(policy, (1, 1))  # the file changed: read again
    assert severities(*DROPPED) == {}


def test_a_wrong_policy_says_where_and_what_to_write(tmp_path):
    bad = tmp_path / "p.toml"
    bad.write_text('[all]\nnumber_mismatch = "warning"\nnegation = "error"\n', encoding="utf-8")
    with pytest.raises(PolicyError, match=r"p.toml:3: unknown check 'negation'.*negation_mismatch"):
        read_policy(bad)
    bad.write_text('[ko-en]\nnumber_mismatch = "fatal"\n', encoding="utf-8")
    with pytest.raises(PolicyError, match=r"p.toml:2: number_mismatch = 'fatal'; use one of error, warning, off"):
        read_policy(bad)
    bad.write_text('[korean]\nnumber_mismatch = "error"\n', encoding="utf-8")
    with pytest.raises(PolicyError, match=r"\[korean\] is neither \[all\] nor a language pair"):
        read_policy(bad)


def _qa(*args, stdin):
    return subprocess.run([sys.executable, "-m", "gnews_i18n.cli", "qa", *args], input=stdin, capture_output=True,
                          text=True, env=os.environ.copy())


def test_qa_command_takes_the_article_date():
    pair = "도는 19일 설명회를 열었다.\tThe province held a briefing on March 19.\n"
    dated = _qa("--src", "ko", "--tgt", "en", "--json", "--date", "2024-03-20", stdin=pair)
    assert dated.returncode == 0 and json.loads(dated.stdout)["flags"] == []
    undated = _qa("--src", "ko", "--tgt", "en", "--json", stdin=pair)
    assert undated.returncode == 0  # a warning to confirm, not an error
    assert [f["id"] for f in json.loads(undated.stdout)["flags"]] == ["date_unconfirmed"]
    contradicted = _qa("--src", "ko", "--tgt", "en", "--date", "2024-07-20", stdin=pair)
    assert contradicted.returncode == 1 and "number_added: target has March" in contradicted.stdout
    wrong = _qa("--src", "ko", "--tgt", "en", "--date", "20.03.2024", stdin=pair)
    assert wrong.returncode == 1 and "YYYY-MM-DD" in wrong.stderr


def test_qa_command_shows_the_particle_fix():
    result = _qa("--src", "en", "--tgt", "ko", stdin="They visited the hospital.\t그들은 병원를 방문했다.\n")
    assert result.returncode == 1
    assert "particle_mismatch" in result.stdout and "[fix: 병원를 → 병원을]" in result.stdout


def test_segments_carry_the_article_date_into_the_checks():
    from gnews_i18n.intake.article import Block

    drafts = segment_article("제목", [Block("paragraph", "도는 19일 밝혔다. 설명회도 열었다.")], "ko",
                             dt.date(2024, 3, 20))
    assert {d.article_date for d in drafts} == {dt.date(2024, 3, 20)}
