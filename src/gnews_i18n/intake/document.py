"""The document's shape: where each segment of an article sits, and how translated
sentences become blocks again.

A segment is named by ``(block_index, sentence_index)``. Body blocks count from 0; three
segments come before them, each with a negative block index and a name people use:
the title, the correction's note and the author/department line (the byline).
"""

from __future__ import annotations

from dataclasses import dataclass

from gnews_i18n.intake.article import Block
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

    translated = [Block(block.kind, text_of(i), block.level) for i, block in enumerate(blocks)]
    return text_of(TITLE_BLOCK), translated


__all__ = ["BYLINE_BLOCK", "CORRECTION_BLOCK", "NAMED_BLOCKS", "TITLE_BLOCK", "TranslatedSentence", "assemble",
           "position_label"]
