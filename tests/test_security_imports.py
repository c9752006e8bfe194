"""Import doors refuse what they cannot read faithfully: entity references in XLIFF (lxml drops
them and the rest of their text), XInclude in any XML file, and files over the import limit."""

from __future__ import annotations

import pytest

from gnews_i18n.review.actions import get_translation, position
from gnews_i18n.review.file_import import ReviewImportError
from gnews_i18n.review.xliff import export_for, import_xliff

from conftest import NEWSLETTER_GLOSSARY, run_cli

TBX_WITH_XINCLUDE = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX" xml:lang="en" xmlns:xi="http://www.w3.org/2001/XInclude">
 <martifHeader><fileDesc><sourceDesc><p>x</p></sourceDesc></fileDesc></martifHeader>
 <text><body>
  <termEntry id="c1">
   <langSet xml:lang="en"><tig><term>hospital</term></tig></langSet>
   <langSet xml:lang="ko"><tig><term>병원</term></tig></langSet>
  </termEntry>
  <xi:include href="/etc/passwd" parse="text"/>
 </body></text>
</martif>
"""


def _texts(db, translation_id) -> dict[str, str]:
    with db.session() as session:
        return {position(s): s.text for s in get_translation(session, translation_id).segments}


def test_an_xliff_entity_reference_refuses_the_file_with_its_line_instead_of_cutting_the_text(desk):
    db, translation_id = desk
    with db.session() as session:
        text = export_for(session, translation_id, "1.2")
    header, rest = text.split("\n", 1)
    assert header.startswith("<?xml")
    unit = rest.index('<trans-unit id="0.0"')
    start = rest.index("<target", unit)
    start = rest.index(">", start) + 1
    end = rest.index("</target>", start)
    rest = rest[:start] + "A &xxe; B" + rest[end:]
    line = 2 + rest[:start].count("\n") + 1  # the declaration, the DOCTYPE, then the target's line
    hostile = f'{header}\n<!DOCTYPE xliff [<!ENTITY xxe "expanded">]>\n{rest}'
    before = _texts(db, translation_id)
    with pytest.raises(ReviewImportError) as error, db.session() as session:
        import_xliff(session, hostile.encode(), "review.xlf", "kim")
    assert f"review.xlf:{line}: the entity reference &xxe; is not read" in str(error.value)
    assert _texts(db, translation_id) == before  # nothing saved, no "A" in place of "A &xxe; B"


def test_xinclude_in_a_tbx_file_is_refused_with_its_line(tmp_path):
    source = tmp_path / "x.tbx"
    source.write_text(TBX_WITH_XINCLUDE, encoding="utf-8")
    env = {"GNEWS_DATA_DIR": str(tmp_path / "var"), "GNEWS_GLOSSARIES": str(NEWSLETTER_GLOSSARY), "COLUMNS": "400"}
    for command in (["glossary", "import", str(source), "-o", str(tmp_path / "out.csv")],
                    ["glossary", "check", str(source)]):
        result = run_cli(env, *command)
        said = result.stdout + result.stderr
        assert result.returncode == 1, said
        assert f"{source}:9: error: <xi:include> asks for XInclude, which is not read" in said, said
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize("command", [["memory", "import"], ["glossary", "import"], ["glossary", "check"],
                                     ["review", "import"]])
def test_a_file_over_the_import_limit_is_refused_before_it_is_read(tmp_path, command):
    big = tmp_path / {"memory": "big.tmx", "glossary": "big.tbx", "review": "big.xlf"}[command[0]]
    big.write_bytes(b"<?xml version='1.0'?><x>" + b"a" * 5000 + b"</x>")
    env = {"GNEWS_DATA_DIR": str(tmp_path / "var"), "GNEWS_DATABASE_URL": f"sqlite:///{tmp_path / 'd.sqlite'}",
           "GNEWS_MAX_IMPORT_BYTES": "4096", "COLUMNS": "400"}
    extra = ["-o", str(tmp_path / "out.csv")] if command == ["glossary", "import"] else []
    result = run_cli(env, *command, str(big), *extra)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{big} is 5,028 bytes, over the import limit of 4,096 bytes (GNEWS_MAX_IMPORT_BYTES)" in result.stderr
    assert "Traceback" not in result.stderr
