"""Quality checks on a source/target pair: numbers, dates, units, terms, particles, markup, negation …

``check_pair`` runs every check; each flag says what differs and names the source span
and the target span it compares ("source 57,553 → target 57,533"). The checks are small
objects (``qa.registry``) over plain text, so they run in the translate job, after a reviewer's edit, on PO
import and on any bilingual text (`gnews-i18n qa`). A ``QAContext`` tells them the
article's date, whether a person or the engine wrote the target, and the article's text
so far; the severity policy (``GNEWS_QA_POLICY``) may raise or lower any flag last.
"""

from __future__ import annotations

from gnews_i18n.flags import Flag, QAContext, has_errors
from gnews_i18n.qa.policy import active_policy
from gnews_i18n.qa.registry import ALT_TEXT, CHECKS, Check, Pair, check_by_flag, flag_labels
from gnews_i18n.terms import Terminology


def check_pair(source: str, target: str, src: str, tgt: str, terminology: Terminology | None = None,
               context: QAContext | None = None) -> list[Flag]:
    """Every flag for one pair; with ``terminology``, glossary terms are checked too (in their
    forms on the article's date), then the severity policy has the last word."""
    pair = Pair(source, target, src, tgt, terminology, context or QAContext())
    # an empty source is a photo without alt text: only that check has anything to compare
    flags = [found for check in (CHECKS if source.strip() else (ALT_TEXT,)) for found in check.check(pair)]
    policy = active_policy()
    return policy.apply(flags, src, tgt) if policy else flags


__all__ = ["CHECKS", "Check", "Flag", "Pair", "QAContext", "check_by_flag", "check_pair", "flag_labels", "has_errors"]
