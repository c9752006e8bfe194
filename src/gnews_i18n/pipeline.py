"""Translate one article into one language: pure orchestration, no SQL, no Celery.

Blocks become sentence segments, the title, byline and correction note among them (their
positions: ``intake.document``), and the engine translates them in batches under the
article's terminology; QA flags each draft. ``intake.document.assemble`` puts translated
sentences back into blocks.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from gnews_i18n.intake.article import FIGURE, Block
from gnews_i18n.intake.document import BYLINE_BLOCK, CORRECTION_BLOCK, TITLE_BLOCK
from gnews_i18n.mt.base import Translator
from gnews_i18n.qa import QAContext, check_pair
from gnews_i18n.qa.number_check import check_numbers
from gnews_i18n.segment import split_sentences
from gnews_i18n.terms import Terminology
from gnews_i18n.terms.mentions import style_article
from gnews_i18n.terms.probe import style_for
from gnews_i18n.terms.terminology import AUTO

_ARTICLES = itertools.count(1)  # tells one article's drafts from another's in a shared run


@dataclass
class SegmentDraft:
    block_index: int
    sentence_index: int
    source_text: str
    machine_text: str = ""
    flags: list[dict] = field(default_factory=list)
    provenance: dict = field(default_factory=dict)
    terms: list[dict] = field(default_factory=list)  # glossary hits: source, target, how placed
    from_memory: bool = False  # filled from the translation memory, not by the model
    # The article's date (intake's, else the submit date): QA reads day-only dates (19일) against it,
    # and terminology uses the forms and posts valid on it.
    article_date: dt.date | None = None
    article: int = 0  # which article (``segment_article``'s); 0: a lone sentence, no first-mention rule


def segment_article(title: str, blocks: list[Block], lang: str, date: dt.date | None = None, *,
                    author: str | None = None, correction: str | None = None) -> list[SegmentDraft]:
    article = next(_ARTICLES)
    drafts = [SegmentDraft(TITLE_BLOCK, 0, title, article_date=date, article=article)]
    if author and author.strip():
        drafts.append(SegmentDraft(BYLINE_BLOCK, 0, author.strip(), article_date=date, article=article))
    if correction and correction.strip():
        drafts.append(SegmentDraft(CORRECTION_BLOCK, 0, correction.strip(), article_date=date, article=article))
    for block_index, block in enumerate(blocks):
        if block.kind == FIGURE and not block.text.strip():
            # a photo without alt text still gets its segment: QA warns, and a reviewer can write one
            drafts.append(SegmentDraft(block_index, 0, "", article_date=date, article=article))
        for sentence_index, sentence in enumerate(split_sentences(block.text, lang)):
            drafts.append(SegmentDraft(block_index, sentence_index, sentence, article_date=date, article=article))
    return drafts


class StageClock:
    """Wall seconds by stage, each stage's own: a stage entered inside another pauses the outer
    one, so nothing is counted twice (the job's metrics; ``bench/pipeline_overhead.py`` keeps
    its own stopwatch over the same names)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self._running: list[list] = []  # [stage, since]

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        now = time.perf_counter()
        if self._running:
            outer = self._running[-1]
            self.seconds[outer[0]] += now - outer[1]
        self._running.append([name, now])
        try:
            yield
        finally:
            ended = time.perf_counter()
            self.seconds[name] += ended - self._running.pop()[1]
            if self._running:
                self._running[-1][1] = ended


class _TimedTranslator:
    """The translator, its ``translate`` and ``align`` timed as the ``mt`` stage (the engine's guards
    included); everything else (``model_id``, ``src`` …) passes through."""

    def __init__(self, translator: Translator, clock: StageClock) -> None:
        self._translator, self._clock = translator, clock

    def __getattr__(self, name: str):
        attribute = getattr(self._translator, name)
        if name not in ("translate", "align"):
            return attribute

        def timed(*args, **kwargs):
            with self._clock.stage("mt"):
                return attribute(*args, **kwargs)
        return timed


