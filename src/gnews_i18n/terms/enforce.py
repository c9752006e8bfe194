"""Carry glossary terms through machine translation and put their approved forms in the output.

The chain, per term:
1. *protect*: the term in the source is replaced by a placeholder token (``TRM47``)
   that MT models copy through; the id is drawn at random per segment, not numbered
   by position, so a model cannot confuse two terms by order;
2. *restore*: where the placeholder comes back, the approved target form goes in, with
   Korean particles re-agreed (TRM47를 → 아주대학교병원을) and English articles tidied
   (no "the The …", "a" → "an" before a vowel sound);
3. *fallback*: where the model dropped the placeholder, the model's cross-attention (when
   the caller passes it, ``mt.alignment``) says where it rendered the term: that rendering
   is replaced, or the form is inserted next to its source neighbour's translation; without
   it, the form is inserted by rule at the term's relative position. Either insertion is
   flagged ``term_inserted`` so a reviewer checks the wording around it. A term is never
   dropped silently.

The ``align`` style writes no placeholder at all: every term goes where the attention puts it.
Forbidden variants present in the output are flagged ``term_forbidden``.
"""

from __future__ import annotations

import random
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

from gnews_i18n.markup import MARKUP_TYPE
from gnews_i18n.terms.known_names import known_spans, unshadowed
from gnews_i18n.terms.korean import PARTICLE_RUN_RE, agree_run
from gnews_i18n.terms.matcher import TermMatch
from gnews_i18n.terms.placeholders import (
    Placeholder,
    find_all,
    find_near,
    leftover_names,
    made_up_names,
    near_candidates,
    strip_code_fragments,
    unknown_names,
)

PLACEHOLDER = "TRM{}"
_PLACEHOLDER_RE = "T\\s?R\\s?M\\s?{}(?!\\d)"

NAMED = ("name", "reading")  # styles whose placeholder is a made-up name (spelled in Latin, or in Hangul)
_LAST_WORD_CHAR_RE = re.compile(r"\w\W*\Z")  # where the sentence's last word ends

@dataclass
class Slot:
    token: str  # what stands in the source for the term
    number: int
    match: TermMatch
    reading: str = ""  # the token's Korean reading (made-up names)
    at: tuple[int, int] = (0, 0)  # where the token stands in the protected text
    name: str = ""  # the made-up name's Latin spelling (``name``, ``reading`` styles): what the output may hold

    @property
    def placeholder(self) -> Placeholder:
        return Placeholder(self.name or self.token, self.reading)


@dataclass
class Protected:
    source: str
    text: str
    slots: list[Slot] = field(default_factory=list)
    style: str = "name"


def protect(source: str, matches: list[TermMatch], seed: int | None = None, *, style: str = "name",
            src: str = "", tgt: str = "") -> Protected:
    """``source`` with each match replaced by a placeholder in ``style`` (see ``placeholders``)."""
    rng = random.Random(seed if seed is not None else zlib.crc32(source.encode()))
    numbers = rng.sample(range(10, 100), k=min(len(matches), 90))
    names = made_up_names(len(matches), rng, avoid=source)
    parts, slots, cursor = [], [], 0
    for index, (match, number) in enumerate(zip(matches, numbers, strict=False)):
        reading = ""
        if match.term.type == MARKUP_TYPE or style == "code":
            token = PLACEHOLDER.format(number)
        elif style == "align":  # the source as written: the model's attention finds the term's rendering
            token = source[match.start:match.end]
        elif style == "form":
            token = match.term.form(tgt) or match.surface
        elif style == "reading":  # the made-up name in Hangul (카비모): a model that romanizes Korean names
            token, reading = names[index].reading, names[index].reading
        else:
            token, reading = names[index].text, names[index].reading
        parts.append(source[cursor:match.start])
        offset = sum(map(len, parts))
        parts.append(token)
        name = names[index].text if reading else ""
        slots.append(Slot(token, number, match, reading, (offset, offset + len(token)), name))
        cursor = match.end
        if src == "ko" and match.particle and reading:  # the source reads as if the name were there
            parts.append(agree_run(token, match.particle, reading))
            cursor += len(match.particle)
    parts.append(source[cursor:])
    return Protected(source, "".join(parts), slots, style)


