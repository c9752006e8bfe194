"""No silent wrong forms (issue 30): dated rows without an id, the user's glossary over files
found by default, names inside longer names, overrides carried to corrections, particles."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from gnews_i18n.articles.submission import submit
from gnews_i18n.cli import app
from gnews_i18n.config import load_settings
from gnews_i18n.intake import parse_article
from gnews_i18n.qa import QAContext, check_pair
from gnews_i18n.qa.particles import check_particles
from gnews_i18n.review.actions import ReviewError, approve
from gnews_i18n.review.corrections import prepare_draft
from gnews_i18n.states import SegmentState, TranslationState
from gnews_i18n.store.models import Edition, Segment, SegmentChange, Translation
from gnews_i18n.terms import Terminology, load_glossaries
from gnews_i18n.terms.csvfile import read_csv
from gnews_i18n.terms.files import active_terminology, article_registry
from gnews_i18n.terms.korean import agree_run
from gnews_i18n.terms.people import read_people
from gnews_i18n.terms.validation import check_glossary

from review_draft import ARTICLE, SEGMENTS, make_review_draft

ROOT = Path(__file__).resolve().parents[1]
OLD, NEW = "Director of the Health and Medical Division", "Director-General for Health and Medical Affairs"
# the file: one source form, two dated rows, no id column
DATED = f"""ko,en,type,valid_from,valid_to
보건의료과장,{OLD},title,,2023-03-31
보건의료과장,{NEW},title,2023-04-01,
"""


def copy_model(terminology: Terminology, source: str) -> str:
    """What a model that copies its placeholders does: the glossary's forms come back in place."""
    prepared = terminology.prepare(source)
    return terminology.finish(prepared.text, prepared)[0]


# --- 1. dated rows without an id are the periods of one concept ------------------------------

@pytest.mark.parametrize("day, wanted", [(dt.date(2021, 5, 10), OLD), (dt.date(2022, 5, 10), OLD),
                                         (dt.date(2023, 4, 1), NEW), (None, NEW)])
def test_dated_rows_without_an_id_take_the_form_valid_on_the_articles_date(day, wanted):
    glossary, problems = read_csv("dated.csv", DATED)
    assert not problems + check_glossary(glossary)
    text = copy_model(Terminology(glossary, "ko", "en", day=day), "보건의료과장이 발표했다.")
    assert wanted in text and ({OLD, NEW} - {wanted}).pop() not in text


def test_the_qa_check_and_the_engine_agree_on_dated_rows_without_an_id():
    glossary, _ = read_csv("dated.csv", DATED)
    day = dt.date(2022, 5, 10)
    terminology = Terminology(glossary, "ko", "en", day=day)
    context = QAContext(day, "human")
    wrong = check_pair("보건의료과장이 발표했다.", f"The {NEW} announced it.", "ko", "en", terminology, context)
    outdated = [f for f in wrong if f["id"] == "term_outdated"]
    assert outdated and outdated[0]["fix"] == {"find": NEW, "replace": OLD}, wrong
    right = check_pair("보건의료과장이 발표했다.", f"The {OLD} announced it.", "ko", "en", terminology, context)
    assert not [f for f in right if f["id"] in ("term_outdated", "term_missing")], right
    # the other way: the English forms differ, the shared Korean form makes them one concept
    back = Terminology(glossary, "en", "ko", day=dt.date(2024, 1, 1))
    flags = check_pair(f"The {OLD} spoke.", "보건의료과장이 말했다.", "en", "ko", back, QAContext(back.day, "human"))
    assert "term_outdated_source" in {f["id"] for f in flags}, flags


def test_an_overlapping_copy_without_an_id_is_still_refused_with_its_line():
    glossary, _ = read_csv("dated.csv", DATED + f"보건의료과장,{OLD} (acting),title,2023-01-01,2023-12-31\n")
    messages = [str(p) for p in check_glossary(glossary)]
    assert any(m.startswith("dated.csv:4: error:") and "overlaps" in m for m in messages), messages


