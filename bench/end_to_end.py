"""End to end: articles through the real queue against the same engine with nothing around it.

N newsletter-length articles (default 60: 12 sentences each, a title and three paragraphs;
half Korean → English, half English → Korean) are submitted at once (`gnews-i18n submit`) to
**Redis + PostgreSQL** with **2 worker processes** (`gnews-i18n worker`, concurrency 1, one
thread each), on models of opus-mt-ko-en's exact shape (Marian 6+6, d_model 512, 8 heads,
FFN 2048, vocabulary 65,001, random weights; one per direction) converted to CTranslate2
int8, as `bench/mt_throughput.py` builds them. Timed from the first submit to the last draft
in review; the workers have translated a warm-up article each before (models loaded).

Beside it, raw CTranslate2 translates exactly the sentences the desk stored as segments
(read back from the database), with the same threads (one inter-op thread per worker, one
intra-op), the same beam and the same token-batching limit.

Output length: random weights never emit `</s>` where a real model would, so both sides are
bounded the same way: every output exactly --output-tokens tokens (CTranslate2's
min/max_decoding_length; in the workers ``DecodingSettings.fixed_new_tokens``, set by this
script's worker launcher, since no setting exposes it). Retries of suspect outputs are off on
both sides (random output always looks suspect), the glossary is on in the desk.

Prints articles per minute, ``end_to_end_fraction_of_raw_ct2`` (raw seconds ÷ end-to-end
seconds; goal ≥ 0.85) and the per-stage breakdown summed over the jobs, read from the
workers' own metrics (``gnews_stage_seconds``: the job's ``pipeline.StageClock``, the stage
names of ``bench/pipeline_overhead.py``) — plus the queue, what no job accounts for.
Run: python bench/end_to_end.py [--articles 60] [--workers 2] [--beam 4] [--output-tokens 30]
     [--directions ko-en,en-ko] [--workdir DIR]   (needs PostgreSQL and Redis on 127.0.0.1)
"""

from __future__ import annotations

import argparse
import functools
import os
import re
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "src" / "gnews_i18n" / "samples"
POSTGRES = os.environ.get("GNEWS_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
REDIS = os.environ.get("GNEWS_BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
SENTENCES_PER_ARTICLE = 12
STAGES = ("segment", "memory", "terms", "mt", "qa", "store")


def as_worker(output_tokens: int, argv: list[str]) -> None:
    """`gnews-i18n ARGV` with every output bounded to ``output_tokens`` (the prefork children inherit it)."""
    import gnews_i18n.mt.loader as loader
    from gnews_i18n.cli import main
    from gnews_i18n.mt.base import DecodingSettings

    loader.DecodingSettings = functools.partial(DecodingSettings, fixed_new_tokens=output_tokens)
    sys.argv = ["gnews-i18n", *argv]
    main()


def sample_sentences(lang: str) -> list[str]:
    name = "medical-gyeonggi-2023-11-tashkent-delegation." + ("ko.md" if lang == "ko" else "en.txt")
    text = re.sub(r"\A---\n.*?\n---\n", "", (SAMPLES / name).read_text(encoding="utf-8"), flags=re.DOTALL)
    pattern = r"(?<=다\.)\s+|\n+" if lang == "ko" else r"(?<=[.!?])\s+(?=[A-Z])|\n+"
    return [s.strip() for s in re.split(pattern, text) if len(s.strip()) > 20 and not s.strip().startswith("#")]


def write_articles(directory: Path, lang: str, count: int, first: int) -> list[Path]:
    """Articles of 12 sentences (a title, three paragraphs of 4 … ), each different from the others
    (a number varies), so the translation memory never answers for the model."""
    base = sample_sentences(lang)
    paths = []
    for n in range(first, first + count):
        chosen = [base[(n * 5 + k) % len(base)] for k in range(SENTENCES_PER_ARTICLE)]
        chosen = [(f"{n + k + 1}일 " if lang == "ko" else f"On day {n + k + 1}, ") + s for k, s in enumerate(chosen)]
        title, body = chosen[0].rstrip("."), chosen[1:]
        paragraphs = [" ".join(body[i:i + 4]) for i in range(0, len(body), 4)]
        path = directory / f"e2e-{lang}-{n:03d}.md"
        path.write_text(f"---\ntitle: {title}\nslug: e2e-{lang}-{n:03d}\n---\n\n" + "\n\n".join(paragraphs) + "\n",
                        encoding="utf-8")
        paths.append(path)
    return paths


def build_model(workdir: Path, src: str, tgt: str) -> Path:
    from gnews_i18n.devmodels.testmodel import build_test_model
    from gnews_i18n.mt.ct2_backend import convert

    model_dir = workdir / f"opus-mt-{src}-{tgt}-shape"
    if not (model_dir / "ctranslate2" / "model.bin").exists():
        build_test_model(model_dir, src, tgt, d_model=512, layers=6, heads=8, ffn_dim=2048, full_vocab=65001)
        convert(model_dir, quantization="int8", force=True)
    return model_dir


def cli(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "-m", "gnews_i18n.cli", *args], env=env, check=True, capture_output=True,
                   timeout=600)


def stage_seconds(metrics_dir: Path) -> tuple[dict[str, float], float]:
    """Seconds by stage summed over every job so far, and the jobs counted, from the workers' files."""
    from prometheus_client import CollectorRegistry
    from prometheus_client.multiprocess import MultiProcessCollector

    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=str(metrics_dir))
    seconds, jobs = dict.fromkeys(STAGES, 0.0), 0.0
    for family in registry.collect():
        for sample in family.samples:
            if sample.name == "gnews_stage_seconds_sum":
                seconds[sample.labels["stage"]] = sample.value
            elif sample.name == "gnews_stage_seconds_count" and sample.labels["stage"] == "store":
                jobs = sample.value
    return seconds, jobs


