"""A flag: what a check found, how serious, and the two spans it compares.

``source`` and ``target`` are the spans as written ("" when one side has nothing to
show), so a reviewer sees what was compared with what; ``fix``, when present, is a
replacement that resolves the flag in one action: ``{"find": …, "replace": …}`` on the
target text.
"""

from __future__ import annotations


def flag(check_id: str, severity: str, message: str, source: str = "", target: str = "", **extra) -> dict:
    return {"id": check_id, "severity": severity, "message": message, "source": source, "target": target,
            **extra}
