"""The checks themselves: each takes a source/target pair and returns flags.

A flag is ``{"id", "severity", "message"}``; severity ``error`` blocks approval unless a
reviewer overrides it with a reason, ``warning`` informs.
"""

from __future__ import annotations

import re
from collections import Counter

from gnews_i18n.languages import hangul_share
from gnews_i18n.mt import guards
from gnews_i18n.qa.numbers import format_number, numbers


def flag(check_id: str, severity: str, message: str) -> dict:
    return {"id": check_id, "severity": severity, "message": message}


def _unmatched(these, those) -> list:
    """Numbers of ``these`` written in digits that nothing in ``those`` accounts for."""
    available = Counter(n.value for n in those)
    left = []
    for number in these:
        if available[number.value] > 0:
            available[number.value] -= 1
        elif number.required:
            left.append(number)
    return left


def check_numbers(source: str, target: str, src: str, tgt: str) -> list[dict]:
    """Every number written in digits on one side appears on the other (as digits or words)."""
    source_numbers, target_numbers = numbers(source, src), numbers(target, tgt)
    missing = _unmatched(source_numbers, target_numbers)
    added = _unmatched(target_numbers, source_numbers)
    flags = []
    for number in missing:
        nearest = min(added, key=lambda n: abs(n.value - number.value), default=None)
        if nearest is not None:  # a number changed, rather than one lost and one invented
            added.remove(nearest)
            flags.append(flag("number_mismatch", "error", f"source {number.text} → target {nearest.text}"))
        else:
            shown = number.text if re.fullmatch(r"[\d,.]+", number.text) else \
                f"{number.text} ({format_number(number.value)})"
            flags.append(flag("number_mismatch", "error", f"source {shown} is missing from the target"))
    for number in added:
        flags.append(flag("number_added", "error", f"target has {number.text}, which the source does not have"))
    return flags


WEEKDAYS_KO = {"월요일": 0, "화요일": 1, "수요일": 2, "목요일": 3, "금요일": 4, "토요일": 5, "일요일": 6}
WEEKDAYS_EN = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
               "mon.": 0, "tue.": 1, "wed.": 2, "thu.": 3, "fri.": 4, "sat.": 5, "sun.": 6}


def _weekdays(text: str, lang: str) -> Counter:
    if lang == "ko":
        return Counter(day for word, day in WEEKDAYS_KO.items() for _ in re.finditer(word, text))
    return Counter(WEEKDAYS_EN[w.lower()] for w in re.findall(r"\b(?:[A-Za-z]+day|[A-Z][a-z]{2}\.)", text)
                   if w.lower() in WEEKDAYS_EN)


def check_weekdays(source: str, target: str, src: str, tgt: str) -> list[dict]:
    a, b = _weekdays(source, src), _weekdays(target, tgt)
    names = list(WEEKDAYS_EN)[:7]
    if a and a != b:
        return [flag("date_mismatch", "error",
                     f"weekday: source {', '.join(names[d].title() for d in a)} → target "
                     f"{', '.join(names[d].title() for d in b) or 'none'}")]
    return []


# Units: (canonical, source patterns). A number followed by a unit must keep number and unit.
UNITS = {
    "mg": r"mg|㎎|밀리그램|milligrams?", "g": r"g|그램|grams?", "kg": r"kg|㎏|킬로그램|kilograms?",
    "ml": r"ml|mL|㎖|밀리리터|millilitres?|milliliters?", "l": r"l|L|리터|litres?|liters?",
    "mmHg": r"mmHg|밀리미터수은주", "cm": r"cm|㎝|센티미터|centimet(?:re|er)s?", "%": r"%|퍼센트|percent|per cent",
    "beds": r"병상|beds?", "people": r"명|people|persons?|patients?|trainees?|doctors?|nurses?|officials?",
    "won": r"원|won", "days": r"일간|days?", "years": r"년간|years?",
}
_UNIT_RE = {unit: re.compile(rf"(\d[\d,.]*)\s*(?:만|억)?\s*(?:{pattern})(?![a-zA-Z])")
            for unit, pattern in UNITS.items()}


