"""Problems found in glossary files, as values with a place (file:line)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class GlossaryProblem:
    file: str
    line: int
    message: str
    severity: str = "error"  # "error" stops use of the file; "warning" informs

    def __str__(self) -> str:
        if self.line <= 0:  # about the whole file (missing, unreadable): no line to point at
            return f"{self.file}: {self.message}"
        return f"{self.file}:{self.line}: {self.severity}: {self.message}"


class GlossaryError(ValueError):
    """A glossary file that cannot be used; ``problems`` lists every error with its line."""

    def __init__(self, problems: list[GlossaryProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
