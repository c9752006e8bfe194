"""Publishing: decide what is live, render it, push it to the targets — incrementally.

Every output file has a key: a hash of everything it is rendered from (content, language
links, template and program version). The directory target keeps the keys of what it
holds in a manifest, so a publish renders and writes only the outputs whose key changed:
the article's own pages, the index pages it sits on, the feeds, one sitemap shard and the
sitemap index. A full rebuild is the same walk over every article.
"""

from __future__ import annotations

import html
import json
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from gnews_i18n.config import Settings
from gnews_i18n.intake.article import Block
from gnews_i18n.intake.document import TITLE_BLOCK, TranslatedSentence, assemble
from gnews_i18n.privacy.guard import Guard, article_texts, unresolved
from gnews_i18n.publication import load_publication
from gnews_i18n.publish import search
from gnews_i18n.publish.figures import Figure, lead_figure, page_items, photo_path
from gnews_i18n.publish.files import safe_path
from gnews_i18n.publish.issue_entries import issue_entries
from gnews_i18n.publish.issue_links import article_links, issues_by_article
from gnews_i18n.publish.notices import carried, notice
from gnews_i18n.publish.render import Entry, Renderer, digest, mt_note
from gnews_i18n.publish.targets import DirectoryTarget, DirectoryTransaction, HttpTarget
from gnews_i18n.states import TranslationState
from gnews_i18n.store.db import Database
from gnews_i18n.store.models import Article, ArticleRevision, Edition, Translation, byline, utcnow

PUBLISHABLE = (TranslationState.APPROVED, TranslationState.PUBLISHED)
_TAGS = re.compile(r"<[^>]+>")


class NothingToPublish(RuntimeError):
    """No approved version exists in that language yet."""


class PersonalDataInEdition(NothingToPublish):
    """An edition carries a personal identifier nobody allowed (a reviewer's edit, say): nothing
    of the pass is published."""


@dataclass
class PublishReport:
    written: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    editions: list[tuple[str, str]] = field(default_factory=list)  # (slug, lang) rendered or checked
    sent: int = 0  # webhook deliveries
    search: list[str] = field(default_factory=list)  # search index files written (pagefind/…)
    search_seconds: float = 0.0  # time spent building the search index

    @property
    def changed(self) -> bool:
        return bool(self.written or self.deleted)


@dataclass
class PublishPass:
    """One publishing transaction, handed to each step of the walk: the files it writes, the
    manifest of keys before and after, what it reports, and the webhook payloads it collects."""

    session: Session
    transaction: DirectoryTransaction
    manifest: dict[str, str]
    report: PublishReport = field(default_factory=PublishReport)
    deliveries: list[dict] = field(default_factory=list)
    new_manifest: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.new_manifest = dict(self.manifest)
        self._issues: dict | None = None

    @property
    def issues(self) -> dict:
        """Article id → the newest released issue holding it (read once per pass)."""
        if self._issues is None:
            self._issues = issues_by_article(self.session)
        return self._issues

    def write(self, relpath: str, content: str | bytes, key: str) -> None:
        self.transaction.write(relpath, content)
        self.new_manifest[relpath] = key
        self.report.written.append(relpath)

    def delete(self, relpath: str) -> None:
        self.transaction.delete(relpath)
        self.new_manifest.pop(relpath, None)
        self.report.deleted.append(relpath)

    def index_search(self, root: Path, changed_before: list[str] = ()) -> None:
        """Rebuild the search index of each language whose article or issue pages were written or
        deleted in this pass (or in ``changed_before``, an earlier pass that left the index to this
        one); write the index files whose content changed, delete those no longer part of it."""
        changed = self.transaction.writes + self.transaction.deletes + list(changed_before)
        langs = {p.split("/", 1)[0] for p in changed if search.is_indexed_page(p)}
        if not langs:
            return
        started = time.perf_counter()
        entry = root / search.INDEX_DIR / search.ENTRY
        previous = entry.read_bytes() if entry.exists() and self.manifest.get(str(entry.relative_to(root))) else None
        files = self._build_search(root, langs)
        empty = b'{"version":null,"languages":{}}'  # what Pagefind writes no entry for: no pages left
        if search.ENTRY not in files and previous is not None:
            files[search.ENTRY] = json.dumps({**json.loads(previous), "languages": {}}).encode()
        merged = search.merge_entry(previous, files.get(search.ENTRY, empty), langs)
        if merged is None:  # another Pagefind version wrote the index: rebuild every language
            langs = {p.split("/", 1)[0] for p in self.new_manifest if search.is_indexed_page(p)}
            files = self._build_search(root, langs)
            merged = search.merge_entry(None, files[search.ENTRY], langs)
        files[search.ENTRY] = merged
        wanted = set()
        for name, content in files.items():
            relpath = f"{search.INDEX_DIR}/{name}"
            wanted.add(relpath)
            key = search.content_key(content)
            if self.manifest.get(relpath) != key or not (root / relpath).exists():
                self.transaction.write(relpath, content)
                self.new_manifest[relpath] = key
                self.report.search.append(relpath)
        prefix = f"{search.INDEX_DIR}/"
        for relpath in [p for p in self.new_manifest if p.startswith(prefix) and p not in wanted
                        and search.language_of(p[len(prefix):]) in langs]:
            self.transaction.delete(relpath)
            self.new_manifest.pop(relpath)
        self.report.search_seconds += time.perf_counter() - started

    def _build_search(self, root: Path, langs: set[str]) -> dict[str, bytes]:
        pages = []
        for relpath in self.new_manifest:
            if not search.is_indexed_page(relpath) or relpath.split("/", 1)[0] not in langs:
                continue
            path = self.transaction.staged(relpath) or root / relpath
            if path.exists():
                pages.append((relpath, path.read_text(encoding="utf-8")))
        return search.build_index(pages)

    def finish(self) -> None:
        """Commit when anything changed; otherwise not even the manifest is rewritten."""
        if self.report.changed or self.new_manifest != self.manifest:
            self.transaction.commit(self.new_manifest)
        else:
            self.transaction.abort()


