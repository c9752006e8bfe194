"""CSV tables (the people's glossary and registry files): a header and rows, each row with the
line it starts on, read from UTF-8 text.

Only the table: which columns mean what is the reading room's business (``terms.csvfile``,
``terms.people``). A row that spans lines (a quoted cell with a line break) is named by its
first line, and a byte that is not UTF-8 by its line and column, so an error points where
an editor must look.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

from gnews_i18n.formats.base import FormatError, FormatProblem

__all__ = ["Row", "Table", "decode_utf8", "header_of", "read_table", "with_row", "write_table"]


@dataclass(frozen=True)
class Row:
    line: int  # where the row starts
    cells: list[str]
    end_line: int  # where it ends: past ``line`` only when a quoted cell runs over lines


@dataclass(frozen=True)
class Table:
    header: list[str]  # as written (callers normalise case)
    rows: list[Row]  # blank rows left out


def decode_utf8(data: bytes, name: str) -> str:
    """The text of a UTF-8 file (a BOM is dropped); FormatError naming the line and column of a bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = data[:error.start]
        line = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        raise FormatError(FormatProblem(name, line, f"not UTF-8 (column {column}, byte offset {error.start}); "
                                        "save the file as UTF-8")) from None


def read_table(text: str, name: str) -> Table:
    """The header and the non-blank rows; FormatError when the file is empty or a line is not CSV."""
    rows = list(_rows(text, name))
    if not rows:
        raise FormatError(FormatProblem(name, 1, "the file is empty; the first row names the columns, "
                                        "e.g. ko,en,type"))
    header, body = rows[0], rows[1:]
    return Table(header.cells, [row for row in body if any(cell.strip() for cell in row.cells)])


def _rows(text: str, name: str) -> Iterator[Row]:
    reader = csv.reader(io.StringIO(text))
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:  # a stray carriage return, a NUL, a quote left open at the end
            raise FormatError(FormatProblem(name, start, f"not readable as CSV: {error}; save the file as plain "
                                            "CSV (UTF-8)")) from None
        yield Row(start, cells, reader.line_num)


def write_table(columns: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue()


def header_of(text: str) -> list[str]:
    """The column names of a table's text (its first row)."""
    return next(csv.reader(io.StringIO(text)), [])


def with_row(text: str, values: dict[str, str]) -> str:
    """``text`` with one more row, its cells in the header's order (columns not named stay empty)."""
    header = header_of(text)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([values.get(column, "") for column in header])
    return text.rstrip("\n") + "\n" + out.getvalue()
