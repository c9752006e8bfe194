"""PO files that travel: declared charsets, gettext's tools, Poedit-style rewrapping, pofilter, and the
po2xliff / xliff2po converters; each imported back completely or refused precisely."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from translate.storage.pypo import pofile

from gnews_i18n.review.actions import get_translation, position
from gnews_i18n.review.files import format_for, import_review
from gnews_i18n.review.po import PoImportError, export_for, import_po

from review_draft import SEGMENTS

TOOLS = Path(sys.executable).parent  # Translate Toolkit's commands sit beside this Python
needs_gettext = pytest.mark.skipif(shutil.which("msgcat") is None, reason="gettext tools (msgcat …) not installed")


def _export(db, translation_id) -> polib.POFile:
    with db.session() as session:
        return polib.pofile(export_for(session, translation_id))


def _texts(db, translation_id) -> dict[str, tuple[str, str]]:
    with db.session() as session:
        return {position(s): (s.text, s.state) for s in get_translation(session, translation_id).segments}


def test_translate_toolkit_reads_every_entry_of_an_export(desk):
    db, translation_id = desk
    with db.session() as session:
        store = pofile(export_for(session, translation_id).encode())
    units = [u for u in store.units if not u.isheader()]
    assert [(u.getcontext(), u.source, u.target, u.isfuzzy()) for u in units] == [
        ("title" if b < 0 else f"{b}.{s}", source, draft, True) for b, s, source, draft, _, _ in SEGMENTS]


def _encoded(po: polib.POFile, charset: str, edits: dict[str, str]) -> bytes:
    """The export as an editor would save it in ``charset``: only what that charset can hold."""
    po.metadata["Content-Type"] = f"text/plain; charset={charset}"
    for entry in list(po):
        if entry.msgctxt in edits:
            entry.msgstr = edits[entry.msgctxt]
            entry.flags.remove("fuzzy")
        entry.comment = "\n".join(line for line in entry.comment.splitlines() if _fits(line, charset))
        if not (_fits(entry.msgid, charset) and _fits(entry.msgstr, charset)):
            po.remove(entry)
    po.header = ""
    return str(po).encode(charset)


def _fits(text: str, charset: str) -> bool:
    try:
        text.encode(charset)
    except UnicodeEncodeError:
        return False
    return True


@pytest.mark.parametrize(("charset", "title"), [
    ("ISO-8859-15", "Délégation: 5 € à Gyeonggi"),  # € is 0xA4 here, ¤ in ISO-8859-1
    ("ISO-8859-1", "Délégation à Gyeonggi"),
    ("EUC-KR", "대표단, 경기도를 방문"),
    ("CP949", "대표단, 경기도를 똠방 방문"),  # 똠 is in CP949 (UHC) but not in EUC-KR
])
def test_a_po_file_in_its_declared_charset_is_imported(desk, charset, title):
    db, translation_id = desk
    data = _encoded(_export(db, translation_id), charset, {"title": title})
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # so the test proves the charset is honoured
    with db.session() as session:
        result = import_po(session, data, "edited.po", "kim")
    assert result.edited == ["title"] and result.approved == ["title"]
    assert _texts(db, translation_id)["title"] == (title, "approved")
    with db.session() as session:  # and exports stay UTF-8
        assert "charset=UTF-8" in export_for(session, translation_id)


def test_wrong_or_unknown_charsets_are_refused_with_the_line(desk):
    db, translation_id = desk
    po = _export(db, translation_id)
    po.find("1.0", by="msgctxt").msgstr = "장관은 8개 병원에 말했다."
    text = str(po)
    undeclared = text.replace("Content-Type: text/plain; charset=UTF-8\\n", "").encode("euc-kr", "replace")
    line = next(n for n, row in enumerate(undeclared.split(b"\n"), 1) if any(b > 127 for b in row))
    with pytest.raises(PoImportError, match=rf"x\.po:{line}: not UTF-8 \(the header declares no charset\)"), \
            db.session() as session:
        import_po(session, undeclared, "x.po", "kim")
    unknown = text.replace("charset=UTF-8", "charset=KLINGON-8").encode()
    with pytest.raises(PoImportError, match="declares charset=KLINGON-8, which is not a known encoding"), \
            db.session() as session:
        import_po(session, unknown, "x.po", "kim")
    lying = text.replace("charset=UTF-8", "charset=EUC-KR").encode("utf-8")
    with pytest.raises(PoImportError, match=r"x\.po:\d+: not EUC-KR as its header declares"), db.session() as session:
        import_po(session, lying, "x.po", "kim")


def _reviewed(db, translation_id, path: Path) -> None:
    po = _export(db, translation_id)
    title = po.find("title", by="msgctxt")
    title.flags.remove("fuzzy")
    po.find("1.0", by="msgctxt").msgstr = '장관은 8개 병원에 "환영합니다"라고 말했다. ' * 3  # long: tools rewrap it
    po.wrapwidth = 30  # Poedit and Lokalize wrap at their own width
    po.save(str(path))


@needs_gettext
@pytest.mark.parametrize("tool", [
    ["msgcat", "--width=40", "{src}", "-o", "{out}"],
    ["msgcat", "--no-wrap", "--sort-output", "{src}", "-o", "{out}"],
    ["msguniq", "{src}", "-o", "{out}"],
    ["msgmerge", "--quiet", "--no-fuzzy-matching", "{src}", "{src}", "-o", "{out}"],
])
def test_a_po_file_passed_through_gettext_tools_imports_the_same(desk, tmp_path, tool):
    db, translation_id = desk
    src, out = tmp_path / "reviewed.po", tmp_path / "through.po"
    _reviewed(db, translation_id, src)
    subprocess.run([a.format(src=src, out=out) for a in tool], check=True, capture_output=True, text=True)
    if tool[0] == "msgcat":
        assert out.read_bytes() != src.read_bytes()  # rewrapped
    with db.session() as session:
        result = import_po(session, out.read_bytes(), "through.po", "kim")
    assert (result.edited, result.approved) == (["1.0"], ["title"])
    assert _texts(db, translation_id)["1.0"][0] == ('장관은 8개 병원에 "환영합니다"라고 말했다. ' * 3).strip()


def test_pofilter_finds_no_format_errors_in_an_export(desk, tmp_path):
    db, translation_id = desk
    path, report = tmp_path / "draft.po", tmp_path / "report.po"
    with db.session() as session:
        path.write_text(export_for(session, translation_id), encoding="utf-8")
    checks = ["printf", "pythonbraceformat", "escapes", "newlines", "tabs", "xmltags", "nplurals", "variables",
              "doublequoting", "brackets", "urls"]
    result = subprocess.run([str(TOOLS / "pofilter"), "--progress=none", *[f"-t{c}" for c in checks], str(path),
                             str(report)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert not report.exists() or "(pofilter)" not in report.read_text(encoding="utf-8")


def test_po2xliff_and_xliff2po_round_trips_import_back(desk, tmp_path):
    """po2xliff drops msgctxt; the segment named in each entry's comment finds its segment again."""
    db, translation_id = desk
    src, xlf, back = tmp_path / "reviewed.po", tmp_path / "reviewed.xlf", tmp_path / "back.po"
    _reviewed(db, translation_id, src)
    subprocess.run([str(TOOLS / "po2xliff"), "--progress=none", str(src), str(xlf)], check=True)
    subprocess.run([str(TOOLS / "xliff2po"), "--progress=none", str(xlf), str(back)], check=True)
    assert "\nmsgctxt " not in back.read_text(encoding="utf-8")
    for path in (xlf, back):  # the XLIFF a CAT tool would get, and the PO that comes back from it
        data = path.read_bytes()
        with db.session() as session:
            try:
                result = import_review(session, data, path.name, "kim", format_for(path.name, data))
            finally:
                session.rollback()  # try both on the same draft
        assert (result.edited, result.approved) == (["1.0"], ["title"]), path.name
