"""QA accuracy: corruptions caught, and correct translations left alone.

Two corpora (bench/data/README.md):

- ``--practice`` (the default): the real-practice corpus, correct human translations in
  both directions (``practice.ko-en.tsv``, ``practice.en-ko.tsv``), checked as human
  text with each article's date and the article so far as context;
- ``--pairs FILE``: ``source<TAB>target`` lines (the synthetic ``qa_pairs.ko-en.tsv``),
  checked as machine drafts without a date.

For each direction it prints the false-alarm rate (correct pairs with an error flag) and,
per kind of corruption injected into the target — a digit changed, a unit swapped, a date
shifted, a negation dropped, a glossary term replaced by a forbidden form (or another
term), a Korean particle made to disagree, a tag dropped — the share the checks flag
(as errors; negations as warnings). Then every Korean glossary term in the particle shapes
human text gives it (followed by another particle: 병원과의; after a closing quote; after a
parenthesis, 병원(ABC)을), with the right and the wrong particle. Targets: false alarms <= 5%;
every kind >= 99%, particles 100%.
Run: python bench/qa_accuracy.py [--practice | --pairs FILE [--reverse]] [--show N]
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

from gnews_i18n.flags import parse_date
from gnews_i18n.qa import QAContext, check_pair
from gnews_i18n.terms import Terminology, load_glossaries
from gnews_i18n.terms.files import glossary_files
from gnews_i18n.terms.korean import PAIRS, agree, final_consonant

ROOT = Path(__file__).resolve().parents[1]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
UNIT_SWAPS = {"mg": "ml", "ml": "mg", "kg": "g", "mmHg": "cm", "%": "mg", "㎎": "㎖", "밀리그램": "밀리리터"}
NEGATIONS_EN = [(r"\bdid not ", "did "), (r"\bdoes not ", "does "), (r"\bnot yet ", "already "), (r"\bnot ", ""),
                (r"\bNot a single ", "A single "), (r"\bNo ", "Some "), (r"\bno longer ", "still "),
                (r"\bno ", "a "), (r"\bNone of ", "All of "), (r"\bNone ", "One "), (r"\bwithout ", "with "),
                (r"\bcannot ", "can ")]
NEGATIONS_KO = [(r"지 않", "지 "), (r"않", ""), (r"없이", "함께"), (r"없다", "있다"), (r"없었", "있었"),
                (r"없는", "있는"), (r"수 없", "수 있"), (r"안 된다", "된다"), (r"지 말라", "라")]


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


def negates(text: str, lang: str) -> bool:
    return any(re.search(pattern, text) for pattern, _ in (NEGATIONS_KO if lang == "ko" else NEGATIONS_EN))


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


def forbid_term(source: str, target: str, terminology: Terminology, rng: random.Random) -> str | None:
    """A term's approved form (or variant) in the target replaced by one of its forbidden forms."""
    tgt = terminology.tgt
    options = []
    for match in terminology.matcher.find(source):
        term = match.term
        for form in [term.form(tgt) or ""] + term.variants.get(tgt, []):
            if form and form in target and term.forbidden.get(tgt):
                options.append((form, term.forbidden[tgt]))
    if not options:
        return None
    form, forbidden = rng.choice(options)
    return target.replace(form, rng.choice(forbidden), 1)


# Last syllables of verb and adjective stems and endings: a word ending in them is not a noun.
_VERBAL = set("하되있없않했됐였었았겠시지리기며고서던려게도")
_VARIABLE = sorted({f for pair in PAIRS for f in pair if pair[0] != pair[1]}, key=len, reverse=True)
_SIMPLE = {"을", "를", "이", "가", "은", "는", "과", "와", "으로", "로", "이에요", "예요", "이라고", "라고", "이나",
           "나", "이며", "며"}


def wrong_particle(target: str, known: set[str], rng: random.Random) -> str | None:
    """One particle after a noun (a glossary term, a Latin or digit word, or a Hangul noun of two or
    more syllables) made to disagree with it: 병원을 → 병원를, 서울로 → 서울으로."""
    options = []
    for match in re.finditer(r"[^\s\"'“”‘’()]+", target):
        word = match.group().rstrip(".,!?…")
        for particle in _VARIABLE:
            if not word.endswith(particle) or particle not in _SIMPLE:
                continue
            host = word[:-len(particle)]
            latin = bool(re.search(r"[A-Za-z0-9]$", host))
            noun = host in known or latin or (len(host) >= 2 and re.fullmatch(r"[가-힣]+", host)
                                               and host[-1] not in _VERBAL)
            if not noun or final_consonant(host) is None or agree(host, particle) != particle:
                continue
            pair = next(p for p in PAIRS if particle in p)
            wrong = pair[1] if particle == pair[0] else pair[0]
            if wrong.startswith("이") and wrong[1:] == particle and wrong not in ("이", "이에요"):
                continue  # 의사이며 for 의사며 is correct Korean too (the copula may stay)
            options.append((match.start(), host, particle, wrong))
            break
    if not options:
        return None
    start, host, particle, wrong = rng.choice(options)
    end = start + len(host) + len(particle)
    return target[:start] + host + wrong + target[end:]


