"""TMX export and import of the translation memory, for CAT tools (TMX 1.1–1.4, namespaced or not).

Each memory entry is one ``tu`` with its direction (``srclang``), two ``tuv`` (source and
target), the reviewer as ``creationid``/``changeid``, the approval time as
``creationdate``/``changedate`` and the desk's own metadata as ``<prop type="x-gnews-…">``.
Import reads each ``tu`` in its stated direction (the ``tu``'s ``srclang``, else the
header's, else its first variant) into one entry per other language; reverse-direction
entries only with ``both_directions``. Dates, authors and origins come back as they
were, so exporting, importing and exporting again gives the same file. A file is
checked whole before anything is stored: all of it, or a list of problems with lines.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from lxml import etree

from gnews_i18n import __version__
from gnews_i18n.formats.xml import XML_LANG, Element, XmlFileError, children, lang_of, local, parse_xml, path
from gnews_i18n.languages import EDITION_LANGUAGES
from gnews_i18n.memory.records import MemoryRecord

DATE = "%Y%m%dT%H%M%SZ"
PROP_ORIGIN = "x-gnews-origin"
VERSIONS = {"1.1", "1.2", "1.3", "1.4", "1.4b"}
INLINE = {"bpt", "ept", "it", "ph", "hi", "ut", "sub"}


class TmxError(ValueError):
    """A TMX file that cannot be read; the message names the file and every place; nothing was stored."""


def write_tmx(records: Iterable[MemoryRecord]) -> str:
    """TMX 1.4 of ``records``, one ``<tu>`` each, with author, time and origin."""
    entries = list(records)
    sources = {e.source_lang for e in entries}
    root = etree.Element("tmx", {"version": "1.4"})
    etree.SubElement(root, "header", {
        "creationtool": "gnews-i18n", "creationtoolversion": __version__, "segtype": "sentence",
        "o-tmf": "gnews-i18n", "adminlang": "en", "datatype": "plaintext",
        "srclang": sources.pop() if len(sources) == 1 else "*all*",
    })
    body = etree.SubElement(root, "body")
    for index, entry in enumerate(entries, 1):
        author = entry.author or "gnews-i18n"
        when = (entry.updated_at or dt.datetime.now(dt.UTC)).strftime(DATE)
        unit = etree.SubElement(body, "tu", {
            "tuid": str(entry.id or index), "srclang": entry.source_lang, "creationid": author, "creationdate": when,
            "changeid": author, "changedate": when,
        })
        if entry.origin:
            etree.SubElement(unit, "prop", {"type": PROP_ORIGIN}).text = entry.origin
        for lang, text in ((entry.source_lang, entry.source_text), (entry.target_lang, entry.target_text)):
            etree.SubElement(etree.SubElement(unit, "tuv", {XML_LANG: lang}), "seg").text = text
    etree.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(root, encoding="unicode") + "\n"


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


def _date(value: str | None) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(value or "", DATE)
    except ValueError:
        return None


def parse_tmx(data: bytes, name: str, author: str = "", both_directions: bool = False) -> TmxParsed:
    """The memory records of a TMX file (1.1–1.4), or TmxError listing every problem."""
    try:
        root = parse_xml(data, name)
    except XmlFileError as error:
        raise TmxError(str(error)) from None
    body = next((c for c in children(root) if local(c) == "body"), None)
    if local(root) != "tmx" or body is None:
        raise TmxError(f"{name}:{root.sourceline}: not a TMX file (root <{local(root)}>"
                       f"{', no <body>' if body is None else ''})")
    version = root.get("version", "")
    if version and version not in VERSIONS:
        raise TmxError(f"{name}:{root.sourceline}: TMX version {version!r}; this reader knows 1.1 to 1.4")
    header = next((c for c in children(root) if local(c) == "header"), None)
    default_src = (header.get("srclang", "") if header is not None else "").strip()
    default_src = "" if default_src.lower() == "*all*" else _lang(default_src)
    problems: list[str] = []
    pairs: list[MemoryRecord] = []
    units = skipped = unpaired = 0
    for unit in children(body):
        if local(unit) != "tu":
            problems.append(f"{name}:{unit.sourceline}: <{local(unit)}> at {path(unit)} is not a <tu>")
            continue
        units += 1
        found, unit_skipped = _unit(unit, name, default_src, author, both_directions, problems)
        pairs += found
        skipped += unit_skipped
        unpaired += not found
    if units and not pairs and not problems:
        problems.append(f"{name}: {units} unit(s) but no pair in two languages the desk publishes "
                        f"({', '.join(sorted(EDITION_LANGUAGES))}); nothing to import")
    if not units:
        problems.append(f"{name}:{body.sourceline}: the <body> has no <tu>")
    if problems:
        listed = "\n".join(f"  {p}" for p in problems[:50])
        raise TmxError(f"{name}: {len(problems)} problem(s), nothing was imported:\n{listed}")
    return TmxParsed(pairs, TmxImport(units, len(pairs), skipped, unpaired))


def _lang(code: str) -> str:
    return code.replace("_", "-").split("-")[0].strip().lower()


def _unit(unit: Element, name: str, default_src: str, author: str, both_directions: bool,
          problems: list[str]) -> tuple[list[MemoryRecord], int]:
    variants: list[tuple[str, str]] = []
    origin, skipped = f"tmx:{name}", 0
    for element in children(unit):
        kind = local(element)
        if kind == "prop" and element.get("type") in (PROP_ORIGIN, "x-origin") and element.text:
            origin = element.text.strip()
        elif kind == "tuv":
            lang = lang_of(element)
            segs = [c for c in children(element) if local(c) == "seg"]
            others = [c for c in children(element) if local(c) not in ("seg", "note", "prop")]
            if len(segs) != 1 or others or not lang:
                what = f"<{local(others[0])}>" if others else ("no xml:lang" if not lang else f"{len(segs)} <seg>")
                problems.append(f"{name}:{element.sourceline}: <tuv> at {path(element)}: {what}; a <tuv> has "
                                "xml:lang and one <seg>")
                continue
            unknown = [e for e in segs[0].iter() if e is not segs[0] and isinstance(e.tag, str)
                       and local(e) not in INLINE]
            if unknown:
                problems.append(f"{name}:{unknown[0].sourceline}: <{local(unknown[0])}> inside <seg> at "
                                f"{path(unknown[0])} is not TMX inline markup")
                continue
            text = "".join(segs[0].itertext()).strip()
            if lang in EDITION_LANGUAGES and text:
                variants.append((lang, text))
            else:
                skipped += 1
        elif kind not in ("note", "prop"):
            problems.append(f"{name}:{element.sourceline}: <{kind}> at {path(element)} is not part of a TMX <tu>")
    src = _lang(unit.get("srclang", "")) if unit.get("srclang", "").lower() != "*all*" else ""
    src = src or default_src or (variants[0][0] if variants else "")
    by_lang = dict(variants)
    if variants and src in EDITION_LANGUAGES and src not in by_lang:
        problems.append(f"{name}:{unit.sourceline}: <tu> at {path(unit)} says srclang {src} but has no {src} <tuv>")
        return [], skipped
    who = unit.get("changeid") or unit.get("creationid") or author
    when = _date(unit.get("changedate")) or _date(unit.get("creationdate"))
    directions = [(s, t) for s in by_lang for t in by_lang if s != t] if both_directions else \
        [(src, t) for t in by_lang if t != src and src in by_lang]
    return [MemoryRecord(s, t, by_lang[s], by_lang[t], origin, who, when) for s, t in directions], skipped