@dataclass(frozen=True)
class _Page:
    """One edition's page as rendered, for its webhook payload."""

    lang: str
    slug: str
    title: str
    author: str | None
    html: str
    live: list[str]
    key: str


def _translation_for(article: Article, lang: str, explicit: bool) -> Translation | None:
    """The newest approved translation into ``lang``; else the one live now (an outdated
    version stays up until its successor is approved); a withdrawn one only on request."""
    states = PUBLISHABLE + ((TranslationState.WITHDRAWN,) if explicit else ())
    for revision in reversed(article.revisions):
        for translation in revision.translations:
            if translation.target_lang == lang and translation.state in states:
                return translation
    live = next((e for e in article.editions if e.lang == lang), None)
    if live is not None and live.translation_id is not None:
        for revision in article.revisions:
            for translation in revision.translations:
                if translation.id == live.translation_id:
                    return translation
    return None


def _languages(article: Article) -> set[str]:
    """Every language the article can be live in now: the source, live editions, approved translations."""
    langs = {article.source_lang} | {e.lang for e in article.editions}
    langs |= {t.target_lang for r in article.revisions for t in r.translations if t.state in PUBLISHABLE}
    return langs


def _summary(blocks: list[Block]) -> str:
    text = next((b.text for b in blocks if b.kind == "paragraph"), blocks[0].text if blocks else "")
    text = html.unescape(_TAGS.sub("", text)).strip()  # block text is markup; a summary is plain text
    return text if len(text) <= 280 else text[:279].rsplit(" ", 1)[0] + "…"


