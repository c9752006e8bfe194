"""The checks themselves: each takes a source/target pair and returns flags.

A flag is ``{"id", "severity", "message", "source", "target"}`` (see ``spans``);
severity ``error`` blocks approval unless a
reviewer overrides it with a reason, ``warning`` informs.
"""

from __future__ import annotations

import re
from collections import Counter

from gnews_i18n.flags import QAContext, flag
from gnews_i18n.languages import hangul_share
from gnews_i18n.qa import guards
from gnews_i18n.qa.implied_dates import weekdays
from gnews_i18n.qa.number_check import check_numbers as numbers_check


def check_numbers(source: str, target: str, src: str, tgt: str, context: QAContext | None = None) -> list[dict]:
    return numbers_check(source, target, src, tgt, context)


def check_weekdays(source: str, target: str, src: str, tgt: str, context: QAContext | None = None) -> list[dict]:
    a, b = weekdays(source, src), weekdays(target, tgt)
    if a and Counter(d for d, _ in a) != Counter(d for d, _ in b):
        shown_a, shown_b = ", ".join(w for _, w in a), ", ".join(w for _, w in b)
        return [flag("date_mismatch", "error", f"weekday: source {shown_a} → target {shown_b or 'none'}",
                     shown_a, shown_b)]
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


def _written(text: str, value: str, unit: str) -> str:
    """The quantity as written in ``text`` (500㎎, 500 mg), for the flag's span."""
    for match in _UNIT_RE[unit].finditer(text):
        if match.group(1).replace(",", "") == value:
            return match.group(0)
    return f"{value} {unit}"


MEDICAL_UNITS = {"mg", "g", "kg", "ml", "l", "mmHg", "cm", "%"}


def check_units(source: str, target: str, src: str, tgt: str, context: QAContext | None = None) -> list[dict]:
    """Doses and measures keep their unit: 5 mg must not become 5 ml."""
    a, b = _quantities(source), _quantities(target)
    flags = []
    for (value, unit), count in a.items():
        if unit not in MEDICAL_UNITS or b[(value, unit)] >= count:
            continue
        other = [u for (v, u) in b if v == value and u != unit and u in MEDICAL_UNITS]
        if other:
            flags.append(flag("unit_mismatch", "error", f"source {value} {unit} → target {value} {other[0]}",
                              _written(source, value, unit), _written(target, value, other[0])))
    return flags


# A negation proper: a word whose only job is to negate.
NEGATION = {
    "ko": re.compile(r"않|못하|못\s|없[다었는고이으음어애]|없$|아니|\b안\s+[가-힣]|지\s*말[라아고]"),
    # "to avoid infecting" renders 감염시키지 않도록: avoid and refrain count as negations proper
    "en": re.compile(r"\b(?:not|never|without|none|neither|nor|cannot|unable|avoid\w*|refrain\w*)\b"
                     r"|\bno\b(?!\.?\s*\d)|n't\b", re.IGNORECASE),
}
# Words that may carry a negation's meaning but are ordinary words as often: "to prevent
# infection" may render 감염되지 않도록, but 예방 is "prevention" with no negation on either side;
# 금지 is a ban, 불가 "not allowed" or "impossible". Each may stand for a negation on the other
# side, and none needs one.
LEXICAL_NEGATION = {
    "ko": re.compile(r"금지|불가(?!피)"),
    "en": re.compile(r"\b(?:prevent\w*|refus\w*|ban(?:s|ned)?|prohibit\w*|impossible)\b",
                     re.IGNORECASE),
}


def check_negation(source: str, target: str, src: str, tgt: str, context: QAContext | None = None) -> list[dict]:
    """As many negations on each side, a lexical one counting either way: one dropped (or
    added) reverses a statement."""
    if src not in NEGATION or tgt not in NEGATION:
        return []
    strict_a = [m.group() for m in NEGATION[src].finditer(source)]
    strict_b = [m.group() for m in NEGATION[tgt].finditer(target)]
    lexical_a = [m.group() for m in LEXICAL_NEGATION[src].finditer(source)]
    lexical_b = [m.group() for m in LEXICAL_NEGATION[tgt].finditer(target)]
    # each side may mean between its strict count and its strict + lexical count of negations
    if len(strict_a) <= len(strict_b) + len(lexical_b) and len(strict_b) <= len(strict_a) + len(lexical_a):
        return []
    found_a, found_b = strict_a + lexical_a, strict_b + lexical_b
    where = "source" if len(strict_a) > len(strict_b) + len(lexical_b) else "target"
    return [flag("negation_mismatch", "warning", f"the {where} has a negation the other side lacks "
                 f"(source: {', '.join(found_a) or 'none'}; target: {', '.join(found_b) or 'none'})",
                 ", ".join(found_a), ", ".join(found_b))]


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


def check_markup(source: str, target: str, src: str, tgt: str, context: QAContext | None = None) -> list[dict]:
    """Inline tags, links and placeholders survive exactly once."""
    a, b = _markup(source), _markup(target)
    flags = []
    for token in sorted(set(a) | set(b)):
        if a[token] != b[token]:
            flags.append(flag("markup_mismatch", "error",
                              f"{token} appears {a[token]}× in the source and {b[token]}× in the target",
                              token if a[token] else "", token if b[token] else ""))
    return flags


def check_untranslated(source: str, target: str, src: str, tgt: str, context: QAContext | None = None) -> list[dict]:
    letters = re.sub(r"[^\w]|\d|_", "", target)
    if len(letters) < 4:
        return []
    if source.strip() == target.strip() and len(re.sub(r"[^\w]", "", source)) >= 8:
        return [flag("untranslated", "error", "the target is a copy of the source", source, target)]
    share = hangul_share(target)
    if src == "ko" and tgt != "ko" and share > 0.5:
        return [flag("untranslated", "error", f"the target is {share:.0%} Hangul: left in Korean", source, target)]
    if tgt == "ko" and src != "ko" and share < 0.2 and len(letters) >= 12:
        return [flag("untranslated", "error", f"the target is only {share:.0%} Hangul: not Korean", source, target)]
    return []


def check_length_and_repetition(source: str, target: str, src: str, tgt: str,
                                context: QAContext | None = None) -> list[dict]:
    flags = []
    for reason in guards.problems(source, target, src, tgt):
        check_id = "repetition" if reason.startswith("repeats") else "length_ratio"
        if reason == "empty output":
            flags.append(flag("empty_output", "error", "the target is empty", source, target))
        else:
            flags.append(flag(check_id, "warning", reason, source, target))
    return flags

