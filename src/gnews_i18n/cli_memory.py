"""``gnews-i18n memory …`` and ``report``: the translation memory (TMX) and reviewer effort."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.table import Table


def register_memory(memory_app: typer.Typer, database, fail, console) -> None:
    @memory_app.command("export")
    def memory_export(
        output: Path = typer.Option(..., "-o", "--output", help="The TMX file to write."),
        src: str = typer.Option(None, "--src", help="Only this source language."),
        tgt: str = typer.Option(None, "--tgt", help="Only this target language."),
    ) -> None:
        """Write the translation memory as TMX 1.4."""
        from gnews_i18n.memory.tmx import write_tmx

        with database().session() as session:
            text = write_tmx(session, src, tgt)
        output.write_text(text, encoding="utf-8")
        console.print(f"wrote {text.count('<tu ')} unit(s) to {output}")

    @memory_app.command("import")
    def memory_import(
        file: Path = typer.Argument(..., help="A TMX file (1.1–1.4, namespaced or not, any encoding)."),
        both_directions: bool = typer.Option(False, "--both-directions", help="Also store each unit the other way "
                                             "round (target → source); by default only its stated srclang direction."),
    ) -> None:
        """Add a TMX file's units to the memory, in their stated direction: all of them, or none with the problems."""
        from gnews_i18n.cli_auth import check_now
        from gnews_i18n.memory.tmx import TmxError, read_tmx

        check_now(fail, "manage_glossary")  # the memory is terminology-like desk data: admins
        try:
            data = file.read_bytes()
        except OSError as error:
            fail(f"cannot read {file}: {error.strerror}")
        try:
            with database().session() as session:
                result = read_tmx(session, data, file.name, both_directions=both_directions)
        except TmxError as error:
            fail(str(error))
        console.print(f"{result.units} unit(s), {result.entries} memory entr{'y' if result.entries == 1 else 'ies'}"
                      + (f"; {result.skipped} variant(s) in other languages skipped" if result.skipped else "")
                      + (f"; {result.unpaired} unit(s) without two such languages, not stored" if result.unpaired
                         else ""))


def register_report(app: typer.Typer, database, console) -> None:
    @app.command("report")
    def report(
        csv_out: Path = typer.Option(None, "--csv", help="Also write the rows as CSV ('-' for stdout)."),
    ) -> None:
        """Reviewer effort by model, language pair and month: edit rate, share approved unchanged, terms missing."""
        from gnews_i18n.report import effort, effort_csv

        with database().session() as session:
            rows = effort(session)
        if csv_out is not None:
            text = effort_csv(rows)
            if str(csv_out) == "-":
                sys.stdout.write(text)
                return
            csv_out.write_text(text, encoding="utf-8")
        if not rows:
            console.print("Nothing approved yet; the report counts approved translations.")
            return
        table = Table("model", "pair", "month", "translations", "segments", "mean edit rate", "unchanged",
                      "terms missing")
        for row in rows:
            table.add_row(row.model, row.pair, row.month, str(row.translations), str(row.segments),
                          f"{row.mean_edit_rate:.1%}", f"{row.share_unchanged:.1%}", str(row.terms_missing))
        console.print(table)