def _korean_reading(match: TermMatch) -> str | None:
    return match.term.ko_reading or None


def _place(text: str, start: int, end: int, form: str, match: TermMatch, tgt: str, capitalize: bool = True) -> str:
    """``text`` with ``form`` in place of text[start:end], the words around it made to agree."""
    before, after = text[:start], text[end:]
    if match.term.type == MARKUP_TYPE:  # a tag: put back exactly, no grammar around it
        return before + form + after
    if tgt == "ko":
        before = re.sub(r"(?i)\bthe\s+$", "", before)
        # a closing quote may stand between the term and its particles (“아주대학교병원”을); a closing
        # parenthesis may not: the particle after "(SNUBH)" agrees with the word before it
        quotes = re.match(r"[”’」』\"']*", after).group()
        run = re.match(r"[\uac00-\ud7a3]+", after[len(quotes):])
        particles = PARTICLE_RUN_RE.match(run.group()) if run else None
        if particles:
            after = quotes + agree_run(form, particles.group(), _korean_reading(match)) + \
                after[len(quotes) + particles.end():]
        return before + form + after
    if form[:4].lower() == "the " and re.search(r"(?i)\bthe\s+$", before):
        before = re.sub(r"(?i)\bthe\s+$", "", before)
    article = re.search(r"(?i)\b(an?)(\s+)$", before)
    if article and tgt == "en":
        wanted = "an" if re.match(r"(?i)[aeiou]|hou?r|honou?r", form) else "a"
        wanted = wanted.capitalize() if article.group(1)[0].isupper() else wanted
        before = before[:article.start(1)] + wanted + article.group(2)
    if capitalize and not before.strip() and form[:1].islower():
        form = form[0].upper() + form[1:]  # a term that starts the sentence
    if before[-1:].isalnum():
        before += " "
    after = re.sub(r"^\s+(['’]s?)\b", r"\1", after)  # "Hospital 's" → "Hospital's"
    if after[:1].isalnum():
        after = " " + after
    return before + form + after


def _spans(text: str, slot: Slot, protected: Protected) -> list[tuple[int, int]]:
    """Where the model wrote the slot's placeholder (every copy, first first)."""
    if slot.token.startswith("TRM"):
        pattern = re.compile(_PLACEHOLDER_RE.format(slot.number), re.IGNORECASE)
        return [(m.start(), m.end()) for m in pattern.finditer(text)]
    return find_all(text, slot.placeholder)


Where = tuple[int, int]  # a span of the raw output; start == end is a point to insert at


