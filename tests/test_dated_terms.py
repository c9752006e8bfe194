"""Terminology that knows time and style: dated concepts, the people registry, first mentions.

The officials are the sample article's (엄원자 경기도 보건의료과장, 김동연 경기도지사), with
posts dated for the test so that the article's date decides which title is right.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from gnews_i18n.pipeline import SegmentDraft
from gnews_i18n.qa import QAContext, check_pair
from gnews_i18n.terms import Terminology
from gnews_i18n.terms.csvfile import read_csv
from gnews_i18n.terms.mentions import style_article
from gnews_i18n.terms.people import read_people
from gnews_i18n.terms.style import StyleError, load_style
from gnews_i18n.terms.tbx import write_tbx
from gnews_i18n.terms.tbx_read import read_tbx
from gnews_i18n.terms.validation import check_glossary

GLOSSARY = """id,type,ko,en,en_abbr,ko_short,valid_from,valid_to
snubh,institution,분당서울대학교병원,Seoul National University Bundang Hospital,SNUBH,분당서울대병원,,
division,institution,경기도 보건의료과,Health and Medical Division of Gyeonggi-do,,,,2023-06-30
division,institution,경기도 보건의료정책과,Health and Medical Policy Division of Gyeonggi-do,,,2023-07-01,
gyeonggi,place,경기도,Gyeonggi-do,,,,
"""
DIVISION = "Director of the Health and Medical Division"
PEOPLE = f"""id,ko,en,org_ko,org_en,title_ko,title_en,title_type,from,to
kim-dong-yeon,김동연,Kim Dong-yeon,경기도,Gyeonggi,지사,Governor,head,2022-07-01,
kim-dong-yeon,,,경기도,Gyeonggi,부지사,Vice Governor,officer,2020-01-01,2022-06-30
eom-won-ja,엄원자,Eom Won-ja,경기도,Gyeonggi-do,보건의료과장,{DIVISION},officer,2021-01-01,2023-06-30
eom-won-ja,,,경기도,Gyeonggi-do,보건건강국장,Head of the Health and Medical Department,officer,2023-07-01,
hong-gil-dong,홍길동,Hong Gil-dong,,,,,,,
"""
BEFORE, AFTER = dt.date(2022, 3, 2), dt.date(2023, 11, 21)


@pytest.fixture(scope="module")
def glossary():
    found, problems = read_csv("dated.csv", GLOSSARY)
    assert not problems + check_glossary(found)
    return found


@pytest.fixture(scope="module")
def registry():
    found, problems = read_people("people.csv", PEOPLE)
    assert not problems
    return found


def copy_model(terminology: Terminology, source: str) -> tuple[str, list, list]:
    """What a model that copies its placeholders does: the glossary's forms come back in place."""
    prepared = terminology.prepare(source)
    return terminology.finish(prepared.text, prepared)


# --- dated concepts in files -------------------------------------------------------------

def test_csv_reads_dates_abbreviations_and_short_forms(glossary):
    snubh, old, new = glossary.terms[:3]
    assert (snubh.abbreviations, snubh.short_forms) == ({"en": "SNUBH"}, {"ko": "분당서울대병원"})
    assert (old.valid_from, old.valid_to) == (None, dt.date(2023, 6, 30))
    assert new.valid_from == dt.date(2023, 7, 1) and new.valid_to is None


def test_glossary_check_flags_inverted_and_overlapping_ranges_with_file_and_line():
    text = ("id,ko,en,valid_from,valid_to\n"
            "a,보건의료과,Health Division,2024-01-01,2023-01-01\n"
            "b,보건과,Health Office,2020-01-01,2023-12-31\n"
            "b,보건과,Public Health Office,2023-06-01,\n"
            "c,의료과,Medical Division,2022-13-01,\n")
    found, problems = read_csv("g.csv", text)
    messages = [str(p) for p in problems + check_glossary(found)]
    assert any(m.startswith("g.csv:2: error: inverted range: valid_from 2024-01-01 is after valid_to 2023-01-01")
               for m in messages), messages
    assert any(m.startswith("g.csv:4: error: duplicate concept id 'b': valid 2023-06-01 to … here overlaps "
                            "2020-01-01 to 2023-12-31 on line 3") for m in messages), messages
    assert any(m.startswith("g.csv:5: error: '2022-13-01' is not a date") for m in messages), messages
    fixed = text.replace("2023-06-01", "2024-01-01").replace("2024-01-01,2023-01-01", "2023-01-01,2024-01-01")
    found, problems = read_csv("g.csv", fixed.replace("2022-13-01", "2022-12-01"))
    assert not problems + check_glossary(found)  # disjoint periods of one concept are no clash


