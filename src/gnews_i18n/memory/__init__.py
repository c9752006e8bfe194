"""Translation memory: approved segments, reused for identical source sentences."""

from gnews_i18n.memory.store import lookup, normalize, remember, remember_translation, source_key

__all__ = ["lookup", "normalize", "remember", "remember_translation", "source_key"]
