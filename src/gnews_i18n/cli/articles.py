"""``submit`` and ``status``: an article's way into the queue, and following it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.table import Table

from gnews_i18n.articles.queries import list_articles
from gnews_i18n.articles.submission import parse_targets
from gnews_i18n.articles.submission import submit as submit_article
from gnews_i18n.cli.access import check
from gnews_i18n.cli.common import broker_name, console, database, err, fail
from gnews_i18n.config import load_settings
from gnews_i18n.intake import IntakeError, parse_article
from gnews_i18n.intake.photos import attach_photos, files_beside
from gnews_i18n.languages import EDITION_LANGUAGES
from gnews_i18n.publish import NothingToPublish, PersonalDataInEdition, TargetError, publish_correction
from gnews_i18n.states import TranslationState
from gnews_i18n.store.models import Translation
from gnews_i18n.terms import GlossaryError, load_glossaries
from gnews_i18n.terms.csvfile import write_csv

app = typer.Typer()


@app.command()
def submit(
    files: list[Path] = typer.Argument(..., help="Article files: .md (YAML front matter), .html, .txt or .json."),
    to: str = typer.Option("", "--to", help="Target languages, comma-separated (e.g. ko,ru,uz). Required: without "
                           "it nothing would be translated, so submit stores nothing and exits with status 1."),
    lang: str = typer.Option(None, "--lang", help="Source language (ko or en); detected when omitted."),
    fmt: str = typer.Option(None, "--format", help="markdown, html, text or json; guessed from the name."),
    queue: bool = typer.Option(True, "--queue/--no-queue", help="Send translation jobs to the workers."),
    glossary: Path = typer.Option(None, "--glossary", help="The articles' own glossary (CSV), over the active ones."),
    by: str = typer.Option(None, "--by", help="Editor recorded as the submitter (the token's user when GNEWS_TOKEN "
                           "is set); they may not approve its translations."),
    correction: str = typer.Option(None, "--correction", help="Submit a published article's corrected text as a "
                                   "correction, with this note for readers (translated into every edition); only "
                                   "changed sentences go back to review."),
    allow_personal_data: str = typer.Option(None, "--allow-personal-data", help="Submit an article in which the "
                                            "privacy guard found personal identifiers (resident numbers, mobile "
                                            "phones, private e-mail …) because a person checked it may be published; "
                                            "this reason and the submitter are recorded."),
    redact_personal_data: bool = typer.Option(False, "--redact-personal-data", help="Mask the personal identifiers "
                                              "the privacy guard finds (900101-1******) before the text is stored; "
                                              "the original is never written anywhere."),
    allow_finding: list[str] = typer.Option(None, "--allow-finding", help="With --allow-personal-data: allow only "
                                            "this finding (its id from the list submit printed; repeat for "
                                            "several); any other undecided finding still stops the article."),
) -> None:
    """Submit articles and queue their translations. Prints one article id per line.

    Each article and language is one job, so every free worker takes a share. A file that
    cannot be taken in is reported and the others go on. With the broker down, the articles
    are stored anyway and their jobs are sent when it is back. Submitting identical text
    again adds no revision and queues only the languages it has no translation for yet.

    An article carrying personal identifiers (docs/privacy.md) is not stored unless
    --redact-personal-data or --allow-personal-data "REASON" says what a person decided
    (for every finding, or with --allow-finding ID for the ones named).

    Photos: an image a figure names (``![alt](photos/ajou.jpg)``) is read from beside the article
    file, checked by its content (JPEG, PNG, WebP or GIF) and stored without its metadata.

    Exit status: 0 when every file was taken in; 1 when --to is missing (nothing is stored),
    or when a file could not be read, parsed, has nothing to translate, or carries personal
    data nobody decided about (the others go on).
    """
    settings = load_settings()
    db = database()
    with db.session() as session:
        actor = check(session, "submit")
    submitted_by = actor.name if actor is not None else by
    if not any(code.strip() for code in to.split(",")):
        fail("no target languages: nothing would be translated, so nothing was stored. Say which editions to "
             "translate into with --to, e.g. `gnews-i18n submit FILE --to ko,ru` (languages: "
             f"{', '.join(EDITION_LANGUAGES)})")
    article_glossary = _article_glossary(glossary) if glossary else None
    by_target: dict[str, list[int]] = {}  # jobs go out language by language
    failed = 0
    for file in files:
        try:
            data = sys.stdin.buffer.read() if str(file) == "-" else file.read_bytes()
            article = parse_article(data, str(file), lang=lang, fmt=fmt, max_bytes=settings.max_article_bytes)
            # the photos the article shows, from the files beside it (checked by content, metadata stripped)
            attach_photos(article, files_beside(article, Path.cwd() if str(file) == "-" else file.parent),
                          str(file), max_bytes=settings.max_photo_bytes, max_pixels=settings.max_photo_pixels)
            targets = parse_targets(to, article.lang)
            if not targets:
                raise IntakeError(f"{file}: --to {to} names only the article's own language ({article.lang}), "
                                  "so there is nothing to translate; name another edition")
            with db.session() as session:
                result = submit_article(session, article, targets, glossary=article_glossary,
                                        submitted_by=submitted_by, correction=correction,
                                        allow_personal_data=allow_personal_data,
                                        redact_personal_data=redact_personal_data,
                                        raw=data.decode("utf-8", "replace"), allow_findings=allow_finding)
                states = {t: session.get(Translation, i).state for t, i in zip(targets, result.translation_ids,
                                                                               strict=True)}
        except OSError as error:
            err.print(f"[red]error:[/red] cannot read {file}: {error.strerror}", highlight=False)
            failed += 1
            continue
        except IntakeError as error:
            err.print(f"[red]error:[/red] {error}", highlight=False)
            failed += 1
            continue
        for item in result.personal_data:
            what_done = {"allowed": "allowed (reason recorded)", "redacted": "masked before storing"}.get(
                result.personal_data_decision or "", "") if item.action == "block" else "a warning only (policy)"
            err.print(f"[yellow]personal data:[/yellow] {file}: {item.describe()}; {what_done}", highlight=False)
        # Only queued translations are jobs: the worker skips any other state (an unchanged resubmission).
        jobs = [(t, i) for (t, i) in zip(targets, result.translation_ids, strict=True)
                if states[t] == TranslationState.QUEUED]
        for target, translation_id in jobs:
            by_target.setdefault(target, []).append(translation_id)
        others = ", ".join(f"{t} is {state}" for t, state in states.items()
                           if state != TranslationState.QUEUED)
        if correction is not None and result.new_revision:
            _publish_correction(db, settings, result.article_id)
        what = ("correction" if correction is not None else "new revision") if result.new_revision \
            else "unchanged: no new revision"
        done = f"{len(jobs)} translation job(s) {'queued' if queue else 'recorded'}" if jobs else "nothing queued"
        already = f" (already there: {others})" if others else ""
        err.print(f"article {result.article_id} ({article.slug}), revision {result.revision_number} ({what}); "
                  f"{done}{already}. Follow them with `gnews-i18n status {result.article_id}`.", highlight=False)
        print(result.article_id)
    if queue and by_target:
        from gnews_i18n.worker.tasks import enqueue_translations  # deferred: Celery is slow to import

        if not enqueue_translations([i for ids in by_target.values() for i in ids]):
            err.print(f"[yellow]note:[/yellow] the broker ({broker_name(settings)}) cannot be reached now. "
                      "The articles are stored and their jobs stay queued: they are sent when it is back "
                      "(by `gnews-i18n beat`, a worker starting, or `gnews-i18n requeue`).", highlight=False)
    if failed:
        raise typer.Exit(1)


def _article_glossary(path: Path) -> str:
    """The glossary file, checked and rewritten in the desk's CSV format."""
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
    with database().session() as session:
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
    failures: list[tuple[int, str, str]] = []  # printed in full below the table, where nothing cuts them
    for article in articles:
        rows = article["translations"] or [None]
        for index, t in enumerate(rows):
            head = [str(article["id"]), article["slug"], str(article["revision"])] if index == 0 else ["", "", ""]
            if t is None:
                table.add_row(*head, "-", "-", "-", "-", "-")
                continue
            progress = f"{t['progress'][0]}/{t['progress'][1]} {t['progress_kind']}" if t["progress"][1] else ""
            last = t["published_path"] or ""
            if t["state"] == "failed":
                failures.append((t["id"], t["target_lang"], t["error"] or "failed (no reason recorded)"))
                last = f"[red]failed: reason {len(failures)} below[/red]"
            table.add_row(*head, str(t["id"]), t["target_lang"], t["state"], progress, last)
    console.print(table)
    for number, (translation_id, lang, reason) in enumerate(failures, 1):
        console.print(f"[red]{number}.[/red] translation {translation_id} ({lang}): {reason}", highlight=False)
    if failures:
        console.print(f"{len(failures)} translation(s) failed: fix the cause shown, "
                      "then `gnews-i18n requeue --failed`.")


def _publish_correction(db, settings, article_id: int) -> None:
    """The source edition shows a correction at once; a target that cannot take it now is reported."""
    try:
        report = publish_correction(db, settings, article_id)
    except (NothingToPublish, PersonalDataInEdition, TargetError) as error:
        err.print(f"[yellow]note:[/yellow] the corrected source edition is not published yet: {error}; "
                  f"`gnews-i18n publish --article {article_id}` publishes it", highlight=False)
        return
    err.print(f"corrected source edition published ({len(report.written)} file(s))", highlight=False)
