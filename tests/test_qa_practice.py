"""What professional news translators do must not be an error; what corrupts a translation must.

Each practice from the real-practice corpus (bench/data/practice.*.tsv), in both directions.
"""

from __future__ import annotations

import datetime as dt

import pytest

from gnews_i18n.qa import QAContext, check_pair, has_errors
from gnews_i18n.terms import Terminology, read_glossary_file

from conftest import NEWSLETTER_GLOSSARY

MARCH_20 = QAContext(dt.date(2024, 3, 20), "human")


def flags(source, target, src="ko", tgt="en", context=MARCH_20, terminology=None):
    return check_pair(source, target, src, tgt, terminology, context)


def errors(*args, **kwargs):
    return [f for f in flags(*args, **kwargs) if f["severity"] == "error"]


def ids(*args, **kwargs):
    return {f["id"] for f in flags(*args, **kwargs)}


# --- dates completed from the article's date ---------------------------------------------

@pytest.mark.parametrize(("ko", "en"), [
    ("도는 19일 밝혔다.", "The province announced on March 19."),
    ("도는 지난 11일 설명회를 열었다.", "The province held a briefing on March 11."),
    ("도는 오는 25일 설명회를 연다.", "The province will hold a briefing on March 25."),
    ("지난 28일 발표했다.", "It was announced on February 28."),  # a day still ahead this month: last month
    ("지난달 말 기준 412곳이다.", "There were 412 as of the end of February."),
    ("병동은 다음 달 문을 연다.", "The ward will open in April."),
    ("지난해 환자는 52명이었다.", "There were 52 patients in 2023."),
    ("올해 목표는 15만 명이다.", "The target for 2024 is 150,000."),
])
def test_a_month_or_year_the_article_date_implies_is_not_added(ko, en):
    assert not errors(ko, en)
    assert not errors(en, ko, "en", "ko")


def test_a_month_that_contradicts_the_article_date_is_still_an_error():
    found = errors("도는 19일 밝혔다.", "The province announced on July 19.")
    assert [(f["id"], f["target"]) for f in found] == [("number_added", "July")]
    found = errors("The province announced on July 19.", "도는 19일 밝혔다.", "en", "ko")
    assert [(f["id"], f["source"]) for f in found] == [("number_mismatch", "July")]


def test_without_the_article_date_a_completed_date_is_a_warning_to_confirm():
    found = flags("도는 19일 밝혔다.", "The province announced on March 19.", context=QAContext(origin="human"))
    assert [(f["id"], f["severity"]) for f in found] == [("date_unconfirmed", "warning")]


def test_a_weekday_stands_for_the_date_it_falls_on():
    wednesday = QAContext(dt.date(2024, 8, 21), "human")
    assert not errors("주최 측이 20일 화요일 밝혔다.", "Organizers said on Tuesday.", context=wednesday)
    assert not errors("Organizers said on Tuesday.", "주최 측이 20일 화요일 밝혔다.", "en", "ko", context=wednesday)
    assert errors("Organizers said on Tuesday.", "주최 측이 21일 화요일 밝혔다.", "en", "ko", context=wednesday)


# --- numbering conventions -----------------------------------------------------------------

@pytest.mark.parametrize(("ko", "en"), [
    ("제1조는 목적을 규정한다.", "Article 1 sets out the purpose."),
    ("제3조 제2항은 책무를 담았다.", "Paragraph 2 of Article 3 sets out duties."),
    ("다음 사항이 포함된다. ① 공공병원 ② 인력 ③ 지원", "It includes: (1) public hospitals; (2) staff; (3) support."),
    ("지원 대상은 ▲통역 ▲상품 개발 ▲박람회 참가 등이다.", "Support covers interpretation, packages and fairs."),
    ("첫째, 시설을 개선한다.", "First, it will upgrade facilities."),
    ("1. 시설 개선", "Upgrading facilities"),
])
def test_numbering_conventions_pass_both_ways(ko, en):
    assert not errors(ko, en)
    assert not errors(en, ko, "en", "ko")


def test_a_changed_article_number_is_an_error():
    assert [f["id"] for f in errors("제3조는 목적을 규정한다.", "Article 4 sets out the purpose.")] == [
        "number_mismatch"]


# --- rounding and equivalent figures -------------------------------------------------------