def translate_segments(
    drafts: list[SegmentDraft],
    translator: Translator,
    *,
    terminology: Terminology | None = None,
    # 64, not 32: each chunk is one call to the backend, whose last batch leaves a core idle;
    # at 32 that cost CTranslate2 5–10% of its throughput (bench/mt_throughput.py, 2 cores)
    chunk_size: int = 64,
    on_progress: Callable[[int, int], None] | None = None,
    check: bool = True,
    clock: StageClock | None = None,
) -> list[SegmentDraft]:
    """Fill ``machine_text`` of every draft. ``on_progress(done, total)`` runs after each chunk.

    With ``terminology``, glossary terms (in their forms on each draft's article date) and the
    registry's officials are protected before MT and put back in their approved form after it;
    hits and flags go on the draft; then each article gets the first-mention rule (``mentions``).
    With ``check``, the QA checks (numbers, dates, units, markup, untranslated, negation,
    length) add their flags. With ``clock``, the time goes to its stages ``mt`` (the engine),
    ``qa`` (the checks) and ``terms`` (the rest: matching, placing, the first-mention rule).
    """
    everything = drafts
    drafts = [d for d in everything if d.source_text.strip()]
    for blank in everything:  # an empty alt text: nothing to send to the engine
        if not blank.source_text.strip() and check:
            blank.flags = check_pair("", "", translator.src, translator.tgt,
                                     context=QAContext(blank.article_date, "machine"))
    if clock is None:
        _translate_segments(drafts, translator, terminology, chunk_size, on_progress, check, None)
    else:
        with clock.stage("terms"):
            _translate_segments(drafts, _TimedTranslator(translator, clock), terminology, chunk_size,
                                on_progress, check, clock)
    return everything


def _translate_segments(drafts: list[SegmentDraft], translator: Translator, terminology: Terminology | None,
                        chunk_size: int, on_progress: Callable[[int, int], None] | None, check: bool,
                        clock: StageClock | None) -> None:
    total = len(drafts)
    style = terminology.style if terminology is not None else None
    if style == AUTO and drafts:  # the placeholder this model carries through, asked of it once
        style = style_for(translator, translator.src, translator.tgt).style
    for start in range(0, total, chunk_size):
        chunk = drafts[start:start + chunk_size]
        _translate_chunk(chunk, translator, terminology, drafts[start - 1] if start else None, style)
        if check:
            with clock.stage("qa") if clock else _untimed():
                for draft in chunk:
                    known = {(f["id"], f["message"]) for f in draft.flags}
                    context = QAContext(draft.article_date, "machine")
                    draft.flags.extend(f for f in check_pair(draft.source_text, draft.machine_text,
                                                             translator.src, translator.tgt, context=context)
                                       if (f["id"], f["message"]) not in known)
        if on_progress:
            on_progress(min(start + chunk_size, total), total)
    if terminology is not None:
        for article, members in itertools.groupby(drafts, key=lambda d: d.article):
            if article:
                style_article(list(members), terminology)


@contextmanager
def _untimed() -> Iterator[None]:
    yield


def _prepare(terminology: Terminology | None, draft: SegmentDraft, before: SegmentDraft | None,
             style: str | None = None):
    if terminology is None:
        return None
    if before is None or before.article != draft.article or not draft.article:
        terminology.start_article()  # people named in another article are not this one's
    return terminology.prepare(draft.source_text, style)

class _Finisher:
    """Terms put back in each output of a chunk, once per distinct output: the engine's guards
    read the finished sentence, and the draft gets the same result without a second pass."""
    def __init__(self, dated: list[Terminology], prepared: list):
        self.dated, self.prepared = dated, prepared  # each draft's terminology on its article's date
        self.done: dict[tuple[int, str], tuple] = {}

    def __call__(self, index: int, output: str) -> tuple:
        if (index, output) not in self.done:
            self.done[index, output] = self.dated[index].finish(output, self.prepared[index])
        return self.done[index, output]

    def text(self, index: int, output: str) -> str:
        return self(index, output)[0]


def _translate_chunk(chunk: list[SegmentDraft], translator: Translator, terminology: Terminology | None,
                     before: SegmentDraft | None, style: str | None = None) -> None:
    dated = [terminology.on(d.article_date) if terminology else None for d in chunk]
    prepared = [_prepare(t, d, chunk[i - 1] if i else before, style)
                for i, (d, t) in enumerate(zip(chunk, dated, strict=True))]
    texts = [p.text if p else d.source_text for d, p in zip(chunk, prepared, strict=True)]
    if not terminology:
        outputs = translator.translate(texts)
    else:
        finish = _Finisher(dated, prepared)
        if style != "align" and getattr(translator, "judges_outputs", False):
            # the guards check the sentence with its terms in place: a placeholder the model
            # mangled (Kozomomo) is repaired there and is no reason to decode the sentence again
            outputs = translator.translate(texts, judge=finish.text)
        else:
            outputs = translator.translate(texts)
        _with_alignment(style, dated, translator, prepared, outputs, finish.done)
        _as_written(style, chunk, dated, translator, prepared, outputs, finish.done)
    for index, (draft, output, prep) in enumerate(zip(chunk, outputs, prepared, strict=True)):
        draft.machine_text = output.text
        draft.provenance = output.provenance
        draft.flags.extend(output.flags)
        if prep is not None:
            draft.machine_text, draft.terms, flags = finish(index, output.text)
            draft.flags = draft.flags + flags


