"""What every format module shares: a file's units as plain data, and a problem with its place.

As Translate Toolkit's ``storage/base.py``, one idea of a unit for every format, but only
the data: a format module reads bytes into a ``UnitFile`` of ``Unit`` and writes units
back; what a unit *means* (a segment under review, a memory record, a glossary term)
is decided by the room that reads it (review/, memory/, terms/). A file that cannot be
read raises ``FormatError``; each ``FormatProblem`` says ``file:line: what is wrong``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["FormatError", "FormatProblem", "Unit", "UnitFile"]


@dataclass(frozen=True)
class FormatProblem:
    """What is wrong in a file and where: ``file:line: message`` (``file: message`` with no line)."""

    file: str
    line: int  # 1-based; 0 when the problem is about the whole file
    message: str

    def __str__(self) -> str:
        if not self.line or self.line < 0:
            return f"{self.file}: {self.message}"
        return f"{self.file}:{self.line}: {self.message}"


class FormatError(ValueError):
    """A file that cannot be read; ``problems`` lists each with its place, one a line in the message."""

    def __init__(self, problems: FormatProblem | list[FormatProblem]):
        self.problems = [problems] if isinstance(problems, FormatProblem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass
class Unit:
    """One translatable unit as its file holds it, before any room gives it a meaning."""

    source: str
    target: str = ""
    key: str = ""  # what names the unit in its file: PO msgctxt, XLIFF id, TMX tuid ("" when none)
    flags: list[str] = field(default_factory=list)  # the format's own marks (PO ``fuzzy``, an XLIFF state …)
    notes: list[str] = field(default_factory=list)  # comments for translators, one a line
    line: int = 0  # where the unit starts in its file


@dataclass
class UnitFile:
    """A file's units with its header's fields (PO metadata …) and the problems found reading it."""

    name: str
    units: list[Unit] = field(default_factory=list)
    header: dict[str, str] = field(default_factory=dict)
    problems: list[FormatProblem] = field(default_factory=list)
    header_lines: dict[str, int] = field(default_factory=dict)  # where each header field is written