@pytest.mark.parametrize(("ko", "en"), [
    ("환자는 60만6000명이다.", "There were 606,000 patients."),
    ("환자는 60만6000명이다.", "There were 606K patients."),
    ("내과가 3분의 1을 차지했다.", "Internal medicine accounted for one third."),
    ("3분의 1을 넘었다.", "It was more than a third."),
    ("도는 1조2000억 원을 썼다.", "The province spent 1.2 trillion won."),
    ("센터는 9시부터 18시까지 문을 연다.", "The center is open from 9 a.m. to 6 p.m."),
    ("24시간 분만센터를 연다.", "A round-the-clock delivery center will open."),
    ("예산은 지난해의 1.5배다.", "The budget is one and a half times last year's."),
    ("위원회는 위원장 1명을 포함해 15명이다.", "The committee has 15 members, including its chair."),
    ("20~30대가 14명이었다.", "People in their 20s and 30s accounted for 14."),
])
def test_equivalent_figures_pass_both_ways(ko, en):
    assert not errors(ko, en)
    assert not errors(en, ko, "en", "ko")


def test_a_rounded_figure_is_a_warning_and_a_changed_digit_an_error():
    rounded = flags("현지인 632명이 몰렸다.", "More than 600 local residents came.")
    assert [(f["id"], f["severity"], f["source"], f["target"]) for f in rounded] == [
        ("number_rounded", "warning", "632", "600")]
    assert [f["id"] for f in errors("현지인 632명이 몰렸다.", "More than 700 local residents came.")] == [
        "number_mismatch"]
    assert [f["id"] for f in errors("현지인 632명이 몰렸다.", "Some 632,000 local residents came.")] == [
        "number_mismatch"]
    assert errors("More than 600,000 visited.", "60만6000명이 방문했다.", "en", "ko")  # precision invented


def test_a_dropped_equivalent_figure_is_a_warning():
    found = flags("이는 전년의 2.4배(144.2% 증가) 수준이다.", "This is 2.4 times the year before.")
    assert [(f["id"], f["severity"], f["source"]) for f in found] == [("number_equivalent", "warning", "144.2")]
    other = flags("이는 전년의 2.4배(144.2% 증가) 수준이다.", "That is an increase of 144.2%.")
    assert [(f["id"], f["severity"], f["source"]) for f in other] == [("number_equivalent", "warning", "2.4")]
    assert not errors("That is 2.4 times (144.2% more than) the year before.", "이는 전년의 2.4배 수준이다.",
                      "en", "ko")
    assert [f["id"] for f in errors("이는 전년의 2.4배(144.2% 증가) 수준이다.", "This is 2.9 times the year before.")
            ] == ["number_mismatch"]


def test_a_lone_one_may_be_an_article_but_not_another_count():
    assert not errors("Four hospitals took part.", "병원 4곳이 참여했다.", "en", "ko")
    assert errors("Four hospitals took part.", "병원 1곳이 참여했다.", "en", "ko")


# --- every flag names the two spans it compares --------------------------------------------

def test_flags_pair_the_right_spans():
    found = errors("이는 2.4배 수준이다.", "This happened in April.")
    assert {(f["id"], f["source"], f["target"]) for f in found} == {
        ("number_mismatch", "2.4", ""), ("number_added", "", "April")}
    assert all({"source", "target"} <= set(f) for f in flags("환자는 5만 7553명이다.", "Patients totaled 57,533."))
    changed = errors("환자는 5만 7553명이다.", "Patients totaled 57,533.")
    assert [(f["source"], f["target"]) for f in changed] == [("5만 7553", "57,533")]


# --- terms in human text -------------------------------------------------------------------

@pytest.fixture(scope="module")
def ko_en():
    return Terminology(read_glossary_file(NEWSLETTER_GLOSSARY)[0], "ko", "en")


@pytest.fixture(scope="module")
def en_ko():
    return Terminology(read_glossary_file(NEWSLETTER_GLOSSARY)[0], "en", "ko")


def test_glossary_variants_count_as_the_term(ko_en, en_ko):
    assert not ids("분당서울대병원은 인력을 늘린다.", "SNUBH will add staff.", terminology=ko_en)
    assert not ids("경기도는 밝혔다.", "Gyeonggi Province said.", terminology=ko_en)
    assert not ids("Seoul National University Bundang Hospital will add staff.", "분당서울대병원은 인력을 늘린다.",
                   "en", "ko", terminology=en_ko)


def test_short_forms_and_abbreviations_after_a_full_mention(ko_en, en_ko):
    later = QAContext(dt.date(2024, 3, 20), "human", "아주대학교병원은 병동을 연다.", "Ajou University Hospital will "
                      "open a ward.")
    assert not ids("아주대학교병원은 30병상을 배치한다.", "Ajou will put 30 beds in the ward.", terminology=ko_en,
                   context=later)
    first = ids("아주대학교병원은 30병상을 배치한다.", "Ajou will put 30 beds in the ward.", terminology=ko_en)
    assert first == {"term_missing"}  # not introduced: a warning in a human edit
    kdca = QAContext(dt.date(2024, 3, 20), "human", "Seoul National University Bundang Hospital (SNUBH) said.",
                     "분당서울대학교병원이 밝혔다.")
    assert not ids("SNUBH showcased its robot.", "분당서울대병원은 로봇을 소개했다.", "en", "ko", terminology=en_ko,
                   context=kdca)


