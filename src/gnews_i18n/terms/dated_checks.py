"""Terminology that knows time and style: checks against the article's date and its order.

- ``title_date`` (error): an official's title that is not the post they held on the
  article's date, naming what they held then ("was Vice Governor until 2023-06-30") and
  what they held on the date; the fix writes the unit with the right post.
- ``term_outdated`` (error): an institution's (or any dated concept's) name from another
  period, in a translation of an article dated outside it; the fix writes the name valid
  then. In the source it is a warning (``term_outdated_source``): the translation already
  uses the name valid on the date.
- ``abbr_first`` / ``short_first`` (warning): an abbreviation or short form before the full
  form introduces it; ``abbr_not_introduced`` (warning): an abbreviation the article never
  introduces ("Full (ABBR)"). Each fix writes the introduction at that place. A form the
  glossary also lists among the variants is accepted anywhere and not checked here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from gnews_i18n.flags import flag
from gnews_i18n.terms.glossary import Term
from gnews_i18n.terms.known_names import known_spans, shadowed
from gnews_i18n.terms.matcher import TermMatcher
from gnews_i18n.terms.officials import Mention, find_officials
from gnews_i18n.terms.periods import when
from gnews_i18n.terms.style import load_style


def check_dated(source: str, target: str, terminology, day: dt.date | None, earlier_target: str = "",
                later_target: str | None = None) -> list[dict]:
    """Every check of this module on one pair; ``earlier_target``/``later_target``: the article's
    translation before and after it (None after: not known, as at the desk)."""
    flags: list[dict] = []
    if day is not None:
        flags += title_flags(source, target, terminology, day)
        flags += outdated_flags(source, target, terminology, day)
    flags += mention_flags(target, terminology, earlier_target, later_target)
    return flags


def _title_message(mention: Mention, lang: str, day: dt.date) -> tuple[str, str | None]:
    person = mention.person
    name = person.names.get(lang) or next(iter(person.names.values()))
    held = person.post_on(day)
    if mention.own and mention.post is not None:
        then = f"{name} was {mention.post.title.get(lang, mention.title)} {mention.post.when()}".rstrip()
    else:
        then = f"{name} never held the post ‘{mention.title}’"
    if held is None:
        return f"‘{mention.written}’: {then}; on {day} {name} held no post in the people registry", None
    style = load_style(lang)
    now = f"on {day}: {held.title.get(lang, '')}"
    return f"‘{mention.written}’: {then}; {now}", style.person(person, held, first=not mention.later)


def title_flags(source: str, target: str, terminology, day: dt.date) -> list[dict]:
    registry = getattr(terminology, "registry", None)
    src, tgt = terminology.src, terminology.tgt
    flags, named = [], set()
    for mention in find_officials(target, tgt, registry, day):
        if not mention.title or (mention.own and mention.post and mention.post.valid_on(day)):
            continue
        message, replacement = _title_message(mention, tgt, day)
        fix = {"fix": {"find": mention.written, "replace": replacement}} if replacement else {}
        flags.append(flag("title_date", "error", message, "", mention.written, **fix))
        named.add(mention.person.id)
    for mention in find_officials(source, src, registry, day):
        if mention.person.id in named or not mention.title or \
                (mention.own and mention.post and mention.post.valid_on(day)):
            continue
        message, _ = _title_message(mention, src, day)
        flags.append(flag("title_date_source", "warning", f"the source: {message}", mention.written, ""))
    return flags


def _old_matcher(terminology) -> tuple[TermMatcher, dict[int, Term]]:
    """A matcher of every dated concept's forms in the target language: the current period's
    (so "Health Policy Division" is not read as the older "Health Division" inside it), and
    the other periods', mapped to the term valid on the day."""
    cached = getattr(terminology, "_qa_old", None)
    if cached is not None:
        return cached
    current_of: dict[int, Term] = {}
    entries: list[Term] = []
    for term in terminology.glossary.terms:
        for period in term.periods:
            current_of[id(period)] = term
            entries.append(period)
    entries += [dataclasses.replace(t, periods=[]) for t in terminology.glossary.terms if t.periods]
    terminology._qa_old = (TermMatcher(entries, terminology.tgt), current_of)
    return terminology._qa_old


