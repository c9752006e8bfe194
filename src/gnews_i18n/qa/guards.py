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


# Characters with spaces removed (unspaced scripts, loops inside a word): one repeated four
# times, or a run of 2–6 repeated three times. Regular expressions: the engine checks every
# output, and a Python loop over positions and sizes cost as much as CTranslate2's decoding.
# Words (each followed by one space): one repeated four times, or a run of 2–4 three times.
_WORD_LOOP = re.compile(r"(?<!\S)(?:(\S+ )\1{3}|((?:\S+ ){2,4}?)\2{2})")
_CHAR_LOOP = re.compile(r"(.)\1{3}|(.{2,6}?)\2{2}", re.DOTALL)


def repeated_ngram(text: str) -> str | None:
    """A run of 1–4 words (or 1–6 characters in unspaced runs) repeated back to back:
    four times for a single unit, three times for longer ones — the shape of a decoding loop."""
    folded = text.casefold()
    loop = _WORD_LOOP.search(" ".join(folded.split()) + " ")
    if loop:
        return (loop.group(1) or loop.group(2)).strip()
    loop = _CHAR_LOOP.search(folded.replace(" ", ""))
    return (loop.group(1) or loop.group(2)) if loop else None


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