def test_an_abbreviation_the_article_introduced_in_parentheses(ko_en):
    earlier = QAContext(dt.date(2024, 3, 20), "human", "미래컴퍼니가 밝혔다.", "Meere Company Co., Ltd. (MCL) said.")
    assert not ids("미래컴퍼니는 로봇을 수출했다.", "MCL exported the robot.", terminology=ko_en, context=earlier)
    assert ids("미래컴퍼니는 로봇을 수출했다.", "MCL exported the robot.", terminology=ko_en) == {"term_missing"}


def test_pronouns_warn_in_human_edits_and_fail_machine_drafts(ko_en, en_ko):
    human = flags("경기도는 쉼터를 운영한다.", "The province runs shelters.", terminology=ko_en)
    assert [(f["id"], f["severity"], f["source"], f["target"]) for f in human] == [
        ("term_reference", "warning", "경기도", "The province")]
    machine = flags("경기도는 쉼터를 운영한다.", "The province runs shelters.", terminology=ko_en,
                    context=QAContext(dt.date(2024, 3, 20), "machine"))
    assert [(f["id"], f["severity"]) for f in machine] == [("term_missing", "error")]
    reverse = flags("Gyeonggi-do runs shelters.", "도는 쉼터를 운영한다.", "en", "ko", terminology=en_ko)
    assert [(f["id"], f["severity"]) for f in reverse] == [("term_reference", "warning")]


def test_forbidden_forms_are_errors_even_in_human_edits(ko_en):
    found = errors("경기도는 밝혔다.", "Kyonggi-do said.", terminology=ko_en)
    assert [(f["id"], f["target"], f["fix"]["replace"]) for f in found] == [
        ("term_forbidden", "Kyonggi-do", "Gyeonggi-do")]


@pytest.mark.parametrize("written", ["Dongyeon Kim", "Dong-yeon Kim", "Kim Dongyeon", "Kim Dong Yeon"])
def test_a_swapped_or_unhyphenated_name_is_a_warning_naming_the_approved_form(ko_en, written):
    found = flags("김동연 지사가 말했다.", f"Governor {written} said.", terminology=ko_en)
    assert [(f["id"], f["severity"], f["target"]) for f in found] == [("name_form", "warning", written)]
    assert "Kim Dong-yeon" in found[0]["message"]


# --- Korean particles ----------------------------------------------------------------------

def particle_flags(ko, terminology=None, context=MARCH_20):
    return [f for f in check_pair("The hospital.", ko, "en", "ko", terminology, context)
            if f["id"] == "particle_mismatch"]


@pytest.mark.parametrize(("wrong", "right"), [
    ("병원를", "병원을"), ("서울으로", "서울로"), ("경기도은", "경기도는"), ("센터이", "센터가"), ("환자은", "환자는"),
    ("연수생들는", "연수생들은"), ("수업가", "수업이"), ("병원과", "병원과"), ("의사와", "의사와"),
    ("병원예요", "병원이에요"), ("병원라고", "병원이라고"), ("병원며", "병원이며"), ("병원와", "병원과"),
    ("CT을", "CT를"), ("MRI을", "MRI를"), ("3명를", "3명을"), ("10을", "10을"), ("7를", "7을"),
    ("2023년가", "2023년이"),
])
def test_a_particle_must_agree_with_the_word_before_it(wrong, right):
    found = particle_flags(f"대표단은 {wrong} 방문했다.")
    if wrong == right:
        assert found == []
    else:
        assert [(f["severity"], f["target"], f["fix"]) for f in found] == [
            ("error", wrong, {"find": wrong, "replace": right})]
        assert f"‘{wrong}’ → ‘{right}’" in found[0]["message"]


def test_latin_terms_use_their_stored_reading(en_ko):
    assert particle_flags("미래컴퍼니는 Revo-i을 개발했다.", en_ko)[0]["fix"]["replace"] == "Revo-i를"
    assert particle_flags("미래컴퍼니는 Revo-i를 개발했다.", en_ko) == []
    assert particle_flags("레보아이을 개발했다.", en_ko)[0]["fix"]["replace"] == "레보아이를"


