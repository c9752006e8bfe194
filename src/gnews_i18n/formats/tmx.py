"""TMX files: 1.4 written, 1.1–1.4 read (namespaced or not), as multilingual units.

A ``tu`` is one ``TmxUnit``: its variants (``tuv``: language and text, in file order),
its direction (``srclang``: the ``tu``'s, else the header's, else its first variant),
who made it (``changeid``/``creationid``), when (``changedate``/``creationdate``), its
origin (``<prop type="x-gnews-origin">`` or ``x-origin``) and its line. Reading checks
the whole file and lists every problem with its line; turning units into memory
records is memory/'s work.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field

from lxml import etree

from gnews_i18n import __version__
from gnews_i18n.formats.base import FormatError, FormatProblem
from gnews_i18n.formats.xml import XML_LANG, Element, EntryStream, children, lang_of, local

__all__ = ["DATE", "PROP_ORIGIN", "TmxFile", "TmxUnit", "iter_tmx", "read_tmx", "write_tmx"]

DATE = "%Y%m%dT%H%M%SZ"
PROP_ORIGIN = "x-gnews-origin"
VERSIONS = {"1.1", "1.2", "1.3", "1.4", "1.4b"}
INLINE = {"bpt", "ept", "it", "ph", "hi", "ut", "sub"}


@dataclass(slots=True)  # a large memory holds many
class TmxUnit:
    """One ``tu``: a text in several languages, read in its ``srclang``'s direction."""

    srclang: str
    variants: list[tuple[str, str]]  # (language, text) of each tuv, in file order
    author: str = ""  # changeid, else creationid
    when: dt.datetime | None = None  # changedate, else creationdate
    origin: str = ""
    tuid: str = ""
    line: int = 0


@dataclass
class TmxFile:
    name: str
    units: list[TmxUnit] = field(default_factory=list)
    skipped: int = 0  # variants left out: empty, or in a language not asked for
    problems: list[FormatProblem] = field(default_factory=list)


def write_tmx(units: Iterable[TmxUnit]) -> str:
    """TMX 1.4 of ``units``, one ``<tu>`` each, with author, time and origin."""
    entries = list(units)
    sources = {e.srclang for e in entries}
    root = etree.Element("tmx", {"version": "1.4"})
    etree.SubElement(root, "header", {
        "creationtool": "gnews-i18n", "creationtoolversion": __version__, "segtype": "sentence",
        "o-tmf": "gnews-i18n", "adminlang": "en", "datatype": "plaintext",
        "srclang": sources.pop() if len(sources) == 1 else "*all*",
    })
    body = etree.SubElement(root, "body")
    for index, entry in enumerate(entries, 1):
        when = (entry.when or dt.datetime.now(dt.UTC)).strftime(DATE)
        unit = etree.SubElement(body, "tu", {
            "tuid": entry.tuid or str(index), "srclang": entry.srclang, "creationid": entry.author,
            "creationdate": when, "changeid": entry.author, "changedate": when,
        })
        if entry.origin:
            etree.SubElement(unit, "prop", {"type": PROP_ORIGIN}).text = entry.origin
        for lang, text in entry.variants:
            etree.SubElement(etree.SubElement(unit, "tuv", {XML_LANG: lang}), "seg").text = text
    etree.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(root, encoding="unicode") + "\n"


def _date(value: str | None) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(value or "", DATE)
    except ValueError:
        return None


def _lang(code: str) -> str:
    return code.replace("_", "-").split("-")[0].strip().lower()


def read_tmx(data: bytes, name: str, languages: Collection[str] | None = None) -> TmxFile:
    """The units of a TMX file (1.1–1.4), variants in ``languages`` only (all when None).

    A file that is not TMX raises FormatError; what is wrong inside it is listed in
    ``problems`` (each with its line) for the caller to refuse the file whole."""
    file = TmxFile(name)
    file.units = list(iter_tmx(data, name, languages, file))
    return file


