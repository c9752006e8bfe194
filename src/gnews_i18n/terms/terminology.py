"""Terminology for one direction: what the pipeline calls before and after MT."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field

from gnews_i18n.languages import LATIN_SCRIPT
from gnews_i18n.markup import MARKUP_TYPE, TAG_RE
from gnews_i18n.terms.dated_checks import outdated_flags, title_flags
from gnews_i18n.terms.enforce import Protected, protect, restore
from gnews_i18n.terms.glossary import Glossary, Term
from gnews_i18n.terms.known_names import PUBLICATION_ID, publication_term
from gnews_i18n.terms.korean import is_particle_run
from gnews_i18n.terms.matcher import TermMatch, TermMatcher
from gnews_i18n.terms.names import find_names
from gnews_i18n.terms.official_terms import official_matches, without_overlaps
from gnews_i18n.terms.people import Registry
from gnews_i18n.terms.periods import as_of
from gnews_i18n.terms.target_checks import check_terms


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

AUTO = "auto"  # the style chosen per model by probing it (``terms.probe``; the pipeline asks)
_DAYS_KEPT = 64  # dated terminologies kept per direction (each holds its own matcher)


class Terminology:
    """The glossary (as of ``day``: see ``dated``) and the people registry for one direction."""
    def __init__(self, glossary: Glossary, src: str, tgt: str, style: str = AUTO, *,
                 day: dt.date | None = None, registry: Registry | None = None):
        self.src, self.tgt, self.style, self.day, self.registry = src, tgt, style, day, registry
        self.source_glossary = glossary
        self.glossary = as_of(glossary, day)
        self.terms = self.glossary.for_direction(src, tgt)
        own_name = publication_term(src, tgt)  # a known name: shadows "Gyeonggi" inside "Medical Gyeonggi e-News"
        if own_name is not None and not any(t.id == PUBLICATION_ID for t in self.terms):
            self.terms.append(own_name)
        self.matcher = TermMatcher(self.terms, src)
        self.known = {surface for term in self.glossary.terms for surface in term.surfaces("ko")}
        self.known |= {p.names["ko"] for p in (registry.people if registry else []) if p.names.get("ko")}
        self._days: dict[dt.date | None, Terminology] = {day: self}
        self.recent: list[str] = []  # people named so far (later mentions by family name are theirs)

    def on(self, day: dt.date | None) -> Terminology:
        """This terminology as of ``day`` (built once per day; None keeps this one)."""
        if day is None:
            return self
        if day not in self._days:
            dated = Terminology(self.source_glossary, self.src, self.tgt, self.style, day=day, registry=self.registry)
            dated._days, dated.recent = self._days, self.recent
            if len(self._days) > _DAYS_KEPT:  # a long-lived worker meets many dates: drop the oldest kept
                del self._days[next(d for d in self._days if d != self.day)]
            self._days[day] = dated
        return self._days[day]

    @functools.cached_property
    def korean_hosts(self) -> tuple[set[str], dict[str, str]]:
        """Korean forms of the glossary's terms and the registry's names (hosts of particles), and
        the readings of Latin-script forms (Apple → 애플) that particles after them agree with.
        Built once per terminology: a glossary may hold tens of thousands of terms."""
        known = set(self.known)
        readings: dict[str, str] = {}
        for term in self.terms:
            known.update(term.surfaces("ko"))
            if term.ko_reading:
                for lang in term.forms:
                    for form in term.surfaces(lang):
                        if form.isascii():
                            readings[form] = term.ko_reading
        return known, readings

    def start_article(self) -> None:
        """Forget the people named so far: the next sentences are another article's."""
        self.recent.clear()

    def prepare(self, source: str, style: str | None = None) -> Prepared:
        """Protect the glossary terms, the registry's officials (name + organisation + title as one
        unit) and unknown Korean names of one source sentence (an article's sentences in order).
        ``style`` overrides this terminology's (the one chosen for the model: ``terms.probe``)."""
        matches = self.matcher.find(source)
        units = official_matches(source, self.src, self.tgt, self.registry, self.day, self.recent)
        if units:
            matches = sorted(without_overlaps(units, matches) + units, key=lambda m: m.start)
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
        style = style or self.style
        return Prepared(protect(source, matches, style="name" if style == AUTO else style, src=self.src,
                                tgt=self.tgt), flags)

    def check(self, source: str, target: str) -> list[dict]:
        """Glossary checks on any pair, as for a machine draft (``gnews_i18n.terms.target_checks`` has the rules)."""
        return check_terms(source, target, self)

    def finish(self, output: str, prepared: Prepared, alignment=None) -> tuple[str, list[dict], list[dict]]:
        """The output with approved forms; returns (text, term hits, flags). ``alignment``
        (``mt.alignment.Alignment`` of the protected source and ``output``, optional) says where
        the model rendered a term: the ``align`` style's terms, a lost placeholder, go there."""
        text, hits, flags = restore(output, prepared.protected, self.tgt, _aligner(alignment, self.tgt))
        if self.day is not None:  # the order of mentions is the article pass's (``mentions``), not a sentence's
            source = prepared.protected.source
            flags += title_flags(source, text, self, self.day) + outdated_flags(source, text, self, self.day)
        return text, hits, prepared.flags + flags

    def wants_alignment(self, prepared: Prepared, hits: list[dict]) -> bool:
        """Whether the model's attention would place more: every sentence with a term in the
        ``align`` style, else only one where a term had to be inserted."""
        if prepared.protected.style == "align":
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
