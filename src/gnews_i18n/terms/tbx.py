"""TBX (ISO 30042:2019, TBX-Basic dialect) import and export, for CAT tools.

A concept is a ``conceptEntry``; each language a ``langSec``; each form a ``termSec``
whose ``administrativeStatus`` says preferred (approved), admitted (variant) or
deprecated (forbidden). The type is kept as ``descrip type="subjectField"``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from gnews_i18n.terms.glossary import Glossary, Origin, Term
from gnews_i18n.terms.problems import GlossaryError, GlossaryProblem

NS = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PREFERRED, ADMITTED, DEPRECATED = "preferredTerm-admn-sts", "admittedTerm-admn-sts", "deprecatedTerm-admn-sts"


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def write_tbx(glossary: Glossary, source_lang: str = "ko") -> str:
    ET.register_namespace("", NS)
    root = ET.Element(_q("tbx"), {"type": "TBX-Basic", "style": "dca", XML_LANG: source_lang})
    header = ET.SubElement(root, _q("tbxHeader"))
    file_desc = ET.SubElement(header, _q("fileDesc"))
    ET.SubElement(ET.SubElement(file_desc, _q("sourceDesc")), _q("p")).text = "gnews-i18n glossary"
    body = ET.SubElement(ET.SubElement(root, _q("text")), _q("body"))
    for index, term in enumerate(glossary.terms, 1):
        entry = ET.SubElement(body, _q("conceptEntry"), {"id": term.id or f"c{index}"})
        ET.SubElement(entry, _q("descrip"), {"type": "subjectField"}).text = term.type
        if term.note:
            ET.SubElement(entry, _q("note")).text = term.note
        if term.do_not_translate:
            ET.SubElement(entry, _q("note")).text = "do-not-translate"
        if term.ko_reading:
            ET.SubElement(entry, _q("descrip"), {"type": "ko-reading"}).text = term.ko_reading
        languages = sorted(set(term.forms) | set(term.variants) | set(term.forbidden))
        for lang in languages:
            forms = [(term.forms.get(lang), PREFERRED)] + [(v, ADMITTED) for v in term.variants.get(lang, [])]
            forms += [(f, DEPRECATED) for f in term.forbidden.get(lang, [])]
            forms = [(f, s) for f, s in forms if f]
            if not forms:
                continue
            lang_sec = ET.SubElement(entry, _q("langSec"), {XML_LANG: lang})
            for form, status in forms:
                term_sec = ET.SubElement(lang_sec, _q("termSec"))
                ET.SubElement(term_sec, _q("term")).text = form
                ET.SubElement(term_sec, _q("termNote"), {"type": "administrativeStatus"}).text = status
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def read_tbx(path: Path | str) -> Glossary:
    name = str(path)
    try:
        tree = ET.parse(path)
    except ET.ParseError as error:
        line = error.position[0] if error.position else 0
        raise GlossaryError([GlossaryProblem(name, line, f"not well-formed TBX/XML: {error}")]) from None
    except OSError as error:
        raise GlossaryError([GlossaryProblem(name, 0, f"cannot read: {error.strerror}")]) from None
    root = tree.getroot()
    ns = root.tag[1:].split("}")[0] if root.tag.startswith("{") else ""
    q = (lambda tag: f"{{{ns}}}{tag}") if ns else (lambda tag: tag)
    glossary = Glossary()
    # TBX 2019 uses conceptEntry/langSec/termSec; the older TBX 2008 termEntry/langSet/tig.
    entries = list(root.iter(q("conceptEntry"))) or list(root.iter(q("termEntry")))
    for entry in entries:
        term = Term(forms={}, id=entry.get("id", ""), origin=Origin(name, 0))
        for descrip in entry.findall(q("descrip")):
            if descrip.get("type") == "subjectField" and descrip.text:
                term.type = descrip.text.strip()
            elif descrip.get("type") == "ko-reading" and descrip.text:
                term.ko_reading = descrip.text.strip()
        for note in entry.findall(q("note")):
            text = (note.text or "").strip()
            if text == "do-not-translate":
                term.do_not_translate = True
            elif text:
                term.note = text
        for lang_sec in list(entry.findall(q("langSec"))) + list(entry.findall(q("langSet"))):
            lang = (lang_sec.get(XML_LANG) or "").split("-")[0].lower()
            for term_sec in list(lang_sec.findall(q("termSec"))) + list(lang_sec.findall(q("tig"))):
                form = (term_sec.findtext(q("term")) or "").strip()
                status = next((n.text for n in term_sec.findall(q("termNote"))
                               if n.get("type") == "administrativeStatus"), PREFERRED)
                if not form:
                    continue
                if status == DEPRECATED:
                    term.forbidden.setdefault(lang, []).append(form)
                elif status == ADMITTED or lang in term.forms:
                    term.variants.setdefault(lang, []).append(form)
                else:
                    term.forms[lang] = form
        if term.forms:
            glossary.terms.append(term)
    return glossary