def wait_in_review(db, expected: int, processes: list[subprocess.Popen], work: Path) -> None:
    from gnews_i18n.states import TranslationState
    from gnews_i18n.store.models import Translation

    while True:
        with db.session() as session:
            done = session.query(Translation).filter(Translation.state == TranslationState.IN_REVIEW).count()
            failed = session.query(Translation).filter(Translation.state == TranslationState.FAILED).all()
        if failed:
            raise SystemExit(f"translation failed: {failed[0].error}; logs in {work}")
        if done >= expected:
            return
        if any(p.poll() is not None for p in processes):
            raise SystemExit(f"a worker exited; logs in {work}")
        time.sleep(0.05)


def raw_ct2(models: dict[str, Path], sentences: dict[str, list[str]], workers: int, beam: int,
            output_tokens: int) -> float:
    """Seconds raw CTranslate2 takes for the same sentences, direction by direction."""
    import ctranslate2
    from transformers import AutoTokenizer

    from gnews_i18n.mt.base import DecodingSettings

    total = 0.0
    for direction, texts in sentences.items():
        tokenizer = AutoTokenizer.from_pretrained(models[direction])
        tokens = [tokenizer.convert_ids_to_tokens(tokenizer(t)["input_ids"]) for t in texts]
        translator = ctranslate2.Translator(str(models[direction] / "ctranslate2"), device="cpu",
                                            compute_type="int8", inter_threads=workers, intra_threads=1)
        translator.translate_batch(tokens[:8], beam_size=beam, max_decoding_length=output_tokens)  # warm-up
        started = time.perf_counter()
        results = translator.translate_batch(
            tokens, beam_size=beam, max_batch_size=max(1, DecodingSettings().max_batch_tokens // beam),
            batch_type="tokens", min_decoding_length=output_tokens, max_decoding_length=output_tokens)
        total += time.perf_counter() - started
        assert all(len(r.hypotheses[0]) == output_tokens for r in results)
    return total


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--as-worker":
        return as_worker(int(sys.argv[2]), sys.argv[3:])
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--beam", type=int, default=4)
    parser.add_argument("--output-tokens", type=int, default=30)
    parser.add_argument("--directions", default="ko-en,en-ko")
    parser.add_argument("--workdir", type=Path, help="keep the built models here between runs")
    args = parser.parse_args()
    directions = [tuple(d.split("-")) for d in args.directions.split(",") if d]

    import psycopg
    import redis

    from gnews_i18n.store.db import Database
    from gnews_i18n.store.models import Segment, Translation

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="e2e-models-"))
    started = time.perf_counter()
    models = {f"{src}-{tgt}": build_model(workdir, src, tgt) for src, tgt in directions}
    print(f"models: Marian 6+6, d_model 512, 8 heads, FFN 2048, vocabulary 65,001 (random weights), CTranslate2 "
          f"int8, {', '.join(models)}; ready in {time.perf_counter() - started:.0f} s")

    work = Path(tempfile.mkdtemp(prefix="e2e-"))
    name = f"gnews_e2e_{uuid.uuid4().hex[:8]}"
    admin = POSTGRES.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    redis.Redis.from_url(REDIS).flushdb()
    env = {**os.environ, "GNEWS_DATA_DIR": str(work / "var"), "GNEWS_PUBLISH_DIR": str(work / "public"),
           "GNEWS_DATABASE_URL": POSTGRES.rsplit("/", 1)[0] + f"/{name}", "GNEWS_BROKER_URL": REDIS,
           "GNEWS_RESULT_BACKEND": REDIS, "GNEWS_NUM_BEAMS": str(args.beam), "GNEWS_TORCH_THREADS": "1",
           "GNEWS_MT_RETRY": "0", "GNEWS_MT_BACKEND": "ctranslate2", "HF_HUB_OFFLINE": "1",
           "GNEWS_GLOSSARIES": str(ROOT / "glossaries" / "medical-gyeonggi.csv"), "PYTHONUNBUFFERED": "1",
           **{f"GNEWS_MODEL_{src.upper()}_{tgt.upper()}": str(models[f"{src}-{tgt}"]) for src, tgt in directions}}
    per_direction = {d: args.articles // len(directions) + (i < args.articles % len(directions))
                     for i, d in enumerate(directions)}
    logs = [open(work / f"worker-{n}.log", "wb") for n in range(args.workers)]
    processes = [subprocess.Popen([sys.executable, __file__, "--as-worker", str(args.output_tokens), "worker",
                                   "--queues", "translate", "--concurrency", "1", "--hostname", f"e2e-{n}@%h"],
                                  env=env, stdout=log, stderr=subprocess.STDOUT) for n, log in enumerate(logs)]
    db = None
    try:
        while not all(b" ready." in (work / f"worker-{n}.log").read_bytes() for n in range(args.workers)):
            if any(p.poll() is not None for p in processes):
                raise SystemExit(f"a worker exited at start; logs in {work}")
            time.sleep(0.2)
        db = Database(env["GNEWS_DATABASE_URL"])
        # warm-up: every worker loads each model once (one article a worker and direction)
        warm = 0
        for src, tgt in directions:
            paths = write_articles(work, src, args.workers, 900)
            cli(env, "submit", *map(str, paths), "--to", tgt)
            warm += len(paths)
        wait_in_review(db, warm, processes, work)
        stages_before, jobs_before = stage_seconds(work / "var" / "metrics")
        batches = [(tgt, write_articles(work, src, per_direction[(src, tgt)], 0)) for src, tgt in directions]
        started = time.perf_counter()
        for tgt, paths in batches:
            cli(env, "submit", *map(str, paths), "--to", tgt)
        wait_in_review(db, warm + args.articles, processes, work)
        end_to_end = time.perf_counter() - started
        stages_after, jobs_after = stage_seconds(work / "var" / "metrics")
        sentences: dict[str, list[str]] = {}
        with db.session() as session:
            for src, tgt in directions:
                rows = session.query(Segment.source_text).join(Translation).filter(
                    Translation.target_lang == tgt, Translation.id > warm).all()
                sentences[f"{src}-{tgt}"] = [r[0] for r in rows]
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(60)
        if db is not None:
            db.dispose()
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    raw = raw_ct2(models, sentences, args.workers, args.beam, args.output_tokens)
    count = sum(len(s) for s in sentences.values())
    jobs = jobs_after - jobs_before
    stages = {stage: stages_after[stage] - stages_before[stage] for stage in STAGES}
    in_jobs = sum(stages.values())
    print(f"{args.articles} articles ({', '.join(f'{per_direction[d]} {d[0]}→{d[1]}' for d in directions)}), "
          f"{count} segments; Redis + PostgreSQL, {args.workers} workers × 1 thread; beam {args.beam}, every output "
          f"{args.output_tokens} tokens on both sides")
    print(f"end to end (first submit → last draft in review): {end_to_end:.1f} s = "
          f"{args.articles / end_to_end * 60:.1f} articles/min, {count / end_to_end:.2f} segments/s")
    print(f"raw CTranslate2 int8, same sentences, {args.workers} inter threads × 1: {raw:.1f} s = "
          f"{count / raw:.2f} segments/s")
    print(f"end_to_end_fraction_of_raw_ct2: {raw / end_to_end:.2f}  (goal >= 0.85)")
    print(f"per-stage breakdown over {jobs:.0f} jobs (the workers' gnews_stage_seconds), worker-seconds:")
    print("| stage | s in all | ms per article | share of MT |")
    print("|---|---:|---:|---:|")
    mt = stages["mt"] or 1e-9
    for stage, seconds in stages.items():
        print(f"| {stage} | {seconds:.2f} | {seconds * 1000 / max(jobs, 1):.1f} | {seconds / mt:.1%} |")
    idle = args.workers * end_to_end - in_jobs
    print(f"| outside jobs (queue, submit, idle workers) | {idle:.2f} | {idle * 1000 / max(jobs, 1):.1f} | "
          f"{idle / mt:.1%} |")
    print(f"worker logs: {work}")


if __name__ == "__main__":
    sys.exit(main())