def outdated_flags(source: str, target: str, terminology, day: dt.date) -> list[dict]:
    matcher, current_of = _old_matcher(terminology)
    flags = []
    sources = terminology.matcher.find(source)
    # an old name inside a longer known name the source names (an institution, the publication) is that name
    spans = known_spans(target, (m.term.form(terminology.tgt) or "" for m in sources))
    for match in matcher.find(target):
        term = current_of.get(id(match.term))
        if term is None or not term.form(terminology.tgt) or shadowed(match.start, match.end, spans):
            continue
        written = match.surface  # without the "the" the matcher takes along
        now = term.form(terminology.tgt)
        flags.append(flag("term_outdated", "error", f"‘{written}’ is the name {when(match.term)}; on {day} it is "
                          f"‘{now}’", "", written, fix={"find": written, "replace": now}))
    for match in sources:
        old = next((p for p in match.term.periods if match.surface.casefold() in
                    {s.casefold() for s in p.surfaces(terminology.src)}), None)
        if old is not None and match.surface not in match.term.surfaces(terminology.src)[:1]:
            flags.append(flag("term_outdated_source", "warning", f"the source uses ‘{match.surface}’, the name "
                              f"{when(old)}; translated as ‘{match.term.form(terminology.tgt)}’, the name on {day}",
                              match.surface, ""))
    return flags


def _occurrences(form: str, text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(rf"(?<![\w-]){re.escape(form)}(?![\w-])", text)]


def _introductions(full: str, abbr: str, text: str) -> list[tuple[int, int]]:
    """Where the full form stands, for a short form; "Full (ABBR)", for an abbreviation."""
    if not abbr:
        return _occurrences(full, text)
    pattern = rf"(?<![\w-]){re.escape(full)}\s*\(\s*{re.escape(abbr)}\s*\)"
    return [(m.start(), m.end()) for m in re.finditer(pattern, text)]


def mention_flags(target: str, terminology, earlier: str = "", later: str | None = None) -> list[dict]:
    """Abbreviations and short forms used before the full form introduces them (``later``: the
    article after ``target``; None where it is not known, as for one segment at the desk)."""
    tgt, flags = terminology.tgt, []
    style = load_style(tgt)
    text = f"{earlier}\n{target}" if earlier else target
    offset = len(text) - len(target)
    for term in terminology.glossary.terms:
        full, abbr, short = term.form(tgt), term.abbreviations.get(tgt, ""), term.short_forms.get(tgt, "")
        if not full or not (abbr and abbr in target or short and short in target):
            continue
        intro = style.concept(full, abbr, short, first=True)
        accepted = {v.casefold() for v in term.variants.get(tgt, [])}
        for kind, form in (("abbr", abbr), ("short", short)):
            if not form or form == full or form.casefold() in accepted:  # a variant is accepted anywhere
                continue
            intros = _introductions(full, abbr if kind == "abbr" else "", text)
            fulls = _occurrences(full, text)
            uses = [o for o in _occurrences(form, text) if o[0] >= offset
                    and not any(s <= o[0] < e for s, e in intros + fulls)]
            if not uses or any(s < uses[0][0] for s, _ in intros):
                continue
            written = text[uses[0][0]:uses[0][1]]
            never = later is not None and not any(s > uses[0][0] for s, _ in intros) and \
                not _introductions(full, abbr if kind == "abbr" else "", later)
            check_id = "abbr_not_introduced" if kind == "abbr" and never else f"{kind}_first"
            message = (f"‘{written}’ is never introduced in the article; write ‘{intro}’ at the first mention"
                       if check_id == "abbr_not_introduced" else
                       f"‘{written}’ comes before ‘{full}’ is introduced; write ‘{intro}’ at the first mention")
            flags.append(flag(check_id, "warning", message, "", written, fix={"find": written, "replace": intro}))
    return flags
