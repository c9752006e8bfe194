"""A segment is named the same way everywhere: `review show` labels the title, the byline and a
correction's note by their own names, and `review edit` with that name changes that row only."""

from __future__ import annotations

from gnews_i18n.intake.document import BYLINE_BLOCK, CORRECTION_BLOCK, TITLE_BLOCK, position_label
from gnews_i18n.states import SegmentState
from gnews_i18n.store.db import Database
from gnews_i18n.store.models import Segment, Translation

from conftest import run_cli
from review_draft import make_review_draft


def test_every_named_position_has_its_own_label():
    assert [position_label(b, 0) for b in (TITLE_BLOCK, CORRECTION_BLOCK, BYLINE_BLOCK)] == [
        "title", "correction", "byline"]
    assert position_label(2, 1) == "2.1"


def test_review_show_names_the_byline_and_edit_changes_only_it(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'desk.sqlite'}")
    translation_id = make_review_draft(db)
    with db.session() as session:
        session.add(Segment(translation_id=translation_id, block_index=BYLINE_BLOCK, sentence_index=0,
                            source_text="Health desk", machine_text="건강 데스크", text="건강 데스크",
                            state=SegmentState.MACHINE, flags=[], provenance={}, terms=[], version=1))
    env = {"GNEWS_DATA_DIR": str(tmp_path / "var"), "GNEWS_DATABASE_URL": db.url, "COLUMNS": "200"}

    shown = run_cli(env, "review", "show", str(translation_id))
    assert shown.returncode == 0, shown.stderr
    rows = [line for line in shown.stdout.splitlines() if "Health desk" in line or "Delegation visits" in line]
    assert any("byline" in row and "Health desk" in row for row in rows), shown.stdout
    assert not any("title" in row and "Health desk" in row for row in rows), shown.stdout

    edited = run_cli(env, "review", "edit", str(translation_id), "byline", "보건 데스크", "--by", "kim")
    assert edited.returncode == 0, edited.stderr
    with db.session() as session:
        texts = {s.block_index: s.text for s in session.get(Translation, translation_id).segments}
    assert texts[BYLINE_BLOCK] == "보건 데스크"
    assert texts[TITLE_BLOCK] == "대표단, 경기도 방문"  # the title is untouched
    db.dispose()
