"""What stands in for a term while the model translates, and how to find it again.

The spellings, measured side by side in ``bench/term_fluency.py`` (decision 0004); which
one a model gets is chosen by probing it (``terms.probe``):

- ``name``: a made-up Latin-script name (``Kavimo``) that MT models copy the
  way they copy foreign names, with no digits for the number check to count. Each has a
  Korean reading (카비모), so a Korean particle after it agrees, and a model that
  transliterates it into Hangul is still understood.
- ``reading``: the same name written in Hangul in a Korean source (카비모): a model that
  romanizes Korean names writes ``Kavimo`` (or near it) where a Latin name in a Korean
  sentence would be lost.
- ``align``: no placeholder; the model's attention finds its rendering of the term.
- ``form``: the approved target form itself, written into the source.
- ``code``: ``TRM47``, the former scheme; kept for comparison.

The output is searched for the exact spelling, then for the reading, then for a
near-copy (``Kavmo``, ``Kavi mo``): a mangled copy still marks where the model put the
term. Anything left that looks like a placeholder is removed.
"""

from __future__ import annotations

import functools
import random
import re
from dataclasses import dataclass

from rapidfuzz.distance import Indel

from gnews_i18n.terms.korean import is_particle_run

STYLES = ("name", "reading", "align", "form", "code")
# Open syllables only: every reading ends in a vowel, so the particle is 를/가/는/와/로.
SYLLABLES = [("ka", "카"), ("ko", "코"), ("ri", "리"), ("na", "나"), ("mo", "모"), ("de", "데"), ("lu", "루"),
             ("vi", "비"), ("sa", "사"), ("to", "토"), ("ne", "네"), ("pa", "파"), ("zo", "조"), ("fi", "피"),
             ("gu", "구"), ("ha", "하"), ("ju", "주"), ("mi", "미")]
# Fragments of the former ``TRM47`` codes (TRM, TRMM779, RTM, T RM 4), with a particle glued on.
CODE_FRAGMENT_RE = re.compile(r"(?<![A-Za-z])(?:T\s?R\s?M+|R\s?T\s?M|TR)\s?\d{0,4}(?![A-Za-z])[\uac00-\ud7a3]{0,3}")
_LATIN_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’-]*")
NEAR = 0.5  # similarity above which a Latin word in the output is taken for a mangled placeholder
# A word spelled only with placeholder syllables (Kazo, Miri) that the source does not have is
# what is left of a placeholder, however far it drifted from the one it stood for.
_SYLLABIC_RE = re.compile("(?:" + "|".join(s for s, _ in SYLLABLES) + ")+", re.IGNORECASE)
# A model that loops on a placeholder writes one unit again and again (Homomomomomi for Hatomi,
# Kogugugugug for Koguju): the loop collapsed to one unit is what is compared.
_NO_SPACE_RE = re.compile(r"\s+")
_LOOP_RE = re.compile(r"(.{1,3}?)\1{2,}")
_OTHERS = {first: [s for s in SYLLABLES if s != first] for first in SYLLABLES}  # a name's other syllables


@dataclass(frozen=True)
class Placeholder:
    text: str  # as written into the source
    reading: str = ""  # its Korean reading, for particles and for a transliterating model


def made_up_names(count: int, rng: random.Random, avoid: str = "") -> list[Placeholder]:
    """``count`` distinct made-up names, none in ``avoid``; different first syllables while they last,
    so a near-copy of one is never taken for another."""
    folded = avoid.casefold()
    firsts = rng.sample(SYLLABLES, k=len(SYLLABLES))
    names: list[Placeholder] = []
    while len(names) < count:
        first = firsts[len(names) % len(firsts)]
        # three different syllables: "Momomo" would look like a decoding loop to the MT guards
        syllables = [first, *rng.sample(_OTHERS[first], k=2)]
        text = "".join(s[0] for s in syllables).capitalize()
        if text.casefold() in folded or any(n.text == text for n in names):
            continue
        names.append(Placeholder(text, "".join(s[1] for s in syllables)))
    return names


def find_all(text: str, placeholder: Placeholder) -> list[tuple[int, int]]:
    """Every copy of ``placeholder`` in ``text`` (spaces inside tolerated), else of its Hangul reading."""
    folded, token = text.lower(), placeholder.text.lower()
    if len(folded) == len(text):
        found = _whole(folded, token, _is_latin_letter)
        spaced = _NO_SPACE_RE.sub("", folded).count(token) > len(found)
    else:  # lowering moved the offsets (a rare letter such as İ)
        found, spaced = [], True
    if spaced:  # Ka vimo: rare, so only then a pattern is compiled (compiling one per placeholder cost ~0.4 ms)
        found = [(m.start(), m.end()) for m in _spelled(placeholder.text).finditer(text)]
    if not found and placeholder.reading:
        found = _whole(text, placeholder.reading, _is_hangul, after=False)  # a particle may follow: 카비모를
    return found


