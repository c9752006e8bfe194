"""HTML: find the article body, drop the page's chrome, keep its blocks in order."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

from gnews_i18n.intake.article import FIGURE, Block, IntakeError, ParsedArticle, normalize_space, parse_date
from gnews_i18n.intake.limits import MAX_HTML_DEPTH, MAX_RAW_TAG_DEPTH, raw_tag_depth
from gnews_i18n.intake.text import BOARD_META_RE
from gnews_i18n.markup import inline_html

CHROME_TAGS = "script, style, noscript, nav, footer, aside, form, button, iframe, svg, select"
CHROME_CLASS_RE = re.compile(
    r"(^|[-_ ])(share|sns|social|menu|gnb|lnb|nav|breadcrumbs?|footer|comment|banner|advert|ad|util|print|"
    r"related|sidebar|pagination|paging|btn|button)([-_ ]|$)",
    re.IGNORECASE,
)
BODY_SELECTORS = (
    "[itemprop=articleBody]", "article .article-body", "article", ".article-body", ".view_content",
    ".board-view", ".view-con", "main", "#content",
)
BLOCK_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote", "figcaption", "div"}


def parse_html(text: str, name: str = "<input>") -> ParsedArticle:
    depth = raw_tag_depth(text)
    if depth <= MAX_RAW_TAG_DEPTH:
        tree = LexborHTMLParser(text)
        depth = _depth(tree)
    if depth > MAX_HTML_DEPTH:
        raise IntakeError(f"{name}: the HTML nests elements {depth} deep; the limit is {MAX_HTML_DEPTH}. "
                          "Submit the article's own markup (a page's body, not generated nesting)")
    article = ParsedArticle(title="", blocks=[], source_format="html")
    article.lang = _lang(tree)
    article.date = _date(tree)
    title_node = tree.css_first("article h1") or tree.css_first("h1")
    article.title = _title(tree, title_node)

    for node in tree.css(CHROME_TAGS):
        node.decompose()
    for node in list(tree.css("[class], [id]")):
        marker = f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}"
        if CHROME_CLASS_RE.search(marker) and node.tag not in ("html", "body", "article", "main"):
            node.decompose()

    root = _body_root(tree)
    if root is None:
        return article
    seen_title = False
    held: dict[int, Block] = {}  # a figcaption written before its <img>, until the image comes
    for node in _leaf_blocks(root):
        figure = _figure_of(node)
        if node.tag == "img":
            src = normalize_space(node.attributes.get("src") or "")
            if src and not src.startswith("data:"):  # an inline data: image is no file to keep
                article.blocks.append(Block(FIGURE, normalize_space(node.attributes.get("alt") or ""), src=src))
            if figure is not None and figure.mem_id in held:
                article.blocks.append(held.pop(figure.mem_id))
            continue
        text = normalize_space(node.text(separator=" "))
        if not text or BOARD_META_RE.match(text):
            continue
        if not seen_title and normalize_space(text) == article.title:
            seen_title = True
            continue
        block = _block(node.tag, normalize_space(inline_html(node.inner_html or "")))
        if node.tag == "figcaption" and figure is not None and not (article.blocks and
                                                                   article.blocks[-1].kind == FIGURE):
            if figure.css_first("img") is not None:
                held[figure.mem_id] = block
                continue
        article.blocks.append(block)
    article.blocks.extend(held.values())  # a caption whose image was not kept stays a caption
    return article


def _figure_of(node):
    """The <figure> around ``node``, if any."""
    parent = node.parent
    while parent is not None and parent.tag not in ("figure", "body", "html"):
        parent = parent.parent
    return parent if parent is not None and parent.tag == "figure" else None


def _lang(tree: LexborHTMLParser) -> str | None:
    html = tree.css_first("html")
    lang = html.attributes.get("lang") if html is not None else None
    return lang.split("-")[0].lower() if lang else None


def _date(tree: LexborHTMLParser) -> object:
    for selector, attribute in (
        ("meta[property='article:published_time']", "content"),
        ("meta[name=date]", "content"),
        ("time[datetime]", "datetime"),
    ):
        node = tree.css_first(selector)
        if node is not None and (value := parse_date(node.attributes.get(attribute))):
            return value
    body = tree.body
    if body is not None:
        for match in re.finditer(r"(?:Date|등록일|작성일)\s*[:：]?\s*([0-9][0-9.\-/년월일 ]+)", body.text()):
            if value := parse_date(match.group(1)):
                return value
    return None


def _title(tree: LexborHTMLParser, title_node) -> str:
    if title_node is not None and normalize_space(title_node.text()):
        return normalize_space(title_node.text())
    og = tree.css_first("meta[property='og:title']")
    if og is not None and og.attributes.get("content"):
        return normalize_space(og.attributes["content"])
    node = tree.css_first("title")
    return normalize_space(node.text()) if node is not None else ""


def _body_root(tree: LexborHTMLParser):
    for selector in BODY_SELECTORS:
        node = tree.css_first(selector)
        if node is not None and len(normalize_space(node.text())) > 40:
            return node
    return tree.body


def _depth(tree: LexborHTMLParser) -> int:
    """The deepest element nesting, in one pass (parents come before their children)."""
    depths: dict[int, int] = {}
    deepest = 0
    for node in tree.root.traverse(include_text=False) if tree.root is not None else ():
        parent = node.parent
        depth = depths.get(parent.mem_id, 0) + 1 if parent is not None else 1
        depths[node.mem_id] = depth
        deepest = max(deepest, depth)
    return deepest


def _leaf_blocks(root) -> list:
    """Block elements that contain no other block element, in document order.

    One pass: each node remembers its nearest block ancestor-or-self, and a block marks
    that ancestor as not a leaf (asking each block for its block descendants was quadratic).
    """
    nearest: dict[int, int | None] = {}
    containers: set[int] = set()
    blocks = []
    for node in root.traverse(include_text=False):
        parent = node.parent
        above = nearest.get(parent.mem_id) if parent is not None else None
        if node.tag == "img":  # a photo: a block of its own that leaves the text around it a block too
            blocks.append(node)
            continue
        if node.tag in BLOCK_TAGS:
            if above is not None:
                containers.add(above)
            nearest[node.mem_id] = node.mem_id
            blocks.append(node)
        else:
            nearest[node.mem_id] = above
    return [node for node in blocks if node.mem_id not in containers]


def _block(tag: str, text: str) -> Block:
    if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        return Block("heading", text, level=int(tag[1]))
    if tag == "li":
        return Block("list_item", text)
    if tag == "blockquote":
        return Block("quote", text)
    if tag == "figcaption":
        return Block("caption", text)
    return Block("paragraph", text)
