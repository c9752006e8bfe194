"""Korean person names that the glossary does not know: find them, suggest a romanization.

A name here is a Hangul word of two to four syllables that starts with a Korean surname,
standing before a title or 씨 (엄원자 국장은, 오병권 경기도 행정1부지사는). The suggestion
follows the newsletter's convention: family name first in its customary spelling
(Kim, Lee, Park, Oh, Eom …), given name in Revised Romanization syllable by syllable,
hyphenated (Eom Won-ja, Oh Byeong-gwon). It is a suggestion, flagged ``name_suggested``
for a reviewer to confirm into the glossary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Customary spellings of the common surnames (the newsletter's, and the press's).
SURNAMES = {
    "김": "Kim", "이": "Lee", "박": "Park", "최": "Choi", "정": "Jung", "강": "Kang", "조": "Cho", "윤": "Yoon",
    "장": "Jang", "임": "Lim", "한": "Han", "오": "Oh", "서": "Seo", "신": "Shin", "권": "Kwon", "황": "Hwang",
    "안": "Ahn", "송": "Song", "류": "Ryu", "유": "Yoo", "전": "Jeon", "홍": "Hong", "고": "Ko", "문": "Moon",
    "양": "Yang", "손": "Son", "배": "Bae", "백": "Baek", "허": "Heo", "남": "Nam", "심": "Shim", "노": "Noh",
    "하": "Ha", "곽": "Kwak", "성": "Sung", "차": "Cha", "주": "Joo", "우": "Woo", "구": "Koo", "민": "Min",
    "엄": "Eom", "원": "Won", "천": "Cheon", "방": "Bang", "공": "Kong", "현": "Hyun", "함": "Ham", "변": "Byun",
    "염": "Yeom", "여": "Yeo", "추": "Choo", "도": "Do", "석": "Seok", "선": "Sun", "설": "Seol", "마": "Ma",
    "길": "Gil", "연": "Yeon", "표": "Pyo", "명": "Myung", "기": "Ki", "반": "Ban", "왕": "Wang", "금": "Keum",
    "옥": "Ok", "육": "Yuk", "인": "In", "맹": "Maeng", "제": "Je", "모": "Mo", "탁": "Tak", "국": "Kook",
    "진": "Jin", "지": "Ji", "채": "Chae", "나": "Na", "용": "Yong", "경": "Kyung", "편": "Pyun", "봉": "Bong",
    "남궁": "Namgoong", "제갈": "Jegal", "황보": "Hwangbo", "선우": "Sunwoo", "독고": "Dokgo", "사공": "Sagong",
}
TITLES = (
    "씨", "님", "원장", "병원장", "국장", "과장", "팀장", "실장", "부장", "센터장", "본부장", "지사", "도지사",
    "부지사", "시장", "군수", "구청장", "의원", "장관", "차관", "총장", "교수", "이사장", "회장", "대표",
    "위원장", "주무관", "사무관", "서기관", "간호사", "의사", "박사", "기자", "소장", "부원장", "단장", "처장",
)

_INITIALS = ["g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h"]
_VOWELS = ["a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi",
           "yu", "eu", "ui", "i"]
_FINALS = ["", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t",
           "ng", "t", "t", "k", "t", "p", "t"]
PLACE_SUFFIXES = ("도", "시", "군", "구", "읍", "면")
_EU = 18  # ㅡ: an open syllable with it (르, 크, 트 …) marks a transliterated foreign name
# 도 ("also") is left out: stripping it would turn 경기도 into a name.
_TITLE_OR_HONORIFIC = re.compile("|".join(map(re.escape, (*TITLES, "씨", "님"))))
_PARTICLES = re.compile(r"(은|는|이|가|을|를|의|와|과|에게|께서|으로|로)$")


def romanize_syllable(syllable: str, initial: bool) -> str:
    code = ord(syllable) - 0xAC00
    lead, vowel, tail = code // 588, (code % 588) // 28, code % 28
    onset = _INITIALS[lead]
    if onset == "r" and initial:
        onset = "r"  # RR keeps r for names' first letters after the hyphen (Ri-, Ryu-)
    return onset + _VOWELS[vowel] + _FINALS[tail]


def romanize_name(name: str) -> str | None:
    """Family name first, given name hyphenated: 엄원자 → Eom Won-ja."""
    for length in (2, 1):
        surname = name[:length]
        if surname in SURNAMES and 1 <= len(name) - length <= 2:
            given = [romanize_syllable(s, i == 0) for i, s in enumerate(name[length:])]
            return f"{SURNAMES[surname]} {'-'.join(given).capitalize()}"
    return None


def _plausible(name: str) -> bool:
    for syllable in name:
        code = ord(syllable) - 0xAC00
        if not 0 <= code < 11172:
            return False
        if (code % 588) // 28 == _EU and code % 28 == 0:
            return False
    return True


@dataclass(frozen=True)
class NameSuggestion:
    start: int
    end: int
    hangul: str
    suggestion: str


_TIME_SUFFIXES = ("요일",)
_TIME_WORDS = {"오늘", "내일", "어제", "올해", "지난해", "내년", "이날", "당일"}


def _strip_particle(word: str) -> str:
    return _PARTICLES.sub("", word)


def _is_title(word: str) -> bool:
    return _strip_particle(word).endswith(TITLES)


def find_names(text: str, known: set[str] | None = None) -> list[NameSuggestion]:
    """Korean person names standing before a title within the next two words (or with 씨/님 attached)."""
    if not _TITLE_OR_HONORIFIC.search(text):  # most sentences: no title, no 씨/님, so no name to suggest
        return []
    known = known or set()
    words = [(m.start(), m.group()) for m in re.finditer(r"\S+", text)]
    found = []
    for index, (start, word) in enumerate(words):
        bare = _strip_particle(word)
        attached = re.fullmatch(r"([\uac00-\ud7a3]{2,4})(씨|님)", bare)
        if attached:
            name, titled = attached.group(1), True
        elif re.fullmatch(r"[\uac00-\ud7a3]{2,4}", bare) and not _is_title(bare):
            name = bare
            titled = any(_is_title(w) for _, w in words[index + 1:index + 3])
        else:
            continue
        if name.endswith(PLACE_SUFFIXES):  # 경기도 보건건강국장: a place before the title, not a name
            continue
        if name.endswith(_TIME_SUFFIXES) or name in _TIME_WORDS:  # 금요일 임태윤 시장: a day, not Keum Yo-il
            continue
        if not titled or name in known or bare in known or not _plausible(name) or romanize_name(name) is None:
            continue
        found.append(NameSuggestion(start, start + len(name), name, romanize_name(name)))
    return found
