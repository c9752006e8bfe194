"""Interchange formats: one module per format, read and written as plain units.

- ``base``: the shared ``Unit`` / ``UnitFile`` and ``FormatProblem`` / ``FormatError`` (``file:line: what``).
- ``xml``: reading XML written by other tools (any encoding, each element with its line).
- ``po``: gettext PO files (polib), in the charset the header declares.
- ``tmx``: TMX 1.4 written, 1.1–1.4 read, one multilingual ``TmxUnit`` per ``tu``.
- ``xliff``: XLIFF 1.2 and 2.0 units written and read (each read unit keeps its XML for its inline codes).
- ``tbx``: TBX 2008 and v3 (ISO 30042) concepts, language sections, terms and data categories.
- ``table``: CSV tables (glossary and registry files), each row with the line it starts on.
- ``inline``: a segment's inline tags as XLIFF inline codes (``<g>``/``<x>``, ``<pc>``/``<ph>``) and back.

A format module knows its file's shape, never the desk: review/, memory/ and terms/ turn
units into segments, memory records and glossary terms.
"""

# The public surface: these modules, imported directly (this package imports none of them).
__all__ = ["base", "inline", "po", "table", "tbx", "tmx", "xliff", "xml"]
