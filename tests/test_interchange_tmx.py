"""TMX that other tools read and write: Translate Toolkit reads every unit of ours, export → import →
export gives the same file, and other tools' dialects are imported completely or refused with lines."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from translate.storage.tmx import tmxfile

from gnews_i18n.memory import lookup, remember
from gnews_i18n.memory.repository import export_tmx, import_tmx
from gnews_i18n.memory.tmx import TmxError
from gnews_i18n.store.db import Database
from gnews_i18n.store.models import MemoryEntry

from conftest import run_cli

PAIRS = [
    ("en", "ko", "The delegation arrived on November 7.", "대표단은 11월 7일에 도착했다.", "kim"),
    ("en", "ko", 'See <a href="https://example.org">the report</a>.',
     '<a href="https://example.org">보고서</a>를 보라.', "lee"),
    ("ko", "en", "경기도 보건국장이 방문했다.", "The head of Gyeonggi's health bureau visited.", "park"),
    ("en", "ru", "Eight hospitals took part.", "Участвовали восемь больниц.", "ivanova"),
]


def _fill(db: Database) -> None:
    with db.session() as session:
        for number, (src, tgt, source, target, who) in enumerate(PAIRS):
            remember(session, src, tgt, source, target, f"translation {number + 1}", who,
                     updated_at=dt.datetime(2026, 11, number + 1, 9, 30))


def _entries(db: Database) -> set[tuple]:
    with db.session() as session:
        return {(e.source_lang, e.target_lang, e.source_text, e.target_text, e.origin, e.author,
                 e.updated_at.replace(tzinfo=None, microsecond=0)) for e in session.scalars(select(MemoryEntry))}


def test_translate_toolkit_reads_every_unit_with_reviewer_and_origin(db):
    _fill(db)
    with db.session() as session:
        text = export_tmx(session)
        entries = {str(e.id): e for e in session.scalars(select(MemoryEntry))}
    store = tmxfile.parsestring(text.encode())
    assert len(store.units) == len(PAIRS)
    for unit in store.units:
        entry = entries[unit.getid()]
        assert (unit.source, unit.target) == (entry.source_text, entry.target_text)
        assert unit.xmlelement.get("srclang") == entry.source_lang
        assert unit.xmlelement.get("changeid") == unit.xmlelement.get("creationid") == entry.author
        assert [p.text for p in unit.xmlelement.findall("prop[@type='x-gnews-origin']")] == [entry.origin]


def test_export_import_export_gives_the_same_file(db, tmp_path):
    _fill(db)
    with db.session() as session:
        first = export_tmx(session)
    before = _entries(db)
    with db.session() as session:
        result = import_tmx(session, first.encode(), "desk.tmx")
    assert (result.units, result.entries) == (len(PAIRS), len(PAIRS))  # no reverse entries made up
    with db.session() as session:
        assert export_tmx(session) == first
    assert _entries(db) == before
    # Into another desk: the same entries, and from then on the same file.
    other = Database(f"sqlite:///{tmp_path / 'other.sqlite'}")
    with other.session() as session:
        import_tmx(session, first.encode(), "desk.tmx")
    assert _entries(other) == before
    with other.session() as session:
        second = export_tmx(session)
        import_tmx(session, second.encode(), "again.tmx")
    with other.session() as session:
        assert export_tmx(session) == second
    other.dispose()


def test_reverse_entries_only_when_asked(db, tmp_path):
    _fill(db)
    with db.session() as session:
        text = export_tmx(session).encode()
    other = Database(f"sqlite:///{tmp_path / 'other.sqlite'}")
    with other.session() as session:
        assert import_tmx(session, text, "desk.tmx", both_directions=True).entries == 2 * len(PAIRS)
        assert lookup(session, "ko", "en", ["대표단은 11월 7일에 도착했다."])
    other.dispose()


# Other tools' TMX: the 1.4 namespace, UTF-16 with a BOM (as Trados writes it), inline codes, a language the
# desk does not publish, TMX 1.1's `lang` attribute, and header-level srclang.
NAMESPACED = """<?xml version="1.0" encoding="UTF-16"?>
<tmx xmlns="http://www.lisa.org/tmx14" version="1.4">
  <header creationtool="SDL Language Platform" creationtoolversion="8.1" o-tmf="SDL TM8 Format"
          datatype="xml" segtype="sentence" adminlang="en-US" srclang="en-US"/>
  <body>
    <tu creationdate="20240105T101500Z" creationid="AGENCY\\translator1" changeid="AGENCY\\reviewer2"
        changedate="20240106T080000Z">
      <prop type="x-Context">ctx</prop>
      <tuv xml:lang="en-US"><seg>Call <bpt i="1">&lt;b&gt;</bpt>119<ept i="1">&lt;/b&gt;</ept> now.</seg></tuv>
      <tuv xml:lang="ko-KR"><seg><bpt i="1">&lt;b&gt;</bpt>119<ept i="1">&lt;/b&gt;</ept>에 지금 전화하세요.</seg></tuv>
      <tuv xml:lang="de-DE"><seg>Rufen Sie jetzt 119 an.</seg></tuv>
    </tu>
    <tu><tuv xml:lang="en-US"><seg>Only English here.</seg></tuv><tuv xml:lang="de-DE"><seg>Nur Deutsch.</seg></tuv>
    </tu>
    <tu srclang="ko-KR">
      <tuv lang="ko-KR"><seg>안녕하세요.</seg></tuv>
      <tuv lang="en-US"><seg>Hello.</seg></tuv>
    </tu>
  </body>