def iter_tmx(data: bytes, name: str, languages: Collection[str] | None = None,
             file: TmxFile | None = None) -> Iterator[TmxUnit]:
    """``read_tmx`` one unit at a time: the file is read as a stream (formats.xml.EntryStream), so
    memory holds one ``<tu>``, not the tree. ``file`` gets the problems and the skipped count (its
    ``units`` left as they are); they are complete, and FormatError raised, once the units are all out."""
    file = file if file is not None else TmxFile(name)
    stream = EntryStream(data, name, ("*", "body"))  # XmlFileError, a FormatError, when it is not XML
    default_src: str | None = None  # from the <header>, read when the first unit comes
    units = 0
    for unit in stream.entries():
        root = stream.root
        if local(root) != "tmx" or root.get("version", "tmx") not in VERSIONS | {"tmx", ""}:
            continue  # refused below, once the whole file is known to be XML
        if default_src is None:
            default_src = _default_srclang(root)
        if local(unit) != "tu":
            file.problems.append(FormatProblem(name, unit.sourceline, f"<{local(unit)}> at {stream.path(unit)} is "
                                                                      "not a <tu>"))
            continue
        units += 1
        yield _unit(unit, file, default_src, languages, stream.path)
    stream.finish()
    root, body = stream.root, stream.container
    if local(root) != "tmx" or body is None:
        raise FormatError(FormatProblem(name, root.sourceline or 0, f"not a TMX file (root <{local(root)}>"
                                                                    f"{', no <body>' if body is None else ''})"))
    version = root.get("version", "")
    if version and version not in VERSIONS:
        raise FormatError(FormatProblem(name, root.sourceline or 0,
                                        f"TMX version {version!r}; this reader knows 1.1 to 1.4"))
    if not units:
        file.problems.append(FormatProblem(name, body.sourceline, "the <body> has no <tu>"))
    file.problems = stream.settled(file.problems)


def _default_srclang(root: Element) -> str:
    """The header's ``srclang`` as a base code ("" for none, or ``*all*``)."""
    header = next((c for c in children(root) if local(c) == "header"), None)
    default_src = (header.get("srclang", "") if header is not None else "").strip()
    return "" if default_src.lower() == "*all*" else _lang(default_src)


def _unit(unit: Element, file: TmxFile, default_src: str, languages: Collection[str] | None,
          path: Callable[[Element], str]) -> TmxUnit:
    name, problems = file.name, file.problems
    variants: list[tuple[str, str]] = []
    origin = ""
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
                problems.append(FormatProblem(name, element.sourceline, f"<tuv> at {path(element)}: {what}; a <tuv> "
                                                                         "has xml:lang and one <seg>"))
                continue
            unknown = [e for e in segs[0].iter() if e is not segs[0] and isinstance(e.tag, str)
                       and local(e) not in INLINE]
            if unknown:
                problems.append(FormatProblem(name, unknown[0].sourceline, f"<{local(unknown[0])}> inside <seg> at "
                                                                            f"{path(unknown[0])} is not TMX inline "
                                                                            "markup"))
                continue
            text = "".join(segs[0].itertext()).strip()
            if (languages is None or lang in languages) and text:
                variants.append((lang, text))
            else:
                file.skipped += 1
        elif kind not in ("note", "prop"):
            problems.append(FormatProblem(name, element.sourceline, f"<{kind}> at {path(element)} is not part of a "
                                                                     "TMX <tu>"))
    src = _lang(unit.get("srclang", "")) if unit.get("srclang", "").lower() != "*all*" else ""
    src = src or default_src or (variants[0][0] if variants else "")
    found = TmxUnit(src, variants, unit.get("changeid") or unit.get("creationid") or "",
                    _date(unit.get("changedate")) or _date(unit.get("creationdate")), origin, unit.get("tuid", ""),
                    unit.sourceline or 0)
    if variants and (languages is None or src in languages) and src not in dict(variants):
        problems.append(FormatProblem(name, unit.sourceline, f"<tu> at {path(unit)} says srclang {src} but has no "
                                                              f"{src} <tuv>"))
        found.variants = []
    return found
