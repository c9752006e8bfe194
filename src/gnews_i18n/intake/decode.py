"""Bytes to text: UTF-8 (with or without BOM), then CP949/EUC-KR, else a clear error."""

from __future__ import annotations

from gnews_i18n.intake.article import IntakeError
from gnews_i18n.languages import hangul_share


def decode_text(data: bytes, name: str = "<input>") -> str:
    if not data.strip():
        raise IntakeError(f"{name}: the file is empty; submit an article with a title and body text")
    if b"\x00" in data[:4096]:
        raise IntakeError(f"{name}: this looks like a binary file (it contains NUL bytes), not an article")
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
    _reject_control_characters(text, name)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _reject_control_characters(text: str, name: str) -> None:
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > max(4, len(text) // 200):
        raise IntakeError(
            f"{name}: the text has {controls} control characters; this looks like binary data, not an article"
        )
