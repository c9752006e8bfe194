"""Importing a reviewed file, whatever its format (PO, XLIFF 1.2, XLIFF 2.0): its units applied to a translation.

A reader turns its file into a ``ReviewFile``: the translation and source revision it
declares, and one ``ReviewUnit`` per segment (its key, source, target, whether the
reviewer approved it, the segment version it was exported at, its line). ``apply_review``
then gives every format the same guarantees: every unit is checked first (known
segment, unchanged source, same translation and revision, nobody changed the segment
at the desk meanwhile) and only a clean file is applied, through the desk's own edit
and approve actions (so QA runs again on every changed segment and history records
``import``). Messages use the format's own words (``msgctxt`` or ``id``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from gnews_i18n.review.actions import approve_segment, edit_segment, position
from gnews_i18n.states import APPROVABLE, SegmentState
from gnews_i18n.store.models import Translation

__all__ = ["SEGMENT_NOTE", "ReviewFile", "ReviewImportError", "ReviewImportResult", "ReviewUnit", "Words",
           "apply_review", "segment_note"]

# Written into every export (a PO ``#.`` comment, an XLIFF note) so an import knows the
# segment and its version even after a converter dropped the key (po2xliff drops msgctxt).
SEGMENT_NOTE = re.compile(r"gnews: segment (\d+) version (\d+)")


def ascii_number(text: str) -> bool:
    """Digits 0-9 only: ``str.isdigit()`` also passes "²", which ``int()`` refuses."""
    return text.isascii() and text.isdigit()


def segment_note(segment_id: int, version: int, state: str) -> str:
    return f"gnews: segment {segment_id} version {version} ({state})"


class ReviewImportError(ValueError):
    """A reviewed file that cannot be applied; ``problems`` lists each, nothing was changed."""

    def __init__(self, name: str, problems: list[str]):
        self.problems = problems
        listed = "\n".join(f"  {p}" for p in problems[:50])
        more = f"\n  … and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{name}: {len(problems)} problem(s), nothing was imported:\n{listed}{more}")


@dataclass(frozen=True)
class Words:
    """How a format names the parts of a unit, for messages a reviewer recognizes."""

    key: str = "msgctxt"
    source: str = "msgid"
    target: str = "msgstr"
    unapproved: str = "marked fuzzy"
    tool: str = "`gnews-i18n review export`"
    id_field: str = "X-Gnews-Translation-Id"


@dataclass(frozen=True)
class ReviewUnit:
    key: str  # the segment's position as the file names it ("title", "2.0"); "" when a converter lost it
    source: str
    target: str
    approved: bool
    line: int
    segment_id: int | None = None  # from the "gnews: segment N version M" note
    version: int | None = None


@dataclass
class ReviewFile:
    name: str
    declared_id: str  # the translation id the file names ("" when none)
    revision: str
    units: list[ReviewUnit]
    words: Words = field(default_factory=Words)
    problems: list[str] = field(default_factory=list)  # what the reader could not understand, with lines
    header_line: int = 0  # where the file declares its translation (0: unknown)

    def translation_id(self) -> int:
        declared = self.declared_id.strip()
        where = f"{self.name}:{self.header_line}" if self.header_line else self.name
        if not declared:
            raise ReviewImportError(self.name, [f"{where}: the header has no {self.words.id_field}; import files "
                                                f"exported by {self.words.tool}"])
        if not ascii_number(declared):
            raise ReviewImportError(self.name, [f"{where}: the header's {self.words.id_field} is {declared!r}, not a "
                                                "translation id (digits 0-9); put back the id the export wrote, or "
                                                f"export the translation again with {self.words.tool}"])
        return int(declared)


@dataclass
class ReviewImportResult:
    translation_id: int
    edited: list[str] = field(default_factory=list)
    approved: list[str] = field(default_factory=list)
    unchanged: int = 0
    flags: dict[str, list[dict]] = field(default_factory=dict)  # position → QA flags after an edit


def apply_review(session: Session, file: ReviewFile, reviewer: str, *, translation_id: int | None = None,
                 glossary=None) -> ReviewImportResult:
    """Apply a reviewed file, or raise ReviewImportError (nothing applied) listing every problem."""
    name, words = file.name, file.words
    declared = file.translation_id()
    if translation_id is not None and declared != translation_id:
        raise ReviewImportError(name, [f"{name}: the file is for translation {declared}, not {translation_id}"])
    translation = session.get(Translation, declared)
    if translation is None:
        raise ReviewImportError(name, [f"{name}: translation {declared} does not exist"])
    problems: list[str] = list(file.problems)
    revision = translation.revision
    if file.revision.strip() != str(revision.number):
        problems.append(f"{name}: exported from source revision {file.revision.strip() or '?'}, but translation "
                        f"{declared} is of revision {revision.number}; export it again")
    if translation.state not in APPROVABLE:
        newer = " (a newer source revision exists; export its translation)" if translation.state == "outdated" else ""
        problems.append(f"{name}: translation {declared} is {translation.state}{newer}; only drafts in review "
                        "can take an import")
    by_position = {position(s): s for s in translation.segments}
    by_id = {s.id: s for s in translation.segments}
    seen: set[str] = set()
    plan = []
    for unit in file.units:
        where = f"{name}:{unit.line}"
        segment = by_position.get(unit.key) if unit.key else by_id.get(unit.segment_id or -1)
        if segment is None:
            shown = unit.key if unit.key else f"(none; note names segment {unit.segment_id})"
            problems.append(f"{where}: unknown {words.key} {shown!r}; this translation has "
                            f"{', '.join(list(by_position)[:5])} …")
            continue
        key = position(segment)
        if key in seen:
            problems.append(f"{where}: {words.key} {key!r} appears twice")
            continue
        seen.add(key)
        if unit.source != segment.source_text:
            problems.append(f"{where}: {words.source} of {key} was changed; the source is {segment.source_text!r}")
            continue
        new_text = unit.target.strip()
        changed = bool(new_text) and new_text != segment.text
        approving = unit.approved and segment.state != SegmentState.APPROVED
        if not new_text and unit.approved:
            problems.append(f"{where}: {key} has an empty {words.target} but is not {words.unapproved}; translate "
                            f"it or mark it {words.unapproved.removeprefix('marked ')}")
            continue
        if (changed or approving) and unit.version is not None and unit.version != segment.version:
            problems.append(f"{where}: {key} was changed at the desk since the export (version {unit.version} → "
                            f"{segment.version}, now {segment.text!r}); export again and redo it")
            continue
        plan.append((segment, new_text if changed else None, approving))
    if problems:
        raise ReviewImportError(name, problems)

    result = ReviewImportResult(translation.id)
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