def _with_alignment(style: str, dated: list[Terminology], translator: Translator, prepared: list,
                    translations: list, finished: dict) -> None:
    """Where a term was not placed by the model (or the style reads the model's attention for
    every term), the terms go where the attention puts them: the decoding's own attention where
    the backend returned it (CTranslate2), else one batched forced pass over those sentences only."""
    if not hasattr(translator, "align"):
        return
    outputs = [t.text for t in translations]
    wanted = []
    for index, (prep, output) in enumerate(zip(prepared, outputs, strict=True)):
        hits = []
        if style != "align":
            if (index, output) not in finished:
                finished[index, output] = dated[index].finish(output, prep)
            hits = finished[index, output][1]
        if dated[index].wants_alignment(prep, hits):
            wanted.append(index)
    if not wanted:
        return
    alignments = translator.align([prepared[i].text for i in wanted], [outputs[i] for i in wanted],
                                  [translations[i].attention for i in wanted])
    for index, alignment in zip(wanted, alignments, strict=True):
        finished[index, outputs[index]] = dated[index].finish(outputs[index], prepared[index], alignment)



def _as_written(style: str, chunk: list[SegmentDraft], dated: list[Terminology], translator: Translator,
                prepared: list, translations: list, finished: dict) -> None:
    """Where the model lost a placeholder (a term had to be inserted) or a number or date of the
    source is missing from the sentence with its terms, the sentence is translated again as
    written and the model's own rendering of each term replaced through its attention (the
    ``align`` style): the placeholder the model could not carry may have damaged the sentence
    around it. Of the two, the draft keeps the one with fewer number and date mismatches, then
    fewer terms inserted by rule, then the one whose other words agree best with that
    unconstrained translation; a sentence whose placeholders all came back changes only for
    fewer mismatches."""
    if style == "align" or not hasattr(translator, "align"):
        return
    doubts = {}
    for index, (prep, out) in enumerate(zip(prepared, translations, strict=True)):
        if prep is None:
            continue
        text, hits, _ = finished[index, out.text]
        lost = any(h["placed"] == "inserted" for h in hits)
        if lost or _mismatches(chunk[index], text, translator):
            doubts[index] = lost
    if not doubts:
        return
    lost = list(doubts)
    again = [dated[i].prepare(chunk[i].source_text, "align") for i in lost]
    plain = translator.translate([p.text for p in again])
    alignments = translator.align([p.text for p in again], [t.text for t in plain], [t.attention for t in plain])
    for index, prep, output, alignment in zip(lost, again, plain, alignments, strict=True):
        result = dated[index].finish(output.text, prep, alignment)
        current = finished[index, translations[index].text]
        new_rank = _rank(result, output.text, chunk[index], translator)
        old_rank = _rank(current, output.text, chunk[index], translator)
        if new_rank < old_rank if doubts[index] else new_rank[0] < old_rank[0]:
            translations[index] = output
            prepared[index] = prep
            finished[index, output.text] = result


_DIGIT_RE = re.compile(r"\d+")
_MISMATCH = {"number_mismatch", "number_added", "date_mismatch"}


def _mismatches(draft: SegmentDraft, text: str, translator: Translator) -> int:
    """Number and date mismatch flags of ``text``; none looked for where every run of digits of
    the source is in it (most sentences: the check costs as much as a toy model's decoding)."""
    if all(run in text for run in _DIGIT_RE.findall(draft.source_text)):
        return 0
    flags = check_numbers(draft.source_text, text, translator.src, translator.tgt,
                          QAContext(draft.article_date, "machine"))
    return sum(f["id"] in _MISMATCH for f in flags)


def _rank(result: tuple, unconstrained: str, draft: SegmentDraft, translator: Translator) -> tuple[int, int, float]:
    """Number and date mismatches, terms inserted by rule, then (negated) how many of the
    unconstrained translation's words, the terms' left out, the text keeps."""
    text, hits, _ = result
    mismatches = _mismatches(draft, text, translator)
    for hit in hits:
        text = text.replace(hit["target"], " ")
    words, kept = unconstrained.split(), text.split()
    shared = sum(min(words.count(w), kept.count(w)) for w in set(words))
    return mismatches, sum(h["placed"] == "inserted" for h in hits), -shared / max(1, len(words))
