"""The people registry: officials' names per language and the posts they held over time.

``glossaries/people.csv``, one row per post (a person with no post, one row with no title):

================  ============================================================
``id``            the person (rows with one id are one person; required)
``ko``, ``en`` …  the name in that language (on any of the person's rows; equal if repeated)
``<lang>_family`` the family name for later mentions (default: the Korean name's surname
                  in Korean, the first word in Latin script: Eom Won-ja → Eom)
``org_<lang>``    the organisation of the post (경기도, Gyeonggi-do)
``title_<lang>``  the title (보건의료과장, Director of the Health and Medical Division)
``title_type``    which style rule renders the post (``head`` for governors and mayors,
                  ``officer`` otherwise; the style files name the types they know)
``from``, ``to``  the first and last day of the post (``YYYY-MM-DD``, either empty = open)
``note``          for reviewers
================  ============================================================

The registry's files are found beside the glossaries (``people*.csv``) and are never read
as glossaries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from gnews_i18n.formats.base import FormatError
from gnews_i18n.formats.table import decode_utf8, read_table
from gnews_i18n.languages import GLOSSARY_LANGUAGES as LANGUAGE_CODES
from gnews_i18n.terms.csvfile import parse_day
from gnews_i18n.terms.glossary import Origin, Term
from gnews_i18n.terms.names import SURNAMES
from gnews_i18n.terms.problems import GlossaryError, GlossaryProblem

TITLE_TYPES = ("head", "officer")
FIXED_COLUMNS = {"id", "title_type", "from", "to", "note"}


def is_people_file(path: Path | str) -> bool:
    return Path(path).name.lower().startswith("people")


@dataclass(frozen=True)
class Post:
    title: dict[str, str]
    org: dict[str, str]
    title_type: str = "officer"
    start: dt.date | None = None
    end: dt.date | None = None
    origin: Origin | None = None

    def valid_on(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    def when(self) -> str:
        if self.start and self.end:
            return f"from {self.start} to {self.end}"
        return f"until {self.end}" if self.end else (f"from {self.start}" if self.start else "")


@dataclass
class Person:
    id: str
    names: dict[str, str] = field(default_factory=dict)
    families: dict[str, str] = field(default_factory=dict)
    posts: list[Post] = field(default_factory=list)
    origin: Origin | None = None

    def family(self, lang: str) -> str:
        """The family name in ``lang``: as given, else a Korean name's surname, else the first word
    (the newsletter writes family names first: Eom Won-ja, Sultanbekov Otabek)."""
        if self.families.get(lang):
            return self.families[lang]
        name = self.names.get(lang, "")
        if lang == "ko" and " " not in name:  # a Korean name: its surname (two syllables for 남궁, 제갈 …)
            two = name[:2] if name[:2] in SURNAMES and len(name) > 3 else ""
            return two or name[:1]
        return name.split()[0] if name else ""

    def post_on(self, day: dt.date | None) -> Post | None:
        """The post held on ``day`` (the latest begun, if several); None for no date or none held."""
        posts = [p for p in self.posts if p.title and (day is None and p.end is None or day and p.valid_on(day))]
        return max(posts, key=lambda p: p.start or dt.date.min) if posts else None

    def holding(self, title: str, lang: str) -> list[Post]:
        folded = title.casefold()
        return [p for p in self.posts if p.title.get(lang, "").casefold() == folded]


@dataclass
class Registry:
    people: list[Person] = field(default_factory=list)

    def by_id(self, person_id: str) -> Person | None:
        return next((p for p in self.people if p.id == person_id), None)

    def merged_with(self, later: Registry) -> Registry:
        ids = {p.id for p in later.people}
        return Registry([p for p in self.people if p.id not in ids] + list(later.people))

    def yielding_to(self, terms: list[Term]) -> tuple[Registry, list[Person]]:
        """This registry less the people a glossary the user named writes otherwise (a term with one
        of their names in one language and another name in another: 김동연 → "Dongyeon Kim"), and
        those people; a glossary that agrees with the registry leaves it whole."""
        def differs(person: Person, term: Term) -> bool:
            names = {lang: name.casefold() for lang, name in person.names.items() if name}
            if not any(names.get(lang) == form.casefold() for lang, form in term.forms.items()):
                return False
            return any(lang in names and names[lang] != form.casefold() for lang, form in term.forms.items())
        gone = [p for p in self.people if any(differs(p, term) for term in terms)]
        return Registry([p for p in self.people if p not in gone]), gone


def read_people(path: Path | str, text: str | None = None) -> tuple[Registry, list[GlossaryProblem]]:
    """Read a registry CSV; every problem carries file:line. GlossaryError only if unreadable."""
    name = str(path)
    try:
        if text is None:
            text = decode_utf8(Path(path).read_bytes(), name)
        table = read_table(text, name)
    except FormatError as error:
        raise GlossaryError([GlossaryProblem(p.file, p.line, p.message) for p in error.problems]) from None
    except OSError as error:
        raise GlossaryError([GlossaryProblem(name, 0, f"cannot read: {error.strerror or error}")]) from None
    header = [h.strip().lower() for h in table.header]
    problems = [GlossaryProblem(name, 1, f"unknown column {c!r} (id, <lang>, <lang>_family, org_<lang>, "
                                "title_<lang>, title_type, from, to, note)")
                for c in header if c not in FIXED_COLUMNS and _lang_of(c) is None]
    if "id" not in header:
        raise GlossaryError(problems + [GlossaryProblem(name, 1, "no id column: each row names its person")])
    people: dict[str, Person] = {}
    for row in table.rows:
        _row(row.cells, header, Origin(name, row.line), people, problems)
    for person in people.values():
        if not person.names:
            problems.append(GlossaryProblem(name, person.origin.line, f"person {person.id!r} has no name in any "
                                            "language"))
    return Registry(list(people.values())), problems


def _lang_of(column: str) -> str | None:
    for prefix in ("org_", "title_"):
        if column.startswith(prefix) and column[len(prefix):] in LANGUAGE_CODES:
            return column[len(prefix):]
    base = column.removesuffix("_family")
    return base if base in LANGUAGE_CODES else None


def _row(row: list[str], header: list[str], where: Origin, people: dict[str, Person],
         problems: list[GlossaryProblem]) -> None:
    def problem(message: str, severity: str = "error") -> None:
        problems.append(GlossaryProblem(where.file, where.line, message, severity))

    if len(row) != len(header):
        return problem(f"{len(row)} cells but {len(header)} columns (a comma inside a value needs quotes)")
    cells = {c: v.strip() for c, v in zip(header, row, strict=True)}
    if not cells["id"]:
        return problem("no id: every row names its person")
    person = people.setdefault(cells["id"], Person(cells["id"], origin=where))
    for column, value in cells.items():
        lang = _lang_of(column)
        if not value or lang is None or column.startswith(("org_", "title_")):
            continue
        store = person.families if column.endswith("_family") else person.names
        if store.get(lang, value) != value:
            return problem(f"{column} {value!r} differs from {store[lang]!r} given earlier for {person.id!r}")
        store[lang] = value
    try:
        start, end = parse_day(cells.get("from", "")), parse_day(cells.get("to", ""))
    except ValueError as error:
        return problem(str(error))
    if start and end and start > end:
        return problem(f"inverted range: from {start} is after to {end}")
    titles = {c[6:]: v for c, v in cells.items() if c.startswith("title_") and c != "title_type" and v}
    orgs = {c[4:]: v for c, v in cells.items() if c.startswith("org_") and v}
    title_type = (cells.get("title_type") or "officer").lower()
    if not titles:
        if orgs or start or end:
            problem("a post needs a title (title_ko, title_en …)")
        return None
    for post in person.posts:
        if post.title == titles and (post.start or dt.date.min) <= (end or dt.date.max) and \
                (start or dt.date.min) <= (post.end or dt.date.max):
            return problem(f"the same post overlaps line {post.origin.line} ({post.when() or 'undated'})")
    person.posts.append(Post(titles, orgs, title_type, start, end, where))
    return None


def load_registry(paths: list[Path | str]) -> Registry:
    """The registries of ``paths`` merged (a later file's person replaces an earlier one's); GlossaryError
    listing every error."""
    registry, errors = Registry(), []
    for path in paths:
        found, problems = read_people(path)
        errors += [p for p in problems if p.severity == "error"]
        registry = registry.merged_with(found)
    if errors:
        raise GlossaryError(errors)
    return registry
