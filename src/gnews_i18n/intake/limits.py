"""Bounds on what intake accepts, checked in linear time before anything expensive runs."""

from __future__ import annotations

import re

from gnews_i18n.intake.article import IntakeError, ParsedArticle

MAX_NESTING = 64  # JSON / YAML containers; an article needs 3
MAX_HTML_DEPTH = 256  # element nesting; real pages stay under 40
# The HTML parser's own time grows with the square of the nesting (40,000 nested <div> take 2 s),
# so a cheap count of the raw tags refuses the pathological before the parser sees it.
MAX_RAW_TAG_DEPTH = 2000
_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?(/?)>")
# Tags whose end tag may be left out or that have none: they never pile up in a browser.
_SELF_CLOSING = frozenset(
    "area base br col embed hr img input link meta source track wbr p li dt dd option optgroup tr td th "
    "thead tbody tfoot colgroup caption rb rt rp html head body".split())
MAX_TITLE = 1000
MAX_META = 200  # author and category (their database columns)


def nesting_depth(text: str) -> int:
    """The deepest ``[``/``{`` nesting of JSON text, not counting brackets inside strings."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def raw_tag_depth(text: str) -> int:
    """An upper estimate of HTML element nesting from the tags as written (linear, before parsing)."""
    depth = deepest = 0
    for match in _TAG_RE.finditer(text):
        closing, tag, self_closing = match.groups()
        if self_closing or tag.lower() in _SELF_CLOSING:
            continue
        depth = max(0, depth - 1) if closing else depth + 1
        deepest = max(deepest, depth)
    return deepest


def check_text(value: str, name: str, field: str) -> None:
    """No NUL characters and no lone surrogates (a JSON ``\\ud800`` escape): nothing can store them."""
    if "\x00" in value:
        raise IntakeError(f"{name}: {field} contains a NUL character; remove it", field)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise IntakeError(f"{name}: {field} contains a lone surrogate ({value[error.start]!a}) at character "
                          f"{error.start}; it is not text. Fix the escape sequence", field) from None


def check_article(article: ParsedArticle, name: str) -> None:
    """Every text field storable, and within its length."""
    for field, value in (("title", article.title), ("author", article.author), ("category", article.category),
                         ("slug", article.slug), ("lang", article.lang)):
        if value is not None:
            check_text(value, name, field)
    for index, block in enumerate(article.blocks):
        check_text(block.text, name, f"blocks[{index}].text")
    if len(article.title) > MAX_TITLE:
        raise IntakeError(f"{name}: the title has {len(article.title)} characters; the limit is {MAX_TITLE}. "
                          "Shorten it, or move the rest into the body", "title")
    for field, value in (("author", article.author), ("category", article.category)):
        if value is not None and len(value) > MAX_META:
            raise IntakeError(f"{name}: {field} has {len(value)} characters; the limit is {MAX_META}", field)
