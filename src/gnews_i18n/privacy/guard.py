"""The privacy guard with the store: the policy (with the people registry's public officials),
the key that fingerprints identifiers, where each finding is, and which ones a person decided
about for an article (``privacy_decisions``). Every door (submit, the translation job, review,
exports, publishing, e-mail) asks ``unresolved`` the same question."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gnews_i18n.config import Settings, load_settings
from gnews_i18n.privacy.finders import Finding
from gnews_i18n.privacy.policy import BLOCK, PrivacyPolicy, load_policy
from gnews_i18n.privacy.redact import fingerprint, mask
from gnews_i18n.store.models import PrivacyDecision
from gnews_i18n.terms.files import cached_registry

ALLOWED, REDACTED = "allowed", "redacted"


def public_names(settings: Settings) -> set[str]:
    """Every name, in every language, of the people registry's officials: never a patient's."""
    registry = cached_registry(settings.people_paths)
    return {name for person in (registry.people if registry else []) for name in person.names.values()}


@dataclass(frozen=True)
class Guard:
    """The policy and the key that fingerprints identifiers (the desk's secret key)."""

    policy: PrivacyPolicy
    key: str

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> Guard:
        settings = settings or load_settings()
        return cls(load_policy().with_public_names(public_names(settings)), settings.secret_key())

    def finding_id(self, finding: Finding) -> str:
        """The short id a person names a finding by (``privacy allow``): the fingerprint's start."""
        return fingerprint(finding, self.key)[:12]


@dataclass(frozen=True)
class Located:
    where: str  # title, byline, block 3 (paragraph), segment 2.1 (target)
    finding: Finding
    action: str  # block or warn
    line: int | None = None  # in the submitted file, where the text could be found there
    finding_id: str = ""  # Guard.finding_id, where a guard was at hand

    def describe(self) -> str:
        at = f"line {self.line} ({self.where})" if self.line else self.where
        named = f" (finding {self.finding_id})" if self.finding_id else ""  # no [ ]: terminals read it as markup
        return f"{at}: {self.finding.name} {mask(self.finding)}{named} — {self.finding.why}"

    def to_dict(self) -> dict:
        return {"where": self.where, "line": self.line, "kind": self.finding.kind, "masked": mask(self.finding),
                "action": self.action, "why": self.finding.why, "confidence": self.finding.confidence,
                "finding": self.finding_id or None}


def article_texts(title: str, blocks: Iterable[Any], author: str | None = None) -> list[tuple[str, str]]:
    """(where, text) of an article's title, byline and blocks (``Block`` objects or their dicts)."""
    texts = [("title", title)] + ([("byline", author)] if author else [])
    for number, block in enumerate(blocks, start=1):
        kind, text = (block["kind"], block["text"]) if isinstance(block, dict) else (block.kind, block.text)
        texts.append((f"block {number} ({kind})", text))
    return texts



def screen(texts: Iterable[tuple[str, str]], policy: PrivacyPolicy, raw: str | None = None,
           guard: Guard | None = None) -> list[Located]:
    """Every finding not ignored by the policy, where it is; ``raw`` (the submitted file) gives lines."""
    located = []
    for where, text in texts:
        for finding, action in policy.findings(text or ""):
            line = None
            if raw is not None and (at := raw.find(finding.value)) >= 0:
                line = raw.count("\n", 0, at) + 1
            located.append(Located(where, finding, action, line, guard.finding_id(finding) if guard else ""))
    return located


def decided_fingerprints(session: Session, article_id: int | None) -> set[str]:
    if article_id is None:
        return set()
    return set(session.scalars(select(PrivacyDecision.fingerprint).where(PrivacyDecision.article_id == article_id)))


def unresolved(session: Session, article_id: int | None, texts: Iterable[tuple[str, str]], guard: Guard,
               raw: str | None = None) -> list[Located]:
    """Blocking findings in ``texts`` that no recorded decision for the article covers."""
    decided = decided_fingerprints(session, article_id)
    return [item for item in screen(texts, guard.policy, raw, guard) if item.action == BLOCK
            and fingerprint(item.finding, guard.key) not in decided]


def record(session: Session, article_id: int, revision_number: int, located: list[Located], guard: Guard,
           action: str, reason: str | None, decided_by: str | None) -> None:
    """One decision row per identifier (the same number twice in an article is one decision)."""
    done = decided_fingerprints(session, article_id)
    for item in located:
        print_of = fingerprint(item.finding, guard.key)
        if print_of in done:
            continue
        done.add(print_of)
        session.add(PrivacyDecision(
            article_id=article_id, revision_number=revision_number, kind=item.finding.kind,
            fingerprint=print_of, action=action, location=item.where[:60], reason=reason, decided_by=decided_by))
    session.flush()


__all__ = ["ALLOWED", "REDACTED", "Guard", "Located", "article_texts", "decided_fingerprints", "public_names",
           "record", "screen", "unresolved"]
