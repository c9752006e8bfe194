"""Translation memory: approved segments, reused for identical source sentences.

``records`` and ``tmx`` are plain Python (records, keys, TMX on records); ``repository``
keeps them in the database.
"""

from gnews_i18n.memory.records import MemoryRecord, MemorySource, normalize, source_key
from gnews_i18n.memory.repository import SessionMemory, lookup, remember, remember_translation

__all__ = ["MemoryRecord", "MemorySource", "SessionMemory", "lookup", "normalize", "remember",
           "remember_translation", "source_key"]
