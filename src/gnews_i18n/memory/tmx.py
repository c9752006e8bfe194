"""TMX export and import of the translation memory, for CAT tools (TMX 1.1–1.4, namespaced or not).

Each memory entry is one ``tu`` with its direction (``srclang``), two ``tuv`` (source and
target), the reviewer as ``creationid``/``changeid``, the approval time as
``creationdate``/``changedate`` and the desk's own metadata as ``<prop type="x-gnews-…">``.
Import reads each ``tu`` in its stated direction (the ``tu``'s ``srclang``, else the
header's, else its first variant) into one entry per other language; reverse-direction
entries only with ``both_directions``. Dates, authors and origins come back as they
were, so exporting, importing and exporting again gives the same file. A file is
checked whole before anything is stored: all of it, or a list of problems with lines.
Reading and writing TMX itself is ``formats.tmx``; this module maps its units to memory records.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from gnews_i18n.formats.base import FormatError
from gnews_i18n.formats.tmx import TmxUnit, read_tmx
from gnews_i18n.formats.tmx import write_tmx as write_units
from gnews_i18n.languages import EDITION_LANGUAGES
from gnews_i18n.memory.records import MemoryRecord

__all__ = ["TmxError", "TmxImport", "TmxParsed", "parse_tmx", "write_tmx"]


class TmxError(ValueError):
    """A TMX file that cannot be read; the message names the file and every place; nothing was stored."""


def write_tmx(records: Iterable[MemoryRecord]) -> str:
    """TMX 1.4 of ``records``, one ``<tu>`` each, with author, time and origin."""
    return write_units(TmxUnit(entry.source_lang, [(entry.source_lang, entry.source_text),
                                                   (entry.target_lang, entry.target_text)],
                               entry.author or "gnews-i18n", entry.updated_at, entry.origin,
                               str(entry.id) if entry.id else "")
                       for entry in records)


@dataclass(frozen=True)
class TmxImport:
    units: int
    entries: int
    skipped: int  # variants in languages the desk does not publish
    unpaired: int = 0  # units left with fewer than two such languages (nothing to store)


@dataclass(frozen=True)
class TmxParsed:
    records: list[MemoryRecord]
    result: TmxImport


def parse_tmx(data: bytes, name: str, author: str = "", both_directions: bool = False) -> TmxParsed:
    """The memory records of a TMX file (1.1–1.4), or TmxError listing every problem."""
    try:
        file = read_tmx(data, name, EDITION_LANGUAGES)
    except FormatError as error:
        raise TmxError(str(error)) from None
    problems = [str(problem) for problem in file.problems]
    pairs: list[MemoryRecord] = []
    unpaired = 0
    for unit in file.units:
        found = _records(unit, name, author, both_directions)
        pairs += found
        unpaired += not found
    if file.units and not pairs and not problems:
        problems.append(f"{name}: {len(file.units)} unit(s) but no pair in two languages the desk publishes "
                        f"({', '.join(sorted(EDITION_LANGUAGES))}); nothing to import")
    if problems:
        listed = "\n".join(f"  {p}" for p in problems[:50])
        raise TmxError(f"{name}: {len(problems)} problem(s), nothing was imported:\n{listed}")
    return TmxParsed(pairs, TmxImport(len(file.units), len(pairs), file.skipped, unpaired))


def _records(unit: TmxUnit, name: str, author: str, both_directions: bool) -> list[MemoryRecord]:
    """One record per other language, in the unit's direction (every direction with ``both_directions``)."""
    by_lang = dict(unit.variants)
    src = unit.srclang
    directions = [(s, t) for s in by_lang for t in by_lang if s != t] if both_directions else \
        [(src, t) for t in by_lang if t != src and src in by_lang]
    origin, who = unit.origin or f"tmx:{name}", unit.author or author
    return [MemoryRecord(s, t, by_lang[s], by_lang[t], origin, who, unit.when) for s, t in directions]