def restore(output: str, protected: Protected, tgt: str,
            align: Callable[[Slot], Where | None] | None = None) -> tuple[str, list[dict], list[dict]]:
    """The output with every term's approved form; returns (text, hits, flags).

    ``align(slot)``, where given, says from the model's attention where in ``output`` it
    rendered the slot's source span (a span to replace), or where a term it left out
    belongs (a point to insert at). The ``align`` style relies on it for every term; the
    others only for a placeholder the model lost.
    """
    forms = [slot.match.term.form(tgt) or slot.match.surface for slot in protected.slots]
    known = " ".join([protected.source, *forms])
    text, found = _find_placeholders(output, protected, known)
    aligned = _aligned(protected, found, align)
    edits = {**{i: (span, "model") for i, span in found.items()}, **aligned}
    for index in sorted(edits, key=lambda i: (-edits[i][0][0], -edits[i][0][1])):  # right to left
        (start, end), _ = edits[index]
        text = _put(text, start, end, forms[index], protected.slots[index].match, tgt)
    hits = [_hit(slot, forms[i], edits[i][1]) for i, slot in enumerate(protected.slots)
            if i in edits and slot.match.term.type != MARKUP_TYPE]
    flags: list[dict] = []
    text, residue = _remove_residue(text, protected, known)
    if residue:
        flags.append({"id": "placeholder_removed", "severity": "warning",
                      "message": "the model left placeholder fragments (" + ", ".join(residue) + "); they were "
                                 "removed, check the wording there"})
    placed_forms = [forms[i] for i in edits]
    for index, slot in enumerate(protected.slots):
        if index in edits and edits[index][1] != "inserted":
            continue
        if index not in edits:
            text = _insert(text, forms[index], slot, protected, placed_forms, None, tgt)
            placed_forms.append(forms[index])
            if slot.match.term.type != MARKUP_TYPE:
                hits.append(_hit(slot, forms[index], "inserted"))
        if slot.match.term.type == MARKUP_TYPE:
            flags.append({"id": "markup_inserted", "severity": "warning",
                          "message": f"the model lost the tag ‘{forms[index]}’; it was put back by rule, check "
                                     "which words it wraps"})
            continue
        where = "where the model's attention put it" if index in edits else "by rule"
        flags.append({"id": "term_inserted", "severity": "warning",
                      "message": f"‘{forms[index]}’ was not placed by the model; it was inserted {where}, check "
                                 "the wording around it"})
    text = re.sub(r"[ \t]{2,}", " ", text).strip()
    text = re.sub(r"\s+([.,!?])", r"\1", text)
    for slot, form in zip(protected.slots, forms, strict=True):
        if slot.match.term.type != MARKUP_TYPE and form not in text:
            flags.append({"id": "term_missing", "severity": "error",
                          "message": f"‘{slot.match.surface}’ must appear as ‘{form}’"})
    flags += forbidden_flags(text, [s.match.term for s in protected.slots], tgt)
    return text, hits, flags


def _find_placeholders(output: str, protected: Protected, known: str) -> tuple[str, dict[int, Where]]:
    """Where the model wrote each placeholder (exactly, or a mangled copy); later copies blanked."""
    text, found = output, {}
    if protected.style == "align":
        return text, {i: _spans(text, s, protected)[0] for i, s in enumerate(protected.slots)
                      if s.match.term.type == MARKUP_TYPE and _spans(text, s, protected)}
    for index, slot in enumerate(protected.slots):
        spans = _spans(text, slot, protected)
        if spans:
            found[index] = spans[0]
            for start, end in spans[1:]:  # a model that repeats a placeholder is stuttering
                text = text[:start] + " " * (end - start) + text[end:]  # blanked: spans stay valid
    if protected.style in NAMED:  # mangled copies (Kavmo, Ka vimo, 카비무): best likeness first, one slot a word
        taken = list(found.values())
        options = [(score, index, span) for index, slot in enumerate(protected.slots)
                   if index not in found and slot.reading
                   for score, span in near_candidates(text, slot.placeholder, known)]
        for _, index, span in sorted(options, key=lambda o: -o[0]):
            if index not in found and not any(s < span[1] and span[0] < e for s, e in taken):
                found[index] = span
                taken.append(span)
        # what is left: name-shaped words no placeholder took, as many as the placeholders not found,
        # paired in order (Lufi … To for Lufine … Jutomo)
        missing = [i for i, slot in enumerate(protected.slots) if i not in found and slot.reading]
        if missing:
            leftovers = leftover_names(text, known, taken)
            if len(leftovers) == len(missing):
                found.update(zip(missing, leftovers, strict=True))
    return text, found


def _aligned(protected: Protected, found: dict[int, Where],
             align: Callable[[Slot], Where | None] | None) -> dict[int, tuple[Where, str]]:
    """For the slots not found, where attention puts them: ("aligned", span) replaces the model's
    own rendering, ("inserted", point) inserts; none overlapping another edit."""
    if align is None:
        return {}
    taken = list(found.values())
    result = {}
    for index, slot in enumerate(protected.slots):
        if index in found or slot.match.term.type == MARKUP_TYPE:
            continue
        where = align(slot)
        if where is None or any(s < where[1] and where[0] < e or s < where[0] < e for s, e in taken):
            continue
        taken.append(where)
        result[index] = (where, "aligned" if where[1] > where[0] else "inserted")
    return result


