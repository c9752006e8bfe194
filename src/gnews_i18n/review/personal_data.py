"""Personal data in drafts: the ``personal_data`` flag on a segment whose source or target
carries an identifier nobody decided about for the article, the check that refuses approval
and exports while a blocking one is undecided, and a person's allowing of one finding.

A reviewer's edit can add a mobile number the source never had; the engine can copy one the
source was allowed to carry (that one is decided: the article's decision covers it). The
decisions are the article's (``privacy_decisions``, by fingerprint), so allowing a finding
once clears it in the source, in every language's draft and in later revisions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from gnews_i18n.flags import Flag, flag
from gnews_i18n.intake.document import position_label
from gnews_i18n.privacy import BLOCK, fingerprint, mask
from gnews_i18n.privacy.guard import ALLOWED, Guard, Located, article_texts, decided_fingerprints, record, screen
from gnews_i18n.states import APPROVABLE
from gnews_i18n.store.models import Article, PrivacyDecision, Segment, Translation

PERSONAL_DATA = "personal_data"  # the flag's id (qa.registry.PersonalDataCheck names it at the desk)


def what_to_do(article_id: int, finding_id: str = "ID", first: str = "remove or mask it in the text") -> str:
    return (f"{first}, or, if a person checked that it may be published, allow that finding: "
            f"`gnews-i18n privacy allow {article_id} {finding_id} --reason \"…\"` (API: POST "
            f"/api/articles/{article_id}/personal-data/{finding_id}/allow with {{\"reason\": \"…\"}})")


def segment_texts(segment: Segment, target: str | None = None) -> list[tuple[str, str]]:
    where = f"segment {position_label(segment.block_index, segment.sentence_index)}"
    text = segment.text if target is None else target
    return [(f"{where} (source)", segment.source_text or ""), (f"{where} (target)", text or "")]


def segment_flags(segment: Segment, guard: Guard, decided: set[str], article_id: int,
                  target: str | None = None) -> list[Flag]:
    """``personal_data`` flags for the segment's source and target (or ``target``, a new text):
    an error for a kind the policy blocks, a warning for one it warns about; decided ones none."""
    flags = []
    for item in screen(segment_texts(segment, target), guard.policy, guard=guard):
        if fingerprint(item.finding, guard.key) in decided:
            continue
        side = "source" if item.where.endswith("(source)") else "target"
        shown = mask(item.finding)
        message = (f"personal data in the {side}: {item.finding.name} {shown} ({item.finding.why}); nobody allowed "
                   f"it for this article: " + what_to_do(article_id, item.finding_id))
        flags.append(flag(PERSONAL_DATA, "error" if item.action == BLOCK else "warning", message,
                          source=shown if side == "source" else "", target=shown if side == "target" else "",
                          finding=item.finding_id, kind=item.finding.kind))
    return flags


def refresh_flags(session: Session, translations: Iterable[Translation], guard: Guard | None = None) -> None:
    """Every segment's ``personal_data`` flags made again from its text and the article's decisions."""
    guard = guard or Guard.from_settings()
    for translation in translations:
        article_id = translation.revision.article_id
        decided = decided_fingerprints(session, article_id)
        for segment in translation.segments:
            kept = [f for f in segment.flags or [] if f.get("id") != PERSONAL_DATA]
            segment.flags = kept + segment_flags(segment, guard, decided, article_id)


def undecided_in(session: Session, translation: Translation, segments: Iterable[Segment] | None = None,
                 guard: Guard | None = None) -> list[Located]:
    """Blocking findings in the draft's segments (source and target) the article's decisions do not cover."""
    guard = guard or Guard.from_settings()
    decided = decided_fingerprints(session, translation.revision.article_id)
    texts = [pair for segment in (translation.segments if segments is None else segments)
             for pair in segment_texts(segment)]
    return [item for item in screen(texts, guard.policy, guard=guard)
            if item.action == BLOCK and fingerprint(item.finding, guard.key) not in decided]


def refusal(translation: Translation, found: list[Located], doing: str) -> str:
    """The message of an approval or export refused for ``found``: article, segments, what to do."""
    article = translation.revision.article
    listed = "\n".join(f"  - {item.describe()}" for item in found[:20])
    more = f"\n  … and {len(found) - 20} more" if len(found) > 20 else ""
    return (f"translation {translation.id} ({translation.target_lang}) of article {article.id} ({article.slug!r}) "
            f"cannot be {doing}: it carries personal data nobody allowed:\n{listed}{more}\n"
            "For each: " + what_to_do(article.id, first=f"edit the segment to remove or mask it (`gnews-i18n review "
                                                          f"edit {translation.id} SEGMENT \"…\"`)")
            + ", where ID is the finding's id above.")


# --- findings of an article, and allowing one -------------------------------------------------------

@dataclass(frozen=True)
class ArticleFinding:
    located: Located
    status: str  # undecided, allowed, redacted, warning
    decided_by: str | None = None
    decided_at: str | None = None
    reason: str | None = None

    def to_dict(self) -> dict:
        return {**self.located.to_dict(), "status": self.status, "decided_by": self.decided_by,
                "decided_at": self.decided_at, "reason": self.reason}


class FindingError(ValueError):
    """No such article or finding (``status`` 404), or no reason given (422); the message says what to do."""

    def __init__(self, message: str, status: int = 422):
        super().__init__(message)
        self.status = status


def article_findings(session: Session, article_id: int, guard: Guard | None = None) -> list[ArticleFinding]:
    """Every finding in the article's latest revision and in its translations' drafts, each once
    (by identifier), with what was decided about it."""
    guard = guard or Guard.from_settings()
    article = session.get(Article, article_id)
    if article is None:
        raise FindingError(f"no article {article_id}; `gnews-i18n status` lists the articles", 404)
    revision = article.latest
    texts = article_texts(revision.title, revision.blocks, revision.author)
    for translation in revision.translations:
        texts += [(f"{translation.target_lang} {where}", text) for segment in translation.segments
                  for where, text in segment_texts(segment)]
    decisions = {d.fingerprint: d for d in session.scalars(
        select(PrivacyDecision).where(PrivacyDecision.article_id == article_id).order_by(PrivacyDecision.id))}
    found, seen = [], set()
    for item in screen(texts, guard.policy, guard=guard):
        if item.finding_id in seen:
            continue
        seen.add(item.finding_id)
        decision = decisions.get(fingerprint(item.finding, guard.key))
        if decision is not None:
            found.append(ArticleFinding(item, decision.action, decision.decided_by,
                                        decision.decided_at.isoformat(timespec="seconds"), decision.reason))
        else:
            found.append(ArticleFinding(item, "undecided" if item.action == BLOCK else "warning"))
    return found


def allow_finding(session: Session, article_id: int, finding_id: str, reason: str, decided_by: str,
                  guard: Guard | None = None) -> ArticleFinding:
    """Record that a person allowed one finding (that identifier, in this article) and why; the
    drafts' flags are made again. The identifier itself is not stored, only its fingerprint."""
    guard = guard or Guard.from_settings()
    if not (reason or "").strip():
        raise FindingError("allowing personal data needs a reason saying who checked it and why it may be "
                           "published, e.g. --reason \"patient consented in writing\"")
    wanted = finding_id.strip().lower()
    findings = article_findings(session, article_id, guard)
    chosen = next((f for f in findings if f.located.finding_id == wanted), None)
    if chosen is None:
        listed = ", ".join(f"{f.located.finding_id} ({f.located.finding.kind}, {f.status})" for f in findings)
        raise FindingError(f"article {article_id} has no finding {finding_id!r}; its findings: {listed or 'none'} "
                           f"(`gnews-i18n privacy list {article_id}`)", 404)
    if chosen.status in (ALLOWED, "redacted"):
        return chosen
    article = session.get(Article, article_id)
    record(session, article_id, article.latest.number, [chosen.located], guard, ALLOWED, reason.strip(), decided_by)
    refresh_flags(session, [t for t in article.latest.translations if t.state in APPROVABLE], guard)
    return next(f for f in article_findings(session, article_id, guard) if f.located.finding_id == wanted)


__all__ = ["PERSONAL_DATA", "ArticleFinding", "FindingError", "allow_finding",
           "article_findings", "refresh_flags", "refusal", "segment_flags", "undecided_in",
           "what_to_do"]
