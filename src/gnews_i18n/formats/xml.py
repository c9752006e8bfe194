"""XML files written by other tools (TBX, TMX, XLIFF): any encoding, every element with its line.

lxml reads the encoding from the BOM or the XML declaration (UTF-8, UTF-16 with or
without BOM, Latin-1 …) and keeps each element's source line, so a reader can say
*where* it found something it does not understand. Entities are not expanded and
nothing is fetched from the network (no DTD, no XInclude). A file that asks for XInclude
is refused at the element's line: its content would silently be missing.
"""

from __future__ import annotations

from lxml import etree

from gnews_i18n.formats.base import FormatError, FormatProblem

__all__ = ["XML_LANG", "Element", "XmlFileError", "child", "children", "entity_references", "lang_of", "local",
           "namespace",
           "parse_xml", "path", "text_of", "where"]

Element = etree._Element
XINCLUDE_NAMESPACES = ("http://www.w3.org/2001/XInclude", "http://www.w3.org/2003/XInclude")


class XmlFileError(FormatError):
    """A file that is not well-formed XML; the message names the file and the line."""


def parse_xml(data: bytes, name: str) -> Element:
    """The root element of ``data`` (bytes, so the file's own encoding applies)."""
    if not data.strip(b"\x00\t\n\r \xef\xbb\xbf\xfe\xff"):
        raise XmlFileError(FormatProblem(name, 1, "the file is empty"))
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True,
                             remove_pis=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        line = error.lineno or 1
        raise XmlFileError(FormatProblem(name, line, f"not well-formed XML ({error.msg})")) from None
    if root is None:
        raise XmlFileError(FormatProblem(name, 1, "no XML element found"))
    included = [e for ns in XINCLUDE_NAMESPACES for e in root.iter(f"{{{ns}}}*")]
    if included:
        raise XmlFileError([FormatProblem(name, e.sourceline or 1, f"<{e.prefix or 'xi'}:{local(e)}> asks for "
                                          "XInclude, which is not read (nothing is fetched); put the included "
                                          "content in the file itself") for e in included])
    return root


def entity_references(root: Element) -> list[Element]:
    """The references to declared or undeclared entities (``&name;``) left unexpanded in the tree.
    (``&amp;``, ``&lt;`` … and character references are read as the characters they stand for.)"""
    return list(root.iter(etree.Entity))


def local(element: Element) -> str:
    """The element's name without its namespace (``{urn:…}tu`` → ``tu``)."""
    return etree.QName(element).localname


def namespace(element: Element) -> str:
    return etree.QName(element).namespace or ""


def children(element: Element) -> list[Element]:
    """Child elements only (entities and other non-element nodes left out)."""
    return [child for child in element if isinstance(child.tag, str)]


def child(element: Element, name: str) -> Element | None:
    return next((c for c in children(element) if local(c) == name), None)


def path(element: Element) -> str:
    """``/martif/text/body/termEntry[3]/langSet[2]``: where an element sits, by local names."""
    steps = []
    node: Element | None = element
    while node is not None:
        parent = node.getparent()
        name = local(node)
        if parent is not None:
            same = [c for c in children(parent) if local(c) == name]
            if len(same) > 1:
                name += f"[{same.index(node) + 1}]"
        steps.append(name)
        node = parent
    return "/" + "/".join(reversed(steps))


def where(name: str, element: Element) -> str:
    """``file:line`` of an element."""
    return f"{name}:{element.sourceline or 0}"


def text_of(element: Element) -> str:
    """All text inside an element (inline elements' text included), trimmed."""
    return "".join(element.itertext()).strip()


XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def lang_of(element: Element) -> str:
    """The element's language (``xml:lang``, or ``lang`` as TMX 1.1–1.2 wrote it), as a base code."""
    code = element.get(XML_LANG) or element.get("lang") or ""
    return code.replace("_", "-").split("-")[0].strip().lower()
