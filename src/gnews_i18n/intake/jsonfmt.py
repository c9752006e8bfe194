"""JSON: ``{"title", "body" | "blocks", "date", "author", "category", "slug", "lang"}``.

A photo is a block ``{"kind": "figure", "src": "photos/ajou.jpg", "alt": "…", "caption": "…"}``
(``text`` is accepted for ``alt``; the caption is optional).

Every field is checked for its type before use, so a wrong shape is refused with the
field's name rather than coerced (``"title": ["a"]`` is not the title ``"['a']"``).
"""

from __future__ import annotations

import json

from gnews_i18n.intake.article import (
    BLOCK_KINDS,
    FIGURE,
    Block,
    IntakeError,
    ParsedArticle,
    normalize_space,
    parse_date,
)
from gnews_i18n.intake.limits import MAX_NESTING, nesting_depth

TEXT_FIELDS = ("title", "body", "date", "author", "category", "slug", "lang")
MAX_HEADING_LEVEL = 6


def parse_json(text: str, name: str = "<input>") -> ParsedArticle:
    depth = nesting_depth(text)
    if depth > MAX_NESTING:
        raise IntakeError(f"{name}: the JSON is nested {depth} levels deep; an article needs at most 3 "
                          f"(the limit is {MAX_NESTING})")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise IntakeError(f"{name}:{error.lineno}:{error.colno}: not valid JSON: {error.msg}") from None
    except RecursionError:  # nesting_depth counts what json counts; this is a second fence
        raise IntakeError(f"{name}: the JSON is nested too deeply") from None
    if not isinstance(data, dict):
        raise IntakeError(f"{name}: expected a JSON object with title and body")
    fields = {key: _text(data, key, name) for key in TEXT_FIELDS}
    date = parse_date(fields["date"])
    if fields["date"] and date is None:
        raise IntakeError(f"{name}: date {fields['date']!r} is not a date (use YYYY-MM-DD)", "date")
    article = ParsedArticle(
        title=normalize_space(fields["title"] or ""),
        blocks=[],
        lang=(fields["lang"].strip().lower() if fields["lang"] else None),
        date=date,
        author=normalize_space(fields["author"]) or None if fields["author"] else None,
        category=normalize_space(fields["category"]) or None if fields["category"] else None,
        slug=fields["slug"] or None,
        source_format="json",
    )
    if "blocks" in data:
        article.blocks = _blocks(data["blocks"], name)
    else:
        body = fields["body"] or ""
        article.blocks = [
            Block("paragraph", normalize_space(part)) for part in body.split("\n\n") if normalize_space(part)
        ]
    return article


def _text(data: dict, key: str, name: str, where: str = "") -> str | None:
    value = data.get(key)
    field = f"{where}{key}"
    if value is None:
        return None
    if not isinstance(value, str):
        raise IntakeError(f"{name}: {field} must be a string, not {_kind(value)}", field)
    return value


def _blocks(items: object, name: str) -> list[Block]:
    if not isinstance(items, list):
        raise IntakeError(f"{name}: blocks must be a list of strings or {{kind, text, level}} objects, "
                          f"not {_kind(items)}", "blocks")
    blocks = []
    for index, item in enumerate(items):
        where = f"blocks[{index}]"
        if isinstance(item, str):
            item = {"text": item}
        if not isinstance(item, dict):
            raise IntakeError(f"{name}: {where} must be a string or an object, not {_kind(item)}", where)
        kind = item.get("kind", "paragraph")
        if kind not in BLOCK_KINDS:
            raise IntakeError(f"{name}: {where}.kind must be one of {', '.join(BLOCK_KINDS)}", f"{where}.kind")
        if kind == FIGURE:
            blocks.extend(_figure(item, name, where))
            continue
        text = _text(item, "text", name, f"{where}.") or ""
        level = item.get("level", 0)
        if isinstance(level, bool) or not isinstance(level, int) or not 0 <= level <= MAX_HEADING_LEVEL:
            raise IntakeError(f"{name}: {where}.level must be a whole number from 0 to {MAX_HEADING_LEVEL}, "
                              f"not {level!r}"[:300], f"{where}.level")
        if normalize_space(text):
            blocks.append(Block(kind, normalize_space(text), level))
    return blocks


def _figure(item: dict, name: str, where: str) -> list[Block]:
    src = normalize_space(_text(item, "src", name, f"{where}.") or "")
    if not src:
        raise IntakeError(f"{name}: {where} is a figure without its image; give \"src\": the photo's file name",
                          f"{where}.src")
    alt = _text(item, "alt", name, f"{where}.")
    alt = alt if alt is not None else _text(item, "text", name, f"{where}.") or ""
    caption = normalize_space(_text(item, "caption", name, f"{where}.") or "")
    return [Block(FIGURE, normalize_space(alt), src=src)] + ([Block("caption", caption)] if caption else [])


def _kind(value: object) -> str:
    return {dict: "an object", list: "a list", bool: "true/false", int: "a number", float: "a number",
            str: "a string", type(None): "null"}.get(type(value), type(value).__name__)
