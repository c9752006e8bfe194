"""A parallel ko↔en corpus of newsletter sentences, generated from templates.

It trains the small test models of ``mt.training``. Sentences are about delegations,
hospitals, provincial programmes, dates and figures; every Korean particle after a
filler agrees with it (``terms.korean.agree``), and some fillers are made-up foreign
names. How the Korean side writes them is the corpus knob ``names`` (``NAME_STYLES``;
``models make-test --trained --names``):

- ``copied`` (default): the Latin spelling on both sides (``Kavimo``), so the model learns
  to copy a Latin name it never saw;
- ``transliterated``: the Korean side writes the name in Hangul (``카비모``) and has no Latin
  names at all, as most Korean news does: the model learns to write a foreign name its own
  way into Korean and, into English, to romanize a Hangul name, and copies a Latin name
  in a Korean sentence poorly (it never saw one).

Two disjoint sets of fillers: ``TRAIN`` (what the model learns) and ``UNSEEN`` (names,
institutions, places and programmes it never sees): benchmarks and tests build their
glossaries from the second, so the model renders those terms wrongly unless enforcement
does its job.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

from gnews_i18n.terms.korean import agree

# Latin syllables and their Korean readings: made-up names are built from them, with a
# reading, so a particle after one agrees as it would after a real foreign name.
LATIN_SYLLABLES = [
    ("ka",
     "카"), ("ko", "코"), ("ri", "리"), ("na", "나"), ("mo", "모"), ("de", "데"), ("lu", "루"), ("vi", "비"),
    ("sa",
     "사"), ("to", "토"), ("ne", "네"), ("pa", "파"), ("zo", "조"), ("bel", "벨"), ("ren", "렌"),
    ("tek",
     "텍"), ("lin", "린"), ("dor", "도르"), ("mar", "마르"), ("fi", "피"), ("gu", "구"), ("ha", "하"),
    ("ju",
     "주"), ("xe", "제"), ("ol", "올"), ("vex", "벡스"), ("tan", "탄"), ("sul", "술"), ("mi", "미"),
]


@dataclass(frozen=True)
class Filler:
    ko: str
    en: str
    reading: str = ""  # how a Latin-script filler is read in Korean (particle agreement)


@dataclass
class Fillers:
    inst: list[Filler] = field(default_factory=list)
    place: list[Filler] = field(default_factory=list)
    country: list[Filler] = field(default_factory=list)
    person: list[Filler] = field(default_factory=list)
    prog: list[Filler] = field(default_factory=list)


def _cities(pairs: str) -> list[tuple[str, str]]:
    return [tuple(item.split("/")) for item in pairs.split()]


_TRAIN_CITIES = _cities("수원/Suwon 성남/Seongnam 안산/Ansan 용인/Yongin 고양/Goyang 부천/Bucheon 화성/Hwaseong "
                        "평택/Pyeongtaek 의정부/Uijeongbu 시흥/Siheung 파주/Paju 김포/Gimpo 광명/Gwangmyeong "
                        "군포/Gunpo 이천/Icheon 오산/Osan 안양/Anyang 남양주/Namyangju 하남/Hanam 구리/Guri")
_UNSEEN_CITIES = _cities("순천/Suncheon 목포/Mokpo 여수/Yeosu 전주/Jeonju 군산/Gunsan 익산/Iksan 춘천/Chuncheon "
                         "원주/Wonju 강릉/Gangneung 천안/Cheonan 청주/Cheongju 충주/Chungju 포항/Pohang "
                         "경주/Gyeongju 안동/Andong 진주/Jinju 창원/Changwon 김해/Gimhae 통영/Tongyeong 속초/Sokcho")
_INST_KINDS = [("의료원", "Medical Center"), ("대학교병원", "University Hospital"), ("시립병원", "City Hospital"),
               ("보건소", "Public Health Center"), ("재활병원", "Rehabilitation Hospital")]
_TRAIN_PROVINCES = _cities("경기도/Gyeonggi-do 강원도/Gangwon-do 충청남도/Chungcheongnam-do 경상북도/Gyeongsangbuk-do "
                           "인천시/Incheon 대전시/Daejeon")
_UNSEEN_PROVINCES = _cities("전라남도/Jeollanam-do 전라북도/Jeollabuk-do 제주도/Jeju-do 경상남도/Gyeongsangnam-do "
                            "광주시/Gwangju 울산시/Ulsan")
_TRAIN_COUNTRIES = _cities("우즈베키스탄/Uzbekistan 몽골/Mongolia 베트남/Vietnam 카자흐스탄/Kazakhstan 러시아/Russia "
                           "태국/Thailand 중국/China 일본/Japan")
_UNSEEN_COUNTRIES = _cities("키르기스스탄/Kyrgyzstan 라오스/Laos 캄보디아/Cambodia 인도네시아/Indonesia "
                            "미얀마/Myanmar 네팔/Nepal 튀르키예/Türkiye 이집트/Egypt")
_TRAIN_SURNAMES = _cities("김/Kim 이/Lee 박/Park 최/Choi 정/Jung 강/Kang 조/Cho 윤/Yoon")
_UNSEEN_SURNAMES = _cities("장/Jang 임/Lim 한/Han 오/Oh 서/Seo 신/Shin 권/Kwon 황/Hwang")
_TRAIN_GIVEN = _cities("민수/Min-su 서연/Seo-yeon 지훈/Ji-hun 하은/Ha-eun 동현/Dong-hyeon 수빈/Su-bin "
                       "영호/Yeong-ho 미경/Mi-gyeong 성민/Seong-min 은정/Eun-jeong")
_UNSEEN_GIVEN = _cities("태윤/Tae-yun 가람/Ga-ram 준서/Jun-seo 나래/Na-rae 우진/U-jin 보름/Bo-reum "
                        "재석/Jae-seok 하늘/Ha-neul 도윤/Do-yun 소율/So-yul")
_TITLES = [("원장", "President"), ("국장", "Director"), ("부지사", "Vice Governor"), ("시장", "Mayor"),
           ("교수", "Professor")]
_TRAIN_PROGS = _cities("의료관광/Medical-Tourism 건강검진/Health-Screening 재활치료/Rehabilitation "
                       "원격진료/Telemedicine 해외환자유치/Foreign-Patient 감염병대응/Infectious-Disease "
                       "공공의료/Public-Healthcare")
_UNSEEN_PROGS = _cities("치매관리/Dementia-Care 응급의료/Emergency-Care 모자보건/Maternal-Health "
                        "정신건강/Mental-Health 금연지원/Smoking-Cessation 희귀질환/Rare-Disease 방문간호/Home-Nursing")
_PROG_KINDS = [("지원 사업", "Support Program"), ("협력 사업", "Cooperation Project"), ("시범 사업", "Pilot Project")]


def _fillers(cities, provinces, countries, surnames, given, progs) -> Fillers:
    fillers = Fillers()
    fillers.inst = [Filler(f"{ko}{kind_ko}", f"{en} {kind_en}") for ko, en in cities
                    for kind_ko, kind_en in _INST_KINDS]
    fillers.place = [Filler(ko, en) for ko, en in cities + provinces]
    fillers.country = [Filler(ko, en) for ko, en in countries]
    fillers.person = [Filler(f"{sk}{gk} {tk}", f"{te} {se} {ge}") for sk, se in surnames for gk, ge in given
                      for tk, te in _TITLES]
    fillers.prog = [Filler(f"{ko} {kind_ko}", f"{en.replace('-', ' ')} {kind_en}") for ko, en in progs
                    for kind_ko, kind_en in _PROG_KINDS]
    return fillers


TRAIN = _fillers(_TRAIN_CITIES, _TRAIN_PROVINCES, _TRAIN_COUNTRIES, _TRAIN_SURNAMES, _TRAIN_GIVEN, _TRAIN_PROGS)
UNSEEN = _fillers(_UNSEEN_CITIES, _UNSEEN_PROVINCES, _UNSEEN_COUNTRIES, _UNSEEN_SURNAMES, _UNSEEN_GIVEN,
                  _UNSEEN_PROGS)

_DAYS = [("월요일", "Monday"), ("화요일", "Tuesday"), ("수요일", "Wednesday"), ("목요일", "Thursday"),
         ("금요일", "Friday")]
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]

# (Korean, English). {slot} or {slot:particle}; the particle is made to agree with the filler.
TEMPLATES: list[tuple[str, str]] = [
    ("{place:은} {day} {inst}에서 {prog} 설명회를 개최했다.",
     "On {day}, {place} held a briefing on the {prog} at {inst}."),
    ("{country} 대표단이 {day} {inst:을} 방문했다.",
     "A delegation from {country} visited {inst} on {day}."),
    ("{person:은} 환자 {num}명이 {prog}에 참여했다고 밝혔다.",
     "{person} said {num} patients took part in the {prog}."),
    ("{inst:와} {inst2:은} 업무협약을 체결했다.",
     "{inst} and {inst2} signed a memorandum of understanding."),
    ("{place:은} 올해 {prog}에 {num}억 원을 투입한다.",
     "{place} will invest {num}00 million won in the {prog} this year."),
    ("{person:은} {date} {country:을} 방문할 예정이다.",
     "{person} will visit {country} on {date}."),
    ("{inst:은} {country} 환자 {num}명을 치료했다.",
     "{inst} treated {num} patients from {country}."),
    ("{prog:은} {date}까지 {place}에서 진행된다.",
     "The {prog} runs in {place} until {date}."),
    ("{person:은} {inst:과} {prog} 협력 방안을 논의했다.",
     "{person} discussed cooperation on the {prog} with {inst}."),
    ("{inst:은} {day} {country} 의료진 {num}명을 초청했다.",
     "{inst} invited {num} medical staff from {country} on {day}."),
    ("{place:은} {inst:을} {prog} 거점병원으로 지정했다.",
     "{place} designated {inst} as a hub hospital for the {prog}."),
    ("{country} 보건부 대표단은 {inst:와} {place:을} 차례로 방문했다.",
     "The delegation of the {country} health ministry visited {inst} and {place} in turn."),
    ("{person:이} {date} {inst}에서 기조연설을 했다.",
     "{person} gave a keynote speech at {inst} on {date}."),
    ("{inst}의 외국인 환자는 전년보다 {num}% 늘었다.",
     "Foreign patients at {inst} rose by {num}% from the previous year."),
    ("{place:은} {country:와} 의료관광 협약을 맺었다.",
     "{place} signed a medical tourism agreement with {country}."),
    ("{person:은} 이번 방문이 {prog}의 성과라고 말했다.",
     "{person} said the visit was a result of the {prog}."),
    ("{person:은} {day} {person2:와} 만났다.",
     "{person} met {person2} on {day}."),
    ("{inst:은} {date} {prog:을} 시작한다.",
     "{inst} will start the {prog} on {date}."),
    ("{country} 의료진 {num}명이 {inst:에서} 연수를 받았다.",
     "{num} medical staff from {country} trained at {inst}."),
    ("{place} 관계자는 {prog:이} 큰 호응을 얻었다고 전했다.",
     "An official from {place} said the {prog} was well received."),
]

LATIN_SHARE = 0.25  # of entity slots filled with a made-up foreign name
NAME_STYLES = ("copied", "transliterated")  # how the Korean side writes such a name (module docstring)


def latin_name(rng: random.Random, names: str = "copied") -> Filler:
    """A made-up Latin-script name with its Korean reading (Kavimo → 카비모); with ``names``
    ``transliterated`` the Korean side is the reading itself."""
    syllables = [rng.choice(LATIN_SYLLABLES) for _ in range(rng.choice((2, 2, 3)))]
    name = "".join(s[0] for s in syllables).capitalize()
    reading = "".join(s[1] for s in syllables)
    if names == "transliterated":
        return Filler(reading, name)  # a Hangul filler: particles agree with it as written
    return Filler(name, name, reading)


@dataclass(frozen=True)
class Pair:
    ko: str
    en: str
    slots: tuple[tuple[str, Filler], ...]  # the fillers, in the order they appear in the English template


def _slot_kind(name: str) -> str:
    return re.sub(r"\d$", "", name)


def fill(template: tuple[str, str], values: dict[str, Filler], day: tuple[str, str], date: tuple[str, str],
         num: str) -> Pair:
    ko_template, en_template = template

    def ko_slot(match: re.Match) -> str:
        name, particle = match.group(1), match.group(2)
        if name == "day":
            return day[0]
        if name == "date":
            return date[0]
        if name == "num":
            return num
        filler = values[name]
        return filler.ko + (agree(filler.ko, particle, filler.reading or None) if particle else "")

    def en_slot(match: re.Match) -> str:
        name = match.group(1)
        return {"day": day[1], "date": date[1], "num": num}.get(name) or values[name].en

    ko = re.sub(r"\{(\w+)(?::(\w+))?\}", ko_slot, ko_template)
    en = re.sub(r"\{(\w+)\}", en_slot, en_template)
    en = en[0].upper() + en[1:]
    order = tuple((n, values[n]) for n in re.findall(r"\{(\w+)\}", en_template) if n in values)
    return Pair(ko, en, order)


def sample_pair(rng: random.Random, fillers: Fillers, latin_share: float = LATIN_SHARE,
                template: tuple[str, str] | None = None, names: str = "copied") -> Pair:
    template = template or rng.choice(TEMPLATES)
    slots = set(re.findall(r"\{(\w+)", template[1])) - {"day", "date", "num"}
    values: dict[str, Filler] = {}
    for name in sorted(slots):
        pool = getattr(fillers, _slot_kind(name))
        choice = latin_name(rng, names) if rng.random() < latin_share else rng.choice(pool)
        while choice in values.values():
            choice = rng.choice(pool)
        values[name] = choice
    month, day_of_month = rng.randrange(12), rng.randint(1, 28)
    date = (f"{month + 1}월 {day_of_month}일", f"{_MONTHS[month]} {day_of_month}")
    num = str(rng.choice((rng.randint(2, 99), rng.randint(100, 999))))
    return fill(template, values, rng.choice(_DAYS), date, num)


def make_corpus(count: int, seed: int, fillers: Fillers = TRAIN, latin_share: float = LATIN_SHARE,
                names: str = "copied") -> list[Pair]:
    """``count`` distinct pairs, each template used about equally often; ``names``: how the
    Korean side writes a made-up foreign name (``NAME_STYLES``)."""
    if names not in NAME_STYLES:
        raise ValueError(f"names must be one of {', '.join(NAME_STYLES)}, not {names!r}")
    rng = random.Random(seed)
    pairs: dict[str, Pair] = {}
    attempts = 0
    while len(pairs) < count and attempts < count * 20:
        template = TEMPLATES[attempts % len(TEMPLATES)]
        attempts += 1
        pair = sample_pair(rng, fillers, latin_share, template, names)
        pairs.setdefault(pair.ko, pair)
    return list(pairs.values())
