"""Which model serves a direction, and one loaded instance per process and direction."""

from __future__ import annotations

import threading
from pathlib import Path

from gnews_i18n.config import Settings
from gnews_i18n.mt.base import ModelNotAvailable, Translator

_cache: dict[tuple[str, str, str, int], Translator] = {}
_lock = threading.Lock()


def resolve_model(settings: Settings, src: str, tgt: str) -> str:
    """The model reference for ``src``→``tgt``: an env override, or a model under the models dir."""
    configured = settings.model_for(src, tgt)
    if configured:
        return configured
    local = settings.models_dir / f"{src}-{tgt}"
    if (local / "config.json").exists():
        return str(local)
    env = f"GNEWS_MODEL_{src.upper()}_{tgt.upper()}"
    raise ModelNotAvailable(
        f"no model configured for {src}→{tgt}. Set {env} to a local model directory or a Hugging Face "
        f"model id, or put a model in {local}. Offline, build a small test model with "
        f"`gnews-i18n models make-test {local} --src {src} --tgt {tgt}` (its wording is meaningless)."
    )


def get_translator(settings: Settings, src: str, tgt: str) -> Translator:
    """The translator for a direction, loaded on first use and kept for the process's life."""
    model_ref = resolve_model(settings, src, tgt)
    key = (src, tgt, model_ref, settings.num_beams)
    with _lock:
        if key not in _cache:
            _cache[key] = _load(model_ref, src, tgt, settings.num_beams)
        return _cache[key]


def _load(model_ref: str, src: str, tgt: str, num_beams: int) -> Translator:
    from gnews_i18n.mt.transformers_backend import DecodingSettings, TransformersTranslator

    is_path = model_ref.startswith((".", "/", "~")) or Path(model_ref).expanduser().exists()
    if is_path and not (Path(model_ref).expanduser() / "config.json").exists():
        raise ModelNotAvailable(f"model directory {model_ref} has no config.json; is it a transformers model?")
    try:
        return TransformersTranslator(str(Path(model_ref).expanduser()) if is_path else model_ref, src, tgt,
                                      DecodingSettings(num_beams=num_beams))
    except OSError as error:
        env = f"GNEWS_MODEL_{src.upper()}_{tgt.upper()}"
        raise ModelNotAvailable(
            f"cannot load model {model_ref!r} for {src}→{tgt}: {str(error).splitlines()[0]} "
            f"If the model hub is unreachable, download the model elsewhere and set {env} to its local "
            f"directory, or build a test model with `gnews-i18n models make-test DIR --src {src} --tgt {tgt}`."
        ) from None
