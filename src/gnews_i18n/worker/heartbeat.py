"""A worker's heartbeat: a file under ``<data dir>/heartbeats/`` that the consumer's timer touches
every ``GNEWS_HEARTBEAT_SECONDS``; ``gnews-i18n worker --check`` reads its age.

It answers on every broker, the embedded one included (whose transport has no remote control,
so ``celery inspect ping`` gets no answer there), and without a round trip through the broker:
a broker outage does not make a container orchestrator restart healthy workers (decision 0041).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from gnews_i18n.config import Settings


@dataclass(frozen=True)
class Pulse:
    worker: str
    alive: bool
    detail: str


def heartbeat_directory(settings: Settings) -> Path:
    return settings.data_dir / "heartbeats"


def heartbeat_path(settings: Settings, nodename: str) -> Path:
    return heartbeat_directory(settings) / nodename.replace("/", "_")


def beat_heart(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{time.time():.3f}\n")


def pulses(settings: Settings, nodename: str | None = None) -> list[Pulse]:
    """Each worker of this data directory (or the one named): alive when its heartbeat file was
    touched within three heartbeat periods. A worker that stops removes its file."""
    directory = heartbeat_directory(settings)
    paths = [heartbeat_path(settings, nodename)] if nodename else sorted(directory.glob("*"))
    limit = 3 * settings.heartbeat_seconds
    found = []
    for path in paths:
        try:
            age = time.time() - path.stat().st_mtime
        except FileNotFoundError:
            found.append(Pulse(path.name, False, f"no heartbeat file {path}: the worker is not running "
                                                 "(or runs with another GNEWS_DATA_DIR)"))
            continue
        found.append(Pulse(path.name, age <= limit, f"last heartbeat {age:.1f} s ago (limit {limit:g} s)"))
    return found