def _whole(text: str, token: str, letter, after: bool = True) -> list[tuple[int, int]]:
    """Each occurrence of ``token`` in ``text`` with no ``letter`` right before it (nor, with ``after``, after it)."""
    found, at = [], text.find(token)
    while at >= 0:
        end = at + len(token)
        whole = not (at and letter(text[at - 1])) and not (after and end < len(text) and letter(text[end]))
        if whole:
            found.append((at, end))
        at = text.find(token, end if whole else at + 1)
    return found


def _is_latin_letter(ch: str) -> bool:
    return "a" <= ch <= "z" or "A" <= ch <= "Z"


def _is_hangul(ch: str) -> bool:
    return "\uac00" <= ch <= "\ud7a3"


@functools.lru_cache(maxsize=64)
def _spelled(token: str) -> re.Pattern:
    return re.compile(r"(?<![A-Za-z])" + r"\s?".join(map(re.escape, token)) + r"(?![A-Za-z])", re.IGNORECASE)


def find_near(text: str, placeholder: Placeholder, known: str, threshold: float = 0.75) -> tuple[int, int] | None:
    """The span of the capitalized Latin word (or two adjacent ones) most like ``placeholder``, not in
    ``known``: what is left of a name the model copied badly (names are copied capitalized)."""
    found = near_candidates(text, placeholder, known, threshold, capitalized_only=True)
    return found[0][1] if found else None


def near_candidates(text: str, placeholder: Placeholder, known: str, threshold: float = NEAR,
                    capitalized_only: bool = False) -> list[tuple[float, tuple[int, int]]]:
    """(similarity, span) of the Latin words (or two adjacent ones) that may be a mangled
    ``placeholder``, best first; words in ``known`` (the source, the approved forms) never are."""
    hangul_text, candidates = _candidates(text, known, capitalized_only)
    target = placeholder.text.casefold()
    found = transliterated(text, placeholder, known) if placeholder.reading and not capitalized_only else []
    for start, end, word in candidates:
        # similarity 2·LCS / (len a + len b), in C: most words are nothing like a placeholder
        score = Indel.normalized_similarity(word, target, score_cutoff=threshold)
        if text[start].isupper() and target.startswith(word):  # the model stopped copying early: Ri for Risafi
            score = max(score, 0.9)
        elif len(target) >= 4 and word.startswith(target):  # copied, then looped on: Pamogumogugumi-do
            score = max(score, 0.9)
        elif len(word) < 3:
            continue
        # In a Korean sentence any Latin word the source lacks is foreign: one that starts like the
        # placeholder is taken for it (Lukor for Luvimi); in English text that would catch real words.
        elif hangul_text and text[start].isupper() and word[:2] == target[:2]:
            score = max(score, NEAR + 0.05)
        if len(word) >= 4 and text[start].isupper() and _SYLLABIC_RE.fullmatch(word):
            # any placeholder's remains; more likely the one it starts like (Kazo: Kavimo's, not Luvimi's)
            score = max(score, NEAR + 0.01 + 0.005 * (word[0] == target[0]))
        if score > threshold:
            found.append((score, (start, end)))
    return sorted(found, key=lambda item: -item[0])


# A word shaped like a made-up name (open syllables, at most a final n/r/l): what a model writes for a
# name it romanizes badly (To for Jutomo, Hoju for Hanako); English words of that shape that start a
# sentence are not taken.
_NAME_SHAPED_RE = re.compile(r"(?:[bcdfghjklmnpqrstvwxyz]?[aeiou]){1,4}[nrl]?", re.IGNORECASE)
_OPENERS = frozenset("on to a an the in at as so no do go be he we me by of or if it is".split())


