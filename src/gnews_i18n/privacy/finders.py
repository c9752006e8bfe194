"""Personal identifiers in plain text: resident and alien registration numbers, phone numbers,
e-mail addresses, numbers a label names (passport, patient/medical record, health insurance,
bank account) and patients' names in a medical context. Each finder returns typed findings with
a span; nothing here knows the store."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

import phonenumbers
from stdnum.kr import rrn as stdnum_rrn

from gnews_i18n.terms.names import SURNAMES, romanize_name

RESIDENT_NUMBER = "resident_number"  # 주민등록번호
ALIEN_NUMBER = "alien_number"  # 외국인등록번호
MOBILE_PHONE = "mobile_phone"
PHONE = "phone"  # landline, toll-free, international non-mobile
EMAIL = "email"
PASSPORT = "passport_number"
MEDICAL_RECORD = "medical_record_number"  # 환자번호, 등록번호, 병록번호, MRN
HEALTH_INSURANCE = "health_insurance_number"
BANK_ACCOUNT = "bank_account"
PATIENT_NAME = "patient_name"  # a person's name beside 환자, 입원, an age in parentheses …

KINDS = (RESIDENT_NUMBER, ALIEN_NUMBER, MOBILE_PHONE, PHONE, EMAIL, PASSPORT, MEDICAL_RECORD, HEALTH_INSURANCE,
         BANK_ACCOUNT, PATIENT_NAME)
KIND_NAMES = {
    RESIDENT_NUMBER: "resident registration number (주민등록번호)",
    ALIEN_NUMBER: "alien registration number (외국인등록번호)",
    MOBILE_PHONE: "mobile phone number",
    PHONE: "phone number",
    EMAIL: "e-mail address",
    PASSPORT: "passport number",
    MEDICAL_RECORD: "patient / medical record number",
    HEALTH_INSURANCE: "health-insurance card number",
    BANK_ACCOUNT: "bank account number",
    PATIENT_NAME: "patient's name",
}


@dataclass(frozen=True)
class Finding:
    """One personal identifier: ``text[start:end]`` is ``value``; ``why`` says how it was recognised."""

    kind: str
    start: int
    end: int
    value: str
    why: str
    confidence: str = "high"  # high: checksum or fixed format; medium: a label or context decided

    @property
    def name(self) -> str:
        return KIND_NAMES.get(self.kind, self.kind)

    def digits(self) -> str:
        """The identifier without separators or case, so the same number written two ways is one."""
        if self.kind == EMAIL:
            return self.value.lower()
        if self.kind == PATIENT_NAME:  # 김민수 = Kim Min-su = kim minsu: one decision covers the draft's spelling
            hangul = re.fullmatch(r"[가-힣]+", self.value)
            return name_key((romanize_name(self.value) if hangul else None) or self.value)
        return re.sub(r"[^0-9A-Za-z]", "", self.value).upper()


# --- resident and alien registration numbers -------------------------------------------------

_MASK = "*＊xX●○◯•·#"
_RRN = re.compile(r"(?<![\d.,-])(\d{2})(\d{2})(\d{2})(\s?[-‐–—]\s?|\s)?(\d)(\d{6})(?![\d*＊xX●○◯•#])")
_RRN_LABEL = re.compile(r"(주민(?:등록)?번호|외국인\s?등록\s?번호|resident\s+registration\s+(?:number|no\.?)|"
                        r"\bRRN\b|alien\s+registration\s+(?:number|no\.?))", re.IGNORECASE)
_NO_CHECKSUM_SINCE = dt.date(2020, 10, 1)  # numbers issued since carry random digits after the 7th


def _century(digit: str) -> int | None:
    return {"9": 1800, "0": 1800, "1": 1900, "2": 1900, "5": 1900, "6": 1900,
            "3": 2000, "4": 2000, "7": 2000, "8": 2000}.get(digit)


def find_registration_numbers(text: str) -> Iterator[Finding]:
    """Resident (7th digit 1–4, 9, 0) and alien (5–8) registration numbers.

    A hyphenated ``YYMMDD-GNNNNNN`` with a real date of birth is one whatever its last digit
    (numbers issued since October 2020 carry no check digit). Thirteen digits without the
    hyphen count when the check digit holds, when the person was born since October 2020
    (no check digit exists), or when a label (주민등록번호, RRN …) stands just before.
    Masked forms (``900101-1******``) are not matched: they are already safe.
    """
    today = dt.date.today()
    for match in _RRN.finditer(text):
        yy, mm, dd, sep, gender, rest = match.groups()
        century = _century(gender)
        if century is None:
            continue
        try:
            born = dt.date(century + int(yy), int(mm), int(dd))
        except ValueError:
            continue
        if born > today:
            continue
        number = yy + mm + dd + gender + rest
        kind = ALIEN_NUMBER if gender in "5678" else RESIDENT_NUMBER
        hyphen = bool(sep and sep.strip())
        labelled = bool(_RRN_LABEL.search(text, max(0, match.start() - 24), match.start()))
        checksum = stdnum_rrn.calc_check_digit(number[:-1]) == number[-1]
        if checksum:
            why, confidence = "date of birth, century/sex digit and check digit are valid", "high"
        elif born >= _NO_CHECKSUM_SINCE:
            why, confidence = "date of birth since October 2020 (such numbers carry no check digit)", "high"
        elif hyphen:
            why = ("YYMMDD-GNNNNNN with a valid date of birth; the check digit does not hold, but numbers "
                   "issued or changed since October 2020 carry none")
            confidence = "high"
        elif labelled:
            why, confidence = "13 digits with a valid date of birth after a registration-number label", "medium"
        else:
            continue
        if sep and not hyphen and not (checksum or labelled):  # "900101 1234567": two numbers, most likely
            continue
        yield Finding(kind, match.start(), match.end(), match.group(0), why, confidence)


# --- phone numbers ---------------------------------------------------------------------------

_TYPE = phonenumbers.PhoneNumberType
_SERVICE_TYPES = (_TYPE.UAN, _TYPE.TOLL_FREE, _TYPE.PREMIUM_RATE, _TYPE.SHARED_COST)


def find_phone_numbers(text: str, region: str = "KR") -> Iterator[Finding]:
    """Phone numbers libphonenumber holds valid for Korea or in international form; mobile and
    personal (050) ones are ``mobile_phone``, the others (a hospital's switchboard) ``phone``.
    Representative, toll-free and shared-cost numbers (1577-0199, 080-…) belong to organisations
    by nature and are not reported."""
    for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID):
        number = match.number
        raw = match.raw_string
        digits = re.sub(r"\D", "", raw)
        if len(digits) < 8 or _looks_like_date_or_amount(text, match.start, match.end):
            continue
        number_type = phonenumbers.number_type(number)
        if number_type in _SERVICE_TYPES:  # 1577-0199, 080-…: an organisation's line by nature
            continue
        mobile = number_type in (_TYPE.MOBILE, _TYPE.PERSONAL_NUMBER) or (
            number_type == _TYPE.FIXED_LINE_OR_MOBILE and number.country_code == 82)
        region_code = phonenumbers.region_code_for_number(number) or "?"
        kind = MOBILE_PHONE if mobile else PHONE  # (the why never repeats the number: it is shown and stored)
        why = f"{'mobile' if mobile else 'fixed-line or service'} number valid for {region_code}"
        yield Finding(kind, match.start, match.end, raw, why)


_KR_MOBILE = re.compile(r"(?<![\d+])(?:\+82[-\s]?|0)1[016789](?P<sep>[-.\s]?)\d{3,4}(?P=sep)\d{4}(?!\d)")


def find_mobile_format(text: str) -> Iterator[Finding]:
    """Korean mobile numbers by their fixed shape (010-XXXX-XXXX, +82 10 …) where libphonenumber's
    metadata does not (yet) hold the block valid: a block unassigned today may be someone's
    number tomorrow."""
    for match in _KR_MOBILE.finditer(text):
        if _looks_like_date_or_amount(text, match.start(), match.end()):
            continue
        yield Finding(MOBILE_PHONE, match.start(), match.end(), match.group(0),
                      "the shape of a Korean mobile number (01X-XXXX-XXXX)")


def _looks_like_date_or_amount(text: str, start: int, end: int) -> bool:
    raw = text[start:end]
    if re.fullmatch(r"(19|20)\d{2}[./-]\d{1,2}[./-]\d{1,2}", raw.strip()):
        return True
    before, after = text[max(0, start - 1):start], text[end:end + 1]
    return before in ("₩", "$", ".", ",") or after in ("원", "%", "명", "억", "만", "건", "개")


# --- e-mail ----------------------------------------------------------------------------------

_EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,24}(?![A-Za-z0-9-])")
FREE_MAIL = frozenset({
    "gmail.com", "naver.com", "daum.net", "hanmail.net", "kakao.com", "nate.com", "yahoo.com", "yahoo.co.kr",
    "hotmail.com", "outlook.com", "live.com", "icloud.com", "me.com", "korea.com", "empas.com", "dreamwiz.com",
    "paran.com", "proton.me", "protonmail.com", "mail.ru", "yandex.ru", "qq.com", "163.com",
})
ROLE_MAILBOXES = frozenset({
    "press", "pr", "info", "contact", "media", "news", "newsroom", "webmaster", "admin", "help", "support",
    "office", "editor", "editors", "desk", "public", "kcdc", "minwon", "noreply", "no-reply", "communications",
})


def find_emails(text: str) -> Iterator[Finding]:
    """E-mail addresses. A role mailbox (``press@``, ``info@``) at an organisation's domain is an
    institution's public address, not personal; anything at a free mail provider is personal."""
    for match in _EMAIL.finditer(text):
        value = match.group(0).rstrip(".")
        local, _, domain = value.lower().partition("@")
        free = domain in FREE_MAIL
        if not free and local.split("+")[0] in ROLE_MAILBOXES:
            continue
        why = "address at a personal mail provider" if free else "personal-looking address at an organisation"
        yield Finding(EMAIL, match.start(), match.start() + len(value), value, why,
                      "high" if free else "medium")


# --- numbers a label names -------------------------------------------------------------------

_SEP = r"\s*(?:[:：]|은|는|이|가|\(|is|was|no\.?|number|#)?\s*"
_LABELLED = [
    (PASSPORT, re.compile(r"(?:여권\s?번호|여권|passport(?:\s+(?:no\.?|number))?)" + _SEP +
                          r"(?P<id>[A-Z]{1,2}\d{7,8})(?![A-Za-z0-9])", re.IGNORECASE)),
    (MEDICAL_RECORD, re.compile(r"(?<!사업자 )(?<!법인 )(?:환자\s?번호|병록\s?번호|의무기록\s?번호|진료\s?번호|"
                                r"(?<![가-힣])등록\s?번호|\bMRN\b|medical\s+record\s+(?:number|no\.?)|"
                                r"patient\s+(?:ID|number|no\.?))" + _SEP + r"(?P<id>[A-Z]{0,3}-?\d[\d-]{4,14}\d)",
                                re.IGNORECASE)),
    (HEALTH_INSURANCE, re.compile(r"(?:건강보험(?:증)?\s?번호|보험증\s?번호|health[-\s]insurance\s+(?:card\s+)?"
                                  r"(?:number|no\.?))" + _SEP + r"(?P<id>\d[\d-]{6,16}\d)", re.IGNORECASE)),
    (BANK_ACCOUNT, re.compile(r"(?:[가-힣]{1,6}은행|카카오뱅크|케이뱅크|토스뱅크|농협|신협|새마을금고|우체국|"
                              r"\b[A-Z][A-Za-z]+\s+Bank)\s*(?:계좌\s?(?:번호)?|account(?:\s+(?:no\.?|number))?)?"
                              r"\s*[:：]?\s*(?P<id>\d{2,6}-\d{2,6}-\d{2,7}(?:-\d{1,5})?|\d{10,14})(?![\d-])")),
]


def find_labelled_numbers(text: str) -> Iterator[Finding]:
    for kind, pattern in _LABELLED:
        for match in pattern.finditer(text):
            label = match.group(0)[: match.start("id") - match.start()].strip()
            yield Finding(kind, match.start("id"), match.end("id"), match.group("id"),
                          f"number after the label {label!r}", "medium")


# --- patients' names in context -------------------------------------------------------------

def name_key(name: str) -> str:
    """A name without spaces, hyphens, dots or case: 김 민수 = 김민수, Kim Min-su = kim minsu = KIMMINSU."""
    return re.sub(r"[\s\-.·]", "", name).casefold()


# Hangul: a surname, then one or two syllables (never 모/某: 김모씨 is already masked)
_KO_SURNAME = "|".join(sorted(SURNAMES, key=len, reverse=True))
_KO_NAME = (rf"(?<![가-힣])(?P<name>(?:{_KO_SURNAME})(?!모)[가-힣]{{1,2}})"
            r"(?=[^가-힣]|$|씨|환자|보호자|할머니|할아버지|어린이|아기)")  # the name ends the word, or 씨 … follows
_KO_AGE = r"\(\s*(?:만\s?)?\d{1,3}\s*(?:세)?\s*(?:[,·]\s*[남여](?:성|아)?)?\s*\)"
# after a name: 씨 (written on or apart), 군/양 apart (양평군 is a county), a family word, 환자/보호자
_KO_HONORIFIC = (r"(?:\s?씨(?!름|앗)|\s군(?![가-힣]{2})|\s양(?![가-힣]{2})|"
                 r"\s?할머니|\s?할아버지|\s?어린이|\s?어르신|\s?아기|\s?환아)")
_KO_PATIENT_WORD = r"\s?(?:환자|보호자)"
_KO_PERSON = re.compile(_KO_NAME + rf"(?:\s?(?P<age>{_KO_AGE}))?"
                        rf"(?:(?P<hon>{_KO_HONORIFIC})|(?P<pat>{_KO_PATIENT_WORD}))?")
# words that look like a surname and a name before 씨/환자 but are not (마음씨, 고혈압 환자 …)
_KO_NOT_NAMES = frozenset("""
마음 선생 고객 하나 이번 이들 이상 이외 전체 전국 정신 신규 고령 성인 노인 한국 남성 여성 유아 소아 도내 국내 경증 민간
원내 장애 장기 진료 기존 현재 방문 지역 감염 공공 우선 조기 유방 정형 신경 구강 심장 신장 인공 전원 주요 고위 중증 경기
강원 제주 인천 서울 전남 전북 경남 경북 안산 성남 고양 용인 한센 조현 이송 입원 재택 안정 임산 차상
지난해 지난달 지난주 이듬해 하반기 전반기 전년도 전분기 이번달 신생아 고령층 노년층 장기간 장애아 한부모 차상위 신규
전입 전출 이주 이민 유학 방문객 중증도 경증도 성인기 노년기 유년기 양극성 전립선 조현성""".split())  # times, groups
# 고혈압, 당뇨병, 정신과, 장애인, 심부전, 진통제, 기상청: a condition, a group, a drug, an office
_KO_NOT_NAME_ENDINGS = tuple("병암증압질핵염통과인전제혈열청막")
_KO_PARTICLES = tuple("는가을를의에도로와서만들")
_GIVEN_BEFORE_EUN = frozenset("지하다서수예가시소채윤도나")  # 지은, 하은, 다은 … (a name ending in 은)


def _looks_like_full_name(name: str) -> bool:
    """Surname and two syllables, not a word with a particle (원장은, 정부는) or a condition (고혈압)."""
    full = 4 if name[:2] in SURNAMES else 3  # 남궁순자
    if len(name) != full or name.endswith(_KO_NOT_NAME_ENDINGS) or name.endswith(_KO_PARTICLES):
        return False
    return not name.endswith("은") or name[1] in _GIVEN_BEFORE_EUN


_KO_LABEL_BEFORE = re.compile(r"(?:환자|환아|보호자|입원환자|유가족|사망자|확진자)\s*$")
_KO_MEDICAL = re.compile(r"환자|환아|보호자|입원|퇴원|진단|수술|투병|응급실|응급|확진|병동|중환자|병실|투석|항암|"
                         r"치료\s?(?:중|를\s?받)|숨[져졌지]|사망|의식|이송|증상|질환|암\s?[을를]|희귀병")
# a name followed by these is someone's post, not a patient (김민수(54) 원장, 엄원자 보건건강국장, 행정1부지사)
_KO_TITLE_AFTER = re.compile(r"\s?[가-힣\d]{0,8}?(?:" + "|".join(
    ["원장", "병원장", "부원장", "교수", "의사", "전문의", "간호사", "간호부장", "과장", "센터장", "소장", "국장",
     "실장", "부장", "팀장", "본부장", "지사", "도지사", "부지사", "시장", "군수", "구청장", "의원", "장관", "차관",
     "총장", "이사장", "회장", "대표", "위원장", "주무관", "사무관", "박사", "기자", "단장", "처장", "약사", "청장",
     "도의원", "시의원", "위원", "선수", "감독", "작가"]) + r")")

# Latin script: a Korean family name and a given name (Kim Min-su, Lee Jieun), or any two or
# three capitalised words right after "patient"/"guardian"
_EN_SURNAME = "|".join(sorted({v for v in SURNAMES.values()} | {
    "Yi", "Rhee", "Pak", "Choe", "Jeong", "Chung", "Jo", "Yun", "Chang", "Im", "Suh", "Sin", "An", "Yu", "Jun",
    "Go", "Mun", "Sohn", "Paik", "Huh", "Sim", "Roh", "Seong", "Ju", "Gu", "Gong", "Byeon"}, key=len, reverse=True))
_EN_KOREAN_NAME = rf"(?:{_EN_SURNAME})\s[A-Z][a-z]{{1,8}}(?:-[a-z]{{1,6}})?"
_EN_WORD = r"[A-Z][a-z]{1,12}(?:-[a-z]{1,8})?"  # John, Min-jun
_EN_ANY_NAME = rf"{_EN_WORD}(?:[\s-]{_EN_WORD}){{1,2}}"
_EN_AGE = r"(?:,\s(?:aged\s)?\d{1,3},|\s\(\d{1,3}\)|,\sa\s\d{1,3}-year-old)"
_EN_PATIENT_LABEL = re.compile(rf"(?:\b(?:patient|guardian|inpatient)s?,?\s(?:named\s)?"
                               rf"(?P<name>{_EN_KOREAN_NAME}|{_EN_ANY_NAME})|"
                               rf"\b(?:Patient|Guardian|Inpatient)\s(?P<name2>{_EN_KOREAN_NAME}))"
                               rf"(?![A-Za-z])")
_EN_NAME_AGE = re.compile(rf"(?<![A-Za-z.])(?P<name>{_EN_KOREAN_NAME}|{_EN_ANY_NAME})(?P<age>{_EN_AGE})")
_EN_TITLE_BEFORE = re.compile(r"(?:Dr|Prof|Professor|Director|Governor|Mayor|Minister|President|Chairman|Chief|"
                              r"Nurse|Doctor|Dean|Vice|Deputy|Lawmaker|Rep|Sen|Mr|Ms|Mrs|Commissioner|Head)\.?\s$")
# right after the name and age: what happened to the person as a patient
_EN_PATIENT_VERB = re.compile(r"(?:\s[a-z,]+){0,3}?\s(?:admitted|diagnosed|hospitali[sz]ed|discharged|underwent|"
                              r"undergoing|died|dies|suffer(?:s|ed|ing)?|recovering|(?:is|was|has been) on dialysis|"
                              r"treated|receiving treatment|in (?:a )?(?:critical|stable|serious) condition|"
                              r"regained consciousness|an? (?:in)?patient(?! (?:advocate|safety|group|rights|"
                              r"representative|association|organi[sz]ation|council))|rushed to|"
                              r"taken to (?:the )?(?:hospital|emergency)|transferred to|tested positive|"
                              r"in intensive care|being treated)\b")
_EN_NOT_NAMES = frozenset({"Gyeonggi", "Seoul", "Korea", "Province", "Hospital", "Medical", "Center", "Centre",
                           "University", "National", "Health", "The", "This", "That", "In", "On", "At", "For",
                           "Ministry", "Department", "Office", "Council", "Institute", "Foundation", "Clinic",
                           "January", "February", "March", "April", "May", "June", "July", "August", "September",
                           "October", "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday",
                           "Friday", "Saturday", "Sunday", "Uzbekistan", "Tashkent", "Mongolia", "Vietnam",
                           # titles: "Governor Kim Dong-yeon, 65," is an official, whatever follows
                           "Governor", "Mayor", "Director", "Minister", "President", "Chairman", "Chief", "Deputy",
                           "Vice", "Professor", "Doctor", "Dr", "Nurse", "Dean", "Commissioner", "Head", "Lawmaker",
                           "Representative", "Senator", "Secretary", "Ambassador", "Mr", "Mrs", "Ms", "Officer",
                           # an organisation's name, not a person's
                           "General", "Plaza", "Hotel", "Agency", "Company", "Co", "Ltd", "Prevention", "Control",
                           "Disease", "Association", "Society", "Group", "Bank", "School", "Church", "Service",
                           "Services", "Cross", "Station", "Corporation"})  # (not Park: a surname)


def _part_of_a_longer_name(text: str, end: int) -> bool:
    """More capitalised words follow (Ramada Plaza Suwon Hotel): an organisation, not a person."""
    return bool(re.match(r"\s[A-Z][a-z]", text[end:end + 3]))


def _sentence_around(text: str, start: int, end: int) -> str:
    left = max(text.rfind(stop, 0, start) for stop in (".", "!", "?", "\n", "다. "))
    rights = [i for stop in (". ", "! ", "? ", "\n") if (i := text.find(stop, end)) >= 0]
    return text[left + 1: min(rights) + 1 if rights else len(text)]


def find_patient_names(text: str) -> Iterator[Finding]:
    """A person's name where the text says the person is a patient (or a patient's guardian):

    - Korean: a name with an honorific or an age in parentheses (김민수 씨, 김민수(45)) right
      after 환자/보호자, or in a sentence about admission, diagnosis, surgery, treatment …;
      a name with both an age and 씨/환자 (김철수(45)씨) counts anywhere. A name followed by a
      post (김민수 원장, 이영희(54) 교수) is staff, not a patient.
    - English: a name right after "patient"/"guardian", or a name with an age (", 45,", " (45)")
      followed by what happened to the person as a patient (was admitted, diagnosed, underwent,
      died …); not with a title (Dr., Governor).

    Masked forms (김모씨, 김○○, A씨, Mr. K) are never matched. The public officials of the
    people registry are left out by the policy (``PrivacyPolicy.public_names``), not here."""
    for match in _KO_PERSON.finditer(text):
        name, age, honorific, patient_word = match.group("name", "age", "hon", "pat")
        if name in _KO_NOT_NAMES or not (age or honorific or patient_word):
            continue
        if not (honorific or patient_word) and _KO_TITLE_AFTER.match(text, match.end()):
            continue  # 김민수(54) 원장: staff
        labelled = bool(_KO_LABEL_BEFORE.search(text, max(0, match.start() - 8), match.start()))
        if patient_word and not (age or labelled or honorific) and not _looks_like_full_name(name):
            continue  # 고령 환자, 고혈압 환자, 원장은 환자를: a group of patients or another word
        if labelled and not (age or honorific or patient_word):
            continue
        if patient_word or (age and honorific):
            why = "a name with an age in parentheses and an honorific" if age and honorific else \
                "a name next to 환자/보호자"
        elif labelled:
            why = "a name with an age or honorific right after 환자/보호자"
        elif _KO_MEDICAL.search(_sentence_around(text, match.start(), match.end())):
            why = "a name with an age or honorific in a sentence about a patient's care"
        else:
            continue
        yield Finding(PATIENT_NAME, match.start("name"), match.end("name"), name, why, "medium")
    seen: set[int] = set()
    for match in _EN_PATIENT_LABEL.finditer(text):
        group = "name" if match.group("name") else "name2"
        name = match.group(group)
        if any(word in _EN_NOT_NAMES for word in re.split(r"[\s-]", name)) or \
                _part_of_a_longer_name(text, match.end(group)):
            continue
        seen.add(match.start(group))
        yield Finding(PATIENT_NAME, match.start(group), match.end(group), name,
                      "a name right after \"patient\" or \"guardian\"", "medium")
    for match in _EN_NAME_AGE.finditer(text):
        name = match.group("name")
        if match.start("name") in seen or any(word in _EN_NOT_NAMES for word in re.split(r"[\s-]", name)):
            continue
        if _EN_TITLE_BEFORE.search(text, max(0, match.start() - 16), match.start()):
            continue
        if not _EN_PATIENT_VERB.match(text, match.end()):
            continue
        yield Finding(PATIENT_NAME, match.start("name"), match.end("name"), name,
                      "a name with an age, then what happened to the person as a patient", "medium")


# --- all together ----------------------------------------------------------------------------

def find_personal_data(text: str) -> list[Finding]:
    """Every finding in ``text``, in order; where two overlap the longer (or earlier) one stays."""
    found = [*find_registration_numbers(text), *find_labelled_numbers(text), *find_emails(text),
             *find_phone_numbers(text), *find_mobile_format(text), *find_patient_names(text)]
    found.sort(key=lambda f: (f.start, -(f.end - f.start)))
    kept: list[Finding] = []
    for finding in found:
        if kept and finding.start < kept[-1].end:
            continue
        kept.append(finding)
    return kept