@pytest.mark.parametrize("fmt", ["tbx2008", "tbx3"])
def test_tbx_carries_dates_abbreviations_and_short_forms(glossary, fmt):
    back, _ = read_tbx(write_tbx(glossary, "ko", fmt).encode(), "g.tbx")
    assert [(t.forms, t.valid_from, t.valid_to, t.abbreviations, t.short_forms) for t in back.terms] == \
        [(t.forms, t.valid_from, t.valid_to, t.abbreviations, t.short_forms) for t in glossary.terms]
    assert 'termType">abbreviation<' in write_tbx(glossary, "ko", fmt)


def test_tbx_from_other_tools_may_date_a_concept_with_a_typed_descrip():
    tbx = """<martif type="TBX-Basic" xml:lang="ko"><martifHeader><fileDesc><sourceDesc><p>x</p></sourceDesc>
    </fileDesc></martifHeader><text><body><termEntry id="d"><descrip type="validTo">2023-06-30</descrip>
    <langSet xml:lang="ko"><tig><term>보건의료과</term></tig></langSet>
    <langSet xml:lang="en"><tig><term>Health Division</term></tig></langSet></termEntry></body></text>
    </martif>""".encode()
    term = read_tbx(tbx, "x.tbx")[0].terms[0]
    assert term.valid_to == dt.date(2023, 6, 30) and term.valid_from is None


# --- the form valid on the article's date, both directions -------------------------------

@pytest.mark.parametrize(("src", "tgt", "source"), [
    ("ko", "en", "경기도 보건의료과는 밝혔다."), ("ko", "en", "경기도 보건의료정책과는 밝혔다."),
    ("en", "ko", "The Health and Medical Division of Gyeonggi-do said."),
])
def test_the_form_valid_on_the_date_is_chosen(glossary, src, tgt, source):
    terminology = Terminology(glossary, src, tgt)
    old = "Health and Medical Division of Gyeonggi-do" if tgt == "en" else "경기도 보건의료과"
    new = "Health and Medical Policy Division of Gyeonggi-do" if tgt == "en" else "경기도 보건의료정책과"
    assert copy_model(terminology.on(BEFORE), source)[0].startswith(old)
    text, _, flags = copy_model(terminology.on(AFTER), source)
    assert text.startswith(new)
    assert "term_outdated" not in {f["id"] for f in flags}


def test_an_old_name_after_the_renaming_is_an_error_with_the_fix(glossary):
    terminology = Terminology(glossary, "ko", "en")
    source, stale = "경기도 보건의료정책과는 밝혔다.", "The Health and Medical Division of Gyeonggi-do said."
    flags = check_pair(source, stale, "ko", "en", terminology, QAContext(AFTER, "human"))
    outdated = [f for f in flags if f["id"] == "term_outdated"]
    assert outdated[0]["severity"] == "error"
    assert outdated[0]["message"] == ("‘Health and Medical Division of Gyeonggi-do’ is the name until 2023-06-30; "
                                      "on 2023-11-21 it is ‘Health and Medical Policy Division of Gyeonggi-do’")
    assert outdated[0]["fix"]["replace"] == "Health and Medical Policy Division of Gyeonggi-do"
    right = "The Health and Medical Policy Division of Gyeonggi-do said."
    assert not [f for f in check_pair(source, right, "ko", "en", terminology, QAContext(AFTER, "human"))
                if f["severity"] == "error"]
    assert not check_pair("경기도 보건의료과는 밝혔다.", stale, "ko", "en", terminology, QAContext(BEFORE, "human"))


# --- the people registry -----------------------------------------------------------------

