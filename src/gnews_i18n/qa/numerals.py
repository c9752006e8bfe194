"""Numbers as values, read the way each language writes them.

English: digit grouping (57,553), decimals, multipliers (300 million, 606K), spelled small
numbers and ordinals (eleven, first), fractions (one third, a quarter, one and a half),
month names (November → 11), clock times (6 p.m. = 18시), decades (20s). Korean: grouping,
units of ten thousand (5만 7553 → 57553; 1조2000억 → 1.2 trillion), fractions (3분의 1),
circled numbers (①), ranges (7~10일). Spelled numbers may satisfy a number on the other
side but are never *required* there, since "one of the hospitals" is not a count; nor is
a lone 1 (한 명, 1명 → "a chair", "its director").

Each number knows its *kind* (month, year, day, list marker, count), the words that hedge
it ("more than 600", 8천여 곳), and whether it stands in parentheses right after another
number, as an equivalent figure (2.4배(144.2%)): the checks treat those differently.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

SPELLED = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12,
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "half": 0.5, "once": 1, "twice": 2, "thrice": 3, "single": 1, "double": 2,
    "doubled": 2, "triple": 3, "tripled": 3, "noon": 12, "midnight": 12, "quarter": 0.25,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}
_CARDINALS = {"two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
              "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty", "thirty",
              "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "dozen"}
_UNITS_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
EN_MULTIPLIERS = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
                  "k": 1e3, "m": 1e6, "mn": 1e6, "bn": 1e9, "b": 1e9, "tn": 1e12}
KO_UNITS = {"만": 10**4, "억": 10**8, "조": 10**12}
KO_SMALL = {"천": 1000, "백": 100, "십": 10}
# Korean native and Sino-Korean counting words that may stand for a digit on the other side.
KO_SPELLED = {"한": 1, "하나": 1, "두": 2, "둘": 2, "세": 3, "셋": 3, "네": 4, "넷": 4, "다섯": 5, "여섯": 6,
              "일곱": 7, "여덟": 8, "아홉": 9, "열": 10, "첫": 1, "첫째": 1, "둘째": 2, "셋째": 3, "넷째": 4,
              "하루": 1, "이틀": 2, "사흘": 3, "나흘": 4, "절반": 0.5, "반": 0.5}
# Ways of saying "all day" that stand for a 24 on the other side (24시간 = round-the-clock).
_EN_ALL_DAY = re.compile(r"(?i)\b(?:a)?round[- ]the[- ]clock\b|\b24/7\b")
_FRACTION_DENOMINATORS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4,
                          "fourth": 4, "fourths": 4, "fifth": 5, "fifths": 5, "tenth": 10, "tenths": 10}
_EN_FRACTION = re.compile(r"(?i)\b(a|an|one|two|three|four|nine)[- ](half|halves|thirds?|quarters?|fourths?|"
                          r"fifths?|tenths?)\b")
_EN_AND_A_HALF = re.compile(r"(?i)\b(one|two|three|four|five|six|seven|eight|nine|ten|\d+) and a half\b")

# Words that make a figure approximate: the direction a rounded value may go.
EN_HEDGES = [
    (re.compile(r"(?i)\b(?:no|not) (?:more than|over)\s+$|\b(?:nearly|almost|under|less than|just under|close to|"
                r"up to|at most)\s+$"), "<"),
    (re.compile(r"(?i)\b(?:more than|over|above|exceeding|at least|upwards of|in excess of)\s+$"), ">"),
    (re.compile(r"(?i)\b(?:about|around|some|approximately|roughly|an estimated|estimated|some)\s+$"), "~"),
]
KO_HEDGE_BEFORE = [(re.compile(r"(?:약|대략|무려)\s*$"), "~")]
KO_HEDGE_AFTER = [
    (re.compile(r"^\s*[가-힣]{0,3}?(?:여|이상|넘게|넘는|넘어|넘|초과|남짓)"), ">"),
    (re.compile(r"^\s*[가-힣]{0,3}?(?:가량|정도|안팎|내외|쯤)"), "~"),
    (re.compile(r"^\s*[가-힣]{0,3}?(?:미만|가까이|육박|이하|못 미치)"), "<"),
]

_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_EN_NUMBER = re.compile(
    rf"(?<![\w.])({_DIGITS})(?:(st|nd|rd|th)\b|(s)\b|(?-i:(K|M|B|bn|mn|tn))\b|(?:\s+|-)(thousand|million|billion|trillion)\b)?"
    r"(?!\d)", re.IGNORECASE)
_EN_CLOCK = re.compile(r"(?i)^\s*(?::\d\d\s*)?([ap])\.?m\b\.?")
_EN_WORD = re.compile(r"\b[a-z]+\b", re.IGNORECASE)
_AFTER_MONTH = re.compile(r"\b(?:January|February|March|April|May|June|July|August|September|October|November|"
                          r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?\s+$")
_KO_NUMBER = re.compile(rf"({_DIGITS})\s*(천|백|십)?\s*(만|억|조)?")
_KO_FRACTION = re.compile(rf"({_DIGITS})\s*분의\s*({_DIGITS})")
_PLACEHOLDER = re.compile(r"\bT\s?R\s?M\s?\d+\b")
_LIST_MARKER = re.compile(r"^\s*(?:[▲■●※•\-*]\s*)?\(?(\d{1,2})[.)]\s")


@dataclass(frozen=True)
class Number:
    value: float
    text: str
    required: bool = True  # written in digits; a spelled number is optional
    kind: str = "count"    # count, month, year, day, list
    start: int = 0
    alts: tuple[float, ...] = ()  # other values it may stand for (6 p.m. = 18)
    hedge: str = ""        # ">", "<" or "~" when words make it approximate
    equivalent: bool = False  # in parentheses right after another number: 2.4배(144.2%)
    cardinal: bool = False    # a spelled count (four, 네): it may not turn into another digit

    def values(self) -> tuple[float, ...]:
        return (self.value, *self.alts)


def same_value(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def _value(digits: str) -> float:
    return float(digits.replace(",", ""))


def _hedge_before(text: str, start: int, rules) -> str:
    window = text[max(0, start - 24):start]
    return next((direction for pattern, direction in rules if pattern.search(window)), "")


def _equivalent(text: str, start: int, end: int | None = None) -> bool:
    """Whether the number at ``start`` is one of two equivalent figures: in parentheses right
    after another figure (144.2% in 2.4배(144.2%)) or followed by one (the 2.4)."""
    before = re.search(r"(?:[\d%배명원개곳]|times|percent)\s*\(\s*(?:약\s*|about\s+)?$", text[max(0, start - 16):start])
    after = end is not None and re.match(r"\s*(?:[%배명원개곳]|times|percent)?\s*\(\s*(?:약\s*|about\s+)?\d",
                                         text[end:end + 16])
    return bool(before or after)


def _spelled_english(word: str, text: str, end: int) -> tuple[float, int] | None:
    """A spelled number starting with ``word`` (twenty-one → 21), with where it ends."""
    lowered = word.lower()
    if lowered in _TENS:
        follow = re.match(r"-(one|two|three|four|five|six|seven|eight|nine)\b", text[end:], re.IGNORECASE)
        if follow:
            return _TENS[lowered] + _UNITS_WORDS[follow.group(1).lower()], end + follow.end()
    if lowered in SPELLED:
        return SPELLED[lowered], end
    return None


def english_numbers(text: str) -> list[Number]:
    text = _PLACEHOLDER.sub(lambda m: " " * len(m.group()), text)
    found: list[Number] = []
    taken: list[tuple[int, int]] = []
    marker = _LIST_MARKER.match(text)
    for match in _EN_NUMBER.finditer(text):
        digits, ordinal, decade, short, long_ = match.groups()
        multiplier = EN_MULTIPLIERS.get((short or long_ or "").lower(), 1)
        value = _value(digits) * multiplier
        clock = _EN_CLOCK.match(text[match.end():])
        alts: tuple[float, ...] = ()
        if clock and value <= 12 and not multiplier > 1:
            afternoon = clock.group(1).lower() == "p"
            alts = ((value + 12) % 24 if afternoon else value % 12,) if value != 12 else ()
        kind = "year" if multiplier == 1 and not ordinal and not decade and re.fullmatch(r"(?:19|20)\d\d", digits) \
            else "count"
        if kind == "count" and _AFTER_MONTH.search(text[max(0, match.start() - 12):match.start()]):
            kind = "day"  # March 1, Nov. 7
        required = not (value == 1 and multiplier == 1 and kind == "count") and \
            not (marker and match.start() == marker.start(1))
        found.append(Number(value, match.group(0).strip(), required, kind, match.start(), alts,
                            _hedge_before(text, match.start(), EN_HEDGES),
                            _equivalent(text, match.start(), match.end())))
        taken.append((match.start(), match.end()))
    for match in _EN_FRACTION.finditer(text):
        count = 1 if match.group(1).lower() in ("a", "an") else SPELLED[match.group(1).lower()]
        value = count / _FRACTION_DENOMINATORS[match.group(2).lower()]
        found.append(Number(value, match.group(0), False, "count", match.start(),
                            hedge=_hedge_before(text, match.start(), EN_HEDGES)))
        taken.append((match.start(), match.end()))
    for match in _EN_AND_A_HALF.finditer(text):
        whole = match.group(1)
        value = (_value(whole) if whole[0].isdigit() else SPELLED[whole.lower()]) + 0.5
        found.append(Number(value, match.group(0), False, "count", match.start()))
        taken.append((match.start(), match.end()))
    for match in _EN_ALL_DAY.finditer(text):
        found.append(Number(24, match.group(0), False, "count", match.start()))
    for match in _EN_WORD.finditer(text):
        if any(start <= match.start() < end for start, end in taken):
            continue
        word = match.group(0).lower()
        # a hyphenated name is not a month: Lim Jun-seo, May-ling
        if word in MONTHS and (word != "may" or match.group(0)[0].isupper()) and (
                len(word) > 3 or text[match.end():match.end() + 1] == "." or match.group(0)[0].isupper()) and \
                text[match.end():match.end() + 1] != "-":
            found.append(Number(MONTHS[word], match.group(0), True, "month", match.start()))
            continue
        spelled = _spelled_english(match.group(0), text, match.end())
        if spelled is not None:
            value, end = spelled
            clock = _EN_CLOCK.match(text[end:])
            alts = ((value + 12) % 24,) if clock and clock.group(1).lower() == "p" and value < 12 else ()
            found.append(Number(value, text[match.start():end], False, "count", match.start(), alts,
                                _hedge_before(text, match.start(), EN_HEDGES),
                                cardinal=match.group(0).lower() in _CARDINALS))
    return found


def _circled(text: str) -> list[Number]:
    found = []
    for index, ch in enumerate(text):
        if "\u2460" <= ch <= "\u2473" or "\u2776" <= ch <= "\u277f":  # ①–⑳, ❶–❿
            found.append(Number(float(unicodedata.numeric(ch)), ch, True, "list", index))
    return found


def _korean_kind(text: str, end: int, digits: str) -> str:
    after = text[end:end + 3]
    if re.match(r"\s?월", after):
        return "month"
    if re.match(r"\s?년(?!간|\s*동안|\s*만에|\s*이상|\s*마다)", after) and re.fullmatch(r"(?:19|20)\d\d", digits):
        return "year"
    if re.match(r"\s?일(?!간|\s*동안|\s*만에|마다|\s*이내|\s*안에|\s*뒤|\s*후|\s*전)", after):
        return "day"
    return "count"


def korean_numbers(text: str) -> list[Number]:
    text = _PLACEHOLDER.sub(lambda m: " " * len(m.group()), text)
    found = _circled(text)
    marker = _LIST_MARKER.match(text)
    fractions = list(_KO_FRACTION.finditer(text))
    for match in fractions:
        found.append(Number(_value(match.group(2)) / _value(match.group(1)), match.group(0), True, "count",
                            match.start()))
    matches = [m for m in _KO_NUMBER.finditer(text)
               if not any(f.start() <= m.start() < f.end() for f in fractions)]
    index = 0
    while index < len(matches):
        match = matches[index]
        start, end = match.start(), match.end()
        value = _value(match.group(1)) * KO_SMALL.get(match.group(2) or "", 1)
        unit = match.group(3)
        if re.search(r"제\s*$", text[max(0, start - 2):start]):
            unit = None  # 제1조, 제2항: a numbered article, not a trillion
            end = match.start(1) + len(match.group(1))
            value = _value(match.group(1))
        if unit:
            value *= KO_UNITS[unit]
            # 5만 7553, 1조2000억 5000만: what follows a 만/억/조 unit closely is added to it
            while index + 1 < len(matches) and matches[index + 1].start() - end <= 1:
                following = matches[index + 1]
                rest = _value(following.group(1)) * KO_SMALL.get(following.group(2) or "", 1)
                rest *= KO_UNITS.get(following.group(3) or "", 1)
                if rest >= KO_UNITS[unit]:
                    break
                value += rest
                end = following.end()
                index += 1
                unit = following.group(3)
                if not unit:
                    break
        digits = match.group(1)
        shown = text[start:end].strip()
        kind = _korean_kind(text, end, digits) if not unit else "count"
        alts: tuple[float, ...] = ()
        clock = re.match(r"\s?시(?!간)", text[end:end + 3])
        if clock and 13 <= value <= 23:
            alts = (value - 12,)
        elif clock and re.search(r"오후\s*$", text[max(0, start - 4):start]) and value < 12:
            alts = (value + 12,)
        hedge = _hedge_before(text, start, KO_HEDGE_BEFORE) or next(
            (direction for pattern, direction in KO_HEDGE_AFTER if pattern.match(text[end:end + 8])), "")
        required = not (value == 1 and not unit and kind == "count") and not (marker and start == marker.start(1))
        found.append(Number(value, shown, required, kind, start, alts, hedge, _equivalent(text, start, end)))
        index += 1
    for word, value in KO_SPELLED.items():
        for match in re.finditer(rf"(?<![\uac00-\ud7a3]){word}(?=\s|[가-힣]{{0,2}}(?:\s|$))", text):
            found.append(Number(value, match.group(0), False, "count", match.start(),
                                cardinal=word in ("두", "세", "네", "다섯", "여섯", "일곱", "여덟", "아홉", "열")))
    return found


def numbers(text: str, lang: str) -> list[Number]:
    return korean_numbers(text) if lang == "ko" else english_numbers(text)


def format_number(value: float) -> str:
    return f"{int(value):,}" if value == int(value) else f"{value:,}"
