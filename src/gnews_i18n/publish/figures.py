"""Photos on the published site: each figure's image under a content-hashed name, and what the
templates need to show it (address, width, height, alt text, caption) in the edition's language.

The image files live once for the whole site, in ``photos/`` (``photos/3f2a…e1.jpg``): the
name is the content's hash, so every language's page shares one file, a changed photo gets a
new address (no stale cache), and a file never changes once written.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from gnews_i18n.intake.article import FIGURE, Block
from gnews_i18n.intake.document import figure_caption
from gnews_i18n.store.models import ArticlePhoto

PHOTO_DIR = "photos"
_TAGS = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Figure:
    """A photo as a page shows it; ``src`` is relative to the site's root."""

    src: str
    width: int
    height: int
    alt: str
    caption: str = ""  # block text (inline markup allowed), in the edition's language
    kind: str = FIGURE

    def to_dict(self) -> dict:
        return {"src": self.src, "width": self.width, "height": self.height, "alt": self.alt, "caption": self.caption}


def photo_path(photo: ArticlePhoto) -> str:
    return f"{PHOTO_DIR}/{photo.published_name}"


def plain(text: str) -> str:
    """Alt text is an attribute: plain text, without the inline tags block text may carry."""
    return " ".join(html.unescape(_TAGS.sub("", text)).split())


def page_items(blocks: list[Block], photos: dict[str, ArticlePhoto]) -> list[Block | Figure]:
    """The blocks as the article page lays them out: each figure, with the caption under it, as one
    Figure; a figure whose image is not stored is left out (intake refuses those, so: never)."""
    items: list[Block | Figure] = []
    skip = -1
    for index, block in enumerate(blocks):
        if index == skip:
            continue
        if block.kind != FIGURE:
            items.append(block)
            continue
        caption = figure_caption(blocks, index)
        skip = index + 1 if caption is not None else -1
        photo = photos.get(block.src or "")
        if photo is not None:
            items.append(Figure(photo_path(photo), photo.width, photo.height, plain(block.text),
                                caption.text if caption is not None else ""))
    return items


def lead_figure(blocks: list[Block], photos: dict[str, ArticlePhoto]) -> Figure | None:
    """The article's lead photo (its first figure) in the blocks' language: issue pages and e-mail
    editions show it beside the title."""
    return next((item for item in page_items(blocks, photos) if isinstance(item, Figure)), None)


__all__ = ["PHOTO_DIR", "Figure", "lead_figure", "page_items", "photo_path", "plain"]
