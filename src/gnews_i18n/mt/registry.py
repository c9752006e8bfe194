"""The model registry: a YAML file per installation, entries per direction."""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

from gnews_i18n.config import Settings
from gnews_i18n.mt.versions import current, direction_dir, serving_dir


@dataclass(frozen=True)
class ModelChoice:
    """What serves one direction: a model (hub id or directory), or a pivot language."""

    src: str
    tgt: str
    model: str | None = None
    family: str | None = None
    licence: str = ""
    pivot: str | None = None
    source: str = "registry"  # where the choice came from: env, local, registry
    version: str = ""  # a local direction's serving version (``mt.versions``): base, v1, v2 …


def registry_entries() -> dict[str, dict]:
    entries = yaml.safe_load((resources.files("gnews_i18n.mt") / "registry.yaml").read_text(encoding="utf-8"))
    user = os.environ.get("GNEWS_MODEL_REGISTRY", "").strip()
    if user:
        entries.update(yaml.safe_load(Path(user).read_text(encoding="utf-8")) or {})
    return entries


def choose(settings: Settings, src: str, tgt: str) -> ModelChoice | None:
    """Env override, then a local directory (its ``CURRENT`` version, read on every call so a
    promotion reaches running workers), then the registry; None when nothing serves it."""
    configured = settings.model_for(src, tgt)
    if configured:
        return ModelChoice(src, tgt, model=configured, source="env")
    local = direction_dir(settings.models_dir, src, tgt)
    serving = serving_dir(local)
    if serving is not None:
        return ModelChoice(src, tgt, model=str(serving), source="local", version=current(local))
    entry = registry_entries().get(f"{src}-{tgt}")
    if not entry:
        return None
    model = entry.get("model")
    pulled = settings.models_dir / model.replace("/", "--") if model else None
    if pulled is not None and (pulled / "config.json").exists():  # fetched by `gnews-i18n models pull`
        return ModelChoice(src, tgt, model=str(pulled), family=entry.get("family"),
                           licence=entry.get("licence", ""), source="pulled")
    return ModelChoice(src, tgt, model=model, family=entry.get("family"),
                       licence=entry.get("licence", ""), pivot=entry.get("pivot"))