def test_rows_without_an_id_that_share_no_form_stay_two_concepts():
    text = "ko,en,valid_from,valid_to\n보건소,Public Health Center,,2020-12-31\n의료원,Medical Center,2021-01-01,\n"
    glossary, _ = read_csv("two.csv", text)
    terminology = Terminology(glossary, "ko", "en", day=dt.date(2024, 1, 1))
    assert "Public Health Center" in copy_model(terminology, "보건소가 문을 열었다.")
    assert "Medical Center" in copy_model(terminology, "의료원이 문을 열었다.")


# --- 2. what the user names wins over files found by default; no title the source lacks -----

@pytest.fixture
def newsroom(tmp_path, monkeypatch):
    """A working directory whose ./glossaries holds the newsletter's glossary and people registry,
    found by default (no GNEWS_GLOSSARIES, no GNEWS_PEOPLE), and the user's own glossary."""
    (tmp_path / "glossaries").mkdir()
    for name in ("medical-gyeonggi.csv", "people.csv"):
        shutil.copy(ROOT / "glossaries" / name, tmp_path / "glossaries" / name)
    (tmp_path / "my.csv").write_text("ko,en,type\n김동연,Dongyeon Kim,person\n", encoding="utf-8")
    for key in [k for k in os.environ if k.startswith("GNEWS_") and not k.startswith("GNEWS_TEST_")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("GNEWS_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def translated(settings_named: list[Path], source: str, src: str = "ko", tgt: str = "en") -> str:
    """What ``translate`` makes of ``source`` with ``--glossary`` files, through a copying model."""
    active = active_terminology(load_settings(), settings_named)
    return copy_model(Terminology(active.glossary, src, tgt, registry=active.registry), source)


def test_the_users_glossary_wins_over_the_registry_found_by_default(newsroom):
    assert "Gyeonggi Governor Kim Dong-yeon" in translated([], "김동연 경기도지사는 말했다.")
    text = translated([Path("my.csv")], "김동연 경기도지사는 말했다.")
    assert "Dongyeon Kim" in text and "Kim Dong-yeon" not in text, text


def test_translate_names_the_files_it_used_and_where_each_came_from(newsroom, monkeypatch):
    monkeypatch.setenv("GNEWS_MODEL_KO_EN", str(newsroom / "no-model"))
    result = CliRunner().invoke(app, ["translate", "--src", "ko", "--tgt", "en", "--glossary", "my.csv"],
                                input="김동연은 협력을 약속했다.\n")
    used = result.stderr
    folder = newsroom / "glossaries"
    assert f"glossaries: {folder / 'medical-gyeonggi.csv'} (found in {folder}), my.csv (--glossary)" in used, used
    assert f"people: {folder / 'people.csv'} (found in {folder})" in used, used
    assert "people left to the glossaries named above them: 김동연" in used, used
    monkeypatch.setenv("GNEWS_PEOPLE", str(folder / "people.csv"))
    named = CliRunner().invoke(app, ["translate", "--src", "ko", "--tgt", "en"], input="김동연.\n")
    assert f"people: {folder / 'people.csv'} (GNEWS_PEOPLE)" in named.stderr, named.output


def test_a_registry_named_in_gnews_people_wins_over_the_glossary_directory(newsroom, monkeypatch):
    monkeypatch.setenv("GNEWS_PEOPLE", str(newsroom / "glossaries" / "people.csv"))
    (newsroom / "glossaries" / "kim.csv").write_text("ko,en\n김동연,Dongyeon Kim\n", encoding="utf-8")
    assert "Gyeonggi Governor Kim Dong-yeon" in translated([], "김동연 경기도지사는 말했다.")
    # and the command line over GNEWS_PEOPLE
    assert "Dongyeon Kim" in translated([Path("my.csv")], "김동연 경기도지사는 말했다.")


PEOPLE = ROOT / "glossaries" / "people.csv"


@pytest.mark.parametrize("src, tgt, source, name, title", [
    ("en", "ko", "The delegation visited Sultanbekov Otabek on Thursday.", "술탄베코프 오타베크", "부주지사"),
    ("ko", "en", "대표단은 목요일 술탄베코프 오타베크를 만났다.", "Sultanbekov Otabek", "Deputy Governor"),
    ("ko", "en", "김동연은 협력을 약속했다.", "Kim Dong-yeon", "Governor"),
])
def test_the_registry_never_adds_a_title_the_source_lacks(src, tgt, source, name, title):
    registry, _ = read_people(PEOPLE)
    terminology = Terminology(read_csv("empty.csv", "ko,en\n")[0], src, tgt, day=dt.date(2023, 11, 21),
                              registry=registry)
    text = copy_model(terminology, source)
    assert name in text and title not in text, text


@pytest.mark.parametrize("src, tgt, source, unit", [
    ("en", "ko", "Tashkent Region Deputy Governor Sultanbekov Otabek visited.",
     "술탄베코프 오타베크 타슈켄트주 부주지사"),
    ("ko", "en", "김동연 경기도지사는 말했다.", "Gyeonggi Governor Kim Dong-yeon"),
])
def test_a_title_the_source_names_is_still_rendered(src, tgt, source, unit):
    registry, _ = read_people(PEOPLE)
    terminology = Terminology(read_csv("empty.csv", "ko,en\n")[0], src, tgt, day=dt.date(2023, 11, 21),
                              registry=registry)
    assert unit in copy_model(terminology, source)


# --- 3. a longer known name shadows the terms inside it ---------------------------------------

NEWSLETTER = ROOT / "glossaries" / "medical-gyeonggi.csv"


@pytest.mark.parametrize("src, tgt, source, target", [
    ("en", "ko", "Medical Gyeonggi e-News reported it on Tuesday.", "메디컬경기 e-뉴스가 화요일 보도했다."),
    ("ko", "en", "메디컬경기 e-뉴스 기자가 취재했다.", "A reporter of Medical Gyeonggi e-News covered it."),
])
def test_the_publications_own_name_shadows_the_place_inside_it(src, tgt, source, target):
    terminology = Terminology(load_glossaries([NEWSLETTER]), src, tgt)
    flags = check_pair(source, target, src, tgt, terminology, QAContext(None, "human"))
    assert not [f for f in flags if f["id"].startswith("term_")], flags
    # the engine puts the publication's name, not "경기도" for the Gyeonggi inside it
    text = copy_model(terminology, source)
    assert {"ko": "메디컬경기 e-뉴스", "en": "Medical Gyeonggi e-News"}[tgt] in text, text
    assert "경기도" not in text and "Gyeonggi-do" not in text, text


@pytest.mark.parametrize("src, tgt, source, target, inner", [
    ("en", "ko", "Gyeonggi Provincial Medical Center opened a clinic.", "경기도의료원은 진료소를 열었다.", "경기도 "),
    ("ko", "en", "경기도의료원은 진료소를 열었다.", "Gyeonggi Provincial Medical Center opened a clinic.",
     "Gyeonggi-do"),
])
def test_an_institution_shadows_the_place_in_its_name(src, tgt, source, target, inner):
    glossary, _ = read_csv("g.csv", "ko,en,en_variants,type\n경기도,Gyeonggi-do,Gyeonggi|Gyeonggi Provincial,place\n"
                           "경기도의료원,Gyeonggi Provincial Medical Center,,institution\n")
    terminology = Terminology(glossary, src, tgt)
    assert inner not in copy_model(terminology, source)
    flags = check_pair(source, target, src, tgt, terminology, QAContext(None, "machine"))
    assert not [f for f in flags if f["id"].startswith("term_")], flags


def test_a_forbidden_spelling_inside_a_longer_known_name_is_that_name():
    glossary, _ = read_csv("k.csv", "ko,en,en_forbidden,type\n경기도,Gyeonggi-do,Kyonggi,place\n"
                           "경기대학교,Kyonggi University,,institution\n")
    terminology = Terminology(glossary, "ko", "en")
    source, context = "경기도와 경기대학교가 협약을 맺었다.", QAContext(None, "human")
    right = check_pair(source, "Gyeonggi-do and Kyonggi University signed an agreement.", "ko", "en", terminology,
                       context)
    assert not [f for f in right if f["id"] == "term_forbidden"], right
    _, _, engine_flags = terminology.finish(*(lambda p: (p.text, p))(terminology.prepare(source)))
    assert not engine_flags
    wrong = check_pair(source, "Kyonggi and Kyonggi University signed an agreement.", "ko", "en", terminology, context)
    assert [f["target"] for f in wrong if f["id"] == "term_forbidden"] == ["Kyonggi"], wrong


# --- 4. a reviewer's override carries to a correction's unchanged sentences ------------------

@pytest.fixture
def database_url(tmp_path):
    """SQLite only: plain ORM work, and the CI budget (the store's tests cover PostgreSQL)."""
    return f"sqlite:///{tmp_path / 'desk.sqlite'}"


REASON = "the source's 8 is a typo for 9; the ministry confirmed 9 hospitals"


def _correction_draft(session, translation_id: int, change: tuple[str, str]) -> int:
    """The published article corrected (``change`` in its first paragraph), its Korean draft made
    as a model would (each sentence's machine text the old draft), then prepared like the job does."""
    translation = session.get(Translation, translation_id)
    article = translation.revision.article
    session.add(Edition(article_id=article.id, lang="ko", translation_id=translation_id, revision_number=1,
                        title="대표단", path="ko/delegation-visit.html"))
    session.flush()
    corrected = parse_article(ARTICLE.replace(change[0].encode(), change[1].encode()), "delegation.md")
    new_id = submit(session, corrected, ["ko"], submitted_by="editor1", correction="The date was wrong.") \
        .translation_ids[0]
    for block, sentence, source, draft, terms, flags in SEGMENTS:
        source = source.replace(*change)
        session.add(Segment(translation_id=new_id, block_index=block, sentence_index=sentence, source_text=source,
                            machine_text=draft, text=draft, state=SegmentState.MACHINE, flags=list(flags),
                            provenance={}, terms=terms, version=1))
    prepare_draft(session, new_id)
    session.get(Translation, new_id).state = TranslationState.IN_REVIEW
    return new_id


def test_an_override_carries_to_a_corrections_unchanged_sentence_and_says_so(db):
    translation_id = make_review_draft(db)
    with pytest.raises(ReviewError, match="1 error flag"), db.session() as session:
        approve(session, translation_id, "reviewer1")
    with db.session() as session:
        approve(session, translation_id, "reviewer1", override=REASON)
    with db.session() as session:
        new_id = _correction_draft(session, translation_id, ("November 7", "November 6"))
    with db.session() as session:  # the unchanged, overridden sentence asks for no second reason
        approved = approve(session, new_id, "reviewer2")
        assert f"translation {translation_id} (reviewer1): {REASON}" in approved.override_reason
        carried = [c for c in session.scalars(select(SegmentChange).where(SegmentChange.translation_id == new_id))
                   if c.action == "carry+override"]
        assert [c.text for c in carried] == ['장관은 9개 병원에 "환영합니다"라고 말했다.']
        flagged = next(s for s in session.get(Translation, new_id).segments if s.block_index == 1)
        assert flagged.flags[0]["overridden"]["reason"] == REASON and REASON in flagged.flags[0]["message"]


def test_a_changed_sentence_needs_its_own_override(db):
    translation_id = make_review_draft(db)
    with db.session() as session:
        approve(session, translation_id, "reviewer1", override=REASON)
    with db.session() as session:  # the flagged sentence itself changed: the old reason does not cover it
        new_id = _correction_draft(session, translation_id, ("8 hospitals", "eight hospitals"))
    with pytest.raises(ReviewError, match="1 error flag"), db.session() as session:
        approve(session, new_id, "reviewer2")


# --- 5. the particle shapes QA and the engine missed ------------------------------------------

PARTICLE_TERMS = {"아주대학교병원", "세브란스", "경기도", "분당서울대학교병원", "레보아이", "고려대학교 안산병원",
                  "해외 의료인 연수 사업"}
READINGS = {"Revo-i": "레보아이"}


@pytest.mark.parametrize("wrong, right", [
    # a wrong particle followed by another (의, 부터, 는) once made the wrong word look like a noun
    ("아주대학교병원와의 협력", "아주대학교병원과의"), ("세브란스과의 협력", "세브란스와의"),
    ("경기도으로부터 받은 자료", "경기도로부터"), ("경기도과는 달리", "경기도와는"),
    ("고려대학교 안산병원와의 협력", "안산병원과의"),  # a term of several words: its last word
    # a closing quote between the term and its particle
    ("“아주대학교병원”를 찾았다.", "아주대학교병원”을"), ("‘Revo-i’을 공개했다.", "Revo-i’를"),
    # an abbreviation in parentheses is not read: the particle agrees with the word before it
    ("분당서울대학교병원(SNUBH)를 방문했다.", "분당서울대학교병원(SNUBH)을"),
    ("해외 의료인 연수 사업(ABC)가 밝혔다.", "사업(ABC)이"),  # a term's 사업 + 가 is not 사업가 (a businessman)
])
def test_qa_catches_a_wrong_particle_after_a_term_in_these_shapes(wrong, right):
    flags = check_particles(wrong, PARTICLE_TERMS, READINGS)
    assert [f["fix"]["replace"] for f in flags] == [right], flags
    corrected = wrong.replace(flags[0]["fix"]["find"], right)
    assert not check_particles(corrected, PARTICLE_TERMS, READINGS), corrected


@pytest.mark.parametrize("correct", ["세계보건기구(WHO)는 밝혔다.", "국제통화기금(IMF)은 밝혔다.", "나이를 묻자",
                                     "경기도와의 협력", "“경기도”는 밝혔다.", "레보아이를 공개했다."])
def test_correct_particles_in_these_shapes_stay_quiet(correct):
    assert not check_particles(correct, PARTICLE_TERMS, READINGS)


@pytest.mark.parametrize("source, model_output, wanted", [
    ("Cooperation with Gyeonggi-do grew.", "{t}과의 협력이 늘었다.", "경기도와의 협력"),
    ("Unlike Ajou University Hospital, it grew.", "{t}와는 달리 늘었다.", "아주대학교병원과는 달리"),
    ("They visited “Ajou University Hospital”.", "대표단은 “{t}”를 방문했다.", "“아주대학교병원”을"),
])
def test_the_engine_re_agrees_particles_in_these_shapes(source, model_output, wanted):
    glossary, _ = read_csv("g.csv", "ko,en\n아주대학교병원,Ajou University Hospital\n경기도,Gyeonggi-do\n")
    terminology = Terminology(glossary, "en", "ko")
    prepared = terminology.prepare(source)
    text, _, _ = terminology.finish(model_output.format(t=prepared.protected.slots[0].token), prepared)
    assert wanted in text, text


def test_a_first_mention_with_its_abbreviation_keeps_the_particle_of_the_word_before_it():
    assert agree_run("분당서울대학교병원(SNUBH)", "를") == "을"
    assert agree_run("세계보건기구(WHO)", "은") == "는"
    assert agree_run("Revo-i(레보아이)", "을") == "를"  # the word before is unread: the parenthesis is


def test_an_articles_own_glossary_wins_over_the_registry_in_the_job():
    registry, _ = read_people(PEOPLE)
    kept = article_registry(registry, "ko,en\n김동연,Dongyeon Kim\n")
    assert kept.by_id("kim-dong-yeon") is None and kept.by_id("eom-won-ja") is not None
    assert article_registry(registry, None) is registry


def test_a_glossary_that_agrees_with_the_registry_leaves_it_whole(newsroom):
    (newsroom / "same.csv").write_text("ko,en,type\n김동연,Kim Dong-yeon,person\n", encoding="utf-8")
    assert "Gyeonggi Governor Kim Dong-yeon" in translated([Path("same.csv")], "김동연 경기도지사는 말했다.")


def test_a_language_without_its_own_publication_name_keeps_the_source_name():
    terminology = Terminology(load_glossaries([NEWSLETTER]), "en", "ru")
    text = copy_model(terminology, "Medical Gyeonggi e-News reported it.")
    assert "Medical Gyeonggi e-News" in text and "Кёнгидо" not in text, text
