"""Load the translator for a direction, once per process: registry → backend → engine."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from gnews_i18n.config import Settings
from gnews_i18n.mt.base import DecodingSettings, ModelNotAvailable, Translator
from gnews_i18n.mt.ct2_backend import CTranslate2Backend, converted_dir
from gnews_i18n.mt.engine import Engine, PivotEngine
from gnews_i18n.mt.hub import unreachable_reason
from gnews_i18n.mt.registry import ModelChoice, choose
from gnews_i18n.mt.transformers_backend import TransformersBackend

_cache: dict[tuple, Translator] = {}
_lock = threading.RLock()  # a pivot loads its two legs while holding it


def _advice(src: str, tgt: str, settings: Settings) -> str:
    env = f"GNEWS_MODEL_{src.upper()}_{tgt.upper()}"
    return (f"Set {env} to a local model directory (or a Hugging Face id when the hub is reachable), put a model "
            f"in {settings.models_dir / f'{src}-{tgt}'}, or run `gnews-i18n models pull NAME` where the hub is "
            f"reachable. Offline, `gnews-i18n models make-test {settings.models_dir / f'{src}-{tgt}'} --src {src} "
            f"--tgt {tgt}` builds a test model there (its wording is meaningless).")


def resolve_model(settings: Settings, src: str, tgt: str) -> ModelChoice:
    choice = choose(settings, src, tgt)
    if choice is None:
        raise ModelNotAvailable(f"no model configured for {src}→{tgt}. " + _advice(src, tgt, settings))
    return choice


def get_translator(settings: Settings, src: str, tgt: str) -> Translator:
    """The translator for a direction, loaded on first use and kept for the process's life."""
    choice = resolve_model(settings, src, tgt)
    key = (choice, settings.num_beams, settings.mt_retry, backend_preference())
    with _lock:
        if key not in _cache:
            # a promoted or rolled-back version replaces the direction's old translator: free it
            for stale in [k for k in _cache if (k[0].src, k[0].tgt) == (src, tgt) and k[0] != choice]:
                del _cache[stale]
            _cache[key] = _build(settings, choice)
        return _cache[key]


def backend_preference() -> str:
    return os.environ.get("GNEWS_MT_BACKEND", "auto").strip().lower() or "auto"


def _build(settings: Settings, choice: ModelChoice) -> Translator:
    if choice.pivot:
        first = get_translator(settings, choice.src, choice.pivot)
        second = get_translator(settings, choice.pivot, choice.tgt)
        return PivotEngine(first, second)
    return _engine(settings, choice)


def _engine(settings: Settings, choice: ModelChoice):
    try:
        return open_engine(choice.model, choice.src, choice.tgt, DecodingSettings(num_beams=settings.num_beams),
                           backend=backend_preference(), family=choice.family, threads=settings.torch_threads,
                           retry=settings.mt_retry)
    except ModelNotAvailable as error:
        raise ModelNotAvailable(f"{error} {_advice(choice.src, choice.tgt, settings)}") from None


def open_engine(model_ref: str, src: str, tgt: str, decoding: DecodingSettings | None = None, *,
                backend: str = "auto", family: str | None = None, threads: int = 0, retry: bool = True):
    """An engine for a model directory or hub id; CTranslate2 when converted and allowed."""
    is_path = model_ref.startswith((".", "/", "~")) or Path(model_ref).expanduser().exists()
    path = Path(model_ref).expanduser()
    if is_path and not (path / "config.json").exists():
        raise ModelNotAvailable(f"model directory {model_ref} has no config.json; is it a transformers model?")
    if not is_path:
        if reason := unreachable_reason(model_ref):
            raise ModelNotAvailable(reason)
    try:
        if backend in ("auto", "ctranslate2") and is_path and converted_dir(path):
            runner = CTranslate2Backend(str(path), src, tgt, threads=threads)
        elif backend == "ctranslate2":
            raise ModelNotAvailable(f"the CTranslate2 backend was asked for but {model_ref} has no converted model; "
                                    f"run `gnews-i18n models convert {model_ref}`")
        else:
            runner = TransformersBackend(str(path) if is_path else model_ref, src, tgt, family=family)
    except OSError as error:
        raise ModelNotAvailable(f"cannot load model {model_ref!r} for {src}→{tgt}: {str(error).splitlines()[0]}") \
            from None
    return Engine(runner, src, tgt, model_ref, decoding, retry=retry)
