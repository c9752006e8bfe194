"""``gnews-i18n memory …``: the translation memory as TMX, out and in."""

from __future__ import annotations

from pathlib import Path

import typer

from gnews_i18n.cli.access import check_now
from gnews_i18n.cli.common import console, database, fail, import_size
from gnews_i18n.memory.repository import export_tmx, import_tmx
from gnews_i18n.memory.tmx import TmxError

app = typer.Typer(help="Translation memory: export and import TMX.", no_args_is_help=True)


@app.command("export")
def memory_export(
    output: Path = typer.Option(..., "-o", "--output", help="The TMX file to write."),
    src: str = typer.Option(None, "--src", help="Only this source language."),
    tgt: str = typer.Option(None, "--tgt", help="Only this target language."),
) -> None:
    """Write the translation memory as TMX 1.4."""
    with database().session() as session:
        text = export_tmx(session, src, tgt)
    output.write_text(text, encoding="utf-8")
    console.print(f"wrote {text.count('<tu ')} unit(s) to {output}")


@app.command("import")
def memory_import(
    file: Path = typer.Argument(..., help="A TMX file (1.1–1.4, namespaced or not, any encoding)."),
    both_directions: bool = typer.Option(False, "--both-directions", help="Also store each unit the other way "
                                         "round (target → source); by default only its stated srclang direction."),
) -> None:
    """Add a TMX file's units to the memory, in their stated direction: all of them, or none with the problems."""
    check_now("manage_glossary")  # the memory is terminology-like desk data: admins
    import_size(file)
    try:
        data = file.read_bytes()
    except OSError as error:
        fail(f"cannot read {file}: {error.strerror}")
    try:
        with database().session() as session:
            result = import_tmx(session, data, file.name, both_directions=both_directions)
    except TmxError as error:
        fail(str(error))
    console.print(f"{result.units} unit(s), {result.entries} memory entr{'y' if result.entries == 1 else 'ies'}"
                  + (f"; {result.skipped} variant(s) in other languages skipped" if result.skipped else "")
                  + (f"; {result.unpaired} unit(s) without two such languages, not stored" if result.unpaired
                     else ""))

