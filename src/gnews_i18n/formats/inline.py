"""Inline tags of segment text as XLIFF inline codes, so a CAT tool can move them but not break them.

Segment text carries a few inline HTML tags (``markup.TAG_RE``: links, emphasis). In
XLIFF a matched pair becomes ``<g id="1">…</g>`` (1.2) or ``<pc id="1">…</pc>`` (2.0)
and a tag whose partner is in another sentence a placeholder ``<x id="2"/>`` /
``<ph id="2"/>``. Ids are numbered in the source's order; the target's tags get the id
of the same tag in the source. Reading back, each code is replaced by the source's tag
text for its id, so the desk's own text comes back byte for byte and QA's markup check
sees exactly what the reviewer kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from gnews_i18n.formats.xml import Element, children, local
from gnews_i18n.markup import TAG_RE

__all__ = ["Code", "InlineError", "Pair", "original_data", "read_inline", "source_codes", "write_inline"]

_NAME = re.compile(r"</?\s*([a-zA-Z]+)")
_CTYPE_12 = {"a": "link", "b": "bold", "strong": "bold", "i": "italic", "em": "italic"}


@dataclass(frozen=True)
class Code:
    id: str
    start: str  # the tag (the opening one of a pair)
    end: str = ""  # the closing tag of a pair; "" for a lone tag

    @property
    def name(self) -> str:
        found = _NAME.match(self.start)
        return found.group(1).lower() if found else "x"


@dataclass
class Pair:
    code: Code
    content: list = field(default_factory=list)  # str | Pair | Code


def _tree(text: str, ids: dict[tuple[str, str], list[str]] | None = None) -> tuple[list, list[Code]]:
    """``text`` as nested content; with ``ids`` (from the source), tags take the source's ids
    and a tag the source does not have stays text."""
    root: list = []
    stack: list[tuple[str, list, int]] = []  # (opening tag, content before it, its index in parent)
    current = root
    codes: list[Code] = []
    last = 0
    for match in TAG_RE.finditer(text):
        if match.start() > last:
            current.append(text[last:match.start()])
        last = match.end()
        tag = match.group(0)
        name = _NAME.match(tag).group(1).lower()
        if not tag.startswith("</"):
            stack.append((tag, current, len(current)))
            current.append(None)  # placeholder until we know whether it is paired
            current = []
            continue
        if stack and _NAME.match(stack[-1][0]).group(1).lower() == name:
            opening, parent, index = stack.pop()
            parent[index] = Pair(Code("", opening, tag), current)
            current = parent
        else:
            current.append(Code("", tag))
    if last < len(text):
        current.append(text[last:])
    while stack:  # openings never closed: lone tags, their content back in line
        opening, parent, index = stack.pop()
        parent[index:index + 1] = [Code("", opening), *current]
        current = parent
    content = _number(root, codes, ids, {})
    return content, codes


def _number(content: list, codes: list[Code], ids, used: dict) -> list:
    out: list = []
    for node in content:
        if isinstance(node, str):
            out.append(node)
            continue
        code = node.code if isinstance(node, Pair) else node
        if ids is None:
            numbered = Code(str(len(codes) + 1), code.start, code.end)
            codes.append(numbered)
        else:
            key = (code.start, code.end)
            free = [i for i in ids.get(key, []) if i not in used]
            if not free:  # a tag the source does not have: left as text for the reviewer to see
                out.append(code.start)
                if isinstance(node, Pair):
                    out += _number(node.content, codes, ids, used) + [code.end]
                continue
            used[free[0]] = True
            numbered = Code(free[0], code.start, code.end)
        out.append(Pair(numbered, _number(node.content, codes, ids, used)) if isinstance(node, Pair) else numbered)
    return out


def source_codes(source: str) -> dict[str, Code]:
    """The inline codes of a source text, by id."""
    return {code.id: code for code in _tree(source)[1]}


def write_inline(parent: Element, text: str, source: str, version: str, ns: str) -> None:
    """Fill ``parent`` (a source or target element) with ``text``, tags as inline codes numbered after ``source``."""
    if text == source:
        content = _tree(text)[0]
    else:
        ids: dict[tuple[str, str], list[str]] = {}
        for code in _tree(source)[1]:
            ids.setdefault((code.start, code.end), []).append(code.id)
        content = _tree(text, ids)[0]
    _append(parent, content, version, ns)


def _append(parent: Element, content: list, version: str, ns: str) -> None:
    def add_text(value: str) -> None:
        last = parent[-1] if len(parent) else None
        if last is None:
            parent.text = (parent.text or "") + value
        else:
            last.tail = (last.tail or "") + value

    for node in content:
        if isinstance(node, str):
            add_text(node)
        elif isinstance(node, Pair):
            if version == "1.2":
                element = etree.SubElement(parent, f"{{{ns}}}g", {"id": node.code.id,
                                                                  "ctype": _CTYPE_12.get(node.code.name, "x-html")})
            else:
                element = etree.SubElement(parent, f"{{{ns}}}pc", {
                    "id": node.code.id, "dataRefStart": f"d{node.code.id}", "dataRefEnd": f"d{node.code.id}e",
                    "type": "link" if node.code.name == "a" else "fmt"})
            _append(element, node.content, version, ns)
        elif version == "1.2":
            etree.SubElement(parent, f"{{{ns}}}x", {"id": node.id, "ctype": f"x-html-{node.name}"})
        else:
            etree.SubElement(parent, f"{{{ns}}}ph", {"id": node.id, "dataRef": f"d{node.id}"})


def original_data(unit: Element, source: str, ns: str) -> None:
    """XLIFF 2.0's ``<originalData>``: the tag behind each code, for tools that show it."""
    codes = _tree(source)[1]
    if not codes:
        return
    data = etree.SubElement(unit, f"{{{ns}}}originalData")
    for code in codes:
        etree.SubElement(data, f"{{{ns}}}data", {"id": f"d{code.id}"}).text = code.start
        if code.end:
            etree.SubElement(data, f"{{{ns}}}data", {"id": f"d{code.id}e"}).text = code.end


