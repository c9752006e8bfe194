"""The ``gnews-i18n`` command: thin doors into intake, the queue, review and publishing."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from gnews_i18n.config import load_settings
from gnews_i18n.intake import IntakeError, parse_article

app = typer.Typer(
    help="gnews-i18n: submit Korean and English articles, translate them on Celery workers, "
    "review the drafts and publish localized editions.\n\n"
    "Start with `gnews-i18n demo --offline` to see the whole path on the sample article.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
review_app = typer.Typer(help="Review drafts: list, show, edit, approve, request changes, PO export/import, "
                         "history.", no_args_is_help=True)
models_app = typer.Typer(help="Machine-translation models.", no_args_is_help=True)
glossary_app = typer.Typer(help="Terminology: check, list, add, import and export glossaries.", no_args_is_help=True)
app.add_typer(review_app, name="review")
app.add_typer(glossary_app, name="glossary")
app.add_typer(models_app, name="models")
users_app = typer.Typer(help="People at the desk: roles, languages, passwords, API tokens.", no_args_is_help=True)
memory_app = typer.Typer(help="Translation memory: export and import TMX.", no_args_is_help=True)
app.add_typer(users_app, name="users")
app.add_typer(memory_app, name="memory")

console = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def fail(message: str, code: int = 1) -> None:
    err.print(f"[red]error:[/red] {message}", highlight=False)
    raise typer.Exit(code)


def language(code: str, option: str) -> str:
    """A language code the desk knows, or the command ends saying which ones it does."""
    from gnews_i18n.languages import EDITION_LANGUAGES, NAMES

    code = code.strip().lower()
    if code not in EDITION_LANGUAGES:
        known = ", ".join(f"{c} ({NAMES[c]})" for c in EDITION_LANGUAGES)
        fail(f"unknown language {code} ({option}); the desk has {known}")
    return code


def _database():
    from gnews_i18n.store.db import Database

    return Database(load_settings().database_url)


@app.command()
def submit(
    files: list[Path] = typer.Argument(..., help="Article files: .md (YAML front matter), .html, .txt or .json."),
    to: str = typer.Option("", "--to", help="Target languages, comma-separated (e.g. ko,ru,uz)."),
    lang: str = typer.Option(None, "--lang", help="Source language (ko or en); detected when omitted."),
    fmt: str = typer.Option(None, "--format", help="markdown, html, text or json; guessed from the name."),
    queue: bool = typer.Option(True, "--queue/--no-queue", help="Send translation jobs to the workers."),
    glossary: Path = typer.Option(None, "--glossary", help="The articles' own glossary (CSV), over the active ones."),
    by: str = typer.Option(None, "--by", help="Editor recorded as the submitter (the token's user when GNEWS_TOKEN "
                           "is set); they may not approve its translations."),
) -> None:
    """Submit articles and queue their translations. Prints one article id per line.

    Each article and language is one job, so every free worker takes a share. A file that
    cannot be taken in is reported and the others go on. With the broker down, the articles
    are stored anyway and their jobs are sent when it is back.
    """
    from gnews_i18n.cli_auth import check
    from gnews_i18n.submission import parse_targets
    from gnews_i18n.submission import submit as submit_article

    settings = load_settings()
    db = _database()
    with db.session() as session:
        actor = check(session, fail, "submit")
    submitted_by = actor.name if actor is not None else by
    article_glossary = _article_glossary(glossary) if glossary else None
    by_target: dict[str, list[int]] = {}
    failed = 0
    for file in files:
        try:
            data = sys.stdin.buffer.read() if str(file) == "-" else file.read_bytes()
            article = parse_article(data, str(file), lang=lang, fmt=fmt, max_bytes=settings.max_article_bytes)
            targets = parse_targets(to, article.lang)
            with db.session() as session:
                result = submit_article(session, article, targets, glossary=article_glossary,
                                        submitted_by=submitted_by)
        except OSError as error:
            err.print(f"[red]error:[/red] cannot read {file}: {error.strerror}", highlight=False)
            failed += 1
            continue
        except IntakeError as error:
            err.print(f"[red]error:[/red] {error}", highlight=False)
            failed += 1
            continue
        for target, translation_id in zip(targets, result.translation_ids, strict=True):
            by_target.setdefault(target, []).append(translation_id)
        what = "new revision" if result.new_revision else "unchanged, no new revision"
        err.print(f"article {result.article_id} ({article.slug}), revision {result.revision_number} ({what}); "
                  f"{len(result.translation_ids)} translation job(s) {'queued' if queue else 'recorded'}. "
                  f"Follow them with `gnews-i18n status {result.article_id}`.", highlight=False)
        print(result.article_id)
    if queue and by_target:
        from gnews_i18n.tasks import enqueue_translations

        if not enqueue_translations([i for ids in by_target.values() for i in ids]):
            err.print(f"[yellow]note:[/yellow] the broker ({_broker_name(settings)}) cannot be reached now. "
                      "The articles are stored and their jobs stay queued: they are sent when it is back "
                      "(by `gnews-i18n beat`, a worker starting, or `gnews-i18n requeue`).", highlight=False)
    if failed:
        raise typer.Exit(1)


def _broker_name(settings) -> str:
    return settings.broker_url.split("@")[-1]


def _article_glossary(path: Path) -> str:
    """The glossary file, checked and rewritten in the desk's CSV format."""
    from gnews_i18n.terms import GlossaryError, load_glossaries
    from gnews_i18n.terms.csvfile import write_csv

    try:
        return write_csv(load_glossaries([path]))
    except GlossaryError as error:
        fail(f"article glossary has errors:\n{error}")


