"""The document's shape: where each segment of an article sits, and how translated
sentences become blocks again.

A segment is named by ``(block_index, sentence_index)``. Body blocks count from 0; three
segments come before them, each with a negative block index and a name people use:
the title, the correction's note and the author/department line (the byline).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from gnews_i18n.intake.article import FIGURE, Block
from gnews_i18n.segment import join_sentences

TITLE_BLOCK = -1
CORRECTION_BLOCK = -2  # a correction's note, translated and reviewed like any segment
BYLINE_BLOCK = -3  # the author/department line
NAMED_BLOCKS = {TITLE_BLOCK: "title", CORRECTION_BLOCK: "correction", BYLINE_BLOCK: "byline"}


def position_label(block_index: int, sentence_index: int) -> str:
    """How people name a segment: ``title``, ``correction``, ``byline`` or ``block.sentence``."""
    if block_index < 0:
        return NAMED_BLOCKS[block_index]
    return f"{block_index}.{sentence_index}"


@dataclass(frozen=True)
class TranslatedSentence:
    block_index: int
    sentence_index: int
    text: str


def assemble(blocks: list[Block], sentences: list[TranslatedSentence], lang: str) -> tuple[str, list[Block]]:
    """The translated title and blocks, each block's sentences joined in order."""
    by_block: dict[int, list[TranslatedSentence]] = {}
    for sentence in sentences:
        by_block.setdefault(sentence.block_index, []).append(sentence)

    def text_of(index: int) -> str:
        parts = sorted(by_block.get(index, []), key=lambda s: s.sentence_index)
        return join_sentences([p.text for p in parts], lang)

    translated = [replace(block, text=text_of(i)) for i, block in enumerate(blocks)]
    return text_of(TITLE_BLOCK), translated


def block_role(blocks: list, block_index: int) -> str | None:
    """What a body segment is when it is not running text, for reviewers and exported files:
    ``photo alt text: photos/ajou.jpg`` or ``photo caption: photos/ajou.jpg``; None otherwise.
    ``blocks`` are Blocks or their stored dicts."""
    if not 0 <= block_index < len(blocks):
        return None

    def get(index: int, key: str):
        block = blocks[index]
        return block.get(key) if isinstance(block, dict) else getattr(block, key)

    if get(block_index, "kind") == FIGURE:
        return f"photo alt text: {get(block_index, 'src')}"
    if get(block_index, "kind") == "caption" and block_index and get(block_index - 1, "kind") == FIGURE:
        return f"photo caption: {get(block_index - 1, 'src')}"
    return None


def figure_caption(blocks: list[Block], index: int) -> Block | None:
    """The caption block of the figure at ``index``, if it has one."""
    following = blocks[index + 1] if index + 1 < len(blocks) else None
    return following if following is not None and following.kind == "caption" else None


def lead_figure(blocks: list[Block]) -> tuple[Block, Block | None] | None:
    """An article's lead photo (its first figure) and that photo's caption; None without photos.
    Issue pages and e-mail editions show it beside the article's title."""
    for index, block in enumerate(blocks):
        if block.kind == FIGURE:
            return block, figure_caption(blocks, index)
    return None


__all__ = ["BYLINE_BLOCK", "CORRECTION_BLOCK", "NAMED_BLOCKS", "TITLE_BLOCK", "TranslatedSentence", "assemble",
           "block_role", "figure_caption", "lead_figure", "position_label"]
