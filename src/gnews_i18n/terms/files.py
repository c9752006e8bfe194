"""Loading the active glossaries: by suffix, checked, merged in order."""

from __future__ import annotations

import threading
from pathlib import Path

from gnews_i18n.terms.check import check_glossary
from gnews_i18n.terms.csvfile import read_csv
from gnews_i18n.terms.glossary import Glossary, merge
from gnews_i18n.terms.problems import GlossaryError, GlossaryProblem
from gnews_i18n.terms.tbx import read_tbx


def read_glossary_file(path: Path | str) -> tuple[Glossary, list[GlossaryProblem]]:
    path = Path(path)
    if path.suffix.lower() in (".tbx", ".xml"):
        glossary, problems = read_tbx(path), []
    else:
        glossary, problems = read_csv(path)
    return glossary, problems + check_glossary(glossary)


def load_glossaries(paths: list[Path | str]) -> Glossary:
    """The merged glossary of ``paths`` (later files override earlier); GlossaryError on any error."""
    glossaries, errors = [], []
    for path in paths:
        glossary, problems = read_glossary_file(path)
        errors += [p for p in problems if p.severity == "error"]
        glossaries.append(glossary)
    if errors:
        raise GlossaryError(errors)
    return merge(glossaries)


_cache: dict[tuple, Glossary] = {}
_lock = threading.Lock()


def cached_glossary(paths: list[Path]) -> Glossary:
    """``load_glossaries`` once per process, again only when a file changes."""
    key = tuple((str(p), Path(p).stat().st_mtime_ns if Path(p).exists() else 0) for p in paths)
    with _lock:
        if key not in _cache:
            _cache.clear()
            _cache[key] = load_glossaries(paths)
        return _cache[key]
