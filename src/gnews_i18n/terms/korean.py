"""Korean particles: which form follows a word, read from its last sound.

A particle's form depends on whether the word before it ends in a consonant
(을/이/은/과/아/으로/이에요/이다) or a vowel (를/가/는/와/야/로/예요/다), with ㄹ taking
로 like a vowel. The last sound of a Hangul word is its last syllable's final
consonant; digits are read as Sino-Korean numbers (3 → 삼, 10 → 십); Latin-script
terms need a stored reading (Revo-i → 레보아이), or, for acronyms, the letters' names.
"""

from __future__ import annotations

import re

HANGUL_BASE, HANGUL_LAST = 0xAC00, 0xD7A3
RIEUL = 8  # index of ㄹ among the final consonants

# Digit readings: the final consonant of the last spoken number word.
_DIGIT_FINAL = {"0": 21, "1": RIEUL, "2": 0, "3": 16, "4": 0, "5": 0, "6": 1, "7": RIEUL, "8": RIEUL, "9": 0}
# A round number is read ending in its largest small place (십 ㅂ, 백 ㄱ, 천 ㄴ) or, from
# four zeros on, in its myriad unit (300000 = 삼십만): 만 ㄴ, 억 ㄱ, 조 (none).
_SMALL_PLACE_FINAL = {1: 17, 2: 1, 3: 4}
_MYRIAD_FINAL = {1: 4, 2: 1, 3: 0}
# Latin letters as read in an acronym (A 에이, L 엘, M 엠, N 엔, R 알, …): their final consonant.
_LETTER_FINAL = {"l": RIEUL, "m": 16, "n": 4, "r": RIEUL}
for _letter in "abcdefghijkopqstuvwxyz":
    _LETTER_FINAL.setdefault(_letter, 0)
_LETTER_FINAL.update({"f": 0, "s": 0, "x": 0, "h": 0})  # 에프, 에스, 엑스, 에이치 end in a vowel

# (form after a consonant, form after a vowel); the ㄹ rule applies to (으)로 forms only.
PAIRS: list[tuple[str, str]] = [
    ("이라고", "라고"), ("이라는", "라는"), ("이에요", "예요"), ("이었다", "였다"), ("이며", "며"),
    ("이고", "고"), ("이나", "나"), ("이랑", "랑"), ("이다", "다"), ("입니다", "입니다"),
    ("으로서", "로서"), ("으로써", "로써"), ("으로는", "로는"), ("으로", "로"),
    ("을", "를"), ("이", "가"), ("은", "는"), ("과", "와"), ("아", "야"),
]
_RO_FORMS = {"으로서", "로서", "으로써", "로써", "으로는", "로는", "으로", "로"}
# Particles whose form never changes; they may follow a term too.
INVARIANT = ["에서는", "에서도", "에서의", "에게서", "에서", "에게", "에는", "에도", "에의", "께서", "까지",
             "부터", "보다", "처럼", "만큼", "마다", "조차", "밖에", "의", "에", "께", "도", "만", "과의", "와의",
             "와는", "과는", "들"]
ALL_PARTICLES = sorted({p for pair in PAIRS for p in pair} | set(INVARIANT), key=len, reverse=True)
# One or more particles (경기도에서는, 병원과의) up to the end of the word.
PARTICLE_RUN_RE = re.compile("(?:" + "|".join(map(re.escape, ALL_PARTICLES)) + ")+")


_CLOSERS = " ’'\".,”」』》〉"
# A parenthesis after a word (분당서울대학교병원(SNUBH), 경기도(京畿道)) is not read aloud: a
# particle after it agrees with the word before it.
_PARENTHESIS_RE = re.compile(r"^(.*?\S)\s*[(\[]([^()\[\]]*)[)\]]$")


def unquoted(word: str) -> str:
    """``word`` without the closing quotes and the parenthesis a particle may follow (‘Revo-i’ → Revo-i,
    분당서울대학교병원(SNUBH) → 분당서울대학교병원)."""
    text = word.rstrip(_CLOSERS)
    parenthesis = _PARENTHESIS_RE.match(text)
    return parenthesis.group(1).rstrip(_CLOSERS) if parenthesis else text


def final_consonant(word: str, reading: str | None = None) -> int | None:
    """Index of the final consonant of ``word``'s last sound (0 = none), None if unknown; a closing
    quote is not a sound, and a parenthesis after the word is not read (the word before it is,
    else, where that is unknown, the parenthesis: Revo-i(레보아이))."""
    text = (reading or word).rstrip(_CLOSERS)
    parenthesis = _PARENTHESIS_RE.match(text)
    if parenthesis:
        before = final_consonant(parenthesis.group(1))
        return before if before is not None else final_consonant(parenthesis.group(2))
    text = text.rstrip(")]")
    if not text:
        return None
    last = text[-1]
    if HANGUL_BASE <= ord(last) <= HANGUL_LAST:
        return (ord(last) - HANGUL_BASE) % 28
    if last.isdigit():
        digits = re.search(r"\d+$", text).group()
        stripped = digits.rstrip("0")
        zeros = len(digits) - len(stripped)
        if zeros == 0 or not stripped:
            return _DIGIT_FINAL[digits[-1]]
        if zeros < 4:
            return _SMALL_PLACE_FINAL[zeros]
        return _MYRIAD_FINAL.get(zeros // 4)
    if last.isascii() and last.isalpha():
        letters = re.search(r"[A-Za-z][A-Za-z-]*$", text).group().replace("-", "")
        if letters.isupper() or len(letters) == 1:  # an acronym, read letter by letter
            return _LETTER_FINAL[last.lower()]
        return None  # a Latin word: only a stored reading tells how it sounds
    return None


def agree(word: str, particle: str, reading: str | None = None) -> str:
    """The form of ``particle`` that agrees with ``word`` (unchanged if it has no variants or the sound is unknown)."""
    final = final_consonant(word, reading)
    if final is None:
        return particle
    for consonant_form, vowel_form in PAIRS:
        if particle in (consonant_form, vowel_form):
            if particle in _RO_FORMS:
                return vowel_form if final in (0, RIEUL) else consonant_form
            return vowel_form if final == 0 else consonant_form
    return particle


_VARIABLE_FIRST = sorted({p for pair in PAIRS for p in pair}, key=len, reverse=True) + \
    sorted(INVARIANT, key=len, reverse=True)


def agree_run(word: str, run: str, reading: str | None = None) -> str:
    """Agree the first particle of a run (에서는 stays; 을/를 … changes), keep the rest. A particle
    whose form varies is looked for first: 과의 and 와는 are 과/와 then another particle."""
    for particle in _VARIABLE_FIRST:
        if run.startswith(particle) and (run == particle or is_particle_run(run[len(particle):])):
            return agree(word, particle, reading) + run[len(particle):]
    return run


def is_particle_run(text: str) -> bool:
    return bool(text) and PARTICLE_RUN_RE.fullmatch(text) is not None