@pytest.mark.parametrize("text", [
    "가능성이 크다.", "평가가 끝났다.", "전문가 회의가 열렸다.", "내과와 외과가 협력했다.", "감염경로는 조사 중이다.",
    "보건의료 분야를 넓혔다.", "병원이 있는 마을을 찾았다.", "나이와 차이를 따졌다.", "그는 의사이며 교수다.",
    "환자라고 말했다.", "서울로 갔다.", "길을 잃는 사람이 많다.", "김지은 교수가 말했다.", "분야별 계획을 세운다.",
    "레보아이를 개발했다.", "1,046명으로 늘었다.", "주택가와 대학가를 돌았다.",
])
def test_words_that_merely_end_like_particles_are_never_flagged(text):
    assert particle_flags(text) == []


def test_nouns_the_article_uses_elsewhere_are_known():
    context = QAContext(dt.date(2024, 3, 20), "human", "", "민수를 만났다.")
    assert particle_flags("민수야 보고 싶다.", context=context) == []
    assert [f["fix"]["replace"] for f in particle_flags("민수아 보고 싶다.", context=context)] == ["민수야"]


def test_particles_are_checked_only_in_korean_text():
    found = check_pair("병원를 방문했다.", "They visited.", "ko", "en")
    assert not [f for f in found if f["id"] == "particle_mismatch"]
    assert has_errors(check_pair("They visited.", "병원를 방문했다.", "en", "ko"))


# --- merges, splits and reordered clauses --------------------------------------------------

@pytest.mark.parametrize(("ko", "en"), [
    ("도는 신고센터도 운영한다. 센터는 평일 9시부터 18시까지 문을 연다.",
     "The province also runs a complaint center, which is open from 9 a.m. to 6 p.m. on weekdays."),
    ("지난 11일 울란바토르에서 설명회가 열렸고 의료기관 17곳이 참가했다.",
     "Seventeen medical institutions took part in a session held in Ulaanbaatar on March 11."),
    ("개정안은 148명이 출석해 찬성 145명, 반대 1명, 기권 2명으로 가결됐다.",
     "The amendment passed with 145 votes in favor, one against and two abstentions, with 148 members present."),
])
def test_merged_split_and_reordered_sentences_pass_both_ways(ko, en):
    assert not errors(ko, en)
    assert not errors(en, ko, "en", "ko")


def test_a_korean_forbidden_form_is_an_error(tmp_path):
    glossary = tmp_path / "g.csv"
    glossary.write_text("ko,en,ko_forbidden\n몽골,Mongolia,몽고\n", encoding="utf-8")
    terminology = Terminology(read_glossary_file(glossary)[0], "en", "ko")
    assert not errors("Mongolia signed it.", "몽골이 서명했다.", "en", "ko", terminology=terminology)
    found = errors("Mongolia signed it.", "몽고가 서명했다.", "en", "ko", terminology=terminology)
    assert [(f["id"], f["source"], f["target"], f["fix"]["replace"]) for f in found] == [
        ("term_forbidden", "Mongolia", "몽고", "몽골")]


def test_rounding_has_a_direction_and_a_limit():
    assert errors("참석자는 148명이었다.", "No more than 140 attended.")  # "no more than" rounds up
    assert not errors("참석자는 148명이었다.", "No more than 150 attended.")
    assert errors("참석자는 148명이었다.", "No more than 200 attended.")  # 35% off: another figure
    assert errors("3,400여 곳에서 접종한다.", "Shots are given at about 3,000 sites.")  # 12% off: another figure
    assert not errors("3,400여 곳에서 접종한다.", "Shots are given at about 3,400 sites.")


def test_a_word_like_first_does_not_stand_for_a_date():
    wednesday = QAContext(dt.date(2025, 9, 4), "human")
    assert not errors("Donations fell in the first half, the center said on Wednesday.",
                      "상반기 헌혈이 줄었다고 혈액원이 3일 수요일 밝혔다.", "en", "ko", context=wednesday)
    assert errors("Donations fell in the first half, the center said on Wednesday.",
                  "상반기 헌혈이 줄었다고 혈액원이 1일 수요일 밝혔다.", "en", "ko", context=wednesday)


def test_a_weekday_points_back_unless_the_text_looks_ahead():
    tuesday = QAContext(dt.date(2025, 7, 22), "human")
    assert not errors("The province said on Monday.", "도는 21일 월요일 밝혔다.", "en", "ko", context=tuesday)
    assert errors("The province said on Monday.", "도는 28일 월요일 밝혔다.", "en", "ko", context=tuesday)
    assert not errors("The fair will open on Monday.", "박람회는 오는 28일 월요일 개막한다.", "en", "ko",
                      context=tuesday)
