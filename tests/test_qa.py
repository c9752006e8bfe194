"""Quality checks, each rule in both directions."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gnews_i18n.qa import QAContext, check_pair
from gnews_i18n.terms import Terminology, read_glossary_file

from conftest import NEWSLETTER_GLOSSARY

VOCABULARY = Path(__file__).resolve().parents[1] / "bench" / "data" / "medical_negative_stems.tsv"


def ids(source, target, src="ko", tgt="en", **kwargs):
    return {f["id"] for f in check_pair(source, target, src, tgt, **kwargs)}


def messages(source, target, src="ko", tgt="en"):
    return [f["message"] for f in check_pair(source, target, src, tgt)]


@pytest.mark.parametrize(("ko", "en"), [
    ("올해 외국인 환자는 5만 7553명이다.", "Foreign patients this year totaled 57,553."),
    ("도는 3억 원을 지원한다.", "The province provides 300 million won."),
    ("경기도 인구는 1,360만 명이다.", "Gyeonggi-do has a population of 13.6 million."),
    ("의료인 11명이 참석했다.", "Eleven medical trainees attended."),
    ("응급실 이용자는 30% 늘었다.", "Emergency room visits rose 30 percent."),
    ("검사 결과는 7~10일 뒤에 나온다.", "Test results come out 7 to 10 days later."),
    ("대표단은 11월 7일부터 10일까지 머물렀다.", "The delegation stayed from November 7 to 10."),
    ("2023년 11월 7일 발표했다.", "It announced on Nov. 7, 2023."),
    ("2023년 11월 7일 발표했다.", "It announced on 7 November 2023."),
    ("하루 2회 투여한다.", "It is given twice a day."),
])
def test_equivalent_numbers_and_dates_pass_both_ways(ko, en):
    assert not {"number_mismatch", "number_added"} & ids(ko, en, "ko", "en")
    assert not {"number_mismatch", "number_added"} & ids(en, ko, "en", "ko")


def test_a_changed_number_says_what_differs():
    assert messages("올해 외국인 환자는 5만 7553명이다.", "Foreign patients this year totaled 57,533.") == [
        "source 5만 7553 → target 57,533"]
    assert messages("Foreign patients totaled 57,553.", "외국인 환자는 5만 7533명이다.", "en", "ko") == [
        "source 57,553 → target 5만 7533"]


def test_a_lost_or_invented_number():
    assert ids("의료기관 8곳이 참여했다.", "Medical institutions took part.") == {"number_mismatch"}
    assert ids("Medical institutions took part.", "의료기관 8곳이 참여했다.", "en", "ko") == {"number_added"}


def test_shifted_dates_and_weekdays():
    assert "number_mismatch" in ids("11월 7일 열렸다.", "It was held on December 7.")
    assert "number_mismatch" in ids("It was held on November 7.", "11월 8일 열렸다.", "en", "ko")
    assert ids("12월 5일 화요일에 열린다.", "It will be held on Wednesday, December 5.") == {"date_mismatch"}
    assert ids("It ends on Friday.", "목요일에 끝난다.", "en", "ko") == {"date_mismatch"}


def test_medical_units():
    assert not ids("하루 500mg을 투여한다.", "500 mg is given a day.")
    assert not ids("하루 500㎎을 투여한다.", "500 mg is given a day.")
    assert messages("하루 500mg을 투여한다.", "500 ml is given a day.") == ["source 500 mg → target 500 ml"]
    assert "unit_mismatch" in ids("500 mg is given.", "500ml를 투여한다.", "en", "ko")
    assert not ids("혈압 140mmHg 이상", "blood pressure of 140 mmHg or higher")


def test_negation_is_a_warning_both_ways():
    flags = check_pair("환자는 수술을 받지 않았다.", "The patient underwent surgery.", "ko", "en")
    assert [(f["id"], f["severity"]) for f in flags] == [("negation_mismatch", "warning")]
    assert ids("The hospital does not charge fees.", "병원은 비용을 받는다.", "en", "ko") == {"negation_mismatch"}
    assert not ids("예약 없이 방문할 수 있다.", "Visitors can come without an appointment.")


def test_a_word_that_may_carry_a_negation_neither_needs_nor_hides_one():
    human = {"context": QAContext(origin="human")}
    assert not ids("도는 감염병 예방 교육을 했다.", "The province held education on preventing infectious diseases.",
                   **human)  # 예방 is prevention: no negation on either side
    assert not ids("The province held prevention education.", "도는 예방 교육을 했다.", "en", "ko", **human)
    assert not ids("감염시키지 않도록 주의해야 한다.", "Care is needed to avoid infecting others.", **human)
    assert not ids("병원 내 흡연은 금지된다.", "Smoking is banned in the hospital.", **human)
    assert not ids("1호 병원으로 지정됐다.", "It was named the No. 1 hospital.", **human)
    # a negation still has to be there when the source has one and the target no word that carries it
    assert ids("감염시키지 않도록 주의해야 한다.", "Care is needed to infect others.", **human) == {"negation_mismatch"}
    assert ids("No patient was infected.", "환자가 감염됐다.", "en", "ko", **human) == {"negation_mismatch"}


def test_medical_words_with_negative_looking_stems_raise_no_negation_flag():
    """The vocabulary list bench/qa_accuracy.py reports on: none of its words is a negation."""
    rows = [line.split("\t") for line in VOCABULARY.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    assert len(rows) >= 200
    alarms = [(ko, en) for ko, en in rows for source, target, src, tgt in ((ko, en, "ko", "en"), (en, ko, "en", "ko"))
              if "negation_mismatch" in ids(source, target, src, tgt, context=QAContext(origin="human"))]
    assert alarms == []


def test_markup_and_placeholders_survive_exactly_once():
    assert not ids("<b>경기도</b>가 발표했다.", "<b>Gyeonggi-do</b> announced.")
    assert ids("<b>경기도</b>가 발표했다.", "Gyeonggi-do announced.") == {"markup_mismatch"}
    assert ids("[누리집](https://gg.go.kr)에서 확인", "See the [website](https://gg.go.kr) and "
               "[again](https://gg.go.kr).") == {"markup_mismatch"}
    assert ids("Dear {name}, welcome.", "{name}님 {name}님 환영합니다.", "en", "ko") == {"markup_mismatch"}


def test_untranslated_or_copied():
    assert ids("대표단은 병원을 방문했다.", "대표단은 병원을 방문했다.") == {"untranslated"}
    assert "untranslated" in ids("대표단은 병원을 방문했다.", "The 대표단은 병원을 방문했다.")
    assert "untranslated" in ids("The delegation visited the hospital.", "The delegation visited the hospital.",
                                 "en", "ko")
    assert not ids("분당서울대학교병원", "Seoul National University Bundang Hospital")


def test_length_and_repetition():
    assert "repetition" in ids("대표단은 병원을 방문했다.", "The delegation the delegation the delegation visited.")
    assert "length_ratio" in ids("The delegation visited three hospitals in the province on Thursday.",
                                 "방문", "en", "ko")


def test_terms_missing_and_forbidden_with_a_glossary():
    terminology = Terminology(read_glossary_file(NEWSLETTER_GLOSSARY)[0], "ko", "en")
    assert ids("아주대학교병원을 방문했다.", "They visited Ajou University Hospital.", terminology=terminology) == set()
    assert "term_missing" in ids("아주대학교병원을 방문했다.", "They visited Ajou Hospital.", terminology=terminology)
    found = ids("오병권 부지사가 말했다.", "Vice Governor Oh Byung-kwon said.", terminology=terminology)
    assert {"term_missing", "term_forbidden"} <= found
    reverse = Terminology(read_glossary_file(NEWSLETTER_GLOSSARY)[0], "en", "ko")
    assert "term_missing" in ids("They visited Ajou University Hospital.", "그들은 아주대의료원을 방문했다.",
                                 "en", "ko", terminology=reverse)
    assert not ids("They visited Ajou University Hospital.", "그들은 아주대병원을 방문했다.", "en", "ko",
                   terminology=reverse)  # 아주대병원 is the glossary's accepted variant


def test_qa_command_reads_tab_separated_pairs():
    pairs = ("올해 환자는 5만 7553명이다.\tPatients totaled 57,553.\n"
             "올해 환자는 5만 7553명이다.\tPatients totaled 57,533.\n")
    result = subprocess.run([sys.executable, "-m", "gnews_i18n.cli", "qa", "--src", "ko", "--tgt", "en", "--json"],
                            input=pairs, capture_output=True, text=True, env=os.environ.copy())
    assert result.returncode == 1  # an error flag gates the script
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [len(line["flags"]) for line in lines] == [0, 1]
    assert lines[1]["flags"][0]["message"] == "source 5만 7553 → target 57,533"
    plain = subprocess.run([sys.executable, "-m", "gnews_i18n.cli", "qa", "--src", "ko", "--tgt", "en"],
                           input="없는 탭\n", capture_output=True, text=True, env=os.environ.copy())
    assert plain.returncode == 1 and "expected source<TAB>target" in plain.stderr


def test_qa_flags_reach_the_draft(gnews_env, en_ko_model):
    from gnews_i18n.mt import DecodingSettings, open_engine
    from gnews_i18n.pipeline import SegmentDraft, translate_segments

    engine = open_engine(str(en_ko_model), "en", "ko", DecodingSettings(num_beams=1))
    drafts = translate_segments([SegmentDraft(0, 0, "On November 7, 57,553 patients were treated.")], engine)
    found = {f["id"] for f in drafts[0].flags}
    assert "number_mismatch" in found  # a random model cannot carry the numbers


def test_a_romanized_given_name_is_not_a_month():
    assert "number_added" not in ids("오준서 시장은 10월 26일 미얀마를 방문할 예정이다.",
                                     "Mayor Oh Jun-seo will visit Myanmar on October 26.")
    assert "number_added" in ids("오준서 시장은 10월 26일 미얀마를 방문할 예정이다.",
                                 "Mayor Oh Jun-seo will visit Myanmar on October 26 and Jun 3.")
