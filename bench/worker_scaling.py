"""Load sharing: 40 articles translated by one worker, then by two, side by side.

Each run uses a fresh store and embedded broker, starts N real `gnews-i18n worker`
processes with one torch thread each, waits until they are ready, submits the articles with
one `submit` (one task per article and language) and times until every translation is in
review. Prints both times and
their ratio (target ≥ 1.7× on a 2-core machine; needs as many free cores as workers).
Run: python bench/worker_scaling.py [--articles 40] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "src" / "gnews_i18n" / "samples" / "medical-gyeonggi-2023-11-tashkent-delegation.en.txt"


def cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gnews_i18n.cli", *args], env=env, capture_output=True, text=True,
                          check=True, timeout=600)


def articles(directory: Path, count: int) -> list[Path]:
    paragraphs = [p for p in SAMPLE.read_text(encoding="utf-8").split("\n\n") if len(p) > 80]
    paths = []
    for n in range(count):
        body = "\n\n".join(paragraphs[(n + k) % len(paragraphs)] for k in range(3))
        path = directory / f"scaling-{n:03d}.md"
        path.write_text(f"---\ntitle: Scaling article {n}\nslug: scaling-{n:03d}\n---\n\n{body}\n", encoding="utf-8")
        paths.append(path)
    return paths


def run(workers: int, count: int, model: Path, work: Path) -> float:
    work.mkdir(parents=True)
    env = {**os.environ, "GNEWS_DATA_DIR": str(work / "var"), "GNEWS_PUBLISH_DIR": str(work / "public"),
           "GNEWS_MODEL_EN_KO": str(model), "GNEWS_NUM_BEAMS": "1", "GNEWS_TORCH_THREADS": "1",
           "GNEWS_BROKER_POLL_SECONDS": "0.1", "HF_HUB_OFFLINE": "1", "PYTHONUNBUFFERED": "1"}
    sources = articles(work, count)
    logs = [open(work / f"worker-{n}.log", "wb") for n in range(workers)]
    processes = [subprocess.Popen([sys.executable, "-m", "gnews_i18n.cli", "worker", "--queues", "translate",
                                   "--concurrency", "1", "--hostname", f"bench-{n}@%h"], env=env,
                                  stdout=log, stderr=subprocess.STDOUT) for n, log in enumerate(logs)]
    try:
        while not all(b" ready." in (work / f"worker-{n}.log").read_bytes() for n in range(workers)):
            time.sleep(0.2)
        started = time.perf_counter()  # workers up: time the work, not their start
        cli(env, "submit", *map(str, sources), "--to", "ko")
        from gnews_i18n.states import TranslationState
        from gnews_i18n.store.db import Database
        from gnews_i18n.store.models import Translation

        db = Database(f"sqlite:///{work / 'var' / 'gnews.sqlite'}")
        while True:
            with db.session() as session:
                done = session.query(Translation).filter_by(state=TranslationState.IN_REVIEW).count()
            if done == count:
                return time.perf_counter() - started
            if any(p.poll() is not None for p in processes):
                raise SystemExit(f"a worker exited; see {work}")
            time.sleep(0.2)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    from gnews_i18n.devmodels.testmodel import build_test_model

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        model = build_test_model(root / "model", "en", "ko")
        one = run(1, args.articles, model, root / "one")
        many = run(args.workers, args.articles, model, root / "many")
    print(f"{args.articles} articles, en→ko, random-weights test model, 1 torch thread per worker")
    print(f"1 worker: {one:.1f} s")
    print(f"{args.workers} workers: {many:.1f} s")
    print(f"speedup_{args.workers}_workers_vs_1: {one / many:.2f}x (target ≥ 1.7x with {args.workers} free cores)")


if __name__ == "__main__":
    main()
