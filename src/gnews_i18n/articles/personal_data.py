"""The privacy guard at the desk's doors: an article carrying personal identifiers is refused at
submit unless a person allows them (with a reason) or has them redacted; the decision is
recorded by fingerprint (never the identifier), and the translation job and publishing check
again that nothing unresolved goes on."""

from __future__ import annotations

import dataclasses

from gnews_i18n.intake.article import IntakeError, ParsedArticle
from gnews_i18n.privacy import BLOCK, PrivacyPolicy, redact
from gnews_i18n.privacy.guard import ALLOWED, REDACTED, Guard, Located, article_texts, record, screen, unresolved


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
            "\"allow_personal_data\": \"REASON\"; the reason and your name are recorded), adding "
            "--allow-finding ID for each finding the reason covers (API: \"allow_findings\": [ID, …]) to allow "
            "only those.",
            field="blocks")


def redacted_article(article: ParsedArticle, policy: PrivacyPolicy) -> ParsedArticle:
    """The article with every blocking finding masked in its title, byline and blocks."""
    def clean(text: str | None) -> str | None:
        if not text:
            return text
        return redact(text, [f for f, action in policy.findings(text) if action == BLOCK])
    blocks = [dataclasses.replace(block, text=clean(block.text)) for block in article.blocks]
    return dataclasses.replace(article, title=clean(article.title), author=clean(article.author), blocks=blocks)


__all__ = ["ALLOWED", "REDACTED", "Guard", "Located", "PersonalDataError", "article_texts", "record",
           "redacted_article", "screen", "unresolved"]
