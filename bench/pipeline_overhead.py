"""Pipeline overhead: per article, the time in each stage around machine translation.

Articles of newsletter sentences whose names, institutions and programmes the model never
saw (``testcorpus.UNSEEN``, each in the run's glossary), on the trained test model
(`gnews-i18n models make-test DIR --trained`), through the desk's own code with a fresh
SQLite store and the embedded broker:

* intake: ``parse_article`` on the file's bytes;
* store: recording the article and its translation (``submit``), the job's claim, lease
  renewals, translation-memory lookup and the one transaction that saves its segments;
* queue: sending the job to the broker (``enqueue_translations``);
* segment: sentences from blocks;
* terms: matching and enforcement (``Terminology.prepare`` / ``finish``, the attention pass
  where a term was lost);
* MT: the engine's ``translate`` (tokenizing, batching, decoding, guards, retries);
* QA: the checks on each machine draft.

Each stage's time is its own (a stage called from inside another is not counted twice),
summed over the articles and shown per article and as a share of MT time. A breakdown: the
tiny model decodes faster than the transactions that make a job safe, so the old goal (issue
17: everything but MT ≤ 10% of MT) is judged end to end instead, on the opus-mt shape,
by ``bench/end_to_end.py`` (issue 27).
Run: python bench/pipeline_overhead.py [--articles 10] [--size bench|tiny] [--direction ko-en]
     [--backend auto|transformers|ctranslate2]
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from gnews_i18n.devmodels.corpus import UNSEEN, make_corpus

STAGES = ("intake", "store", "queue", "segment", "terms", "MT", "QA")


class Stopwatch:
    """Exclusive CPU-independent (wall) time per stage: a stage entered inside another pauses it."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self._stack: list[list] = []

    def wrap(self, stage: str, function):
        def timed(*args, **kwargs):
            now = time.perf_counter()
            if self._stack:
                outer = self._stack[-1]
                self.seconds[outer[0]] += now - outer[1]
            self._stack.append([stage, now])
            try:
                return function(*args, **kwargs)
            finally:
                ended = time.perf_counter()
                self.seconds[stage] += ended - self._stack.pop()[1]
                if self._stack:
                    self._stack[-1][1] = ended

        return timed


def articles(count: int, src: str, seed: int = 11) -> tuple[list[bytes], list[dict[str, str]]]:
    """Markdown articles of 10 sentences each (title, three paragraphs) and their glossary rows."""
    pairs = make_corpus(count * 10, seed, fillers=UNSEEN, latin_share=0.0)
    rows: dict[str, dict[str, str]] = {}
    for pair in pairs:
        for _, filler in pair.slots:
            rows.setdefault(filler.ko, {"type": "other", "ko": filler.ko, "en": filler.en})
    texts = []
    for n in range(count):
        chunk = [p.ko if src == "ko" else p.en for p in pairs[n * 10:(n + 1) * 10]]
        body = "\n\n".join(" ".join(chunk[i:i + 3]) for i in (1, 4, 7))
        texts.append(f"---\ntitle: {chunk[0].rstrip('.')}\nslug: overhead-{n:03d}\n---\n\n{body}\n".encode())
    return texts, list(rows.values())


def instrument(watch: Stopwatch, jobs, tasks) -> None:
    """Time the desk's own functions where the pipeline calls them."""
    import gnews_i18n.pipeline as pipeline
    from gnews_i18n.mt.engine import Engine
    from gnews_i18n.terms.terminology import Terminology

    Engine.translate = watch.wrap("MT", Engine.translate)
    Engine.align = watch.wrap("terms", Engine.align)
    Terminology.prepare = watch.wrap("terms", Terminology.prepare)
    Terminology.finish = watch.wrap("terms", Terminology.finish)
    pipeline.check_pair = watch.wrap("QA", pipeline.check_pair)
    jobs.segment_article = watch.wrap("segment", jobs.segment_article)
    jobs.run_translations = watch.wrap("store", jobs.run_translations)  # what is left inside is the store's
    tasks.enqueue_translations = watch.wrap("queue", tasks.enqueue_translations)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10)
    parser.add_argument("--size", default="bench", help="trained test model size: bench or tiny")
    parser.add_argument("--direction", default="ko-en", help="ko-en or en-ko")
    parser.add_argument("--backend", default="auto",
                        help="auto (CTranslate2 when converted), transformers, ctranslate2")
    args = parser.parse_args()
    src, tgt = args.direction.split("-")
    work = Path(tempfile.mkdtemp(prefix="overhead-"))
    from gnews_i18n.devmodels.training import build_trained_model

    report = build_trained_model(work / "model", src, tgt, args.size, ct2=args.backend != "transformers")
    texts, rows = articles(args.articles + 1, src)
    glossary = work / "unseen.csv"
    with glossary.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["type", "ko", "en"])
        writer.writeheader()
        writer.writerows(rows)
    os.environ.update({"GNEWS_DATA_DIR": str(work / "var"), "GNEWS_GLOSSARIES": str(glossary),
                       f"GNEWS_MODEL_{src.upper()}_{tgt.upper()}": report.directory,
                       "GNEWS_MT_BACKEND": args.backend, "HF_HUB_OFFLINE": "1"})
    from gnews_i18n.articles.submission import submit
    from gnews_i18n.config import load_settings
    from gnews_i18n.intake import parse_article
    from gnews_i18n.store.db import Database
    from gnews_i18n.worker import job as jobs
    from gnews_i18n.worker import tasks
    settings = load_settings()
    db = Database(settings.database_url)
    watch = Stopwatch()
    instrument(watch, jobs, tasks)
    parse = watch.wrap("intake", parse_article)
    record = watch.wrap("store", submit)

    def one(n: int, text: bytes) -> None:
        article = parse(text, f"overhead-{n:03d}.md")
        with db.session() as session:
            ids = record(session, article, [tgt]).translation_ids
        tasks.enqueue_translations(ids)
        jobs.run_translations(db, settings, ids, f"bench:{os.getpid()}")

    one(0, texts[0])  # warm-up: model load, first connections
    watch.seconds.clear()
    for n, text in enumerate(texts[1:], start=1):
        one(n, text)
    mt = watch.seconds["MT"]
    print(f"{args.articles} articles × 10 sentences, {src}→{tgt}, trained {args.size} model "
          f"({args.backend} backend), {len(rows)} glossary terms it never saw; wall time per article")
    print("| stage | ms per article | share of MT |")
    print("|---|---:|---:|")
    for stage in STAGES:
        seconds = watch.seconds[stage]
        print(f"| {stage} | {seconds * 1000 / args.articles:.1f} | {seconds / mt:.1%} |")
    rest = sum(v for k, v in watch.seconds.items() if k != "MT")
    print(f"everything but MT: {rest / mt:.1%} of MT time (the goal is end_to_end.py's now); "
          f"{rest * 1000 / args.articles:.1f} ms per article against {mt * 1000 / args.articles:.1f} ms of MT")


if __name__ == "__main__":
    sys.exit(main())