def leftover_names(text: str, known: str, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans of capitalized Latin words shaped like made-up names that ``known`` lacks and no
    placeholder took: the model's own, mangled writing of a name placeholder."""
    folded_known = _known_words(known)
    found = []
    for word in _LATIN_WORD_RE.finditer(text):
        token = word.group()
        if not token[0].isupper() or len(token) < 2 or token.casefold() in folded_known:
            continue
        if not _NAME_SHAPED_RE.fullmatch(token) or (not text[:word.start()].strip() and token.casefold() in _OPENERS):
            continue
        if not any(s < word.end() and word.start() < e for s, e in taken):
            found.append((word.start(), word.end()))
    return found


_HANGUL_WORD_RE = re.compile(r"[\uac00-\ud7a3]+")
HANGUL_NEAR = 0.5  # likeness (of syllables) above which a Hangul word is taken for a transliterated name


def _loanword_shaped(word: str) -> bool:
    """Every syllable open or closed by ㄴ/ㄹ, as Hangul writes most foreign names (카도르, 조탄);
    most Korean words of a sentence have another final somewhere (사업, 목요일, 방문)."""
    return all(_is_hangul(ch) and (ord(ch) - 0xAC00) % 28 in (0, 4, 8) for ch in word)


def transliterated(text: str, placeholder: Placeholder, known: str) -> list[tuple[float, tuple[int, int]]]:
    """(likeness, span) of the Hangul words that may be the model's own transliteration of the
    placeholder (카비무, 카비 for 카비모), particles left out of the span; best first. A word must
    start with the reading's first syllable (Korean words of the sentence do not: 목요일 is not
    모루조) and be like it (likeness ≥ ``HANGUL_NEAR``, or its start), or at least be shaped like
    a foreign name (a weaker candidate); words in ``known`` (the source, the approved forms)
    never are."""
    reading = placeholder.reading
    if len(reading) < 2 or not _HANGUL_WORD_RE.search(text):
        return []
    found = []
    for word in _HANGUL_WORD_RE.finditer(text):
        stem = word.group()
        for cut in range(1, len(stem)):  # the longest stem whose rest is a particle run
            if is_particle_run(stem[cut:]):
                stem = stem[:cut]
                break
        if stem[0] != reading[0] or stem == reading or len(stem) < 2 or stem in known:
            continue
        score = Indel.normalized_similarity(stem, reading)
        if score >= HANGUL_NEAR or reading.startswith(stem):
            found.append((max(score, NEAR + 0.02), (word.start(), word.start() + len(stem))))
        elif _loanword_shaped(stem):  # 리코 for 리토구, 카도르 for 카데파: the start kept, the rest invented
            found.append((NEAR + 0.01, (word.start(), word.start() + len(stem))))
    return sorted(found, key=lambda item: -item[0])


@functools.lru_cache(maxsize=32)  # the placeholders of one output share it
def _candidates(text: str, known: str, capitalized_only: bool) -> tuple[bool, tuple[tuple[int, int, str], ...]]:
    """Whether ``text`` has Hangul, and the (start, end, folded word) that may be a placeholder's
    remains: built once per output, however many placeholders are looked for in it."""
    folded_known = _known_words(known)
    words = [w for w in _LATIN_WORD_RE.finditer(text) if w.group().casefold() not in folded_known]
    if not words:  # most outputs: every Latin word is the source's or an approved form's
        return False, ()
    spans = [(w.start(), w.end()) for w in words if not capitalized_only or w.group()[0].isupper()]
    # two words for a name split by a space (Ka vimo): the first capitalized, as a copied name is
    spans += [(a.start(), b.end()) for a, b in zip(words, words[1:], strict=False)
              if a.group()[0].isupper() and text[a.end():b.start()].strip() == ""]
    candidates = []
    for start, end in spans:
        parts = text[start:end].casefold().split()
        word = "".join(parts)
        if len(word) < 2 or any(w in folded_known for w in parts):
            continue
        candidates.append((start, end, _LOOP_RE.sub(r"\1", word) if len(word) >= 6 else word))
    return re.search(r"[\uac00-\ud7a3]", text) is not None, tuple(candidates)


def unknown_names(text: str, known: str, placeholders: list[str]) -> bool:
    """Whether ``text`` has a capitalized Latin word that ``known`` lacks and that starts like one of
    ``placeholders`` or is spelled with their syllables: without one there is no near-copy of a
    placeholder to look for (most outputs; one pass instead of one per placeholder)."""
    folded_known = _known_words(known)
    initials = {p[:1].upper() for p in placeholders}
    return any(w[0] in initials or (w[0].isupper() and _SYLLABIC_RE.fullmatch(w))
               for w in _LATIN_WORD_RE.findall(text) if w.casefold() not in folded_known)


@functools.lru_cache(maxsize=64)
def _known_words(known: str) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z'’-]+", known.casefold()))


def strip_code_fragments(text: str) -> tuple[str, list[str]]:
    """``text`` without any fragment of a ``TRM47`` code; returns (text, the fragments removed)."""
    removed = [m.group(0) for m in CODE_FRAGMENT_RE.finditer(text)]
    return CODE_FRAGMENT_RE.sub("", text), removed
