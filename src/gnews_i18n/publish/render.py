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
from gnews_i18n.publication import Publication, load_publication
from gnews_i18n.publish.search import particles
from gnews_i18n.publish.wording import words_for

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
    title_lang: str = ""  # the title's language where it is not the entry's (an issue titled only in English)

    @property
    def is_issue(self) -> bool:
        return self.article_id < 0

    @property
    def number(self) -> int:
        """An issue entry's issue number."""
        return -self.article_id

    @property
    def sort_key(self) -> tuple:
        # Newest date first; within a day the later article first. Not the publication time:
        # a corrected article keeps its place (and the index pages around it stay as they are).
        return (self.date or dt.date.min, self.article_id)


def digest(*parts) -> str:
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()

@dataclass(frozen=True)
class Neighbour:
    """A page an article page links to by name: its issue, or the article before or after it there."""
    href: str
    title: str
    lang: str  # the title's language (an issue titled only in English shows that title on a Korean page)


def _text_lang(texts: dict[str, str], lang: str, fallback: str) -> str:
    """The language a publication text shown on a ``lang`` page is in."""
    if lang in texts:
        return lang
    return fallback if fallback in texts else next(iter(texts), lang)


# Files of the site's own, at its root; pages link them relatively, so the site works under any path.
STYLESHEET = "site.css"
SEARCH_SCRIPT = "search.js"
SEARCH_PAGE = "search.html"
ARCHIVE_PAGE = "issues.html"


