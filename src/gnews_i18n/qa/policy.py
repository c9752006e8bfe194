"""A newsroom's severity policy: raise or lower any check per language pair.

``GNEWS_QA_POLICY`` names a TOML file; a ``[all]`` table applies to every pair, a
``[ko-en]`` table (source-target) to one pair and wins over ``[all]``::

    [all]
    negation_mismatch = "error"    # a dropped negation blocks approval here

    [en-ko]
    term_reference = "off"         # pronouns for terms are fine in Korean editions

Severities are ``error`` (blocks approval unless overridden with a reason), ``warning``
and ``off`` (the flag is dropped). Unknown checks or severities stop with file and line.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

SEVERITIES = ("error", "warning", "off")
# Every flag id the checks and the terminology steps can raise, with its default severity.
CHECK_IDS = {
    "number_mismatch": "error", "number_added": "error", "number_rounded": "warning",
    "number_equivalent": "warning", "date_mismatch": "error", "date_unconfirmed": "warning",
    "unit_mismatch": "error", "term_missing": "error (machine) / warning (human)", "term_forbidden": "error",
    "term_reference": "warning", "name_form": "warning", "particle_mismatch": "error", "markup_mismatch": "error",
    "untranslated": "error", "empty_output": "error", "negation_mismatch": "warning", "length_ratio": "warning",
    "repetition": "warning", "term_inserted": "warning", "markup_inserted": "warning", "name_suggested": "warning",
    "mt_suspect": "warning",
}


class PolicyError(ValueError):
    """A policy file that cannot be used; the message says where and what to write instead."""


@dataclass
class Policy:
    path: str = ""
    rules: dict[str, dict[str, str]] = field(default_factory=dict)  # section → check id → severity

    def severity(self, check_id: str, src: str, tgt: str, default: str) -> str:
        for section in (f"{src}-{tgt}", "all"):
            if check_id in self.rules.get(section, {}):
                return self.rules[section][check_id]
        return default

    def apply(self, flags: list[dict], src: str, tgt: str) -> list[dict]:
        out = []
        for item in flags:
            severity = self.severity(item.get("id", ""), src, tgt, item.get("severity", "warning"))
            if severity == "off":
                continue
            out.append(item if severity == item.get("severity") else {**item, "severity": severity})
        return out


def _line_of(text: str, section: str, key: str) -> int:
    in_section = section == ""
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("["):
            in_section = stripped.strip("[] ") == section
        elif in_section and re.match(rf"[\"']?{re.escape(key)}[\"']?\s*=", stripped):
            return number
    return 0


def read_policy(path: Path | str) -> Policy:
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise PolicyError(f"{name}: cannot read the QA policy ({error.strerror}); fix GNEWS_QA_POLICY") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PolicyError(f"{name}: not valid TOML: {error}") from None
    policy = Policy(name)
    for section, table in data.items():
        if not isinstance(table, dict):
            raise PolicyError(f"{name}:{_line_of(text, '', section)}: {section!r} must be a table such as "
                              "[all] or [ko-en] holding check = \"severity\" lines")
        if section != "all" and not re.fullmatch(r"[a-z]{2,3}-[a-z]{2,3}", section):
            raise PolicyError(f"{name}: section [{section}] is neither [all] nor a language pair such as [ko-en]")
        for check_id, severity in table.items():
            line = _line_of(text, section, check_id)
            if check_id not in CHECK_IDS:
                raise PolicyError(f"{name}:{line}: unknown check {check_id!r} in [{section}]; known checks: "
                                  f"{', '.join(sorted(CHECK_IDS))}")
            if severity not in SEVERITIES:
                raise PolicyError(f"{name}:{line}: {check_id} = {severity!r}; use one of {', '.join(SEVERITIES)}")
        policy.rules[section] = dict(table)
    return policy


_cache: dict[tuple[str, float], Policy] = {}


def active_policy() -> Policy | None:
    """The policy ``GNEWS_QA_POLICY`` names (re-read when the file changes), or None."""
    path = os.environ.get("GNEWS_QA_POLICY", "").strip()
    if not path:
        return None
    try:
        mtime = os.stat(path).st_mtime
    except OSError:
        raise PolicyError(f"{path}: GNEWS_QA_POLICY names a file that does not exist; create it or unset the "
                          "variable") from None
    key = (path, mtime)
    if key not in _cache:
        _cache.clear()
        _cache[key] = read_policy(path)
    return _cache[key]