def read_practice(path: Path) -> list[dict]:
    rows = []
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines[1:], 2):
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) != 4:
            raise SystemExit(f"{path}:{number}: expected article<TAB>date<TAB>source<TAB>target")
        article, date, source, target = cells
        rows.append({"article": article, "date": parse_date(date), "source": source, "target": target})
    earlier: dict[str, tuple[list[str], list[str]]] = {}
    for row in rows:
        sources, targets = earlier.setdefault(row["article"], ([], []))
        row["context"] = QAContext(row["date"], "human", " ".join(sources), " ".join(targets))
        sources.append(row["source"])
        targets.append(row["target"])
    return rows


def measure(rows: list[dict], src: str, tgt: str, terminology: Terminology, rng: random.Random, show: int,
            label: str) -> dict:
    def flagged(row: dict, target: str, severity: str = "error") -> list[dict]:
        flags = check_pair(row["source"], target, src, tgt, terminology, row.get("context"))
        return [f for f in flags if f["severity"] == severity]

    known = set(terminology.known)
    false_alarms = [(row, flags) for row in rows if (flags := flagged(row, row["target"]))]
    corruptions = {
        "digit changed": lambda r: change_number(r["target"], rng),
        "unit swapped": lambda r: swap_unit(r["target"]),
        "date shifted": lambda r: shift_date(r["target"], tgt, rng),
        # only where the source negates: a negation the translator chose freely is not the meaning's
        "negation dropped": lambda r: drop_negation(r["target"], tgt) if negates(r["source"], src) else None,
        "forbidden term": lambda r: forbid_term(r["source"], r["target"], terminology, rng),
        "term replaced": lambda r: replace_term(r["source"], r["target"], terminology, rng),
        "wrong particle": lambda r: wrong_particle(r["target"], known, rng) if tgt == "ko" else None,
        "tag dropped": lambda r: drop_tag(r["target"]),
    }
    print(f"{label}: {len(rows)} correct pairs ({src}→{tgt})")
    results = {}
    for kind, corrupt in corruptions.items():
        caught = total = 0
        missed = []
        for row in rows:
            corrupted = corrupt(row)
            if corrupted is None or corrupted == row["target"]:
                continue
            total += 1
            severities = ["warning"] if kind == "negation dropped" else ["error"]
            if kind == "term replaced" and row.get("context") and row["context"].human:
                severities.append("warning")  # a human edit's missing term is a warning by design
            if any(flagged(row, corrupted, severity) for severity in severities):
                caught += 1
            else:
                missed.append(corrupted)
        if not total:
            continue
        results[kind] = (caught, total)
        print(f"  {kind:<17} caught {caught:>3}/{total:<3} = {caught / total:.1%}")
        for example in missed[:show]:
            print(f"      missed: {example}")
    rate = len(false_alarms) / len(rows)
    results["false alarms"] = (len(false_alarms), len(rows))
    print(f"  false alarms: {len(false_alarms)}/{len(rows)} correct pairs with an error flag = {rate:.1%}")
    warned = sum(1 for row in rows if flagged(row, row["target"], "warning"))
    print(f"  (correct pairs with a warning, for the reviewer to glance at: {warned}/{len(rows)})")
    for row, flags in false_alarms[:show]:
        print(f"      {row['source']} | {row['target']} → {[f['message'] for f in flags]}")
    return results


# Sentences a medical word goes into, on each side: a correct translation pair for every word.
VOCABULARY_FRAMES = {"ko": ("{}", "도는 {}에 대해 설명했다."), "en": ("{}", "The province explained {}.")}


def read_vocabulary(path: Path) -> list[tuple[str, str]]:
    pairs = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() and not line.startswith("#"):
            if "\t" not in line:
                raise SystemExit(f"{path}:{number}: expected ko<TAB>en")
            ko, en = line.split("\t", 1)
            pairs.append((ko.strip(), en.strip()))
    return pairs


