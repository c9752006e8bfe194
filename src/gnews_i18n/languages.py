"""Language codes the desk knows and source-language detection by script share."""

from __future__ import annotations

import unicodedata

from babel import Locale, UnknownLocaleError

# Source languages editors may submit, and the editions the desk can produce.
SOURCE_LANGUAGES = ("ko", "en")
EDITION_LANGUAGES = ("ko", "en", "ru", "uz", "mn", "vi", "zh", "ja")

# Codes a glossary column may carry (CSV header, TBX xml:lang); "id" is the concept-id column,
# so Indonesian cannot be a glossary language.
GLOSSARY_LANGUAGES = frozenset({"ko", "en", "ru", "uz", "mn", "vi", "zh", "ja", "de", "fr", "es", "kk", "ky", "tg",
                                "tr", "ar", "th", "ms", "hi", "fa", "uk", "pt", "it"})
# Written in the Latin alphabet: a romanized name can be carried through MT as it is.
LATIN_SCRIPT = frozenset({"en", "uz", "vi", "de", "fr", "es", "tr", "id", "ms"})
# Dense scripts: a sentence takes far fewer characters than in Latin or Cyrillic.
DENSE_SCRIPTS = frozenset({"ko", "zh", "ja"})
# Written without spaces between words (or sentences).
UNSPACED = frozenset({"zh", "ja"})
# Languages pysbd splits into sentences by their own rules (others use its English rules).
PYSBD_LANGUAGES = frozenset({"en", "ru", "ja", "zh", "de", "fr", "es", "it", "nl", "pl", "ar", "fa", "hy", "my", "am"})

NAMES = {
    "ko": "Korean", "en": "English", "ru": "Russian", "uz": "Uzbek", "mn": "Mongolian",
    "vi": "Vietnamese", "zh": "Chinese", "ja": "Japanese",
}


def endonym(code: str) -> str:
    """The language's name in itself (한국어, English, русский), for language switchers."""
    try:
        return Locale.parse(code).get_display_name(code) or NAMES.get(code, code)
    except (ValueError, UnknownLocaleError):
        return NAMES.get(code, code)


def name_in(code: str, locale: str) -> str:
    """The name of language ``code`` in language ``locale`` (러시아어 for ru in ko)."""
    try:
        return Locale.parse(locale).languages.get(code) or NAMES.get(code, code)
    except (ValueError, UnknownLocaleError):
        return NAMES.get(code, code)


def is_hangul(ch: str) -> bool:
    code = ord(ch)
    return 0xAC00 <= code <= 0xD7A3 or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F


def hangul_share(text: str) -> float:
    """Share of Hangul among the letters of ``text`` (0.0 when it has no letters)."""
    letters = [ch for ch in text if unicodedata.category(ch).startswith("L")]
    if not letters:
        return 0.0
    return sum(1 for ch in letters if is_hangul(ch)) / len(letters)


def detect_source_language(text: str) -> str | None:
    """``ko`` or ``en`` by Hangul share, or None when the text is too mixed to tell."""
    share = hangul_share(text)
    if share >= 0.4:
        return "ko"
    if share <= 0.05:
        return "en"
    return None