@app.command()
def status(
    article_id: int = typer.Argument(None, help="One article; all when omitted."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Articles, their translations and states, and where they are published."""
    from gnews_i18n.views import list_articles

    with _database().session() as session:
        articles = list_articles(session, article_id)
    if article_id is not None and not articles:
        fail(f"no article {article_id}")
    if as_json:
        print(json.dumps(articles, ensure_ascii=False, indent=2))
        return
    if not articles:
        console.print("No articles yet. Submit one with `gnews-i18n submit FILE --to ko`.")
        return
    table = Table("article", "slug", "rev", "translation", "lang", "state", "progress", "published / problem")
    failed = 0
    for article in articles:
        rows = article["translations"] or [None]
        for index, t in enumerate(rows):
            head = [str(article["id"]), article["slug"], str(article["revision"])] if index == 0 else ["", "", ""]
            if t is None:
                table.add_row(*head, "-", "-", "-", "-", "-")
                continue
            progress = f"{t['progress'][0]}/{t['progress'][1]}" if t["progress"][1] else ""
            last = t["published_path"] or ""
            if t["state"] == "failed":
                failed += 1
                last = f"[red]{(t['error'] or 'failed').splitlines()[0][:160]}[/red]"
            table.add_row(*head, str(t["id"]), t["target_lang"], t["state"], progress, last)
    console.print(table)
    if failed:
        console.print(f"{failed} translation(s) failed: fix the cause shown, then `gnews-i18n requeue --failed`.")


@app.command()
def worker(
    queues: str = typer.Option("translate,publish,maintenance", help="Queues to consume, comma-separated "
                               "(maintenance: the sweep that `beat` sends)."),
    concurrency: int = typer.Option(1, help="Worker processes. Each loads its own models."),
    loglevel: str = typer.Option("INFO", help="Celery log level."),
    hostname: str = typer.Option(None, help="Worker node name (default gnews-<queues>@host)."),
    beat: bool = typer.Option(False, "--beat", help="Also run the scheduler in this worker (one machine; "
                              "elsewhere run `gnews-i18n beat` once)."),
) -> None:
    """Start a Celery worker on the configured broker (embedded SQLite when none is set).

    SIGTERM stops it warmly: running tasks finish, for at most GNEWS_SHUTDOWN_GRACE_SECONDS (60);
    then it exits by force, and what it was doing is sent again once its lease runs out."""
    settings = load_settings()
    if not settings.torch_threads:  # share the cores between the worker processes
        os.environ["GNEWS_TORCH_THREADS"] = str(max(1, (os.cpu_count() or 1) // concurrency))
    from gnews_i18n.queue import app as celery_app
    from gnews_i18n.queue import ensure_broker_ready

    ensure_broker_ready()

    err.print(f"worker: broker {settings.broker_url.split('@')[-1]}, queues {queues}, concurrency {concurrency}",
              highlight=False)
    argv = ["worker", "-Q", queues, "-c", str(concurrency), "--loglevel", loglevel,
            "-n", hostname or f"gnews-{queues.replace(',', '-')}@%h"]
    if beat:
        argv += ["--beat", "--schedule", str(settings.data_dir / "beat-schedule")]
    celery_app.worker_main(argv)


@app.command("beat")
def beat_command(loglevel: str = typer.Option("INFO", help="Celery log level.")) -> None:
    """Run Celery beat: every GNEWS_SWEEP_SECONDS (30) it sends the sweep, which re-sends work
    that stalled (jobs queued while the broker was down, a dead worker's job once its lease runs
    out, approved translations not yet published). Run exactly one per installation."""
    settings = load_settings()
    from gnews_i18n.queue import app as celery_app
    from gnews_i18n.queue import ensure_broker_ready

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    ensure_broker_ready()
    err.print(f"beat: broker {_broker_name(settings)}, sweep every {settings.sweep_seconds:g} s, "
              f"re-sending work quiet for {settings.resend_after_seconds:g} s", highlight=False)
    celery_app.start(["beat", "--loglevel", loglevel, "--schedule", str(settings.data_dir / "beat-schedule")])


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on (0.0.0.0 in a container)."),
    port: int = typer.Option(8000, help="Port."),
) -> None:
    """Serve the REST API (OpenAPI at /docs) and the reviewers' web desk (/queue).

    Reviewers log in with a password: `gnews-i18n users add NAME --role reviewer --lang ko --password`.

    Scripts send `Authorization: Bearer <token>` from `gnews-i18n users token NAME`.

    Published editions are previewed under /site/.
    """
    import uvicorn

    uvicorn.run("gnews_i18n.api.app:create_app", factory=True, host=host, port=port, log_level="info")


@app.command()
def requeue(
    failed: bool = typer.Option(False, "--failed", help="Also give failed translations another try "
                                "(after fixing what `gnews-i18n status` shows)."),
    translation: list[int] = typer.Option(None, "--translation", help="With --failed: only these ids."),
) -> None:
    """Re-send queued, interrupted and approved-but-unpublished work to the workers.

    Rarely needed: `gnews-i18n beat` does this every half minute."""
    from gnews_i18n.cli_auth import check_now
    from gnews_i18n.recovery import release_failed
    from gnews_i18n.tasks import resend_pending

    check_now(fail, "publish")  # with a token, only a publisher re-sends work
    db = _database()
    if translation and not failed:
        fail("--translation goes with --failed")
    released = release_failed(db, translation or None) if failed else []
    if failed and translation and len(released) < len(translation):
        missing = sorted(set(translation) - set(released))
        err.print(f"not failed (left as they are): {', '.join(map(str, missing))}", highlight=False)
    queued, running, approved = resend_pending(db)
    console.print(f"re-sent {queued} queued ({len(released)} of them failed before), {running} in progress, "
                  f"{approved} approved job(s)")


@app.command("translate")
def translate_stdin(
    src: str = typer.Option(..., "--src", help="Source language."),
    tgt: str = typer.Option(..., "--tgt", help="Target language."),
    model: str = typer.Option(None, "--model", help="Model directory or hub id (else GNEWS_MODEL_SRC_TGT)."),
    glossary: list[Path] = typer.Option(None, "--glossary", help="Glossary file(s) over the active ones; repeat."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per line: text, term hits, flags."),
) -> None:
    """Translate standard input line by line to standard output (no queue, no database).

    Glossary terms come out in their approved form; with --json each line also lists
    the terms found, how they were placed, and flags (missing terms, suggested names).
    """
    from gnews_i18n.mt import ModelNotAvailable, get_translator
    from gnews_i18n.pipeline import SegmentDraft, translate_segments
    from gnews_i18n.terms import GlossaryError, Terminology, load_glossaries

    src, tgt = language(src, "--src"), language(tgt, "--tgt")
    if model:
        os.environ[f"GNEWS_MODEL_{src.upper()}_{tgt.upper()}"] = model
    settings = load_settings()
    try:
        terms = load_glossaries(settings.glossary_paths + list(glossary or []))
        translator = get_translator(settings, src, tgt)
    except (ModelNotAvailable, GlossaryError) as error:
        fail(str(error))
    lines = sys.stdin.read().splitlines()
    drafts = [SegmentDraft(0, i, line) for i, line in enumerate(lines) if line.strip()]
    translate_segments(drafts, translator, terminology=Terminology(terms, src, tgt))
    by_line = {d.sentence_index: d for d in drafts}
    for index, line in enumerate(lines):
        draft = by_line.get(index)
        if as_json:
            print(json.dumps({"source": line, "text": draft.machine_text if draft else "",
                              "terms": draft.terms if draft else [], "flags": draft.flags if draft else [],
                              "provenance": draft.provenance if draft else {}}, ensure_ascii=False))
        else:
            print(draft.machine_text if draft else "")


@app.command("qa")
def qa_stdin(
    src: str = typer.Option(..., "--src", help="Source language."),
    tgt: str = typer.Option(..., "--tgt", help="Target language."),
    glossary: list[Path] = typer.Option(None, "--glossary", help="Also check glossary terms (active ones if omitted "
                                        "and some are configured)."),
    date: str = typer.Option(None, "--date", help="The article's date, YYYY-MM-DD: a month or year the "
                             "translation completes from it (19일 → March 19) is then not an addition."),
    origin: str = typer.Option("human", "--origin", help="Who wrote the targets: human (a missing glossary term "
                               "is a warning) or machine (an error)."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per line."),
) -> None:
    """Check bilingual text: reads source<TAB>target lines on stdin, prints the flags of each pair.

    The lines are taken as one article in order, so a term named in full on an earlier line
    may be shortened later. Exit status 1 when any pair has an error flag, so it can gate a script.
    """
    from gnews_i18n.qa import QAContext, check_pair, has_errors
    from gnews_i18n.qa.context import ORIGINS, parse_date
    from gnews_i18n.qa.policy import PolicyError
    from gnews_i18n.terms import GlossaryError, Terminology, load_glossaries

    src, tgt = language(src, "--src"), language(tgt, "--tgt")
    if origin not in ORIGINS:
        fail(f"--origin {origin!r}: use one of {', '.join(ORIGINS)}")
    try:
        article_date = parse_date(date) if date else None
    except ValueError as error:
        fail(f"--date: {error}")
    paths = load_settings().glossary_paths + list(glossary or [])
    try:
        terminology = Terminology(load_glossaries(paths), src, tgt) if paths else None
    except GlossaryError as error:
        fail(str(error))
    any_errors = False
    sources: list[str] = []
    targets: list[str] = []
    for number, line in enumerate(sys.stdin.read().splitlines(), 1):
        if not line.strip():
            continue
        if "\t" not in line:
            fail(f"line {number}: expected source<TAB>target")
        source, target = line.split("\t", 1)
        context = QAContext(article_date, origin, " ".join(sources), " ".join(targets))
        try:
            flags = check_pair(source, target, src, tgt, terminology, context)
        except PolicyError as error:
            fail(str(error))
        sources.append(source)
        targets.append(target)
        any_errors |= has_errors(flags)
        if as_json:
            print(json.dumps({"line": number, "source": source, "target": target, "flags": flags},
                             ensure_ascii=False))
        else:
            for item in flags:
                fix = f" [fix: {item['fix']['find']} → {item['fix']['replace']}]" if item.get("fix") else ""
                print(f"{number}: {item['severity']}: {item['id']}: {item['message']}{fix}")
    if any_errors:
        raise typer.Exit(1)


@models_app.command("make-test")
def models_make_test(
    directory: Path = typer.Argument(..., help="Where to write the model."),
    src: str = typer.Option(..., "--src"),
    tgt: str = typer.Option(..., "--tgt"),
    d_model: int = typer.Option(64, help="Hidden size (64 loads in a blink; 512 is opus-mt's)."),
    layers: int = typer.Option(2, help="Encoder and decoder layers."),
    corpus: list[Path] = typer.Option(None, "--corpus", help="Extra local text (LANG=FILE) for the tokenizers."),
    family: str = typer.Option("marian", help="marian (one pair) or m2m100 (many languages, language codes)."),
    ct2: bool = typer.Option(False, "--ct2", help="Also convert it for the CTranslate2 backend."),
    trained: bool = typer.Option(False, "--trained", help="Train it on template newsletter sentences (ko↔en only): "
                                 "a model that really translates its narrow domain, for terminology tests."),
    size: str = typer.Option("tiny", "--size", help="With --trained: tiny (CI, minutes) or bench (longer)."),
) -> None:
    """Build a small random-weights model offline (for tests and the offline demo), or with
    --trained a small trained one (cached; GNEWS_TEST_MODEL_CACHE says where)."""
    from gnews_i18n.mt.testmodel import build_test_m2m100, build_test_model

    src, tgt = language(src, "--src"), language(tgt, "--tgt")
    if trained:
        from gnews_i18n.mt.training import SIZES, build_trained_model

        if {src, tgt} != {"ko", "en"} or size not in SIZES:
            fail(f"--trained builds ko→en or en→ko in size {' or '.join(SIZES)}; got {src}→{tgt}, size {size!r}")
        report = build_trained_model(directory, src, tgt, size, ct2=ct2, log=lambda line: err.print(line))
        console.print(f"trained test model {src}→{tgt} ({size}) in {directory}"
                      f"{' (from the cache)' if report.cached else f', {report.seconds:.0f} s of training'}: "
                      f"held-out exact match {report.held_out_exact:.1%}, unseen Latin names copied "
                      f"{report.latin_copied:.1%}. Not a production model.")
        return

    extra: dict[str, list[Path]] = {}
    for item in corpus or []:
        lang, _, path = str(item).partition("=")
        if not path:
            fail(f"--corpus takes LANG=FILE, got {item}")
        extra.setdefault(lang, []).append(Path(path))
    try:
        if family == "m2m100":
            build_test_m2m100(directory, tuple(dict.fromkeys([src, tgt, "ko", "en"])), d_model=d_model, layers=layers)
        else:
            build_test_model(directory, src, tgt, d_model=d_model, layers=layers, corpus=extra)
    except ValueError as error:
        fail(str(error))
    if ct2:
        from gnews_i18n.mt.ct2_backend import convert

        convert(directory, force=True)
    console.print(f"test model {src}→{tgt} written to {directory}. Use it with "
                  f"GNEWS_MODEL_{src.upper()}_{tgt.upper()}={directory} (its wording is meaningless).")


from gnews_i18n import (  # noqa: E402  (they register their commands)
    cli_demo,
    cli_glossary,
    cli_issue,
    cli_memory,
    cli_models,
    cli_publish,
    cli_review,
    cli_users,
)

cli_glossary.register(glossary_app, fail, console, err)
cli_models.register(models_app, fail, console)
cli_review.register(review_app, _database, fail, console)
cli_demo.register(app, fail, console, err)
cli_users.register_users(users_app, _database, fail, console)
cli_memory.register_memory(memory_app, _database, fail, console)
cli_memory.register_report(app, _database, console)
cli_publish.register(app, _database, fail, console)
app.add_typer(cli_issue.issue_app, name="issue")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
