"""A transformers seq2seq model (Marian and kin) run with ``generate()``."""

from __future__ import annotations

import time
from dataclasses import dataclass

from gnews_i18n.mt.base import MachineTranslation


@dataclass(frozen=True)
class DecodingSettings:
    num_beams: int = 4
    max_batch_tokens: int = 4096
    max_new_tokens_factor: float = 2.0  # output budget relative to the source length
    max_new_tokens_floor: int = 16


class _PerSentenceLength:
    """A logits processor that ends each sentence at its own token budget.

    ``max_new_tokens`` is one number per batch; without this a short sentence batched
    with a long one may run on to the long one's budget (and a looping model does).
    """

    def __init__(self, limits: list[int], num_beams: int, eos_token_id: int):
        self.limits = limits
        self.num_beams = num_beams
        self.eos = eos_token_id

    def __call__(self, input_ids, scores):
        generated = input_ids.shape[1] - 1  # the decoder start token is not output
        for row in range(scores.shape[0]):
            if generated >= self.limits[row // self.num_beams] - 1:  # the limit counts </s>, as max_new_tokens does
                eos_score = scores[row, self.eos].clone()
                scores[row, :] = float("-inf")
                scores[row, self.eos] = eos_score if eos_score > float("-inf") else 0.0
        return scores


class TransformersTranslator:
    backend = "transformers"

    def __init__(self, model_ref: str, src: str, tgt: str, decoding: DecodingSettings | None = None):
        import torch
        from transformers import AutoModelForSeq2SeqLM, AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # a worker's log is no place for load bars

        self.src, self.tgt, self.model_id = src, tgt, model_ref
        self.decoding = decoding or DecodingSettings()
        self.tokenizer = AutoTokenizer.from_pretrained(model_ref)
        self.model = AutoModelForSeq2SeqLM.from_pretrained(model_ref)
        self.model.eval()
        self.model.generation_config.max_length = None  # we pass max_new_tokens per batch
        self.device = "cuda" if torch.cuda.is_available() else "cpu"
        self.model.to(self.device)
        self._torch = torch

    def translate(self, texts: list[str]) -> list[MachineTranslation]:
        if not texts:
            return []
        encoded = [self.tokenizer(text)["input_ids"] for text in texts]
        # Sort by length so each batch pads little, then restore the caller's order.
        order = sorted(range(len(texts)), key=lambda i: len(encoded[i]))
        results: list[MachineTranslation | None] = [None] * len(texts)
        for batch in self._batches(order, encoded):
            for index, translation in zip(batch, self._generate([encoded[i] for i in batch]), strict=True):
                results[index] = translation
        return results  # type: ignore[return-value]

    def _batches(self, order: list[int], encoded: list[list[int]]):
        batch: list[int] = []
        for index in order:
            longest = max([len(encoded[i]) for i in batch] + [len(encoded[index])])
            if batch and longest * (len(batch) + 1) * self.decoding.num_beams > self.decoding.max_batch_tokens:
                yield batch
                batch = []
            batch.append(index)
        if batch:
            yield batch

    def _generate(self, ids: list[list[int]]) -> list[MachineTranslation]:
        torch = self._torch
        started = time.perf_counter()
        pad = self.tokenizer.pad_token_id
        width = max(len(x) for x in ids)
        input_ids = torch.tensor([x + [pad] * (width - len(x)) for x in ids], device=self.device)
        attention = torch.tensor([[1] * len(x) + [0] * (width - len(x)) for x in ids], device=self.device)
        limits = [self._budget(len(x)) for x in ids]
        budget = max(limits)
        from transformers import LogitsProcessorList

        with torch.inference_mode():
            output = self.model.generate(
                input_ids=input_ids,
                attention_mask=attention,
                num_beams=self.decoding.num_beams,
                max_new_tokens=budget,
                logits_processor=LogitsProcessorList(
                    [_PerSentenceLength(limits, self.decoding.num_beams, self.tokenizer.eos_token_id)]
                ),
            )
        texts = self.tokenizer.batch_decode(output, skip_special_tokens=True)
        seconds = (time.perf_counter() - started) / len(ids)
        provenance = {
            "model": self.model_id,
            "backend": self.backend,
            "num_beams": self.decoding.num_beams,
            "seconds": round(seconds, 4),
        }
        return [
            MachineTranslation(text=t.strip(), provenance={**provenance, "max_new_tokens": limit})
            for t, limit in zip(texts, limits, strict=True)
        ]

    def _budget(self, source_tokens: int) -> int:
        return max(self.decoding.max_new_tokens_floor, int(source_tokens * self.decoding.max_new_tokens_factor))
