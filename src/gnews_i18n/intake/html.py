"""HTML: find the article body, drop the page's chrome, keep its blocks in order."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

from gnews_i18n.intake.article import Block, ParsedArticle, normalize_space, parse_date
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
BLOCK_SELECTOR = ", ".join(sorted(BLOCK_TAGS))


def parse_html(text: str) -> ParsedArticle:
    tree = LexborHTMLParser(text)
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
    for node in _leaf_blocks(root):
        text = normalize_space(node.text(separator=" "))
        if not text or BOARD_META_RE.match(text):
            continue
        if not seen_title and normalize_space(text) == article.title:
            seen_title = True
            continue
        article.blocks.append(_block(node.tag, normalize_space(inline_html(node.inner_html or ""))))
    return article


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


def _leaf_blocks(root):
    """Block elements that hold text and contain no other block element, in document order."""
    for node in root.traverse(include_text=False):
        if node.tag not in BLOCK_TAGS:
            continue
        if len(node.css(BLOCK_SELECTOR)) > 1:  # lexbor's css() matches the node itself too
            continue
        yield node


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
