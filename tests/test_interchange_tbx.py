"""TBX that other tools read and write: our exports through Translate Toolkit, and CAT-tool dialects imported
completely or refused with the element's path and line."""

from __future__ import annotations

import pytest
from translate.storage.tbx import tbxfile

from gnews_i18n.terms import GlossaryError, read_glossary_file
from gnews_i18n.terms.csvfile import read_csv, write_csv
from gnews_i18n.terms.glossary import Glossary, Term
from gnews_i18n.terms.tbx import write_tbx
from gnews_i18n.terms.tbx_read import read_tbx

from conftest import NEWSLETTER_GLOSSARY, run_cli

# What memoQ and Trados (MultiTerm) write: TBX 2008 with ntig/termGrp, statuses as normativeAuthorization,
# several terms per language, definitions at language level, transaction records, UTF-16 with a BOM.
MEMOQ_STYLE = """<?xml version="1.0" encoding="UTF-16"?>
<!DOCTYPE martif SYSTEM "TBXcoreStructV02.dtd">
<martif type="TBX" xml:lang="en-US">
 <martifHeader><fileDesc><sourceDesc><p>memoQ term base export</p></sourceDesc></fileDesc></martifHeader>
 <text><body>
  <termEntry id="c1">
   <descrip type="subjectField">medicine</descrip>
   <descrip type="Translation needed">yes</descrip>
   <transacGrp><transac type="transactionType">origination</transac><date>2024-03-01</date></transacGrp>
   <langSet xml:lang="en-US">
    <descripGrp><descrip type="definition">A hospital attached to a university.</descrip></descripGrp>
    <ntig><termGrp><term>university hospital</term>
      <termNote type="partOfSpeech">noun</termNote></termGrp>
     <admin type="normativeAuthorization">preferredTerm</admin></ntig>
    <ntig><termGrp><term>teaching hospital</term></termGrp>
     <admin type="normativeAuthorization">admittedTerm</admin></ntig>
    <ntig><termGrp><term>college hospital</term></termGrp>
     <admin type="normativeAuthorization">supersededTerm</admin></ntig>
   </langSet>
   <langSet xml:lang="ko-KR">
    <ntig><termGrp><term>대학병원</term></termGrp></ntig>
    <ntig><termGrp><term>대학 병원</term></termGrp>
     <descrip type="context">대학 병원에서 치료를 받았다.</descrip></ntig>
    <ntig><termGrp><term>의대병원</term></termGrp>
     <admin type="normativeAuthorization">deprecatedTerm</admin></ntig>
   </langSet>
  </termEntry>
  <termEntry id="c2">
   <note>Brand name; keep as written.</note>
   <descrip type="Translation needed">no</descrip>
   <langSet xml:lang="en"><tig><term>Revo-i</term>
    <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig></langSet>
  </termEntry>
 </body></text>
</martif>
"""


def _terms(unit, lang: str, source: bool) -> list[tuple[str, str | None]]:
    terms = unit.get_source_terms() if source else unit.get_target_terms(lang)
    return [(t.text, t.administrative_status) for t in terms]


def _expected(term: Term, lang: str) -> list[tuple[str, str]]:
    return ([(term.forms[lang], "preferredTerm-admn-sts")] if lang in term.forms else []) + \
        [(v, "admittedTerm-admn-sts") for v in term.variants.get(lang, [])] + \
        [(f, "admittedTerm-admn-sts") for f in (term.abbreviations.get(lang), term.short_forms.get(lang)) if f] + \
        [(f, "deprecatedTerm-admn-sts") for f in term.forbidden.get(lang, [])]  # an abbreviation is a term of its own


def test_the_default_export_is_tbx_2008_that_translate_toolkit_reads_unit_for_unit():
    glossary, _ = read_glossary_file(NEWSLETTER_GLOSSARY)
    text = write_tbx(glossary)
    assert text.splitlines()[1].startswith('<martif type="TBX-Basic" xml:lang="ko"')
    store = tbxfile.parsestring(text.encode(), sourcelanguage="ko", targetlanguage="en")
    assert len(store.units) == len(glossary.terms)
    for unit, term in zip(store.units, glossary.terms, strict=True):
        assert unit.getid() == term.id
        assert _terms(unit, "ko", source=True) == _expected(term, "ko")
        for lang in set(term.forms) - {"ko"}:
            assert _terms(unit, lang, source=False) == _expected(term, lang), (term.id, lang)
        notes = {n.text for n in unit.get_common_notes(source=True)}
        assert term.type in notes and (not term.note or term.note in notes)
        if term.do_not_translate:  # "Translation needed: no"
            assert not unit.istranslatable(), term.id


def _full_glossary() -> Glossary:
    return Glossary([
        Term(forms={"ko": "대학병원", "en": "university hospital"}, type="institution", id="uh",
             variants={"en": ["teaching hospital"]}, forbidden={"en": ["college hospital"]},
             note="Two lines\nof notes", definition="A hospital attached to a university.", subject="medicine",
             pos="noun"),
        Term(forms={"ko": "레보아이", "en": "Revo-i"}, type="product", id="revoi", do_not_translate=True,
             ko_reading="레보아이", case_sensitive=True),
    ])


