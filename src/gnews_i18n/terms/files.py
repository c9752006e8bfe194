"""Loading the active glossaries: by suffix, checked, merged in order."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from gnews_i18n.config import Settings
from gnews_i18n.formats.table import header_of, with_row
from gnews_i18n.terms.csvfile import read_csv
from gnews_i18n.terms.glossary import TERM_TYPES, Glossary, merge
from gnews_i18n.terms.people import Registry, is_people_file, load_registry
from gnews_i18n.terms.problems import GlossaryError, GlossaryProblem
from gnews_i18n.terms.tbx_read import read_tbx
from gnews_i18n.terms.validation import check_glossary


def read_glossary_file(path: Path | str) -> tuple[Glossary, list[GlossaryProblem]]:
    path = Path(path)
    if not path.exists():
        raise GlossaryError([GlossaryProblem(str(path), 0, "not found")])
    if path.suffix.lower() in (".tbx", ".xml"):
        glossary, problems = read_tbx(path)
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


def append_term(path: Path, forms: dict[str, str], type_: str = "other", note: str = "",
                extra: dict[str, str] | None = None) -> None:
    """Add one concept as a row of a CSV glossary (created if missing), refusing it
    (GlossaryError, file unchanged) when the file would then have errors. ``extra``: other
    columns (valid_from, valid_to, en_abbr …), which the file must have."""
    path = Path(path)
    where = GlossaryProblem(str(path), 0, "")
    if type_ not in TERM_TYPES:
        raise GlossaryError([GlossaryProblem(where.file, 0, f"type must be one of {', '.join(TERM_TYPES)}")])
    if not forms or not all(form.strip() for form in forms.values()):
        raise GlossaryError([GlossaryProblem(where.file, 0, "give at least one LANG=FORM, none empty")])
    if not path.exists():
        path.write_text(",".join(["type", *forms, "note"]) + "\n", encoding="utf-8")
    old_text = path.read_text(encoding="utf-8-sig")
    header = header_of(old_text)
    extra = {k: v for k, v in (extra or {}).items() if v}
    missing = [column for column in [*forms, *extra] if column not in header]
    if missing:
        raise GlossaryError([GlossaryProblem(where.file, 1, f"no column for {', '.join(missing)}; add it first")])
    row = {column: "" for column in header}
    row.update({lang: form.strip() for lang, form in forms.items()})
    row.update({column: value.strip() for column, value in extra.items()})
    row.update({k: v for k, v in (("type", type_), ("note", note)) if k in row})
    new_text = with_row(old_text, row)
    glossary, problems = read_csv(path, new_text)
    errors = [p for p in problems + check_glossary(glossary) if p.severity == "error"]
    if errors:
        raise GlossaryError(errors)
    path.write_text(new_text, encoding="utf-8")


def glossary_files(directory: Path) -> list[Path]:
    """The glossaries of a directory: its CSV files but the people registry's (people*.csv)."""
    return sorted(p for p in Path(directory).glob("*.csv") if not is_people_file(p))


_registries: dict[tuple, object] = {}


def cached_registry(paths: list[Path]):
    """The people registry of ``paths`` (``people.load_registry``), again only when a file changes;
    None when there is none."""
    if not paths:
        return None
    key = tuple((str(p), Path(p).stat().st_mtime_ns if Path(p).exists() else 0) for p in paths)
    with _lock:
        if key not in _registries:
            _registries.clear()
            _registries[key] = load_registry([p for p in paths if Path(p).exists()])
        return _registries[key]


def article_terms(settings: Settings, article_glossary: str | None) -> Glossary:
    """The active glossaries, overridden by the article's own (CSV text stored with its revision)."""
    glossary = cached_glossary(settings.glossary_paths)
    if article_glossary:
        own, _ = read_csv("article glossary", article_glossary)
        glossary = glossary.merged_with(own)
    return glossary


@dataclass
class ActiveTerminology:
    """The glossary and registry a command runs with, and what it says about them."""

    glossary: Glossary
    registry: Registry | None
    used: list[str] = field(default_factory=list)  # "glossaries: a.csv (--glossary) …", one line each


def active_terminology(settings: Settings, named: list[Path], door: str = "--glossary") -> ActiveTerminology:
    """The glossaries (the configured ones, then ``named`` on top) and the people registry, where
    what the user named wins over files found by default: the command line over the settings,
    the settings over the glossary directory. A registry person whom a glossary of higher rank
    writes otherwise (김동연 → "Dongyeon Kim" in the user's file, where the registry says Kim
    Dong-yeon) is left to that glossary, so the registry's rendering ("Gyeonggi Governor Kim
    Dong-yeon") does not override it; a glossary that agrees with the registry leaves it whole."""
    found_in = f"found in {settings.glossary_paths[0].parent if settings.glossary_paths else 'glossaries/'}"
    sources = [(path, 1 if settings.glossaries_from else 0, settings.glossaries_from or found_in)
               for path in settings.glossary_paths] + [(Path(path), 2, door) for path in named]
    glossary = load_glossaries([path for path, _, _ in sources])
    registry = cached_registry(settings.people_paths)
    rank = 1 if settings.people_from else 0
    # a registry person whom a glossary of higher rank writes otherwise is left to that glossary
    above = [path for path, level, _ in sources if level > rank]
    yielded = []
    if registry is not None and above:
        registry, yielded = registry.yielding_to(load_glossaries(above).terms)
    used = ["glossaries: " + (", ".join(f"{path} ({why})" for path, _, why in sources) or "none")]
    people_from = settings.people_from or (f"found in {settings.people_paths[0].parent}"
                                           if settings.people_paths else "")
    used.append("people: " + (", ".join(f"{path} ({people_from})" for path in settings.people_paths) or "none"))
    if yielded:
        names = ", ".join(next(iter(p.names.values())) for p in yielded)
        used.append(f"people left to the glossaries named above them: {names}")
    return ActiveTerminology(glossary, registry, used)


def article_registry(registry: Registry | None, article_glossary: str | None) -> Registry | None:
    """The registry for an article with its own glossary: the people that glossary names are left
    to it (its submitter named it, as a user names ``translate --glossary``)."""
    if registry is None or not article_glossary:
        return registry
    own, _ = read_csv("article glossary", article_glossary)
    return registry.yielding_to(own.terms)[0]
