"""QA accuracy: corruptions caught, and clean pairs left alone.

Takes a file of correct bilingual pairs (``source<TAB>target`` per line; by default the
shipped Korean–English set), makes corrupted copies of the target — a number changed, a
date shifted, a unit swapped, a negation dropped, a term replaced, a tag dropped — and
prints, per kind, how many corrupted pairs the checks flag as errors (negations: as
warnings), and the false-alarm rate: clean pairs with any error flag.
Targets: >= 99% of number and date corruptions caught; <= 2% of clean pairs flagged.
Run: python bench/qa_accuracy.py [--pairs FILE] [--src ko --tgt en] [--reverse]
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

from gnews_i18n.qa import check_pair
from gnews_i18n.terms import Terminology, load_glossaries

ROOT = Path(__file__).resolve().parents[1]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
UNIT_SWAPS = {"mg": "ml", "ml": "mg", "kg": "g", "mmHg": "cm", "%": "mg", "㎎": "㎖", "밀리그램": "밀리리터"}
NEGATIONS_EN = [(r"\bdid not ", "did "), (r"\bdoes not ", "does "), (r"\bnot ", ""), (r"\bNo ", "Some "),
                (r"\bwithout ", "with "), (r"\bcannot ", "can ")]
NEGATIONS_KO = [(r"지 않", "지 "), (r"않", ""), (r"없이", "함께"), (r"없다", "있다"), (r"수 없", "수 있")]


def change_number(text: str, rng: random.Random) -> str | None:
    numbers = list(re.finditer(r"\d+(?:[.,]\d+)*", text))
    if not numbers:
        return None
    match = rng.choice(numbers)
    digits = match.group(0)
    positions = [i for i, ch in enumerate(digits) if ch.isdigit()]
    i = rng.choice(positions)
    new_digit = str((int(digits[i]) + rng.randint(1, 8)) % 10)
    if i == 0 and new_digit == "0" and len(positions) > 1:
        new_digit = "9"
    changed = digits[:i] + new_digit + digits[i + 1:]
    return text[:match.start()] + changed + text[match.end():]


def shift_date(text: str, lang: str, rng: random.Random) -> str | None:
    if lang == "ko":
        match = re.search(r"(\d{1,2})월 (\d{1,2})일|(\d{1,2})월|(\d{1,2})일", text)
        if not match:
            return None
        day = re.search(r"(\d{1,2})일", match.group(0))
        target = day or re.search(r"(\d{1,2})월", match.group(0))
        value = int(target.group(1))
        shifted = value + 1 if value < 12 else value - 1
        start = match.start() + target.start(1)
        return text[:start] + str(shifted) + text[match.start() + target.end(1):]
    month = re.search("|".join(MONTHS), text)
    if month:
        other = MONTHS[(MONTHS.index(month.group(0)) + rng.randint(1, 10)) % 12]
        return text[:month.start()] + other + text[month.end():]
    weekday = re.search(r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday", text)
    if weekday:
        days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
        other = days[(days.index(weekday.group(0)) + 1) % 7]
        return text[:weekday.start()] + other + text[weekday.end():]
    return None


def swap_unit(text: str) -> str | None:
    for unit, other in UNIT_SWAPS.items():
        match = re.search(rf"(?<=\d)\s?{re.escape(unit)}(?![a-zA-Z])", text)
        if match:
            return text[:match.start()] + match.group(0).replace(unit, other) + text[match.end():]
    return None


def drop_negation(text: str, lang: str) -> str | None:
    for pattern, replacement in NEGATIONS_KO if lang == "ko" else NEGATIONS_EN:
        if re.search(pattern, text):
            return re.sub(pattern, replacement, text, count=1)
    return None


def drop_tag(text: str) -> str | None:
    match = re.search(r"<(\w+)[^>]*>(.*?)</\1>|\[([^\]]+)\]\([^)]+\)", text)
    if not match:
        return None
    return text[:match.start()] + (match.group(2) or match.group(3)) + text[match.end():]


def replace_term(source: str, target: str, terminology: Terminology, rng: random.Random) -> str | None:
    present = [m.term.form(terminology.tgt) for m in terminology.matcher.find(source)
               if m.term.form(terminology.tgt) and m.term.form(terminology.tgt) in target]
    if not present:
        return None
    form = rng.choice(present)
    others = [t.form(terminology.tgt) for t in terminology.terms if t.form(terminology.tgt) != form]
    return target.replace(form, rng.choice(others), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=Path, default=ROOT / "bench" / "data" / "qa_pairs.ko-en.tsv")
    parser.add_argument("--src", default="ko")
    parser.add_argument("--tgt", default="en")
    parser.add_argument("--reverse", action="store_true", help="check target→source instead (en→ko)")
    parser.add_argument("--glossary", type=Path, action="append", help="default: glossaries/*.csv")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    pairs = []
    for number, line in enumerate(args.pairs.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        if "\t" not in line:
            raise SystemExit(f"{args.pairs}:{number}: expected source<TAB>target")
        source, target = line.split("\t", 1)
        pairs.append((target, source) if args.reverse else (source, target))
    src, tgt = (args.tgt, args.src) if args.reverse else (args.src, args.tgt)
    terminology = Terminology(load_glossaries(args.glossary or sorted((ROOT / "glossaries").glob("*.csv"))), src, tgt)

    def errors(source: str, target: str, severity: str = "error") -> list[dict]:
        return [f for f in check_pair(source, target, src, tgt, terminology) if f["severity"] == severity]

    false_alarms = [(s, t, errors(s, t)) for s, t in pairs if errors(s, t)]
    corruptions = {
        "number changed": lambda s, t: change_number(t, rng),
        "date shifted": lambda s, t: shift_date(t, tgt, rng),
        "unit swapped": lambda s, t: swap_unit(t),
        "negation dropped": lambda s, t: drop_negation(t, tgt),
        "term replaced": lambda s, t: replace_term(s, t, terminology, rng),
        "tag dropped": lambda s, t: drop_tag(t),
    }
    print(f"{len(pairs)} clean pairs ({src}→{tgt}) from {args.pairs}")
    for kind, corrupt in corruptions.items():
        caught = total = 0
        missed = []
        for source, target in pairs:
            corrupted = corrupt(source, target)
            if corrupted is None or corrupted == target:
                continue
            total += 1
            severity = "warning" if kind == "negation dropped" else "error"
            if errors(source, corrupted, severity):
                caught += 1
            else:
                missed.append(corrupted)
        rate = caught / total if total else float("nan")
        print(f"  {kind:<17} caught {caught:>3}/{total:<3} = {rate:.1%}")
        for example in missed[:3]:
            print(f"      missed: {example}")
    print(f"false alarms: {len(false_alarms)}/{len(pairs)} clean pairs with an error flag = "
          f"{len(false_alarms) / len(pairs):.1%}")
    for source, target, flags in false_alarms[:5]:
        print(f"      {source} | {target} → {[f['message'] for f in flags]}")
    print("targets: number and date corruptions >= 99% caught; false alarms <= 2%")


if __name__ == "__main__":
    main()