@pytest.mark.parametrize("fmt", ["tbx2008", "tbx3"])
def test_both_tbx_versions_keep_every_field(fmt, tmp_path):
    glossary = _full_glossary()
    path = tmp_path / "full.tbx"
    path.write_text(write_tbx(glossary, fmt=fmt), encoding="utf-8")
    again, warnings = read_tbx(path)
    assert warnings == [] and write_csv(again) == write_csv(glossary)
    assert "definition,subject,pos" in write_csv(again).splitlines()[0]
    if fmt == "tbx2008":  # what Translate Toolkit makes of the same fields
        hospital, brand = tbxfile.parsestring(path.read_bytes(), sourcelanguage="ko", targetlanguage="en").units
        notes = {(n.category, n.text) for n in hospital.get_common_notes(source=True)}
        assert {("subjectField", "medicine"), ("definition", "A hospital attached to a university.")} <= notes
        assert hospital.istranslatable() and not brand.istranslatable()
        assert [(t.text, t.administrative_status) for t in hospital.get_target_terms("en")] == [
            ("university hospital", "preferredTerm-admn-sts"), ("teaching hospital", "admittedTerm-admn-sts"),
            ("college hospital", "deprecatedTerm-admn-sts")]


def test_a_memoq_style_utf16_file_is_imported_completely(tmp_path):
    path = tmp_path / "memoq.tbx"
    path.write_bytes(MEMOQ_STYLE.encode("utf-16"))  # with a BOM
    glossary, warnings = read_tbx(path)
    hospital, brand = glossary.terms
    assert hospital.forms == {"en": "university hospital", "ko": "대학병원"}
    assert hospital.variants == {"en": ["teaching hospital"], "ko": ["대학 병원"]}
    assert hospital.forbidden == {"en": ["college hospital"], "ko": ["의대병원"]}
    assert hospital.subject == "medicine" and hospital.pos == "noun" and not hospital.do_not_translate
    assert hospital.definition == "A hospital attached to a university."
    assert hospital.note == "context (ko): 대학 병원에서 치료를 받았다."
    assert brand.do_not_translate and brand.forms == {"en": "Revo-i"} and brand.note == "Brand name; keep as written."
    assert [w.message.split(" element")[0] for w in warnings] == ["1 <date>", "1 <transac>"]
    # The same file without a BOM (UTF-16LE, declared in the XML declaration) reads the same.
    path.write_bytes(MEMOQ_STYLE.encode("utf-16-le"))
    assert write_csv(read_tbx(path)[0]) == write_csv(glossary)


def test_the_glossary_import_command_writes_every_term(tmp_path):
    source = tmp_path / "memoq.tbx"
    source.write_bytes(MEMOQ_STYLE.encode("utf-16"))
    out = tmp_path / "memoq.csv"
    env = {"GNEWS_DATA_DIR": str(tmp_path / "var"), "GNEWS_GLOSSARIES": str(NEWSLETTER_GLOSSARY)}
    result = run_cli(env, "glossary", "import", str(source), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "2 term(s) imported" in result.stdout and "not kept" in result.stdout
    imported, problems = read_csv(out)
    assert [p for p in problems if p.severity == "error"] == []
    assert [t.forms.get("en") for t in imported.terms] == ["university hospital", "Revo-i"]
    assert imported.terms[0].forbidden["ko"] == ["의대병원"]
    exported = tmp_path / "v3.tbx"
    assert run_cli(env, "glossary", "export", str(out), "-o", str(exported), "--format", "tbx3").returncode == 0
    assert "<conceptEntry" in exported.read_text(encoding="utf-8")


UNKNOWN_STRUCTURE = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX-Basic"><text><body>
<termEntry id="a"><langSet xml:lang="en"><tig><term>kept</term></tig></langSet>
<langSet xml:lang="ko"><tig><term>유지</term></tig></langSet></termEntry>
<termEntry id="b"><langSet xml:lang="en">
<termGroup><term>lost</term></termGroup>
</langSet></termEntry>
</body></text></martif>
"""


def test_structure_it_does_not_understand_is_refused_with_path_and_line(tmp_path):
    path = tmp_path / "odd.tbx"
    path.write_text(UNKNOWN_STRUCTURE, encoding="utf-8")
    with pytest.raises(GlossaryError) as error:
        read_tbx(path)
    assert str(error.value).startswith(f"{path}:6: error: <termGroup> at /martif/text/body/termEntry[2]/langSet/"
                                       "termGroup is not TBX structure this reader understands")
    out = tmp_path / "odd.csv"
    env = {"GNEWS_DATA_DIR": str(tmp_path / "var")}
    result = run_cli(env, "glossary", "import", str(path), "-o", str(out))
    assert result.returncode == 1 and "odd.tbx:6" in result.stderr and not out.exists()


@pytest.mark.parametrize(("body", "message"), [
    ('<termEntry><langSet xml:lang="en"><tig><term>old</term><termNote type="administrativeStatus">'
     'deprecatedTerm-admn-sts</termNote></tig></langSet></termEntry>', "only deprecated or forbidden terms"),
    ('<termEntry><langSet xml:lang="en"><tig><term>x</term><termNote type="administrativeStatus">'
     'approvedish</termNote></tig></langSet></termEntry>', "administrativeStatus 'approvedish'"),
    ('<termEntry><langSet><tig><term>x</term></tig></langSet></termEntry>', "has no xml:lang"),
    ('<termEntry><langSet xml:lang="en"><tig><term> </term></tig></langSet></termEntry>', "has no <term> text"),
    ("", "no concepts"),
])
def test_files_with_content_never_import_as_nothing(tmp_path, body, message):
    path = tmp_path / "g.tbx"
    path.write_text(f'<martif type="TBX">\n<text><body>\n{body}\n</body></text></martif>', encoding="utf-8")
    with pytest.raises(GlossaryError, match=message):
        read_tbx(path)


def test_not_a_tbx_file_says_what_it_is(tmp_path):
    path = tmp_path / "g.tbx"
    path.write_text('<tmx version="1.4"><body/></tmx>', encoding="utf-8")
    with pytest.raises(GlossaryError, match=r"g\.tbx:1: error: not a TBX file: the root is <tmx>"):
        read_tbx(path)
