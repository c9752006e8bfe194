"""Property tests: whatever bytes or structures arrive, intake and the glossary, PO, TBX and TMX
readers either parse them or refuse them with their own error — never an uncaught exception —
and each case finishes within 2 s. Derandomized (a fixed seed) with bounded examples."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

pytest.importorskip("hypothesis")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from gnews_i18n.intake import IntakeError, parse_article  # noqa: E402
from gnews_i18n.intake.article import SLUG_RE  # noqa: E402
from gnews_i18n.memory.repository import import_tmx  # noqa: E402
from gnews_i18n.memory.tmx import TmxError  # noqa: E402
from gnews_i18n.review.po import PoImportError, declared_id  # noqa: E402
from gnews_i18n.terms import GlossaryError  # noqa: E402
from gnews_i18n.terms.csvfile import read_csv  # noqa: E402
from gnews_i18n.terms.tbx_read import read_tbx  # noqa: E402

BOUNDED = settings(max_examples=250, derandomize=True, deadline=dt.timedelta(seconds=2), database=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
LANGS = st.sampled_from([None, "en", "ko", "ja", "EN", ""])
FORMATS = st.sampled_from([None, "markdown", "html", "text", "json"])
SENTENCE = st.sampled_from(["The delegation visited the hospital.", "경기도 대표단이 병원을 방문했다.", "", " ",
                            "2023-11-21", "a-slug", "\x00", "\ud800", "<b>bold</b>", "*", "&amp;", "\n\n"])
TEXT = st.one_of(SENTENCE, st.text(max_size=200))
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | TEXT,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(TEXT, inner, max_size=5), max_leaves=25)
ARTICLE_KEYS = ("title", "body", "blocks", "date", "author", "category", "slug", "lang", "kind", "text", "level")
JSON_ARTICLES = st.dictionaries(st.sampled_from(ARTICLE_KEYS), JSON_VALUES | TEXT, max_size=8)
HTML_PIECES = st.sampled_from(["<div>", "</div>", "<p>", "</p>", "<h1>", "</h1>", "<li>", "<ul>", "<article>",
                               "<script>", "</script>", "<!--", "-->", "<a href='http://x'>", "</a>", "<b>", "</b>",
                               "<html lang='ko'>", "<meta name=date content='2023-13-45'>", "<title>", "</title>",
                               "<span class='share'>", "</span>", "&amp;", "&#0;", "&#xd800;", "• Date 2023.11.21\n"])
YAML_PIECES = st.sampled_from(["title: ", "date: ", "slug: ", "lang: ", "author: ", "&a ", "*a", "[", "]", "{",
                               "}", "- ", ": ", "\n", "  ", "'", '"', "!!python/object ", "2023-13-45", "yes",
                               "1e999", "~", "<<: *a", "? ", "|", ">", "\\ud800", "경기도", "A visit"])


def _parse_or_refuse(data: bytes, name: str, lang: str | None, fmt: str | None) -> None:
    try:
        article = parse_article(data, name, lang=lang, fmt=fmt)
    except IntakeError as error:
        assert str(error)  # a refusal always says something
        return
    # what is accepted is whole: a title, a body, a known language, a slug that fits the rule
    assert article.title and article.blocks and article.lang in ("ko", "en")
    assert SLUG_RE.fullmatch(article.slug)
    for text in [article.title, *(block.text for block in article.blocks)]:
        text.encode("utf-8")  # storable: no lone surrogates
        assert "\x00" not in text


@BOUNDED
@given(data=st.binary(max_size=3000), name=st.sampled_from(["a.md", "a.html", "a.json", "a.txt", "a"]),
       lang=LANGS, fmt=FORMATS)
def test_random_bytes_are_parsed_or_refused(data, name, lang, fmt):
    _parse_or_refuse(data, name, lang, fmt)


@BOUNDED
@given(text=st.text(max_size=2000), encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp949"]),
       lang=LANGS, fmt=FORMATS)
def test_random_text_in_any_encoding_is_parsed_or_refused(text, encoding, lang, fmt):
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8", "surrogatepass")
    _parse_or_refuse(data, "article", lang, fmt)


@BOUNDED
@given(article=JSON_ARTICLES, lang=LANGS)
def test_random_json_structures_are_parsed_or_refused(article, lang):
    _parse_or_refuse(json.dumps(article).encode(), "a.json", lang, "json")


@BOUNDED
@given(front=st.lists(YAML_PIECES, max_size=40), body=st.lists(TEXT, max_size=5), lang=LANGS)
def test_random_front_matter_is_parsed_or_refused(front, body, lang):
    text = "---\n" + "".join(front) + "\n---\n" + "\n\n".join(body)
    _parse_or_refuse(text.encode("utf-8", "surrogatepass"), "a.md", lang, None)


@BOUNDED
@given(pieces=st.lists(st.one_of(HTML_PIECES, TEXT), max_size=300), lang=LANGS)
def test_random_html_is_parsed_or_refused(pieces, lang):
    _parse_or_refuse("".join(pieces).encode("utf-8", "surrogatepass"), "a.html", lang, "html")


CSV_CELLS = st.one_of(st.sampled_from(["ko", "en", "type", "id", "note", "dnt", "ko_variants", "place", "person",
                                       "경기도", "Gyeonggi", "yes", '"', '""', "|", "x,y"]), st.text(max_size=20))


@BOUNDED
@given(rows=st.lists(st.lists(CSV_CELLS, max_size=6), max_size=8), separator=st.sampled_from([",", ";", "\t"]))
def test_glossary_csv_is_read_or_refused(rows, separator):
    text = "\n".join(separator.join(row) for row in rows)
    try:
        glossary, problems = read_csv("fuzz.csv", text)
    except GlossaryError as error:
        assert all(p.file == "fuzz.csv" for p in error.problems)
        return
    assert all(p.file == "fuzz.csv" and p.line >= 1 for p in problems)
    assert all(term.forms for term in glossary.terms)


XML_PIECES = st.sampled_from([
    '<?xml version="1.0"?>', "<tbx>", "</tbx>", "<tmx version='1.4'>", "</tmx>", "<body>", "</body>", "<text>",
    "</text>", "<conceptEntry id='c1'>", "</conceptEntry>", "<termEntry>", "</termEntry>", "<langSec xml:lang='ko'>",
    "</langSec>", "<langSet xml:lang='en'>", "</langSet>", "<termSec>", "</termSec>", "<tig>", "</tig>", "<term>",
    "</term>", "<termNote type='administrativeStatus'>", "</termNote>", "deprecatedTerm-admn-sts", "<tu>", "</tu>",
    "<tuv xml:lang='ko'>", "<tuv lang='en'>", "</tuv>", "<seg>", "</seg>", "<descrip type='subjectField'>",
    "</descrip>", "<note>", "</note>", "경기도", "Gyeonggi", "&amp;", "&lt;", "<!DOCTYPE x [<!ENTITY a 'aaaa'>]>",
    "&a;", "<prop type='x-origin'>", "</prop>", "<![CDATA[x]]>"])


@BOUNDED
@given(pieces=st.lists(st.one_of(XML_PIECES, st.text(max_size=10)), max_size=60))
def test_tbx_is_read_or_refused(pieces, tmp_path):
    path = tmp_path / "fuzz.tbx"
    path.write_bytes("".join(pieces).encode("utf-8", "surrogatepass"))
    try:
        glossary, _ = read_tbx(path)
    except GlossaryError as error:
        assert str(error)
        return
    assert all(term.forms for term in glossary.terms)


@pytest.fixture(scope="module")
def memory_db(tmp_path_factory):
    from gnews_i18n.store.db import Database

    database = Database(f"sqlite:///{tmp_path_factory.mktemp('tmx') / 'memory.sqlite'}")
    yield database
    database.dispose()


@BOUNDED
@given(pieces=st.lists(st.one_of(XML_PIECES, st.text(max_size=10)), max_size=60))
def test_tmx_is_read_or_refused(pieces, memory_db):
    data = "".join(pieces).encode("utf-8", "surrogatepass")
    try:
        with memory_db.session() as session:
            result = import_tmx(session, data, "fuzz.tmx")
    except TmxError as error:
        assert str(error).startswith("fuzz.tmx")
        return
    # imported: at least one unit paired, each paired unit gave at least one entry
    assert 0 <= result.unpaired < result.units and result.entries >= result.units - result.unpaired


PO_PIECES = st.sampled_from([
    'msgid ""\n', 'msgstr ""\n', '"X-Gnews-Translation: 3\\n"\n', '"Content-Type: text/plain; charset=UTF-8\\n"\n',
    'msgctxt "title"\n', 'msgid "Hello"\n', 'msgstr "안녕"\n', "#, fuzzy\n", "#. v1\n", "#~ msgid \"old\"\n",
    'msgstr[0] "x"\n', 'msgid_plural "p"\n', '"unterminated\n', "\n", '"\\', "\\n", '"\\u"\n', "msgid\n",
    '"X-Gnews-Translation: 99999999999999999999999\\n"\n', '"Plural-Forms: nplurals=x; plural=(n;\\n"\n',
    # the header the import reads: a real id, and digits int() refuses ("²".isdigit() is True)
    *(f'msgid ""\nmsgstr ""\n"X-Gnews-Translation-Id: {n}\\n"\n' for n in ("3", "²", "٣", "0012", ""))])


@BOUNDED
@given(pieces=st.lists(st.one_of(PO_PIECES, st.text(max_size=10)), max_size=40), as_bytes=st.booleans())
def test_po_files_are_read_or_refused(pieces, as_bytes):
    text = "".join(pieces)
    data = text.encode("utf-8", "surrogatepass") if as_bytes else text
    try:
        declared = declared_id(data, "fuzz.po")
    except PoImportError as error:
        assert error.problems and all(p.startswith("fuzz.po") for p in error.problems)
        return
    # only a header that names the id in digits 0-9 gives one, and it is that id
    assert re.search(rf"X-Gnews-Translation-Id: *0*{declared}\\n", text), (declared, text)
