"""Model versions of one direction, side by side: ``<models_dir>/<src>-<tgt>/v1``, ``v2`` …

A direction's directory may hold a model itself (``config.json`` there: the *base*, as
``models make-test`` or a copied model leaves it) and versions adapted from it
(``gnews-i18n models adapt``), each a full model directory with a ``manifest.json``
(parent, data window, counts, scores, date, status). A ``CURRENT`` file names the version
that serves the direction; without it the base does. The registry reads ``CURRENT`` on
every lookup, so a promotion or a rollback reaches running workers without a restart
(their translator cache keys on the chosen path).

The read side lives here, in ``mt``, because the registry needs it; ``adapt`` writes.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

BASE = "base"
CURRENT_FILE = "CURRENT"
MANIFEST_FILE = "manifest.json"
CANDIDATE, PROMOTED, RETIRED = "candidate", "promoted", "retired"
_VERSION_RE = re.compile(r"v(\d+)\Z")


class VersionError(ValueError):
    """A version that is not there, or a switch that cannot be made; the message says what to do."""


@dataclass
class Manifest:
    version: str
    parent: str
    created: str
    status: str = CANDIDATE
    since: str | None = None  # the data window: approvals from this day (None: all)
    until: str | None = None
    counts: dict = field(default_factory=dict)  # train, held_out, replay, articles …
    scores: dict = field(default_factory=dict)  # per evaluation set, old and new
    training: dict = field(default_factory=dict)  # steps, learning rate, device, seconds
    reason: str = ""  # why it was (not) promoted
    learnt_articles: list[str] = field(default_factory=list)  # ids of the articles it (and its parents) learnt

    def save(self, directory: Path) -> None:
        tmp = directory / (MANIFEST_FILE + ".tmp")
        tmp.write_text(json.dumps(asdict(self), indent=2, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, directory / MANIFEST_FILE)

    @classmethod
    def load(cls, directory: Path) -> Manifest:
        data = json.loads((directory / MANIFEST_FILE).read_text(encoding="utf-8"))
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


def direction_dir(models_dir: Path, src: str, tgt: str) -> Path:
    return Path(models_dir) / f"{src}-{tgt}"


def version_number(name: str) -> int | None:
    match = _VERSION_RE.match(name)
    return int(match.group(1)) if match else None


def versions(directory: Path) -> list[str]:
    """The adapted versions in the direction's directory, oldest first (``v1``, ``v2`` …)."""
    if not directory.is_dir():
        return []
    found = [p.name for p in directory.iterdir() if version_number(p.name) is not None and (p / "config.json").exists()]
    return sorted(found, key=version_number)


def next_version(directory: Path) -> str:
    numbers = [version_number(p.name) for p in directory.iterdir() if version_number(p.name)] \
        if directory.is_dir() else []
    return f"v{max(numbers, default=0) + 1}"


def has_base(directory: Path) -> bool:
    return (directory / "config.json").exists()


def current(directory: Path) -> str:
    """The name of the version serving the direction: a ``vN`` named by ``CURRENT``, else ``base``."""
    try:
        name = (directory / CURRENT_FILE).read_text(encoding="utf-8").strip()
    except OSError:
        return BASE
    return name if version_number(name) is not None and (directory / name / "config.json").exists() else BASE


def model_dir(directory: Path, version: str) -> Path:
    return directory if version == BASE else directory / version


def serving_dir(directory: Path) -> Path | None:
    """The model directory that serves the direction now, or None when it holds no model."""
    name = current(directory)
    if name != BASE:
        return directory / name
    return directory if has_base(directory) else None


def version_label(model_path: str | Path) -> str:
    """``v2`` for a path inside a versioned direction, ``base`` for the direction's own model
    directory when it has versions beside it, "" otherwise (what drafts record as their version)."""
    path = Path(model_path)
    if version_number(path.name) is not None and (path / MANIFEST_FILE).exists():
        return path.name
    return BASE if versions(path) else ""


def set_current(directory: Path, version: str) -> None:
    """Make ``version`` (``vN`` or ``base``) serve the direction: an atomic switch of ``CURRENT``."""
    if version == BASE:
        if not has_base(directory):
            raise VersionError(f"{directory} has no base model (no config.json there); name a version instead")
    elif not (directory / version / "config.json").exists():
        known = ", ".join(versions(directory)) or "none"
        raise VersionError(f"no model version {version!r} in {directory} (versions: {known})")
    tmp = directory / (CURRENT_FILE + f".tmp{os.getpid()}")
    tmp.write_text(version + "\n", encoding="utf-8")
    os.replace(tmp, directory / CURRENT_FILE)


def promote(directory: Path, version: str) -> str:
    """Serve ``version`` from now on; returns the version it replaces. Manifests follow: the new one
    ``promoted``, the old one ``retired`` (both stay on disk for a rollback)."""
    before = current(directory)
    set_current(directory, version)
    for name, status in ((before, RETIRED), (version, PROMOTED)):
        if name == BASE or (name == before == version):
            continue
        if (directory / name / MANIFEST_FILE).exists():
            manifest = Manifest.load(directory / name)
            manifest.status = status
            manifest.save(directory / name)
    return before


def rollback(directory: Path) -> tuple[str, str]:
    """Serve the current version's parent again; returns (from, to)."""
    now = current(directory)
    if now == BASE:
        raise VersionError(f"{directory} is served by its base model already; there is nothing to roll back")
    parent = Manifest.load(directory / now).parent
    if parent != BASE and not (directory / parent / "config.json").exists():
        raise VersionError(f"{now}'s parent {parent} is gone from {directory}; promote a version by name instead")
    promote(directory, parent)
    return now, parent


def today() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
