"""Incremental publishing: a full rebuild of a large archive against republishing one change.

Generates an archive (default 10,000 articles in English, each with approved Korean and
Russian translations: 30,000 editions) in a fresh SQLite store, publishes everything
into an empty directory (the full rebuild), then changes one article's Korean title (a
reviewer's correction, approved again) and publishes that article. Prints both times,
their ratio (target ≥ 50×) and which files the incremental run wrote.

Then a newsletter issue: 12 new articles approved in Korean, Russian and Uzbek (4
languages with the English source) are released as one issue: release time, e-mail build
time and size per language. Last, one of them is corrected (a changed sentence and a
note, approved in every language): the files that correction writes are printed — its
pages, the feeds, the issue pages, and nothing else.
The search index (Pagefind) is rebuilt whole whenever an article or issue page changes: its
time is printed for the full rebuild and for the one-article change.
Run: python bench/publish_incremental.py [--articles N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import random
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert, select, update

WORDS = ("the province hospital delegation medical cooperation doctors patients training center "
         "regional government visit agreement nurses treatment program city university").split()


def sentence(rng: random.Random, n: int = 12) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def generate(db, articles: int, rng: random.Random) -> None:
    from gnews_i18n.states import SegmentState, TranslationState
    from gnews_i18n.store.models import Article, ArticleRevision, Segment, Translation

    now = dt.datetime(2026, 11, 1)
    with db.session() as session:
        session.execute(insert(Article), [{"id": i, "slug": f"article-{i:05d}", "source_lang": "en",
                                           "created_at": now} for i in range(1, articles + 1)])
        revisions, translations, segments = [], [], []
        for i in range(1, articles + 1):
            title, body = sentence(rng, 6), [sentence(rng), sentence(rng)]
            revisions.append({"id": i, "article_id": i, "number": 1, "title": title,
                              "date": dt.date(2020, 1, 1) + dt.timedelta(days=i // 5), "author": "Desk",
                              "category": None, "source_format": "markdown", "checksum": f"{i:064d}",
                              "blocks": [{"kind": "paragraph", "text": t, "level": 0} for t in body],
                              "created_at": now})
            for offset, lang in enumerate(("ko", "ru")):
                tid = 2 * i - 1 + offset
                translations.append({"id": tid, "revision_id": i, "target_lang": lang,
                                     "state": TranslationState.APPROVED, "attempts": 1, "progress_done": 3,
                                     "progress_total": 3, "approved_by": "bench", "approved_at": now,
                                     "created_at": now, "updated_at": now})
                for block, text in [(-1, title)] + list(enumerate(body)):
                    segments.append({"translation_id": tid, "block_index": block, "sentence_index": 0,
                                     "source_text": text, "machine_text": f"[{lang}] {text}",
                                     "text": f"[{lang}] {text}", "state": SegmentState.APPROVED, "flags": [],
                                     "provenance": {}, "terms": [], "version": 2})
        session.execute(insert(ArticleRevision), revisions)
        session.execute(insert(Translation), translations)
        session.execute(insert(Segment), segments)


ISSUE_LANGS = ("ko", "ru", "uz")


def _article(n: int, beds: int) -> bytes:
    return (f"---\ntitle: Clinic news {n}\nslug: issue-article-{n}\nlang: en\ndate: 2023-11-{n:02d}\n---\n\n"
            f"Hospital {n} opened a new ward in November.\n\nIt has {beds} beds.\n").encode()


def draft(db, translation_ids: list[int], approve: bool) -> None:
    """What the workers and reviewers would do, without a model: a draft per segment (then the
    job's last step, which keeps a correction's unchanged sentences approved), then approval."""
    from gnews_i18n.review.corrections import prepare_draft
    from gnews_i18n.states import SegmentState, TranslationState
    from gnews_i18n.store.models import Segment, Translation, utcnow

    with db.session() as session:
        for translation_id in translation_ids:
            translation = session.get(Translation, translation_id)
            revision = translation.revision
            lines = [(-1, revision.title)] + [(i, b["text"]) for i, b in enumerate(revision.blocks)]
            lines += [(-2, revision.correction)] if revision.correction else []
            for block, text in lines:
                session.add(Segment(translation_id=translation_id, block_index=block, sentence_index=0,
                                    source_text=text, machine_text=f"[{translation.target_lang}] {text}",
                                    text=f"[{translation.target_lang}] {text}", state=SegmentState.MACHINE,
                                    flags=[], provenance={}, terms=[], version=1))
            prepare_draft(session, translation_id)
            translation.state = TranslationState.IN_REVIEW
            if approve:
                for segment in session.get(Translation, translation_id).segments:
                    segment.state = SegmentState.APPROVED
                translation.state, translation.approved_by, translation.approved_at = (
                    TranslationState.APPROVED, "bench", utcnow())


def issue_and_correction(db, settings, publisher) -> None:
    from gnews_i18n.articles.submission import submit
    from gnews_i18n.intake import parse_article
    from gnews_i18n.newsletter.delivery import editions
    from gnews_i18n.newsletter.issues import add_article, create_issue, release
    from gnews_i18n.newsletter.mail import MailSettings, build_message
    from gnews_i18n.newsletter.site import refresh_issues, write_issue_pages

    ids = []
    for n in range(1, 13):
        with db.session() as session:
            result = submit(session, parse_article(_article(n, n * 10), f"a{n}.md"), list(ISSUE_LANGS))
        draft(db, result.translation_ids, approve=True)
        ids.append(result.article_id)
    started = time.perf_counter()
    with publisher.directory.lock(), db.session() as session:
        issue = create_issue(session, 27, dt.date(2023, 11, 30), {"en": "Vol. 27"}, ["en", *ISSUE_LANGS])
        for article_id in ids:
            add_article(session, issue, article_id)
        release(session, issue, "bench")
        released = write_issue_pages(session, issue, settings, publisher)
    print(f"issue 27 (12 articles x 4 languages) released in {time.perf_counter() - started:.2f} s, "
          f"{len(released.written)} files written")
    started = time.perf_counter()
    eds = editions(db, 27, settings)
    mail = MailSettings.load(settings)
    sizes = {lang: len(bytes(build_message(ed, mail, "secret"))) for lang, ed in eds.items()}
    print(f"e-mail editions built in {time.perf_counter() - started:.2f} s; sizes: "
          + ", ".join(f"{lang} {size / 1024:.1f} KB" for lang, size in sorted(sizes.items()))
          + " (Gmail clips over 102 KB)")

    with db.session() as session:  # article 5 had the wrong bed count
        result = submit(session, parse_article(_article(5, 55), "a5.md"), list(ISSUE_LANGS),
                        correction="The bed count was wrong.")
    draft(db, result.translation_ids, approve=True)
    started = time.perf_counter()
    written = []
    with publisher.directory.lock(), db.session() as session:
        for lang in ISSUE_LANGS:
            written += publisher.publish_article(session, ids[4], lang).written
        written += refresh_issues(session, ids[4], settings, publisher)
    print(f"correction of one article published in {time.perf_counter() - started:.3f} s, {len(written)} files "
          f"written: {', '.join(sorted(set(written)))}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="gnews-bench-") as tmp:
        os.environ.update({"GNEWS_DATA_DIR": tmp, "GNEWS_PUBLISH_DIR": str(Path(tmp) / "public"),
                           "GNEWS_SITE_URL": "https://news.example"})
        from gnews_i18n.config import load_settings
        from gnews_i18n.publish import Publisher
        from gnews_i18n.store.db import Database
        from gnews_i18n.store.models import Segment, Translation

        settings = load_settings()
        db = Database(settings.database_url)
        started = time.perf_counter()
        generate(db, args.articles, random.Random(args.seed))
        print(f"archive: {args.articles:,} articles × 3 languages, generated in {time.perf_counter() - started:.1f} s")

        publisher = Publisher(settings)
        started = time.perf_counter()
        with publisher.directory.lock(), db.session() as session:
            full = publisher.publish_all(session)
        full_seconds = time.perf_counter() - started
        print(f"full rebuild: {full_seconds:.2f} s, {len(full.written):,} files written")
        print(f"search index (full rebuild, {len(full.editions):,} pages): {full.search_seconds:.2f} s of it, "
              f"{len(full.search)} index files written")

        changed_article = args.articles // 2
        with db.session() as session:  # a reviewer corrects one Korean title
            translation_id = session.scalar(select(Translation.id).where(
                Translation.revision_id == changed_article, Translation.target_lang == "ko"))
            session.execute(update(Segment).where(Segment.translation_id == translation_id,
                                                  Segment.block_index == -1).values(text="고쳐 쓴 제목"))
        gc.collect()  # the rebuild's garbage is not the incremental run's cost
        started = time.perf_counter()
        with publisher.directory.lock(), db.session() as session:
            incremental = publisher.publish_article(session, changed_article, "ko")
        incremental_seconds = time.perf_counter() - started
        print(f"incremental (one article changed): {incremental_seconds:.3f} s, "
              f"{len(incremental.written)} files written: {', '.join(sorted(incremental.written))}")
        started = time.perf_counter()
        with publisher.directory.lock(), db.session() as session:
            again = publisher.publish_article(session, changed_article, "ko")
        print(f"search index after one change: {incremental.search_seconds:.2f} s of it, "
              f"{len(incremental.search)} index files written")
        print(f"republishing unchanged: {time.perf_counter() - started:.3f} s, {len(again.written)} files written, "
              f"{len(again.search)} index files")
        print(f"speedup_full_vs_incremental: {full_seconds / incremental_seconds:.1f}x (target >= 50x)")
        issue_and_correction(db, settings, publisher)
        db.dispose()


if __name__ == "__main__":
    main()
