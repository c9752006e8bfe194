"""Quality checks on a source/target pair: numbers, dates, units, terms, particles, markup, negation …

``check_pair`` runs every check; each flag says what differs and names the source span
and the target span it compares ("source 57,553 → target 57,533"). The checks are plain
functions of text, so they run in the translate job, after a reviewer's edit, on PO
import and on any bilingual text (`gnews-i18n qa`). A ``QAContext`` tells them the
article's date, whether a person or the engine wrote the target, and the article's text
so far; the severity policy (``GNEWS_QA_POLICY``) may raise or lower any flag last.
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
from gnews_i18n.qa.context import QAContext
from gnews_i18n.qa.dated import check_dated
from gnews_i18n.qa.particles import check_particles
from gnews_i18n.qa.policy import active_policy
from gnews_i18n.qa.terms import check_terms

CHECKS = (check_numbers, check_weekdays, check_units, check_markup, check_untranslated, check_negation,
          check_length_and_repetition)


def _korean_known(terminology) -> tuple[set[str], dict[str, str]]:
    """Korean forms of glossary terms (hosts of particles), and readings of their Latin-script forms."""
    cached = getattr(terminology, "_qa_korean", None)
    if cached is not None:  # built once per Terminology: a glossary may hold tens of thousands of terms
        return cached
    known: set[str] = set(getattr(terminology, "known", set()))
    readings: dict[str, str] = {}
    for term in getattr(terminology, "terms", []):
        known.update(term.surfaces("ko"))
        if term.ko_reading:
            for lang in term.forms:
                for form in term.surfaces(lang):
                    if form.isascii():
                        readings[form] = term.ko_reading
    terminology._qa_korean = (known, readings)
    return known, readings


def check_particles_in(target: str, terminology=None, context: QAContext | None = None) -> list[dict]:
    """Particle agreement in a Korean text, with the glossary's terms, names and readings."""
    known, readings = _korean_known(terminology) if terminology is not None else (set(), {})
    known = set(known)
    earlier = [context.earlier_target] if context and context.earlier_target else []
    return check_particles(target, known, readings, earlier)


def check_pair(source: str, target: str, src: str, tgt: str, terminology=None,
               context: QAContext | None = None) -> list[dict]:
    """Every flag for one pair; with ``terminology``, glossary terms are checked too."""
    flags = []
    for check in CHECKS:
        flags.extend(check(source, target, src, tgt, context))
    if terminology is not None:
        day = context.article_date if context else None
        if day is not None and hasattr(terminology, "on"):
            terminology = terminology.on(day)  # the forms and posts valid on the article's date
        flags.extend(check_terms(source, target, terminology, context))
        if hasattr(terminology, "glossary"):
            flags.extend(check_dated(source, target, terminology, day, context.earlier_target if context else ""))
    if tgt == "ko":
        flags.extend(check_particles_in(target, terminology, context))
    policy = active_policy()
    return policy.apply(flags, src, tgt) if policy else flags


def has_errors(flags: list[dict]) -> bool:
    return any(f.get("severity") == "error" for f in flags)


__all__ = ["CHECKS", "QAContext", "check_pair", "check_particles_in", "has_errors"]
