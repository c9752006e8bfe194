"""The contract every MT engine meets, and what it returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


class ModelNotAvailable(RuntimeError):
    """No model can be loaded for a direction; the message says how to provide one."""


@dataclass(frozen=True)
class MachineTranslation:
    text: str
    provenance: dict = field(default_factory=dict)


class Translator(Protocol):
    src: str
    tgt: str
    model_id: str

    def translate(self, texts: list[str]) -> list[MachineTranslation]:
        """One output per input, in input order."""
        ...
