"""A generated dated registry and articles dated across its ranges (used by ``term_accuracy``).

People: Korean names (surname + two syllables), 1–3 consecutive posts each between 2015
and 2025, titles of both kinds (head: 지사/시장 rendered "Gyeonggi Governor Kim …";
officer: an appositive). Institutions: each renamed once on a random day, in three ways
(both languages, English only, Korean only, so that one direction or the other can only
choose the right form by the date); a third carry an English abbreviation.

An article (title + lead + two sentences) names one person and one institution twice:
the title and lead hold the first mentions, the rest later ones; a third of the articles
name the person first without a title (the translation then names no post either).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from gnews_i18n.terms.csvfile import read_csv
from gnews_i18n.terms.glossary import Glossary
from gnews_i18n.terms.names import SURNAMES, romanize_name
from gnews_i18n.terms.people import read_people

START, END = dt.date(2015, 1, 1), dt.date(2025, 12, 31)
PLACES = [("경기도", "Gyeonggi-do", "Gyeonggi"), ("수원시", "Suwon City", "Suwon"), ("용인시", "Yongin City", "Yongin"),
          ("성남시", "Seongnam City", "Seongnam"), ("강원도", "Gangwon-do", "Gangwon"),
          ("충청북도", "Chungcheongbuk-do", "Chungbuk")]
OFFICER_TITLES = [("보건의료과장", "Director of the Health and Medical Division"), ("감염병관리과장", "Director of the "
                  "Infectious Disease Control Division"), ("보건건강국장", "Head of the Health and Medical Department"),
                  ("복지국장", "Head of the Welfare Department"), ("공공의료팀장", "Head of the Public Health Team"),
                  ("행정1부지사", "First Vice Governor"), ("의료정책과장", "Director of the Medical Policy Division")]
HEAD_TITLES = {"도": ("지사", "Governor"), "시": ("시장", "Mayor")}
GIVEN = "민서지현우준영수진호성희정은혜상철용태동원재훈석주연아"
INSTITUTION_KINDS = [("의료원", "Medical Center", "MC"), ("보건소", "Public Health Center", "PHC"),
                     ("감염병센터", "Infectious Disease Center", "IDC"), ("재활병원", "Rehabilitation Hospital", "RH")]
RENAMED_PREFIX = [("신", "New"), ("통합", "Integrated"), ("공공", "Public"), ("광역", "Regional")]


def _day(rng: random.Random, low: dt.date, high: dt.date) -> dt.date:
    return low + dt.timedelta(days=rng.randrange(max(1, (high - low).days)))


def _names(rng: random.Random, count: int) -> list[tuple[str, str]]:
    surnames = [s for s in SURNAMES if len(s) == 1]
    seen, names = set(), []
    while len(names) < count:
        hangul = rng.choice(surnames) + rng.choice(GIVEN) + rng.choice(GIVEN)
        english = romanize_name(hangul)
        if hangul in seen or english is None or english in {n for _, n in names}:
            continue
        seen.add(hangul)
        names.append((hangul, english))
    return names


def people_csv(rng: random.Random, count: int = 220) -> str:
    rows = ["id,ko,en,org_ko,org_en,title_ko,title_en,title_type,from,to"]
    for index, (hangul, english) in enumerate(_names(rng, count)):
        cuts = sorted(_day(rng, START, END) for _ in range(rng.randint(0, 2)))
        bounds = [START, *cuts, END]
        titles = rng.sample(OFFICER_TITLES, k=len(bounds) - 1)
        for number, (low, high) in enumerate(zip(bounds, bounds[1:], strict=False)):
            place = rng.choice(PLACES)
            if number == 0 and index % 5 == 0:  # a fifth of the people start as governor or mayor
                title_ko, title_en = HEAD_TITLES[place[0][-1]]
                org_en, kind = place[2], "head"
            else:
                (title_ko, title_en), org_en, kind = titles[number], place[1], "officer"
            start = low if number == 0 else low + dt.timedelta(days=1)
            rows.append(f"p{index},{hangul if number == 0 else ''},{english if number == 0 else ''},{place[0]},"
                        f"{org_en},{title_ko},{title_en},{kind},{start},{high}")
    return "\n".join(rows) + "\n"


def glossary_csv(rng: random.Random, count: int = 60, ids: bool = True) -> str:
    """The renamed institutions, two dated rows each; ``ids`` false: the same rows with the id
    column left empty, as a newsroom writes them (rows sharing a form are then one concept)."""
    rows = ["id,type,ko,en,en_abbr,valid_from,valid_to"]
    for index in range(count):
        place = PLACES[index % len(PLACES)]
        kind_ko, kind_en, abbr = INSTITUTION_KINDS[index % len(INSTITUTION_KINDS)]
        new_ko, new_en = RENAMED_PREFIX[index % len(RENAMED_PREFIX)]
        unique = f"{index + 1}"
        old = (f"{place[0]} 제{unique}{kind_ko}", f"{place[1]} No. {unique} {kind_en}")
        way = index % 3  # 0: both renamed, 1: English only, 2: Korean only
        new = (f"{place[0]} {new_ko}제{unique}{kind_ko}" if way != 1 else old[0],
               f"{new_en} {place[1]} No. {unique} {kind_en}" if way != 2 else old[1])
        short = f"{place[2][:1]}{abbr}{unique}" if index % 3 == 0 else ""
        day = _day(rng, dt.date(2017, 1, 1), dt.date(2024, 1, 1))
        key = f"i{index}" if ids else ""
        rows.append(f"{key},institution,{old[0]},{old[1]},{short},,{day - dt.timedelta(days=1)}")
        rows.append(f"{key},institution,{new[0]},{new[1]},{short},{day},")
    return "\n".join(rows) + "\n"


@dataclass
class Dated:
    glossary: Glossary
    registry: object
    renamed: int
    concepts: dict[str, set[str]]  # each institution's key → the Korean forms of its rows


def build(seed: int = 14, ids: bool = True) -> Dated:
    """The registry and the glossary (``ids`` false: the same glossary without its id column's values)."""
    rng = random.Random(seed)
    text = glossary_csv(rng, ids=ids)
    glossary, problems = read_csv("generated-glossary.csv", text)
    registry, more = read_people("generated-people.csv", people_csv(rng))
    if problems or more:
        raise SystemExit("\n".join(str(p) for p in problems + more))
    concepts: dict[str, set[str]] = {}
    for index, term in enumerate(glossary.terms):
        concepts.setdefault(f"i{index // 2}", set()).add(term.forms["ko"])
    return Dated(glossary, registry, len(concepts), concepts)


def concept_on(data: Dated, key: str, day: dt.date):
    """The institution ``key`` as the glossary's view of ``day`` holds it (without ids, a rename in
    both languages leaves two concepts: the one valid on the day)."""
    from gnews_i18n.terms.periods import as_of

    forms = data.concepts[key]
    found = [t for t in as_of(data.glossary, day).terms
             if t.forms.get("ko") in forms or any(p.forms.get("ko") in forms for p in t.periods)]
    return next((t for t in found if t.valid_on(day)), found[0])


@dataclass
class Article:
    day: dt.date
    person: object
    institution: str  # the concept's key (its id where the glossary has ids)
    titled_first: bool  # the first mention writes the title (else the name alone)


def articles(data: Dated, rng: random.Random, count: int) -> list[Article]:
    people = [p for p in data.registry.people if p.posts]
    ids = sorted(data.concepts)
    found = []
    while len(found) < count:
        person = rng.choice(people)
        post = rng.choice(person.posts)
        day = _day(rng, post.start or START, post.end or END)  # a day inside one of the person's posts
        found.append(Article(day, person, rng.choice(ids), rng.random() > 0.33))
    return found


def source_sentences(article: Article, data: Dated, lang: str) -> list[str]:
    """The article as its writer would put it, in ``lang``: the forms valid on its date."""
    from gnews_i18n.terms.style import load_style

    style = load_style(lang)
    term = concept_on(data, article.institution, article.day)
    person, post = article.person, article.person.post_on(article.day)
    first = style.person(person, post, True) if article.titled_first else person.names[lang]
    later = style.person(person, post, False)
    name = term.form(lang)
    if lang == "ko":
        return [f"{name}, {first} 방문", f"{first}{_particle(first, '은')} {name}{_particle(name, '을')} 방문했다.",
                f"{later}{_particle(later, '은')} 협력을 약속했다.", f"{name}{_particle(name, '은')} 계획을 밝혔다."]
    return [f"{first} visits {name}", f"{first} visited {name} on Tuesday.", f"{later} promised cooperation.",
            f"{name} announced the plan."]


def _particle(word: str, particle: str) -> str:
    from gnews_i18n.terms.korean import agree

    return agree(word, particle)


def expected_forms(article: Article, data: Dated, lang: str) -> dict[str, tuple[str, str, list[str]]]:
    """For the person and the institution: (first form, later form, forms of other dates) in ``lang``."""
    from gnews_i18n.terms.style import load_style

    style = load_style(lang)
    term = concept_on(data, article.institution, article.day)
    full, abbr, short = term.form(lang), term.abbreviations.get(lang, ""), term.short_forms.get(lang, "")
    others = [p.form(lang) for p in term.periods if p.form(lang) != full]
    person, post = article.person, article.person.post_on(article.day)
    wrong = [style.person(person, p, True) for p in person.posts if p is not post]
    # named without a title first: the name alone, and later what that first mention makes (no title added)
    first, later = ((style.person(person, post, True), style.person(person, post, False)) if article.titled_first
                    else (style.bare(person, True), style.bare(person, False)))
    return {"person": (first, later, wrong),
            "institution": (style.concept(full, abbr, short, True), style.concept(full, abbr, short, False), others)}


# Which segments mention what: the title and lead first, then later mentions.
MENTIONS = {"person": (0, 1, 2), "institution": (0, 1, 3)}
