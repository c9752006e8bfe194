"""Offline review through gettext PO files (polib), for any PO editor.

Export: one entry per segment; ``msgctxt`` is the segment's position (``title``,
``2.0``), stable for the life of the translation; ``msgid`` the source, ``msgstr``
the current text; ``#.`` comments carry the segment version, glossary terms and QA
flags; ``fuzzy`` marks what is not approved yet. The header names the translation
and the source revision.

Import is all or nothing: every entry is checked first (known context, unchanged
source, same translation and revision, nobody changed the segment meanwhile) and
only a clean file is applied. Clearing ``fuzzy`` approves a segment; a changed
``msgstr`` is an edit, checked again by QA.
"""

from __future__ import annotations

import codecs
import re

import polib
from babel.core import UnknownLocaleError
from babel.messages.plurals import get_plural
from sqlalchemy.orm import Session

from gnews_i18n import __version__
from gnews_i18n.review.actions import get_translation, position
from gnews_i18n.review.units import (
    SEGMENT_NOTE,
    ReviewFile,
    ReviewImportError,
    ReviewImportResult,
    ReviewUnit,
    apply_review,
    segment_note,
)
from gnews_i18n.states import SegmentState
from gnews_i18n.store.models import Translation, utcnow

HEADER_ID = "X-Gnews-Translation-Id"
HEADER_REVISION = "X-Gnews-Source-Revision"
HEADER_ARTICLE = "X-Gnews-Article"


# The PO names of the shared import machinery (``review.units``), kept for callers.
PoImportError = ReviewImportError
PoImportResult = ReviewImportResult


def _plural_forms(lang: str) -> str:
    try:
        return str(get_plural(lang))
    except UnknownLocaleError:
        return "nplurals=2; plural=(n != 1);"


def export_po(translation: Translation) -> str:
    revision = translation.revision
    article = revision.article
    po = polib.POFile(wrapwidth=78)
    now = utcnow().strftime("%Y-%m-%d %H:%M+0000")
    po.metadata = {
        "Project-Id-Version": f"gnews-i18n {__version__}",
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": revision.created_at.strftime("%Y-%m-%d %H:%M+0000"),
        "PO-Revision-Date": now,
        "Last-Translator": translation.approved_by or "gnews-i18n machine translation",
        "Language-Team": f"gnews-i18n {translation.target_lang}",
        "Language": translation.target_lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": _plural_forms(translation.target_lang),
        HEADER_ID: str(translation.id),
        HEADER_ARTICLE: article.slug,
        HEADER_REVISION: str(revision.number),
        "X-Gnews-Source-Language": article.source_lang,
    }
    po.header = (f"{article.slug} (revision {revision.number}), {article.source_lang} → {translation.target_lang}.\n"
                 "Clear the fuzzy flag to approve a segment; edit msgstr to correct it. Keep msgctxt and msgid.")
    for segment in translation.segments:
        notes = [segment_note(segment.id, segment.version, segment.state)]
        notes += [f"term: {t.get('source')} → {t.get('target')}" for t in segment.terms or []]
        notes += [f"{f.get('severity')} {f.get('id')}: {f.get('message')}" for f in segment.flags or []]
        po.append(polib.POEntry(
            msgctxt=position(segment), msgid=segment.source_text, msgstr=segment.text,
            comment="\n".join(notes),
            flags=[] if segment.state == SegmentState.APPROVED else ["fuzzy"],
        ))
    return str(po) + "\n"


def _parse(data: bytes | str, name: str) -> tuple[polib.POFile, str]:
    """The parsed file and its text (for the lines polib does not keep, such as the header's)."""
    if isinstance(data, bytes):
        text = _decode(data, name)
    else:
        text = data.removeprefix("\ufeff")
    if not text.strip():
        raise PoImportError(name, [f"{name}: the file is empty"])
    unterminated = _unterminated_strings(text, name)
    if unterminated:  # polib would read past them silently
        raise PoImportError(name, unterminated)
    try:
        return polib.pofile(text, encoding="utf-8"), text
    except (OSError, ValueError) as error:
        found = re.search(r"line (\d+)", str(error))
        where = f"{name}:{found.group(1)}" if found else name
        raise PoImportError(name, [f"{where}: not a valid PO file ({error})"]) from None


