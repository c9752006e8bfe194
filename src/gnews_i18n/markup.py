"""Inline markup inside block text: links and emphasis that must survive segmentation and MT.

Block text is plain text that may carry a few inline tags (``<a href="…">``, ``<em>``,
``<strong>``, ``<b>``, ``<i>``). Sentence splitters see each tag as one opaque word, and
machine translation carries each tag through like a do-not-translate term (a placeholder
the model copies), so a link keeps its address and wraps the translated words.
"""

from __future__ import annotations

import html
import re

import nh3

INLINE_TAGS = {"a", "em", "strong", "b", "i"}
TAG_RE = re.compile(r"</?(?:a|em|strong|b|i)(?:\s[^<>]*)?>", re.IGNORECASE)
MARKUP_TYPE = "markup"


def mask(text: str) -> tuple[str, dict[str, str]]:
    """``text`` with every inline tag replaced by a letters-only stand-in, and the way back."""
    tags: dict[str, str] = {}

    def stand_in(match: re.Match) -> str:
        key = f"Zqx{len(tags)}xqZ"
        tags[key] = match.group(0)
        return key

    return TAG_RE.sub(stand_in, text), tags


def unmask(text: str, tags: dict[str, str]) -> str:
    for key, tag in tags.items():
        text = text.replace(key, tag)
    return text


def inline_html(fragment: str) -> str:
    """An HTML fragment as block text: inline tags kept (links with their address only),
    everything else reduced to its text, character references decoded outside the tags."""
    cleaned = nh3.clean(fragment, tags=INLINE_TAGS, attributes={"a": {"href"}},
                        url_schemes={"http", "https", "mailto"}, link_rel=None)
    parts, last = [], 0
    for match in TAG_RE.finditer(cleaned):
        parts += [html.unescape(cleaned[last:match.start()]), match.group(0)]
        last = match.end()
    parts.append(html.unescape(cleaned[last:]))
    return "".join(parts)


def link(href: str, text: str) -> str:
    return f'<a href="{html.escape(href, quote=True)}">{text}</a>'
