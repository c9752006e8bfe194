"""Where the model put each source word: its cross-attention read as a word alignment.

Given a source sentence and the model's output, the output is forced through the model once
(teacher forcing: one decoder pass, not a new search) and each output token is linked to the
source token it attended to most, averaged over heads (transformers: every layer's
cross-attention; CTranslate2: what ``return_attention`` gives, with the output as
``target_prefix``). Tokens are tied to character spans of the two texts, so a caller asks
in characters: "which output span renders source[start:end]?".

Attention is only as good as the model: the terminology step uses it where a placeholder
was lost or where no placeholder is written at all, and measures it
(``bench/term_fluency.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_EDGE = ".,;:!?\"'“”‘’()[]"
SPACE = "▁"  # sentencepiece's word start


def piece_spans(text: str, pieces: list[str], specials: set[str]) -> list[tuple[int, int] | None]:
    """The character span of each sentencepiece piece in ``text`` (None for special tokens).

    An unknown piece (``<unk>``) covers what lies between its neighbours."""
    spans: list[tuple[int, int] | None] = []
    cursor, pending = 0, []
    for index, piece in enumerate(pieces):
        if piece == "<unk>":
            pending.append(index)
            spans.append(None)
            continue
        core = piece.replace(SPACE, " ").strip()
        if piece in specials or not core:
            spans.append(None)
            continue
        at = text.find(core, cursor)
        if at < 0:  # normalized by the tokenizer: keep the order, give up on this piece
            spans.append(None)
            continue
        _close_unknown(text, spans, pending, cursor, at)
        spans.append((at, at + len(core)))
        cursor = at + len(core)
    _close_unknown(text, spans, pending, cursor, len(text.rstrip()))
    return spans


def _close_unknown(text: str, spans: list, pending: list[int], start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    for index in pending:  # several <unk> in a row share the gap
        spans[index] = (start, end) if end > start else None
    pending.clear()


@dataclass(frozen=True)
class Alignment:
    source: str
    output: str
    source_spans: list[tuple[int, int] | None]
    target_spans: list[tuple[int, int] | None]
    links: list[int | None]  # per target token: the source token it attends to most

    def rendering(self, start: int, end: int) -> list[tuple[int, int]]:
        """Output character spans of the tokens linked to source[start:end], left to right."""
        inside = {i for i, span in enumerate(self.source_spans) if span and span[0] < end and start < span[1]}
        return [span for span, link in zip(self.target_spans, self.links, strict=True)
                if span and link in inside]

    def span_for(self, start: int, end: int) -> tuple[int, int] | None:
        """The output words that render source[start:end]: of the runs of adjacent words holding
        linked tokens, the one with the most (a stray link elsewhere is attention noise);
        punctuation at its edges left out."""
        tokens = self.rendering(start, end)
        if not tokens:
            return None
        words = [(m.start(), m.end()) for m in re.finditer(r"\S+", self.output)]
        counts = [sum(1 for s, e in tokens if ws <= s < we) for ws, we in words]
        best, run = None, None
        for index, count in enumerate(counts + [0]):
            if count:
                run = (run[0], index, run[2] + count) if run else (index, index, count)
                continue
            if run and (best is None or run[2] > best[2]):
                best = run
            run = None
        if best is None:
            return None
        first, last = words[best[0]][0], words[best[1]][1]
        text = self.output[first:last]
        lead = len(text) - len(text.lstrip(_EDGE))
        trail = len(text) - len(text.rstrip(_EDGE))
        return (first + lead, last - trail) if last - trail > first + lead else None

    def insertion_point(self, start: int, end: int) -> int | None:
        """Where source[start:end] would go in the output when nothing renders it: after the output
        word of the source word before it, else before that of the source word after it; never at
        the start or after the end of the output's words."""
        left, right = self.neighbours(start, end)
        words = [(m.start(), m.end()) for m in re.finditer(r"\w+", self.output)]
        if not words:
            return None
        if left is not None:
            point = next((e for s, e in words if s < left <= e), left)
        elif right is not None:
            point = next((s for s, e in words if s <= right < e), right)
        else:
            return None
        return min(max(point, words[0][1]), words[-1][0])

    def neighbours(self, start: int, end: int) -> tuple[int | None, int | None]:
        """Where the words just before and just after source[start:end] went in the output:
        (end of the output token linked to the nearest source token before the span,
        start of the one linked to the nearest token after it)."""
        before_tokens = [i for i, s in enumerate(self.source_spans) if s and s[1] <= start]
        after_tokens = [i for i, s in enumerate(self.source_spans) if s and s[0] >= end]
        left = right = None
        for wanted, pick in ((before_tokens[-1:] if before_tokens else [], "left"),
                             (after_tokens[:1] if after_tokens else [], "right")):
            linked = [span for span, link in zip(self.target_spans, self.links, strict=True)
                      if span and wanted and link == wanted[0]]
            if linked and pick == "left":
                left = max(e for _, e in linked)
            elif linked:
                right = min(s for s, _ in linked)
        return left, right


def links_from(matrix, source_spans: list) -> list[int | None]:
    """Per row of an attention matrix [target × source], the most attended source token that has a span."""
    usable = [i for i, span in enumerate(source_spans) if span]
    links = []
    for row in matrix:
        links.append(max(usable, key=lambda i: row[i]) if usable else None)
    return links
