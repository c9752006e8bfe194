"""Korean particle agreement in any Korean text: 병원를 → 병원을, 서울으로 → 서울로.

Within a word, each particle whose form depends on the sound before it (을/를, 이/가,
은/는, 과/와, 아/야, (으)로 with the ㄹ rule, 이에요/예요, (이)라고, (이)나, (이)며 …)
must agree with the syllable it follows, or with the stored reading of a Latin-script
term (Revo-i → 레보아이) or a number (3 → 삼). A wrong one is an error whose message and
``fix`` give the right word.

Korean words can end in syllables that look like particles (평가, 내과, 경로, 분야, 있는),
so a mismatch only counts where the word is known to be a noun followed by particles:

- always, for combinations no Korean word has (를 after a consonant, 으로 after a vowel
  or ㄹ, 와/예요/며/라고 after a consonant, 을 after a vowel outside 마을/가을 and the
  ㅅ-irregular verb forms 지을, 나을 …);
- for the other particles, when the word before them is a glossary term or name, a
  Latin-script or digit word (CT, 3명), or a Hangul noun the text attests elsewhere
  (병원을, 병원의 … in the same text or the article).

A particle inside a longer word (가 in 가능) is never a particle: it must end the word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from gnews_i18n.qa.spans import flag
from gnews_i18n.terms.korean import ALL_PARTICLES, PAIRS, RIEUL, agree, final_consonant, is_particle_run

VARIABLE = sorted({form for pair in PAIRS for form in pair if pair[0] != pair[1]}, key=len, reverse=True)
_CONSONANT_FORMS = {pair[0] for pair in PAIRS}
# After a vowel, the copula 이 may stay: 의사이며, 의사이라고, 의사이었다 are all correct.
_COPULA_KEPT = {"이라고", "이라는", "이며", "이나", "이고", "이다", "이었다", "이랑"}
# Words ending in 을 after a vowel that are not a particle: nouns, and ㅅ-irregular verb forms.
_EUL_WORDS = ("마을", "가을", "고을")
_SIOT_VERBS = {"나", "지", "이", "부", "그", "저"}
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
        word = host + particle
        return vowel and not word.endswith(_EUL_WORDS) and host not in _SIOT_VERBS
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
    known_words = set(known) | attested_nouns([text, *context])
    flags: list[dict] = []
    for token in _WORD.finditer(text):
        offset, word = _strip(token.group())
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
            latin_or_digit = bool(re.search(r"[A-Za-z0-9%]$", host)) or bool(re.fullmatch(r"[\d,.]+[가-힣]{1,2}", host))
            noun = latin_or_digit or host in known_words or any(host.endswith(k) and len(k) >= 2 for k in known)
            if not (_always_wrong(host, particle, final) or noun):
                continue
            fixed = host + right + word[index + len(particle):]
            where = "a final consonant" if final and not (final == RIEUL and particle.endswith("로")) else \
                ("ㄹ" if final == RIEUL else "a vowel")
            flags.append(flag("particle_mismatch", "error", f"‘{word}’ → ‘{fixed}’: {right} after {where}"
                              f" ({host})", "", word, fix={"find": word, "replace": fixed},
                              start=token.start() + offset))
            break
    return flags
