"""Which placeholder a model carries through: asked of the model itself, once per model version.

Models differ in what they do with a name they never saw: one copies ``Kavimo`` as written,
another writes it its own way (카비모 into Korean; ``Kavimo`` out of a Korean ``카비모``), a
third drops or mangles it. The desk does not choose its model by that, so before the first
glossary run a model is given a few dozen short newsletter sentences with one made-up name
in each, in every placeholder spelling that suits the source language (``name``: Latin;
``reading``: Hangul, for a Korean source), and the output is read back the way ``restore``
reads it (the copy, its Hangul reading, a near copy). The spelling found most often is used;
if none comes back in at least ``MIN_FOUND`` of the sentences, no placeholder is written at
all (``align``: the sentence as written, the model's own rendering of the term replaced
through its attention). Decision 0004, fourth pass, has the measurements.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from gnews_i18n.terms.glossary import Glossary, Term
from gnews_i18n.terms.terminology import Terminology

MIN_FOUND = 0.6  # share of probe sentences whose placeholder must come back for a spelling to be used
# Short newsletter sentences, {} where the name goes (it takes a particle in Korean: 가온누리재단 + 은).
_FRAMES = {
    "ko": ["{}은 월요일 병원을 방문했다.", "{} 대표단이 화요일 보건소를 방문했다.", "{}은 환자 35명을 치료했다.",
           "{}은 올해 사업에 20억 원을 투입한다.", "{}은 업무협약을 체결했다.",
           "관계자는 {}이 큰 호응을 얻었다고 전했다.",
           "{} 의료진 12명이 연수를 받았다.", "{}은 3월 5일 기조연설을 했다."],
    "en": ["{} visited the hospital on Monday.", "A delegation from {} visited the health center on Tuesday.",
           "{} treated 35 patients.", "{} will invest 2 billion won this year.",
           "{} signed a memorandum of understanding.", "An official said {} was well received.",
           "12 medical staff from {} trained at the hospital.", "{} gave a keynote speech on March 5."],
}
# A term no glossary has, so the probe runs whatever the desk's glossaries hold.
_TERM = Term({"ko": "가온누리재단", "en": "Gaonnuri Foundation"}, "institution")
_ROUNDS = 3  # each frame with this many different made-up names


@dataclass(frozen=True)
class Probe:
    style: str  # the spelling to use: name, reading, or align (no placeholder)
    found: dict[str, float] = field(default_factory=dict)  # per spelling tried: share of placeholders found
    sentences: int = 0


def spellings(src: str) -> tuple[str, ...]:
    """The placeholder spellings worth trying for a source language."""
    return ("name", "reading") if src == "ko" else ("name",)


def probe(translate: Callable[[list[str]], list[str]], src: str, tgt: str) -> Probe:
    """Ask the model (``translate``: sources → outputs, in order) which spelling it carries through."""
    frames = _FRAMES.get(src)
    if not frames:
        return Probe("name")
    glossary = Glossary([_TERM])
    found: dict[str, float] = {}
    sentences = [frame.format(_TERM.form(src)) for frame in frames]
    for spelling in spellings(src):
        terminology = Terminology(glossary, src, tgt, style=spelling)
        prepared = []
        for round_ in range(_ROUNDS):  # protect() draws its names from the text: vary it per round
            for sentence in sentences:
                prepared.append(terminology.prepare(sentence + " " * round_))
        outputs = translate([p.text for p in prepared])
        placed = sum(hit["placed"] == "model" for output, prep in zip(outputs, prepared, strict=True)
                     for hit in terminology.finish(output, prep)[1])
        found[spelling] = round(placed / len(prepared), 3)
    best = max(found, key=lambda s: found[s])
    return Probe(best if found[best] >= MIN_FOUND else "align", found, len(sentences) * _ROUNDS)


_probes: dict[tuple, Probe] = {}
_lock = threading.Lock()


def style_for(translator, src: str, tgt: str) -> Probe:
    """The probe of ``translator`` (anything with ``translate(texts)`` returning outputs with
    ``.text``, and a ``model_id``), kept per model version for the process's life."""
    key = (getattr(translator, "model_id", id(translator)), getattr(translator, "model_version", ""), src, tgt)
    with _lock:
        if key not in _probes:
            _probes[key] = probe(lambda texts: [t.text for t in translator.translate(texts)], src, tgt)
        return _probes[key]
