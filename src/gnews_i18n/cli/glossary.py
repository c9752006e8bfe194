"""``gnews-i18n glossary …``: check, list, add, import and export terminology."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from gnews_i18n.cli.access import check_now
from gnews_i18n.cli.common import console, database, err, fail, import_size
from gnews_i18n.config import load_settings
from gnews_i18n.store.models import Translation
from gnews_i18n.terms import GlossaryError, load_glossaries, read_glossary_file
from gnews_i18n.terms.csvfile import write_csv
from gnews_i18n.terms.editing import add_post, record
from gnews_i18n.terms.files import append_term
from gnews_i18n.terms.glossary import TERM_TYPES
from gnews_i18n.terms.people import is_people_file, read_people
from gnews_i18n.terms.tbx import FORMATS, write_tbx

app = typer.Typer(help="Terminology: check, list, add, import and export glossaries.", no_args_is_help=True)


@app.command("check")
def check(files: list[Path] = typer.Argument(..., help="Glossary files (.csv or .tbx); people*.csv are "
                                             "read as the people registry.")) -> None:
    """Validate glossary files (and registry files); prints file:line: problem (inverted or overlapping
    validity ranges included), exits 1 on any error."""
    errors = warnings = terms = 0
    for path in files:
        import_size(path)
        try:
            if is_people_file(path):
                registry, problems = read_people(path)
                terms += len(registry.people)
            else:
                glossary, problems = read_glossary_file(path)
                terms += len(glossary.terms)
        except GlossaryError as error:
            problems = error.problems
        for problem in problems:
            print(problem)
            errors += problem.severity == "error"
            warnings += problem.severity == "warning"
    err.print(f"{len(files)} file(s), {terms} term(s) or people: {errors} error(s), {warnings} warning(s)",
              highlight=False)
    if errors:
        raise typer.Exit(1)


@app.command("list")
def list_terms(
    files: list[Path] = typer.Argument(None, help="Glossary files; the active ones when omitted."),
    type_: str = typer.Option(None, "--type", help=f"Only this type ({', '.join(TERM_TYPES)})."),
    search: str = typer.Option(None, "--search", help="Only terms containing this text in any language."),
) -> None:
    """The terms of the active (or given) glossaries, after overrides."""
    glossary = _load(files)
    terms = [t for t in glossary.terms if (not type_ or t.type == type_)
             and (not search or any(search.casefold() in f.casefold() for f in t.forms.values()))]
    languages = sorted(glossary.languages, key=lambda c: (c not in ("ko", "en"), c))
    table = Table("type", *languages, "source")
    for term in terms:
        table.add_row(term.type, *[term.forms.get(lang, "") for lang in languages], str(term.origin or ""))
    console.print(table)
    console.print(f"{len(terms)} term(s)")


@app.command("add")
def add(
    file: Path = typer.Argument(..., help="CSV glossary to add to (created if missing)."),
    forms: list[str] = typer.Option(..., "--form", help="LANG=FORM, e.g. --form ko=아주대학교병원 --form en='Ajou "
                                    "University Hospital'"),
    type_: str = typer.Option("other", "--type", help=f"One of {', '.join(TERM_TYPES)}."),
    note: str = typer.Option("", "--note", help="A note for reviewers."),
) -> None:
    """Add one concept to a CSV glossary, refusing it if it conflicts with an entry there."""
    check_now("manage_glossary")
    parsed = _pairs(forms, "--form")
    try:
        append_term(file, parsed, type_, note)
    except GlossaryError as error:
        fail("not added:\n" + str(error))
    console.print(f"added to {file}: " + " ↔ ".join(parsed.values()))


def _pairs(items: list[str] | None, option: str) -> dict[str, str]:
    """LANG=VALUE options as a dict (``--form ko=아주대학교병원``)."""
    parsed = {}
    for item in items or []:
        lang, _, value = item.partition("=")
        if not value.strip():
            fail(f"{option} takes LANG=VALUE, got {item!r}")
        parsed[lang.strip().lower()] = value.strip()
    return parsed


# The post's options, shared by add-person and confirm-names.
ORGS = typer.Option(None, "--org", help="LANG=ORGANISATION of the post, e.g. --org ko=경기도.")
TITLES = typer.Option(None, "--title", help="LANG=TITLE of the post.")
TITLE_TYPE = typer.Option("officer", "--title-type", help="head (English title before the name) or officer.")
START = typer.Option("", "--from", help="First day of the post, YYYY-MM-DD.")
END = typer.Option("", "--to-date", help="Last day of the post, YYYY-MM-DD (omit while held).")


@app.command("add-person")
def add_person(
    person_id: str = typer.Argument(..., help="The person's id (a known one gets a new post)."),
    file: Path = typer.Option(None, "--to", help="Registry file; default: the last active people*.csv."),
    names: list[str] = typer.Option(None, "--name", help="LANG=NAME, e.g. --name ko=엄원자 --name en='Eom Won-ja'."),
    orgs: list[str] = ORGS, titles: list[str] = TITLES, title_type: str = TITLE_TYPE, start: str = START,
    end: str = END, author: str = typer.Option("cli", "--author", help="Who is recorded in the history."),
) -> None:
    """Add a person, or a post of a known person, to the people registry (checked; recorded in the history)."""
    check_now("manage_glossary")
    _add_to_registry(file, person_id, _pairs(names, "--name"), _pairs(orgs, "--org"), _pairs(titles, "--title"),
                     title_type, start, end, author)


def _add_to_registry(file: Path | None, person_id: str, names: dict, orgs: dict, titles: dict, title_type: str,
                     start: str, end: str, author: str) -> None:
    file = file or (load_settings().people_paths or [None])[-1]
    if file is None:
        fail("no people registry is configured; give --to FILE (e.g. glossaries/people.csv)")
    cells = {**names, **{f"org_{k}": v for k, v in orgs.items()}, **{f"title_{k}": v for k, v in titles.items()},
             "from": start, "to": end, **({"title_type": title_type} if titles else {})}
    try:
        row = add_post(file, person_id, cells)
    except GlossaryError as error:
        fail("not added:\n" + str(error))
    with database().session() as session:
        record(session, "people", file, person_id, "add", row, author)
    console.print(f"added to {file}: {person_id} " + " ".join(f"{k}={v}" for k, v in row.items() if k != "id"))


@app.command("confirm-names")
def confirm_names(
    translation_id: int = typer.Argument(..., help="Translation whose suggested names a reviewer checked."),
    file: Path = typer.Option(None, "--to", help="CSV glossary to add the names to (as person terms)."),
    people: Path = typer.Option(None, "--people", help="Or the people registry: the names become people, with the "
                                "post below when given."),
    only: list[str] = typer.Option(None, "--only", help="Only these names (Hangul); repeat."),
    orgs: list[str] = ORGS, titles: list[str] = TITLES, title_type: str = TITLE_TYPE, start: str = START,
    end: str = END,
) -> None:
    """Add the names suggested in a translation (flag name_suggested) to a glossary, as persons, or to the
    people registry (--people) with the post given by --org, --title, --from, --to-date."""
    check_now("manage_glossary")
    if (file is None) == (people is None):
        fail("give either --to GLOSSARY or --people REGISTRY")
    with database().session() as session:
        translation = session.get(Translation, translation_id)
        if translation is None:
            fail(f"no translation {translation_id}")
        tgt = translation.target_lang
        suggested = {f["hangul"]: f["suggestion"] for s in translation.segments for f in s.flags or []
                     if f.get("id") == "name_suggested"}
    chosen = {k: v for k, v in suggested.items() if not only or k in only}
    if not chosen:
        fail(f"translation {translation_id} has no suggested names" + (" among --only" if only else ""))
    for hangul, romanized in chosen.items():
        if people is not None:
            person_id = "-".join(romanized.lower().split())
            _add_to_registry(people, person_id, {"ko": hangul, tgt: romanized}, _pairs(orgs, "--org"),
                             _pairs(titles, "--title"), title_type, start, end, "confirm-names")
        else:
            add(file, [f"ko={hangul}", f"{tgt}={romanized}"], "person", "confirmed from a name suggestion")


@app.command("export")
def export(
    files: list[Path] = typer.Argument(None, help="Glossaries to export; the active ones when omitted."),
    output: Path = typer.Option(..., "-o", "--output", help="Target file: .tbx for CAT tools, or .csv."),
    fmt: str = typer.Option(None, "--format", help="tbx2008 (TBX-Basic <martif>, what CAT tools read; the "
                            "default for .tbx), tbx3 (ISO 30042:2019 <tbx>) or csv."),
) -> None:
    """Write the (merged) glossaries as TBX-Basic (2008 or v3) or CSV."""
    fmt = (fmt or ("tbx2008" if output.suffix.lower() in (".tbx", ".xml") else "csv")).lower()
    if fmt not in (*FORMATS, "csv"):
        fail(f"--format {fmt}: use one of {', '.join(FORMATS)}, csv")
    glossary = _load(files)
    text = write_csv(glossary) if fmt == "csv" else write_tbx(glossary, fmt=fmt)
    output.write_text(text, encoding="utf-8")
    console.print(f"{len(glossary.terms)} term(s) written to {output}")


@app.command("import")
def import_(
    source: Path = typer.Argument(..., help="A TBX (or CSV) glossary from another tool."),
    output: Path = typer.Option(..., "-o", "--output", help="CSV file to write (the desk's format)."),
) -> None:
    """Convert a TBX glossary (2008 or v3, any encoding) into the desk's CSV format, checking it on the way.
    A file with anything not understood is refused with the element's path and line."""
    import_size(source)
    try:
        glossary, problems = read_glossary_file(source)
    except GlossaryError as error:
        fail(f"not imported:\n{error}")
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        fail("not imported:\n" + "\n".join(map(str, errors)))
    for problem in problems:
        print(problem)
    output.write_text(write_csv(glossary), encoding="utf-8")
    console.print(f"{len(glossary.terms)} term(s) imported into {output}. "
                  f"Check it with `gnews-i18n glossary check {output}`.")


def _load(files):
    paths = list(files or []) or load_settings().glossary_paths
    for path in files or []:
        import_size(path)
    if not paths:
        fail("no glossary given and none active (put CSV files in ./glossaries or set GNEWS_GLOSSARIES)")
    try:
        return load_glossaries(paths)
    except GlossaryError as error:
        fail(f"glossary errors:\n{error}")
