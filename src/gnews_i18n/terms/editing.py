"""Editing the terminology at the desk and over the API: rows appended to the files (checked
first, refused with file:line problems), each change recorded in ``terminology_changes``.

The files stay the source of truth (they are reviewed and versioned with the newsletter's
repository); the table says who added what when, which the files cannot.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from gnews_i18n.formats.table import header_of, with_row
from gnews_i18n.store.models import TerminologyChange
from gnews_i18n.terms.files import append_term
from gnews_i18n.terms.people import read_people
from gnews_i18n.terms.problems import GlossaryError, GlossaryProblem

PEOPLE_HEADER = ["id", "ko", "en", "org_ko", "org_en", "title_ko", "title_en", "title_type", "from", "to", "note"]


def add_post(path: Path, person_id: str, cells: dict[str, str]) -> dict[str, str]:
    """Append a row for ``person_id`` to a registry file (created with the standard columns if
    missing): a new person (names given) or a post of a known one. Returns the row written;
    GlossaryError (file unchanged) when the file would then have errors."""
    path = Path(path)
    if not person_id.strip():
        raise GlossaryError([GlossaryProblem(str(path), 0, "give the person's id")])
    old_text = path.read_text(encoding="utf-8-sig") if path.exists() else ",".join(PEOPLE_HEADER) + "\n"
    header = header_of(old_text)
    cells = {k: v.strip() for k, v in cells.items() if v and v.strip()}
    missing = [column for column in cells if column not in header]
    if missing:
        raise GlossaryError([GlossaryProblem(str(path), 1, f"no column for {', '.join(missing)}; add it first")])
    row = cells | {"id": person_id.strip()}
    new_text = with_row(old_text, row)
    registry, problems = read_people(path, new_text)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise GlossaryError(errors)
    path.write_text(new_text, encoding="utf-8")
    return {k: v for k, v in row.items() if v}


def record(session: Session, kind: str, file: Path | str, key: str, action: str, row: dict, author: str) -> None:
    session.add(TerminologyChange(kind=kind, file=Path(file).name, key=key, action=action, row=row, author=author))


def history(session: Session, kind: str | None = None, key: str | None = None, limit: int = 200) -> list[dict]:
    query = select(TerminologyChange).order_by(TerminologyChange.id.desc()).limit(limit)
    if kind:
        query = query.where(TerminologyChange.kind == kind)
    if key:
        query = query.where(TerminologyChange.key == key)
    return [{"id": c.id, "kind": c.kind, "file": c.file, "key": c.key, "action": c.action, "row": c.row,
             "author": c.author, "at": c.created_at.isoformat(timespec="seconds")} for c in session.scalars(query)]


def person_view(person) -> dict:
    return {"id": person.id, "names": person.names,
            "posts": [{"title": p.title, "org": p.org, "title_type": p.title_type,
                       "from": p.start.isoformat() if p.start else None, "to": p.end.isoformat() if p.end else None}
                      for p in person.posts]}


def people_on(registry, search: str = "", day=None) -> list[dict]:
    """The registry's people as the desk and the API show them: matching ``search`` in any name,
    with only the post held on ``day`` when one is given."""
    found = []
    for person in registry.people if registry else []:
        if search and not any(search.casefold() in n.casefold() for n in person.names.values()):
            continue
        view = person_view(person)
        if day is not None:
            held = person.post_on(day)
            view["posts"] = [v for v, post in zip(view["posts"], person.posts, strict=True) if post is held]
        found.append(view)
    return found


def add_concept(session: Session, files: list[Path], forms: dict[str, str], type_: str, note: str,
                extra: dict[str, str], author: str) -> Path:
    """Add a concept (``extra``: id, valid_from, valid_to …) to the last active CSV glossary and
    record it in the history; returns that file. GlossaryError when refused (file unchanged),
    FileNotFoundError when no CSV glossary is active."""
    csv_files = [Path(p) for p in files if Path(p).suffix.lower() == ".csv"]
    if not csv_files:
        raise FileNotFoundError("no CSV glossary is active; set GNEWS_GLOSSARIES")
    append_term(csv_files[-1], forms, type_, note, extra)
    record(session, "glossary", csv_files[-1], extra.get("id") or next(iter(forms.values()), ""), "add",
           {**forms, **{k: v for k, v in extra.items() if v}, "type": type_}, author)
    return csv_files[-1]
