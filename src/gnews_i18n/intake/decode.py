"""Bytes to text: UTF-16/32 with a BOM, UTF-8 (with or without BOM), then CP949/EUC-KR, else a clear error."""

from __future__ import annotations

import codecs

from gnews_i18n.intake.article import IntakeError
from gnews_i18n.languages import hangul_share


def decode_text(data: bytes, name: str = "<input>") -> str:
    if not data.strip():
        raise IntakeError(f"{name}: the file is empty; submit an article with a title and body text")
    text = _by_bom(data, name)
    if text is not None:
        return _finish(text, name)
    if b"\x00" in data:
        where = data.index(b"\x00")
        raise IntakeError(f"{name}: this looks like a binary file (a NUL byte at offset {where}), not an article; "
                          "save it as UTF-8 text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as utf8_error:
        # CP949 is a superset of EUC-KR, the usual encoding of older Korean sources.
        try:
            text = data.decode("cp949")
        except UnicodeDecodeError:
            raise IntakeError(
                f"{name}: cannot decode the text: not UTF-8 (invalid byte 0x{data[utf8_error.start]:02x} "
                f"at offset {utf8_error.start}) and not CP949/EUC-KR either. "
                "Save the file as UTF-8 and submit it again."
            ) from None
        if hangul_share(text) < 0.2:
            raise IntakeError(
                f"{name}: not valid UTF-8 (invalid byte 0x{data[utf8_error.start]:02x} at offset "
                f"{utf8_error.start}), and read as CP949 it is not Korean text. "
                "Save the file as UTF-8 and submit it again."
            ) from None
    return _finish(text, name)


# UTF-32 first: its little-endian BOM starts with UTF-16's.
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _by_bom(data: bytes, name: str) -> str | None:
    """Text whose byte-order mark says UTF-16 or UTF-32 (Windows editors save 'Unicode' so)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as error:
                raise IntakeError(f"{name}: starts with a {encoding.upper()} byte-order mark but is not valid "
                                  f"{encoding.upper()} (at offset {error.start}); save it as UTF-8") from None
    return None


def _finish(text: str, name: str) -> str:
    text = text.removeprefix("\ufeff")
    if "\x00" in text:
        raise IntakeError(f"{name}: the text contains a NUL character (at character {text.index(chr(0))}); "
                          "this looks like binary data, not an article")
    if not text.strip():
        raise IntakeError(f"{name}: the file is empty; submit an article with a title and body text")
    _reject_control_characters(text, name)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _reject_control_characters(text: str, name: str) -> None:
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > max(4, len(text) // 200):
        raise IntakeError(
            f"{name}: the text has {controls} control characters; this looks like binary data, not an article"
        )
