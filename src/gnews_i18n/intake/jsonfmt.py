"""JSON: ``{"title", "body" | "blocks", "date", "author", "category", "slug", "lang"}``."""

from __future__ import annotations

import json

from gnews_i18n.intake.article import (
    BLOCK_KINDS,
    Block,
    IntakeError,
    ParsedArticle,
    normalize_space,
    parse_date,
)


def parse_json(text: str, name: str = "<input>") -> ParsedArticle:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise IntakeError(f"{name}:{error.lineno}:{error.colno}: not valid JSON: {error.msg}") from None
    if not isinstance(data, dict):
        raise IntakeError(f"{name}: expected a JSON object with title and body")
    article = ParsedArticle(
        title=normalize_space(str(data.get("title") or "")),
        blocks=[],
        lang=(str(data["lang"]).strip().lower() if data.get("lang") else None),
        date=parse_date(data.get("date")),
        author=data.get("author") or None,
        category=data.get("category") or None,
        slug=data.get("slug") or None,
        source_format="json",
    )
    if "blocks" in data:
        for index, item in enumerate(data["blocks"]):
            if isinstance(item, str):
                item = {"kind": "paragraph", "text": item}
            kind = item.get("kind", "paragraph") if isinstance(item, dict) else None
            if kind not in BLOCK_KINDS:
                raise IntakeError(f"{name}: blocks[{index}]: kind must be one of {', '.join(BLOCK_KINDS)}")
            if normalize_space(str(item.get("text", ""))):
                article.blocks.append(Block(kind, normalize_space(str(item["text"])), int(item.get("level", 0))))
    else:
        body = str(data.get("body") or "")
        article.blocks = [
            Block("paragraph", normalize_space(part)) for part in body.split("\n\n") if normalize_space(part)
        ]
    return article