def _put(text: str, start: int, end: int, form: str, match: TermMatch, tgt: str) -> str:
    """``form`` in place of text[start:end], or inserted at ``start`` when the span is empty."""
    if end > start:
        return _place(text, start, end, form, match, tgt)
    before, after = text[:start], text[start:]
    before += "" if not before or before.endswith(" ") else " "
    joiner = " " if after[:1].isalnum() else ""
    return _place(before + "\0" + joiner + after, len(before), len(before) + 1, form, match, tgt, capitalize=False)


def _remove_residue(text: str, protected: Protected, known: str) -> tuple[str, list[str]]:
    """Drop what is left of placeholders: code fragments (TRM, TRM496은, RTM) and near-copies of names."""
    text, removed = strip_code_fragments(text)
    if protected.style in NAMED and unknown_names(text, known, [s.name for s in protected.slots if s.reading]):
        for slot in protected.slots:
            if not slot.reading:
                continue
            for _ in range(3):
                span = find_near(text, Placeholder(slot.name), known)
                if span is None:
                    break
                removed.append(text[span[0]:span[1]])
                text = text[:span[0]] + text[span[1]:]
    return text, removed


def forbidden_flags(text: str, terms, tgt: str) -> list[dict]:
    """Forbidden forms in ``text``, but none inside a longer approved form (Kyonggi in "Kyonggi University")."""
    flags = []
    terms = list(terms)
    spans = known_spans(text, (term.form(tgt) or "" for term in terms))
    for term in terms:
        for wrong in term.forbidden.get(tgt, []):
            if unshadowed(wrong, text, spans):
                flags.append({"id": "term_forbidden", "severity": "error",
                              "message": f"‘{wrong}’ is a forbidden form; use ‘{term.form(tgt)}’"})
    return flags


def _insert(text: str, form: str, slot: Slot, protected: Protected, placed_forms: list[str],
            position: int | None = None, tgt: str = "") -> str:
    """Insert ``form`` at ``position`` (the aligned place) or the term's relative position, at a word
    boundary outside other terms; never after the sentence's last word, and at its start only
    for a term that starts the source."""
    if not text.strip():
        return form
    ratio = slot.match.start / max(1, len(protected.source))
    target = position if position is not None else round(ratio * len(text))
    inside = [(m.start(), m.end()) for placed in placed_forms for m in re.finditer(re.escape(placed), text)]
    tail = _LAST_WORD_CHAR_RE.search(text)
    last_word = tail.start() + 1 if tail else len(text)
    boundaries = [b for b in [0] + [m.end() for m in re.finditer(r"\s+", text)] + [last_word]
                  if not any(start < b < end for start, end in inside)]
    if slot.match.start > 0 and len(boundaries) > 1:
        boundaries = [b for b in boundaries if b > 0] or boundaries
    position = min(boundaries, key=lambda b: abs(b - target))
    before, after = text[:position], text[position:]
    joiner_before = "" if not before or before.endswith(" ") else " "
    joiner_after = "" if not after or after.startswith((" ", ".", ",")) else " "
    if tgt and slot.match.term.type != MARKUP_TYPE:  # articles and particles made to agree, as when placed
        before += joiner_before
        # the form exactly as approved, even first in the sentence: the reviewer sees what was inserted
        return _place(before + "\0" + joiner_after + after, len(before), len(before) + 1, form, slot.match, tgt,
                      capitalize=False)
    return before + joiner_before + form + joiner_after + after


def _hit(slot: Slot, form: str, placed: str) -> dict:
    term = slot.match.term
    return {"term": term.key, "type": term.type, "source": slot.match.surface, "target": form, "placed": placed,
            "note": term.note}
