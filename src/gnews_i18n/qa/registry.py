"""Every quality check as a small object in one list, as Weblate's checks are: an id, the name
and description the desk shows beside each flag, the flag ids it may raise, and
``check(pair)`` returning typed flags. ``check_pair`` runs the list in order."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from gnews_i18n.flags import Flag, QAContext, flag
from gnews_i18n.qa import checks
from gnews_i18n.qa.number_check import check_numbers
from gnews_i18n.qa.particles import check_particles
from gnews_i18n.terms import Terminology
from gnews_i18n.terms.dated_checks import check_dated
from gnews_i18n.terms.target_checks import check_terms


@dataclass(frozen=True)
class Pair:
    """One source/target pair and what the checks may know about it: the direction's
    ``terminology`` (None: no glossary terms are checked) and the ``context``."""

    source: str
    target: str
    src: str
    tgt: str
    terminology: Terminology | None = None
    context: QAContext = field(default_factory=QAContext)

    @property
    def dated(self) -> Terminology | None:
        """The terminology in its forms and posts valid on the article's date (built once per day)."""
        return self.terminology.on(self.context.article_date) if self.terminology is not None else None


class Check:
    check_id: ClassVar[str]
    name: ClassVar[str]
    description: ClassVar[str]
    flag_ids: ClassVar[tuple[str, ...]]

    def check(self, pair: Pair) -> list[Flag]:
        raise NotImplementedError


class _TextCheck(Check):
    """A check of the two texts alone (the function ``run`` in ``qa.checks`` or ``qa.number_check``)."""

    run: ClassVar = None

    def check(self, pair: Pair) -> list[Flag]:
        return type(self).run(pair.source, pair.target, pair.src, pair.tgt, pair.context)


class NumberCheck(_TextCheck):
    check_id, name = "numbers", "Numbers"
    description = "a number lost, changed, invented or rounded, across the ways each language writes it"
    flag_ids = ("number_mismatch", "number_added", "number_rounded", "number_equivalent", "date_unconfirmed")
    run = staticmethod(check_numbers)


class WeekdayCheck(_TextCheck):
    check_id, name = "weekdays", "Weekdays"
    description = "a weekday on one side that the other does not name"
    flag_ids = ("date_mismatch",)
    run = staticmethod(checks.check_weekdays)


class UnitCheck(_TextCheck):
    check_id, name = "units", "Units"
    description = "a quantity whose unit changed (mg → g, 명 → beds)"
    flag_ids = ("unit_mismatch",)
    run = staticmethod(checks.check_units)


class MarkupCheck(_TextCheck):
    check_id, name = "markup", "Markup"
    description = "inline tags, links and placeholders that do not survive exactly once"
    flag_ids = ("markup_mismatch",)
    run = staticmethod(checks.check_markup)


class UntranslatedCheck(_TextCheck):
    check_id, name = "untranslated", "Untranslated"
    description = "a target that copies the source or is written in the source's script"
    flag_ids = ("untranslated",)
    run = staticmethod(checks.check_untranslated)


class NegationCheck(_TextCheck):
    check_id, name = "negation", "Negation"
    description = "a negation on one side that the other lacks"
    flag_ids = ("negation_mismatch",)
    run = staticmethod(checks.check_negation)


class OutputShapeCheck(_TextCheck):
    check_id, name = "output_shape", "Length and repetition"
    description = "an empty target, a length far from the source's, a phrase repeated like a decoding loop"
    flag_ids = ("empty_output", "length_ratio", "repetition")
    run = staticmethod(checks.check_length_and_repetition)


class TermCheck(Check):
    check_id, name = "terms", "Glossary terms"
    description = "a glossary term missing, forbidden, replaced by a pronoun or with its name parts swapped"
    flag_ids = ("term_missing", "term_forbidden", "term_reference", "name_form")

    def check(self, pair: Pair) -> list[Flag]:
        if pair.dated is None:
            return []
        return check_terms(pair.source, pair.target, pair.dated, pair.context)


class DatedTermCheck(Check):
    check_id, name = "dated_terms", "Terms on the article's date"
    description = "an official's title or a concept's name from another period; a short form before the full one"
    flag_ids = ("title_date", "term_outdated", "term_outdated_source", "abbr_first", "short_first",
                "abbr_not_introduced")

    def check(self, pair: Pair) -> list[Flag]:
        if pair.dated is None:
            return []
        return check_dated(pair.source, pair.target, pair.dated, pair.context.article_date,
                           pair.context.earlier_target)


class ParticleCheck(Check):
    check_id, name = "particles", "Korean particles"
    description = "a Korean particle that does not agree with the word before it (병원를, 서울으로)"
    flag_ids = ("particle_mismatch",)

    def check(self, pair: Pair) -> list[Flag]:  # every period's Korean forms host particles: undated
        if pair.tgt != "ko":
            return []
        known, readings = pair.terminology.korean_hosts if pair.terminology is not None else (set(), {})
        earlier = [pair.context.earlier_target] if pair.context.earlier_target else []
        return check_particles(pair.target, known, readings, earlier)


class PersonalDataCheck(Check):
    check_id, name = "personal_data", "Personal data"
    description = ("a personal identifier (resident number, mobile phone, private e-mail, a patient's name …) "
                   "nobody allowed for this article; it blocks approval, export and publishing")
    flag_ids = ("personal_data",)

    def check(self, pair: Pair) -> list[Flag]:
        # Whether an identifier is allowed is the article's decision (privacy_decisions), which a
        # pair does not know: review.personal_data makes these flags with it; here only the label.
        return []



class AltTextCheck(Check):
    """A photo without alt text: the only segment with an empty source is a figure's alt text
    (intake keeps no other empty block), so the check needs nothing but the pair."""

    check_id, name = "alt_text", "Photo alt text"
    description = "a photo with no alt text: readers who cannot see it learn nothing of it; describe it"
    flag_ids = ("alt_text_missing",)

    def check(self, pair: Pair) -> list[Flag]:
        if pair.source.strip() or pair.target.strip():
            return []
        return [flag("alt_text_missing", "warning", "this photo has no alt text; write one in the target (what the "
                     "photo shows, for readers who cannot see it), or ask the editor to add it to the source")]



ALT_TEXT = AltTextCheck()
CHECKS: tuple[Check, ...] = (ALT_TEXT, NumberCheck(), WeekdayCheck(), UnitCheck(), MarkupCheck(), UntranslatedCheck(),
                             NegationCheck(), OutputShapeCheck(), TermCheck(), DatedTermCheck(), ParticleCheck(),
                             PersonalDataCheck())


def check_by_flag(flag_id: str) -> Check | None:
    """The check that raises ``flag_id`` (for its name and description at the desk)."""
    return next((c for c in CHECKS if flag_id in c.flag_ids), None)


def flag_labels() -> dict[str, str]:
    """Each flag id a check raises → "Name: what it catches", as the desk shows it on hover."""
    return {flag_id: f"{check.name}: {check.description}" for check in CHECKS for flag_id in check.flag_ids}


__all__ = ["ALT_TEXT", "CHECKS", "Check", "Pair", "check_by_flag", "flag_labels"]
