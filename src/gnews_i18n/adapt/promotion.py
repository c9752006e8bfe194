"""When a new version may serve: it must win on held-out approved text and not lose general text.

``GNEWS_ADAPT_MIN_GAIN``: chrF points the new version must gain on the held-out approved
segments (default 1.0). ``GNEWS_ADAPT_MAX_GENERAL_DROP``: chrF points it may lose on the
general set at most (default 1.0). Without a general set the regression guard cannot run,
and the version stays a candidate unless the caller accepts that (``require_general=False``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from gnews_i18n.adapt.evaluate import Comparison

DEFAULT_MIN_GAIN = 1.0
DEFAULT_MAX_GENERAL_DROP = 1.0


@dataclass(frozen=True)
class Margins:
    min_gain: float = DEFAULT_MIN_GAIN
    max_general_drop: float = DEFAULT_MAX_GENERAL_DROP
    require_general: bool = True

    @classmethod
    def from_env(cls) -> Margins:
        return cls(_number("GNEWS_ADAPT_MIN_GAIN", DEFAULT_MIN_GAIN),
                   _number("GNEWS_ADAPT_MAX_GENERAL_DROP", DEFAULT_MAX_GENERAL_DROP))


@dataclass(frozen=True)
class Decision:
    promote: bool
    reason: str


def _number(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{name}={raw!r} is not a number of chrF points (e.g. {default})") from None
    if value < 0:
        raise ValueError(f"{name}={raw!r} must not be negative")
    return value


def decide(held_out: Comparison, general: Comparison | None, margins: Margins) -> Decision:
    gain = held_out.chrf_change
    if gain < margins.min_gain:
        return Decision(False, f"held-out chrF changed by {gain:+.2f} ({held_out.old.chrf:.2f} → "
                               f"{held_out.new.chrf:.2f}), less than the required +{margins.min_gain:.2f} "
                               "(GNEWS_ADAPT_MIN_GAIN)")
    if general is None or general.old.sentences == 0:
        if margins.require_general:
            return Decision(False, f"held-out chrF rose by {gain:+.2f}, but the model has no general set "
                                   "(general.tsv) to check it did not forget general text; promote it by hand "
                                   "after a look at the report (`gnews-i18n models promote`)")
        return Decision(True, f"held-out chrF rose by {gain:+.2f}; no general set to check against")
    change = general.chrf_change
    if change < -margins.max_general_drop:
        return Decision(False, f"held-out chrF rose by {gain:+.2f}, but general chrF fell by {-change:.2f} "
                               f"({general.old.chrf:.2f} → {general.new.chrf:.2f}), more than the "
                               f"{margins.max_general_drop:.2f} allowed (GNEWS_ADAPT_MAX_GENERAL_DROP)")
    return Decision(True, f"held-out chrF rose by {gain:+.2f} (≥ {margins.min_gain:.2f}); general chrF changed "
                          f"by {change:+.2f} (allowed −{margins.max_general_drop:.2f})")
