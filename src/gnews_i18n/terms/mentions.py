"""First mention in full, later mentions short: one pass over a whole article in reading order.

The engine places every term in its full form, sentence by sentence. This pass walks the
article's segments in order (the title and the lead count) and rewrites each term the
style files give a later form: the first mention of a concept keeps its full form, with
the abbreviation in parentheses where the concept defines one ("Seoul National University
Bundang Hospital (SNUBH)"); later ones take the abbreviation or short form; an official's
later mention is the family name in English ("Eom") and family name + title in Korean
(엄 과장). Korean particles after a rewritten form are made to agree with it. Then the
mention checks (``qa.dated.mention_flags``) run with the whole article known.
"""

from __future__ import annotations

from gnews_i18n.terms.dated_checks import mention_flags
from gnews_i18n.terms.glossary import Term
from gnews_i18n.terms.korean import PARTICLE_RUN_RE, agree_run
from gnews_i18n.terms.official_terms import PERSON_KEY
from gnews_i18n.terms.style import Style, load_style


def _forms(hit: dict, terminology, style: Style) -> tuple[str, str] | None:
    """(first, later) form of a hit's term, or None when the style has nothing to change."""
    full = hit["target"]
    key = hit.get("term", "")
    if key.startswith(PERSON_KEY):
        person = terminology.registry.by_id(key[len(PERSON_KEY):]) if terminology.registry else None
        if person is None:
            return None
        if person.posts and full == style.bare(person, True):  # named without a title
            return full, style.bare(person, False)
        post = next((p for p in [*person.posts, None] if style.person(person, p, first=True) == full), None)
        return full, style.person(person, post, first=False)
    term = _by_key(terminology).get(key)
    if term is None or term.form(terminology.tgt) != full:
        return None
    abbr, short = term.abbreviations.get(terminology.tgt, ""), term.short_forms.get(terminology.tgt, "")
    if not (abbr or short):
        return None
    return style.concept(full, abbr, short, True), style.concept(full, abbr, short, False)


def _by_key(terminology) -> dict[str, Term]:
    cached = getattr(terminology, "_by_key", None)
    if cached is None:
        cached = terminology._by_key = {t.key: t for t in terminology.glossary.terms}
    return cached


def _replace(text: str, start: int, end: int, new: str, tgt: str) -> str:
    after = text[end:]
    if tgt == "ko":
        run = PARTICLE_RUN_RE.match(after)
        if run:
            after = agree_run(new, run.group()) + after[run.end():]
    return text[:start] + new + after


def style_article(drafts: list, terminology) -> None:
    """Apply the first-mention rule to one article's drafts (``SegmentDraft``, in reading order),
    in place: texts, the hits' targets (what the desk highlights) and the mention flags."""
    style = load_style(terminology.tgt)
    seen: set[str] = set()
    later_of: dict[str, str] = {}  # a person's later form is their first mention's: titled or bare
    for draft in drafts:
        if draft.from_memory or not draft.terms:
            continue
        dated = terminology.on(draft.article_date)
        text, cursor = draft.machine_text, 0
        placed = sorted((text.find(h["target"]), i) for i, h in enumerate(draft.terms) if h["target"] in text)
        for _, index in placed:
            hit = draft.terms[index]
            start = text.find(hit["target"], cursor)
            forms = _forms(hit, dated, style) if start >= 0 else None
            if forms is None:
                continue
            first = hit["term"] not in seen
            seen.add(hit["term"])
            if first and hit["term"].startswith(PERSON_KEY):
                later_of[hit["term"]] = forms[1]
            new = forms[0] if first else later_of.get(hit["term"], forms[1])
            end = start + len(hit["target"])
            if first and text[end:].lstrip().startswith(new[len(hit["target"]):].strip() or "\0"):
                new = hit["target"]  # already introduced as the style wants ("… (SNUBH)")
            text = _replace(text, start, end, new, terminology.tgt)
            hit["target"], hit["mention"] = new, "first" if first else "later"
            cursor = start + len(new)
        draft.machine_text = text
    texts = [d.machine_text for d in drafts]
    for index, draft in enumerate(drafts):
        dated = terminology.on(draft.article_date)
        known = {(f["id"], f["message"]) for f in draft.flags}
        draft.flags += [f for f in mention_flags(texts[index], dated, "\n".join(texts[:index]),
                                                 "\n".join(texts[index + 1:])) if (f["id"], f["message"]) not in known]
