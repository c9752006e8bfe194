"""Plain text: the first line is the title, blank lines separate paragraphs.

Also reads text copied from a newsletter board page, as in the sample: site
chrome, a truncated listing title, then ``• Name …``/``• Date …``/``• Views …``
header lines before the real title. The header lines give the date and are
dropped, with everything above them.
"""

from __future__ import annotations

import re

from gnews_i18n.intake.article import Block, ParsedArticle, normalize_space, parse_date

# "• Name 관리자", "• Date 2023-11-21", "• Views 304" and their Korean board twins.
BOARD_META_RE = re.compile(
    r"^\s*[•·▪◦*-]?\s*(?P<key>Name|Writer|Author|Date|Views|Hits|작성자|글쓴이|등록일|작성일|조회수?)"
    r"\s*[:：]?\s+(?P<value>.+?)\s*$",
    re.IGNORECASE,
)
BULLET_RE = re.compile(r"^\s*(?:[•·▪◦*]|-(?=\s))\s+(?P<text>.+)$")
SUBTITLE_RE = re.compile(r"^\s*[-–—]\s*(?P<text>.+?)\s*[-–—]\s*$")


def parse_text(text: str) -> ParsedArticle:
    lines = text.split("\n")
    article = ParsedArticle(title="", blocks=[], source_format="text")
    start = _skip_board_header(lines, article)
    paragraphs = _paragraphs(lines[start:])
    if not paragraphs:
        return article
    article.title = normalize_space(" ".join(paragraphs[0]))
    for index, paragraph in enumerate(paragraphs[1:]):
        article.blocks.extend(_blocks_of(paragraph, first=index == 0))
    return article


def _skip_board_header(lines: list[str], article: ParsedArticle) -> int:
    """Index of the first line after a board header, reading its metadata; 0 if none."""
    meta_lines = [i for i, line in enumerate(lines[:30]) if BOARD_META_RE.match(line)]
    # A header is two or more metadata lines close together; one stray "Date" line is body text.
    if len(meta_lines) < 2 or meta_lines[-1] - meta_lines[0] > len(meta_lines) + 1:
        return 0
    for i in meta_lines:
        match = BOARD_META_RE.match(lines[i])
        key = match["key"].lower()
        if key in ("date", "등록일", "작성일") and article.date is None:
            article.date = parse_date(match["value"])
        elif key in ("name", "writer", "author", "작성자", "글쓴이"):
            article.extra["board_author"] = match["value"]
    return meta_lines[-1] + 1


def _paragraphs(lines: list[str]) -> list[list[str]]:
    paragraphs: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if line.strip():
            current.append(line.strip())
        elif current:
            paragraphs.append(current)
            current = []
    if current:
        paragraphs.append(current)
    return paragraphs


def _blocks_of(paragraph: list[str], first: bool) -> list[Block]:
    if first and len(paragraph) == 1 and (match := SUBTITLE_RE.match(paragraph[0])):
        return [Block("subtitle", normalize_space(match["text"]))]
    if all(BULLET_RE.match(line) for line in paragraph):
        return [Block("list_item", normalize_space(BULLET_RE.match(line)["text"])) for line in paragraph]
    return [Block("paragraph", normalize_space(" ".join(paragraph)))]