def negation_alarms(pairs: list[tuple[str, str]], show: int) -> int:
    """Negation flags on correct pairs built from medical words with negative-looking stems, as
    a person's translation both ways, alone and in a sentence; prints the count and returns it."""
    checked, alarms = 0, []
    for ko, en in pairs:
        for frame_ko, frame_en in zip(VOCABULARY_FRAMES["ko"], VOCABULARY_FRAMES["en"], strict=True):
            for source, target, src, tgt in ((frame_ko.format(ko), frame_en.format(en), "ko", "en"),
                                             (frame_en.format(en), frame_ko.format(ko), "en", "ko")):
                checked += 1
                found = [f for f in check_pair(source, target, src, tgt, context=QAContext(origin="human"))
                         if f["id"] == "negation_mismatch"]
                if found:
                    alarms.append(f"{source} | {target} → {found[0]['message']}")
    print(f"medical vocabulary ({len(pairs)} words with negative-looking stems): negation false alarms "
          f"{len(alarms)}/{checked} pairs")
    for example in alarms[:show]:
        print(f"      {example}")
    return len(alarms)


# Shapes a particle after a term takes in human-written Korean: (sentence with {t} for the term and {p}
# for the particle, the particle as written after a consonant, and as after a vowel).
PARTICLE_SHAPES = {
    "followed by another particle": [("{t}{p}의 협력이 늘었다.", "과", "와"),
                                     ("{t}{p}부터 자료를 받았다.", "으로", "로"),
                                     ("{t}{p} 달리 늘었다.", "과는", "와는")],
    "after a closing quote": [("대표단은 “{t}”{p} 방문했다.", "을", "를"), ("‘{t}’{p} 밝혔다.", "은", "는")],
    "after a parenthesis": [("{t}(ABC){p} 방문했다.", "을", "를"), ("{t}(ABC){p} 밝혔다.", "이", "가")],
}


def particle_shapes(terminology: Terminology) -> None:
    """Each Korean glossary term in each shape, with the agreeing and the disagreeing particle:
    the wrong ones caught (recall), the right ones left alone; prints a line per shape."""
    known, readings = terminology.korean_hosts
    from gnews_i18n.qa.particles import check_particles

    terms = sorted({t.forms["ko"] for t in terminology.glossary.terms if t.forms.get("ko")
                    and final_consonant(t.forms["ko"]) is not None})
    for shape, frames in PARTICLE_SHAPES.items():
        caught = alarms = total = 0
        for term in terms:
            for frame, after_consonant, after_vowel in frames:
                right, wrong = (after_consonant, after_vowel) if final_consonant(term) else \
                    (after_vowel, after_consonant)
                if frame.startswith("{t}{p}부터") and final_consonant(term) == 8:  # ㄹ takes 로
                    right, wrong = after_vowel, after_consonant
                total += 1
                caught += bool(check_particles(frame.format(t=term, p=wrong), known, readings))
                alarms += bool(check_particles(frame.format(t=term, p=right), known, readings))
        print(f"  particles after terms, {shape}: caught {caught}/{total} = {caught / max(1, total):.1%}; "
              f"false alarms {alarms}/{total}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--practice", action="store_true", help="the real-practice corpus, both directions "
                        "(the default when --pairs is not given)")
    parser.add_argument("--pairs", type=Path, help="source<TAB>target lines, checked as machine drafts")
    parser.add_argument("--src", default="ko")
    parser.add_argument("--tgt", default="en")
    parser.add_argument("--reverse", action="store_true", help="with --pairs: check target→source instead")
    parser.add_argument("--glossary", type=Path, action="append", help="default: glossaries/*.csv (and, for "
                        "the practice corpus, bench/data/practice.glossary.csv)")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--show", type=int, default=3, help="examples of misses and false alarms to print")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    data = ROOT / "bench" / "data"
    glossaries = args.glossary or glossary_files(ROOT / "glossaries")
    if args.pairs is None:
        glossary = load_glossaries([*glossaries, data / "practice.glossary.csv"])
        for src, tgt in (("ko", "en"), ("en", "ko")):
            rows = read_practice(data / f"practice.{src}-{tgt}.tsv")
            measure(rows, src, tgt, Terminology(glossary, src, tgt), rng, args.show, "real practice")
        particle_shapes(Terminology(glossary, "en", "ko"))
        negation_alarms(read_vocabulary(data / "medical_negative_stems.tsv"), args.show)
        print("targets: false alarms <= 5%; each corruption >= 99% caught, particles 100%; "
              "negation false alarms on the medical vocabulary 0")
        return
    rows = []
    for number, line in enumerate(args.pairs.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        if "\t" not in line:
            raise SystemExit(f"{args.pairs}:{number}: expected source<TAB>target")
        source, target = line.split("\t", 1)
        rows.append({"source": target, "target": source} if args.reverse else {"source": source, "target": target})
    src, tgt = (args.tgt, args.src) if args.reverse else (args.src, args.tgt)
    measure(rows, src, tgt, Terminology(load_glossaries(glossaries), src, tgt), rng, args.show, "synthetic")
    print("targets: false alarms <= 5%; each corruption >= 99% caught, particles 100%")


if __name__ == "__main__":
    main()
