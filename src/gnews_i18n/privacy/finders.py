"""Personal identifiers in plain text: resident and alien registration numbers, phone numbers,
e-mail addresses, and numbers a label names (passport, patient/medical record, health insurance,
bank account). Each finder returns typed findings with a span; nothing here knows the store."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

import phonenumbers
from stdnum.kr import rrn as stdnum_rrn

RESIDENT_NUMBER = "resident_number"  # 주민등록번호
ALIEN_NUMBER = "alien_number"  # 외국인등록번호
MOBILE_PHONE = "mobile_phone"
PHONE = "phone"  # landline, toll-free, international non-mobile
EMAIL = "email"
PASSPORT = "passport_number"
MEDICAL_RECORD = "medical_record_number"  # 환자번호, 등록번호, 병록번호, MRN
HEALTH_INSURANCE = "health_insurance_number"
BANK_ACCOUNT = "bank_account"

KINDS = (RESIDENT_NUMBER, ALIEN_NUMBER, MOBILE_PHONE, PHONE, EMAIL, PASSPORT, MEDICAL_RECORD, HEALTH_INSURANCE,
         BANK_ACCOUNT)
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
        formatted = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        kind = MOBILE_PHONE if mobile else PHONE
        why = f"{'mobile' if mobile else 'fixed-line or service'} number valid for {region_code} ({formatted})"
        yield Finding(kind, match.start, match.end, raw, why)


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


# --- all together ----------------------------------------------------------------------------

def find_personal_data(text: str) -> list[Finding]:
    """Every finding in ``text``, in order; where two overlap the longer (or earlier) one stays."""
    found = [*find_registration_numbers(text), *find_labelled_numbers(text), *find_emails(text),
             *find_phone_numbers(text)]
    found.sort(key=lambda f: (f.start, -(f.end - f.start)))
    kept: list[Finding] = []
    for finding in found:
        if kept and finding.start < kept[-1].end:
            continue
        kept.append(finding)
    return kept