def test_registry_errors_carry_file_and_line():
    text = PEOPLE + "eom-won-ja,엄원재,,,,과장,Director,officer,2024-01-01,2023-01-01\n" + \
        "oh,오병권,Oh Byeong-gwon,경기도,Gyeonggi,부지사,Vice Governor,officer,2023-02-30,\n"
    _, problems = read_people("people.csv", text)
    assert [str(p) for p in problems] == [
        "people.csv:7: error: ko '엄원재' differs from '엄원자' given earlier for 'eom-won-ja'",
        "people.csv:8: error: '2023-02-30' is not a date; write YYYY-MM-DD, e.g. 2023-07-01"]
    _, problems = read_people("people.csv", PEOPLE + "eom-won-ja,,,,,과장,Director,officer,2024-01-01,2023-01-01\n")
    assert [str(p) for p in problems] == ["people.csv:7: error: inverted range: from 2024-01-01 is after to 2023-01-01"]


@pytest.mark.parametrize(("source", "english"), [
    ("엄원자 경기도 보건의료과장은 발표했다.", "Eom Won-ja, Director of the Health and Medical Division, Gyeonggi-do"),
    ("김동연 경기도지사와 논의했다.", "Gyeonggi Governor Kim Dong-yeon"),
])
def test_korean_officials_become_one_unit_in_english_style(glossary, registry, source, english):
    terminology = Terminology(glossary, "ko", "en", registry=registry, day=dt.date(2023, 3, 2))
    text, hits, _ = copy_model(terminology, source)
    assert text.startswith(english)
    assert [h["term"] for h in hits] == [f"person:{'eom-won-ja' if '엄' in source else 'kim-dong-yeon'}"]


@pytest.mark.parametrize(("source", "korean"), [
    ("Eom Won-ja, Director of the Health and Medical Division, Gyeonggi-do, said.", "엄원자 경기도 보건의료과장은"),
    ("Gyeonggi Governor Kim Dong-yeon said.", "김동연 경기도지사는"),
    ("Governor Kim Dong-yeon said.", "김동연 경기도지사는"),
])
def test_english_officials_become_name_then_title_in_korean(glossary, registry, source, korean):
    terminology = Terminology(glossary, "en", "ko", registry=registry, day=dt.date(2023, 3, 2))
    prepared = terminology.prepare(source)
    token = prepared.protected.slots[0].token
    text, _, _ = terminology.finish(f"{token}는 말했다.", prepared)  # the model's particle after a vowel
    assert text.startswith(korean)  # re-agreed: 과장은, 도지사는


def test_a_person_without_a_post_takes_the_honorific_in_korean(registry):
    style = load_style("ko")
    hong = registry.by_id("hong-gil-dong")
    assert (style.person(hong, None, first=True), style.person(hong, None, first=False)) == ("홍길동 씨", "홍 씨")


def test_a_title_not_held_on_the_date_is_an_error_naming_the_post_then(glossary, registry):
    terminology = Terminology(glossary, "ko", "en", registry=registry)
    source = "엄원자 경기도 보건의료과장은 발표했다."
    target = "Eom Won-ja, Director of the Health and Medical Division, Gyeonggi-do, gave a presentation."
    flags = [f for f in check_pair(source, target, "ko", "en", terminology, QAContext(AFTER, "human"))
             if f["id"] == "title_date"]
    assert flags[0]["severity"] == "error"
    assert flags[0]["message"] == ("‘Eom Won-ja, Director of the Health and Medical Division, Gyeonggi-do’: "
                                   "Eom Won-ja was Director of the Health and Medical Division from 2021-01-01 to "
                                   "2023-06-30; on 2023-11-21: Head of the Health and Medical Department")
    assert flags[0]["fix"]["replace"] == "Eom Won-ja, Head of the Health and Medical Department, Gyeonggi-do"
    governor = check_pair("김동연 경기도지사는 말했다.", "Gyeonggi Governor Kim Dong-yeon said.", "ko", "en",
                          terminology, QAContext(BEFORE, "human"))
    assert [f["message"] for f in governor if f["id"] == "title_date"] == [
        "‘Gyeonggi Governor Kim Dong-yeon’: Kim Dong-yeon was Governor from 2022-07-01; on 2022-03-02: Vice Governor"]
    right = check_pair("김동연 경기도지사는 말했다.", "Gyeonggi Governor Kim Dong-yeon said.", "ko", "en",
                       terminology, QAContext(AFTER, "human"))
    assert not [f for f in right if f["id"].startswith("title_date")]


