"""What each kind of finding does (block, warn, ignore) and what is allowed outright.

The policy is a TOML file named by ``GNEWS_PRIVACY_POLICY``; without one the defaults below
apply. Example::

    [actions]              # block | warn | ignore, per kind (privacy.finders.KINDS)
    phone = "warn"
    bank_account = "block"

    [allow]
    emails = ["press@snuh.org"]          # exact addresses
    email_domains = ["korea.kr"]         # every address at these domains
    phones = ["02-2072-2114", "1339"]    # an institution's switchboard, a public health line
    names = ["홍길동", "Hong Gil-dong"]  # people who may be named (the people registry's are, always)
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from gnews_i18n.privacy.finders import (
    EMAIL,
    KINDS,
    MOBILE_PHONE,
    PATIENT_NAME,
    PHONE,
    Finding,
    find_personal_data,
    name_key,
)

BLOCK, WARN, IGNORE = "block", "warn", "ignore"
ACTIONS = (BLOCK, WARN, IGNORE)
DEFAULT_ACTIONS = {kind: BLOCK for kind in KINDS} | {PHONE: WARN}


class PolicyError(ValueError):
    """The policy file cannot be used; the message names the file, the key and what to write."""


@dataclass(frozen=True)
class PrivacyPolicy:
    actions: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_ACTIONS))
    emails: frozenset[str] = frozenset()
    email_domains: frozenset[str] = frozenset()
    phones: frozenset[str] = frozenset()  # digits only, national form (0 prefix) and E.164 without +
    names: frozenset[str] = frozenset()  # people who may be named (privacy.finders.name_key forms)
    source: str = "the built-in defaults"

    def with_public_names(self, names: Iterable[str]) -> PrivacyPolicy:
        """This policy with ``names`` (the people registry's public officials) never reported."""
        return replace(self, names=self.names | {name_key(n) for n in names if n and n.strip()})

    def action(self, finding: Finding) -> str:
        if self.allowlisted(finding):
            return IGNORE
        return self.actions.get(finding.kind, BLOCK)

    def allowlisted(self, finding: Finding) -> bool:
        if finding.kind == EMAIL:
            address = finding.value.lower()
            return address in self.emails or address.partition("@")[2] in self.email_domains
        if finding.kind in (PHONE, MOBILE_PHONE):
            return _phone_key(finding.value) in self.phones
        if finding.kind == PATIENT_NAME:
            return name_key(finding.value) in self.names
        return False

    def findings(self, text: str) -> list[tuple[Finding, str]]:
        """Every finding in ``text`` that is not ignored, with its action (block or warn)."""
        return [(f, a) for f in find_personal_data(text) if (a := self.action(f)) != IGNORE]

    def blocking(self, text: str) -> list[Finding]:
        return [f for f, action in self.findings(text) if action == BLOCK]


def _phone_key(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    if value.strip().startswith("+82") or digits.startswith("82") and len(digits) >= 10:
        digits = "0" + digits[2:]
    return digits


def load_policy(path: str | Path | None = None) -> PrivacyPolicy:
    """The policy from ``path``, else ``GNEWS_PRIVACY_POLICY``, else the defaults."""
    if path is None:
        path = os.environ.get("GNEWS_PRIVACY_POLICY", "").strip() or None
    if path is None:
        return PrivacyPolicy()
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise PolicyError(f"cannot read the privacy policy {path} (GNEWS_PRIVACY_POLICY): {error.strerror}") from None
    except tomllib.TOMLDecodeError as error:
        raise PolicyError(f"{path}: not valid TOML: {error}") from None
    actions = dict(DEFAULT_ACTIONS)
    for kind, action in (data.get("actions") or {}).items():
        if kind not in KINDS:
            raise PolicyError(f"{path}: [actions] {kind}: unknown kind; the kinds are {', '.join(KINDS)}")
        if action not in ACTIONS:
            raise PolicyError(f"{path}: [actions] {kind} = {action!r}: write one of {', '.join(ACTIONS)}")
        actions[kind] = action
    allow = data.get("allow") or {}
    unknown = set(allow) - {"emails", "email_domains", "phones", "names"}
    if unknown:
        raise PolicyError(f"{path}: [allow] {', '.join(sorted(unknown))}: unknown key; use emails, email_domains, "
                          "phones or names")
    return PrivacyPolicy(
        actions=actions,
        emails=frozenset(str(e).strip().lower() for e in allow.get("emails", [])),
        email_domains=frozenset(str(d).strip().lower().lstrip("@") for d in allow.get("email_domains", [])),
        phones=frozenset(_phone_key(str(p)) for p in allow.get("phones", [])),
        names=frozenset(name_key(str(n)) for n in allow.get("names", [])),
        source=str(path),
    )
