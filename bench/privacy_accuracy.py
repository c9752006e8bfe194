"""How well the privacy finders do: recall on generated identifiers (patients' names in context
among them) planted in Korean and English news sentences, no finding on masked forms, and false
alarms on a precision set of article text (see ``precision_set``): the project's real articles,
articles made of the development corpus's newsletter sentences, and articles naming the people
registry's officials the way news does, beside patients.

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

from gnews_i18n.devmodels.corpus import TRAIN, UNSEEN, make_corpus
from gnews_i18n.privacy import load_policy
from gnews_i18n.privacy.finders import find_personal_data
from gnews_i18n.terms.people import load_registry

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


SURNAMES = [("김", "Kim"), ("이", "Lee"), ("박", "Park"), ("최", "Choi"), ("정", "Jung"), ("강", "Kang"),
            ("조", "Cho"), ("윤", "Yoon"), ("장", "Jang"), ("임", "Lim"), ("한", "Han"), ("오", "Oh"), ("서", "Seo"),
            ("신", "Shin"), ("권", "Kwon"), ("황", "Hwang"), ("송", "Song"), ("홍", "Hong"), ("문", "Moon"),
            ("배", "Bae"), ("남궁", "Namgoong")]
GIVEN = [("민수", "Min-su"), ("서연", "Seo-yeon"), ("지훈", "Ji-hun"), ("하은", "Ha-eun"), ("동현", "Dong-hyeon"),
         ("수빈", "Su-bin"), ("영희", "Young-hee"), ("철수", "Chul-soo"), ("지은", "Ji-eun"), ("현우", "Hyun-woo"),
         ("미경", "Mi-kyung"), ("정호", "Jeong-ho"), ("순자", "Soon-ja"), ("예준", "Ye-jun"), ("다은", "Da-eun"),
         ("성민", "Sung-min"), ("은지", "Eun-ji"), ("태식", "Tae-sik"), ("옥순", "Ok-soon"), ("준", "Jun")]
# patients' names as medical news writes them ({ko}/{en}: the name, {age}: an age)
PATIENT_KO = ["환자 {ko} 씨는 지난 3일 폐렴 진단을 받고 입원했다.", "{ko}({age}) 씨가 응급실로 이송됐다.",
              "보호자 {ko}({age}) 씨는 치료비 지원을 요청했다.", "{ko} 환자는 수술 후 회복 중이다.",
              "{ko}({age}) 할머니는 투석 치료를 받고 있다.", "희귀병을 앓는 {ko} 군은 올해 {age}세다.",
              "입원 환자 {ko}({age}) 씨의 가족은 감사의 뜻을 전했다.", "{ko} 씨는 항암 치료를 마치고 퇴원했다."]
PATIENT_EN = ["The patient {en}, {age}, was admitted on Monday.", "{en}, {age}, was diagnosed with lung cancer.",
              "{en} ({age}) underwent surgery at the hospital.", "Her guardian, {en}, asked for support.",
              "Patient {en} was discharged after treatment.", "{en}, a {age}-year-old farmer, died in intensive care.",
              "Doctors said patient {en} is recovering.", "{en}, {age}, is on dialysis three times a week."]
PATIENT_NAME = "patient_name"


def patient_sentence(rng: random.Random, i: int) -> tuple[str, str]:
    (sk, se), (gk, ge) = rng.choice(SURNAMES), rng.choice(GIVEN)
    age = str(rng.randint(3, 95))
    if i % 2:
        return rng.choice(PATIENT_KO).format(ko=sk + gk, age=age), sk + gk
    name = f"{se} {ge}"
    return rng.choice(PATIENT_EN).format(en=name, age=age), name


def masked(rng: random.Random) -> str:
    number = registration_number(rng, rng.random() < 0.3, False, True)
    return rng.choice([number[:8] + "******", number[:8] + "●●●●●●", number[:7] + "*******",
                       "010-****-" + number[-4:], "김모씨", "김○○", "입원 환자 김모(45) 씨",
                       "환자 김○○ 씨는 진단을 받았다",
                       "A씨(45)는 입원했다", "patient K. (45) was admitted", "이 모 씨(52)가 응급실로 옮겨졌다"])


def corpus_articles(seed: int, count: int = 30, size: int = 8) -> dict[str, str]:
    """``count`` Korean and ``count`` English articles of ``size`` sentences each, from the
    development corpus (devmodels/corpus.py: newsletter sentences from templates, with made-up
    officials' names and titles, institutions, dates and figures; both filler sets)."""
    pairs = make_corpus(count * size // 2, seed, TRAIN) + make_corpus(count * size // 2, seed, UNSEEN)
    texts = {}
    for n in range(count):
        chunk = pairs[n * size:(n + 1) * size]
        texts[f"corpus:{n}:ko"] = " ".join(p.ko for p in chunk)
        texts[f"corpus:{n}:en"] = " ".join(p.en for p in chunk)
    return texts


REGISTRY_KO = ["{name}({age}) {title}은 20일 도립의료원을 찾아 입원 환자와 보호자들을 위로했다.",
               "{name} {title}은 \"응급 환자 이송 체계를 점검하겠다\"고 말했다.",
               "이날 {name}({age}) {title}과 의료진은 중환자실 병상 확충을 논의했다."]
REGISTRY_EN = ["{title} {name}, {age}, visited the provincial medical centre on March 20 to comfort admitted "
               "patients and their guardians.",
               "\"We will check how emergency patients are transferred,\" said {name}, {title_lower}.",
               "{name}, {age}, met the medical staff to discuss more intensive care beds."]


def registry_articles(rng: random.Random) -> dict[str, str]:
    """One Korean and one English article per official of glossaries/people.csv, naming them as
    news does — with an age in parentheses and beside patients — where they must not be flagged."""
    texts = {}
    for person in load_registry([ROOT / "glossaries" / "people.csv"]).people:
        post = person.posts[0] if person.posts else None
        title_ko = (post.title.get("ko") or "") if post else ""
        title_en = (post.title.get("en") or "") if post else ""
        age = rng.randint(45, 70)
        if person.names.get("ko"):
            texts[f"registry:{person.id}:ko"] = " ".join(
                t.format(name=person.names["ko"], age=age, title=title_ko or "관계자") for t in REGISTRY_KO)
        if person.names.get("en"):
            texts[f"registry:{person.id}:en"] = " ".join(
                t.format(name=person.names["en"], age=age, title=title_en or "Official",
                         title_lower=(title_en or "an official").lower()) for t in REGISTRY_EN)
    return texts


def korean_terms() -> list[str]:
    """Every Korean term of the glossaries and of the medical stems list: words that stand before
    환자 in medical news (심부전 환자, 경기도 환자) and must not be taken for a patient's name."""
    terms = set()
    for path in [ROOT / "glossaries" / "medical-gyeonggi.csv", ROOT / "bench" / "data" / "practice.glossary.csv"]:
        with open(path, encoding="utf-8") as handle:
            terms |= {row["ko"] for row in csv.DictReader(handle) if row.get("ko")}
    with open(ROOT / "bench" / "data" / "medical_negative_stems.tsv", encoding="utf-8") as handle:
        terms |= {line.split("\t")[0] for line in handle if line.strip() and not line.startswith(("#", "ko\t"))}
    return sorted(terms)


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
    names_rng = random.Random(args.seed + 1)  # its own draws: the other kinds' stay as they were
    for i in range(args.per_kind):
        text, name = patient_sentence(names_rng, i)
        planted[PATIENT_NAME] += 1
        found = [f for f in find_personal_data(text) if f.kind == PATIENT_NAME]
        if any(f.value == name for f in found):
            hits[PATIENT_NAME] += 1
        else:
            print(f"missed {PATIENT_NAME}: {text}", file=sys.stderr)
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
    registry = load_registry([ROOT / "glossaries" / "people.csv"])
    policy = load_policy().with_public_names(n for p in registry.people for n in p.names.values())
    sets = {"real": real_articles(), "corpus": corpus_articles(args.seed), "registry": registry_articles(names_rng)}
    articles = {key: text for texts in sets.values() for key, text in texts.items()}
    alarms = []
    for key, text in articles.items():
        for finding, action in policy.findings(text):
            alarms.append((key, finding, action))
    bare_registry_alarms = sum(len(find_personal_data(t)) for t in sets["registry"].values())
    terms = korean_terms()
    term_alarms = [t for t in terms if policy.findings(f"{t} 환자들은 치료를 받았다.")]
    for term in term_alarms:
        print(f"false alarm: {term} 환자 taken for a patient's name", file=sys.stderr)
    for kind in [*GENERATORS, PATIENT_NAME]:
        print(f"{kind:24} recall {hits[kind]}/{planted[kind]} ({100 * hits[kind] / planted[kind]:.1f}%)"
              + (f", {wrong_kind[kind]} found as another kind" if wrong_kind[kind] else ""))
    for key, finding, action in alarms:
        print(f"false alarm ({action}) in {key}: {finding.kind} {finding.value!r}")
    blocking = sum(action == "block" for _, _, action in alarms)
    total_planted, total_hits = sum(planted.values()), sum(hits.values())
    share = 100 * total_hits / total_planted
    per_set = ", ".join(f"{len(texts)} {name} {sum(key in texts for key, _, _ in alarms)}"
                        for name, texts in sets.items())
    print(f"precision set: {per_set} (articles, false alarms); registry officials reported before the registry "
          f"is applied: {bare_registry_alarms}; glossary terms before 환자 taken for a name: "
          f"{len(term_alarms)}/{len(terms)}")
    print(f"privacy: recall {total_hits}/{total_planted} planted identifiers ({share:.1f}%; patients' names "
          f"{hits[PATIENT_NAME]}/{planted[PATIENT_NAME]}); masked forms flagged {masked_alarms}/{args.per_kind}; "
          f"false alarms on {len(articles)} articles ({len(sets['real'])} real): "
          f"{len(alarms)} ({blocking} blocking) = {100 * len(alarms) / len(articles):.1f} per 100 articles")
    names_ok = hits[PATIENT_NAME] * 100 >= 95 * planted[PATIENT_NAME]
    others_ok = total_hits - hits[PATIENT_NAME] == total_planted - planted[PATIENT_NAME]
    return 0 if names_ok and others_ok and masked_alarms == 0 and len(alarms) * 100 <= len(articles) else 1


if __name__ == "__main__":
    sys.exit(main())
