"""Offline review in CAT tools through XLIFF 1.2 and 2.0: Translate Toolkit reads every unit we write,
tags travel as codes, and a reviewed file comes back with the PO import's guarantees."""

from __future__ import annotations

import pytest
from translate.storage.xliff import xlifffile
from translate.storage.xliff2 import Xliff2File

from gnews_i18n.markup import TAG_RE
from gnews_i18n.review.actions import edit_segment, get_translation, position
from gnews_i18n.review.file_import import ReviewImportError
from gnews_i18n.review.xliff import export_for, import_xliff
from gnews_i18n.store.models import SegmentChange

from conftest import NEWSLETTER_GLOSSARY, run_cli
from review_draft import SEGMENTS


def _state(db, translation_id) -> dict[str, tuple]:
    with db.session() as session:
        return {position(s): (s.text, s.state, s.version) for s in get_translation(session, translation_id).segments}


@pytest.mark.parametrize("version", ["1.2", "2.0"])
def test_translate_toolkit_reads_every_unit_we_write(desk, version):
    db, translation_id = desk
    with db.session() as session:
        text = export_for(session, translation_id, version)
    store = (xlifffile if version == "1.2" else Xliff2File).parsestring(text.encode())
    assert len(store.units) == len(SEGMENTS)
    for unit, (block, sentence, source, draft, terms, flags) in zip(store.units, SEGMENTS, strict=True):
        where = "title" if block < 0 else f"{block}.{sentence}"
        assert unit.getid().split("\x04")[-1].split("::")[0] == where
        # Tags are inline codes: Translate Toolkit shows the text around them.
        assert (unit.source, unit.target) == (TAG_RE.sub("", source), TAG_RE.sub("", draft))
        if version == "1.2":
            notes = unit.getnotes()
            assert "gnews: segment" in notes and all(t["target"] in notes for t in terms)
            assert all(f["id"] in notes for f in flags)
            assert unit.xmlelement.find("{*}target").get("state") == "needs-review-translation"
    assert ('<g id="1" ctype="link">' if version == "1.2" else '<pc id="1" dataRefStart="d1" dataRefEnd="d1e" '
            'type="link">') in text
    assert f'gnews:translation-id="{translation_id}"' in text and 'gnews:source-revision="1"' in text


def test_xliff_12_round_trip_through_the_cli_edits_approves_and_checks_again(desk, tmp_path):
    db, translation_id = desk
    env = {"GNEWS_DATA_DIR": str(tmp_path / "var"), "GNEWS_DATABASE_URL": db.url,
           "GNEWS_GLOSSARIES": str(NEWSLETTER_GLOSSARY)}
    path = tmp_path / "draft.xlf"
    exported = run_cli(env, "review", "export", str(translation_id), "-o", str(path))
    assert exported.returncode == 0, exported.stderr
    text = path.read_text(encoding="utf-8")
    assert text.count("<trans-unit ") == len(SEGMENTS)
    # What a CAT tool does: confirm the title, correct a sentence inside its codes (and get a number wrong).
    text = text.replace('<trans-unit id="title" resname="title" approved="no"',
                        '<trans-unit id="title" resname="title" approved="yes"')
    text = text.replace('<g id="1" ctype="italic">대표단</g>은 11월 7일에',
                        '<g id="1" ctype="italic">방문단</g>은 11월 9일에')
    path.write_text(text, encoding="utf-8")
    imported = run_cli(env, "review", "import", str(path), "--by", "kim")
    assert imported.returncode == 0, imported.stderr
    assert "1 edited, 1 approved, 2 unchanged" in imported.stdout
    assert "0.0: error: source 7 → target 9" in imported.stdout  # QA ran on the changed segment
    state = _state(db, translation_id)
    assert state["title"][1] == "approved"
    assert state["0.0"][:2] == ("<em>방문단</em>은 11월 9일에 도착했다.", "edited")
    with db.session() as session:
        actions = {(c.action, c.author) for c in session.query(SegmentChange).filter_by(translation_id=translation_id)}
    assert actions == {("approve", "kim"), ("import", "kim")}


