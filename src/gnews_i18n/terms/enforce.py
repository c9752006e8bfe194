"""Carry glossary terms through machine translation and put their approved forms in the output.

The chain, per term:
1. *protect*: the term in the source is replaced by a placeholder token (``TRM47``)
   that MT models copy through; the id is drawn at random per segment, not numbered
   by position, so a model cannot confuse two terms by order;
2. *restore*: where the placeholder comes back, the approved target form goes in, with
   Korean particles re-agreed (TRM47를 → 아주대학교병원을) and English articles tidied
   (no "the The …", "a" → "an" before a vowel sound);
3. *fallback*: where the model dropped or mangled it, the form is inserted by rule at
   the term's relative position and the segment is flagged ``term_inserted`` so a
   reviewer checks the wording around it. A term is never dropped silently.
Forbidden variants present in the output are flagged ``term_forbidden``.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

from gnews_i18n.markup import MARKUP_TYPE
from gnews_i18n.terms.korean import PARTICLE_RUN_RE, agree_run
from gnews_i18n.terms.matcher import TermMatch

PLACEHOLDER = "TRM{}"
_PLACEHOLDER_RE = "T\\s?R\\s?M\\s?{}(?!\\d)"


@dataclass
class Slot:
    token: str
    number: int
    match: TermMatch


@dataclass
class Protected:
    source: str
    text: str
    slots: list[Slot] = field(default_factory=list)


def protect(source: str, matches: list[TermMatch], seed: int | None = None) -> Protected:
    rng = random.Random(seed if seed is not None else hash(source))
    numbers = rng.sample(range(10, 100), k=min(len(matches), 90))
    parts, slots, cursor = [], [], 0
    for match, number in zip(matches, numbers, strict=False):
        token = PLACEHOLDER.format(number)
        parts += [source[cursor:match.start], token]
        slots.append(Slot(token, number, match))
        cursor = match.end
    parts.append(source[cursor:])
    return Protected(source, "".join(parts), slots)


def _korean_reading(match: TermMatch) -> str | None:
    return match.term.ko_reading or None


def _place(text: str, start: int, end: int, form: str, match: TermMatch, tgt: str) -> str:
    """``text`` with ``form`` in place of text[start:end], the words around it made to agree."""
    before, after = text[:start], text[end:]
    if match.term.type == MARKUP_TYPE:  # a tag: put back exactly, no grammar around it
        return before + form + after
    if tgt == "ko":
        before = re.sub(r"(?i)\bthe\s+$", "", before)
        run = re.match(r"[\uac00-\ud7a3]+", after)
        particles = PARTICLE_RUN_RE.match(run.group()) if run else None
        if particles:
            after = agree_run(form, particles.group(), _korean_reading(match)) + after[particles.end():]
        return before + form + after
    if form[:4].lower() == "the " and re.search(r"(?i)\bthe\s+$", before):
        before = re.sub(r"(?i)\bthe\s+$", "", before)
    article = re.search(r"(?i)\b(an?)(\s+)$", before)
    if article and tgt == "en":
        wanted = "an" if re.match(r"(?i)[aeiou]|hou?r|honou?r", form) else "a"
        wanted = wanted.capitalize() if article.group(1)[0].isupper() else wanted
        before = before[:article.start(1)] + wanted + article.group(2)
    if not before.strip() and form[:1].islower():
        form = form[0].upper() + form[1:]  # a term that starts the sentence
    if before[-1:].isalnum():
        before += " "
    after = re.sub(r"^\s+(['’]s?)\b", r"\1", after)  # "Hospital 's" → "Hospital's"
    if after[:1].isalnum():
        after = " " + after
    return before + form + after


def restore(output: str, protected: Protected, tgt: str) -> tuple[str, list[dict], list[dict]]:
    """The output with every term's approved form; returns (text, hits, flags)."""
    text = output
    hits: list[dict] = []
    flags: list[dict] = []
    unplaced: list[Slot] = []
    for slot in protected.slots:
        form = slot.match.term.form(tgt) or slot.match.surface
        pattern = re.compile(_PLACEHOLDER_RE.format(slot.number), re.IGNORECASE)
        found = pattern.search(text)
        if found is None:
            unplaced.append(slot)
            continue
        text = _place(text, found.start(), found.end(), form, slot.match, tgt)
        # A model that repeats a placeholder is stuttering: keep the first.
        text = pattern.sub("", text)
        if slot.match.term.type != MARKUP_TYPE:
            hits.append(_hit(slot, form, "model"))
    # Stray placeholders the model invented are not words: drop them.
    text = re.sub(r"\bT\s?R\s?M\s?\d{1,3}\b", "", text)
    placed_forms = [h["target"] for h in hits]
    for slot in unplaced:
        form = slot.match.term.form(tgt) or slot.match.surface
        text = _insert(text, form, slot, protected, placed_forms)
        placed_forms.append(form)
        if slot.match.term.type == MARKUP_TYPE:
            flags.append({"id": "markup_inserted", "severity": "warning",
                          "message": f"the model lost the tag ‘{form}’; it was put back by rule, check which words "
                                     "it wraps"})
            continue
        hits.append(_hit(slot, form, "inserted"))
        flags.append({"id": "term_inserted", "severity": "warning",
                      "message": f"‘{form}’ was not placed by the model; it was inserted by rule, check the wording "
                                 "around it"})
    text = re.sub(r"[ \t]{2,}", " ", text).strip()
    for slot in protected.slots:
        form = slot.match.term.form(tgt) or slot.match.surface
        if slot.match.term.type != MARKUP_TYPE and form not in text:
            flags.append({"id": "term_missing", "severity": "error",
                          "message": f"‘{slot.match.surface}’ must appear as ‘{form}’"})
    flags += forbidden_flags(text, [s.match.term for s in protected.slots], tgt)
    return text, hits, flags


def forbidden_flags(text: str, terms, tgt: str) -> list[dict]:
    flags = []
    folded = text.casefold()
    for term in terms:
        for wrong in term.forbidden.get(tgt, []):
            if wrong.casefold() in folded:
                flags.append({"id": "term_forbidden", "severity": "error",
                              "message": f"‘{wrong}’ is a forbidden form; use ‘{term.form(tgt)}’"})
    return flags


def _insert(text: str, form: str, slot: Slot, protected: Protected, placed_forms: list[str]) -> str:
    """Insert ``form`` at the term's relative position, at a word boundary outside other terms."""
    if not text.strip():
        return form
    ratio = slot.match.start / max(1, len(protected.source))
    target = round(ratio * len(text))
    inside = [(m.start(), m.end()) for placed in placed_forms for m in re.finditer(re.escape(placed), text)]
    boundaries = [b for b in [0] + [m.end() for m in re.finditer(r"\s+", text)] + [len(text)]
                  if not any(start < b < end for start, end in inside)]
    position = min(boundaries, key=lambda b: abs(b - target))
    before, after = text[:position], text[position:]
    joiner_before = "" if not before or before.endswith(" ") else " "
    joiner_after = "" if not after or after.startswith((" ", ".", ",")) else " "
    return before + joiner_before + form + joiner_after + after


def _hit(slot: Slot, form: str, placed: str) -> dict:
    term = slot.match.term
    return {"term": term.key, "type": term.type, "source": slot.match.surface, "target": form, "placed": placed,
            "note": term.note}
