"""A transformers seq2seq model (Marian, M2M100, NLLB) run with ``generate()``."""

from __future__ import annotations

from gnews_i18n.mt.base import DecodingSettings, HFTokenizing
from gnews_i18n.mt.families import Family, detect_family


class _PerSentenceLength:
    """A logits processor that ends each sentence at its own token budget.

    ``max_new_tokens`` is one number per batch; without this a short sentence batched
    with a long one may run on to the long one's budget (and a looping model does).
    """

    def __init__(self, limits: list[int], num_beams: int, eos_token_id: int, fixed: bool):
        self.limits = limits
        self.num_beams = num_beams
        self.eos = eos_token_id
        self.fixed = fixed

    def __call__(self, input_ids, scores):
        generated = input_ids.shape[1] - 1  # the decoder start token is not output
        for row in range(scores.shape[0]):
            limit = self.limits[row // self.num_beams]
            if generated >= limit - 1:  # the limit counts </s>, as max_new_tokens does
                eos_score = scores[row, self.eos].clone()
                scores[row, :] = float("-inf")
                scores[row, self.eos] = eos_score if eos_score > float("-inf") else 0.0
            elif self.fixed:
                scores[row, self.eos] = float("-inf")  # benchmarks: exactly ``limit`` tokens
        return scores


class TransformersBackend(HFTokenizing):
    name = "transformers"

    def __init__(self, model_ref: str, src: str, tgt: str, family: str | None = None):
        import torch
        from transformers import AutoModelForSeq2SeqLM, AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # a worker's log is no place for load bars
        self.tokenizer = AutoTokenizer.from_pretrained(model_ref)
        self.model = AutoModelForSeq2SeqLM.from_pretrained(model_ref)
        self.model.eval()
        self.model.generation_config.max_length = None  # we pass max_new_tokens per batch
        self.family = Family(family) if family else detect_family(self.model.config, self.tokenizer)
        self.family.prepare(self.tokenizer, src)
        self.language_ids = self.family.language_token_ids(self.tokenizer)
        self.forced_bos = self.family.forced_bos_token_id(self.tokenizer, tgt)
        self.device = "cuda" if torch.cuda.is_available() else "cpu"
        self.model.to(self.device)
        self._torch = torch

    def generate(self, batch: list[list[int]], decoding: DecodingSettings) -> list[list[int]]:
        """Outputs for ``batch`` in its order; sorted by length and split by token budget inside."""
        order = sorted(range(len(batch)), key=lambda i: len(batch[i]))
        results: list[list[int]] = [[] for _ in batch]
        chunk: list[int] = []
        for index in order + [None]:
            if index is not None:
                longest = max(len(batch[i]) for i in chunk + [index])
                if not chunk or longest * (len(chunk) + 1) * decoding.num_beams <= decoding.max_batch_tokens:
                    chunk.append(index)
                    continue
            for position, output in zip(chunk, self._run([batch[i] for i in chunk], decoding), strict=True):
                results[position] = output
            chunk = [index] if index is not None else []
        return results

    def _run(self, ids: list[list[int]], decoding: DecodingSettings) -> list[list[int]]:
        from transformers import LogitsProcessorList

        torch = self._torch
        pad = self.tokenizer.pad_token_id
        width = max(len(x) for x in ids)
        input_ids = torch.tensor([x + [pad] * (width - len(x)) for x in ids], device=self.device)
        attention = torch.tensor([[1] * len(x) + [0] * (width - len(x)) for x in ids], device=self.device)
        limits = [decoding.budget(len(x)) for x in ids]
        kwargs = {}
        if self.forced_bos is not None:
            kwargs["forced_bos_token_id"] = self.forced_bos
        if decoding.no_repeat_ngram_size:
            kwargs["no_repeat_ngram_size"] = decoding.no_repeat_ngram_size
        if decoding.repetition_penalty != 1.0:
            kwargs["repetition_penalty"] = decoding.repetition_penalty
        processor = _PerSentenceLength(limits, decoding.num_beams, self.tokenizer.eos_token_id,
                                       fixed=bool(decoding.fixed_new_tokens))
        with torch.inference_mode():
            output = self.model.generate(
                input_ids=input_ids, attention_mask=attention, num_beams=decoding.num_beams,
                max_new_tokens=max(limits) + (1 if self.forced_bos is not None else 0),
                logits_processor=LogitsProcessorList([processor]), **kwargs,
            )
        return [row.tolist() for row in output]

    def cross_attention(self, sources: list[list[str]], targets: list[list[str]]) -> list[list[list[float]]]:
        """One teacher-forced pass over the batch; every layer's cross-attention, heads averaged."""
        torch = self._torch
        pad = self.tokenizer.pad_token_id
        start = self.model.config.decoder_start_token_id
        lead = [start] + ([self.forced_bos] if self.forced_bos is not None else [])
        src = [self.tokenizer.convert_tokens_to_ids(s) for s in sources]
        tgt = [lead + self.tokenizer.convert_tokens_to_ids(t) for t in targets]
        sw, tw = max(map(len, src)), max(map(len, tgt))
        input_ids = torch.tensor([s + [pad] * (sw - len(s)) for s in src], device=self.device)
        decoder_ids = torch.tensor([t + [pad] * (tw - len(t)) for t in tgt], device=self.device)
        previous = self.model.config._attn_implementation
        self.model.set_attn_implementation("eager")  # sdpa does not return attention weights
        try:
            with torch.inference_mode():
                out = self.model(input_ids=input_ids, attention_mask=(input_ids != pad).long(),
                                 decoder_input_ids=decoder_ids, output_attentions=True)
        finally:
            self.model.set_attn_implementation(previous)
        mean = torch.stack(out.cross_attentions).mean(dim=(0, 2))  # [batch, target, source]
        # row k is the step that produced token k+1 of ``tgt``: the first forced token's row is lead[-1]'s
        first = len(lead) - 1
        return [mean[b, first:first + len(t), :len(s)].tolist() for b, (s, t) in enumerate(zip(src, targets,
                                                                                                strict=True))]
