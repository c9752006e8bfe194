"""Checks across a glossary's rows: duplicates and forms that point two ways."""

from __future__ import annotations

from gnews_i18n.terms.glossary import Glossary
from gnews_i18n.terms.problems import GlossaryProblem


def _norm(form: str) -> str:
    return " ".join(form.replace("-", " ").casefold().split())


def check_glossary(glossary: Glossary) -> list[GlossaryProblem]:
    problems: list[GlossaryProblem] = []
    seen_ids: dict[str, int] = {}
    seen_rows: dict[tuple, int] = {}
    # (lang, normalized form) → (other lang → (form, line))
    meanings: dict[tuple[str, str], dict[str, tuple[str, int]]] = {}
    for term in glossary.terms:
        where = term.origin
        file, line = (where.file, where.line) if where else ("<glossary>", 0)
        if term.id:
            if term.id in seen_ids:
                problems.append(GlossaryProblem(file, line, f"duplicate concept id {term.id!r} "
                                                f"(first on line {seen_ids[term.id]})"))
            seen_ids.setdefault(term.id, line)
        signature = tuple(sorted((lang, _norm(form)) for lang, form in term.forms.items()))
        if signature in seen_rows:
            first = seen_rows[signature]
            problems.append(GlossaryProblem(file, line, f"duplicate concept: same forms as line {first}"))
            continue
        seen_rows[signature] = line
        for lang in term.forms:
            for surface in term.surfaces(lang):
                targets = meanings.setdefault((lang, _norm(surface)), {})
                for other, form in term.forms.items():
                    if other == lang:
                        continue
                    if other in targets and _norm(targets[other][0]) != _norm(form):
                        first_form, first_line = targets[other]
                        problems.append(GlossaryProblem(
                            file, line, f"{lang} {surface!r} maps to {other} {form!r} here but to "
                            f"{first_form!r} on line {first_line}; one source form must have one target"))
                    targets.setdefault(other, (form, line))
        for lang, forbidden in term.forbidden.items():
            clash = [f for f in forbidden if _norm(f) in {_norm(s) for s in term.surfaces(lang)}]
            if clash:
                problems.append(GlossaryProblem(file, line, f"{lang} form {clash[0]!r} is both allowed and forbidden"))
    return problems
