"""A glossary as of one day: each dated concept in the form valid then.

Rows that share an ``id`` are the periods of one concept (an institution before and
after a renaming, a post's title before and after a reorganisation); so are dated rows
without an ``id`` that share a form in some language (a title retitled in English only:
two rows of 보건의료과장 with dates), as the glossary check already reads them. The view keeps one
term per concept: the period valid on the day, or, for a day outside every period, the
nearest one (the last before it: a programme that ended is still named as it was; the
first after it for a day before the concept existed). The other periods ride along in
``Term.periods``: their forms still match in the source (an old name is the same
concept), and QA names them when they turn up in a translation dated after (or before)
their time. Undated rows pass through unchanged.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from gnews_i18n.terms.glossary import Glossary, Term


def _nearest(periods: list[Term], day: dt.date | None) -> Term:
    if day is None:  # no date: the current form, i.e. the period still open or the latest
        return max(periods, key=lambda t: (t.valid_to is None, t.valid_to or dt.date.max, t.valid_from or dt.date.min))
    valid = [t for t in periods if t.valid_on(day)]
    if valid:
        return valid[-1]
    before = [t for t in periods if t.valid_to and t.valid_to < day]
    if before:
        return max(before, key=lambda t: t.valid_to)
    return min(periods, key=lambda t: t.valid_from or dt.date.min)


def _fold(form: str) -> str:
    return " ".join(form.replace("-", " ").casefold().split())


def concept_keys(terms: list[Term]) -> list[str]:
    """Each row's concept: its ``id``; for a dated row without one, the dated id-less rows it
    shares a form with, in any language (directly or through another such row); "" for the rest."""
    parent: dict[int, int] = {}

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    first_with: dict[tuple[str, str], int] = {}
    for index, term in enumerate(terms):
        if term.id or not term.dated:
            continue
        parent[index] = index
        for lang, form in term.forms.items():
            seen = first_with.setdefault((lang, _fold(form)), index)
            parent[root(index)] = root(seen)
    sizes: dict[int, int] = {}
    for index in parent:
        sizes[root(index)] = sizes.get(root(index), 0) + 1
    # "\x00" cannot begin an id read from a file: a derived key never meets a written one
    return [term.id or (f"\x00dated-{root(index)}" if index in parent and sizes[root(index)] > 1 else "")
            for index, term in enumerate(terms)]


def as_of(glossary: Glossary, day: dt.date | None) -> Glossary:
    """The view of ``glossary`` on ``day`` (None: today's forms)."""
    groups: dict[str, list[Term]] = {}
    order: list[tuple[str, Term | None]] = []
    for term, key in zip(glossary.terms, concept_keys(glossary.terms), strict=True):
        if key and (term.dated or key in groups):
            if key not in groups:
                order.append((key, None))
            groups.setdefault(key, []).append(term)
        else:
            order.append(("", term))
    terms: list[Term] = []
    for key, term in order:
        if term is not None:
            terms.append(term)
            continue
        periods = groups[key]
        chosen = _nearest(periods, day)
        others = [dataclasses.replace(p, periods=[]) for p in periods if p is not chosen]
        terms.append(dataclasses.replace(chosen, periods=others))
    return Glossary(terms)


def period_of(term: Term, form: str, lang: str) -> Term | None:
    """The other period of ``term`` (a dated view's term) whose ``lang`` form is ``form``."""
    folded = form.casefold()
    return next((p for p in term.periods if any(s.casefold() == folded for s in p.surfaces(lang))), None)


def when(term: Term) -> str:
    """A period as people say it: "until 2024-06-30", "from 2024-07-01", "2021-01-01 to 2022-12-31"."""
    if term.valid_from and term.valid_to:
        return f"{term.valid_from} to {term.valid_to}"
    if term.valid_to:
        return f"until {term.valid_to}"
    if term.valid_from:
        return f"from {term.valid_from}"
    return "at no fixed time"
