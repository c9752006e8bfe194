"""Continued training of a direction's model on approved pairs (Marian, M2M100, NLLB).

A small learning rate, a fixed number of steps, and in every batch a share of *replay*
pairs — a sample of the model's previous training text, where the model directory carries
one (``replay.tsv``) — so it learns the newsroom's corrections without forgetting general
text. One thread by default (a desk's CPU is shared with its workers); ``device="cuda"``
runs the same code on a GPU.

A run writes a checkpoint every ``checkpoint_every`` steps into ``<out>/checkpoint``: a
stopped run resumes there (same data, same steps) and ends where an unbroken run would.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from gnews_i18n.mt.families import detect_family

REPLAY_FILE = "replay.tsv"  # source<TAB>target lines: a sample of the model's own training text
GENERAL_FILE = "general.tsv"  # held-out general text: the regression guard (``evaluate``)
CHECKPOINT_DIR = "checkpoint"
_MODEL_FILES = ("config.json", "generation_config.json", "model.safetensors", "pytorch_model.bin")

Progress = Callable[[int, int, float], None]  # (step done, steps in all, loss)


class FinetuneError(RuntimeError):
    """A run that cannot start or resume; the message says why and what to do."""


@dataclass(frozen=True)
class FinetuneSettings:
    steps: int = 300
    learning_rate: float = 5e-5
    batch: int = 16
    replay_share: float = 0.5  # of each batch, where replay text exists
    device: str = "cpu"
    threads: int = 1
    seed: int = 0
    checkpoint_every: int = 50
    label_smoothing: float = 0.1


def read_pairs(path: Path) -> list[tuple[str, str]]:
    """``source<TAB>target`` lines (a missing file: none)."""
    if not path.exists():
        return []
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        source, tab, target = line.partition("\t")
        if tab and source.strip() and target.strip():
            pairs.append((source.strip(), target.strip()))
    return pairs


def write_pairs(path: Path, pairs: list[tuple[str, str]]) -> None:
    clean = [(s.replace("\t", " ").replace("\n", " "), t.replace("\t", " ").replace("\n", " ")) for s, t in pairs]
    path.write_text("".join(f"{s}\t{t}\n" for s, t in clean), encoding="utf-8")


def fingerprint(pairs: list[tuple[str, str]], replay: list[tuple[str, str]], settings: FinetuneSettings) -> str:
    """What a checkpoint belongs to: a resumed run must see the same data and settings."""
    digest = hashlib.sha256(json.dumps([pairs, replay, asdict(settings) | {"device": ""}]).encode())
    return digest.hexdigest()[:16]


def finetune(base: Path, out: Path, src: str, tgt: str, pairs: list[tuple[str, str]],
             settings: FinetuneSettings = FinetuneSettings(), *, replay: list[tuple[str, str]] | None = None,
             resume: bool = False, on_progress: Progress | None = None) -> dict:
    """Train a copy of the model in ``base`` on ``pairs`` into ``out`` (a model directory the
    desk loads like any other). Returns what the manifest records about training."""
    import torch
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer
    from transformers.utils import logging as hf_logging

    if not pairs:
        raise FinetuneError("no training pairs: nothing was approved in the window")
    if settings.device.startswith("cuda") and not torch.cuda.is_available():
        raise FinetuneError("--device cuda was asked for but torch sees no CUDA device; use --device cpu")
    hf_logging.disable_progress_bar()
    replay = replay or []
    key = fingerprint(pairs, replay, settings)
    checkpoint = out / CHECKPOINT_DIR
    state = _read_state(checkpoint)
    if resume and state is None:
        raise FinetuneError(f"nothing to resume in {out}: no checkpoint there (run without --resume)")
    if state is not None and state["fingerprint"] != key:
        raise FinetuneError(f"the checkpoint in {checkpoint} belongs to other data or settings "
                            "(new approvals since, or other --steps/--since); run without --resume to start over")
    if not resume:
        shutil.rmtree(checkpoint, ignore_errors=True)
        state = None

    threads_before = torch.get_num_threads()
    torch.set_num_threads(max(1, settings.threads))
    try:
        started = time.perf_counter()
        tokenizer = AutoTokenizer.from_pretrained(base)
        model = AutoModelForSeq2SeqLM.from_pretrained(checkpoint if state else base)
        family = detect_family(model.config, tokenizer)
        family.prepare(tokenizer, src)
        if family.code(tgt) is not None and hasattr(tokenizer, "tgt_lang"):
            tokenizer.tgt_lang = family.code(tgt)
        model.to(settings.device)
        # Sinusoidal positions are not saved: trained, the reloaded model would differ from this one.
        for name, parameter in model.named_parameters():
            if "embed_positions" in name:
                parameter.requires_grad_(False)
        pad = model.config.pad_token_id
        embeddings = model.get_input_embeddings().weight
        keep_pad_zero = pad is not None and bool(torch.count_nonzero(embeddings[pad]) == 0)  # CTranslate2 exactness

        new = _encode(tokenizer, pairs)
        old = _encode(tokenizer, replay)
        optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=settings.learning_rate,
                                      weight_decay=0.01, betas=(0.9, 0.98))
        warmup = max(1, settings.steps // 10)

        def rate(step: int) -> float:  # a short warm-up, then a linear decay to zero
            return min((step + 1) / warmup, max(0.0, (settings.steps - step) / max(1, settings.steps - warmup)))

        scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, rate)
        first = 0
        if state:
            saved = torch.load(checkpoint / "optimizer.pt", map_location=settings.device, weights_only=True)
            optimizer.load_state_dict(saved["optimizer"])
            scheduler.load_state_dict(saved["scheduler"])
            first = state["step"]
        model.train()
        from_replay = round(settings.batch * settings.replay_share) if old else 0
        loss_value = float("nan")
        for step in range(first, settings.steps):
            # seeded per step: a resumed run draws the same batches and dropout masks as an unbroken one
            rng = random.Random(settings.seed * 1_000_003 + step)
            torch.manual_seed(settings.seed * 1_000_003 + step)
            batch = [rng.choice(new) for _ in range(settings.batch - from_replay)]
            batch += [rng.choice(old) for _ in range(from_replay)]
            loss = _loss(model, batch, pad, settings, torch)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            if keep_pad_zero:
                with torch.no_grad():
                    embeddings[pad].zero_()
            loss_value = loss.item()
            done = step + 1
            if on_progress:
                on_progress(done, settings.steps, loss_value)
            if done % settings.checkpoint_every == 0 and done < settings.steps:
                _save_checkpoint(model, optimizer, scheduler, checkpoint, done, key)
        model.eval()
        model.to("cpu")
        model.generation_config.max_length = None
        model.save_pretrained(out)
        tokenizer.save_pretrained(out)
        _copy_extras(base, out)
        shutil.rmtree(checkpoint, ignore_errors=True)
        return {"steps": settings.steps, "learning_rate": settings.learning_rate, "batch": settings.batch,
                "replay_share": settings.replay_share if old else 0.0, "device": settings.device,
                "threads": settings.threads, "seed": settings.seed, "resumed_at": first,
                "final_loss": round(loss_value, 4), "seconds": round(time.perf_counter() - started, 1)}
    finally:
        torch.set_num_threads(threads_before)


def _encode(tokenizer, pairs: list[tuple[str, str]]) -> list[tuple[list[int], list[int]]]:
    if not pairs:
        return []
    encoded = tokenizer([s for s, _ in pairs], text_target=[t for _, t in pairs], truncation=True, max_length=256)
    return list(zip(encoded["input_ids"], encoded["labels"], strict=True))


def _loss(model, batch, pad: int, settings: FinetuneSettings, torch):
    source_width = max(len(s) for s, _ in batch)
    target_width = max(len(t) for _, t in batch)
    input_ids = torch.tensor([s + [pad] * (source_width - len(s)) for s, _ in batch], device=settings.device)
    labels = torch.tensor([t + [-100] * (target_width - len(t)) for _, t in batch], device=settings.device)
    logits = model(input_ids=input_ids, attention_mask=(input_ids != pad).long(), labels=labels).logits
    return torch.nn.functional.cross_entropy(logits.view(-1, logits.size(-1)), labels.view(-1), ignore_index=-100,
                                             label_smoothing=settings.label_smoothing)


def _read_state(checkpoint: Path) -> dict | None:
    try:
        return json.loads((checkpoint / "state.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _save_checkpoint(model, optimizer, scheduler, checkpoint: Path, step: int, key: str) -> None:
    """Weights, optimizer and schedule, then the step last: a run killed mid-save resumes from the one before."""
    import torch

    scratch = checkpoint.with_name(CHECKPOINT_DIR + ".tmp")
    shutil.rmtree(scratch, ignore_errors=True)
    model.save_pretrained(scratch)
    torch.save({"optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict()}, scratch / "optimizer.pt")
    (scratch / "state.json").write_text(json.dumps({"step": step, "fingerprint": key}), encoding="utf-8")
    shutil.rmtree(checkpoint, ignore_errors=True)
    os.replace(scratch, checkpoint)


def _copy_extras(base: Path, out: Path) -> None:
    """Replay and general text travel with the model, so the next adaptation can use them too."""
    for name in (REPLAY_FILE, GENERAL_FILE):
        if (base / name).exists() and not (out / name).exists():
            shutil.copy2(base / name, out / name)
