"""The reader's language from an ``Accept-Language`` header, among the languages a site has."""

from __future__ import annotations

import re

_RANGE = re.compile(r"^\s*([A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*|\*)\s*(?:;\s*q\s*=\s*([01](?:\.\d{0,3})?))?\s*$")


def preferred_language(header: str | None, available: list[str]) -> str | None:
    """The available language the reader ranks highest (``ko-KR`` matches ``ko``), or None.

    Ranges with q=0 are refused; a malformed range is skipped, never an error."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((header or "").split(",")[:50]):
        match = _RANGE.match(part)
        if not match:
            continue
        quality = float(match.group(2)) if match.group(2) else 1.0
        if quality > 0:
            ranked.append((-quality, position, match.group(1).lower()))
    for _, _, tag in sorted(ranked):
        if tag == "*":
            return available[0] if available else None
        primary = tag.split("-", 1)[0]
        for code in available:
            if code.lower() in (tag, primary):
                return code
    return None
