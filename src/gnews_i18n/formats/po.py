"""Gettext PO files (polib): units read and written, in the charset the header declares.

Reading takes bytes in any charset a PO header may declare (UTF-8 when it declares
none; a BOM is dropped) and refuses what polib would read past silently (an
unterminated string), each problem with its line. Obsolete entries (``#~``) are left
out. A unit's ``key`` is its ``msgctxt``, ``flags`` its ``#,`` flags, ``notes`` its
``#.`` comment lines; the header's fields are the file's ``header``.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable

import polib
from babel.core import UnknownLocaleError
from babel.messages.plurals import get_plural

from gnews_i18n.formats.base import FormatError, FormatProblem, Unit, UnitFile

__all__ = ["HEADER_ARTICLE", "HEADER_ID", "HEADER_REVISION", "plural_forms", "read_po", "write_po"]

# The desk's own header fields: the translation a file belongs to, its article and source revision.
HEADER_ID = "X-Gnews-Translation-Id"
HEADER_REVISION = "X-Gnews-Source-Revision"
HEADER_ARTICLE = "X-Gnews-Article"


def plural_forms(lang: str) -> str:
    """The ``Plural-Forms`` header of ``lang`` (English's rule for a language babel does not know)."""
    try:
        return str(get_plural(lang))
    except UnknownLocaleError:
        return "nplurals=2; plural=(n != 1);"


def write_po(header: dict[str, str], comment: str, units: Iterable[Unit]) -> str:
    """A UTF-8 PO file: ``header`` as its metadata, ``comment`` above it, one entry per unit."""
    po = polib.POFile(wrapwidth=78)
    po.metadata = dict(header)
    po.header = comment
    for unit in units:
        po.append(polib.POEntry(msgctxt=unit.key or None, msgid=unit.source, msgstr=unit.target,
                                comment="\n".join(unit.notes), flags=list(unit.flags)))
    return str(po) + "\n"


def read_po(data: bytes | str, name: str) -> UnitFile:
    """The units of a PO file (obsolete entries left out), or FormatError listing every problem."""
    po, text = _parse(data, name)
    units = [Unit(source=entry.msgid, target=entry.msgstr, key=entry.msgctxt or "", flags=list(entry.flags),
                  notes=entry.comment.splitlines(), line=entry.linenum)
             for entry in po if not entry.obsolete]
    lines = {}  # polib keeps no line for header fields; an error about one should name it
    for number, line in enumerate(text.splitlines(), 1):
        field_name = _HEADER_FIELD.match(line)
        if field_name and field_name.group(1) in po.metadata:
            lines.setdefault(field_name.group(1), number)
    return UnitFile(name, units, dict(po.metadata), header_lines=lines)


_HEADER_FIELD = re.compile(r'^"([A-Za-z][\w-]*):')


def _parse(data: bytes | str, name: str) -> tuple[polib.POFile, str]:
    """The parsed file and its text (for the lines polib does not keep, such as the header's)."""
    if isinstance(data, bytes):
        text = _decode(data, name)
    else:
        text = data.removeprefix("\ufeff")
    if not text.strip():
        raise FormatError(FormatProblem(name, 0, "the file is empty"))
    unterminated = _unterminated_strings(text, name)
    if unterminated:  # polib would read past them silently
        raise FormatError(unterminated)
    try:
        return polib.pofile(text, encoding="utf-8"), text
    except (OSError, ValueError) as error:
        found = re.search(r"line (\d+)", str(error))
        raise FormatError(FormatProblem(name, int(found.group(1)) if found else 0,
                                        f"not a valid PO file ({error})")) from None


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
        raise FormatError(FormatProblem(name, 0, f"the header declares charset={charset}, which is not a known "
                                                 "encoding; declare UTF-8 and save the file as UTF-8")) from None
    try:
        return data.decode(charset)
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        declared = f"{charset} as its header declares" if found else "UTF-8 (the header declares no charset)"
        raise FormatError(FormatProblem(name, line, f"not {declared} (byte {error.start}); save the file in its "
                                                    "declared charset, or as UTF-8")) from None


_KEYWORD_LINE = re.compile(r'^(?:#~\s*)?(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)?\s*(".*)$')
_QUOTED = re.compile(r'^"(?:[^"\\]|\\.)*"\s*$')


def _unterminated_strings(text: str, name: str) -> list[FormatProblem]:
    problems = []
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped or (stripped.startswith("#") and not stripped.startswith("#~")):
            continue
        match = _KEYWORD_LINE.match(stripped)
        if match and not _QUOTED.match(match.group(1)):
            problems.append(FormatProblem(name, number, f"unterminated or malformed string: {stripped[:60]}"))
    return problems
