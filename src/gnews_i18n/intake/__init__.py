"""Intake: turn a submitted file (Markdown, HTML, plain text, JSON) into an article.

``parse_article`` is the one door: it decodes the bytes, picks the parser by
format, checks the result (body present, size within limits, language) and
returns a :class:`ParsedArticle`. Every problem is an :class:`IntakeError` that
names the file and says what to do.
"""

from gnews_i18n.intake.article import Block, IntakeError, ParsedArticle
from gnews_i18n.intake.parse import detect_format, parse_article

__all__ = ["Block", "IntakeError", "ParsedArticle", "detect_format", "parse_article"]
