"""No silent wrong forms (issue 30): dated rows without an id, the user's glossary over files
found by default, names inside longer names, overrides carried to corrections, particles."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gnews_i18n.cli import app
from gnews_i18n.qa import QAContext, check_pair
from gnews_i18n.terms import Terminology
from gnews_i18n.terms.csvfile import read_csv
from gnews_i18n.terms.people import read_people
from gnews_i18n.terms.validation import check_glossary

ROOT = Path(__file__).resolve().parents[1]
OLD, NEW = "Director of the Health and Medical Division", "Director-General for Health and Medical Affairs"
# the file: one source form, two dated rows, no id column
DATED = f"""ko,en,type,valid_from,valid_to
보건의료과장,{OLD},title,,2023-03-31
보건의료과장,{NEW},title,2023-04-01,
"""


def copy_model(terminology: Terminology, source: str) -> str:
    """What a model that copies its placeholders does: the glossary's forms come back in place."""
    prepared = terminology.prepare(source)
    return terminology.finish(prepared.text, prepared)[0]


# --- 1. dated rows without an id are the periods of one concept ------------------------------

@pytest.mark.parametrize("day, wanted", [(dt.date(2021, 5, 10), OLD), (dt.date(2022, 5, 10), OLD),
                                         (dt.date(2023, 4, 1), NEW), (None, NEW)])
def test_dated_rows_without_an_id_take_the_form_valid_on_the_articles_date(day, wanted):
    glossary, problems = read_csv("dated.csv", DATED)
    assert not problems + check_glossary(glossary)
    text = copy_model(Terminology(glossary, "ko", "en", day=day), "보건의료과장이 발표했다.")
    assert wanted in text and ({OLD, NEW} - {wanted}).pop() not in text


def test_the_qa_check_and_the_engine_agree_on_dated_rows_without_an_id():
    glossary, _ = read_csv("dated.csv", DATED)
    day = dt.date(2022, 5, 10)
    terminology = Terminology(glossary, "ko", "en", day=day)
    context = QAContext(day, "human")
    wrong = check_pair("보건의료과장이 발표했다.", f"The {NEW} announced it.", "ko", "en", terminology, context)
    outdated = [f for f in wrong if f["id"] == "term_outdated"]
    assert outdated and outdated[0]["fix"] == {"find": NEW, "replace": OLD}, wrong
    right = check_pair("보건의료과장이 발표했다.", f"The {OLD} announced it.", "ko", "en", terminology, context)
    assert not [f for f in right if f["id"] in ("term_outdated", "term_missing")], right
    # the other way: the English forms differ, the shared Korean form makes them one concept
    back = Terminology(glossary, "en", "ko", day=dt.date(2024, 1, 1))
    flags = check_pair(f"The {OLD} spoke.", "보건의료과장이 말했다.", "en", "ko", back, QAContext(back.day, "human"))
    assert "term_outdated_source" in {f["id"] for f in flags}, flags


def test_an_overlapping_copy_without_an_id_is_still_refused_with_its_line():
    glossary, _ = read_csv("dated.csv", DATED + f"보건의료과장,{OLD} (acting),title,2023-01-01,2023-12-31\n")
    messages = [str(p) for p in check_glossary(glossary)]
    assert any(m.startswith("dated.csv:4: error:") and "overlaps" in m for m in messages), messages


def test_rows_without_an_id_that_share_no_form_stay_two_concepts():
    text = "ko,en,valid_from,valid_to\n보건소,Public Health Center,,2020-12-31\n의료원,Medical Center,2021-01-01,\n"
    glossary, _ = read_csv("two.csv", text)
    terminology = Terminology(glossary, "ko", "en", day=dt.date(2024, 1, 1))
    assert "Public Health Center" in copy_model(terminology, "보건소가 문을 열었다.")
    assert "Medical Center" in copy_model(terminology, "의료원이 문을 열었다.")
