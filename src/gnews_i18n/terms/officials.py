"""Officials in running text: a registry person's name with the organisation and title
around it, recognised as one unit.

Korean writes name + organisation + title (엄원자 경기도 보건의료과장은, 김동연 경기도지사와,
the organisation often joined to the title), and a later mention as family name + title
(엄 과장은). English writes the title before the name (Gyeonggi Governor Kim Dong-yeon,
Governor Kim Dong-yeon) or after it as an appositive (Eom Won-ja, Director of the Health
and Medical Division, Gyeonggi-do; Eom Won-ja, the Director … in Gyeonggi-do).

A mention records the post its title names (``post``), which may be a post the person
held at another time, or another person's post (``own`` false): QA compares it with the
post held on the article's date.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from gnews_i18n.terms.korean import is_particle_run
from gnews_i18n.terms.people import Person, Post, Registry
from gnews_i18n.terms.style import load_style


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    person: Person
    post: Post | None  # the post the written title names; None when no title is written
    written: str  # the unit as written
    title: str = ""  # the title as written
    own: bool = True  # the title is one of this person's posts
    later: bool = False  # written as a later mention (엄 과장)
    particle: str = ""  # Korean particles right after the unit


def _alternation(forms) -> str:
    unique = sorted({f for f in forms if f}, key=len, reverse=True)
    return "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in unique) or r"(?!)"


@dataclass
class _Patterns:
    full: re.Pattern
    later: re.Pattern | None
    names: dict[str, list[Person]]
    families: dict[str, list[Person]]


def _patterns(registry: Registry, lang: str) -> _Patterns:
    cache = registry.__dict__.setdefault("_patterns", {})  # built once per registry and language
    if lang not in cache:
        cache[lang] = _build(registry, lang)
    return cache[lang]


def _build(registry: Registry, lang: str) -> _Patterns:
    people = [p for p in registry.people if p.names.get(lang)]
    names: dict[str, list[Person]] = {}
    families: dict[str, list[Person]] = {}
    for person in people:
        names.setdefault(person.names[lang].casefold(), []).append(person)
        families.setdefault(person.family(lang).casefold(), []).append(person)
    posts = [post for p in registry.people for post in p.posts]
    titles = _alternation(post.title.get(lang) for post in posts)
    orgs = _alternation(post.org.get(lang) for post in posts)
    name_re = _alternation(p.names[lang] for p in people)
    if lang == "ko":
        attached = _alternation([*load_style("ko").attached_titles, *(post.title.get("ko") for post in posts)])
        full = re.compile(rf"(?<![가-힣])(?P<name>{name_re})(?:\s*(?:(?P<org>{orgs})\s*)?(?P<title>{attached}))?")
        later = re.compile(rf"(?<![가-힣])(?P<family>{_alternation(families)})\s+(?P<title>{attached})")
        return _Patterns(full, later, names, families)
    connector = r"(?:,\s*|\s+(?:of|in|at|for)\s+)(?:the\s+)?"
    full = re.compile(rf"(?<![\w-])(?:(?:(?P<org_before>{orgs})\s+)?(?P<title_before>{titles})\s+)?"
                      rf"(?P<name>{name_re})(?:,\s+(?:the\s+)?(?P<title>{titles})(?:{connector}(?P<org>{orgs}))?)?"
                      r"(?![\w-])", re.IGNORECASE)
    return _Patterns(full, None, names, families)


def _resolve(candidates: list[Person], title: str, lang: str, day: dt.date | None,
             registry: Registry) -> tuple[Person, Post | None, bool] | None:
    """The person meant (homonyms: the one holding the title, then the one in post on the day),
    the post the title names, and whether it is theirs."""
    if not candidates:
        return None
    if not title:
        person = next((p for p in candidates if p.post_on(day)), candidates[0])
        return person, None, True
    folded = title.casefold()

    def posts_of(person: Person) -> list[Post]:
        exact = [p for p in person.posts if p.title.get(lang, "").casefold() == folded]
        return exact or [p for p in person.posts if p.title.get(lang, "").casefold().endswith(folded)]

    ranked = sorted(candidates, key=lambda p: (not posts_of(p), not any(day and q.valid_on(day) for q in posts_of(p))))
    person = ranked[0]
    own = posts_of(person)
    if own:
        post = next((p for p in own if day and p.valid_on(day)), None) or max(own, key=lambda p: p.start or dt.date.min)
        return person, post, True
    other = next((q for p in registry.people for q in p.posts if q.title.get(lang, "").casefold() == folded), None)
    return person, other, False


def find_officials(text: str, lang: str, registry: Registry | None, day: dt.date | None = None,
                   recent: list[str] | tuple[str, ...] = ()) -> list[Mention]:
    """Registry people in ``text``, each with the title written beside the name; no overlaps.

    ``recent``: ids of people the article named before (latest last). A later mention by family
    name (엄 과장; in English "Eom" alone) is theirs; Korean family name + title is also taken
    when exactly one person in the registry fits it on the day."""
    if registry is None or not registry.people or lang not in ("ko", "en"):
        return []
    patterns = _patterns(registry, lang)
    found: list[Mention] = []
    for match in patterns.full.finditer(text):
        title = match.group("title") or (match.groupdict().get("title_before") or "")
        end, particle = match.end(), ""
        if lang == "ko":
            end, particle = _korean_end(text, match)
            if end is None:
                continue
        resolved = _resolve(patterns.names.get(match.group("name").casefold(), []), " ".join(title.split()), lang,
                            day, registry)
        if resolved:
            person, post, own = resolved
            found.append(Mention(match.start(), end, person, post, text[match.start():end], title, own,
                                 particle=particle))
    if patterns.later is not None:
        taken = [(m.start, m.end) for m in found]
        for match in patterns.later.finditer(text):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            end, particle = _korean_end(text, match)
            candidates = patterns.families.get(match.group("family").casefold(), [])
            holders = [p for p in candidates if any(q.title.get(lang, "").endswith(match.group("title"))
                                                    for q in p.posts)]
            in_post = [p for p in holders if (p.post_on(day) and p.post_on(day).title.get(lang, "").endswith(
                match.group("title")))]
            named = sorted((p for p in holders if p.id in recent), key=lambda p: recent.index(p.id))[-1:]
            chosen = named or in_post or holders
            if end is None or len(chosen) != 1:  # only an unambiguous family name + title
                continue
            resolved = _resolve(chosen, match.group("title"), lang, day, registry)
            person, post, own = resolved
            found.append(Mention(match.start(), end, person, post, text[match.start():end], match.group("title"),
                                 own, later=True, particle=particle))
    if lang != "ko" and recent:
        found += _family_mentions(text, registry, recent, found)
    return sorted(found, key=lambda m: m.start)


def _family_mentions(text: str, registry: Registry, recent, found: list[Mention]) -> list[Mention]:
    """English later mentions: the family name alone of someone the article named ("Eom said")."""
    mentions: list[Mention] = []
    taken = [(m.start, m.end) for m in found]
    for person_id in reversed(list(recent)):  # the latest named wins a shared family name
        person = registry.by_id(person_id)
        family = person.family("en") if person else ""
        if not family:
            continue
        for match in re.finditer(rf"(?<![\w-]){re.escape(family)}(?![\w-]|\s+[A-Z])", text):
            if not any(s < match.end() and match.start() < e for s, e in taken):
                mentions.append(Mention(match.start(), match.end(), person, None, match.group(), later=True))
                taken.append((match.start(), match.end()))
    return mentions


def _korean_end(text: str, match: re.Match) -> tuple[int | None, str]:
    """Where a Korean unit ends (before its particles), or None if it runs into a longer word."""
    end = match.end()
    run_end = end
    while run_end < len(text) and "가" <= text[run_end] <= "힣":
        run_end += 1
    particle = text[end:run_end]
    if particle and not is_particle_run(particle):
        return None, ""
    return end, particle
