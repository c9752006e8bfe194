"""Pick the parser by format, then check what came out."""

from __future__ import annotations

from pathlib import Path

from gnews_i18n.intake.article import SLUG_RE, ArticleTooLarge, IntakeError, ParsedArticle, slugify
from gnews_i18n.intake.decode import decode_text
from gnews_i18n.intake.html import parse_html
from gnews_i18n.intake.jsonfmt import parse_json
from gnews_i18n.intake.limits import check_article
from gnews_i18n.intake.markdown import parse_markdown
from gnews_i18n.intake.text import parse_text
from gnews_i18n.languages import NAMES, SOURCE_LANGUAGES, detect_source_language, hangul_share

FORMATS = ("markdown", "html", "text", "json")
_SUFFIXES = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html", ".json": "json"}


def detect_format(name: str, text: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix in _SUFFIXES:
        return _SUFFIXES[suffix]
    head = text.lstrip()[:200].lower()
    if head.startswith("---\n"):
        return "markdown"
    if head.startswith(("<!doctype html", "<html", "<article", "<body")):
        return "html"
    if head.startswith("{"):
        return "json"
    return "text"


def parse_article(
    data: bytes,
    name: str = "<input>",
    *,
    lang: str | None = None,
    fmt: str | None = None,
    max_bytes: int = 512 * 1024,
) -> ParsedArticle:
    """Parse and check one submitted article. Raises IntakeError with a message for the editor."""
    if len(data) > max_bytes:
        raise ArticleTooLarge(
            f"{name}: the article is {len(data) / 1024:.0f} KB; the limit is {max_bytes / 1024:.0f} KB. "
            "Split it into several articles, or raise GNEWS_MAX_ARTICLE_BYTES if this is intended."
        )
    text = decode_text(data, name)
    fmt = fmt or detect_format(name, text)
    if fmt not in FORMATS:
        raise IntakeError(f"{name}: unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if fmt == "markdown":
        article = parse_markdown(text, name)
    elif fmt == "html":
        article = parse_html(text, name)
    elif fmt == "json":
        article = parse_json(text, name)
    else:
        article = parse_text(text)
    _check(article, name, declared=lang)
    return article


def _check(article: ParsedArticle, name: str, declared: str | None) -> None:
    check_article(article, name)
    if not article.title:
        raise IntakeError(f"{name}: no title found; give the article a title (first line, or 'title:')")
    if not article.blocks:
        raise IntakeError(
            f"{name}: the article has a title ({article.title[:60]!r}) but no body text; add the body and submit again"
        )
    declared = (declared or article.lang or "").lower() or None
    if declared is not None and declared not in SOURCE_LANGUAGES:
        raise IntakeError(
            f"{name}: source language {declared!r} is not supported; articles are written in "
            + " or ".join(f"{code} ({NAMES[code]})" for code in SOURCE_LANGUAGES)
        )
    sample = article.title + "\n" + article.body_text
    detected = detect_source_language(sample)
    if declared is None:
        if detected is None:
            raise IntakeError(
                f"{name}: cannot tell whether the article is Korean or English "
                f"({hangul_share(sample):.0%} Hangul); declare it with --lang ko or --lang en"
            )
        article.lang = detected
    else:
        if detected is not None and detected != declared:
            raise IntakeError(
                f"{name}: declared language is {declared} ({NAMES[declared]}) but the text is "
                f"{hangul_share(sample):.0%} Hangul, which reads as {NAMES[detected]}; fix the declared language"
            )
        article.lang = declared
    if article.slug is None:
        article.slug = slugify(article.title, article.date)
    elif not SLUG_RE.fullmatch(article.slug):
        raise IntakeError(
            f"{name}: slug {article.slug!r} must be lowercase letters, digits and hyphens (at most 120)", "slug"
        )