def test_a_wrong_title_in_korean_output_is_caught_too(glossary, registry):
    terminology = Terminology(glossary, "en", "ko", registry=registry)
    flags = check_pair("Eom Won-ja, Head of the Health and Medical Department, Gyeonggi-do, said.",
                       "엄원자 경기도 보건의료과장은 말했다.", "en", "ko", terminology, QAContext(AFTER, "human"))
    assert [f["fix"]["replace"] for f in flags if f["id"] == "title_date"] == ["엄원자 경기도 보건건강국장"]


# --- first mention and later mentions across the article ---------------------------------

def _article(terminology: Terminology, sources: list[str], day: dt.date) -> list[SegmentDraft]:
    drafts = []
    for index, source in enumerate(sources):
        dated = terminology.on(day)
        draft = SegmentDraft(index - 1, 0, source, article_date=day, article=1)
        draft.machine_text, draft.terms, draft.flags = copy_model(dated, source)
        drafts.append(draft)
    style_article(drafts, terminology)
    return drafts


def test_first_mention_in_full_with_the_abbreviation_later_ones_short(glossary, registry):
    terminology = Terminology(glossary, "ko", "en", registry=registry)
    drafts = _article(terminology, ["분당서울대학교병원, 엄원자 경기도 보건건강국장 방문",
                                    "엄원자 경기도 보건건강국장은 분당서울대학교병원을 방문했다.",
                                    "엄 국장은 분당서울대병원과 협력한다."], AFTER)
    title, lead, body = (d.machine_text for d in drafts)
    assert title.startswith("Seoul National University Bundang Hospital (SNUBH), Eom Won-ja, Head of the Health "
                            "and Medical Department, Gyeonggi-do")
    # the copying model keeps the Korean particles; what matters is the form of each mention
    assert re.match(r"Eom \S* ?SNUBH", lead) and re.match(r"Eom \S* ?SNUBH", body), (lead, body)
    assert [h["mention"] for d in drafts for h in d.terms] == ["first", "first", "later", "later", "later", "later"]
    assert not [f for d in drafts for f in d.flags if f["id"] in ("abbr_first", "abbr_not_introduced")]


def test_korean_later_mentions_are_family_name_and_title_with_agreeing_particles(glossary, registry):
    terminology = Terminology(glossary, "en", "ko", registry=registry)
    sources = ["Eom Won-ja, Head of the Health and Medical Department, Gyeonggi-do, spoke.",
               "Eom Won-ja, Head of the Health and Medical Department, Gyeonggi-do, visited it."]
    drafts = []
    for index, source in enumerate(sources):
        prepared = terminology.on(AFTER).prepare(source)
        draft = SegmentDraft(index, 0, source, article_date=AFTER, article=1)
        draft.machine_text, draft.terms, draft.flags = terminology.on(AFTER).finish(
            f"{prepared.protected.slots[0].token}는 말했다.", prepared)
        drafts.append(draft)
    style_article(drafts, terminology)
    assert drafts[0].machine_text.startswith("엄원자 경기도 보건건강국장은")
    assert drafts[1].machine_text.startswith("엄 국장은")


def test_qa_warns_of_an_abbreviation_before_its_full_form_and_one_never_introduced(glossary):
    terminology = Terminology(glossary, "ko", "en")
    source = "분당서울대학교병원은 밝혔다."
    early = check_pair(source, "SNUBH said.", "ko", "en", terminology, QAContext(AFTER, "human"))
    flag = next(f for f in early if f["id"] == "abbr_first")
    assert flag["severity"] == "warning"
    assert flag["fix"] == {"find": "SNUBH", "replace": "Seoul National University Bundang Hospital (SNUBH)"}
    introduced = QAContext(AFTER, "human", "분당서울대학교병원이 밝혔다.",
                           "Seoul National University Bundang Hospital (SNUBH) said.")
    assert not [f for f in check_pair(source, "SNUBH said.", "ko", "en", terminology, introduced)
                if f["id"].startswith("abbr")]
    from gnews_i18n.terms.dated_checks import mention_flags

    never = mention_flags("SNUBH said.", terminology, "The hospital opened.", "It grew.")
    assert [f["id"] for f in never] == ["abbr_not_introduced"]
    assert re.search("never introduced", never[0]["message"])


# --- style files -------------------------------------------------------------------------

