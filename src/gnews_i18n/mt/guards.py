"""Signs that a model's output went wrong: empty, too short or long, looping."""

from __future__ import annotations

import re

from gnews_i18n.languages import DENSE_SCRIPTS


def length_band(src: str, tgt: str) -> tuple[float, float]:
    """Output/input character-length ratio band; Korean is denser than the Latin and Cyrillic scripts."""
    if src in DENSE_SCRIPTS and tgt not in DENSE_SCRIPTS:
        return 0.8, 6.0
    if tgt in DENSE_SCRIPTS and src not in DENSE_SCRIPTS:
        return 0.12, 1.5
    return 0.3, 3.0


def repeated_ngram(text: str) -> str | None:
    """A run of 1–4 words (or 1–6 characters in unspaced runs) repeated back to back:
    four times for a single unit, three times for longer ones — the shape of a decoding loop."""
    folded = text.casefold()
    for units, joiner, sizes in ((folded.split(), " ", range(1, 5)), (list(folded.replace(" ", "")), "", range(1, 7))):
        for size in sizes:
            times = 4 if size == 1 else 3
            for start in range(len(units) - size * times + 1):
                gram = units[start:start + size]
                if all(units[start + k * size:start + (k + 1) * size] == gram for k in range(1, times)):
                    return joiner.join(gram)
    return None


def problems(source: str, output: str, src: str, tgt: str) -> list[str]:
    """Reasons the output looks wrong; empty when it looks fine."""
    if not output.strip():
        return ["empty output"]
    reasons = []
    stripped_source = re.sub(r"\s+", "", source)
    ratio = len(re.sub(r"\s+", "", output)) / max(1, len(stripped_source))
    low, high = length_band(src, tgt)
    if len(stripped_source) >= 12 and not low <= ratio <= high:
        reasons.append(f"output/input length ratio {ratio:.2f} outside {low}–{high}")
    loop = repeated_ngram(output)
    if loop:
        reasons.append(f"repeats ‘{loop}’")
    return reasons
