"""Checks across a glossary's rows: duplicates, forms that point two ways, and dated rows
whose validity ranges are inverted or overlap (two periods of one concept, or one source
form with two targets on the same day)."""

from __future__ import annotations

from gnews_i18n.terms.glossary import Glossary, Term
from gnews_i18n.terms.problems import GlossaryProblem


def _norm(form: str) -> str:
    return " ".join(form.replace("-", " ").casefold().split())


def _where(term: Term) -> tuple[str, int]:
    return (term.origin.file, term.origin.line) if term.origin else ("<glossary>", 0)


def _clash(term: Term, first: Term, what: str) -> str:
    """How two rows collide: for dated rows, the overlapping ranges are the point."""
    if term.dated or first.dated:
        return (f"{what}: valid {term.range_text()} here overlaps {first.range_text()} on line {_where(first)[1]}; "
                "dated rows must not share a day (end one the day before the other starts)")
    return f"{what} (first on line {_where(first)[1]})"


def check_glossary(glossary: Glossary) -> list[GlossaryProblem]:
    problems: list[GlossaryProblem] = []
    seen_ids: dict[str, list[Term]] = {}
    seen_rows: dict[tuple, list[Term]] = {}
    # (lang, normalized form) → (other lang → [(form, term)])
    meanings: dict[tuple[str, str], dict[str, list[tuple[str, Term]]]] = {}
    for term in glossary.terms:
        file, line = _where(term)
        if term.valid_from and term.valid_to and term.valid_from > term.valid_to:
            problems.append(GlossaryProblem(file, line, f"inverted range: valid_from {term.valid_from} is after "
                                            f"valid_to {term.valid_to}"))
        if term.id:
            for first in seen_ids.get(term.id, []):
                if term.overlaps(first):
                    message = _clash(term, first, f"duplicate concept id {term.id!r}")
                    problems.append(GlossaryProblem(file, line, message))
                    break
            seen_ids.setdefault(term.id, []).append(term)
        signature = tuple(sorted((lang, _norm(form)) for lang, form in term.forms.items()))
        same = next((first for first in seen_rows.get(signature, []) if term.overlaps(first)), None)
        if same is not None:
            problems.append(GlossaryProblem(file, line, f"duplicate concept: same forms as line {_where(same)[1]}"))
            continue
        seen_rows.setdefault(signature, []).append(term)
        problems += _two_targets(term, meanings)
        for lang, forbidden in term.forbidden.items():
            clash = [f for f in forbidden if _norm(f) in {_norm(s) for s in term.surfaces(lang)}]
            if clash:
                problems.append(GlossaryProblem(file, line, f"{lang} form {clash[0]!r} is both allowed and forbidden"))
    return problems


def _two_targets(term: Term, meanings: dict) -> list[GlossaryProblem]:
    """A source form that maps to two targets on the same day (rows of disjoint periods may differ)."""
    file, line = _where(term)
    problems = []
    for lang in term.forms:
        for surface in term.surfaces(lang):
            targets = meanings.setdefault((lang, _norm(surface)), {})
            for other, form in term.forms.items():
                if other == lang:
                    continue
                for first_form, first in targets.get(other, []):
                    if _norm(first_form) != _norm(form) and term.overlaps(first):
                        what = f"{lang} {surface!r} maps to {other} {form!r} here but to {first_form!r}"
                        message = _clash(term, first, what) if (term.dated or first.dated) else \
                            f"{what} on line {_where(first)[1]}; one source form must have one target"
                        problems.append(GlossaryProblem(file, line, message))
                        break
                targets.setdefault(other, []).append((form, term))
    return problems
