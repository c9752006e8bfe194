"""XML files written by other tools (TBX, TMX, XLIFF): any encoding, every element with its line.

lxml reads the encoding from the BOM or the XML declaration (UTF-8, UTF-16 with or
without BOM, Latin-1 …) and keeps each element's source line, so a reader can say
*where* it found something it does not understand. Entities are not expanded and
nothing is fetched from the network (no DTD, no XInclude). A file that asks for XInclude
is refused at the element's line: its content would silently be missing.

Large files (TMX memories, TBX glossaries) are read as a stream (``EntryStream``): each entry
(``<tu>``, ``<termEntry>``) is handed over whole when it ends and removed from the tree once read,
so memory holds the file's frame and one entry, not the whole tree. Errors read the same either way.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterator

from lxml import etree

from gnews_i18n.formats.base import FormatError, FormatProblem

__all__ = ["XML_LANG", "Element", "EntryStream", "XmlFileError", "child", "children", "entity_references", "lang_of",
           "local", "namespace", "parse_xml", "path", "text_of", "where"]

Element = etree._Element
XINCLUDE_NAMESPACES = ("http://www.w3.org/2001/XInclude", "http://www.w3.org/2003/XInclude")


class XmlFileError(FormatError):
    """A file that is not well-formed XML; the message names the file and the line."""


# No entity expanded, nothing fetched, no DTD read; comments and processing instructions left out.
PARSER_OPTIONS = {"resolve_entities": False, "no_network": True, "load_dtd": False, "remove_comments": True,
                  "remove_pis": True, "huge_tree": False}


def _refuse_empty(data: bytes, name: str) -> None:
    if not data.strip(b"\x00\t\n\r \xef\xbb\xbf\xfe\xff"):
        raise XmlFileError(FormatProblem(name, 1, "the file is empty"))


def _not_well_formed(error: etree.XMLSyntaxError, name: str) -> XmlFileError:
    return XmlFileError(FormatProblem(name, error.lineno or 1, f"not well-formed XML ({error.msg})"))


def _first_fatal(events: etree.iterparse, error: etree.XMLSyntaxError) -> etree.XMLSyntaxError:
    """The error lxml's whole-file parser reports: iterparse may raise a later, vaguer one
    ("no element found") while its log holds what stopped the parser first."""
    fatal = [entry for entry in events.error_log if entry.level == etree.ErrorLevels.FATAL]
    if not fatal:
        return error
    first = fatal[-1]
    return etree.XMLSyntaxError(f"{first.message}, line {first.line}, column {first.column}", first.type,
                                first.line, first.column)


def _xinclude(element: Element, name: str) -> FormatProblem | None:
    if namespace(element) not in XINCLUDE_NAMESPACES:
        return None
    return FormatProblem(name, element.sourceline or 1, f"<{element.prefix or 'xi'}:{local(element)}> asks for "
                         "XInclude, which is not read (nothing is fetched); put the included content in the file "
                         "itself")


def parse_xml(data: bytes, name: str) -> Element:
    """The root element of ``data`` (bytes, so the file's own encoding applies)."""
    _refuse_empty(data, name)
    try:
        root = etree.fromstring(data, etree.XMLParser(**PARSER_OPTIONS))
    except etree.XMLSyntaxError as error:
        raise _not_well_formed(error, name) from None
    if root is None:
        raise XmlFileError(FormatProblem(name, 1, "no XML element found"))
    included = [problem for element in root.iter(etree.Element) if (problem := _xinclude(element, name))]
    if included:
        raise XmlFileError(included)
    return root


class EntryStream:
    """A file read one entry at a time: the children of its container (``("*", "body")`` is TMX's
    ``<body>``, ``("*", "text", "body")`` TBX's, ``*`` any name), each handed over complete and
    removed from the tree once the reader is done with it.

    What ``parse_xml`` refuses is refused here with the same message and line, and first:
    ``entries()`` raises XmlFileError for a file that is not well-formed (where lxml finds it),
    ``finish()`` for XInclude anywhere in the file — so a reader drains ``entries()``, then calls
    ``finish()``, and only then raises its own errors. ``path()`` writes an element's path as
    ``parse_xml``'s tree would (``/tmx/body/tu[3]/tuv[2]``, no ``[1]`` on an only child):
    an entry's index is counted as the entries pass, and ``settle()`` drops ``[1]`` from what was
    written for a name that stayed alone once the whole file is read."""

    def __init__(self, data: bytes, name: str, container: tuple[str, ...]):
        _refuse_empty(data, name)
        self.data, self.name, self.pattern = data, name, container
        self.root: Element | None = None
        self.container: Element | None = None
        self.entry: Element | None = None  # the entry being read
        self.seen: Counter[str] = Counter()  # the container's children so far, by local name
        self._container_path = ""
        self._included: list[FormatProblem] = []

    def _is_container(self, open_names: list[str]) -> bool:
        return len(open_names) == len(self.pattern) and all(
            want in ("*", got) for want, got in zip(self.pattern, open_names, strict=True))

    def entries(self) -> Iterator[Element]:
        open_names: list[str] = []
        events = etree.iterparse(io.BytesIO(self.data), events=("start", "end"), **PARSER_OPTIONS)
        try:
            for event, element in events:
                if event == "start":
                    open_names.append(local(element))
                    if self.root is None:
                        self.root = element
                    if (problem := _xinclude(element, self.name)) is not None:
                        self._included.append(problem)
                    if self.container is None and self._is_container(open_names):
                        self.container = element
                    continue
                open_names.pop()
                if self.container is not None and element.getparent() is self.container:
                    self.seen[local(element)] += 1
                    self.entry = element
                    yield element
                    self.entry = None
                    self.container.remove(element)  # read: its memory goes back
        except etree.XMLSyntaxError as error:
            raise _not_well_formed(_first_fatal(events, error), self.name) from None
        if self.root is None:
            raise XmlFileError(FormatProblem(self.name, 1, "no XML element found"))

    def finish(self) -> None:
        """Refuse XInclude anywhere in the file (after ``entries()`` is drained)."""
        if self._included:
            raise XmlFileError(self._included)

    def path(self, element: Element) -> str:
        """``path(element)`` for the entry being read or anything inside it; other elements as ``path``."""
        if self.entry is None or self.container is None:
            return path(element)
        if not self._container_path:
            self._container_path = path(self.container)
        steps = []
        node: Element | None = element
        while node is not None and node is not self.entry:
            steps.append(_step(node))
            node = node.getparent()
        if node is None:
            return path(element)
        entry = f"{local(self.entry)}[{self.seen[local(self.entry)]}]"
        return "/".join([self._container_path, entry, *reversed(steps)])

    def settle(self, text: str) -> str:
        """``text`` with the entries' paths as the whole tree writes them: ``/tu`` where one ``<tu>`` was all."""
        for name in self.alone():
            text = text.replace(f"{self._container_path}/{name}[1]", f"{self._container_path}/{name}")
        return text

    def alone(self) -> list[str]:
        """The entries' names that came once, when a path was written (else nothing needs settling)."""
        return [name for name, count in self.seen.items() if count == 1] if self._container_path else []

    def settled(self, problems: list[FormatProblem]) -> list[FormatProblem]:
        return [FormatProblem(p.file, p.line, self.settle(p.message)) for p in problems]


def entity_references(root: Element) -> list[Element]:
    """The references to declared or undeclared entities (``&name;``) left unexpanded in the tree.
    (``&amp;``, ``&lt;`` … and character references are read as the characters they stand for.)"""
    return list(root.iter(etree.Entity))


def local(element: Element) -> str:
    """The element's name without its namespace (``{urn:…}tu`` → ``tu``)."""
    return element.tag.rpartition("}")[2]  # as QName(element).localname, without building one per call


def namespace(element: Element) -> str:
    tag = element.tag
    return tag[1:tag.index("}")] if tag.startswith("{") else ""


def children(element: Element) -> list[Element]:
    """Child elements only (entities and other non-element nodes left out)."""
    return [child for child in element if isinstance(child.tag, str)]


def child(element: Element, name: str) -> Element | None:
    return next((c for c in children(element) if local(c) == name), None)


def _step(node: Element) -> str:
    """``langSet[2]``: the node's name, with its place among same-named siblings when it has any."""
    name, parent = local(node), node.getparent()
    if parent is not None:
        same = [c for c in children(parent) if local(c) == name]
        if len(same) > 1:
            name += f"[{same.index(node) + 1}]"
    return name


def path(element: Element) -> str:
    """``/martif/text/body/termEntry[3]/langSet[2]``: where an element sits, by local names."""
    steps = []
    node: Element | None = element
    while node is not None:
        steps.append(_step(node))
        node = node.getparent()
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
