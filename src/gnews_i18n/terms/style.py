"""Per-language news style for names: first mention in full, later mentions short.

The defaults are ``styles/en.toml`` and ``styles/ko.toml`` (other target languages use
English's); a file of the same name in ``GNEWS_STYLE_DIR`` overrides any of their keys.
Templates name these fields: ``{full}``, ``{abbr}``, ``{short}`` for concepts; ``{name}``,
``{family}``, ``{title}``, ``{org}``, ``{org_title}``, ``{short_title}``, ``{honorific}``
for people. An unknown field, a missing key or a value of the wrong kind is an error
naming the file and the key.
"""

from __future__ import annotations

import functools
import os
import string
import tomllib
from dataclasses import dataclass
from pathlib import Path

from gnews_i18n.terms.people import Person, Post

DEFAULTS = Path(__file__).parent / "styles"
CONCEPT_FIELDS = {"full", "abbr", "short"}
PERSON_FIELDS = {"name", "family", "title", "org", "org_title", "short_title", "honorific"}
LATER_CHOICES = ("abbr", "short", "full")


class StyleError(ValueError):
    pass


@dataclass(frozen=True)
class Style:
    lang: str
    first: str
    first_with_abbr: str
    later: tuple[str, ...]
    person_later: str
    no_post: str
    later_no_post: str
    honorific: str
    attached_titles: tuple[str, ...]
    title_types: dict[str, str]

    def concept(self, full: str, abbr: str, short: str, first: bool) -> str:
        if first:
            return (self.first_with_abbr if abbr else self.first).format(full=full, abbr=abbr, short=short)
        chosen = {"abbr": abbr, "short": short, "full": full}
        return next((chosen[c] for c in self.later if chosen[c]), full)

    def short_title(self, title: str) -> str:
        """The title as a later mention says it: the attached title it ends with (보건의료과장 → 과장)."""
        return max((t for t in self.attached_titles if title.endswith(t)), key=len, default=title)

    def person(self, person: Person, post: Post | None, first: bool) -> str:
        lang = self.lang
        title = post.title.get(lang, "") if post else ""
        org = post.org.get(lang, "") if post else ""
        joined = org + title if title in self.attached_titles else " ".join(p for p in (org, title) if p)
        fields = {"name": person.names.get(lang, ""), "family": person.family(lang), "title": title, "org": org,
                  "org_title": joined, "short_title": self.short_title(title), "honorific": self.honorific}
        if not title:
            template = self.no_post if first else self.later_no_post
        elif first:
            template = self.title_types.get(post.title_type, self.title_types["default"])
            if not org:  # a post without an organisation: no dangling comma
                template = template.replace(", {org}", "").replace("{org} ", "")
        else:
            template = self.person_later
        return " ".join(template.format(**fields).split())


    def bare(self, person: Person, first: bool) -> str:
        """An official the source names without a title: the name alone (the target never gains
        a title the source lacks); later the family name, but in Korean, where a family name
        alone is no way to refer to someone, the name again."""
        name = person.names.get(self.lang, "")
        return name if first or self.lang == "ko" else person.family(self.lang) or name


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def _merge(base: dict, override: dict) -> dict:
    merged = dict(base)
    for key, value in override.items():
        merged[key] = _merge(base[key], value) if isinstance(value, dict) and isinstance(base.get(key), dict) else value
    return merged


def _read(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise StyleError(f"{path}: {error}") from None


@functools.lru_cache(maxsize=32)
def load_style(lang: str, style_dir: str | None = None) -> Style:
    """The style of ``lang``: the default file (English's for languages without one), then the override."""
    default = DEFAULTS / f"{lang}.toml"
    data = _read(default if default.exists() else DEFAULTS / "en.toml")
    style_dir = style_dir if style_dir is not None else os.environ.get("GNEWS_STYLE_DIR", "")
    override = Path(style_dir) / f"{lang}.toml" if style_dir else None
    where = str(default)
    if override and override.exists():
        data, where = _merge(data, _read(override)), str(override)
    return _build(lang, data, where)


def _build(lang: str, data: dict, where: str) -> Style:
    def get(section: str, key: str, kind, fields: set[str] | None = None, default=None):
        value = data.get(section, {}).get(key, default)
        if not isinstance(value, kind):
            raise StyleError(f"{where}: [{section}] {key} must be a {kind.__name__}")
        unknown = _fields(value) - fields if fields is not None else set()
        if unknown:
            raise StyleError(f"{where}: [{section}] {key} names unknown field(s) {', '.join(sorted(unknown))}; "
                             f"use {', '.join(sorted(fields))}")
        return value

    later = tuple(get("concepts", "later", list))
    if any(choice not in LATER_CHOICES for choice in later):
        raise StyleError(f"{where}: [concepts] later may list only {', '.join(LATER_CHOICES)}")
    types = data.get("people", {}).get("title_types", {})
    if not isinstance(types, dict) or not isinstance(types.get("default"), str):
        raise StyleError(f"{where}: [people.title_types] needs a default template")
    for key, template in types.items():
        unknown = _fields(template) - PERSON_FIELDS if isinstance(template, str) else {"(not a string)"}
        if unknown:
            raise StyleError(f"{where}: [people.title_types] {key} names unknown field(s) {', '.join(sorted(unknown))}")
    return Style(
        lang=lang,
        first=get("concepts", "first", str, CONCEPT_FIELDS),
        first_with_abbr=get("concepts", "first_with_abbr", str, CONCEPT_FIELDS),
        later=later,
        person_later=get("people", "later", str, PERSON_FIELDS),
        no_post=get("people", "no_post", str, PERSON_FIELDS),
        later_no_post=get("people", "later_no_post", str, PERSON_FIELDS),
        honorific=get("people", "honorific", str, None, ""),
        attached_titles=tuple(get("people", "attached_titles", list, None, [])),
        title_types=dict(types),
    )