# The header's Content-Type, in ASCII in every charset a PO file may declare (Latin-1 family, EUC-KR, CP949 …).
_CHARSET = re.compile(rb'"Content-Type:[^"]*charset=([A-Za-z0-9_.:-]+)')


def _decode(data: bytes, name: str) -> str:
    """The file's text, in the charset its header declares (UTF-8 when it declares none)."""
    if data.startswith(b"\xef\xbb\xbf"):  # some editors on Windows write a BOM
        data, charset, found = data[3:], "utf-8", None
    else:
        second = data.find(b"\nmsgid ", data.find(b"msgid ") + 1)  # the header is the first entry
        found = _CHARSET.search(data if second < 0 else data[:second])
        charset = found.group(1).decode("ascii") if found else "utf-8"
        if charset.upper() == "CHARSET":  # a template's placeholder
            charset = "utf-8"
    try:
        codecs.lookup(charset)
    except LookupError:
        raise PoImportError(name, [f"{name}: the header declares charset={charset}, which is not a known "
                                   "encoding; declare UTF-8 and save the file as UTF-8"]) from None
    try:
        return data.decode(charset)
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        declared = f"{charset} as its header declares" if found else "UTF-8 (the header declares no charset)"
        raise PoImportError(name, [f"{name}:{line}: not {declared} (byte {error.start}); save the file in its "
                                   "declared charset, or as UTF-8"]) from None


_KEYWORD_LINE = re.compile(r'^(?:#~\s*)?(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)?\s*(".*)$')
_QUOTED = re.compile(r'^"(?:[^"\\]|\\.)*"\s*$')


def _unterminated_strings(text: str, name: str) -> list[str]:
    problems = []
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped or (stripped.startswith("#") and not stripped.startswith("#~")):
            continue
        match = _KEYWORD_LINE.match(stripped)
        if match and not _QUOTED.match(match.group(1)):
            problems.append(f"{name}:{number}: unterminated or malformed string: {stripped[:60]}")
    return problems


def declared_id(data: bytes | str, name: str) -> int:
    """The translation id a PO file's header names (PoImportError when it names none)."""
    return _review_file(data, name).translation_id()


def _review_file(data: bytes | str, name: str) -> ReviewFile:
    po, text = _parse(data, name)
    header_line = next((number for number, line in enumerate(text.splitlines(), 1)
                        if line.startswith(f'"{HEADER_ID}:')), 0)
    units = []
    for entry in po:
        if entry.obsolete:
            continue
        note = next((m for line in entry.comment.splitlines() if (m := SEGMENT_NOTE.match(line))), None)
        units.append(ReviewUnit(
            key=entry.msgctxt or "", source=entry.msgid, target=entry.msgstr, approved="fuzzy" not in entry.flags,
            line=entry.linenum, segment_id=int(note.group(1)) if note else None,
            version=int(note.group(2)) if note else None))
    return ReviewFile(name, (po.metadata.get(HEADER_ID) or "").strip(), (po.metadata.get(HEADER_REVISION) or ""),
                      units, header_line=header_line)


def import_po(
    session: Session, data: bytes | str, name: str, reviewer: str, *,
    translation_id: int | None = None, glossary=None,
) -> PoImportResult:
    """Apply a reviewed PO file; raises PoImportError (nothing applied) listing every problem.
    A file whose msgctxt were dropped on the way (po2xliff → xliff2po) is matched by the
    segment named in each entry's ``#.`` comment."""
    return apply_review(session, _review_file(data, name), reviewer, translation_id=translation_id,
                        glossary=glossary)


def export_for(session: Session, translation_id: int) -> str:
    return export_po(get_translation(session, translation_id))
