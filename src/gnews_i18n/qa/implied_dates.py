"""What the article's date lets a translation say that its source does not.

Korean news writes the day alone (19일, 지난 3일, 오는 25일) and relative months and
years (지난달, 다음 달, 지난해, 올해); English news writes "March 19", "in April", 2023,
"on Tuesday". Given the article's date, each side *implies* months, years and days; a
month, year or day that one side writes out is consistent when the other side implies
it. One that contradicts the date is not implied, and stays a mismatch.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from gnews_i18n.qa.numerals import MONTHS

WEEKDAYS_KO = {"월요일": 0, "화요일": 1, "수요일": 2, "목요일": 3, "금요일": 4, "토요일": 5, "일요일": 6}
WEEKDAYS_EN = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}

_KO_DAY = re.compile(r"(지난|오는|이번|다음 달|다음달|내달|지난달|이달)?\s*(?<!\d)(\d{1,2})일"
                     r"(?!간|\s*동안|마다|\s*만에)")
_KO_MONTH_BEFORE = re.compile(r"\d{1,2}\s*월\s*$")
_EN_ORDINAL_DAY = re.compile(r"(?i)\bthe (\d{1,2})(?:st|nd|rd|th)\b")


@dataclass
class Implied:
    """Months, years and days (of month) that one side's words imply, given the article's date."""

    months: set[int] = field(default_factory=set)
    years: set[int] = field(default_factory=set)
    days: set[int] = field(default_factory=set)
    relative: bool = False  # the side speaks of dates relative to the article (지난 3일, last year)


def _shift_month(date: dt.date, months: int) -> tuple[int, int]:
    index = date.year * 12 + date.month - 1 + months
    return index // 12, index % 12 + 1


def _weekday_dates(date: dt.date, weekday: int) -> list[dt.date]:
    """The last such weekday on or before the article's date, and the next one after it."""
    back = (date.weekday() - weekday) % 7
    last = date - dt.timedelta(days=back)
    return [last, last + dt.timedelta(days=7)]


def _day_months(date: dt.date, day: int, marker: str) -> list[tuple[int, int]]:
    """The (year, month) a day written alone points to: the nearest month where it fits the tense."""
    if marker in ("지난달",):
        return [_shift_month(date, -1)]
    if marker in ("다음 달", "다음달", "내달"):
        return [_shift_month(date, 1)]
    if marker == "이달":
        return [(date.year, date.month)]
    if marker == "지난":
        return [(date.year, date.month)] if day <= date.day else [_shift_month(date, -1)]
    if marker == "오는":
        return [(date.year, date.month)] if day >= date.day else [_shift_month(date, 1)]
    # no marker: this month, or the previous one for a day still ahead in it (a past event)
    return [(date.year, date.month)] + ([_shift_month(date, -1)] if day > date.day else [])


def implied(text: str, lang: str, date: dt.date | None) -> Implied:
    found = Implied()
    if lang == "ko":
        year_words = {"올해": 0, "금년": 0, "올여름": 0, "올겨울": 0, "올봄": 0, "올가을": 0, "지난해": -1,
                      "작년": -1, "전년": -1, "내년": 1, "이듬해": 1}
        month_words = {"지난달": -1, "이달": 0, "이번 달": 0, "다음 달": 1, "다음달": 1, "내달": 1}
        weekdays = [day for word, day in WEEKDAYS_KO.items() if word in text]
    else:
        folded = text.lower()
        year_words = {"this year": 0, "this summer": 0, "this winter": 0, "last year": -1, "previous year": -1,
                      "year before": -1, "next year": 1}
        month_words = {"last month": -1, "this month": 0, "next month": 1}
        weekdays = [day for word, day in WEEKDAYS_EN.items() if word in folded]
        text = folded
    for word, offset in year_words.items():
        if word in text:
            found.relative = True
            if date:
                found.years.add(date.year + offset)
    for word, offset in month_words.items():
        if word in text:
            found.relative = True
            if date:
                year, month = _shift_month(date, offset)
                found.months.add(month)
                found.years.add(year)
    if lang == "ko":
        for match in _KO_DAY.finditer(text):
            if _KO_MONTH_BEFORE.search(text[max(0, match.start(2) - 6):match.start(2)]):
                continue  # 11월 7일: the month is written
            found.relative = True
            if date:
                for year, month in _day_months(date, int(match.group(2)), (match.group(1) or "").strip()):
                    found.months.add(month)
                    found.years.add(year)
    else:
        for match in _EN_ORDINAL_DAY.finditer(text):
            found.relative = True
            if date:
                for year, month in _day_months(date, int(match.group(1)), ""):
                    found.months.add(month)
                    found.years.add(year)
    future = re.search(r"(?i)\b(?:will|next|upcoming|coming|scheduled)\b" if lang != "ko" else r"오는|다음 주|예정|겠",
                       text)
    for weekday in weekdays:
        found.relative = True
        if date:  # the last such day before the article's, or the next one when the text looks ahead
            last, following = _weekday_dates(date, weekday)
            for day in (last, following) if future else (last,):
                found.days.add(day.day)
                found.months.add(day.month)
                found.years.add(day.year)
    writes_month = re.search(r"\d{1,2}\s*월", text) if lang == "ko" else \
        any(re.search(rf"\b{m}\b", text) for m in MONTHS if len(m) > 3)
    if date and (found.months or writes_month):
        # a month written without its year is in the article's year (or next to it)
        found.years.add(date.year)
    return found


def weekdays(text: str, lang: str) -> list[tuple[int, str]]:
    """(weekday, as written) for each weekday named in ``text``."""
    if lang == "ko":
        return [(day, m.group()) for word, day in WEEKDAYS_KO.items() for m in re.finditer(word, text)]
    return [(WEEKDAYS_EN[m.group().lower()], m.group()) for m in re.finditer(r"\b[A-Za-z]+day\b", text)
            if m.group().lower() in WEEKDAYS_EN]
