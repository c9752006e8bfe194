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

import re
from dataclasses import dataclass, field

import polib
from babel.core import UnknownLocaleError
from babel.messages.plurals import get_plural
from sqlalchemy.orm import Session

from gnews_i18n import __version__
from gnews_i18n.review.actions import approve_segment, edit_segment, get_translation, position
from gnews_i18n.states import APPROVABLE, SegmentState
from gnews_i18n.store.models import Translation, utcnow

HEADER_ID = "X-Gnews-Translation-Id"
HEADER_REVISION = "X-Gnews-Source-Revision"
HEADER_ARTICLE = "X-Gnews-Article"
_VERSION = re.compile(r"^gnews: segment \d+ version (\d+)")


class PoImportError(ValueError):
    """A PO file that cannot be applied; ``problems`` lists each, nothing was changed."""

    def __init__(self, name: str, problems: list[str]):
        self.problems = problems
        listed = "\n".join(f"  {p}" for p in problems[:50])
        more = f"\n  … and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{name}: {len(problems)} problem(s), nothing was imported:\n{listed}{more}")


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
        notes = [f"gnews: segment {segment.id} version {segment.version} ({segment.state})"]
        notes += [f"term: {t.get('source')} → {t.get('target')}" for t in segment.terms or []]
        notes += [f"{f.get('severity')} {f.get('id')}: {f.get('message')}" for f in segment.flags or []]
        po.append(polib.POEntry(
            msgctxt=position(segment), msgid=segment.source_text, msgstr=segment.text,
            comment="\n".join(notes),
            flags=[] if segment.state == SegmentState.APPROVED else ["fuzzy"],
        ))
    return str(po) + "\n"


@dataclass
class PoImportResult:
    translation_id: int
    edited: list[str] = field(default_factory=list)
    approved: list[str] = field(default_factory=list)
    unchanged: int = 0
    flags: dict[str, list[dict]] = field(default_factory=dict)  # position → QA flags after an edit


def _parse(data: bytes | str, name: str) -> polib.POFile:
    if isinstance(data, bytes):
        if data.startswith(b"\xef\xbb\xbf"):  # some editors on Windows write a BOM
            data = data[3:]
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = data[:error.start].count(b"\n") + 1
            problem = f"{name}:{line}: not UTF-8 (byte {error.start}); save the file as UTF-8"
            raise PoImportError(name, [problem]) from None
    else:
        text = data.removeprefix("\ufeff")
    if not text.strip():
        raise PoImportError(name, [f"{name}: the file is empty"])
    unterminated = _unterminated_strings(text, name)
    if unterminated:  # polib would read past them silently
        raise PoImportError(name, unterminated)
    try:
        return polib.pofile(text, encoding="utf-8")
    except (OSError, ValueError) as error:
        found = re.search(r"line (\d+)", str(error))
        where = f"{name}:{found.group(1)}" if found else name
        raise PoImportError(name, [f"{where}: not a valid PO file ({error})"]) from None


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


def declared_translation(data: bytes | str, name: str) -> int:
    """The translation id a PO file's header names (PoImportError when it names none)."""
    return _header_id(_parse(data, name), name)


def _header_id(po: polib.POFile, name: str) -> int:
    declared = (po.metadata.get(HEADER_ID) or "").strip()
    if not declared.isdigit():
        raise PoImportError(name, [f"{name}: the header has no {HEADER_ID}; import files exported by "
                                   "`gnews-i18n review export`"])
    return int(declared)


def import_po(
    session: Session, data: bytes | str, name: str, reviewer: str, *,
    translation_id: int | None = None, glossary=None,
) -> PoImportResult:
    """Apply a reviewed PO file; raises PoImportError (nothing applied) listing every problem."""
    po = _parse(data, name)
    problems: list[str] = []
    declared = str(_header_id(po, name))
    if translation_id is not None and int(declared) != translation_id:
        raise PoImportError(name, [f"{name}: the file is for translation {declared}, not {translation_id}"])
    translation = session.get(Translation, int(declared))
    if translation is None:
        raise PoImportError(name, [f"{name}: translation {declared} does not exist"])
    revision = translation.revision
    stated = (po.metadata.get(HEADER_REVISION) or "").strip()
    if stated != str(revision.number):
        problems.append(f"{name}: exported from source revision {stated or '?'}, but translation {declared} is of "
                        f"revision {revision.number}; export it again")
    if translation.state not in APPROVABLE:
        newer = " (a newer source revision exists; export its translation)" if translation.state == "outdated" else ""
        problems.append(f"{name}: translation {declared} is {translation.state}{newer}; only drafts in review "
                        "can take an import")
    by_position = {position(s): s for s in translation.segments}
    seen: set[str] = set()
    plan = []
    for entry in po:
        if entry.obsolete:
            continue
        where = f"{name}:{entry.linenum}"
        context = entry.msgctxt or ""
        segment = by_position.get(context)
        if segment is None:
            problems.append(f"{where}: unknown msgctxt {context!r}; this translation has "
                            f"{', '.join(list(by_position)[:5])} …")
            continue
        if context in seen:
            problems.append(f"{where}: msgctxt {context!r} appears twice")
            continue
        seen.add(context)
        if entry.msgid != segment.source_text:
            problems.append(f"{where}: msgid of {context} was changed; the source is {segment.source_text!r}")
            continue
        new_text = entry.msgstr.strip()
        fuzzy = "fuzzy" in entry.flags
        changed = bool(new_text) and new_text != segment.text
        approving = not fuzzy and segment.state != SegmentState.APPROVED
        if not new_text and not fuzzy:
            problems.append(f"{where}: {context} has an empty msgstr but is not fuzzy; translate it or mark it fuzzy")
            continue
        exported = next((int(m.group(1)) for line in entry.comment.splitlines() if (m := _VERSION.match(line))),
                        None)
        if (changed or approving) and exported is not None and exported != segment.version:
            problems.append(f"{where}: {context} was changed at the desk since the export (version {exported} → "
                            f"{segment.version}, now {segment.text!r}); export again and redo it")
            continue
        plan.append((segment, new_text if changed else None, approving))
    if problems:
        raise PoImportError(name, problems)

    result = PoImportResult(translation.id)
    for segment, new_text, approving in plan:
        where = position(segment)
        if new_text is not None:
            edit_segment(session, translation.id, where, new_text, reviewer, segment.version, glossary,
                         action="import")
            result.edited.append(where)
            result.flags[where] = list(segment.flags or [])
        if approving:
            approve_segment(session, translation.id, where, reviewer, segment.version)
            result.approved.append(where)
        if new_text is None and not approving:
            result.unchanged += 1
    return result


def export_for(session: Session, translation_id: int) -> str:
    return export_po(get_translation(session, translation_id))