class InlineError(ValueError):
    """An inline element that cannot be turned back into the desk's text; ``line`` says where."""

    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.line = line


_PAIRED = {"g", "pc"}
_LONE = {"x", "ph", "bx", "ex"}
_NATIVE = {"bpt", "ept", "it"}  # XLIFF 1.2 codes that carry the tag text itself (other tools write them)
_TRANSPARENT = {"mrk", "sm", "em"}  # annotations: their content is text


def read_inline(element: Element, codes: dict[str, Code]) -> str:
    """The desk's text of a source or target element, codes replaced by the source's tags."""
    parts = [element.text or ""]
    for inner in children(element):
        name, code_id = local(inner), inner.get("id", "")
        code = codes.get(code_id)
        if name in _PAIRED or name in _LONE:
            if code is None:
                raise InlineError(f"<{name} id={code_id!r}> has no matching code in the source (codes: "
                                  f"{', '.join(codes) or 'none'}); keep the source's codes", inner.sourceline or 0)
            if name in _PAIRED:
                if not code.end:
                    raise InlineError(f"<{name} id={code_id!r}> wraps text, but code {code_id} is a single tag in "
                                      "the source", inner.sourceline or 0)
                parts += [code.start, read_inline(inner, codes), code.end]
            else:
                if code.end:
                    raise InlineError(f"<{name} id={code_id!r}> is a placeholder, but code {code_id} wraps text in "
                                      "the source; use <g>/<pc>", inner.sourceline or 0)
                parts.append(code.start)
        elif name in _NATIVE:
            parts.append("".join(inner.itertext()))
        elif name in _TRANSPARENT:
            parts.append(read_inline(inner, codes))
        else:
            raise InlineError(f"<{name}> is not XLIFF inline markup this reader understands", inner.sourceline or 0)
        parts.append(inner.tail or "")
    return "".join(parts)
