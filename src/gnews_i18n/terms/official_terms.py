"""Officials as glossary terms: each recognised unit (name + organisation + title) becomes a
term whose target form is the unit rendered in the target language's style.

The unit renders the post its title names (the source is translated faithfully; QA says
when that post is not the one held on the article's date); with no title written, the
name alone: the registry never adds a title the source lacks (a person with no post at
all takes the style's ``no_post`` form, 홍길동 씨). A unit written as a later mention (엄 과장) still gets the full
form here: the article pass (``mentions``) decides which mention is the first.
"""

from __future__ import annotations

import datetime as dt

from gnews_i18n.terms.glossary import Term
from gnews_i18n.terms.matcher import TermMatch
from gnews_i18n.terms.officials import Mention, find_officials
from gnews_i18n.terms.people import Registry
from gnews_i18n.terms.style import load_style

PERSON_KEY = "person:"


def unit_term(mention: Mention, src: str, tgt: str, day: dt.date | None) -> Term:
    style = load_style(tgt)
    if mention.title or not mention.person.posts:
        post = mention.post if mention.title else None
        full = style.person(mention.person, post, first=True)
        later = style.person(mention.person, post, first=False)
    else:
        full, later = style.bare(mention.person, True), style.bare(mention.person, False)
    return Term({src: mention.written, tgt: full}, "person", id=PERSON_KEY + mention.person.id,
                short_forms={tgt: later}, note="official (people registry)")


def official_matches(source: str, src: str, tgt: str, registry: Registry | None,
                     day: dt.date | None, recent: list[str] | None = None) -> list[TermMatch]:
    """The officials of ``source`` as matches; ``recent`` (the people named so far, latest last)
    resolves later mentions and is updated."""
    matches = []
    recent = recent if recent is not None else []
    for mention in find_officials(source, src, registry, day, recent):
        if mention.person.id in recent:
            recent.remove(mention.person.id)
        recent.append(mention.person.id)
        del recent[:-20]  # an article names a handful of people; older ones are another article's
        if not mention.person.names.get(tgt):
            continue  # no name in the target language: left to the glossary and the name suggestions
        term = unit_term(mention, src, tgt, day)
        matches.append(TermMatch(mention.start, mention.end, term, mention.written, particle=mention.particle))
    return matches


def without_overlaps(units: list[TermMatch], matches: list[TermMatch]) -> list[TermMatch]:
    """Glossary matches outside the units (a unit wins over the name or title it contains)."""
    return [m for m in matches if not any(u.start < m.end and m.start < u.end for u in units)]
