"""Quality checks on a source/target pair: numbers, dates, units, terms, markup, negation …

``check_pair`` runs every check; each flag says what differs ("source 57,553 → target
57,533"). The checks are plain functions of text, so they run in the translate job,
after a reviewer's edit, on PO import and on any bilingual text (`gnews-i18n qa`).
"""

from __future__ import annotations

from gnews_i18n.qa.checks import (
    check_length_and_repetition,
    check_markup,
    check_negation,
    check_numbers,
    check_units,
    check_untranslated,
    check_weekdays,
)

CHECKS = (check_numbers, check_weekdays, check_units, check_markup, check_untranslated, check_negation,
          check_length_and_repetition)


def check_pair(source: str, target: str, src: str, tgt: str, terminology=None) -> list[dict]:
    """Every flag for one pair; with ``terminology``, glossary terms are checked too."""
    flags = []
    for check in CHECKS:
        flags.extend(check(source, target, src, tgt))
    if terminology is not None:
        flags.extend(terminology.check(source, target))
    return flags


def has_errors(flags: list[dict]) -> bool:
    return any(f.get("severity") == "error" for f in flags)


__all__ = ["CHECKS", "check_pair", "has_errors"]
