"""Masking findings in text, and fingerprints that let a decision name an identifier without
storing it."""

from __future__ import annotations

import hashlib
import hmac
import re

from gnews_i18n.privacy.finders import ALIEN_NUMBER, EMAIL, PATIENT_NAME, RESIDENT_NUMBER, Finding


def mask(finding: Finding) -> str:
    """The masked form readers may see: ``900101-1******``, ``010-****-5678``, ``k***@naver.com``,
    ``김○○``, ``L. J.``."""
    value = finding.value
    if finding.kind == PATIENT_NAME:
        if re.match(r"[가-힣]", value):
            return value[0] + "○" * (len(value) - 1)
        return " ".join(word[0].upper() + "." for word in value.split())  # Lee Ji-eun → L. J.
    if finding.kind in (RESIDENT_NUMBER, ALIEN_NUMBER):
        digits = re.sub(r"\D", "", value)
        return f"{digits[:6]}-{digits[6]}******"
    if finding.kind == EMAIL:
        local, _, domain = value.partition("@")
        return f"{local[:1]}***@{domain}"
    # keep the separators and the last four digits/characters, star the rest
    keep = 4
    out, seen = [], 0
    total = sum(ch.isalnum() for ch in value)
    for ch in value:
        if ch.isalnum():
            seen += 1
            out.append(ch if seen > total - keep else "*")
        else:
            out.append(ch)
    return "".join(out)


def redact(text: str, findings: list[Finding]) -> str:
    """``text`` with every finding (found in this very text) replaced by its mask."""
    for finding in sorted(findings, key=lambda f: f.start, reverse=True):
        text = text[: finding.start] + mask(finding) + text[finding.end:]
    return text


def fingerprint(finding: Finding, key: str) -> str:
    """A keyed hash (HMAC-SHA256 with the desk's secret key) of the identifier's kind and
    characters: the same number written with or without a hyphen has one fingerprint, and the
    store never holds the number itself."""
    message = f"{finding.kind}:{finding.digits()}".encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()[:32]
