"""Glossary files: the CSV people write, TBX for CAT tools, and every problem with its line."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from gnews_i18n.terms import GlossaryError, load_glossaries, read_glossary_file
from gnews_i18n.terms.csvfile import read_csv, write_csv
from gnews_i18n.terms.tbx import write_tbx
from gnews_i18n.terms.tbx_read import read_tbx

from conftest import NEWSLETTER_GLOSSARY


def _write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_minimal_file_is_accepted_as_it_is(tmp_path):
    path = _write(tmp_path, "min.csv", "ko,en\n아주대학교병원,Ajou University Hospital\n경기도,Gyeonggi-do\n")
    glossary, problems = read_glossary_file(path)
    assert problems == []
    assert [t.forms for t in glossary.terms] == [
        {"ko": "아주대학교병원", "en": "Ajou University Hospital"}, {"ko": "경기도", "en": "Gyeonggi-do"}]
    typed, problems = read_glossary_file(_write(tmp_path, "typed.csv", "ko,en,type\n타슈켄트,Tashkent,place\n"))
    assert problems == [] and typed.terms[0].type == "place"


def test_the_newsletter_glossary_is_clean_and_covers_the_sample():
    glossary, problems = read_glossary_file(NEWSLETTER_GLOSSARY)
    assert problems == []
    by_ko = {t.forms["ko"]: t for t in glossary.terms}
    assert by_ko["분당서울대학교병원"].forms["en"] == "Seoul National University Bundang Hospital"
    assert by_ko["고려대학교 안산병원"].forms["en"] == "Korea University Ansan Hospital"
    assert by_ko["레보아이"].ko_reading == "레보아이" and by_ko["레보아이"].type == "product"
    assert by_ko["행정1부지사"].type == "title" and by_ko["엄원자"].forms["en"] == "Eom Won-ja"
    assert {t.type for t in glossary.terms} == {"person", "institution", "place", "title", "program", "product"}
    assert by_ko["타슈켄트"].forms["uz"] == "Toshkent"


@pytest.mark.parametrize(("text", "line", "message"), [
    ("ko,en\n서울,Seoul\n서울,Seoul\n", 3, "duplicate concept"),
    ("ko,en\n서울,Seoul\n서울,Soul\n", 3, "maps to en 'Soul' here but to 'Seoul' on line 2"),
    ("ko,en,type\n서울,Seoul,city\n", 2, "type 'city' is not one of"),
    ("ko,en,type\n,,place\n", 2, "every language column is empty"),
    ("ko,en,xx\n서울,Seoul,Sel\n", 1, "unknown column 'xx'"),
    ("id,ko,en\na,서울,Seoul\na,부산,Busan\n", 3, "duplicate concept id 'a'"),
    ('ko,en\n미래컴퍼니,Meere Company, Co. Ltd.\n', 2, "a comma inside a form needs quotes"),
])
def test_problems_name_file_and_line(tmp_path, text, line, message):
    path = _write(tmp_path, "g.csv", text)
    _, problems = read_glossary_file(path)
    assert any(p.line == line and message in p.message and p.file == str(path) for p in problems), problems
    with pytest.raises(GlossaryError, match=rf"g\.csv:{line}: error"):
        load_glossaries([path])


def test_a_file_that_is_not_utf8_says_so_at_the_line_and_column(tmp_path):
    path = tmp_path / "cp949.csv"
    path.write_bytes("ko,en\n경기도,Gyeonggi\nSeoul,서울\n".encode("cp949"))  # the first bad byte: line 2, column 1
    with pytest.raises(GlossaryError, match=r"cp949\.csv:2: error: not UTF-8 \(column 1,"):
        load_glossaries([path])
    path.write_bytes(b"ko,en\n" + "Seoul,서울\n".encode("cp949"))
    with pytest.raises(GlossaryError, match=r"cp949\.csv:2: error: not UTF-8 \(column 7,"):
        load_glossaries([path])


def test_an_unclosed_quote_is_named_at_its_own_line(tmp_path):
    path = _write(tmp_path, "bad7.csv", 'ko,en,type\n서울,Seoul,place\n부산,Busan,place\n"경기도,Gyeonggi,place\n'
                  "인천,Incheon,place\n")
    with pytest.raises(GlossaryError) as raised:
        load_glossaries([path])
    assert "bad7.csv:4: error: a quote opened on this line is not closed" in str(raised.value)


def test_glossary_check_command_exit_status(tmp_path):
    good = _write(tmp_path, "good.csv", "ko,en\n서울,Seoul\n")
    bad = _write(tmp_path, "bad.csv", "ko,en\n서울,Seoul\n서울,Soul\n")
    run = lambda *files: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "gnews_i18n.cli", "glossary", "check", *map(str, files)],
        capture_output=True, text=True, env=os.environ.copy())
    assert run(good).returncode == 0
    result = run(good, bad)
    assert result.returncode == 1 and f"{bad}:3: error:" in result.stdout


def test_later_glossaries_override_earlier_ones(tmp_path):
    global_file = _write(tmp_path, "global.csv", "ko,en\n경기도,Gyeonggi Province\n서울,Seoul\n")
    article_file = _write(tmp_path, "article.csv", "ko,en\n경기도,Gyeonggi-do\n")
    merged = load_glossaries([global_file, article_file])
    assert {t.forms["ko"]: t.forms["en"] for t in merged.terms} == {"경기도": "Gyeonggi-do", "서울": "Seoul"}


def test_tbx_round_trip_keeps_every_field(tmp_path):
    glossary, _ = read_glossary_file(NEWSLETTER_GLOSSARY)
    path = _write(tmp_path, "g.tbx", write_tbx(glossary, fmt="tbx3"))
    text = path.read_text()
    assert 'xmlns="urn:iso:std:iso:30042:ed-2"' in text and "<conceptEntry" in text
    again, warnings = read_tbx(path)
    assert warnings == []
    assert write_csv(again) == write_csv(glossary)


def test_tbx_2008_term_entries_are_read(tmp_path):
    path = _write(tmp_path, "old.tbx", """<?xml version="1.0"?>
<martif type="TBX" xml:lang="en"><text><body>
<termEntry id="t1"><descrip type="subjectField">place</descrip>
<langSet xml:lang="en"><tig><term>Tashkent</term></tig></langSet>
<langSet xml:lang="ko"><tig><term>타슈켄트</term></tig></langSet></termEntry>
</body></text></martif>""")
    glossary, _ = read_tbx(path)
    assert glossary.terms[0].forms == {"en": "Tashkent", "ko": "타슈켄트"} and glossary.terms[0].type == "place"


def test_malformed_tbx_names_the_line(tmp_path):
    path = _write(tmp_path, "bad.tbx", "<tbx>\n<text>\n<body>\n</tbx>\n")
    with pytest.raises(GlossaryError, match=r"bad\.tbx:4: error: not well-formed"):
        load_glossaries([path])


def test_csv_written_back_reads_the_same():
    glossary, _ = read_glossary_file(NEWSLETTER_GLOSSARY)
    again, problems = read_csv("again.csv", write_csv(glossary))
    assert problems == [] and write_csv(again) == write_csv(glossary)
