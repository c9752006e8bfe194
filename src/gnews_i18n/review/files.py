"""Review files by format: which one a file is, and export/import through the right module.

The CLI, the API and the web desk go through here, so PO and XLIFF behave the same
everywhere (same checks, same result).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from gnews_i18n.auth import require
from gnews_i18n.auth.permissions import Actor
from gnews_i18n.config import Settings
from gnews_i18n.review import po, xliff
from gnews_i18n.review.access import translation_for
from gnews_i18n.review.actions import get_translation
from gnews_i18n.review.file_import import ReviewImportError, ReviewImportResult
from gnews_i18n.store.models import article_authors
from gnews_i18n.terms import article_terms

FORMATS = ("po", "xliff", "xliff2")


@dataclass(frozen=True)
class Exported:
    text: str
    media_type: str
    filename: str


def format_for(name: str, data: bytes | None = None, requested: str | None = None) -> str:
    """``po``, ``xliff`` (1.2) or ``xliff2``: as requested, else by suffix, else by content."""
    if requested:
        fmt = requested.lower().replace("-", "").replace(".", "")
        fmt = {"xliff12": "xliff", "xlf": "xliff", "xliff20": "xliff2"}.get(fmt, fmt)
        if fmt not in FORMATS:
            raise ReviewImportError(name, [f"format {requested!r}: use one of {', '.join(FORMATS)}"])
        return fmt
    lower = name.lower()
    if lower.endswith((".xlf", ".xliff", ".xlf2", ".xliff2")):
        return "xliff2" if lower.endswith("2") else "xliff"
    if lower.endswith((".po", ".pot")) or data is None:
        return "po"
    head = data[:400].lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n")
    return "xliff" if head.startswith(b"<") else "po"


def export_review(session: Session, translation_id: int, fmt: str = "po") -> Exported:
    translation = get_translation(session, translation_id)
    stem = f"{translation.revision.article.slug}.{translation.target_lang}"
    if fmt == "po":
        return Exported(po.export_po(translation), "text/x-gettext-translation; charset=utf-8", f"{stem}.po")
    version = "2.0" if fmt == "xliff2" else "1.2"
    return Exported(xliff.export_xliff(translation, version), "application/xliff+xml; charset=utf-8",
                    f"{stem}{'.xliff2' if fmt == 'xliff2' else ''}.xlf")


def declared_translation(session: Session, data: bytes, name: str, fmt: str) -> int:
    """The translation a file names (ReviewImportError when it names none)."""
    if fmt == "po":
        return po.declared_id(data, name)
    return xliff.declared_id(session, data, name)


def import_review(session: Session, data: bytes, name: str, reviewer: str, fmt: str, *,
                  translation_id: int | None = None, glossary=None) -> ReviewImportResult:
    """Apply a reviewed file (PO or XLIFF 1.x/2.0): all of it, or ReviewImportError listing every problem."""
    if fmt == "po":
        return po.import_po(session, data, name, reviewer, translation_id=translation_id, glossary=glossary)
    return xliff.import_xliff(session, data, name, reviewer, translation_id=translation_id, glossary=glossary)


def apply_for(session: Session, settings: Settings, translation_id: int, data: bytes, name: str, actor: Actor,
              fmt: str) -> dict:
    """Apply an uploaded PO or XLIFF file as ``actor`` (API and web desk alike): they must be able to
    edit the translation, and to approve it when the file approves segments."""
    translation = translation_for(session, translation_id, actor, "edit_segment")
    glossary = article_terms(settings, translation.revision.glossary)
    result = import_review(session, data, name, actor.name, fmt, translation_id=translation_id, glossary=glossary)
    if result.approved:
        require(actor, "approve", translation.target_lang, article_authors(translation))
    return {"id": translation_id, "edited": result.edited, "approved": result.approved,
            "unchanged": result.unchanged, "flags": result.flags}
