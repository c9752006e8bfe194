"""Writing output files safely: inside the output directory, atomically, only when changed."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def safe_path(root: Path, *parts: str) -> Path:
    """``root/parts…``, refusing any path that would leave ``root``."""
    root = root.resolve()
    path = root.joinpath(*parts).resolve()
    if root != path and root not in path.parents:
        raise ValueError(f"refusing to write outside {root}: {'/'.join(parts)}")
    return path


def write_if_changed(path: Path, content: str) -> bool:
    """Write ``content`` by rename (readers never see half a file); False when already identical."""
    data = content.encode("utf-8")
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True
