"""Is a hub model reachable? Answered at once, so a missing model is an error, not 50 s of retries."""

from __future__ import annotations

import os
import socket
from urllib.parse import urlparse

_TRUE = {"1", "true", "yes", "on"}


def offline_by_setting() -> bool:
    return any(os.environ.get(name, "").strip().lower() in _TRUE for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"))


def hub_reachable(timeout: float = 2.0) -> bool:
    """One TCP connection to the hub's endpoint (``HF_ENDPOINT``), within ``timeout`` seconds."""
    if offline_by_setting():
        return False
    endpoint = urlparse(os.environ.get("HF_ENDPOINT", "https://huggingface.co"))
    host = endpoint.hostname or "huggingface.co"
    port = endpoint.port or (443 if endpoint.scheme != "http" else 80)
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def cached_locally(model_id: str) -> bool:
    """Whether the hub's cache on this machine holds ``model_id`` (its config, at least)."""
    try:
        from huggingface_hub import try_to_load_from_cache  # deferred: slow to import, asked rarely

        return isinstance(try_to_load_from_cache(model_id, "config.json"), str)
    except Exception:  # an id the hub library cannot even parse is not cached
        return False


def unreachable_reason(model_id: str) -> str | None:
    """Why ``model_id`` cannot be loaded here, or None when it can be tried."""
    if cached_locally(model_id):
        return None
    if offline_by_setting():
        return f"model {model_id!r} is not on this machine and HF_HUB_OFFLINE is set, so the hub is not asked."
    if not hub_reachable():
        return f"model {model_id!r} is not on this machine and the Hugging Face hub is not reachable from here."
    return None
