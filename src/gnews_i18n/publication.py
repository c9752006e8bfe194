"""The publication: the newsletter's name, description, colours and sender, read from one TOML file.

``GNEWS_PUBLICATION`` names the file; without it the copy shipped beside this module (the
sample newsletter, *Medical Gyeonggi e-News*) is used. The site, the feeds, the e-mail editions
and the landing page read it through :func:`load_publication`; nothing else hard-codes the name.
A file that cannot be read, or whose colours fail WCAG AA contrast, is refused with a
:class:`PublicationError` that names the file and the key.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

__all__ = ["DEFAULT_PATH", "Publication", "PublicationError", "contrast_ratio", "load_publication"]

DEFAULT_PATH = Path(__file__).with_name("publication.toml")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_MIN_CONTRAST = 4.5  # WCAG 2.1 AA, normal text
_CONTRAST_PAIRS = (("text", "background"), ("accent", "background"), ("accent_text", "accent"))


class PublicationError(ValueError):
    """The publication file is missing, is not TOML, or holds a value that cannot be used."""


@dataclass(frozen=True)
class Publication:
    names: dict[str, str]
    descriptions: dict[str, str] = field(default_factory=dict)
    default_lang: str = "ko"
    site_url: str = ""
    logo: str = ""
    colours: dict[str, str] = field(default_factory=dict)
    sender_name: str = ""
    sender_address: str = ""
    reply_to: str = ""
    path: Path = DEFAULT_PATH

    def name(self, lang: str) -> str:
        """The newsletter's name in ``lang``, else in the default language, else any name it has."""
        return self.names.get(lang) or self.names.get(self.default_lang) or next(iter(self.names.values()))

    def description(self, lang: str) -> str:
        return self.descriptions.get(lang) or self.descriptions.get(self.default_lang, "")


def contrast_ratio(first: str, second: str) -> float:
    """The WCAG 2.1 contrast ratio of two ``#rrggbb`` colours (1.0 to 21.0)."""
    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


_DEFAULT_COLOURS = {"text": "#1b1b1b", "background": "#ffffff", "accent": "#00558c", "accent_text": "#ffffff"}


def _strings(data: dict, key: str, where: Path) -> dict[str, str]:
    table = data.get(key, {})
    if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
        raise PublicationError(f"{where}: [{key}] must be a table of language = \"text\" lines")
    for lang, text in table.items():
        if any(ord(c) < 32 for c in text):
            raise PublicationError(f"{where}: {key}.{lang} contains a control character; write it on one line")
    return {lang: text.strip() for lang, text in table.items() if text.strip()}


def _parse(path: Path) -> Publication:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PublicationError(f"{path}: no such publication file; set GNEWS_PUBLICATION to an existing "
                               f"file, or unset it to use the shipped one") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise PublicationError(f"{path}: not a valid TOML file ({exc})") from None
    names = _strings(data, "name", path)
    if not names:
        raise PublicationError(f"{path}: [name] needs the newsletter's name in at least one language, "
                               f'e.g. en = "Medical Gyeonggi e-News"')
    colours = dict(_DEFAULT_COLOURS)
    given = data.get("colours", {})
    if not isinstance(given, dict):
        raise PublicationError(f"{path}: [colours] must be a table")
    for key, value in given.items():
        if key not in _DEFAULT_COLOURS:
            raise PublicationError(f"{path}: colours.{key} is not a colour the site uses "
                                   f"(known: {', '.join(_DEFAULT_COLOURS)})")
        if not isinstance(value, str) or not _COLOUR.match(value):
            raise PublicationError(f"{path}: colours.{key} = {value!r} is not a #rrggbb colour")
        colours[key] = value.lower()
    for fore, back in _CONTRAST_PAIRS:
        ratio = contrast_ratio(colours[fore], colours[back])
        if ratio < _MIN_CONTRAST:
            raise PublicationError(f"{path}: colours.{fore} on colours.{back} has contrast {ratio:.2f}:1; "
                                   f"WCAG AA needs at least {_MIN_CONTRAST}:1 — choose a darker or lighter one")
    sender = data.get("sender", {})
    if not isinstance(sender, dict):
        raise PublicationError(f"{path}: [sender] must be a table")
    values = {k: sender.get(k, "") for k in ("name", "address", "reply_to")}
    for key in ("default_lang", "site_url", "logo"):
        values[key] = data.get(key, "")
    for key, value in values.items():
        if not isinstance(value, str) or any(ord(c) < 32 for c in value):
            raise PublicationError(f"{path}: {key} must be a one-line string")
    return Publication(names=names, descriptions=_strings(data, "description", path),
                       default_lang=values["default_lang"].strip() or next(iter(names)),
                       site_url=values["site_url"].strip().rstrip("/"), logo=values["logo"].strip(),
                       colours=colours, sender_name=values["name"].strip(),
                       sender_address=values["address"].strip(), reply_to=values["reply_to"].strip(), path=path)


@lru_cache(maxsize=8)
def _cached(path: Path, mtime_ns: int) -> Publication:
    return _parse(path)


def load_publication(path: Path | str | None = None) -> Publication:
    """The publication at ``path``, else ``GNEWS_PUBLICATION``, else the shipped default.

    Read again whenever the file changes (its modification time is part of the cache key)."""
    chosen = Path(path or os.environ.get("GNEWS_PUBLICATION", "").strip() or DEFAULT_PATH).resolve()
    try:
        mtime = chosen.stat().st_mtime_ns
    except OSError:
        mtime = -1  # _parse says what is wrong
    return _cached(chosen, mtime)
