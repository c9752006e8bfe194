"""gnews-i18n: a translation desk for a news publisher."""

__version__ = "0.1.0"
