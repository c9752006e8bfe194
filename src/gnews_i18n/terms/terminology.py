"""Terminology for one direction: what the pipeline calls before and after MT."""

from __future__ import annotations

from dataclasses import dataclass, field

from gnews_i18n.languages import LATIN_SCRIPT
from gnews_i18n.markup import MARKUP_TYPE, TAG_RE
from gnews_i18n.qa.terms import check_terms
from gnews_i18n.terms.enforce import Protected, protect, restore
from gnews_i18n.terms.glossary import Glossary, Term
from gnews_i18n.terms.korean import is_particle_run
from gnews_i18n.terms.matcher import TermMatch, TermMatcher
from gnews_i18n.terms.names import find_names


@dataclass
class Prepared:
    protected: Protected
    flags: list[dict] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.protected.text


def _with_markup(source: str, matches: list[TermMatch], src: str) -> list[TermMatch]:
    """Inline tags join the protected spans, kept exactly as written (a link's address is
    never translated); a term that would overlap a tag (inside an address) is not one."""
    tags = [TermMatch(m.start(), m.end(), Term({src: m.group(0)}, MARKUP_TYPE, do_not_translate=True), m.group(0))
            for m in TAG_RE.finditer(source)]
    if not tags:
        return sorted(matches, key=lambda m: m.start)
    kept = [m for m in matches if not any(t.start < m.end and m.start < t.end for t in tags)]
    return sorted(kept + tags, key=lambda m: m.start)

class Terminology:
    def __init__(self, glossary: Glossary, src: str, tgt: str, style: str = "name"):
        self.src, self.tgt, self.style = src, tgt, style
        self.terms = glossary.for_direction(src, tgt)
        self.matcher = TermMatcher(self.terms, src)
        self.known = {surface for term in glossary.terms for surface in term.surfaces("ko")}

    def prepare(self, source: str) -> Prepared:
        """Protect the glossary terms (and unknown Korean names) of one source sentence."""
        matches = self.matcher.find(source)
        flags: list[dict] = []
        if self.src == "ko":
            taken = [(m.start, m.end) for m in matches]
            for name in find_names(source, self.known):
                if any(s < name.end and name.start < e for s, e in taken):
                    continue
                flags.append({"id": "name_suggested", "severity": "warning", "hangul": name.hangul,
                              "suggestion": name.suggestion,
                              "message": f"‘{name.hangul}’ is not in the glossary; suggested ‘{name.suggestion}’"})
                if self.tgt in LATIN_SCRIPT:  # carry the suggestion through MT like a term
                    term = Term({"ko": name.hangul, self.tgt: name.suggestion}, "person", note="suggested name")
                    matches.append(TermMatch(name.start, name.end, term, name.hangul))
        matches = _with_markup(source, matches, self.src)
        return Prepared(protect(source, matches, style=self.style, src=self.src, tgt=self.tgt), flags)

    def check(self, source: str, target: str) -> list[dict]:
        """Glossary checks on any pair, as for a machine draft (``gnews_i18n.qa.terms`` has the rules)."""
        return check_terms(source, target, self)

    def finish(self, output: str, prepared: Prepared, alignment=None) -> tuple[str, list[dict], list[dict]]:
        """The output with approved forms; returns (text, term hits, flags). ``alignment``
        (``mt.alignment.Alignment`` of the protected source and ``output``, optional) says where
        the model rendered a term: the ``align`` style's terms, a lost placeholder, go there."""
        text, hits, flags = restore(output, prepared.protected, self.tgt, _aligner(alignment, self.tgt))
        return text, hits, prepared.flags + flags

    def wants_alignment(self, prepared: Prepared, hits: list[dict]) -> bool:
        """Whether the model's attention would place more: every sentence with a term in the
        ``align`` style, else only one where a term had to be inserted."""
        if self.style == "align":
            return any(slot.match.term.type != MARKUP_TYPE for slot in prepared.protected.slots)
        return any(hit["placed"] == "inserted" for hit in hits)


def _aligner(alignment, tgt: str):
    if alignment is None:
        return None

    def align(slot):
        span = alignment.span_for(*slot.at)
        if span and tgt == "ko":
            span = _without_particles(alignment.output, *span)
        if span:
            return span
        point = alignment.insertion_point(*slot.at)
        return (point, point) if point is not None else None

    return align


def _without_particles(text: str, start: int, end: int) -> tuple[int, int]:
    """A Korean span less the particles glued to its last word (병원에서 → 병원), which stay
    and are made to agree with the approved form; a 도 is taken for the end of a place name."""
    word_start = text.rfind(" ", start, end) + 1 or start
    for cut in range(max(word_start, start) + 1, end):
        rest = text[cut:end]
        if not rest.startswith("도") and is_particle_run(rest):
            return start, cut
    return start, end
