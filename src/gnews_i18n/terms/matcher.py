"""Find glossary terms in source text: one Aho-Corasick pass, longest match first, no overlaps.

Overlaps are settled leftmost-longest: where several entries start at the same place the
longest wins, and a match that starts earlier wins over a later one it overlaps. (Taking
the globally longest first would let "Governor of Gyeonggi Province" break up "the First
Vice Governor of Gyeonggi Province".)

The automaton's cost depends on the text, not on the glossary's size. Text and keys are
normalized the same way, with a map back to the original positions:

- English: case folded (unless the entry is case-sensitive), curly apostrophes made
  straight, hyphens and runs of spaces made one space (Gyeonggi-do = Gyeonggi Do); a
  leading "the" and a possessive ('s, ’s) are taken along with the term.
- Korean: spaces removed, so 고려대학교 안산병원 matches 고려대학교안산병원; a term must
  start a word and may be followed only by particles or the copula (분당서울대학교병원을,
  경기도에서는), so 서울 never matches inside 분당서울대학교병원 or 서울대학교.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import ahocorasick

from gnews_i18n.languages import is_hangul
from gnews_i18n.terms.glossary import Term
from gnews_i18n.terms.korean import is_particle_run

_APOSTROPHES = "’‘ʼ`´"
_DASHES = "-‐‑‒–—"
_THE_BEFORE = re.compile(r"(?i)(?:^|(?<=\W))the\s+$")


@dataclass(frozen=True)
class TermMatch:
    start: int          # span replaced in the source: the term, with a leading "the" in English
    end: int
    term: Term
    surface: str        # the term as written in the source
    particle: str = ""  # Korean particles right after the term (outside the span)
    possessive: str = ""  # English 's / ’s right after the term (outside the span)


def _normalize(text: str, lang: str, fold_case: bool = True) -> tuple[str, list[int]]:
    """Normalized text and, for each of its characters, the index in ``text``."""
    out: list[str] = []
    positions: list[int] = []
    for index, ch in enumerate(text):
        if lang == "ko" and ch.isspace():
            continue
        if ch in _APOSTROPHES:
            ch = "'"
        elif ch in _DASHES or ch.isspace():
            if out and out[-1] == " ":
                continue
            ch = " "
        lowered = ch.lower() if fold_case else ch
        out.append(lowered if len(lowered) == 1 else ch)
        positions.append(index)
    return "".join(out), positions


def _word_char(ch: str) -> bool:
    return ch.isalnum() or is_hangul(ch)


class TermMatcher:
    def __init__(self, terms: list[Term], lang: str):
        self.lang = lang
        self.automaton = ahocorasick.Automaton()
        entries: dict[str, list[tuple[Term, str]]] = {}
        for term in terms:
            for surface in term.surfaces(lang):
                key, _ = _normalize(surface, lang)
                key = key.strip()
                if key:
                    entries.setdefault(key, []).append((term, surface))
        for key, payload in entries.items():
            self.automaton.add_word(key, (len(key), payload))
        self.size = len(entries)
        if entries:
            self.automaton.make_automaton()

    def find(self, text: str) -> list[TermMatch]:
        if not self.size or not text:
            return []
        normalized, positions = _normalize(text, self.lang)
        candidates: list[TermMatch] = []
        for end_index, (length, payload) in self.automaton.iter(normalized):
            start_index = end_index - length + 1
            start, end = positions[start_index], positions[end_index] + 1
            for term, surface in reversed(payload):  # the later glossary wins a shared surface
                match = self._accept(text, start, end, term, surface)
                if match is not None:
                    candidates.append(match)
                    break
        return _leftmost_longest(candidates)

    def _accept(self, text: str, start: int, end: int, term: Term, surface: str) -> TermMatch | None:
        if start > 0 and _word_char(text[start - 1]):
            return None
        if term.case_sensitive and (_normalize(text[start:end], self.lang, fold_case=False)[0]
                                    != _normalize(surface, self.lang, fold_case=False)[0]):
            return None
        written = text[start:end]
        if self.lang == "ko":
            run_end = end
            while run_end < len(text) and is_hangul(text[run_end]):
                run_end += 1
            particle = text[end:run_end]
            if particle and not is_particle_run(particle):
                return None
            if run_end < len(text) and text[run_end].isalnum():
                return None
            return TermMatch(start, end, term, written, particle=particle)
        if end < len(text) and _word_char(text[end]):
            return None
        possessive = ""
        tail = text[end:end + 2]
        if tail[:1] in "'’" and tail[:1]:
            possessive = tail if tail[1:] == "s" and not _word_char(text[end + 2:end + 3] or " ") else tail[:1]
        window = max(0, start - 12)  # a short look-behind: slicing the whole prefix would be quadratic
        before = _THE_BEFORE.search(text[window:start])
        if before and (window == 0 or before.start() > 0) and not written.lower().startswith("the "):
            start = window + before.start()
        return TermMatch(start, end, term, written, possessive=possessive)


def _leftmost_longest(candidates: list[TermMatch]) -> list[TermMatch]:
    chosen: list[TermMatch] = []
    taken: list[tuple[int, int]] = []
    for match in sorted(candidates, key=lambda m: (m.start, -(m.end - m.start))):
        if all(match.end <= s or match.start >= e for s, e in taken):
            chosen.append(match)
            taken.append((match.start, match.end))
    return chosen
