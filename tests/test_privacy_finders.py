"""The privacy finders on text: what a desk must never let through, and what it must leave alone."""

from __future__ import annotations

import pytest
from stdnum.kr import rrn as stdnum_rrn

from gnews_i18n.privacy import BLOCK, IGNORE, WARN, PolicyError, find_personal_data, fingerprint, load_policy, redact
from gnews_i18n.privacy.finders import ALIEN_NUMBER, EMAIL, MOBILE_PHONE, PHONE, RESIDENT_NUMBER

STORY = ("입원 환자 김모씨의 주민등록번호는 900101-1234568이고, 보호자 휴대전화는 010-1234-5678, "
         "이메일은 chulsoo.kim@naver.com이다.")


def kinds(text: str) -> list[str]:
    return [f.kind for f in find_personal_data(text)]


def test_the_issue_story_finds_resident_number_mobile_and_private_mail():
    found = find_personal_data(STORY)
    assert [(f.kind, f.value) for f in found] == [
        (RESIDENT_NUMBER, "900101-1234568"), (MOBILE_PHONE, "010-1234-5678"), (EMAIL, "chulsoo.kim@naver.com")]
    assert STORY[found[0].start:found[0].end] == "900101-1234568"
    assert "check digit" in found[0].why


@pytest.mark.parametrize("number", ["9001011234568", "900101-1234568", "900101 - 1234568"])
def test_resident_number_with_a_check_digit_with_or_without_hyphen(number):
    assert stdnum_rrn.is_valid("9001011234568")
    assert kinds(f"번호 {number} 확인") == [RESIDENT_NUMBER]


def test_thirteen_digits_with_a_wrong_check_digit_and_no_label_are_not_a_resident_number():
    assert kinds("주문번호 9001011234567 배송") == []


def test_a_label_makes_thirteen_digits_a_resident_number_even_without_a_check_digit():
    assert kinds("주민등록번호 9001011234567") == [RESIDENT_NUMBER]


def test_numbers_issued_since_october_2020_have_no_check_digit_and_are_still_found():
    # born 2021-03-05, 7th digit 3 (boy born in the 2000s); any last digit
    for last in "0123456789":
        assert kinds(f"아기 210305{3}12345{last} 출생") == [RESIDENT_NUMBER], last


def test_hyphenated_form_with_a_real_birth_date_counts_whatever_the_last_digit():
    assert kinds("번호는 900101-1234567이다") == [RESIDENT_NUMBER]


def test_alien_registration_number_by_its_seventh_digit():
    body = "8505055123456"[:12]
    number = body + stdnum_rrn.calc_check_digit(body)
    assert kinds(f"외국인등록번호 {number[:6]}-{number[6:]}") == [ALIEN_NUMBER]


@pytest.mark.parametrize("text", ["900101-1******", "900101-1●●●●●●", "900101-*******", "김모씨(45)", "김○○ 환자",
                                  "A씨는 입원했다", "010-****-5678"])
def test_masked_forms_are_already_safe(text):
    assert kinds(text) == []


@pytest.mark.parametrize("text", ["2023.11.21 기준", "예산 1,234,567,890원", "전화 1577-0199", "991332-1234567",
                                  "사업자등록번호 123-45-67890", "문의 press@snuh.org", "ISBN 978-89-7044-123-4",
                                  "도는 2023년 11월 21일 우즈베키스탄 타슈켄트에서 협약을 맺었다"])
def test_dates_amounts_public_lines_and_press_addresses_are_not_personal(text):
    assert kinds(text) == []


def test_landline_is_a_phone_that_warns_mobile_blocks():
    policy = load_policy()
    actions = {f.kind: a for f, a in policy.findings("대표전화 02-2072-2114, 담당자 010-9876-5432")}
    assert actions == {PHONE: WARN, MOBILE_PHONE: BLOCK}


def test_labelled_numbers():
    text = "환자번호: 12345678, 여권번호 M12345678, 국민은행 123456-01-234567, MRN 00123456"
    assert kinds(text) == ["medical_record_number", "passport_number", "bank_account", "medical_record_number"]


def test_english_text():
    text = "Reach his guardian at +82 10-9876-5432 or jane.doe@gmail.com; RRN 850505-1234563."
    assert kinds(text) == [MOBILE_PHONE, EMAIL, RESIDENT_NUMBER]


def test_redaction_masks_every_finding_and_leaves_nothing_to_find():
    found = find_personal_data(STORY)
    masked = redact(STORY, found)
    assert "900101-1******" in masked and "1234568" not in masked
    assert "5678" in masked and "010-1234" not in masked
    assert "chulsoo" not in masked
    assert find_personal_data(masked) == []