class Publisher:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.directory = DirectoryTarget(settings.publish_dir)
        publication = load_publication()
        # The publication file's site URL serves where GNEWS_SITE_URL is not set.
        site_url = publication.site_url if publication.site_url and not os.environ.get("GNEWS_SITE_URL") \
            else settings.site_url
        self.renderer = Renderer(site_url, settings.template_dir, settings.index_page_size, publication)
        self.webhooks = [HttpTarget(url, settings.webhook_secret()) for url in settings.webhooks]
        self.guard = Guard.from_settings(settings)

    # Entry points -------------------------------------------------------------------------
    def publish_article(self, session: Session, article_id: int, lang: str) -> PublishReport:
        """Publish ``lang`` of one article (NothingToPublish when nothing approved exists), with
        its other live editions refreshed (their language links may change)."""
        article = session.get(Article, article_id)
        if article is None:
            raise NothingToPublish(f"no article {article_id}")
        if lang != article.source_lang and _translation_for(article, lang, explicit=True) is None:
            raise NothingToPublish(f"article {article_id} has no approved {lang} translation to publish")
        return self._run(session, [article], explicit={(article.id, lang)})

    def publish_all(self, session: Session, langs: list[str] | None = None,
                    progress: Callable[[int, int], None] | None = None) -> PublishReport:
        """Every article's live editions (a full rebuild where the output is empty)."""
        articles = list(session.scalars(select(Article).order_by(Article.id).options(
            selectinload(Article.revisions).selectinload(ArticleRevision.translations)
            .selectinload(Translation.segments),
            selectinload(Article.editions),
        )))
        return self._run(session, articles, only_langs=set(langs) if langs else None, progress=progress)

    def publish_articles(self, session: Session, pairs: list[tuple[int, str]], search_index: bool = True
                         ) -> PublishReport:
        """Several (article id, language) editions in one transaction (a newsletter issue's);
        ``search_index=False`` leaves the search index to the caller's next pass (the issue's pages)."""
        ids = sorted({article_id for article_id, _ in pairs})
        articles = [a for a in (session.get(Article, i) for i in ids) if a is not None]
        return self._run(session, articles, explicit=set(pairs), search_index=search_index)

    def unpublish(self, session: Session, article_id: int, langs: list[str] | None = None) -> PublishReport:
        """Take an article out of one, several or all editions; indexes, feeds, sitemap follow."""
        article = session.get(Article, article_id)
        if article is None:
            raise NothingToPublish(f"no article {article_id}")
        removing = [e for e in article.editions if langs is None or e.lang in langs]
        if not removing:
            raise NothingToPublish(f"article {article_id} is not live in {', '.join(langs or ['any language'])}")
        return self._run(session, [article], removals={e.lang for e in removing})

    # The walk -----------------------------------------------------------------------------
    def _run(self, session: Session, articles: list[Article], *, explicit: set | None = None,
             removals: set[str] | None = None, only_langs: set[str] | None = None,
             progress: Callable[[int, int], None] | None = None, search_index: bool = True) -> PublishReport:
        explicit, removals = explicit or set(), removals or set()
        run = self.begin(session)
        touched_langs: set[str] = set()
        try:
            for done, article in enumerate(articles, 1):
                if removals:  # taking editions down publishes nothing new, only refreshes what stays
                    langs = {e.lang for e in article.editions}
                else:
                    langs = _languages(article) | {lang for (aid, lang) in explicit if aid == article.id}
                live = sorted(langs - removals)
                for lang in sorted(removals):
                    self._remove(run, article, lang)
                    touched_langs.add(lang)
                for lang in live:
                    if only_langs and lang not in only_langs:
                        continue
                    if self._edition(run, article, lang, live, (article.id, lang) in explicit):
                        touched_langs.add(lang)
                if progress:
                    progress(done, len(articles))
            session.flush()
            self.lists(run, touched_langs)
            if search_index:
                run.index_search(self.settings.publish_dir)
            for webhook in self.webhooks:
                for payload in run.deliveries:
                    webhook.send(payload)
                    run.report.sent += 1
            run.finish()
        except BaseException:
            run.transaction.abort()
            raise
        return run.report

    def begin(self, session: Session, report: PublishReport | None = None) -> PublishPass:
        """A publishing transaction on the directory target (the caller finishes or aborts it)."""
        return PublishPass(session, self.directory.begin(), self.directory.manifest(), report or PublishReport())

    def _edition(self, run: PublishPass, article: Article, lang: str, live: list[str], explicit: bool) -> bool:
        """Render one edition if its key changed; update its row. True when its page changed."""
        slug = article.slug
        translation = None if lang == article.source_lang else _translation_for(article, lang, explicit)
        if lang != article.source_lang and translation is None:
            return False  # nothing approved in this language yet
        revision = article.latest if translation is None else translation.revision
        source_blocks = [Block.from_dict(b) for b in revision.blocks]
        if translation is None:
            title, blocks, note, author = revision.title, source_blocks, "", revision.author
        else:
            sentences = [TranslatedSentence(s.block_index, s.sentence_index, s.text) for s in translation.segments]
            title, blocks = assemble(source_blocks, sentences, lang)
            note = mt_note(lang, translation.approved_at)
            author = byline(translation) or revision.author
        found = unresolved(run.session, article.id, article_texts(title, blocks, author), self.guard)
        if found:
            raise PersonalDataInEdition(
                f"the {lang} edition of {slug!r} carries personal data nobody allowed, so nothing was published: "
                + "; ".join(item.describe() for item in found)
                + ". Edit the translation to remove or mask it (a reviewer), or, if a person decided it may be "
                f"published, allow the finding: `gnews-i18n privacy allow {article.id} ID --reason \"…\"` (or submit "
                "the source again with --allow-personal-data \"REASON\").")
        corrections = carried(article, lang, revision)
        photos = {photo.name: photo for photo in revision.photos}
        items = page_items(blocks, photos)
        shown = sorted((item.src, item.width, item.height) for item in items if isinstance(item, Figure))
        content_hash = digest(title, [b.to_dict() for b in blocks], revision.date, author, note,
                              *([corrections] if corrections else []),  # uncorrected pages keep their hash
                              *([shown] if shown else []))  # and so do pages without photos
        self._photos(run, photos.values())
        relpath = f"{lang}/{slug}.html"
        safe_path(self.settings.publish_dir, relpath)  # a slug cannot leave the output directory
        issue, previous, following = article_links(run.issues.get(article.id), article, lang, self._title_in)
        links = [issue, previous, following] if issue else []  # pages outside any issue keep their key
        key = digest(self.renderer.stamp, "article", relpath, content_hash, live, *links)
        run.report.editions.append((slug, lang))
        edition = next((e for e in article.editions if e.lang == lang), None)
        changed = run.manifest.get(relpath) != key or not (self.settings.publish_dir / relpath).exists()
        if changed:
            html = self.renderer.article(lang=lang, slug=slug, title=title, blocks=items, date=revision.date,
                                         author=author, note=note, alternates=live,
                                         corrections=[notice(lang, c) for c in reversed(corrections)],
                                         issue=issue, previous=previous, next=following)
            run.write(relpath, html, key)
            page = _Page(lang, slug, title, author, html, live, digest("publish", relpath, content_hash, live))
            run.deliveries.append(self._delivery(page, edition, revision, corrections))
        if edition is None:
            edition = Edition(article=article, lang=lang)
            run.session.add(edition)
        listed_differently = edition.content_hash != content_hash  # new, or title/date/summary may differ
        if listed_differently or edition.published_at is None:
            edition.published_at = utcnow()
        edition.translation_id = translation.id if translation else None
        edition.revision_number = revision.number
        edition.title, edition.date, edition.summary = title, revision.date, _summary(blocks)
        edition.content_hash = content_hash
        edition.corrections = corrections
        lead = lead_figure(blocks, photos)
        edition.lead_figure = lead.to_dict() if lead is not None else None
        edition.path = str(self.settings.publish_dir / relpath)
        if translation is not None and translation.state in (TranslationState.APPROVED, TranslationState.WITHDRAWN):
            translation.state = TranslationState.PUBLISHED
        return changed or listed_differently

    def _photos(self, run: PublishPass, photos) -> None:
        """Each photo's file under its content-hashed name, written once for every language's page."""
        for photo in photos:
            relpath, key = photo_path(photo), digest("photo", photo.sha256)
            if run.new_manifest.get(relpath) == key and (relpath in run.report.written
                                                         or (self.settings.publish_dir / relpath).exists()):
                continue
            run.write(relpath, photo.data, key)

    @staticmethod
    def _title_in(article: Article, lang: str) -> str | None:
        """An article's title in its ``lang`` edition, or None where it has none to publish."""
        if lang == article.source_lang:
            return article.latest.title
        translation = _translation_for(article, lang, explicit=False)
        if translation is None or translation.state == TranslationState.WITHDRAWN:
            return None
        title = [TranslatedSentence(s.block_index, s.sentence_index, s.text) for s in translation.segments
                 if s.block_index == TITLE_BLOCK]
        return assemble([], title, lang)[0] or translation.revision.title

    def _delivery(self, page: _Page, edition: Edition | None, revision: ArticleRevision,
                  corrections: list[dict]) -> dict:
        """A webhook payload: ``correct`` when this page now carries a correction it did not before."""
        correcting = (edition is not None and bool(corrections) and corrections[-1]["revision"] == revision.number
                      and edition.revision_number < revision.number)
        payload = {
            "action": "correct" if correcting else "publish", "idempotency_key": page.key,
            "slug": page.slug, "lang": page.lang, "revision": revision.number, "title": page.title,
            "date": revision.date.isoformat() if revision.date else None, "author": page.author,
            "url": self.renderer.url(page.lang, f"{page.slug}.html"), "html": page.html,
            "alternates": {code: self.renderer.url(code, f"{page.slug}.html") for code in page.live},
        }
        if correcting:
            payload["correction"] = {**corrections[-1], "notice": notice(page.lang, corrections[-1])}
        return payload

    def _remove(self, run: PublishPass, article: Article, lang: str) -> None:
        edition = next((e for e in article.editions if e.lang == lang), None)
        if edition is None:
            return
        relpath = f"{lang}/{article.slug}.html"
        run.delete(relpath)
        if edition.translation_id:
            translation = run.session.get(Translation, edition.translation_id)
            if translation is not None and translation.state == TranslationState.PUBLISHED:
                translation.state = TranslationState.WITHDRAWN
        article.editions.remove(edition)
        run.session.delete(edition)
        run.deliveries.append({"action": "unpublish", "idempotency_key": digest("unpublish", relpath, utcnow().date()),
                           "slug": article.slug, "lang": lang, "url": self.renderer.url(lang, f"{article.slug}.html")})

    def lists(self, run: PublishPass, langs: set[str]) -> None:
        """Index pages and feeds of ``langs``, the landing page and the sitemaps; stale index pages
        removed (a newsletter issue's page adds an entry to its language's feeds too)."""
        if not langs:
            return
        manifest = run.manifest
        entries = self.entries(run.session)
        by_lang: dict[str, list[Entry]] = {}
        for entry in entries:
            by_lang.setdefault(entry.lang, []).append(entry)
        languages = sorted(by_lang)
        outputs = self.renderer.landing(languages, entries) + self.renderer.assets()
        # A language coming or going changes every page's language switcher.
        before = {p[len("index."):-len(".html")] for p in manifest if re.fullmatch(r"index\.[a-z-]+\.html", p)}
        switchers = set(by_lang) if before != set(languages) else set()
        for code in before - set(languages):
            run.delete(f"index.{code}.html")
        for lang in sorted(set(langs) | switchers):
            listed = sorted(by_lang.get(lang, []), key=lambda e: e.sort_key, reverse=True)
            pages = self.renderer.index_pages(lang, listed, languages)
            outputs += pages + (self.renderer.feeds(lang, listed) if lang in langs else [])
            outputs += [self.renderer.archive(lang, listed, languages), self.renderer.search_page(lang, languages)]
            wanted = {relpath for relpath, _, _ in pages}
            for relpath in [p for p in manifest if p.startswith(f"{lang}/page-") and p not in wanted]:
                run.delete(relpath)
        sitemaps = self.renderer.sitemaps(entries)
        outputs += sitemaps
        wanted = {relpath for relpath, _, _ in sitemaps}
        for relpath in [p for p in manifest if p.startswith("sitemap-") and p not in wanted]:
            run.delete(relpath)
        for relpath, key, render in outputs:
            if manifest.get(relpath) != key or not (self.settings.publish_dir / relpath).exists():
                run.write(relpath, render(), key)

    @staticmethod
    def entries(session: Session) -> list[Entry]:
        rows = session.execute(
            select(Edition.article_id, Article.slug, Edition.lang, Edition.title, Edition.date,
                   Edition.published_at, Edition.summary, Edition.corrections)
            .join(Article, Article.id == Edition.article_id)
        )
        articles = [Entry(aid, slug, lang, title, date, published_at, summary or "",
                          notice(lang, corrections[-1]) if corrections else "")
                    for aid, slug, lang, title, date, published_at, summary, corrections in rows]
        return articles + issue_entries(session)


def publish_article(session: Session, article_id: int, lang: str, settings: Settings) -> PublishReport:
    return Publisher(settings).publish_article(session, article_id, lang)


def publish_correction(db: Database, settings: Settings, article_id: int) -> PublishReport:
    """A correction reaches the source edition at once, notice and all; each translated edition
    follows when its translation is approved. Called by every door that takes a correction."""
    publisher = Publisher(settings)
    with publisher.directory.lock(), db.session() as session:
        article = session.get(Article, article_id)
        if article is None:
            raise NothingToPublish(f"no article {article_id}")
        return publisher.publish_article(session, article_id, article.source_lang)
