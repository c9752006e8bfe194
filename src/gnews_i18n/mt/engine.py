"""The translation engine: everything around a backend's ``generate``.

- long sentences are split at clause boundaries (never truncated) and rejoined;
- all inputs of a call are generated together, so the backend batches them by length
  and token budget — one article's sentences, or several articles' when a job passes them;
- every output is checked (empty, length ratio, loops); a bad one is retried once with
  other decoding settings, and flagged ``mt_suspect`` if still bad;
- each output records its provenance: model, backend, decoding settings, time, pieces.
"""

from __future__ import annotations

import time

from gnews_i18n.languages import UNSPACED
from gnews_i18n.mt import guards
from gnews_i18n.mt.base import Backend, DecodingSettings, MachineTranslation
from gnews_i18n.mt.split import split_long


class Engine:
    def __init__(self, backend: Backend, src: str, tgt: str, model_id: str,
                 decoding: DecodingSettings | None = None, max_source_tokens: int = 200, retry: bool = True):
        self.backend, self.src, self.tgt, self.model_id = backend, src, tgt, model_id
        self.decoding = decoding or DecodingSettings()
        self.max_source_tokens = max_source_tokens
        self.retry = retry  # off only where output is meaningless by design (throughput benchmarks)

    def translate(self, texts: list[str]) -> list[MachineTranslation]:
        if not texts:
            return []
        started = time.perf_counter()
        pieces_of, flat, flat_ids = [], [], []
        for text in texts:  # tokenized once; only a sentence over the limit is split and re-tokenized
            ids = self.backend.encode(text)
            pieces = [text] if len(ids) <= self.max_source_tokens else \
                split_long(text, lambda t: len(self.backend.encode(t)), self.max_source_tokens)
            pieces_of.append(pieces)
            flat += pieces
            flat_ids += [ids] if len(pieces) == 1 else [self.backend.encode(p) for p in pieces]
        outputs = [self.backend.decode(out) for out in self.backend.generate(flat_ids, self.decoding)]
        reasons = [guards.problems(src, out, self.src, self.tgt) for src, out in zip(flat, outputs, strict=True)]
        retry = [i for i, r in enumerate(reasons) if r] if self.retry else []
        if retry:
            again = self._generate([flat[i] for i in retry], self.decoding.for_retry())
            for index, output in zip(retry, again, strict=True):
                still = guards.problems(flat[index], output, self.src, self.tgt)
                if len(still) < len(reasons[index]) or not still:
                    outputs[index] = output
                reasons[index] = [f"retried: {r}" for r in reasons[index]] if not still else still
        seconds = (time.perf_counter() - started) / len(texts)

        results, cursor = [], 0
        joiner = "" if self.tgt in UNSPACED else " "
        for pieces in pieces_of:
            span = range(cursor, cursor + len(pieces))
            cursor += len(pieces)
            text = joiner.join(outputs[i] for i in span if outputs[i]).strip()
            retried = [i for i in span if i in retry]
            flags = [{"id": "mt_suspect", "severity": "warning",
                      "message": "machine output looks wrong after a retry: " + "; ".join(reasons[i])}
                     for i in span if reasons[i] and not reasons[i][0].startswith("retried")]
            provenance = {"model": self.model_id, "backend": self.backend.name, **self.decoding.describe(),
                          "seconds": round(seconds, 4)}
            if len(pieces) > 1:
                provenance["pieces"] = len(pieces)
            if retried:
                provenance["retried"] = {"reasons": [r for i in retried for r in reasons[i]],
                                         **self.decoding.for_retry().describe()}
            results.append(MachineTranslation(text, provenance, flags))
        return results

    def _generate(self, texts: list[str], decoding: DecodingSettings) -> list[str]:
        ids = [self.backend.encode(text) for text in texts]
        return [self.backend.decode(out) for out in self.backend.generate(ids, decoding)]


class PivotEngine:
    """src → pivot → tgt, for directions with no direct model; the pivot text is recorded."""

    def __init__(self, first: Engine, second: Engine):
        self.first, self.second = first, second
        self.src, self.tgt = first.src, second.tgt
        self.model_id = f"{first.model_id} → {second.model_id}"

    def translate(self, texts: list[str]) -> list[MachineTranslation]:
        middle = self.first.translate(texts)
        final = self.second.translate([m.text for m in middle])
        results = []
        for mid, out in zip(middle, final, strict=True):
            provenance = {**out.provenance, "pivot": self.first.tgt, "pivot_text": mid.text,
                          "first_leg": mid.provenance, "seconds": round(mid.provenance.get("seconds", 0) +
                                                                        out.provenance.get("seconds", 0), 4)}
            results.append(MachineTranslation(out.text, provenance, mid.flags + out.flags))
        return results
