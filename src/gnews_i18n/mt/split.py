"""Split sentences that are too long for a model at clause boundaries, never truncating."""

from __future__ import annotations

import re

# Where a long sentence may be cut, best first: semicolons, then commas and Korean
# connective endings (…하며, …했고, …지만) followed by a space, then any space.
_BOUNDARIES = [
    re.compile(r"(?<=[;:])\s+"),
    re.compile(r"(?<=,)\s+|(?<=[며고만서면데])\s+(?=\S)|(?<=[—–])\s*"),
    re.compile(r"\s+"),
]


def split_long(text: str, length, limit: int) -> list[str]:
    """``text`` in pieces of at most ``limit`` tokens by ``length(piece)``, cut at the best boundary."""
    if length(text) <= limit:
        return [text]
    for boundary in _BOUNDARIES:
        cuts = [m for m in boundary.finditer(text) if 0 < m.start() < len(text)]
        if not cuts:
            continue
        middle = min(cuts, key=lambda m: abs(m.start() - len(text) / 2))
        left, right = text[:middle.start()].strip(), text[middle.end():].strip()
        if left and right:
            return split_long(left, length, limit) + split_long(right, length, limit)
    # No space at all (a very long token run): cut by characters as a last resort.
    half = len(text) // 2
    return split_long(text[:half], length, limit) + split_long(text[half:], length, limit)