def _quantities(text: str) -> Counter:
    found: Counter = Counter()
    for unit, pattern in _UNIT_RE.items():
        for match in pattern.finditer(text):
            found[(match.group(1).replace(",", ""), unit)] += 1
    return found


MEDICAL_UNITS = {"mg", "g", "kg", "ml", "l", "mmHg", "cm", "%"}


def check_units(source: str, target: str, src: str, tgt: str) -> list[dict]:
    """Doses and measures keep their unit: 5 mg must not become 5 ml."""
    a, b = _quantities(source), _quantities(target)
    flags = []
    for (value, unit), count in a.items():
        if unit not in MEDICAL_UNITS or b[(value, unit)] >= count:
            continue
        other = [u for (v, u) in b if v == value and u != unit and u in MEDICAL_UNITS]
        if other:
            flags.append(flag("unit_mismatch", "error", f"source {value} {unit} → target {value} {other[0]}"))
    return flags


NEGATION = {
    "ko": re.compile(r"않|못하|못\s|없[다었는고이으음]|없$|아니|\b안\s+[가-힣]|금지|불가"),
    "en": re.compile(r"\b(?:not|no|never|without|none|neither|nor|cannot|unable|refused?)\b|n't\b", re.IGNORECASE),
}


def check_negation(source: str, target: str, src: str, tgt: str) -> list[dict]:
    a, b = NEGATION.get(src), NEGATION.get(tgt)
    if a is None or b is None:
        return []
    has_a, has_b = bool(a.search(source)), bool(b.search(target))
    if has_a != has_b:
        where = "source" if has_a else "target"
        return [flag("negation_mismatch", "warning", f"the {where} has a negation the other side lacks")]
    return []


_MARKUP = re.compile(r"</?[a-zA-Z][^<>]*>|\[[^\]]+\]\([^)]+\)|\{[a-zA-Z_][\w]*\}|%[sd]|\bTRM\d+\b")


def _markup(text: str) -> Counter:
    tokens = Counter()
    for match in _MARKUP.finditer(text):
        token = match.group(0)
        if token.startswith("["):  # a Markdown link: the URL must survive, the words are translated
            token = "link:" + token[token.index("](") + 2:-1]
        elif token.startswith("<"):
            token = re.sub(r"\s.*", ">", token) if not token.startswith("</") else token
        tokens[token] += 1
    return tokens


def check_markup(source: str, target: str, src: str, tgt: str) -> list[dict]:
    """Inline tags, links and placeholders survive exactly once."""
    a, b = _markup(source), _markup(target)
    flags = []
    for token in sorted(set(a) | set(b)):
        if a[token] != b[token]:
            flags.append(flag("markup_mismatch", "error",
                              f"{token} appears {a[token]}× in the source and {b[token]}× in the target"))
    return flags


def check_untranslated(source: str, target: str, src: str, tgt: str) -> list[dict]:
    letters = re.sub(r"[^\w]|\d|_", "", target)
    if len(letters) < 4:
        return []
    if source.strip() == target.strip() and len(re.sub(r"[^\w]", "", source)) >= 8:
        return [flag("untranslated", "error", "the target is a copy of the source")]
    share = hangul_share(target)
    if src == "ko" and tgt != "ko" and share > 0.5:
        return [flag("untranslated", "error", f"the target is {share:.0%} Hangul: left in Korean")]
    if tgt == "ko" and src != "ko" and share < 0.2 and len(letters) >= 12:
        return [flag("untranslated", "error", f"the target is only {share:.0%} Hangul: not Korean")]
    return []


def check_length_and_repetition(source: str, target: str, src: str, tgt: str) -> list[dict]:
    flags = []
    for reason in guards.problems(source, target, src, tgt):
        check_id = "repetition" if reason.startswith("repeats") else "length_ratio"
        if reason == "empty output":
            flags.append(flag("empty_output", "error", "the target is empty"))
        else:
            flags.append(flag(check_id, "warning", reason))
    return flags