# What a CAT tool hands back from our 2.0 file: our attributes dropped (only standard ones kept),
# mrk annotations added, pc moved within the sentence, one placeholder, states set to final.
CAT_20 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="ko"
       xmlns:mtc="urn:oasis:names:tc:xliff:matches:2.0">
 <file id="f1" original="gnews-i18n/translation/{id}/revision/1/delegation-visit">
  <unit id="0.1">
   <notes><note category="gnews">gnews: segment {seg} version 1 (machine)</note></notes>
   <segment state="final">
    <source>See <pc id="1">the report</pc>.</source>
    <target>보고서를 <pc id="1"><mrk id="m1" type="comment" value="checked">보라</mrk></pc>.</target>
   </segment>
  </unit>
  <unit id="1.0">
   <segment state="reviewed">
    <source>The minister said "welcome" to the 8 hospitals.</source>
    <target>장관은 8개 병원에 "환영합니다"라고 말했다.</target>
   </segment>
  </unit>
 </file>
</xliff>
"""


def test_xliff_20_from_a_cat_tool_with_pc_and_mrk_is_imported_completely(desk):
    db, translation_id = desk
    with db.session() as session:
        seg = next(s.id for s in get_translation(session, translation_id).segments if position(s) == "0.1")
        result = import_xliff(session, CAT_20.format(id=translation_id, seg=seg).encode(), "cat.xlf", "kim")
    assert (result.edited, result.approved, result.unchanged) == (["0.1", "1.0"], ["0.1"], 0)
    assert result.flags["1.0"] == []  # the number is right now: the QA flag is gone
    state = _state(db, translation_id)
    assert state["0.1"][:2] == ('보고서를 <a href="https://example.org/r">보라</a>.', "approved")
    assert state["1.0"][:2] == ('장관은 8개 병원에 "환영합니다"라고 말했다.', "edited")


def test_a_bad_xliff_lists_every_problem_with_its_line_and_applies_nothing(desk):
    db, translation_id = desk
    with db.session() as session:
        text = export_for(session, translation_id, "1.2")
    lines = text.splitlines()
    line_of = {key: next(n for n, line in enumerate(lines, 1) if f'<trans-unit id="{key}"' in line)
               for key in ("title", "0.0", "0.1", "1.0")}
    text = text.replace('<trans-unit id="title"', '<trans-unit id="77.0"')
    text = text.replace("<source>The minister", "<source>A minister")
    text = text.replace('<target state="needs-review-translation"><g id="1" ctype="link">',
                        '<target state="needs-review-translation"><g id="5" ctype="link">')
    text = text.replace('<trans-unit id="0.0" resname="0.0" approved="no"',
                        '<trans-unit id="0.0" resname="0.0" approved="yes"')
    with db.session() as session:  # someone edits 0.0 at the desk meanwhile
        edit_segment(session, translation_id, "0.0", "<em>대표단</em>은 11월 7일 도착했다.", "lee")
    before = _state(db, translation_id)
    with pytest.raises(ReviewImportError) as error, db.session() as session:
        import_xliff(session, text.encode(), "review.xlf", "kim")
    message = str(error.value)
    assert "nothing was imported" in message
    assert f"review.xlf:{line_of['title']}: unknown id '77.0'" in message
    assert f"review.xlf:{line_of['1.0']}: source of 1.0 was changed" in message
    assert "<g id='5'> has no matching code in the source" in message
    assert f"review.xlf:{line_of['0.0']}: 0.0 was changed at the desk since the export" in message
    assert _state(db, translation_id) == before
    stale = export_for_revision(db, translation_id, "7")
    with pytest.raises(ReviewImportError, match="exported from source revision 7"), db.session() as session:
        import_xliff(session, stale, "stale.xlf", "kim")


def export_for_revision(db, translation_id, revision: str) -> bytes:
    with db.session() as session:
        text = export_for(session, translation_id, "2.0")
    return text.replace('gnews:source-revision="1"', f'gnews:source-revision="{revision}"').encode()


@pytest.mark.parametrize(("xliff", "message"), [
    ('<xliff version="1.2"><file original="gnews-i18n/translation/1/revision/1/x"><body>\n'
     '<trans-unit id="title"><source>a</source><alt>b</alt></trans-unit></body></file></xliff>',
     r"bad\.xlf:2: <alt> at /xliff/file/body/trans-unit/alt is not part of an XLIFF 1\.2 trans-unit"),
    ('<xliff version="1.2"><file><body><trans-unit id="title"><source>a</source></trans-unit></body></file></xliff>',
     "the header has no gnews:translation-id"),
    # "²".isdigit() is True and int("²") raises: a crafted id is refused with its line, not a traceback
    ('<xliff version="1.2" xmlns:gnews="urn:gnews-i18n:xliff">\n<file gnews:translation-id="²"><body>'
     '<trans-unit id="title"><source>a</source></trans-unit></body></file></xliff>',
     r"bad\.xlf:2: the header's gnews:translation-id .* is '²', not a translation id"),
    ('<xliff version="3.0"/>', r"not an XLIFF 1\.x or 2\.x file"),
    ('<xliff version="1.2"><file', r"bad\.xlf:1: not well-formed XML"),
])
def test_files_it_cannot_use_are_refused_with_the_line(desk, xliff, message):
    db, _ = desk
    with pytest.raises(ReviewImportError, match=message), db.session() as session:
        import_xliff(session, xliff.encode(), "bad.xlf", "kim")


# What Trados-style tools hand back from a 1.2 file: their own namespace and attributes, the sentence split
# into <seg-source>/<mrk mtype="seg">, targets wrapped in <mrk>, states set to signed-off, no approved attribute.
TRADOS_12 = """<?xml version="1.0" encoding="utf-8"?>
<xliff xmlns:sdl="http://sdl.com/FileTypes/SdlXliff/1.0" xmlns="urn:oasis:names:tc:xliff:document:1.2"
       version="1.2" sdl:version="1.0">
