"""Numbers as values, read the way each language writes them.

English: digit grouping (57,553), decimals, multipliers (300 million), spelled small
numbers and ordinals (eleven, first), month names (November → 11). Korean: grouping,
units of ten thousand (5만 7553 → 57553; 3억 → 300000000), ranges (7~10일). Spelled
numbers may satisfy a number on the other side but are never *required* there, since
"one of the hospitals" is not a count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SPELLED = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "hundred": 100, "dozen": 12,
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "half": 0.5, "once": 1, "twice": 2, "thrice": 3,
}
MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
EN_MULTIPLIERS = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
KO_UNITS = {"만": 10**4, "억": 10**8, "조": 10**12}
KO_SMALL = {"천": 1000, "백": 100, "십": 10}
# Korean native and Sino-Korean counting words that may stand for a digit on the other side.
KO_SPELLED = {"한": 1, "하나": 1, "두": 2, "둘": 2, "세": 3, "셋": 3, "네": 4, "넷": 4, "다섯": 5, "여섯": 6,
              "일곱": 7, "여덟": 8, "아홉": 9, "열": 10, "첫": 1, "첫째": 1, "둘째": 2, "셋째": 3}

_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_EN_NUMBER = re.compile(rf"(?<![\w.])({_DIGITS})(?:st|nd|rd|th)?(?:\s+(thousand|million|billion|trillion))?\b",
                        re.IGNORECASE)
_EN_WORD = re.compile(r"\b[a-z]+\b", re.IGNORECASE)
_KO_NUMBER = re.compile(rf"({_DIGITS})\s*(천|백|십)?\s*(만|억|조)?")
_PLACEHOLDER = re.compile(r"\bT\s?R\s?M\s?\d+\b")


@dataclass(frozen=True)
class Number:
    value: float
    text: str
    required: bool = True  # written in digits; a spelled number is optional


def _value(digits: str) -> float:
    return float(digits.replace(",", ""))


def english_numbers(text: str) -> list[Number]:
    text = _PLACEHOLDER.sub(" ", text)
    found = []
    for match in _EN_NUMBER.finditer(text):
        value = _value(match.group(1)) * EN_MULTIPLIERS.get((match.group(2) or "").lower(), 1)
        found.append(Number(value, match.group(0)))
    for match in _EN_WORD.finditer(text):
        word = match.group(0).lower()
        if word in MONTHS and (word != "may" or match.group(0)[0].isupper()) and (
                len(word) > 3 or text[match.end():match.end() + 1] == "." or match.group(0)[0].isupper()):
            found.append(Number(MONTHS[word], match.group(0)))
        elif word in SPELLED:
            found.append(Number(SPELLED[word], match.group(0), required=False))
    return found


def korean_numbers(text: str) -> list[Number]:
    text = _PLACEHOLDER.sub(" ", text)
    found = []
    matches = list(_KO_NUMBER.finditer(text))
    index = 0
    while index < len(matches):
        match = matches[index]
        value = _value(match.group(1)) * KO_SMALL.get(match.group(2) or "", 1)
        unit = match.group(3)
        if unit:
            value *= KO_UNITS[unit]
            # 5만 7553: the number right after a 만/억 unit is added to it
            if index + 1 < len(matches) and matches[index + 1].start() - match.end() <= 1 and \
                    KO_UNITS[unit] > _value(matches[index + 1].group(1)):
                following = matches[index + 1]
                rest = _value(following.group(1)) * KO_SMALL.get(following.group(2) or "", 1)
                rest *= KO_UNITS.get(following.group(3) or "", 1)
                value += rest
                found.append(Number(value, text[match.start():following.end()]))
                index += 2
                continue
        found.append(Number(value, match.group(0).strip()))
        index += 1
    for word, value in KO_SPELLED.items():
        for match in re.finditer(rf"(?<![\uac00-\ud7a3]){word}(?=\s|[가-힣]{{0,2}}(?:\s|$))", text):
            found.append(Number(value, match.group(0), required=False))
    return found


def numbers(text: str, lang: str) -> list[Number]:
    return korean_numbers(text) if lang == "ko" else english_numbers(text)


def format_number(value: float) -> str:
    return f"{int(value):,}" if value == int(value) else f"{value:,}"
