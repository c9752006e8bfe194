"""Markup helpers for the desk's pages: glossary terms highlighted, word diffs."""

from __future__ import annotations

import difflib
import re

from markupsafe import Markup, escape

_TOKENS = re.compile(r"\s+|[^\s]+")


def highlight(text: str, phrases: list[str], css: str = "term") -> Markup:
    """``text`` escaped, each occurrence of a phrase (longest first) wrapped in <mark>."""
    phrases = sorted({p for p in phrases if p}, key=len, reverse=True)
    if not phrases:
        return escape(text)
    pattern = re.compile("|".join(re.escape(p) for p in phrases))
    out, last = [], 0
    for match in pattern.finditer(text):
        out += [escape(text[last:match.start()]), Markup('<mark class="{}">{}</mark>').format(css, match.group())]
        last = match.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def word_diff(before: str, after: str) -> Markup:
    """What changed from ``before`` to ``after``: <del> and <ins> around words."""
    a, b = _TOKENS.findall(before), _TOKENS.findall(after)
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op in ("delete", "replace"):
            out.append(Markup("<del>{}</del>").format("".join(a[i1:i2])))
        if op in ("insert", "replace"):
            out.append(Markup("<ins>{}</ins>").format("".join(b[j1:j2])))
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
    return Markup("").join(out)
