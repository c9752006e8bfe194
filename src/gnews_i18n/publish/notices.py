"""Correction notices: which corrections an edition carries, and how each reads in its language.

A correction shows in a language once that language's translation of the correcting
revision is approved (the note is one of its segments); the source edition shows the
editor's note itself. The date is the day the correction was submitted, the same in
every edition.
"""

from __future__ import annotations

import datetime as dt

from gnews_i18n.intake.document import CORRECTION_BLOCK
from gnews_i18n.publish.render import localized_date, sentence
from gnews_i18n.store.models import Article, ArticleRevision

CORRECTED = {
    "ko": "{date} 정정: {note}",
    "en": "Corrected on {date}: {note}",
    "ru": "Исправлено {date}: {note}",
    "uz": "{date} tuzatildi: {note}",
    "mn": "{date}-нд залруулсан: {note}",
}


def carried(article: Article, lang: str, shown: ArticleRevision) -> list[dict]:
    """The corrections up to ``shown`` that the ``lang`` edition can show, oldest first:
    ``{"revision", "date", "text"}`` with the note in ``lang``."""
    found = []
    for revision in article.revisions:
        if revision.number > shown.number or not revision.correction:
            continue
        text = revision.correction if lang == article.source_lang else _translated_note(revision, lang)
        if text:
            found.append({"revision": revision.number, "date": revision.created_at.date().isoformat(),
                          "text": text})
    return found


def _translated_note(revision: ArticleRevision, lang: str) -> str | None:
    translation = next((t for t in revision.translations if t.target_lang == lang and t.approved_at is not None),
                       None)
    if translation is None:
        return None
    return next((s.text for s in translation.segments if s.block_index == CORRECTION_BLOCK), None)


def notice(lang: str, correction: dict) -> str:
    """"Corrected on 22 November 2023: …" in ``lang``."""
    date = localized_date(dt.date.fromisoformat(correction["date"]), lang)
    return sentence(CORRECTED.get(lang, CORRECTED["en"]).format(date=date, note=correction["text"]))