class Renderer:
    def __init__(self, site_url: str, template_dir: Path | None = None, page_size: int = 20,
                 publication: Publication | None = None):
        self.publication = publication or load_publication()
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
        pub = self.publication
        self.stamp = digest(__version__, self._template_fingerprint(template_dir),
                            pub.names, pub.descriptions, pub.default_lang, pub.logo, pub.colours)

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

    # What every page shares ------------------------------------------------------------------
    def site(self, lang: str, root: str = "../") -> dict:
        """The masthead's and footer's context for a ``lang`` page; ``root``: the way up to the site
        root ("../" from a language's pages, "" from the landing pages at the root)."""
        pub = self.publication
        words, words_lang = words_for(lang)
        to_lang = f"{root}{lang}/" if root == "" else ""  # the landing pages link into the language's folder
        logo = pub.logo if pub.logo.startswith(("http://", "https://", "/")) or not pub.logo else root + pub.logo
        return {
            "name": pub.name(lang), "name_lang": _text_lang(pub.names, lang, pub.default_lang),
            "description": pub.description(lang),
            "description_lang": _text_lang(pub.descriptions, lang, pub.default_lang),
            "logo": logo, "root": root, "home": f"{to_lang}index.html",
            "archive": f"{to_lang}{ARCHIVE_PAGE}", "search": f"{to_lang}{SEARCH_PAGE}",
            "stylesheet": root + STYLESHEET, "words": words, "words_lang": words_lang,
        }

    def assets(self) -> list[tuple[str, str, callable]]:
        """The site's stylesheet (in the publication's colours) and its search script."""
        css = self.env.get_template(STYLESHEET).render(colours=self.publication.colours)
        script = self.env.loader.get_source(self.env, SEARCH_SCRIPT)[0]
        return [(STYLESHEET, digest(self.stamp, "css", css), lambda: css),
                (SEARCH_SCRIPT, digest(self.stamp, "js", script), lambda: script)]

    # Article pages -----------------------------------------------------------------------
    def article(self, *, lang: str, slug: str, title: str, blocks, date, author, note: str,
                alternates: list[str], corrections: list[str] = (), issue: Neighbour | None = None,
                previous: Neighbour | None = None, next: Neighbour | None = None) -> str:
        return self.env.get_template("article.html").render(
            lang=lang, title=title, corrections=list(corrections), blocks=blocks,
            date=localized_date(date, lang), iso_date=date.isoformat() if date else "",
            author=author, note=note, canonical=self.url(lang, f"{slug}.html"),
            alternates=[(code, endonym(code), f"../{code}/{slug}.html", self.url(code, f"{slug}.html"))
                        for code in alternates if code != lang],
            feed=f"{self.site_url}/{lang}/feed.xml", site=self.site(lang),
            issue=issue, previous=previous, next=next,
        )

    def issue(self, *, lang: str, number: int, title: str, title_lang: str, date, items: list[dict],
              alternates: list[str], page: str) -> str:
        """An issue's page: its title in ``lang``, its contents with each article's lead."""
        return self.env.get_template("issue.html").render(
            lang=lang, title=title, title_lang=title_lang, number=number, date=localized_date(date, lang),
            iso_date=date.isoformat(), items=items, canonical=self.url(lang, page),
            alternates=[(code, endonym(code), f"../{code}/{page}", self.url(code, page)) for code in alternates],
            feed=f"{self.site_url}/{lang}/feed.xml", site=self.site(lang))

    # Indexes ------------------------------------------------------------------------------
    @staticmethod
    def index_name(page: int) -> str:
        return "index.html" if page == 1 else f"page-{page}.html"

    @staticmethod
    def _issue_item(entry: Entry, lang: str, prefix: str = "") -> dict:
        return {"number": entry.number, "title": entry.title, "title_lang": entry.title_lang or lang,
                "href": f"{prefix}{entry.slug}.html", "date_text": localized_date(entry.date, lang),
                "iso_date": entry.date.isoformat() if entry.date else "", "summary": entry.summary}

    def index_pages(self, lang: str, entries: list[Entry], languages: list[str] = ()
                    ) -> list[tuple[str, str, callable]]:
        """(relative path, input key, render) per index page of ``lang``; ``entries`` newest first;
        ``languages``: every language with a live edition (the switcher's). The first page (the
        language's home) leads with its latest issue."""
        pages = max(1, -(-len(entries) // self.page_size))
        others = [code for code in languages if code != lang]
        issues = sorted((e for e in entries if e.is_issue), key=lambda e: e.number, reverse=True)
        latest = self._issue_item(issues[0], lang) if issues else None
        out = []
        for page in range(1, pages + 1):
            chunk = entries[(page - 1) * self.page_size: page * self.page_size]
            lead = latest if page == 1 else None
            key = digest(self.stamp, "index", lang, page, pages,
                         [(e.slug, e.title, e.date) for e in chunk], *([others] if others else []),
                         *([lead] if lead else []))
            out.append((f"{lang}/{self.index_name(page)}", key,
                        lambda chunk=chunk, page=page, pages=pages, lead=lead:
                        self._index(lang, chunk, page, pages, others, lead)))
        return out

    def archive(self, lang: str, entries: list[Entry], languages: list[str]) -> tuple[str, str, callable]:
        """``<lang>/issues.html``: every issue live in ``lang``, newest first."""
        items = [self._issue_item(e, lang) for e in sorted((e for e in entries if e.is_issue),
                                                            key=lambda e: e.number, reverse=True)]
        others = [code for code in languages if code != lang]
        return (f"{lang}/{ARCHIVE_PAGE}", digest(self.stamp, "archive", lang, items, others),
                lambda: self.env.get_template("archive.html").render(
                    lang=lang, items=items, site=self.site(lang), canonical=self.url(lang, ARCHIVE_PAGE),
                    alternates=[(code, endonym(code), f"../{code}/{ARCHIVE_PAGE}", self.url(code, ARCHIVE_PAGE))
                                for code in others],
                    feed=f"{self.site_url}/{lang}/feed.xml"))

    def search_page(self, lang: str, languages: list[str]) -> tuple[str, str, callable]:
        """``<lang>/search.html``: the search box and its results, run in the browser by Pagefind."""
        others = [code for code in languages if code != lang]
        return (f"{lang}/{SEARCH_PAGE}", digest(self.stamp, "search", lang, others),
                lambda: self.env.get_template("search.html").render(
                    lang=lang, site=self.site(lang), canonical=self.url(lang, SEARCH_PAGE), particles=particles(lang),
                    alternates=[(code, endonym(code), f"../{code}/{SEARCH_PAGE}", self.url(code, SEARCH_PAGE))
                                for code in others]))

    def landing_lang(self, languages: list[str]) -> str:
        """The language of the root ``index.html``: the publication's default where it is live."""
        default = self.publication.default_lang
        return default if default in languages or not languages else languages[0]

    def landing(self, languages: list[str], entries: list[Entry] = ()) -> list[tuple[str, str, callable]]:
        """The site's front door: ``index.html`` in the default language, and ``index.<lang>.html``
        for each language (what ``gnews-i18n serve`` answers ``/site/`` with, by Accept-Language).
        Each has the masthead, that language's latest issue, every language, the issue archive."""
        outputs = []
        links = [(code, endonym(code), f"{code}/index.html") for code in languages]
        issues = sorted((e for e in entries if e.is_issue), key=lambda e: e.number, reverse=True)
        for lang in languages:
            items = [self._issue_item(e, lang, f"{lang}/") for e in issues if e.lang == lang]
            key = digest(self.stamp, "landing", lang, languages, items)
            def render(lang: str = lang, items: list[dict] = items) -> str:
                return self.env.get_template("landing.html").render(
                    lang=lang, languages=links, latest=items[0] if items else None, items=items,
                    site=self.site(lang, root=""), canonical=f"{self.site_url}/")
            outputs.append((f"index.{lang}.html", key, render))
            if lang == self.landing_lang(languages):
                outputs.insert(0, ("index.html", key, render))
        if not languages:
            outputs.append(("index.html", digest(self.stamp, "landing"),
                            lambda: self.env.get_template("landing.html").render(
                                lang=self.publication.default_lang, languages=[], latest=None, items=[],
                                site=self.site(self.publication.default_lang, root=""),
                                canonical=f"{self.site_url}/")))
        return outputs

    def _index(self, lang: str, chunk: list[Entry], page: int, pages: int, others: list[str] = (),
               latest: dict | None = None) -> str:
        return self.env.get_template("index.html").render(
            lang=lang, language=endonym(lang), page=page, pages=pages, latest=latest, site=self.site(lang),
            alternates=[(code, endonym(code), f"../{code}/index.html", self.url(code, "index.html"))
                        for code in others],
            entries=[{"title": e.title, "href": f"{e.slug}.html", "date_text": localized_date(e.date, lang),
                      "iso_date": e.date.isoformat() if e.date else "", "title_lang": e.title_lang,
                      "is_issue": e.is_issue} for e in chunk],
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
                   "title": f"{self.publication.name(lang)} ({endonym(lang)})",
                   "description": self.publication.description(lang) or self.publication.name(lang),
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
