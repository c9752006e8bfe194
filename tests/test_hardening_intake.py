"""Bad articles and glossaries are refused with a message that names the field, in bounded time."""

from __future__ import annotations

import json
import time

import pytest

from gnews_i18n.intake import IntakeError, parse_article
from gnews_i18n.terms import GlossaryError, load_glossaries
from gnews_i18n.terms.csvfile import read_csv

BODY = "The delegation visited the hospital on Tuesday and signed an agreement."


def _json(**fields) -> bytes:
    return json.dumps({"title": "A visit to the hospital", "body": BODY, **fields}).encode()


@pytest.mark.parametrize("data, field, message", [
    (_json(blocks=None), "blocks", "blocks must be a list"),
    (json.dumps({"title": "A visit", "blocks": [{"kind": "paragraph", "text": BODY, "level": "x"}]}).encode(),
     "blocks[0].level", "level must be a whole number"),
    (json.dumps({"title": "A visit", "blocks": [{"kind": "heading", "text": BODY, "level": 10**30}]}).encode(),
     "blocks[0].level", "level must be a whole number"),
    (json.dumps({"title": "A visit", "blocks": [{"text": ["a"]}]}).encode(), "blocks[0].text", "must be a string"),
    (_json(slug=1), "slug", "slug must be a string"),
    (_json(author={}), "author", "author must be a string"),
    (_json(title=["a", "b"]), "title", "title must be a string"),
    (_json(title=True), "title", "title must be a string"),
    (_json(date="2023-13-45"), "date", "is not a date"),
    (_json(title="\ud800 visit"), "title", "lone surrogate"),
    (_json(author="Kim" + "x" * 300), "author", "limit is 200"),
    (_json(slug="a-visit\n"), "slug", "lowercase letters"),
])
def test_json_articles_with_wrong_shapes_are_refused_naming_the_field(data, field, message):
    with pytest.raises(IntakeError, match=message) as caught:
        parse_article(data, "a.json", lang="en")
    assert caught.value.field == field


def test_deep_json_is_refused_before_parsing():
    started = time.monotonic()
    with pytest.raises(IntakeError, match="nested 100000 levels deep"):
        parse_article(b"[" * 100_000, "deep.json", max_bytes=10**6)
    assert time.monotonic() - started < 2


@pytest.mark.parametrize("front, message", [
    ("title: [a, b]", "title must be text"),
    ("title: true", "title must be text"),
    ("title: A visit\ndate: 2023-13-45", "impossible date"),
    ("title: A visit\nslug: a-visit\n  ", None),  # fine: control
    ('title: A visit\nslug: "a-visit\\n"', "lowercase letters"),
    # the alias bomb: a few hundred bytes that would expand to a 5 MB title or 10⁹ elements
    ("a: &a ['lol','lol','lol','lol','lol','lol','lol','lol','lol']\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
     "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\ntitle: A visit", "may not use aliases"),
    ("title: " + "[" * 5000, "nested more than"),
])
def test_front_matter_is_typed_and_has_no_aliases(front, message):
    data = f"---\n{front}\n---\n{BODY}\n".encode()
    if message is None:
        assert parse_article(data, "a.md", lang="en").slug == "a-visit"
        return
    with pytest.raises(IntakeError, match=message):
        parse_article(data, "a.md", lang="en")


def test_nested_html_is_refused_quickly_and_normal_nesting_still_parses():
    deep = "<html><body><article><h1>A visit</h1>" + "<div>" * 40_000 + BODY + "</div>" * 40_000 + "</article>"
    started = time.monotonic()
    with pytest.raises(IntakeError, match="nests elements 40001 deep; the limit is 256"):
        parse_article(deep.encode(), "deep.html", lang="en", max_bytes=10**6)
    assert time.monotonic() - started < 2
    fine = "<html><body><article><h1>A visit</h1>" + "<div>" * 100 + f"<p>{BODY}</p>" + "</div>" * 100
    assert parse_article(fine.encode(), "ok.html", lang="en").blocks[0].text == BODY
    # unclosed <p> are siblings, not nesting: 5,000 of them are a long article, not a bomb
    flat = "<html><body><article><h1>A visit</h1>" + f"<p>{BODY}" * 5000
    assert len(parse_article(flat.encode(), "flat.html", lang="en", max_bytes=10**6).blocks) == 5000


def test_nul_anywhere_is_refused_and_utf16_with_bom_is_text():
    late_nul = f"A visit\n\n{BODY}\n".encode() + b"x" * 5000 + b"\x00"
    with pytest.raises(IntakeError, match="NUL byte at offset 5"):
        parse_article(late_nul, "a.txt", lang="en")
    for encoding in ("utf-16", "utf-16-be", "utf-32"):
        text = f"한국 대표단 방문\n\n{BODY}\n"
        data = ("\ufeff" + text).encode(encoding) if encoding == "utf-16-be" else text.encode(encoding)
        article = parse_article(data, f"a-{encoding}.txt", lang="en")
        assert article.title == "한국 대표단 방문" and article.blocks[0].text == BODY


def test_a_short_glossary_row_is_an_error_with_its_line(tmp_path):
    path = tmp_path / "places.csv"
    path.write_text("ko,en,type\n수원,Suwon,place\n경기도,place\n", encoding="utf-8")
    glossary, problems = read_csv(path)
    assert [str(p) for p in problems] == [
        f"{path}:3: error: 2 cells but 3 columns (ko, en, type); write an empty cell for each missing value, "
        "e.g. 경기도,,place"]
    assert [t.forms for t in glossary.terms] == [{"ko": "수원", "en": "Suwon"}]


def test_a_missing_glossary_says_not_found(tmp_path):
    with pytest.raises(GlossaryError) as caught:
        load_glossaries([tmp_path / "nope.csv"])
    assert str(caught.value) == f"{tmp_path / 'nope.csv'}: not found"


def test_a_line_the_csv_module_cannot_read_is_a_problem_not_a_crash():
    with pytest.raises(GlossaryError, match=r"^odd.csv:2: error: not readable as CSV"):
        read_csv("odd.csv", "ko,en\n수원\rSuwon,x\n")
