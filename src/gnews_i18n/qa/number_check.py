"""The number check: every figure on one side is accounted for on the other.

In order: figures equal in value (or in an equivalent reading: 6 p.m. = 18시) pair off;
a month, year or day that the other side implies through the article's date is
consistent (19일 ↔ March 19); a hedged round figure that the source's value rounds to is
a warning (632명 → "more than 600"); what is left pairs by kind into changes (errors),
except an equivalent figure in parentheses that was dropped or added (warnings);
the rest was lost or invented (errors). Every flag names both spans it compares.
"""

from __future__ import annotations

import math
import re

from gnews_i18n.flags import QAContext, flag
from gnews_i18n.qa.implied_dates import implied
from gnews_i18n.qa.numerals import Number, format_number, numbers, same_value


def _spelled(number: Number) -> bool:
    """A word that is not a count: first, once, half (two, 다섯 may be a duration: 2일)."""
    return not number.text[:1].isdigit() and not number.cardinal


def _compatible(a: Number, b: Number) -> bool:
    """A month pairs only with a month (9일분 is not September); a date's day or year is not
    a spelled word's ("first half" is not 1일)."""
    if (a.kind == "month") != (b.kind == "month"):
        return False
    dated = ("day", "year")
    return not ((a.kind in dated and _spelled(b)) or (b.kind in dated and _spelled(a)))


def _pair_equal(source: list[Number], target: list[Number]) -> tuple[list[Number], list[Number]]:
    """Required numbers left unmatched on each side, after equal values pair off.

    A lone 1 is optional (한 명 → "a chair"), unless the other side has a spelled count
    left over: "four hospitals" → 1곳 is a change."""
    missing, used, spare, taken_by_words = [], set(), [], set()
    # required numbers first take required partners, then optional (spelled) ones; a month
    # (November, 11월) only pairs with a month: 9일분 is not September
    order = sorted(range(len(target)), key=lambda i: not target[i].required)
    for number in source:
        partner = next((i for i in order if i not in used and _compatible(number, target[i])
                        and any(same_value(a, b) for a in number.values() for b in target[i].values())), None)
        if partner is not None:
            used.add(partner)
            if not number.required:
                taken_by_words.add(partner)
        elif number.required:
            missing.append(number)
        else:
            spare.append(number)
    left = [n for i, n in enumerate(target) if i not in used or i in taken_by_words]
    added = [n for i, n in enumerate(target) if i not in used and n.required]
    lone_ones = [n for n in left if not n.required and n.value == 1 and n.text[:1].isdigit()]
    if lone_ones and any(n.cardinal for n in spare):
        added += lone_ones
    if any(n.value == 1 and not n.required and n.text[:1].isdigit() for n in spare) and \
            any(n.cardinal for n in left):
        missing += [n for n in spare if n.value == 1 and n.text[:1].isdigit()]
    return missing, added


def _significant(value: float) -> int:
    digits = format(value, ".12g").replace(".", "").replace("-", "").lstrip("0").rstrip("0")
    return max(1, len(digits))


def _rounds_to(exact: float, rounded: float, hedge: str) -> bool:
    """Whether ``rounded`` (hedged by "more than", "about", …) is ``exact`` rounded to fewer digits."""
    if exact <= 0 or same_value(exact, rounded) or _significant(rounded) >= _significant(exact):
        return False
    if abs(rounded - exact) > 0.1 * exact:  # 3,400 → "about 3,000" is a different figure, not a rounding
        return False
    for keep in range(1, _significant(exact)):
        scale = 10 ** (math.floor(math.log10(exact)) - keep + 1)
        down, up = math.floor(exact / scale) * scale, math.ceil(exact / scale) * scale
        allowed = {">": (down,), "<": (up,), "~": (down, up)}.get(hedge, ())
        if any(same_value(rounded, v) for v in allowed):
            return True
    return False


def _kind(number: Number) -> str:
    return number.kind if number.kind in ("month", "year") else "count"


def _shown(number: Number) -> str:
    if re.fullmatch(r"[\d,.]+", number.text) or number.kind == "month":
        return number.text
    return f"{number.text} ({format_number(number.value)})"


def check_numbers(source: str, target: str, src: str, tgt: str, context: QAContext | None = None) -> list[dict]:
    """Every number written in digits on one side appears on the other (as digits or words)."""
    context = context or QAContext()
    missing, added = _pair_equal(numbers(source, src), numbers(target, tgt))
    flags: list[dict] = []
    date = context.article_date
    implied_by = {"source": implied(source, src, date), "target": implied(target, tgt, date)}

    def date_consistent(number: Number, other_side: str) -> bool:
        other = implied_by[other_side]
        wanted = {"month": other.months, "year": other.years}.get(number.kind, other.days)
        return number.kind in ("month", "year", "day") and number.value in wanted

    def unconfirmed(number: Number, other_side: str) -> bool:
        return date is None and number.kind in ("month", "year", "day") and implied_by[other_side].relative

    for number in list(missing):
        if date_consistent(number, "target"):
            missing.remove(number)
    for number in list(added):
        if date_consistent(number, "source"):
            added.remove(number)
    for number in list(added):  # rounding: the target's hedged figure is the source's, rounded
        exact = next((m for m in missing if _kind(m) == _kind(number) and number.hedge and
                      any(_rounds_to(m.value, v, number.hedge) for v in number.values())), None)
        if exact is not None:
            missing.remove(exact)
            added.remove(number)
            flags.append(flag("number_rounded", "warning", f"source {exact.text} → target {number.text}: rounded; "
                              "check the rounding keeps the meaning", exact.text, number.text))
    for number in list(missing):  # a change: the nearest leftover of the same kind on the other side
        candidates = [a for a in added if _kind(a) == _kind(number)]
        nearest = min(candidates, key=lambda n: abs(n.value - number.value), default=None)
        if nearest is not None:
            missing.remove(number)
            added.remove(nearest)
            flags.append(flag("number_mismatch", "error", f"source {number.text} → target {nearest.text}",
                              number.text, nearest.text))
    for number in missing:
        if number.equivalent:
            flags.append(flag("number_equivalent", "warning", f"source {_shown(number)}, an equivalent figure in "
                              "parentheses, is not in the target", number.text, ""))
        elif unconfirmed(number, "target"):
            flags.append(flag("date_unconfirmed", "warning", f"source {number.text} is not written in the target; "
                              "give the article's date to confirm it", number.text, ""))
        else:
            flags.append(flag("number_mismatch", "error", f"source {_shown(number)} is missing from the target",
                              number.text, ""))
    for number in added:
        if number.equivalent:
            flags.append(flag("number_equivalent", "warning", f"target {_shown(number)}, an equivalent figure in "
                              "parentheses, is not in the source", "", number.text))
        elif unconfirmed(number, "source"):
            flags.append(flag("date_unconfirmed", "warning", f"target {number.text} is not in the source; give the "
                              "article's date to confirm it", "", number.text))
        else:
            flags.append(flag("number_added", "error", f"target has {number.text}, which the source does not have",
                              "", number.text))
    return flags
