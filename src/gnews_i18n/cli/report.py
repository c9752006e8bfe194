"""``gnews-i18n report``: reviewer effort by model, language pair and month."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.table import Table

from gnews_i18n.cli.common import console, database
from gnews_i18n.review.effort import effort, effort_csv

app = typer.Typer()


@app.command("report")
def report(
    csv_out: Path = typer.Option(None, "--csv", help="Also write the rows as CSV ('-' for stdout)."),
) -> None:
    """Reviewer effort by model, language pair and month: edit rate, share approved unchanged, terms missing."""
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
