"""Output paths that cannot leave the output directory."""

from __future__ import annotations

from pathlib import Path


def safe_path(root: Path, *parts: str) -> Path:
    """``root/parts…``, refusing any path that would leave ``root``."""
    root = root.resolve()
    path = root.joinpath(*parts).resolve()
    if root != path and root not in path.parents:
        raise ValueError(f"refusing to write outside {root}: {'/'.join(parts)}")
    return path
