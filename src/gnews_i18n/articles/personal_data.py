"""The privacy guard at the desk's doors: an article carrying personal identifiers is refused at
submit unless a person allows them (with a reason) or has them redacted; the decision is
recorded by fingerprint (never the identifier), and the translation job and publishing check
again that nothing unresolved goes on."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from gnews_i18n.config import load_settings
from gnews_i18n.intake.article import Block, IntakeError, ParsedArticle
from gnews_i18n.privacy import BLOCK, Finding, PrivacyPolicy, fingerprint, load_policy, mask, redact
from gnews_i18n.store.models import PrivacyDecision

ALLOWED, REDACTED = "allowed", "redacted"


@dataclass(frozen=True)
class Guard:
    """The policy and the key that fingerprints identifiers (the desk's secret key)."""

    policy: PrivacyPolicy
    key: str

    @classmethod
    def from_settings(cls) -> Guard:
        return cls(load_policy(), load_settings().secret_key())


@dataclass(frozen=True)
class Located:
    where: str  # title, byline, block 3 (paragraph), segment 2.1
    finding: Finding
    action: str  # block or warn
    line: int | None = None  # in the submitted file, where the text could be found there

    def describe(self) -> str:
        at = f"line {self.line} ({self.where})" if self.line else self.where
        return f"{at}: {self.finding.name} {mask(self.finding)} — {self.finding.why}"

    def to_dict(self) -> dict:
        return {"where": self.where, "line": self.line, "kind": self.finding.kind, "masked": mask(self.finding),
                "action": self.action, "why": self.finding.why, "confidence": self.finding.confidence}


class PersonalDataError(IntakeError):
    """The article carries personal identifiers nobody has decided about; nothing was stored."""

    def __init__(self, name: str, located: list[Located]):
        self.located = located
        lines = "\n".join(f"  - {item.describe()}" for item in located)
        super().__init__(
            f"{name}: personal data found, so nothing was stored or sent to translation:\n{lines}\n"
            "Remove or mask it in the text and submit again; or submit with --redact-personal-data (API: "
            "\"redact_personal_data\": true) to have it masked (the original is never stored); or, if a person "
            "has checked that it may be published, with --allow-personal-data \"REASON\" (API: "
            "\"allow_personal_data\": \"REASON\"; the reason and your name are recorded).",
            field="blocks")


def article_texts(title: str, blocks: Iterable[Block | dict], author: str | None = None) -> list[tuple[str, str]]:
    texts = [("title", title)] + ([("byline", author)] if author else [])
    for number, block in enumerate(blocks, start=1):
        kind, text = (block["kind"], block["text"]) if isinstance(block, dict) else (block.kind, block.text)
        texts.append((f"block {number} ({kind})", text))
    return texts


def screen(texts: list[tuple[str, str]], policy: PrivacyPolicy, raw: str | None = None) -> list[Located]:
    """Every finding not ignored by the policy, where it is; ``raw`` (the submitted file) gives lines."""
    located = []
    for where, text in texts:
        for finding, action in policy.findings(text or ""):
            line = None
            if raw is not None and (at := raw.find(finding.value)) >= 0:
                line = raw.count("\n", 0, at) + 1
            located.append(Located(where, finding, action, line))
    return located


def decided_fingerprints(session: Session, article_id: int | None) -> set[str]:
    if article_id is None:
        return set()
    return set(session.scalars(select(PrivacyDecision.fingerprint).where(PrivacyDecision.article_id == article_id)))


def unresolved(session: Session, article_id: int | None, texts: list[tuple[str, str]], guard: Guard,
               raw: str | None = None) -> list[Located]:
    """Blocking findings in ``texts`` that no recorded decision for the article covers."""
    decided = decided_fingerprints(session, article_id)
    return [item for item in screen(texts, guard.policy, raw) if item.action == BLOCK
            and fingerprint(item.finding, guard.key) not in decided]


def redacted_article(article: ParsedArticle, policy: PrivacyPolicy) -> ParsedArticle:
    """The article with every blocking finding masked in its title, byline and blocks."""
    def clean(text: str | None) -> str | None:
        if not text:
            return text
        return redact(text, [f for f, action in policy.findings(text) if action == BLOCK])
    blocks = [dataclasses.replace(block, text=clean(block.text)) for block in article.blocks]
    return dataclasses.replace(article, title=clean(article.title), author=clean(article.author), blocks=blocks)


def record(session: Session, article_id: int, revision_number: int, located: list[Located], guard: Guard,
           action: str, reason: str | None, decided_by: str | None) -> None:
    for item in located:
        session.add(PrivacyDecision(
            article_id=article_id, revision_number=revision_number, kind=item.finding.kind,
            fingerprint=fingerprint(item.finding, guard.key), action=action, location=item.where[:60],
            reason=reason, decided_by=decided_by))
    session.flush()
