"""Glossary entries and their merging: one concept a row, a form per language.

Several glossaries can be active at once (the newsletter's, then one for an article):
a later entry replaces an earlier one with the same id or the same form in any language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

TERM_TYPES = ("person", "institution", "place", "title", "program", "product", "other")


@dataclass(frozen=True)
class Origin:
    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass
class Term:
    """One concept: its approved form per language, and what else may or may not be said."""

    forms: dict[str, str]
    type: str = "other"
    id: str = ""
    variants: dict[str, list[str]] = field(default_factory=dict)
    forbidden: dict[str, list[str]] = field(default_factory=dict)
    note: str = ""
    do_not_translate: bool = False
    ko_reading: str = ""  # how a Latin-script form is read in Korean (Revo-i → 레보아이)
    case_sensitive: bool = False
    definition: str = ""
    subject: str = ""  # subject field from terminology tools (medicine, law …), beside the desk's type
    pos: str = ""  # part of speech (noun, properNoun …), as TBX files give it
    origin: Origin | None = None
    # Dated concepts (a title held for a term, an institution before a renaming): both ends
    # inclusive, None = open. Rows sharing an ``id`` are the periods of one concept.
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    abbreviations: dict[str, str] = field(default_factory=dict)  # SNUBH: introduced in parentheses
    short_forms: dict[str, str] = field(default_factory=dict)  # 분당서울대병원: for later mentions
    # Set only on a dated view's terms (``dated.as_of``): the concept's other periods.
    periods: list[Term] = field(default_factory=list)

    def form(self, lang: str) -> str | None:
        """The approved form in ``lang``; a do-not-translate term keeps its source form everywhere."""
        if self.forms.get(lang):
            return self.forms[lang]
        if self.do_not_translate:
            return next((f for f in self.forms.values() if f), None)
        return None

    def surfaces(self, lang: str) -> list[str]:
        """Every form that counts as this term in source text of ``lang`` (a dated view's
        other periods too: an old name in the source is still this concept)."""
        forms = [self.forms.get(lang, "")] + self.variants.get(lang, [])
        forms += [self.short_forms.get(lang, ""), self.abbreviations.get(lang, "")]
        forms += [f for period in self.periods for f in period.surfaces(lang)]
        return [f for f in dict.fromkeys(forms) if f]

    @property
    def dated(self) -> bool:
        return self.valid_from is not None or self.valid_to is not None

    def valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)

    def overlaps(self, other: Term) -> bool:
        """Whether the two validity ranges share a day (undated terms are always valid)."""
        lo = max(self.valid_from or dt.date.min, other.valid_from or dt.date.min)
        hi = min(self.valid_to or dt.date.max, other.valid_to or dt.date.max)
        return lo <= hi

    def range_text(self) -> str:
        return f"{self.valid_from or '…'} to {self.valid_to or '…'}"

    @property
    def key(self) -> str:
        return self.id or next(iter(f for f in self.forms.values() if f), "")


@dataclass
class Glossary:
    terms: list[Term] = field(default_factory=list)

    @property
    def languages(self) -> set[str]:
        return {lang for term in self.terms for lang, form in term.forms.items() if form}

    def merged_with(self, later: Glossary) -> Glossary:
        """This glossary overridden by ``later``: same id or a shared form means the same concept."""
        replaced: set[int] = set()
        for new in later.terms:
            for index, old in enumerate(self.terms):
                same_id = new.id and new.id == old.id
                # a variant counts too: a later "고려대 안산병원" replaces the concept that lists it as one
                shared = any(_fold(surface) in {_fold(s) for s in old.surfaces(lang)}
                             for lang in new.forms for surface in new.surfaces(lang))
                # a later period of a dated concept is not a replacement for an earlier one
                if (same_id or shared) and new.overlaps(old):
                    replaced.add(index)
        kept = [term for index, term in enumerate(self.terms) if index not in replaced]
        return Glossary(kept + list(later.terms))

    def for_direction(self, src: str, tgt: str) -> list[Term]:
        """Terms usable from ``src`` to ``tgt``: a source form and a target form."""
        return [t for t in self.terms if t.surfaces(src) and t.form(tgt)]


def _fold(form: str) -> str:
    return "".join(form.replace("-", " ").casefold().split())


def merge(glossaries: list[Glossary]) -> Glossary:
    merged = Glossary()
    for glossary in glossaries:
        merged = merged.merged_with(glossary)
    return merged
