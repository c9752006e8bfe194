"""Markdown with YAML front matter (title, date, author, category, slug, lang)."""

from __future__ import annotations

import html
import re

import yaml
from markdown_it import MarkdownIt

from gnews_i18n.intake.article import FIGURE, Block, IntakeError, ParsedArticle, normalize_space, parse_date
from gnews_i18n.intake.limits import MAX_NESTING

TEXT_KEYS = ("title", "author", "category", "slug", "lang")
FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)


def parse_markdown(text: str, name: str = "<input>") -> ParsedArticle:
    meta, body = _front_matter(text, name)
    for key in TEXT_KEYS:
        if meta.get(key) is not None and not isinstance(meta[key], str):
            raise IntakeError(f"{name}: front matter {key} must be text, not {type(meta[key]).__name__} "
                              f"({meta[key]!r}"[:200] + "); quote it", key)
    article = ParsedArticle(
        title=normalize_space(meta.get("title") or ""),
        blocks=[],
        lang=(meta["lang"].strip().lower() if meta.get("lang") else None),
        date=parse_date(meta.get("date")),
        author=_opt(meta.get("author")),
        category=_opt(meta.get("category")),
        slug=meta.get("slug") or None,
        source_format="markdown",
    )
    if meta.get("date") and article.date is None:
        raise IntakeError(f"{name}: front matter date {meta['date']!r} is not a date (use YYYY-MM-DD)")
    article.blocks = _blocks(body)
    if not article.title and article.blocks and article.blocks[0].kind == "heading":
        article.title = article.blocks.pop(0).text
    return article


def _opt(value: object) -> str | None:
    return normalize_space(str(value)) if value not in (None, "") else None


def _front_matter(text: str, name: str) -> tuple[dict, str]:
    match = FRONT_MATTER_RE.match(text)
    if not match:
        return {}, text
    try:
        meta = yaml.load(match["yaml"], Loader=FrontMatterLoader) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f":{mark.line + 2}" if mark else ""  # +1 for 1-based, +1 for the opening ---
        raise IntakeError(f"{name}{where}: front matter is not valid YAML: {error}") from None
    except ValueError as error:  # a timestamp that is no date: 2023-13-45
        raise IntakeError(f"{name}: front matter has an impossible date or time ({error}); use YYYY-MM-DD",
                          "date") from None
    if not isinstance(meta, dict):
        raise IntakeError(f"{name}:2: front matter must be key: value pairs")
    return meta, text[match.end():]


class FrontMatterLoader(yaml.SafeLoader):
    """YAML for front matter: no aliases (a few bytes of anchors can expand to gigabytes), bounded nesting."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, "front matter may not use aliases (*name); "
                                              "write the value out", event.start_mark)
        self._depth = getattr(self, "_depth", 0) + 1
        try:
            if self._depth > MAX_NESTING:
                raise yaml.composer.ComposerError(None, None, f"front matter is nested more than {MAX_NESTING} "
                                                  "levels deep", self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _blocks(body: str) -> list[Block]:
    tokens = MarkdownIt("commonmark").parse(body)
    blocks: list[Block] = []
    context: list[str] = []  # enclosing containers: list_item, blockquote
    pending_heading = 0
    from_title: set[int] = set()  # captions taken from an image's title (an italic line below replaces them)
    for token in tokens:
        if token.type in ("list_item_open", "blockquote_open"):
            context.append(token.type.removesuffix("_open"))
        elif token.type in ("list_item_close", "blockquote_close"):
            context.pop()
        elif token.type == "heading_open":
            pending_heading = int(token.tag[1])
        elif token.type == "inline":
            text = normalize_space(_inline_text(token))
            figures, titled = _figures(token)
            if not context and not pending_heading and not figures and (caption := _caption(text)) and blocks \
                    and (blocks[-1].kind == FIGURE or len(blocks) - 1 in from_title):
                # the italic line under a photo is its caption (over the image's title, when both are given)
                if blocks[-1].kind == "caption":
                    blocks.pop()
                blocks.append(Block("caption", caption))
                continue
            if not context and not pending_heading and len(figures) - len(titled) == 1 and _image_first(token) \
                    and (caption := _caption(text)):
                # the photo and the italic line right under it, one Markdown paragraph: figure, then caption
                # (the italic line wins over the image's title, when both are given)
                blocks.extend(f for f in figures if f.kind == FIGURE)
                blocks.append(Block("caption", caption))
                continue
            from_title.update(len(blocks) + int(bool(text)) + i for i in titled)
            if not text:
                blocks.extend(figures)
                continue
            if pending_heading:
                blocks.append(Block("heading", text, level=pending_heading))
            elif "list_item" in context:
                blocks.append(Block("list_item", text))
            elif "blockquote" in context:
                blocks.append(Block("quote", text))
            else:
                blocks.append(Block("paragraph", text))
            blocks.extend(figures)  # a photo inside a line of text follows that text
            pending_heading = 0
    return blocks


def _image_first(token) -> bool:
    """Whether the inline run starts with an image (blank text and line breaks before it aside)."""
    for child in token.children or []:
        if child.type in ("softbreak", "hardbreak") or (child.type == "text" and not child.content.strip()):
            continue
        return child.type == "image"
    return False


_CAPTION_RE = re.compile(r"<em>((?:(?!</?em>).)+)</em>")


def _caption(text: str) -> str | None:
    """The text of a line that is wholly in italics (``*Caption*``), else None."""
    match = _CAPTION_RE.fullmatch(text)
    return normalize_space(match.group(1)) if match else None


def _figures(token) -> tuple[list[Block], list[int]]:
    """The images of an inline run as figures (alt text; the title, when given, as the caption),
    and which of those blocks are captions from a title."""
    figures: list[Block] = []
    titled: list[int] = []
    for child in token.children or []:
        if child.type == "image" and str(child.attrGet("src") or "").strip():
            figures.append(Block(FIGURE, normalize_space(child.content), src=str(child.attrGet("src")).strip()))
            if title := normalize_space(str(child.attrGet("title") or "")):
                titled.append(len(figures))
                figures.append(Block("caption", title))
    return figures, titled


_EMPHASIS = {"em_open": "<em>", "em_close": "</em>", "strong_open": "<strong>", "strong_close": "</strong>"}


def _inline_text(token) -> str:
    """The inline content as block text: links and emphasis become inline tags."""
    parts = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type == "link_open" and child.attrGet("href"):
            parts.append(f'<a href="{html.escape(str(child.attrGet("href")), quote=True)}">')
        elif child.type == "link_close":
            parts.append("</a>")
        elif child.type in _EMPHASIS:
            parts.append(_EMPHASIS[child.type])
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        # an image is not text: it becomes a figure block of its own (``_figures``)
    return "".join(parts)
