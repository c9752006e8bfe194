"""The translation engine: everything around a backend's ``generate``.

- long sentences are split at clause boundaries (never truncated) and rejoined;
- all inputs of a call are generated together, so the backend batches them by length
  and token budget — one article's sentences, or several articles' when a job passes them;
- every output is checked (empty, length ratio, loops); a bad one is retried once with
  other decoding settings, and flagged ``mt_suspect`` if still bad. A caller that rewrites
  the output afterwards (glossary terms put back in place of placeholders) passes
  ``judge``: the check reads what the reader will get, so a mangled placeholder that the
  terminology step repairs does not cost a second, slower decoding;
- each output records its provenance: model, version (``mt.versions``), backend, decoding settings,
  time, pieces.
"""

from __future__ import annotations

import functools
import hashlib
import time
from collections.abc import Callable
from pathlib import Path

from gnews_i18n.languages import UNSPACED
from gnews_i18n.mt.alignment import Alignment, links_from, piece_spans
from gnews_i18n.mt.base import Attention, Backend, DecodingSettings, MachineTranslation
from gnews_i18n.mt.split import split_long
from gnews_i18n.mt.versions import version_label, version_number
from gnews_i18n.qa import guards


class Engine:
    judges_outputs = True  # translate() takes ``judge``
    def __init__(self, backend: Backend, src: str, tgt: str, model_id: str,
                 decoding: DecodingSettings | None = None, max_source_tokens: int = 200, retry: bool = True):
        self.backend, self.src, self.tgt, self.model_id = backend, src, tgt, model_id
        self.decoding = decoding or DecodingSettings()
        self.max_source_tokens = max_source_tokens
        self.retry = retry  # off only where output is meaningless by design (throughput benchmarks)

    @functools.cached_property
    def model_version(self) -> str:
        """What tells this model's weights from another's under the same id (a directory's weight
        files, by size and time): what is learnt about the model (``terms.probe``) is kept under it."""
        path = Path(self.model_id).expanduser()
        if not path.is_dir():
            return ""
        stats = [(f.name, f.stat().st_size, f.stat().st_mtime_ns) for f in sorted(path.rglob("*"))
                 if f.suffix in (".safetensors", ".bin", ".json") and f.is_file()
                 and not _in_version(f.relative_to(path))]  # a base's adapted versions are other models
        return hashlib.sha256(repr(stats).encode()).hexdigest()[:16]

    @functools.cached_property
    def version_label(self) -> str:
        """``v2`` (or ``base``) where the model is one of a direction's versions (``mt.versions``)."""
        return version_label(self.model_id)

    def translate(self, texts: list[str],
                  judge: Callable[[int, str], str] | None = None) -> list[MachineTranslation]:
        """One output per input. ``judge(index, output)``, where given, is the text the guards check
        for input ``index`` (a sentence split in pieces is checked piece by piece, as generated)."""
        if not texts:
            return []
        started = time.perf_counter()
        pieces_of, flat, flat_ids, owner = [], [], [], []
        for index, text in enumerate(texts):  # tokenized once; only a sentence over the limit is split and re-tokenized
            ids = self.backend.encode(text)
            pieces = [text] if len(ids) <= self.max_source_tokens else \
                split_long(text, lambda t: len(self.backend.encode(t)), self.max_source_tokens)
            pieces_of.append(pieces)
            owner += [index if len(pieces) == 1 and judge else None] * len(pieces)
            flat += pieces
            flat_ids += [ids] if len(pieces) == 1 else [self.backend.encode(p) for p in pieces]
        output_ids, matrices = self._decode_attending(flat_ids)
        outputs = [self.backend.decode(out) for out in output_ids]

        def problems(i: int, output: str) -> list[str]:
            checked = judge(owner[i], output) if owner[i] is not None else output
            return guards.problems(flat[i], checked, self.src, self.tgt)

        reasons = [problems(i, out) for i, out in enumerate(outputs)]
        retry = [i for i, r in enumerate(reasons) if r] if self.retry else []
        if retry:
            again = self._generate([flat[i] for i in retry], self.decoding.for_retry())
            for index, output in zip(retry, again, strict=True):
                still = problems(index, output)
                if len(still) < len(reasons[index]) or not still:
                    outputs[index] = output
                    matrices[index] = None  # the first decoding's attention is not this output's
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
            if self.version_label:
                provenance["version"] = self.version_label
            if len(pieces) > 1:
                provenance["pieces"] = len(pieces)
            if retried:
                provenance["retried"] = {"reasons": [r for i in retried for r in reasons[i]],
                                         **self.decoding.for_retry().describe()}
            first = span[0]
            attention = Attention(flat_ids[first], output_ids[first], matrices[first]) \
                if len(pieces) == 1 and matrices[first] is not None else None
            results.append(MachineTranslation(text, provenance, flags, attention))
        return results

    def _decode_attending(self, ids: list[list[int]]) -> tuple[list[list[int]], list]:
        """Output ids and, where the backend returns it while decoding, each output's attention."""
        attending = getattr(self.backend, "generate_attending", None)
        if attending is None:
            return self.backend.generate(ids, self.decoding), [None] * len(ids)
        output_ids, matrices = attending(ids, self.decoding)
        return output_ids, list(matrices)

    def align(self, sources: list[str], outputs: list[str],
              attention: list[Attention | None] | None = None) -> list[Alignment | None]:
        """For each (source, output) pair, the model's own word alignment (None for an empty output):
        from the decoding's ``attention`` where given (``MachineTranslation.attention``), else from
        one forced pass over the pairs without it."""
        specials = self.backend.special_pieces
        attention = attention or [None] * len(sources)
        known = [(i, *self.backend.attended_pieces(a)) for i, a in enumerate(attention)
                 if a is not None and outputs[i].strip()]
        pairs = [(i, self.backend.source_pieces(s), self.backend.target_pieces(o))
                 for i, (s, o, a) in enumerate(zip(sources, outputs, attention, strict=True))
                 if o.strip() and a is None]
        result: list[Alignment | None] = [None] * len(sources)
        forced = self.backend.cross_attention([p[1] for p in pairs], [p[2] for p in pairs]) if pairs else []
        for index, source_pieces, target_pieces, matrix in known + [(*p, m)
                                                                    for p, m in zip(pairs, forced, strict=True)]:
            source_spans = piece_spans(sources[index], source_pieces, specials)
            result[index] = Alignment(sources[index], outputs[index], source_spans,
                                      piece_spans(outputs[index], target_pieces, specials),
                                      links_from(matrix, source_spans))
        return result

    def _generate(self, texts: list[str], decoding: DecodingSettings) -> list[str]:
        ids = [self.backend.encode(text) for text in texts]
        return [self.backend.decode(out) for out in self.backend.generate(ids, decoding)]

class PivotEngine:
    """src → pivot → tgt, for directions with no direct model; the pivot text is recorded."""
    def __init__(self, first: Engine, second: Engine):
        self.first, self.second = first, second
        self.src, self.tgt = first.src, second.tgt
        self.model_id = f"{first.model_id} → {second.model_id}"

    judges_outputs = True

    def translate(self, texts: list[str],
                  judge: Callable[[int, str], str] | None = None) -> list[MachineTranslation]:
        middle = self.first.translate(texts)
        final = self.second.translate([m.text for m in middle], judge)
        results = []
        for mid, out in zip(middle, final, strict=True):
            provenance = {**out.provenance, "pivot": self.first.tgt, "pivot_text": mid.text,
                          "first_leg": mid.provenance, "seconds": round(mid.provenance.get("seconds", 0) +
                                                                        out.provenance.get("seconds", 0), 4)}
            results.append(MachineTranslation(out.text, provenance, mid.flags + out.flags))
        return results


def _in_version(relative: Path) -> bool:
    return any(version_number(part) is not None for part in relative.parts[:-1])
