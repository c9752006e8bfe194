"""Glossary terms in a translation, the way news translators actually render them.

A term matched in the source counts as present in the target in its approved form or
any accepted variant (the glossary's ``<lang>_variants``). After its first full mention in
the article, a term may come back as a short form (Ajou, 분당서울대병원), an abbreviation
introduced earlier (SNUBH), or a pronoun or generic noun ("the province", "the hospital",
그, 도): short forms and abbreviations pass; a pronoun is a warning to check what it
points to. A term simply absent is an error in a machine draft (the engine guarantees
terms) and a warning in a human edit. A forbidden form is always an error, and a person's
name with its parts swapped or unhyphenated (Dongyeon Kim) is a warning naming the
approved form.
"""

from __future__ import annotations

import re

from gnews_i18n.flags import QAContext, flag
from gnews_i18n.terms.glossary import Term
from gnews_i18n.terms.known_names import known_spans, unshadowed

# Words that do not tell one institution from another: a short form needs another word.
_GENERIC_EN = {"the", "of", "and", "for", "in", "university", "hospital", "medical", "center", "centre", "national",
               "general", "regional", "provincial", "government", "department", "health", "ministry", "agency",
               "company", "co.,", "ltd.", "co", "ltd", "korea", "korean", "program", "programme", "st.", "memorial",
               "head", "governor", "vice", "first", "deputy", "director", "region", "province", "city", "seoul"}
# Pronouns and generic nouns that may stand for a term of each type once it has been named.
_REFERENCES_EN = {
    "place": r"the (?:province|region|country|nation|city|county|area)|it|its",
    "institution": r"the (?:hospital|center|centre|agency|ministry|company|council|government|department|"
                   r"institute|organization|academy|university|firm|developer)|it|its|they|their",
    "program": r"the (?:program|programme|project|academy|course|scheme)|it|its",
    "product": r"the (?:robot|system|device|product|vaccine|drug)|it|its",
    "person": r"he|she|him|her|his|hers",
    "title": r"he|she|him|her|his|hers",
    "other": r"it|its|they|their",
}
_REFERENCES_KO = {
    "place": r"도|이 지역|해당 지역|현지|이 나라|양국|같은 지역|이곳",
    "institution": r"병원|센터|의료원|정부|기관|회사|부처|청|의회|당국|이 단체",
    "program": r"사업|프로그램|과정|아카데미",
    "product": r"로봇|제품|장비|기기",
    "person": r"그|그녀|그는|그가|이들",
    "title": r"그|그녀",
    "other": r"이|그",
}


def _present(form: str, text: str) -> bool:
    return form.casefold() in text.casefold()


def _forms(term: Term, lang: str) -> list[str]:
    forms = [term.form(lang) or ""] + term.variants.get(lang, [])
    return [f for f in dict.fromkeys(forms) if f]


def _acronym(form: str) -> str:
    words = [w for w in re.findall(r"[A-Za-z][\w'.-]*", form) if w.lower() not in ("of", "the", "and", "for")]
    return "".join(w[0] for w in words if w[0].isupper())


def _short_forms(term: Term, lang: str) -> list[str]:
    """Distinctive words of the approved form (Ajou, Bundang), its acronym (SNUBH), a person's family name."""
    form = term.form(lang) or ""
    if lang != "en":
        return [v for v in term.variants.get(lang, [])]
    if term.type == "person":
        return [form.split()[0]] if " " in form else []
    found = [w for w in re.findall(r"[A-Z][\w-]+", form) if w.lower() not in _GENERIC_EN]
    acronym = _acronym(form)
    return found + ([acronym] if len(acronym) >= 3 else [])


def _introduced_abbreviations(term: Term, lang: str, earlier: str) -> list[str]:
    """Abbreviations the article introduced in parentheses after the full form: "… Center (GPMC)"."""
    found = []
    for form in _forms(term, lang):
        found += re.findall(rf"{re.escape(form)}\s*\(([^\s()]{{2,12}})\)", earlier, re.IGNORECASE)
    return found


