"""Longer known names shadow the terms inside them.

A known name — the publication's own (*Medical Gyeonggi e-News*, 메디컬경기 e-뉴스), an
institution, a programme, a person — is one unit: the glossary's "Gyeonggi" inside it is no
place to enforce or check. Matching settles this by leftmost-longest (``matcher``), once the
publication's name is among the terms; in a translation, a forbidden or outdated form that
lies inside a longer approved form (Kyonggi in "Kyonggi University") is part of that name,
not an error.
"""

from __future__ import annotations

from collections.abc import Iterable

from gnews_i18n.publication import PublicationError, load_publication
from gnews_i18n.terms.glossary import Term

PUBLICATION_ID = "publication"


def publication_term(src: str, tgt: str) -> Term | None:
    """The publication's name as a term from ``src`` to ``tgt``: its name in ``tgt``, or, where the
    publication has none in that language, the name kept as the source writes it. None when the
    publication file cannot be read (the site and the mail refuse it with the reason)."""
    try:
        publication = load_publication()
    except PublicationError:
        return None
    names = publication.names
    source = names.get(src) or publication.name(src)
    others = [name for lang, name in names.items() if lang != src and name != source]
    forms = {src: source, tgt: names[tgt]} if names.get(tgt) else {src: source}
    return Term(forms, "other", id=PUBLICATION_ID, variants={src: others}, do_not_translate=tgt not in forms,
                note="the publication's own name")


def known_spans(text: str, forms: Iterable[str]) -> list[tuple[int, int]]:
    """Where the approved forms ``forms`` stand in ``text`` (case folded)."""
    folded = text.casefold()
    spans = []
    for form in {f.casefold() for f in forms if f}:
        start = folded.find(form)
        while start >= 0:
            spans.append((start, start + len(form)))
            start = folded.find(form, start + 1)
    return spans


def shadowed(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """Whether ``start:end`` lies inside a longer known name's span."""
    return any(s <= start and end <= e and e - s > end - start for s, e in spans)


def unshadowed(wrong: str, text: str, spans: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The first place ``wrong`` stands in ``text`` outside every longer known name, or None."""
    folded, needle = text.casefold(), wrong.casefold()
    start = folded.find(needle)
    while start >= 0:
        if not shadowed(start, start + len(needle), spans):
            return start, start + len(needle)
        start = folded.find(needle, start + 1)
    return None
