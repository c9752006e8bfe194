"""Rendering editions: article pages, paginated indexes, RSS 2.0, Atom, sitemaps.

Everything goes through autoescaping Jinja2 templates (HTML and XML alike); block text
is additionally cleaned with nh3, which keeps a few inline tags (links, emphasis) and
drops scripts, event handlers, ``javascript:`` URLs and iframes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from email.utils import format_datetime
from html import escape as html_escape
from importlib import resources
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

import nh3
from babel.dates import format_date
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, select_autoescape
from markupsafe import Markup

from gnews_i18n import __version__
from gnews_i18n.languages import endonym, name_in
from gnews_i18n.markup import INLINE_TAGS

# What intake keeps, plus a few harmless tags a publisher's own text may carry.
RENDERED_TAGS = INLINE_TAGS | {"br", "sup", "sub", "abbr", "code"}
FEED_SIZE = 20
SITEMAP_SHARD = 1000  # articles per sitemap file; a change rewrites one shard and the sitemap index

MT_NOTE = {
    "ko": "기계 번역 후 {lang} 담당 편집자가 {date}에 검수했습니다.",
    "en": "Machine-translated, reviewed by the {lang} desk on {date}.",
    "ru": "Машинный перевод, проверен редакцией ({lang}) {date}.",
    "uz": "Mashina tarjimasi, {lang} tahririyati tomonidan {date} tekshirilgan.",
    "mn": "Машин орчуулга, {lang} редакц {date}-нд хянасан.",
}


def clean_inline(text: str) -> Markup:
    """Block text as safe HTML: plain text is escaped, a few inline tags survive, nothing active does."""
    return Markup(nh3.clean(text, tags=RENDERED_TAGS, attributes={"a": {"href", "title"}, "abbr": {"title"}},
                            url_schemes={"http", "https", "mailto"}, link_rel="noopener"))


def feed_description(entry: Entry) -> str:
    """An RSS ``<description>`` as HTML that shows the text and runs nothing.

    Readers render an RSS description as HTML once the XML escaping is undone, so the text is
    HTML-escaped here and XML-escaped again by the template: a title, summary or correction note
    holding ``<script>`` or ``<img onerror=…>`` reaches the reader as those characters, not as
    markup. (Atom summaries are ``type="text"`` and need nothing more.)
    """
    text = f"{entry.correction} {entry.summary}" if entry.correction else entry.summary
    return html_escape(text, quote=False)


def localized_date(date: dt.date | None, lang: str) -> str:
    if date is None:
        return ""
    try:
        return format_date(date, format="long", locale=lang)
    except Exception:  # a language Babel lacks: ISO is still readable
        return date.isoformat()


def sentence(text: str) -> str:
    """One full stop at the end: a date ending in an abbreviation ("2023 г.") before the
    template's own full stop would otherwise read "г.."."""
    return text[:-1] if text.endswith("..") else text


def mt_note(lang: str, reviewed_on: dt.datetime | None) -> str:
    template = MT_NOTE.get(lang, MT_NOTE["en"])
    return sentence(template.format(lang=name_in(lang, lang),
                                    date=localized_date(reviewed_on.date() if reviewed_on else None, lang)))


@dataclass(frozen=True)
class Entry:
    """One live edition as indexes, feeds and the sitemap see it."""
    article_id: int
    slug: str
    lang: str
    title: str
    date: dt.date | None
    published_at: dt.datetime
    summary: str
    correction: str = ""  # the newest correction notice, in the entry's language

    @property
    def sort_key(self) -> tuple:
        # Newest date first; within a day the later article first. Not the publication time:
        # a corrected article keeps its place (and the index pages around it stay as they are).
        return (self.date or dt.date.min, self.article_id)


def digest(*parts) -> str:
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()

