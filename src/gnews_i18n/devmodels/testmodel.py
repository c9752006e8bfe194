"""Build a small Marian model offline, for tests and the offline demo.

No model hub is reachable on many machines (CI included), so the project makes its
own: SentencePiece tokenizers trained on local text and a tiny Marian network with
random weights. It loads with ``from_pretrained(DIR)`` like any Hugging Face model.
Its wording is meaningless; every other part of the pipeline is real.
"""

from __future__ import annotations

import io
import json
import re
from importlib import resources
from pathlib import Path

MARKER_FILE = "gnews_test_model.json"


def corpus_lines(lang: str, extra_files: list[Path] | None = None) -> list[str]:
    """Local text in ``lang``: the packaged corpus and samples, plus any files given."""
    package = resources.files("gnews_i18n")
    lines: list[str] = []
    corpus = package / "devmodels" / "text" / f"{lang}.txt"
    if corpus.is_file():
        lines += corpus.read_text(encoding="utf-8").splitlines()
    for sample in (package / "samples").iterdir():
        name = sample.name
        if re.search(rf"\.{lang}\.(txt|md)$", name):
            text = sample.read_text(encoding="utf-8")
            text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.DOTALL)
            lines += re.split(r"(?<=[.!?다])\s+|\n", text)
    for path in extra_files or []:
        lines += Path(path).read_text(encoding="utf-8").splitlines()
    lines = [line.strip() for line in lines if line.strip()]
    if not lines:
        raise ValueError(
            f"no local text in language {lang!r} to train a tokenizer on; pass --corpus FILE with some"
        )
    return lines


def _train_spm(lines: list[str], vocab_size: int) -> bytes:
    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines * 4),
        model_writer=model,
        vocab_size=vocab_size,
        hard_vocab_limit=False,  # a small corpus cannot fill a fixed vocabulary
        character_coverage=1.0,
        model_type="unigram",
        bos_id=-1,
        eos_id=2,
        unk_id=1,
        pad_id=-1,
        minloglevel=2,
    )
    return model.getvalue()


def build_test_m2m100(
    directory: Path,
    languages: tuple[str, ...] = ("ko", "en", "ru", "uz", "mn"),
    *,
    d_model: int = 64,
    layers: int = 2,
    vocab_size: int = 1200,
    seed: int = 1234,
) -> Path:
    """A random-weights M2M100 model (one shared vocabulary, language codes ``__ko__`` …)."""
    import torch
    from transformers import M2M100Config, M2M100ForConditionalGeneration, M2M100Tokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    lines = [line for lang in languages for line in corpus_lines(lang)]
    spm_path = directory / "sentencepiece.bpe.model"
    spm_path.write_bytes(_train_spm(lines, vocab_size))
    import sentencepiece as spm

    processor = spm.SentencePieceProcessor(model_file=str(spm_path))
    vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}
    for piece_id in range(processor.get_piece_size()):
        piece = processor.id_to_piece(piece_id)
        if piece not in vocab:
            vocab[piece] = len(vocab)
    (directory / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    tokenizer = M2M100Tokenizer(vocab_file=str(directory / "vocab.json"), spm_file=str(spm_path))
    torch.manual_seed(seed)
    # the vocabulary, then the language codes, then fairseq's made-up words (as in the real model)
    full_vocab = max(tokenizer.lang_code_to_id.values()) + 1 + tokenizer.num_madeup_words
    config = M2M100Config(
        vocab_size=full_vocab, d_model=d_model, encoder_layers=layers, decoder_layers=layers,
        encoder_attention_heads=4, decoder_attention_heads=4, encoder_ffn_dim=d_model * 4,
        decoder_ffn_dim=d_model * 4, max_position_embeddings=512, pad_token_id=1, bos_token_id=0,
        eos_token_id=2, decoder_start_token_id=2,
    )
    model = M2M100ForConditionalGeneration(config)
    model.generation_config.max_length = None
    model.save_pretrained(directory)
    tokenizer.save_pretrained(directory)
    (directory / MARKER_FILE).write_text(json.dumps({"family": "m2m100", "languages": list(languages),
                                                     "weights": "random"}, indent=2), encoding="utf-8")
    return directory


def build_test_model(
    directory: Path,
    src: str,
    tgt: str,
    *,
    d_model: int = 64,
    layers: int = 2,
    vocab_size: int = 800,
    seed: int = 1234,
    corpus: dict[str, list[Path]] | None = None,
    heads: int = 4,
    ffn_dim: int | None = None,
    full_vocab: int | None = None,
) -> Path:
    """Write a random-weights Marian model for ``src``→``tgt`` into ``directory``.

    ``full_vocab`` pads the vocabulary with unused entries to a real model's size (65,001
    for opus-mt-ko-en), so the output layer costs what it costs there.
    """
    import sentencepiece as spm
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    corpus = corpus or {}
    spm_models = {}
    for side, lang in (("source", src), ("target", tgt)):
        data = _train_spm(corpus_lines(lang, corpus.get(lang)), vocab_size)
        (directory / f"{side}.spm").write_bytes(data)
        spm_models[side] = spm.SentencePieceProcessor(model_proto=data)

    # Marian's joint vocabulary: </s> and <unk> first, <pad> last (it also starts decoding).
    vocab: dict[str, int] = {"</s>": 0, "<unk>": 1}
    for processor in spm_models.values():
        for piece_id in range(processor.get_piece_size()):
            piece = processor.id_to_piece(piece_id)
            if piece not in vocab and piece not in ("<s>", "</s>", "<unk>", "<pad>"):
                vocab[piece] = len(vocab)
    while full_vocab and len(vocab) < full_vocab - 1:
        vocab[f"▁unused{len(vocab)}"] = len(vocab)
    vocab["<pad>"] = len(vocab)
    (directory / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")

    torch.manual_seed(seed)
    config = MarianConfig(
        vocab_size=len(vocab),
        d_model=d_model,
        encoder_layers=layers,
        decoder_layers=layers,
        encoder_attention_heads=heads,
        decoder_attention_heads=heads,
        encoder_ffn_dim=ffn_dim or d_model * 4,
        decoder_ffn_dim=ffn_dim or d_model * 4,
        max_position_embeddings=512,
        pad_token_id=vocab["<pad>"],
        eos_token_id=0,
        decoder_start_token_id=vocab["<pad>"],
        forced_eos_token_id=0,
    )
    model = MarianMTModel(config)
    with torch.no_grad():  # a zero <pad> row keeps conversions to other backends exact
        model.get_input_embeddings().weight[config.pad_token_id].zero_()
    model.generation_config.max_length = None
    model.generation_config.num_beams = 1
    model.save_pretrained(directory)
    tokenizer = MarianTokenizer(
        source_spm=str(directory / "source.spm"),
        target_spm=str(directory / "target.spm"),
        vocab=str(directory / "vocab.json"),
        source_lang=src,
        target_lang=tgt,
    )
    tokenizer.save_pretrained(directory)
    (directory / MARKER_FILE).write_text(
        json.dumps({"src": src, "tgt": tgt, "d_model": d_model, "layers": layers, "seed": seed,
                    "weights": "random", "note": "test model: wording is meaningless"}, indent=2),
        encoding="utf-8",
    )
    return directory
