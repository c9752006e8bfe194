"""``gnews-i18n demo``: the whole path on the sample article, through a real worker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from importlib import resources
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from gnews_i18n.articles.submission import parse_targets, submit
from gnews_i18n.cli.common import console, err, fail
from gnews_i18n.config import load_settings
from gnews_i18n.devmodels.testmodel import MARKER_FILE, build_test_model
from gnews_i18n.intake import IntakeError, parse_article
from gnews_i18n.mt import ModelNotAvailable, get_translator
from gnews_i18n.review.actions import approve
from gnews_i18n.states import TranslationState, requeue
from gnews_i18n.store.db import Database
from gnews_i18n.store.models import Translation

app = typer.Typer()

SAMPLE = "medical-gyeonggi-2023-11-tashkent-delegation.en.txt"


_PR_SET_PDEATHSIG = 1  # prctl(2)


@app.command()
def demo(
    offline: bool = typer.Option(False, "--offline", help="Build a small local test model first and use it; it is "
                                 "kept in GNEWS_MODELS_DIR/<src>-<tgt>, where the desk finds it."),
    model: str = typer.Option(None, "--model", help="Model directory or hub id for en→ko."),
    sample: Path = typer.Option(None, "--sample", help="Article to use instead of the packaged sample."),
    target: str = typer.Option("ko", "--to", help="Target language of the demo edition."),
    timeout: float = typer.Option(600, help="Seconds to wait for the worker."),
) -> None:
    """Submit the English sample, translate it through a real worker, approve, publish."""
    from gnews_i18n.worker.tasks import enqueue_publication, enqueue_translations  # deferred: slow to import

    settings = load_settings()
    data = sample.read_bytes() if sample else (resources.files("gnews_i18n") / "samples" / SAMPLE).read_bytes()
    try:
        article = parse_article(data, str(sample or SAMPLE), max_bytes=settings.max_article_bytes)
        targets = parse_targets(target, article.lang)
    except IntakeError as error:
        fail(str(error))
    if not targets:
        fail(f"--to {target} is the article's own language; pick another edition")
    src, tgt = article.lang, targets[0]
    env_name = f"GNEWS_MODEL_{src.upper()}_{tgt.upper()}"
    test_model = False
    if offline and not model:
        # Where the desk looks for this direction (mt/registry.py), so `submit --to ko` works after the demo.
        directory = settings.models_dir / f"{src}-{tgt}"
        model = str(directory)
        if not (directory / "config.json").exists():
            err.print(f"building a small test model in {model} (random weights; its wording is meaningless) …")
            build_test_model(directory, src, tgt)
        test_model = (directory / MARKER_FILE).exists()  # a real model someone put there is used, not replaced
    if model:
        os.environ[env_name] = model
        settings = load_settings()
    try:
        get_translator(settings, src, tgt)  # fail here, with advice, rather than in the worker
    except ModelNotAvailable as error:
        fail(f"{error}\nOr run `gnews-i18n demo --offline` to use a small local test model.")

    db = Database(settings.database_url)
    with db.session() as session:
        result = submit(session, article, [tgt])
        translation_id = result.translation_ids[0]
        translation = session.get(Translation, translation_id)
        if translation.state not in (TranslationState.QUEUED, TranslationState.TRANSLATING):
            # The demo ran before on this data: translate this revision again.
            for segment in list(translation.segments):
                session.delete(segment)
            requeue(translation)
    err.print(f"submitted {article.slug!r} ({src}) as article {result.article_id}; translating into {tgt}")

    log_path = settings.data_dir / "demo-worker.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "ab") as log:
        worker = subprocess.Popen(
            [sys.executable, "-m", "gnews_i18n.cli", "worker", "--queues", "translate,publish",
             "--concurrency", "1", "--hostname", f"gnews-demo-{os.getpid()}@%h"],
            stdout=log, stderr=subprocess.STDOUT, env=os.environ.copy(), start_new_session=True,
            preexec_fn=_ends_with_parent,
        )
    try:
        enqueue_translations([translation_id])
        _wait(db, translation_id, {TranslationState.IN_REVIEW}, timeout, worker, log_path, "translating")
        with db.session() as session:
            approve(session, translation_id, "demo-reviewer",
                    override="demo: approved without review to show publishing")
        enqueue_publication(db, translation_id)
        _wait(db, translation_id, {TranslationState.PUBLISHED}, timeout, worker, log_path, "publishing")
    finally:
        _stop(worker)

    _print_editions(db, translation_id, settings.publish_dir, tgt)
    if test_model:
        console.print("\nThe wording of this edition is meaningless: it came from a random-weights test model. "
                      "The queue, worker, database, review and publishing steps were all real. For real "
                      f"translations set {env_name} to a trained model's directory or hub id.")
        other = "ru" if tgt != "ru" else "ko"
        console.print(f"The desk uses this model for {src}→{tgt} (it is in {model}). Another edition needs "
                      f"its own: `gnews-i18n models make-test {settings.models_dir / f'{src}-{other}'} --src {src} "
                      f"--tgt {other}` builds a test model for {other}.", highlight=False)
    console.print("Next: `gnews-i18n status` lists every article and edition; `gnews-i18n users add NAME "
                  "--role reviewer --lang ko --password` and `gnews-i18n serve` open the review desk.")


def _ends_with_parent() -> None:
    """In the worker's process before it runs: Linux sends it SIGTERM (a warm shutdown) when the
    demo's process dies, even by SIGKILL, which leaves no chance to run ``_stop``."""
    import ctypes  # here: only this child process needs it

    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # not Linux: a normal exit still stops the worker (``_stop``)
        pass


def _print_editions(db, translation_id: int, publish_dir: Path, tgt: str) -> None:
    with db.session() as session:
        translation = session.get(Translation, translation_id)
        editions = translation.revision.article.editions
        console.print("\n[bold]Published editions[/bold]")
        for edition in editions:
            console.print(f"  {edition.lang}: {edition.path}", highlight=False)
        console.print(f"  index: {publish_dir / tgt / 'index.html'}", highlight=False)
        console.print(f"  feeds: {publish_dir / tgt / 'feed.xml'}, "
                      f"{publish_dir / tgt / 'atom.xml'}", highlight=False)
        console.print(f"  sitemap: {publish_dir / 'sitemap.xml'}", highlight=False)


def _wait(db, translation_id, states, timeout, worker, log_path, what) -> None:
    deadline = time.monotonic() + timeout
    with Progress(TextColumn(f"{what:<11}"), BarColumn(), MofNCompleteColumn(), TextColumn("segments"),
                  TimeElapsedColumn(), transient=True) as progress:
        task = progress.add_task(what, total=None)
        while True:
            with db.session() as session:
                row = session.get(Translation, translation_id)
                state, done, total, error = row.state, row.progress_done, row.progress_total, row.error
            if total:
                progress.update(task, completed=done, total=total)
            if state in states:
                return
            if state == TranslationState.FAILED:
                fail(f"translation failed: {error}\nworker log: {log_path}")
            if worker.poll() is not None:
                fail(f"the worker exited with status {worker.returncode}; see {log_path}")
            if time.monotonic() > deadline:
                fail(f"still {state} after {timeout:.0f} s; see the worker log {log_path}")
            time.sleep(0.2)


def _stop(worker: subprocess.Popen) -> None:
    if worker.poll() is not None:
        return
    worker.send_signal(signal.SIGTERM)  # warm shutdown: the main process stops its children
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