class Renderer:
    def __init__(self, site_url: str, template_dir: Path | None = None, page_size: int = 20):
        loaders = [PackageLoader("gnews_i18n.publish", "templates")]
        if template_dir is not None:
            loaders.insert(0, FileSystemLoader(str(template_dir)))
        self.env = Environment(loader=ChoiceLoader(loaders),
                               autoescape=select_autoescape(["html", "xml"], default=True),
                               trim_blocks=True, lstrip_blocks=True)
        self.env.filters["inline"] = clean_inline
        self.site_url = site_url.rstrip("/")
        self.env.globals["subscribe_url"] = f"{self.site_url}/subscribe"  # publish/templates/_subscribe.html
        self.page_size = page_size
        # Any change of templates or of this program changes every output's key: a full re-render.
        self.stamp = digest(__version__, self._template_fingerprint(template_dir))

    @staticmethod
    def _template_fingerprint(template_dir: Path | None) -> str:
        parts = []
        for folder in [resources.files("gnews_i18n.publish") / "templates", template_dir]:
            if folder is None or not Path(str(folder)).is_dir():
                continue
            for path in sorted(Path(str(folder)).glob("*")):
                parts.append((path.name, path.read_bytes()))
        return digest(parts)

    def url(self, lang: str, name: str) -> str:
        return f"{self.site_url}/{lang}/{name}"

    # Article pages -----------------------------------------------------------------------
    def article(self, *, lang: str, slug: str, title: str, blocks, date, author, note: str,
                alternates: list[str], corrections: list[str] = ()) -> str:
        return self.env.get_template("article.html").render(
            lang=lang, title=title, corrections=list(corrections), blocks=blocks,
            date=localized_date(date, lang), iso_date=date.isoformat() if date else "",
            author=author, note=note, canonical=self.url(lang, f"{slug}.html"),
            alternates=[(code, endonym(code), f"../{code}/{slug}.html", self.url(code, f"{slug}.html"))
                        for code in alternates if code != lang],
            feed=f"{self.site_url}/{lang}/feed.xml",
        )

    # Indexes ------------------------------------------------------------------------------
    @staticmethod
    def index_name(page: int) -> str:
        return "index.html" if page == 1 else f"page-{page}.html"

    def index_pages(self, lang: str, entries: list[Entry], languages: list[str] = ()
                    ) -> list[tuple[str, str, callable]]:
        """(relative path, input key, render) per index page of ``lang``; ``entries`` newest first;
        ``languages``: every language with a live edition (the switcher's)."""
        pages = max(1, -(-len(entries) // self.page_size))
        others = [code for code in languages if code != lang]
        out = []
        for page in range(1, pages + 1):
            chunk = entries[(page - 1) * self.page_size: page * self.page_size]
            key = digest(self.stamp, "index", lang, page, pages,
                         [(e.slug, e.title, e.date) for e in chunk], *([others] if others else []))
            out.append((f"{lang}/{self.index_name(page)}", key,
                        lambda chunk=chunk, page=page, pages=pages: self._index(lang, chunk, page, pages, others)))
        return out

    def landing(self, languages: list[str]) -> tuple[str, str, callable]:
        """The site's front door, ``index.html``: a link to each language's index."""
        links = [(code, endonym(code), f"{code}/index.html") for code in languages]
        return ("index.html", digest(self.stamp, "landing", languages),
                lambda: self.env.get_template("landing.html").render(lang="mul", languages=links,
                                                                       canonical=f"{self.site_url}/"))

    def _index(self, lang: str, chunk: list[Entry], page: int, pages: int, others: list[str] = ()) -> str:
        return self.env.get_template("index.html").render(
            lang=lang, language=endonym(lang), page=page, pages=pages,
            alternates=[(code, endonym(code), f"../{code}/index.html", self.url(code, "index.html"))
                        for code in others],
            entries=[{"title": e.title, "href": f"{e.slug}.html", "date_text": localized_date(e.date, lang),
                      "iso_date": e.date.isoformat() if e.date else ""} for e in chunk],
            previous=self.index_name(page - 1) if page > 1 else None,
            next=self.index_name(page + 1) if page < pages else None,
            canonical=self.url(lang, self.index_name(page)), feed=f"{self.site_url}/{lang}/feed.xml",
        )

    # Feeds --------------------------------------------------------------------------------
    def feeds(self, lang: str, entries: list[Entry]) -> list[tuple[str, str, callable]]:
        latest = entries[:FEED_SIZE]
        key = digest(self.stamp, "feed", lang, [(e.slug, e.title, e.date, e.published_at, e.summary)
                                                 + ((e.correction,) if e.correction else ()) for e in latest])
        items = [{"title": e.title, "link": self.url(lang, f"{e.slug}.html"), "summary": e.summary,
                  "correction": e.correction, "description": feed_description(e),
                  "id": f"{self.site_url}/{lang}/{e.slug}.html",
                  "rfc822": format_datetime(e.published_at.replace(tzinfo=dt.UTC)),
                  "rfc3339": e.published_at.replace(tzinfo=dt.UTC).isoformat().replace("+00:00", "Z")}
                 for e in latest]
        updated = max((e.published_at for e in latest), default=dt.datetime(2000, 1, 1))
        context = {"lang": lang, "language": endonym(lang), "items": items,
                   "home": self.url(lang, "index.html"), "rss_url": self.url(lang, "feed.xml"),
                   "atom_url": self.url(lang, "atom.xml"),
                   "updated_rfc822": format_datetime(updated.replace(tzinfo=dt.UTC)),
                   "updated_rfc3339": updated.replace(tzinfo=dt.UTC).isoformat().replace("+00:00", "Z")}
        return [(f"{lang}/feed.xml", key, lambda: self.env.get_template("rss.xml").render(**context)),
                (f"{lang}/atom.xml", key, lambda: self.env.get_template("atom.xml").render(**context))]

    # Sitemaps -----------------------------------------------------------------------------
    def sitemaps(self, entries: list[Entry]) -> list[tuple[str, str, callable]]:
        """Shards of SITEMAP_SHARD articles (every language version with its hreflang
        alternates), and the sitemap index that lists them."""
        by_article: dict[int, list[Entry]] = {}
        for entry in entries:
            by_article.setdefault(entry.article_id, []).append(entry)
        ids = sorted(by_article)
        outputs, shards = [], []
        for start in range(0, len(ids), SITEMAP_SHARD):
            group = [sorted(by_article[i], key=lambda e: e.lang) for i in ids[start:start + SITEMAP_SHARD]]
            name = f"sitemap-{start // SITEMAP_SHARD + 1:04d}.xml"
            key = digest(self.stamp, "sitemap", [[(e.slug, e.lang, e.published_at.date()) for e in g]
                                                 for g in group])
            lastmod = max(e.published_at for g in group for e in g).date().isoformat()
            shards.append((name, lastmod))
            outputs.append((name, key, lambda group=group: self._sitemap(group)))
        index_key = digest(self.stamp, "sitemap-index", shards)
        outputs.append(("sitemap.xml", index_key, lambda: self._sitemap_index(shards)))
        return outputs

    def _sitemap(self, groups: list[list[Entry]]) -> str:
        lines = ['<?xml version="1.0" encoding="UTF-8"?>',
                 '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                 'xmlns:xhtml="http://www.w3.org/1999/xhtml">']
        for group in groups:
            links = [f'<xhtml:link rel="alternate" hreflang="{e.lang}" '
                     f'href={quoteattr(self.url(e.lang, e.slug + ".html"))}/>' for e in group] if len(group) > 1 else []
            for entry in group:
                lines.append(f"<url><loc>{xml_escape(self.url(entry.lang, entry.slug + '.html'))}</loc>"
                             f"<lastmod>{entry.published_at.date().isoformat()}</lastmod>{''.join(links)}</url>")
        lines.append("</urlset>")
        return "\n".join(lines) + "\n"

    def _sitemap_index(self, shards: list[tuple[str, str]]) -> str:
        lines = ['<?xml version="1.0" encoding="UTF-8"?>',
                 '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
        lines += [f"<sitemap><loc>{xml_escape(self.site_url + '/' + name)}</loc><lastmod>{lastmod}</lastmod></sitemap>"
                  for name, lastmod in shards]
        lines.append("</sitemapindex>")
        return "\n".join(lines) + "\n"