</tmx>
"""


def test_a_namespaced_utf16_tmx_from_a_cat_tool_is_imported_completely(db, tmp_path):
    path = tmp_path / "trados.tmx"
    path.write_bytes(NAMESPACED.encode("utf-16"))
    env = {"GNEWS_DATA_DIR": str(tmp_path / "var"), "GNEWS_DATABASE_URL": db.url}
    result = run_cli(env, "memory", "import", str(path))
    assert result.returncode == 0, result.stderr
    assert ("3 unit(s), 2 memory entries; 2 variant(s) in other languages skipped; 1 unit(s) without two such "
            "languages, not stored") in result.stdout
    with db.session() as session:
        hit = lookup(session, "en", "ko", ["Call <b>119</b> now."])
        (entry,) = hit.values()
        assert entry.target_text == "<b>119</b>에 지금 전화하세요." and entry.author == "AGENCY\\reviewer2"
        assert entry.updated_at.replace(tzinfo=None) == dt.datetime(2024, 1, 6, 8, 0)
        assert lookup(session, "ko", "en", ["안녕하세요."])
        assert not lookup(session, "ko", "en", ["<b>119</b>에 지금 전화하세요."])


@pytest.mark.parametrize(("tmx", "message"), [
    ('<tmx version="1.4"><body><tu><tuv xml:lang="en"><seg>a</seg></tuv><tuv xml:lang="ko"><seg>가</seg></tuv>'
     '</tu>\n<tu><tuv xml:lang="en"><segment>b</segment></tuv></tu></body></tmx>', r"x\.tmx:2: <tuv> .*<segment>"),
    ('<tmx version="1.4"><body>\n<tu><tuv xml:lang="de"><seg>a</seg></tuv><tuv xml:lang="fr"><seg>b</seg></tuv>'
     '</tu></body></tmx>', "no pair in two languages the desk publishes"),
    ('<tmx version="1.4"><body><tu srclang="ru"><tuv xml:lang="en"><seg>a</seg></tuv>'
     '<tuv xml:lang="ko"><seg>가</seg></tuv></tu></body></tmx>', "says srclang ru but has no ru <tuv>"),
    ('<tmx version="2.0"><body/></tmx>', "TMX version '2.0'"),
    ('<tmx version="1.4"><body/></tmx>', "the <body> has no <tu>"),
    ('<xliff version="1.2"/>', r"x\.tmx:1: not a TMX file \(root <xliff>"),
    ("<tmx><body>", r"x\.tmx:1: not well-formed XML"),
])
def test_files_it_cannot_use_are_refused_whole_with_the_line(db, tmx, message):
    with pytest.raises(TmxError, match=message), db.session() as session:
        import_tmx(session, tmx.encode(), "x.tmx")
    assert _entries(db) == set()  # the good first unit of a bad file is not stored either
