"""Model families and their language-code conventions.

- Marian (OPUS-MT): one model per language pair; no codes (multi-target models take a
  ``>>xxx<<`` prefix, handled by the registry entry's ``target_prefix``).
- M2M100: the tokenizer's ``src_lang`` adds ``__ko__`` to the source; generation starts
  with the target's code as forced BOS token (``__en__``).
- NLLB: the same, with FLORES-200 codes (``kor_Hang``, ``eng_Latn``).
"""

from __future__ import annotations

from dataclasses import dataclass

NLLB_CODES = {
    "ko": "kor_Hang", "en": "eng_Latn", "ru": "rus_Cyrl", "uz": "uzn_Latn", "mn": "khk_Cyrl",
    "vi": "vie_Latn", "zh": "zho_Hans", "ja": "jpn_Jpan",
}


@dataclass(frozen=True)
class Family:
    name: str

    def code(self, lang: str) -> str | None:
        if self.name == "nllb":
            return NLLB_CODES.get(lang, lang)
        if self.name == "m2m100":
            return lang
        return None

    def prepare(self, tokenizer, src: str) -> None:
        """Set the tokenizer's source language, where the family has one."""
        code = self.code(src)
        if code is not None and hasattr(tokenizer, "src_lang"):
            tokenizer.src_lang = code

    def forced_bos_token_id(self, tokenizer, tgt: str) -> int | None:
        code = self.code(tgt)
        if code is None:
            return None
        if self.name == "m2m100":
            return tokenizer.get_lang_id(code)
        return tokenizer.convert_tokens_to_ids(code)

    def language_token_ids(self, tokenizer) -> set[int]:
        """Ids of the language codes, which decoding must drop (transformers 5 does not mark
        M2M100's as special, so ``skip_special_tokens`` keeps them)."""
        if self.name == "m2m100":
            return set(tokenizer.lang_code_to_id.values())
        if self.name == "nllb":
            return {tokenizer.convert_tokens_to_ids(code) for code in NLLB_CODES.values()}
        return set()

    def target_prefix_token(self, tokenizer, tgt: str) -> str | None:
        forced = self.forced_bos_token_id(tokenizer, tgt)
        return tokenizer.convert_ids_to_tokens(forced) if forced is not None else None


def detect_family(config, tokenizer) -> Family:
    """From a loaded model config and tokenizer: marian, m2m100 or nllb."""
    model_type = getattr(config, "model_type", "")
    tokenizer_name = type(tokenizer).__name__.lower()
    if "nllb" in tokenizer_name:
        return Family("nllb")
    if model_type == "m2m_100":
        return Family("m2m100")
    return Family("marian")
