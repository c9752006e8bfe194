"""How well the privacy finders do: recall on generated identifiers planted in Korean and English
news sentences, no finding on masked forms, and false alarms on the project's real article text.

    python bench/privacy_accuracy.py [--seed 7] [--per-kind 120]

Prints one line per kind, then the summary line quoted in docs/privacy.md.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

from stdnum.kr import rrn as stdnum_rrn

from gnews_i18n.privacy import load_policy
from gnews_i18n.privacy.finders import find_personal_data

ROOT = Path(__file__).resolve().parent.parent

KO = ["입원 중인 환자의 주민등록번호 {x}가 기록지에 적혀 있었다.", "보호자 연락처는 {x}이다.",
      "그는 {x}(으)로 연락해 달라고 말했다.", "신청서에는 {x}를 적도록 했다.", "자세한 내용은 {x} 참조."]
EN = ["The patient's registration number, {x}, was on the chart.", "His guardian can be reached at {x}.",
      "Write to {x} for the records.", "The form listed {x} as the contact.", "({x})"]


def _date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days))


def registration_number(rng: random.Random, alien: bool, since_2020: bool, hyphen: bool) -> str:
    born = _date(rng, dt.date(2020, 10, 1), dt.date(2025, 12, 31)) if since_2020 \
        else _date(rng, dt.date(1930, 1, 1), dt.date(2020, 9, 30))
    male = rng.random() < 0.5
    if born.year >= 2000:
        digit = ("7" if male else "8") if alien else ("3" if male else "4")
    else:
        digit = ("5" if male else "6") if alien else ("1" if male else "2")
    body = born.strftime("%y%m%d") + digit + f"{rng.randrange(10**5):05d}"
    last = str(rng.randrange(10)) if since_2020 else stdnum_rrn.calc_check_digit(body)
    number = body + last
    return f"{number[:6]}-{number[6:]}" if hyphen else number


def mobile(rng: random.Random) -> str:
    a, b = rng.randrange(2000, 9999), rng.randrange(1000, 9999)
    return rng.choice([f"010-{a}-{b}", f"010{a}{b}", f"010 {a} {b}", f"+82 10-{a}-{b}", f"+82-10-{a}-{b}",
                       f"010.{a}.{b}"])


def email(rng: random.Random) -> str:
    name = rng.choice(["kim", "lee.sj", "park77", "jh_choi", "minsu.kang", "yuna2001"]) + str(rng.randrange(100))
    return f"{name}@{rng.choice(['naver.com', 'gmail.com', 'daum.net', 'hanmail.net', 'kakao.com', 'nate.com'])}"


GENERATORS = {
    "resident_number": lambda r: registration_number(r, False, r.random() < 0.3, r.random() < 0.7),
    "alien_number": lambda r: registration_number(r, True, r.random() < 0.3, r.random() < 0.7),
    "mobile_phone": mobile,
    "phone": lambda r: r.choice([f"02-{r.randrange(200, 999)}-{r.randrange(1000, 9999)}",
                                 f"031-{r.randrange(200, 999)}-{r.randrange(1000, 9999)}",
                                 f"+1 415 555 {r.randrange(1000, 9999)}"]),
    "email": email,
    "passport_number": lambda r: f"여권번호 M{r.randrange(10**7, 10**8)}",
    "medical_record_number": lambda r: r.choice(["환자번호 ", "MRN ", "등록번호: "]) + str(r.randrange(10**6, 10**9)),
    "bank_account": lambda r: f"국민은행 {r.randrange(100000, 999999)}-{r.randrange(10, 99)}-"
                              f"{r.randrange(100000, 999999)}",
}


def masked(rng: random.Random) -> str:
    number = registration_number(rng, rng.random() < 0.3, False, True)
    return rng.choice([number[:8] + "******", number[:8] + "●●●●●●", number[:7] + "*******",
                       "010-****-" + number[-4:], "김모씨", "김○○"])


def real_articles() -> dict[str, str]:
    """Real-practice article text: each practice article's source and its translation, and the samples."""
    articles: dict[str, list[str]] = defaultdict(list)
    for name in ("practice.ko-en.tsv", "practice.en-ko.tsv"):
        with open(ROOT / "bench" / "data" / name, encoding="utf-8") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                articles[f"{name}:{row['article']}:source"].append(row["source"])
                articles[f"{name}:{row['article']}:target"].append(row["target"])
    texts = {key: "\n".join(lines) for key, lines in articles.items()}
    for path in sorted((ROOT / "src" / "gnews_i18n" / "samples").iterdir()):
        texts[f"samples/{path.name}"] = path.read_text(encoding="utf-8")
    return texts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--per-kind", type=int, default=120)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    planted, hits, wrong_kind = Counter(), Counter(), Counter()
    for kind, make in GENERATORS.items():
        for i in range(args.per_kind):
            value = make(rng)
            template = (KO if i % 2 else EN)[i % 5]
            text = template.replace("{x}", value)
            planted[kind] += 1
            ident = value.split(" ", 1)[1] if kind in ("passport_number", "bank_account") else value
            ident = ident.split(": ")[-1].split(" ")[-1] if kind == "medical_record_number" else ident
            found = [f for f in find_personal_data(text) if ident in f.value or f.value in ident and len(f.value) > 6]
            if any(f.kind == kind for f in found):
                hits[kind] += 1
            elif found:
                wrong_kind[kind] += 1
            else:
                print(f"missed {kind}: {text}", file=sys.stderr)
    masked_alarms = 0
    for i in range(args.per_kind):
        text = (KO if i % 2 else EN)[i % 5].replace("{x}", masked(rng))
        masked_alarms += bool(find_personal_data(text))
    policy = load_policy()
    articles = real_articles()
    alarms = []
    for key, text in articles.items():
        for finding, action in policy.findings(text):
            alarms.append((key, finding, action))
    for kind in GENERATORS:
        print(f"{kind:24} recall {hits[kind]}/{planted[kind]} ({100 * hits[kind] / planted[kind]:.1f}%)"
              + (f", {wrong_kind[kind]} found as another kind" if wrong_kind[kind] else ""))
    for key, finding, action in alarms:
        print(f"false alarm ({action}) in {key}: {finding.kind} {finding.value!r}")
    blocking = sum(action == "block" for _, _, action in alarms)
    total_planted, total_hits = sum(planted.values()), sum(hits.values())
    share = 100 * total_hits / total_planted
    print(f"privacy: recall {total_hits}/{total_planted} planted identifiers ({share:.1f}%); "
          f"masked forms flagged {masked_alarms}/{args.per_kind}; false alarms on {len(articles)} real articles: "
          f"{len(alarms)} ({blocking} blocking) = {100 * len(alarms) / len(articles):.1f} per 100 articles")
    return 0 if total_hits == total_planted and masked_alarms == 0 and len(alarms) * 100 <= len(articles) else 1


if __name__ == "__main__":
    sys.exit(main())