def test_fingerprint_is_one_for_one_number_written_two_ways_and_keyed():
    a = find_personal_data("900101-1234568")[0]
    b = find_personal_data("9001011234568")[0]
    assert fingerprint(a, "k") == fingerprint(b, "k") != fingerprint(a, "other key")
    assert "1234568" not in fingerprint(a, "k")


def test_policy_file_allowlists_and_actions(tmp_path):
    path = tmp_path / "privacy.toml"
    path.write_text('[actions]\nphone = "block"\nemail = "warn"\n\n[allow]\nphones = ["02-2072-2114"]\n'
                    'email_domains = ["naver.com"]\n', encoding="utf-8")
    policy = load_policy(path)
    text = "대표전화 02-2072-2114, 병동 031-787-1234, kim@naver.com, lee@gmail.com"
    assert [(f.value, a) for f, a in policy.findings(text)] == [("031-787-1234", BLOCK), ("lee@gmail.com", WARN)]
    assert policy.action(find_personal_data("02-2072-2114")[0]) == IGNORE


def test_a_wrong_policy_file_says_where_and_what_to_write(tmp_path):
    path = tmp_path / "privacy.toml"
    path.write_text('[actions]\nphone = "stop"\n', encoding="utf-8")
    with pytest.raises(PolicyError, match=r"privacy.toml: \[actions\] phone = 'stop': write one of block, warn"):
        load_policy(path)


@pytest.mark.parametrize(("text", "name"), [
    ("환자 김민수 씨는 폐렴 진단을 받았다.", "김민수"),
    ("김철수(45)씨가 입원했다.", "김철수"),
    ("보호자 이민호(52) 씨는 치료비 지원을 요청했다.", "이민호"),
    ("박지영 환자는 수술 후 회복 중이다.", "박지영"),
    ("남궁순자 환자는 수술 후 회복 중이다.", "남궁순자"),
    ("이영희 할머니(82)는 응급실로 옮겨졌다.", "이영희"),
    ("The patient Kim Min-su, 45, was admitted on Monday.", "Kim Min-su"),
    ("Patient Lee Ji-eun was discharged after treatment.", "Lee Ji-eun"),
    ("John Smith, 61, was diagnosed with lung cancer.", "John Smith"),
    ("Min-jun Lee, 7, underwent heart surgery.", "Min-jun Lee"),
    ("Yoon Jae-ho, 58, an inpatient at the medical center, will be discharged.", "Yoon Jae-ho"),
])
def test_patients_names_in_a_medical_context(text, name):
    assert [(f.kind, f.value) for f in find_personal_data(text)] == [("patient_name", name)]


@pytest.mark.parametrize("text", [
    "김민수(54) 원장은 환자를 진료했다.", "엄원자(55) 보건건강국장은 입원 환자들을 위로했다.",
    "고혈압 환자 이송 체계", "장애인 환자 지원", "이번 환자는 모두 퇴원했다.", "원장은 환자를 돌봤다.",
    "지난해 환자는 52명이었다.", "하반기 환자 수가 늘었다.", "심부전 환자의 재입원", "양극성 환자 치료",
    "김민수 씨는 기자회견에서 말했다.", "양평군에서 환자가 늘었다.",
    "입원 환자 김모씨", "김모(45) 씨가 입원했다", "환자 김○○ 씨", "A씨(45)는 입원했다", "Patient Safety Week opens.",
    "Governor Kim Dong-yeon, 65, visited admitted patients.", "Dr. Park Ji-hoon, 52, treated the patient.",
    "Kim Dong-yeon, 65, met the medical staff to discuss intensive care beds.",
    "Lee Su-bin, 52, a patient advocate, spoke at the hearing.",
])
def test_staff_officials_groups_and_masked_patients_are_not_names(text):
    assert kinds(text) == []


def test_a_mobile_number_in_a_block_libphonenumber_does_not_know_yet_is_still_found():
    assert kinds("Write to 010 5983 4499 for the records.") == [MOBILE_PHONE]


def test_a_patients_name_is_masked_and_fingerprinted_whatever_its_spacing():
    [korean] = find_personal_data("환자 김민수 씨는 입원했다.")
    [latin] = find_personal_data("patient Kim Min-su was admitted")
    assert redact("환자 김민수 씨는 입원했다.", [korean]) == "환자 김○○ 씨는 입원했다."
    assert redact("patient Kim Min-su was admitted", [latin]) == "patient K. M. was admitted"
    [spaced] = find_personal_data("patient Kim Minsu was admitted")
    [other] = find_personal_data("patient Kim Min-seo was admitted")
    # one decision about 김민수 covers the draft's Kim Min-su (the Revised Romanization), not another name
    assert fingerprint(korean, "k") == fingerprint(latin, "k") == fingerprint(spaced, "k") != fingerprint(other, "k")
