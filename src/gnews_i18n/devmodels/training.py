"""Train a small Marian model on the template corpus: a test model that really translates.

Random-weights models (``mt.testmodel``) translate nothing, so they cannot show whether
terminology enforcement keeps the sentence around a term whole. This one translates its
narrow domain fluently (newsletter sentences about delegations, hospitals, programmes)
and renders names it never saw in its own, wrong way — which is what enforcement must
correct. It is a test instrument, not a production model.

Fixed seeds throughout; the result is cached under a hash of everything that goes in
(corpus, shape, steps, library versions), so a second build is a copy.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import random
import shutil
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from gnews_i18n.devmodels.corpus import UNSEEN, Pair, latin_name, make_corpus
from gnews_i18n.devmodels.testmodel import MARKER_FILE
from gnews_i18n.mt.ct2_backend import convert

CACHE_ENV = "GNEWS_TEST_MODEL_CACHE"


@dataclass(frozen=True)
class Size:
    d_model: int
    layers: int
    heads: int
    ffn_dim: int
    pairs: int
    steps: int
    batch: int
    learning_rate: float
    vocab_size: int = 1000


# One training thread: on a shared 2-core machine two threads were 7x slower per step
# (1.33 s against 0.20 s, d_model 64, batch 48) when other processes competed for the cores.
# d_model 64 never learned to read its source within 450 steps (every output the same
# sentence); d_model 128 with small batches leaves that plateau after about 350 steps.
SIZES = {
    "tiny": Size(d_model=128, layers=2, heads=4, ffn_dim=512, pairs=3000, steps=1200, batch=16, learning_rate=1e-3),
    "bench": Size(d_model=128, layers=2, heads=4, ffn_dim=512, pairs=5000, steps=2400, batch=24, learning_rate=1e-3),
}
HELD_OUT = 200
REPLAY = 500  # training pairs written beside the model for adaptation's replay (replay.tsv)
GENERAL = 100  # held-out pairs written beside it as adaptation's general set (general.tsv)


@dataclass(frozen=True)
class TrainReport:
    directory: str
    src: str
    tgt: str
    size: str
    held_out_exact: float  # held-out sentences (training fillers, unseen combinations) exactly right
    latin_copied: float  # unseen Latin-script names copied as written
    seconds: float
    cached: bool


def default_cache() -> Path:
    configured = os.environ.get(CACHE_ENV, "").strip()
    return Path(configured) if configured else Path.home() / ".cache" / "gnews-i18n" / "trained-test-models"


def _side(pair: Pair, lang: str) -> str:
    return pair.ko if lang == "ko" else pair.en


def _key(src: str, tgt: str, size: Size, seed: int, pairs: list[Pair]) -> str:
    import torch
    import transformers

    digest = hashlib.sha256()
    digest.update(json.dumps([src, tgt, asdict(size), seed, torch.__version__, transformers.__version__]).encode())
    for pair in pairs:
        digest.update(f"{pair.ko}\t{pair.en}\n".encode())
    return digest.hexdigest()[:20]


def build_trained_model(directory: Path, src: str, tgt: str, size: str = "tiny", *, seed: int = 7,
                        cache: Path | None = None, ct2: bool = False, names: str = "copied",
                        log: Callable[[str], None] | None = None) -> TrainReport:
    """Train (or copy from the cache) a ``src``→``tgt`` model into ``directory``. ``names``
    (``corpus.NAME_STYLES``): whether its corpus copies made-up foreign names as written on
    the Korean side or transliterates them into Hangul — two models that treat an unknown
    name differently, trained the same way."""
    shape = SIZES[size]
    pairs = make_corpus(shape.pairs + HELD_OUT, seed, names=names)
    key = _key(src, tgt, shape, seed, pairs)
    label = size if names == "copied" else f"{size}-{names}"
    cached_dir = (cache or default_cache()) / f"{src}-{tgt}-{label}-{key}"
    cached = (cached_dir / MARKER_FILE).exists()
    if not cached:
        scratch = cached_dir.with_name(cached_dir.name + f".tmp{os.getpid()}")
        shutil.rmtree(scratch, ignore_errors=True)
        _train(scratch, src, tgt, shape, size, seed, pairs, log, names)
        if ct2:
            _convert(scratch)
        shutil.rmtree(cached_dir, ignore_errors=True)
        scratch.rename(cached_dir)
    elif ct2 and not (cached_dir / "ctranslate2" / "model.bin").exists():
        _convert(cached_dir)
    directory = Path(directory)
    if directory.resolve() != cached_dir.resolve():
        shutil.copytree(cached_dir, directory, dirs_exist_ok=True)
    _write_adaptation_sets(directory, src, tgt, pairs[:shape.pairs], pairs[shape.pairs:], seed)
    marker = json.loads((directory / MARKER_FILE).read_text(encoding="utf-8"))
    return TrainReport(str(directory), src, tgt, size, marker["held_out_exact"], marker["latin_copied"],
                       marker["train_seconds"], cached)


def _write_adaptation_sets(directory: Path, src: str, tgt: str, train: list[Pair], held_out: list[Pair],
                           seed: int) -> None:
    """What ``gnews-i18n models adapt`` reads beside a model (``adapt.finetune``): ``replay.tsv``, a
    sample of the training pairs mixed into fine-tuning so the model keeps its general text, and
    ``general.tsv``, the held-out pairs it is scored on so a new version that forgot them is refused."""
    replay = random.Random(seed).sample(train, min(REPLAY, len(train)))
    for name, chosen in (("replay.tsv", replay), ("general.tsv", held_out[:GENERAL])):
        (directory / name).write_text("".join(f"{_side(p, src)}\t{_side(p, tgt)}\n" for p in chosen),
                                      encoding="utf-8")


def _convert(directory: Path) -> None:
    convert(directory, quantization=None, force=True)  # float32: the test model is small, keep it exact


def _train(directory: Path, src: str, tgt: str, shape: Size, size: str, seed: int, pairs: list[Pair],
           log: Callable[[str], None] | None = None, names: str = "copied") -> None:
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    started = time.perf_counter()
    random.seed(seed)
    torch.manual_seed(seed)
    threads_before = torch.get_num_threads()
    torch.set_num_threads(int(os.environ.get("GNEWS_TRAIN_THREADS", "1")))
    train, held_out = pairs[:shape.pairs], pairs[shape.pairs:]
    directory.mkdir(parents=True)

    # One tokenizer for both sides: a Latin-script name splits the same way in source and
    # target, so copying it is copying pieces one by one.
    rng = random.Random(seed)
    names = [latin_name(rng).en for _ in range(500)]
    spm_bytes = _train_bpe([p.ko for p in train] + [p.en for p in train] + names, shape.vocab_size)
    for side in ("source", "target"):
        (directory / f"{side}.spm").write_bytes(spm_bytes)
    import sentencepiece as spm

    processor = spm.SentencePieceProcessor(model_proto=spm_bytes)
    vocab: dict[str, int] = {"</s>": 0, "<unk>": 1}
    for piece_id in range(processor.get_piece_size()):
        piece = processor.id_to_piece(piece_id)
        if piece not in vocab and piece not in ("<s>", "</s>", "<unk>", "<pad>"):
            vocab[piece] = len(vocab)
    vocab["<pad>"] = len(vocab)
    (directory / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    tokenizer = MarianTokenizer(source_spm=str(directory / "source.spm"), target_spm=str(directory / "target.spm"),
                                vocab=str(directory / "vocab.json"), source_lang=src, target_lang=tgt)

    config = MarianConfig(
        vocab_size=len(vocab), d_model=shape.d_model, encoder_layers=shape.layers, decoder_layers=shape.layers,
        encoder_attention_heads=shape.heads, decoder_attention_heads=shape.heads, encoder_ffn_dim=shape.ffn_dim,
        decoder_ffn_dim=shape.ffn_dim, max_position_embeddings=256, pad_token_id=vocab["<pad>"], eos_token_id=0,
        decoder_start_token_id=vocab["<pad>"], forced_eos_token_id=0, dropout=0.1, scale_embedding=True,
    )
    model = MarianMTModel(config)
    pad = config.pad_token_id
    embeddings = model.get_input_embeddings().weight
    # Sinusoidal positions are not saved: training them would make reloaded logits differ.
    for name, parameter in model.named_parameters():
        if "embed_positions" in name:
            parameter.requires_grad_(False)
    with torch.no_grad():
        # Word embeddings as large as the sinusoidal positions (at init_std 0.02 the positions
        # drown them and the model learns to ignore its source); a zero <pad> row keeps the
        # CTranslate2 conversion exact.
        embeddings.normal_(0.0, shape.d_model ** -0.5)
        embeddings[pad].zero_()

    encoded = tokenizer([_side(p, src) for p in train], text_target=[_side(p, tgt) for p in train])
    examples = list(zip(encoded["input_ids"], encoded["labels"], strict=True))
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=shape.learning_rate,
                                  weight_decay=0.01, betas=(0.9, 0.98))
    warmup = max(1, shape.steps // 20)

    def rate(step: int) -> float:  # warm up, then a linear decay to zero (it matters at this size)
        return min((step + 1) / warmup, max(0.0, (shape.steps - step) / (shape.steps - warmup)))

    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, rate)
    model.train()
    order: list[int] = []
    for step in range(shape.steps):
        if len(order) < shape.batch:
            order += sorted(random.sample(range(len(examples)), len(examples)))
            random.shuffle(order)
        chosen, order = order[:shape.batch], order[shape.batch:]
        batch = [examples[i] for i in chosen]
        source_width = max(len(s) for s, _ in batch)
        target_width = max(len(t) for _, t in batch)
        input_ids = torch.tensor([s + [pad] * (source_width - len(s)) for s, _ in batch])
        labels = torch.tensor([t + [-100] * (target_width - len(t)) for _, t in batch])
        logits = model(input_ids=input_ids, attention_mask=(input_ids != pad).long(), labels=labels).logits
        loss = torch.nn.functional.cross_entropy(logits.view(-1, logits.size(-1)), labels.view(-1),
                                                 ignore_index=-100, label_smoothing=0.1)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad()
        with torch.no_grad():
            embeddings[pad].zero_()
        if log and (step % 100 == 0 or step == shape.steps - 1):
            log(f"step {step}: loss {loss.item():.3f}")

    model.eval()
    model.generation_config.max_length = None
    model.generation_config.num_beams = 1
    train_seconds = time.perf_counter() - started
    exact = _exact(model, tokenizer, [_side(p, src) for p in held_out], [_side(p, tgt) for p in held_out])
    names = [latin_name(random.Random(seed + 1 + i)).en for i in range(40)]
    copy_sources = [f"{n} 대표단이 화요일 수원의료원을 방문했다." if src == "ko" else
                    f"A delegation from {n} visited Suwon Medical Center on Tuesday." for n in names]
    latin = _copied(model, tokenizer, copy_sources, names)
    model.save_pretrained(directory)
    tokenizer.save_pretrained(directory)
    torch.set_num_threads(threads_before)
    (directory / MARKER_FILE).write_text(json.dumps({
        "src": src, "tgt": tgt, "size": size, "seed": seed, "weights": "trained", "names": names,
        **asdict(SIZES[size]),
        "held_out_exact": exact, "latin_copied": latin, "train_seconds": round(train_seconds, 1),
        "unseen_fillers": sum(len(v) for v in asdict(UNSEEN).values()),
        "note": "test model trained on template sentences: fluent in its narrow domain only, not for production",
    }, indent=2), encoding="utf-8")


def _train_bpe(lines: list[str], vocab_size: int) -> bytes:
    """BPE keeps whole common words (unigram on this corpus split "will" into "w", "ill"):
    about 12 pieces a Korean sentence and 16 an English one, against 20 and 30."""
    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines), model_writer=model, vocab_size=vocab_size, hard_vocab_limit=False,
        character_coverage=1.0, model_type="bpe", bos_id=-1, eos_id=2, unk_id=1, pad_id=-1, minloglevel=2,
        num_threads=1,
    )
    return model.getvalue()


def _greedy(model, tokenizer, sources: list[str]) -> list[str]:
    import torch

    outputs = []
    for start in range(0, len(sources), 64):
        batch = tokenizer(sources[start:start + 64], return_tensors="pt", padding=True)
        with torch.inference_mode():
            generated = model.generate(**batch, num_beams=1, max_new_tokens=96)
        outputs += tokenizer.batch_decode(generated, skip_special_tokens=True)
    return [o.strip() for o in outputs]


def _exact(model, tokenizer, sources: list[str], references: list[str]) -> float:
    outputs = _greedy(model, tokenizer, sources)
    return round(sum(o == r for o, r in zip(outputs, references, strict=True)) / max(1, len(sources)), 3)


def _copied(model, tokenizer, sources: list[str], names: list[str]) -> float:
    outputs = _greedy(model, tokenizer, sources)
    return round(sum(n in o for o, n in zip(outputs, names, strict=True)) / max(1, len(names)), 3)
