"""The contract every MT engine meets, and what it returns."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Protocol


class ModelNotAvailable(RuntimeError):
    """No model can be loaded for a direction; the message says how to provide one."""


@dataclass(frozen=True)
class DecodingSettings:
    num_beams: int = 4
    max_batch_tokens: int = 4096  # padded source tokens × beams in one batch
    max_new_tokens_factor: float = 2.0  # output budget relative to the source length
    max_new_tokens_floor: int = 16
    no_repeat_ngram_size: int = 0
    repetition_penalty: float = 1.0
    fixed_new_tokens: int | None = None  # benchmarks: every output exactly this long

    def budget(self, source_tokens: int) -> int:
        if self.fixed_new_tokens:
            return self.fixed_new_tokens
        return max(self.max_new_tokens_floor, int(source_tokens * self.max_new_tokens_factor))

    def for_retry(self) -> DecodingSettings:
        """Other settings for a second try at an output that looked wrong."""
        return replace(self, num_beams=max(2, self.num_beams), no_repeat_ngram_size=3, repetition_penalty=1.3)

    def describe(self) -> dict:
        return {"num_beams": self.num_beams, "no_repeat_ngram_size": self.no_repeat_ngram_size,
                "repetition_penalty": self.repetition_penalty}


@dataclass(frozen=True)
class Attention:
    """The cross-attention of a decoding itself: the source and output token ids and, per output
    token, its weights over the source tokens (what ``Engine.align`` reads instead of a second
    pass). Kept as ids: most outputs never need it, so pieces are made only when one does."""
    source_ids: list[int]
    output_ids: list[int]
    rows: list[list[float]]


@dataclass(frozen=True)
class MachineTranslation:
    text: str
    provenance: dict = field(default_factory=dict)
    flags: list[dict] = field(default_factory=list)
    # the decoding's own attention, where the backend returns it (CTranslate2) and the output is
    # one decoding of the whole input (not split, not retried); never stored
    attention: Attention | None = field(default=None, compare=False, repr=False)


class Translator(Protocol):
    src: str
    tgt: str
    model_id: str

    def translate(self, texts: list[str]) -> list[MachineTranslation]:
        """One output per input, in input order."""
        ...


class HFTokenizing:
    """Encoding and decoding with a transformers tokenizer, shared by both backends."""

    tokenizer: object
    language_ids: set[int]

    def encode(self, text: str) -> list[int]:
        return self.tokenizer(text)["input_ids"]

    def decode(self, ids: list[int]) -> str:
        kept = [i for i in ids if i not in self.language_ids]
        return self.tokenizer.decode(kept, skip_special_tokens=True).strip()

    def target_pieces(self, text: str) -> list[str]:
        """``text`` as the model's output pieces, special tokens and language codes left out
        (what ``cross_attention`` forces through the decoder)."""
        ids = self.tokenizer(text_target=text)["input_ids"]
        specials = set(self.tokenizer.all_special_ids) | self.language_ids
        return self.tokenizer.convert_ids_to_tokens([i for i in ids if i not in specials])

    def source_pieces(self, text: str) -> list[str]:
        return self.tokenizer.convert_ids_to_tokens(self.encode(text))

    def attended_pieces(self, attention: Attention) -> tuple[list[str], list[str], list]:
        """A decoding's attention on pieces: source pieces, output pieces and their rows, the
        output's special tokens and language codes left out (the pieces ``target_pieces`` gives)."""
        specials = set(self.tokenizer.all_special_ids) | self.language_ids
        kept = [(i, row) for i, row in zip(attention.output_ids, attention.rows, strict=False) if i not in specials]
        return (self.tokenizer.convert_ids_to_tokens(attention.source_ids),
                self.tokenizer.convert_ids_to_tokens([i for i, _ in kept]), [row for _, row in kept])

    @property
    def special_pieces(self) -> set[str]:
        """Pieces that stand for no text (``<unk>`` does: it is an unknown character)."""
        pieces = set(self.tokenizer.all_special_tokens) | set(self.tokenizer.convert_ids_to_tokens(
            sorted(self.language_ids)))
        return pieces - {self.tokenizer.unk_token}


class Backend(Protocol):
    """Runs a model on token ids; the engine does everything around it."""

    name: str

    def encode(self, text: str) -> list[int]: ...

    def decode(self, ids: list[int]) -> str: ...

    def generate(self, batch: list[list[int]], decoding: DecodingSettings) -> list[list[int]]: ...

    def cross_attention(self, sources: list[list[str]], targets: list[list[str]]) -> list[list[list[float]]]:
        """Per pair, [target piece × source piece] attention with ``targets`` forced as the output."""
        ...