def test_a_newsroom_style_file_overrides_the_default(tmp_path, registry):
    (tmp_path / "en.toml").write_text('[people.title_types]\nhead = "{title} {name} of {org}"\n', encoding="utf-8")
    style = load_style("en", str(tmp_path))
    kim = registry.by_id("kim-dong-yeon")
    assert style.person(kim, kim.post_on(AFTER), first=True) == "Governor Kim Dong-yeon of Gyeonggi"
    assert style.person(kim, kim.post_on(AFTER), first=False) == "Kim"  # the default's other keys stay
    (tmp_path / "ko.toml").write_text('[people]\nlater = "{surname} {title}"\n', encoding="utf-8")
    with pytest.raises(StyleError, match=r"ko.toml: \[people\] later names unknown field\(s\) surname"):
        load_style("ko", str(tmp_path))


# --- the sample article's officials, both directions ----------------------------------------

@pytest.mark.parametrize(("sample", "src", "tgt", "expected"), [
    ("ko", "ko", "en", ["Sultanbekov Otabek, Deputy Governor, Tashkent Region",
                        "Seoul National University Bundang Hospital (SNUBH)", "Ajou University Hospital",
                        "Eom Won-ja, Head of the Health and Medical Department, Gyeonggi-do",
                        "Abduganiyev Ulugbek, Director of the Public Health Department, Tashkent Region", "SNUBH",
                        "Ajou University Hospital",
                        "Tashkent Governor Zoyir Mirzayev", "Gyeonggi Governor Kim Dong-yeon",
                        "Oh Byeong-gwon, First Vice Governor, Gyeonggi Province"]),
    ("en", "en", "ko", ["술탄베코프 오타베크 타슈켄트주 부주지사", "분당서울대학교병원", "아주대학교병원",
                        "엄원자 경기도 보건건강국장",
                        "압두가니예프 울루그베크 타슈켄트주 보건국장", "분당서울대병원", "아주대학교병원",
                        "조이르 미르자예프 타슈켄트주 주지사", "김동연 경기도지사", "오병권 경기도 행정1부지사"]),
])
def test_the_sample_articles_officials_and_first_mentions(sample, src, tgt, expected):
    """The newsletter's own glossary and registry on the sample article (dated 2023-11-21)."""
    from gnews_i18n.intake import parse_article
    from gnews_i18n.pipeline import segment_article
    from gnews_i18n.terms import load_glossaries
    from gnews_i18n.terms.people import load_registry

    from conftest import EN_SAMPLE, KO_SAMPLE, NEWSLETTER_GLOSSARY, ROOT

    path = KO_SAMPLE if sample == "ko" else EN_SAMPLE
    article = parse_article(path.read_bytes(), path.name)
    assert article.date == dt.date(2023, 11, 21)
    registry = load_registry([ROOT / "glossaries" / "people.csv"])
    terminology = Terminology(load_glossaries([NEWSLETTER_GLOSSARY]), src, tgt, registry=registry)
    drafts = segment_article(article.title, article.blocks, src, article.date)
    for draft in drafts:
        dated = terminology.on(draft.article_date)
        draft.machine_text, draft.terms, draft.flags = copy_model(dated, draft.source_text)
    style_article(drafts, terminology)
    placed = [h["target"] for d in drafts for h in d.terms
              if h["term"].startswith("person:") or h["term"] in ("snubh", "ajou-hospital")]
    assert placed == expected
    assert all(h["target"] in d.machine_text for d in drafts for h in d.terms)
    assert not [f for d in drafts for f in d.flags if f["id"] in ("title_date", "term_outdated", "abbr_first",
                                                                  "abbr_not_introduced", "short_first")]


def test_a_long_lived_terminology_keeps_a_bounded_number_of_dates():
    from gnews_i18n.terms import terminology as module

    glossary, _ = read_csv("g", "type,ko,en,valid_from\ninstitution,경기도청,Gyeonggi Provincial Office,2020-01-01\n")
    terminology = Terminology(glossary, "ko", "en")
    first = dt.date(2021, 1, 1)
    for offset in range(module._DAYS_KEPT * 2):
        dated = terminology.on(first + dt.timedelta(days=offset))
        assert dated.day == first + dt.timedelta(days=offset)
    assert len(terminology._days) <= module._DAYS_KEPT + 1
    assert terminology.on(None) is terminology and None in terminology._days
