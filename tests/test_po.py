"""Offline review through PO files: export that msgfmt accepts, import all or nothing."""

from __future__ import annotations

import shutil
import subprocess

import polib
import pytest

from gnews_i18n.review.actions import edit_segment, get_translation, request_changes
from gnews_i18n.review.po import PoImportError, export_for, import_po
from gnews_i18n.store.models import Segment, SegmentChange
from gnews_i18n.terms import load_glossaries

from conftest import NEWSLETTER_GLOSSARY
from conftest import run_cli as run


def _export(db, translation_id) -> polib.POFile:
    with db.session() as session:
        return polib.pofile(export_for(session, translation_id))


def _segments(db, translation_id) -> dict[str, Segment]:
    from gnews_i18n.review.actions import position

    with db.session() as session:
        return {position(s): s for s in get_translation(session, translation_id).segments}


def test_export_has_context_source_flags_and_header(db, draft):
    po = _export(db, draft)
    segments = _segments(db, draft)
    assert po.metadata["X-Gnews-Translation-Id"] == str(draft)
    assert po.metadata["X-Gnews-Source-Revision"] == "1"
    assert po.metadata["Language"] == "ko" and po.metadata["Plural-Forms"].startswith("nplurals=1")
    assert [e.msgctxt for e in po] == list(segments)
    title = po.find("title", by="msgctxt")
    assert title.msgid == segments["title"].source_text and title.msgstr == segments["title"].text
    assert all(e.fuzzy for e in po)  # nothing approved yet
    commented = "\n".join(e.comment for e in po)
    assert "term: Seoul National University Bundang Hospital → 분당서울대학교병원" in commented
    assert "error " in commented  # QA flags of the random model's drafts


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="msgfmt not available at PATH (gettext)")
def test_export_passes_msgfmt_check(db, draft, tmp_path):
    path = tmp_path / "draft.po"
    with db.session() as session:
        path.write_text(export_for(session, draft), encoding="utf-8")
    result = subprocess.run(["msgfmt", "-c", "-o", str(tmp_path / "draft.mo"), str(path)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_round_trip_edits_approves_and_checks_again(db, draft):
    po = _export(db, draft)
    title = po.find("title", by="msgctxt")
    title.flags.remove("fuzzy")  # approve as it stands
    welcome = po.find("2.0", by="msgctxt")
    assert "November 7" in welcome.msgid
    welcome.msgstr = "11월 9일 환영식에는 8개 의료기관이 참석했다."  # wrong day: QA must flag it
    glossary = load_glossaries([NEWSLETTER_GLOSSARY])
    with db.session() as session:
        result = import_po(session, str(po), "draft.po", "kim", glossary=glossary)
    assert result.approved == ["title"] and result.edited == ["2.0"]
    assert "number_mismatch" in {f["id"] for f in result.flags["2.0"]}  # QA runs on import
    segments = _segments(db, draft)
    assert segments["title"].state == "approved"
    assert segments["2.0"].state == "edited" and segments["2.0"].text.startswith("11월 9일")
    with db.session() as session:
        actions = {(c.action, c.author) for c in session.query(SegmentChange).filter_by(translation_id=draft)}
    assert actions == {("approve", "kim"), ("import", "kim")}
    assert not _export(db, draft).find("title", by="msgctxt").fuzzy


def test_a_bad_file_lists_every_problem_and_applies_nothing(db, draft):
    po = _export(db, draft)
    before = {k: (s.text, s.version) for k, s in _segments(db, draft).items()}
    po.find("title", by="msgctxt").msgstr = "바뀐 제목"  # a good change, which must not land either
    po.find("0.0", by="msgctxt").msgctxt = "77.0"
    po.find("1.0", by="msgctxt").msgid = "Someone rewrote the source."
    po.metadata["X-Gnews-Source-Revision"] = "3"
    with pytest.raises(PoImportError) as raised, db.session() as session:
        import_po(session, str(po), "review.po", "kim")
    message = str(raised.value)
    assert "nothing was imported" in message
    assert "unknown msgctxt '77.0'" in message and "msgid of 1.0 was changed" in message
    assert "source revision 3" in message and "review.po:" in message
    assert {k: (s.text, s.version) for k, s in _segments(db, draft).items()} == before


def test_wrong_translation_and_stale_segments_are_refused(db, draft):
    po = _export(db, draft)
    with pytest.raises(PoImportError, match=f"for translation {draft}, not 999"), db.session() as session:
        import_po(session, str(po), "x.po", "kim", translation_id=999)
    with db.session() as session:  # someone edits at the desk after the export
        edit_segment(session, draft, "title", "데스크에서 고친 제목", "lee")
    po.find("title", by="msgctxt").msgstr = "파일에서 고친 제목"
    with pytest.raises(PoImportError, match="changed at the desk since the export"), db.session() as session:
        import_po(session, str(po), "x.po", "kim")
    assert _segments(db, draft)["title"].text == "데스크에서 고친 제목"


def test_files_from_real_po_editors(db, draft):
    """Wrapped lines, obsolete and previous-msgid entries, other header order, a BOM, CRLF."""
    po = _export(db, draft)
    entry = po.find("0.0", by="msgctxt")
    entry.previous_msgid = "An older source sentence."
    entry.msgstr = "경기도는 " + "아주 긴 문장을 여러 줄로 나누어 저장하는 편집기도 있다. " * 4
    entry.flags.remove("fuzzy")
    po.append(polib.POEntry(msgctxt="9.9", msgid="gone", msgstr="사라짐", obsolete=True))
    po.metadata = dict(reversed(list(po.metadata.items())))
    po.wrapwidth = 40
    text = str(po)
    assert "#| msgid" in text and "#~ " in text and '""\n"' in text  # what editors write
    data = b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8")
    with db.session() as session:
        result = import_po(session, data, "poedit.po", "kim")
    assert result.edited == ["0.0"] and result.approved == ["0.0"]
    assert _segments(db, draft)["0.0"].text == entry.msgstr.strip()


def test_unreadable_files_say_file_and_line(db, draft):
    with pytest.raises(PoImportError, match="not UTF-8"), db.session() as session:
        import_po(session, 'msgid ""\nmsgstr ""\n\nmsgid "a"\nmsgstr "\xb0"\n'.encode("latin-1"), "bad.po", "kim")
    with pytest.raises(PoImportError, match=r"broken\.po:6: unterminated"), db.session() as session:
        import_po(session, 'msgid ""\nmsgstr ""\n"X-Gnews-Translation-Id: 1\\n"\n\nmsgid "a"\nmsgstr "b\n', "broken.po",
                  "kim")
    with pytest.raises(PoImportError, match="no X-Gnews-Translation-Id"), db.session() as session:
        import_po(session, 'msgid ""\nmsgstr ""\n\nmsgid "a"\nmsgstr "b"\n', "other.po", "kim")


def test_an_outdated_or_returned_draft(db, draft):
    with db.session() as session:
        request_changes(session, draft, "용어를 확인해 주세요", "lee")
    po = _export(db, draft)
    po.find("title", by="msgctxt").flags.remove("fuzzy")
    with db.session() as session:  # changes_requested is still open for review
        assert import_po(session, str(po), "x.po", "kim").approved == ["title"]
    with db.session() as session:
        get_translation(session, draft).state = "outdated"
    with pytest.raises(PoImportError, match="newer source revision"), db.session() as session:
        import_po(session, str(_export(db, draft)), "x.po", "kim")


def test_review_export_and_import_commands(gnews_env, draft, tmp_path):
    path = tmp_path / "draft.po"
    exported = run(gnews_env, "review", "export", str(draft), "-o", str(path))
    assert exported.returncode == 0, exported.stderr
    po = polib.pofile(str(path))
    po.find("title", by="msgctxt").msgstr = "경기도, 타슈켄트 의료 대표단 맞이"
    po.save(str(path))
    imported = run(gnews_env, "review", "import", str(path), "--by", "kim")
    assert imported.returncode == 0, imported.stderr
    assert "1 edited, 0 approved" in imported.stdout
    po.find("1.0", by="msgctxt").msgctxt = "88.1"
    po.save(str(path))
    refused = run(gnews_env, "review", "import", str(path))
    assert refused.returncode == 1 and "unknown msgctxt '88.1'" in refused.stderr and "Traceback" not in refused.stderr


def test_a_crafted_translation_id_is_refused_with_file_and_line(gnews_env, draft, tmp_path):
    """"²".isdigit() is True and int("²") raises: the import says where, instead of a traceback."""
    path = tmp_path / "crafted.po"
    assert run(gnews_env, "review", "export", str(draft), "-o", str(path)).returncode == 0
    lines = path.read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if text.startswith('"X-Gnews-Translation-Id:'))
    lines[line - 1] = '"X-Gnews-Translation-Id: ²\\n"'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    refused = run(gnews_env, "review", "import", str(path), "--by", "kim")
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert f"crafted.po:{line}: the header's X-Gnews-Translation-Id is '²'" in refused.stderr


def test_syntax_errors_name_the_line(db, draft):
    with pytest.raises(PoImportError, match=r"junk\.po:6: not a valid PO file"), db.session() as session:
        import_po(session, 'msgid ""\nmsgstr ""\n\nmsgid "a"\nmsgstr "b"\nthis is not po\n', "junk.po", "kim")