<file original="gnews-i18n/translation/{id}/revision/1/delegation-visit" datatype="x-sdlfilterframework2"
      source-language="en-US" target-language="ko-KR">
<header><sdl:ref-files/></header>
<body>
<trans-unit id="0.0" sdl:locked="false">
<source>The <g id="1">delegation</g> arrived on November 7.</source>
<seg-source><mrk mtype="seg" mid="1">The <g id="1">delegation</g> arrived on November 7.</mrk></seg-source>
<target state="signed-off"><mrk mtype="seg" mid="1"><g id="1">방문단</g>은 11월 7일에 도착했다.</mrk></target>
<sdl:seg-defs><sdl:seg id="1" conf="ApprovedSignOff"/></sdl:seg-defs>
</trans-unit>
</body>
</file>
</xliff>
"""


def test_a_trados_style_xliff_12_with_mrk_segments_is_imported(desk):
    db, translation_id = desk
    with db.session() as session:
        result = import_xliff(session, TRADOS_12.format(id=translation_id).encode(), "trados.sdlxliff", "kim")
    assert (result.edited, result.approved) == (["0.0"], ["0.0"])
    assert _state(db, translation_id)["0.0"][:2] == ("<em>방문단</em>은 11월 7일에 도착했다.", "approved")


@pytest.mark.parametrize("version", ["1.2", "2.0"])
@pytest.mark.parametrize(("source", "target"), [
    ('Read <a href="https://x.org/a?b=1&c=2">the <em>full</em> report', '<a href="https://x.org/a?b=1&c=2">전체 '
     '<em>보고서</em>를 읽어라'),  # the link closes in the next sentence: a placeholder
    ("<b>A</b> and <b>B</b> </i>", "<b>B</b>와 <b>A</b> </i>"),  # same tags twice, a stray closing tag
    ("x < y & z", "x < y & z"),
])
def test_tags_become_codes_and_come_back_byte_for_byte(version, source, target):
    from lxml import etree

    from gnews_i18n.formats.inline import read_inline, source_codes, write_inline

    ns = "urn:oasis:names:tc:xliff:document:1.2" if version == "1.2" else "urn:oasis:names:tc:xliff:document:2.0"
    element = etree.Element(f"{{{ns}}}target")
    write_inline(element, target, source, version, ns)
    written = etree.tostring(element, encoding="unicode")
    assert "<a " not in written and "<b>" not in written  # no raw tags: codes only
    again = etree.fromstring(written)
    assert read_inline(again, source_codes(source)) == target
