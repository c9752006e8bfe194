"""Old and new model on the same sentences: chrF and TER (sacrebleu), edit distance, examples.

Both models translate through the desk's own engine (``mt.loader.open_engine``: the
transformers backend, the pipeline's decoding settings, no retries), so a score is what a
reviewer would get. Held-out approved pairs are scored as protected (``data.protect``): the
placeholders the model carries are the same for both models, and the terms put back after MT
would score the same for both.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from gnews_i18n.mt.base import DecodingSettings
from gnews_i18n.mt.loader import open_engine


@dataclass(frozen=True)
class Scores:
    chrf: float
    ter: float
    edit_rate: float  # mean character edit distance from output to reference, over the reference's length
    sentences: int

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Comparison:
    """One evaluation set, scored for the old model and the new one."""

    name: str
    old: Scores
    new: Scores
    examples: list[dict] = field(default_factory=list)  # sentences whose output changed

    @property
    def chrf_change(self) -> float:
        return round(self.new.chrf - self.old.chrf, 2)

    def as_dict(self) -> dict:
        return {"name": self.name, "old": self.old.as_dict(), "new": self.new.as_dict(),
                "chrf_change": self.chrf_change, "examples": self.examples}


def edit_rate(output: str, reference: str) -> float:
    if output == reference:
        return 0.0
    return Levenshtein.distance(output, reference) / max(len(reference), len(output), 1)


def score(outputs: list[str], references: list[str]) -> Scores:
    from sacrebleu.metrics import CHRF, TER

    if not references:
        return Scores(0.0, 0.0, 0.0, 0)
    chrf = CHRF().corpus_score(outputs, [references]).score
    ter = TER().corpus_score(outputs, [references]).score
    rate = sum(edit_rate(o, r) for o, r in zip(outputs, references, strict=True)) / len(references)
    return Scores(round(chrf, 2), round(ter, 2), round(rate, 4), len(references))


def translate_all(model_dir: Path, src: str, tgt: str, sources: list[str], num_beams: int = 4,
                  threads: int = 1) -> list[str]:
    """``sources`` through the model in ``model_dir``, as the desk's engine translates them."""
    if not sources:
        return []
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(max(1, threads))
    try:
        engine = open_engine(str(model_dir), src, tgt, DecodingSettings(num_beams=num_beams), backend="transformers",
                             retry=False)
        return [result.text for result in engine.translate(sources)]
    finally:
        torch.set_num_threads(before)


def compare(name: str, pairs: list[tuple[str, str]], old_dir: Path, new_dir: Path, src: str, tgt: str, *,
            num_beams: int = 4, threads: int = 1, examples: int = 8,
            old_outputs: list[str] | None = None) -> Comparison:
    """Score both models on ``pairs``; ``old_outputs`` saves translating again with the old model."""
    sources, references = [s for s, _ in pairs], [t for _, t in pairs]
    old = old_outputs if old_outputs is not None else translate_all(old_dir, src, tgt, sources, num_beams, threads)
    new = translate_all(new_dir, src, tgt, sources, num_beams, threads)
    changed = [{"source": s, "reference": r, "old": o, "new": n}
               for s, r, o, n in zip(sources, references, old, new, strict=True) if o != n]
    # the most telling first: where the new output moved furthest toward (or away from) the reference
    changed.sort(key=lambda e: -abs(edit_rate(e["old"], e["reference"]) - edit_rate(e["new"], e["reference"])))
    return Comparison(name, score(old, references), score(new, references), changed[:examples])
