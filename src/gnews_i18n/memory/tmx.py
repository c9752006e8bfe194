"""TMX 1.4 export and import of the translation memory, for CAT tools.

Each memory entry is one ``tu`` with two ``tuv`` (source and target language) and the
origin and author as ``prop``/``creationid``. Import accepts any language pair present
in a ``tu``: every ordered pair of its variants becomes an entry.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from gnews_i18n import __version__
from gnews_i18n.languages import EDITION_LANGUAGES
from gnews_i18n.memory.store import remember
from gnews_i18n.store.models import MemoryEntry

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class TmxError(ValueError):
    """A TMX file that cannot be read; the message names the file and the place."""


def write_tmx(session: Session, src: str | None = None, tgt: str | None = None) -> str:
    query = select(MemoryEntry).order_by(MemoryEntry.source_lang, MemoryEntry.target_lang, MemoryEntry.id)
    if src:
        query = query.where(MemoryEntry.source_lang == src)
    if tgt:
        query = query.where(MemoryEntry.target_lang == tgt)
    entries = list(session.scalars(query))
    sources = {e.source_lang for e in entries}
    root = ET.Element("tmx", {"version": "1.4"})
    ET.SubElement(root, "header", {
        "creationtool": "gnews-i18n", "creationtoolversion": __version__, "segtype": "sentence",
        "o-tmf": "gnews-i18n", "adminlang": "en", "datatype": "plaintext",
        "srclang": sources.pop() if len(sources) == 1 else "*all*",
    })
    body = ET.SubElement(root, "body")
    for entry in entries:
        unit = ET.SubElement(body, "tu", {
            "tuid": str(entry.id), "creationid": entry.author or "gnews-i18n",
            "changedate": entry.updated_at.strftime("%Y%m%dT%H%M%SZ"),
        })
        if entry.origin:
            ET.SubElement(unit, "prop", {"type": "x-origin"}).text = entry.origin
        for lang, text in ((entry.source_lang, entry.source_text), (entry.target_lang, entry.target_text)):
            ET.SubElement(ET.SubElement(unit, "tuv", {XML_LANG: lang}), "seg").text = text
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


@dataclass(frozen=True)
class TmxImport:
    units: int
    entries: int
    skipped: int  # variants in languages the desk does not publish


def _lang(code: str) -> str:
    return code.replace("_", "-").split("-")[0].lower()


def read_tmx(session: Session, data: bytes, name: str, author: str = "") -> TmxImport:
    """Add every pair of a TMX file to the memory (the newest wins on the same source)."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        line, column = error.position
        raise TmxError(f"{name}:{line}:{column}: not well-formed XML ({error})") from None
    if root.tag != "tmx" or root.find("body") is None:
        raise TmxError(f"{name}: not a TMX file (root <{root.tag}>, no <body>)")
    units = entries = skipped = 0
    for unit in root.find("body").iter("tu"):
        units += 1
        variants = []
        for tuv in unit.findall("tuv"):
            lang = _lang(tuv.get(XML_LANG) or tuv.get("lang") or "")
            seg = tuv.find("seg")
            text = "".join(seg.itertext()).strip() if seg is not None else ""
            if lang in EDITION_LANGUAGES and text:
                variants.append((lang, text))
            else:
                skipped += 1
        prop = unit.find("prop[@type='x-origin']")
        origin = prop.text if prop is not None and prop.text else f"tmx:{name}"
        for src, source in variants:
            for tgt, target in variants:
                if src != tgt:
                    remember(session, src, tgt, source, target, origin[:200], unit.get("creationid", author)[:100])
                    entries += 1
    return TmxImport(units, entries, skipped)
