"""The site's search index: Pagefind, built from the published pages, one index per language.

Pagefind reads each article and issue page (the part marked ``data-pagefind-body``) and writes
a static index under ``pagefind/`` that the browser searches without a server; it splits the
index by each page's ``<html lang>``. Pagefind has no Korean stemmer: ``아주대학교병원을`` is one
word to it, and a reader searching ``아주대학교병원`` (or the query's own particle) would miss it.
So the copy of a Korean page handed to Pagefind (never the published file) carries, hidden at
its end, each word again without its particles (the project's particle list, terms/korean.py);
and the search page strips them from the reader's query (``particles()`` is the list it gets), so
``아주대학교병원에서`` finds ``아주대학교병원을`` too (Pagefind matches word prefixes).

Pagefind's index is not incremental, but it is one index per language: a publish rebuilds the
index of each language whose article or issue pages were written or deleted, keeps the others
(:func:`merge_entry` joins the languages in Pagefind's entry file), and writes only the index
files whose content changed (their names carry content hashes); republishing an unchanged site
builds and writes nothing.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import tempfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from html import escape
from pathlib import Path

from gnews_i18n.terms.korean import ALL_PARTICLES, is_particle_run

INDEX_DIR = "pagefind"
# Pagefind's own search UIs: the site ships its own small script (search.js) instead.
_UNUSED = re.compile(r"^pagefind-(?:ui|modular-ui|component-ui|highlight)\.|^pagefind-ui\.")
_WORD = re.compile(r"[^\s<>]+")
_EDGE = "\"'“”‘’「」『』()[]<>.,!?;:…·~"
_HANGUL = re.compile(r"[가-힣]")
_BODY_END = re.compile(r"</article>|</main>", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]+>")


class SearchIndexError(RuntimeError):
    """Pagefind could not build the index (its binary is missing or failed)."""


def korean_stems(text: str) -> list[str]:
    """The words of ``text`` that end in particles, without them: 아주대학교병원을 → 아주대학교병원."""
    stems: dict[str, None] = {}
    for token in _WORD.findall(text):
        word = token.strip(_EDGE)
        if not _HANGUL.search(word):
            continue
        for cut in range(2, len(word)):
            if is_particle_run(word[cut:]):
                stems[word[:cut]] = None
                break
    return list(stems)


def particles(lang: str) -> str:
    """The particles a search page strips from a query's words, longest first ("" outside Korean)."""
    return " ".join(ALL_PARTICLES) if lang == "ko" else ""


def indexed_copy(html: str, lang: str) -> str:
    """The page as Pagefind should read it: a Korean page with its particle-free words added."""
    if lang != "ko":
        return html
    ends = list(_BODY_END.finditer(html))
    if not ends:
        return html
    match = ends[-1]
    body = html[:match.start()]
    stems = korean_stems(_TAGS.sub(" ", body))
    if not stems:
        return html
    extra = f'<p data-pagefind-weight="0.5">{escape(" ".join(stems))}</p>'
    return html[:match.start()] + extra + html[match.start():]


def is_indexed_page(relpath: str) -> bool:
    """Article and issue pages (``<lang>/<slug>.html``); not indexes, archives, search pages, landing."""
    parts = relpath.split("/")
    if len(parts) != 2 or not parts[1].endswith(".html"):
        return False
    name = parts[1]
    return not (name in ("index.html", "issues.html", "search.html") or re.fullmatch(r"page-\d+\.html", name))


def build_index(pages: Iterable[tuple[str, str]]) -> dict[str, bytes]:
    """``{path under pagefind/: content}`` for the pages ``(relpath, html)``."""
    pages = sorted(pages)
    try:
        asyncio.get_running_loop()
    except RuntimeError:  # the usual case: a worker, the CLI
        runner = asyncio.run
    else:  # called from inside an event loop (a web request): build on a thread of its own
        def runner(coroutine):
            with ThreadPoolExecutor(1) as pool:
                return pool.submit(asyncio.run, coroutine).result()
    try:
        built = runner(_build(pages))
        if pages and not _whole(built):
            # Seen once in a full test run on a busy machine: an empty entry file read back. One more
            # build; a second failure is an error, never an index that would break search.
            built = runner(_build(pages))
            if not _whole(built):
                raise RuntimeError(f"its entry file {ENTRY} came back empty or unreadable twice")
        return built
    except (OSError, RuntimeError) as error:
        raise SearchIndexError(f"Pagefind could not build the search index ({error}); install it with "
                               "`pip install 'pagefind[bin]'`") from error


async def _build(pages: list[tuple[str, str]]) -> dict[str, bytes]:
    from pagefind.index import IndexConfig, PagefindIndex

    # One directory handed over in one call: a call per page costs a round trip to Pagefind's
    # process each (≈0.1 s on a busy machine, 100 s for 900 pages); a directory takes about a second.
    with tempfile.TemporaryDirectory(prefix="gnews-search-") as folder:
        pages_dir, out = Path(folder, "pages"), Path(folder, "index")
        for relpath, html in pages:
            path = pages_dir / relpath
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(indexed_copy(html, relpath.split("/", 1)[0]), encoding="utf-8")
        # Leaving the context writes the index to output_path (its default is ./pagefind, wherever
        # the process runs): here, into this folder, read back below.
        async with PagefindIndex(config=IndexConfig(keep_index_url=True, output_path=str(out))) as index:
            if pages:
                await index.add_directory(path=str(pages_dir), glob="**/*.html")
        return {path.relative_to(out).as_posix(): path.read_bytes() for path in sorted(out.rglob("*"))
                if path.is_file() and not _UNUSED.match(path.relative_to(out).as_posix())}


ENTRY = "pagefind-entry.json"


def _whole(built: dict[str, bytes]) -> bool:
    """Whether Pagefind's output has an entry file that parses (what ``merge_entry`` reads)."""
    try:
        return isinstance(json.loads(built.get(ENTRY, b"")), dict)
    except ValueError:
        return False


def merge_entry(previous: bytes | None, built: bytes, rebuilt: set[str]) -> bytes | None:
    """Pagefind's entry file (its list of language indexes) after rebuilding the languages
    ``rebuilt``: theirs from ``built``, the others kept from ``previous``. None when ``previous``
    was written by another Pagefind version (then every language must be rebuilt)."""
    entry = json.loads(built)
    if previous is not None:
        before = json.loads(previous)
        if before.get("version") != entry.get("version"):
            return None
        kept = {lang: index for lang, index in before.get("languages", {}).items() if lang not in rebuilt}
        entry["languages"] = dict(sorted({**kept, **entry.get("languages", {})}.items()))
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def language_of(name: str) -> str | None:
    """The language an index file belongs to (``fragment/ko_….pf_fragment`` → ko); None for shared files."""
    match = re.match(r"^(?:fragment/|index/|pagefind\.)([a-z]{2,3}(?:-[a-z0-9]+)*)_", name)
    return match.group(1) if match else None


def content_key(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
