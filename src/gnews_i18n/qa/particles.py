"""Korean particle agreement in any Korean text: 병원를 → 병원을, 서울으로 → 서울로.

Within a word, each particle whose form depends on the sound before it (을/를, 이/가,
은/는, 과/와, 아/야, (으)로 with the ㄹ rule, 이에요/예요, (이)라고, (이)나, (이)며 …)
must agree with the syllable it follows, or with the stored reading of a Latin-script
term (Revo-i → 레보아이) or a number (3 → 삼). A wrong one is an error whose message and
``fix`` give the right word.

Korean words can end in syllables that look like particles (평가, 내과, 경로, 분야, 있는),
so a mismatch only counts where the word is known to be a noun followed by particles:

- for combinations no Korean word has (를 after a consonant, 으로 after a vowel or ㄹ,
  와/예요/며/라고 after a consonant), and for those only a closed set of words has: 을/은/이
  after a vowel (마을, ㅅ-irregular 지을/지은, 나이, 사이 …), 는 after a consonant other
  than a verb stem's (있는, 받는), 가 after a consonant and 과 after a vowel outside the
  Sino-Korean nouns that end so (평가, 전문가, 분양가; 내과, 효과), 로 after a consonant
  outside 경로, 근로 …;
- for the other particles (아/야, (이)나, 이에요 …) and single-syllable words, when the word
  before them is a glossary term or name, a Latin-script or digit word (CT, 3명), a word
  with the plural 들, or a Hangul noun the text attests elsewhere (병원을, 병원의 … in the
  same text or the article).

A particle inside a longer word (가 in 가능) is never a particle: it must end the word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from gnews_i18n.flags import flag
from gnews_i18n.terms.korean import PAIRS, RIEUL, agree, final_consonant, is_particle_run, unquoted

VARIABLE = sorted({form for pair in PAIRS for form in pair if pair[0] != pair[1]}, key=len, reverse=True)
_CONSONANT_FORMS = {pair[0] for pair in PAIRS}
# After a vowel, the copula 이 may stay: 의사이며, 의사이라고, 의사이었다 are all correct.
_COPULA_KEPT = {"이라고", "이라는", "이며", "이나", "이고", "이다", "이었다", "이랑"}
# Words ending in 을 after a vowel that are not a particle: nouns, and ㅅ-irregular verb forms.
_EUL_WORDS = ("마을", "가을", "고을")
_SIOT_VERBS = {"나", "지", "이", "부", "그", "저"}
# Words ending in a vowel and 이 that are not a particle (나이, 사이, adverbs in -로이, -까이).
_I_WORDS = ("나이", "사이", "아이", "차이", "오이", "고이", "까이", "로이", "누이", "하이", "바이", "와이")
# Last syllables of verb stems that take the ending -는 after a consonant (있는, 받는, 찾는):
# after any other consonant-final syllable, 는 is a particle that should be 은.
_VERB_BEFORE_NEUN = set(
    "있없않받먹읽돕맞잡찍씻닫묻듣걷싣깎갖낳넣놓끊앉얹얻잃밝굶남넘숨뽑씹줍굽웃짓낫붓벗빗솟잇긋젓앗쫓맺찢"
    "짖꽂늦잊갚덮엎짚찾믿쌓끓뚫붙겪섞엮볶닦꺾낚묶꿇옮막딛밟핥읊훑")
_IP_VERBS = ("껴입", "갈아입", "차려입", "덧입", "껴안", "끌어안", "부둥켜안")
# Nouns that end in 가 after a consonant (평가, 전문가, 분양가 …) or 과 after a vowel (내과,
# 효과), or 로 after a consonant (경로, 근로): there the syllable is part of the word.
_GA_WORDS = ("평가", "증가", "국가", "추가", "참가", "물가", "휴가", "허가", "인가", "대가", "작가", "원가", "단가",
             "정가", "시가", "고가", "저가", "호가", "부가", "특가", "병가", "연가", "외가", "친가", "종가", "상가",
             "명가", "화가", "진가", "감가", "전문가", "예술가", "사업가", "기업가", "투자가", "음악가", "작곡가",
             "정치가", "건축가", "평론가", "소설가", "전략가", "활동가", "운동가", "애호가", "연구가", "법률가",
             "외교가", "자본가", "실업가", "사상가", "주택가", "대학가", "번화가", "상점가", "학원가", "분양가",
             "공시가", "감정가", "평균가", "시장가", "정상가", "판매가", "매매가", "거래가", "도매가", "소매가",
             "출고가")
_GWA_WORDS = ("내과", "외과", "치과", "효과", "부과", "초과", "사과", "교과", "이과", "아과", "후과", "취과", "미과")
_RO_WORDS = ("경로", "진로", "통로", "근로", "원로", "항로", "선로", "공로", "활로", "행로", "육로", "판로", "혈로",
             "양로")
# Two-syllable words that also end longer compounds (재평가, 소비자물가, 감염경로); the other
# two-syllable ones count only as whole words, so 병원가 is not taken for 원가.
_COMPOUND_HEADS = ("평가", "추가", "참가", "국가", "물가", "경로", "근로", "통로", "진로")


def _lexical(word: str, words: tuple[str, ...]) -> bool:
    return any(word == w or (word.endswith(w) and (len(w) > 2 or w in _COMPOUND_HEADS)) for w in words)
_TITLE_AFTER = re.compile(r"\s*(?:씨|님|교수|원장|국장|의원|대표|박사|기자|과장|팀장)")
_WORD = re.compile(r"[^\s]+")
_EDGE = "\"'“”‘’「」『』()[]<>.,!?;:…·~"
# A particle that can only be unambiguous evidence that the word before it is a noun.
_NOUN_EVIDENCE = ("을", "를", "의", "에", "에서", "에게", "에는", "에도", "까지", "부터", "으로", "로", "과", "와")


def _strip(token: str) -> tuple[int, str]:
    """(offset, word): the token without surrounding quotes and punctuation."""
    left = len(token) - len(token.lstrip(_EDGE))
    return left, token.strip(_EDGE)


def _particle_at(word: str, index: int) -> str | None:
    """The variable particle starting at ``index`` if the rest of the word is particles."""
    for particle in VARIABLE:
        if word.startswith(particle, index):
            rest = word[index + len(particle):]
            if not rest or is_particle_run(rest):
                return particle
    return None


def _always_wrong(host: str, particle: str, final: int) -> bool:
    """Combinations that no Korean word has, so the particle is wrong whatever ``host`` is."""
    vowel = final == 0
    if particle == "를" or particle.startswith("예") or particle in ("와", "며"):
        return not vowel and not (particle == "며" and final == RIEUL)
    if particle in ("라고", "라는"):
        return not vowel and final != RIEUL
    if particle.startswith("으로"):
        return vowel or final == RIEUL
    if particle == "을":
        return vowel and not (host + particle).endswith(_EUL_WORDS) and host not in _SIOT_VERBS
    if particle == "은":  # -은 after a vowel is never an ending, bar ㅅ-irregular 지은, 나은
        return vowel and host not in _SIOT_VERBS
    if particle == "이":
        return vowel and not (host + particle).endswith(_I_WORDS)
    if particle == "는":
        return not vowel and len(host) >= 2 and host[-1] not in _VERB_BEFORE_NEUN and not host.endswith(_IP_VERBS)
    if particle == "가":
        return not vowel and len(host) >= 2 and not _lexical(host + particle, _GA_WORDS)
    if particle == "과":
        return vowel and not (host + particle).endswith(_GWA_WORDS)
    if particle == "로":
        return not vowel and final != RIEUL and len(host) >= 2 and not _lexical(host + particle, _RO_WORDS)
    return False


def attested_nouns(texts: Iterable[str]) -> set[str]:
    """Hangul words that some text uses with a particle only a noun takes (병원을, 경기도의)."""
    nouns: set[str] = set()
    for text in texts:
        for token in _WORD.findall(text):
            word = _strip(token)[1]
            for particle in _NOUN_EVIDENCE:
                host = word[:-len(particle)]
                if word.endswith(particle) and len(host) >= 2 and re.fullmatch(r"[가-힣]+", host):
                    if particle in VARIABLE and agree(host, particle) != particle:
                        continue
                    nouns.add(host)
    return nouns


def _reading(host: str, readings: dict[str, str]) -> str | None:
    host = unquoted(host)  # ‘Revo-i’를, Revo-i(레보아이)를: the term's reading still counts
    for form, reading in readings.items():
        if host.endswith(form):
            return reading
    if host.endswith("%"):
        return "퍼센트"
    return None


def check_particles(text: str, known: Iterable[str] = (), readings: dict[str, str] | None = None,
                    context: Iterable[str] = ()) -> list[dict]:
    """Particles that disagree with the word before them, each with the corrected word as ``fix``.

    ``known``: glossary terms and names (Korean forms); ``readings``: Latin-script forms and
    how they are read (Revo-i → 레보아이); ``context``: other text of the article, whose
    nouns count as known.
    """
    readings = readings or {}
    known = known if isinstance(known, (set, frozenset)) else set(known)  # read more than once
    known_words = set(known) | attested_nouns([text, *context])
    flags: list[dict] = []
    for token in _WORD.finditer(text):
        offset, word = _strip(token.group())
        if _TITLE_AFTER.match(text[token.end():]):
            continue  # 김지은 교수: a name, whatever its last syllable
        for index in range(1, len(word)):
            particle = _particle_at(word, index)
            if particle is None:
                continue
            host = word[:index]
            reading = _reading(host, readings)
            final = final_consonant(host, reading)
            if final is None:
                continue
            right = agree(host, particle, reading)
            if right == particle or (particle in _COPULA_KEPT and right == particle[1:]) or \
                    (particle == "이었다" and final == 0):
                continue
            # only now, for a disagreeing particle, look at what the word is (the sets may be large)
            bare = unquoted(host)  # “아주대학교병원”를, 분당서울대학교병원(SNUBH)를: the word before the marks
            before = text[:token.start() + offset + len(bare)]  # a term of several words ends here too
            term = bare in known or any(bare.endswith(k) and len(k) >= 2 or " " in k and before.endswith(k)
                                        for k in known)
            # the "particle" is part of a known word (레보아이, 나이를); not where a glossary term or name
            # ends right before it: 병원와의 attests "병원와" as a noun only because 의 follows the wrong 와
            if not term and any(word.startswith(k) and len(k) >= index + len(particle) for k in known_words
                                if k[:1] == word[:1]):
                continue
            if bare.endswith("들") and len(bare) >= 2:
                known_words.add(bare)  # the plural 들 follows nouns only
            latin_or_digit = bool(re.search(r"[A-Za-z0-9%]$", bare)) or bool(re.fullmatch(r"[\d,.]+[가-힣]{1,2}", bare))
            noun = latin_or_digit or term or bare in known_words
            if not (_always_wrong(bare, particle, final) or noun):
                continue
            fixed = host + right + word[index + len(particle):]
            where = "a final consonant" if final and not (final == RIEUL and particle.endswith("로")) else \
                ("ㄹ" if final == RIEUL else "a vowel")
            flags.append(flag("particle_mismatch", "error", f"‘{word}’ → ‘{fixed}’: {right} after {where}"
                              f" ({host})", "", word, fix={"find": word, "replace": fixed},
                              start=token.start() + offset))
            break
    return flags