def _word_in(word: str, text: str) -> str | None:
    match = re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text, re.IGNORECASE if word.islower() else 0)
    return match.group() if match else None


def _reference(term: Term, lang: str, text: str) -> str | None:
    if lang == "ko":
        pattern = _REFERENCES_KO.get(term.type, _REFERENCES_KO["other"])
        match = re.search(rf"(?<![가-힣])(?:{pattern})", text)
        return match.group() if match else None
    pattern = _REFERENCES_EN.get(term.type, _REFERENCES_EN["other"])
    match = re.search(rf"(?i)\b(?:{pattern})\b", text)
    return match.group() if match else None


def _name_variant(form: str, text: str) -> str | None:
    """The person's name written in another order or hyphenation (Dongyeon Kim for Kim Dong-yeon)."""
    parts = form.split(" ", 1)
    if len(parts) != 2:
        return None
    family, given = (re.sub(r"[^a-z]", "", p.lower()) for p in parts)
    wanted = {family + given, given + family}
    words = list(re.finditer(r"[A-Z][a-zA-Z]*(?:-[A-Za-z]+)*", text))
    for size in (2, 3):
        for index in range(len(words) - size + 1):
            window = words[index:index + size]
            if any(text[a.end():b.start()].strip() for a, b in zip(window, window[1:], strict=False)):
                continue
            written = text[window[0].start():window[-1].end()]
            if re.sub(r"[^a-z]", "", written.lower()) in wanted and written != form:
                return written
    return None


def check_terms(source: str, target: str, terminology, context: QAContext | None = None) -> list[dict]:
    """Glossary checks on any pair: terms present (or fairly referred to), no forbidden forms."""
    context = context or QAContext()
    tgt = terminology.tgt
    flags: list[dict] = []
    severity = "warning" if context.human else "error"
    matches = terminology.matcher.find(source)
    for match in matches:
        term, approved = match.term, match.term.form(tgt)
        if not approved or any(_present(f, target) for f in _forms(term, tgt)):
            continue
        if term.type == "person" and tgt != "ko":
            written = _name_variant(approved, target)
            if written:
                flags.append(flag("name_form", "warning", f"‘{written}’ is not the approved form of "
                                  f"‘{match.surface}’; write ‘{approved}’", match.surface, written))
                continue
        introduced = any(_present(f, context.earlier_target) for f in _forms(term, tgt)) or \
            match.surface in context.earlier_source
        shorts = _short_forms(term, tgt) + _introduced_abbreviations(term, tgt, context.earlier_target)
        short = next((w for s in shorts if (w := _word_in(s, target))), None)
        if short and introduced:
            continue  # named in full earlier in the article; the short form is how news refers back
        reference = _reference(term, tgt, target)
        if reference and context.human:
            flags.append(flag("term_reference", "warning", f"‘{match.surface}’ is rendered as ‘{short or reference}’, "
                              f"not ‘{approved}’; check it refers to {approved}", match.surface, short or reference))
            continue
        flags.append(flag("term_missing", severity, f"‘{match.surface}’ must appear as ‘{approved}’",
                          match.surface, short or ""))
    # a forbidden form inside a longer approved name (Kyonggi in "Kyonggi University") is that name
    spans = known_spans(target, (m.term.form(tgt) or "" for m in matches))
    for match in matches:
        for wrong in match.term.forbidden.get(tgt, []):
            where = unshadowed(wrong, target, spans)
            if where:
                written = target[where[0]:where[1]]
                flags.append(flag("term_forbidden", "error", f"‘{written}’ is a forbidden form of "
                                  f"‘{match.surface}’; use ‘{match.term.form(tgt)}’", match.surface, written,
                                  fix={"find": written, "replace": match.term.form(tgt)}))
    return flags
