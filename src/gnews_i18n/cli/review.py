"""``gnews-i18n review …``: the command-line review desk."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from gnews_i18n.articles.queries import list_translations
from gnews_i18n.cli.access import acting_user, check
from gnews_i18n.cli.common import console, database, fail, import_size
from gnews_i18n.config import load_settings
from gnews_i18n.review.actions import (
    ReviewError,
    approve,
    comments_of,
    edit_segment,
    get_translation,
    history_of,
    position,
    request_changes,
)
from gnews_i18n.review.file_import import ReviewImportError
from gnews_i18n.review.files import declared_translation, export_review, format_for, import_review
from gnews_i18n.states import TranslationState
from gnews_i18n.terms import article_terms

app = typer.Typer(help="Review drafts: list, show, edit, approve, request changes, PO export/import, "
                  "history.", no_args_is_help=True)


@app.command("list")
def review_list(
    lang: str = typer.Option(None, "--lang", help="Only this target language."),
    all_states: bool = typer.Option(False, "--all", help="Every translation, not only those in review."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Translations waiting for review, oldest first."""
    states = None if all_states else [TranslationState.IN_REVIEW, TranslationState.CHANGES_REQUESTED]
    with database().session() as session:
        check(session, "view")
        rows = list_translations(session, states, lang)
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        console.print("Nothing waits for review.")
        return
    table = Table("id", "article", "rev", "lang", "state", "title")
    for row in rows:
        table.add_row(str(row["id"]), row["slug"], str(row["revision"]),
                      f"{row['source_lang']}→{row['target_lang']}", row["state"], (row["title"] or "")[:60])
    console.print(table)


@app.command("show")
def review_show(translation_id: int = typer.Argument(..., help="Translation id (see `review list`).")) -> None:
    """Source and draft, segment by segment, with flags."""
    with database().session() as session:
        check(session, "view")
        try:
            translation = get_translation(session, translation_id)
        except ReviewError as error:
            fail(str(error))
        revision = translation.revision
        console.print(f"[bold]translation {translation.id}[/bold]  {revision.article.slug} rev {revision.number}  "
                      f"{revision.article.source_lang}→{translation.target_lang}  state {translation.state}",
                      highlight=False)
        table = Table("segment", "source", "draft", "flags", show_lines=True)
        for segment in translation.segments:
            where = f"{position(segment)}\nv{segment.version} {segment.state}"
            flags = "\n".join(f"{f['severity']}: {f['message']}" for f in segment.flags or [])
            table.add_row(where, segment.source_text, segment.text, flags)
        console.print(table)


@app.command("edit")
def review_edit(
    translation_id: int = typer.Argument(..., help="Translation id."),
    position: str = typer.Argument(
        ..., help="Segment: 'title', 'byline', 'correction' or BLOCK.SENTENCE, as `review show` lists it."),
    text: str = typer.Argument(..., help="The corrected translation of that segment."),
    by: str = typer.Option("cli", "--by", help="Reviewer name recorded with the edit."),
    version: int = typer.Option(None, "--version", help="Refuse if the segment changed since this version."),
) -> None:
    """Correct one segment; the quality checks run again on the new text."""
    with database().session() as session:
        try:
            translation = get_translation(session, translation_id)
            who = acting_user(session, by, "edit_segment", translation)
            glossary = article_terms(load_settings(), translation.revision.glossary)
            segment = edit_segment(session, translation_id, position, text, who, version, glossary)
        except ReviewError as error:
            fail(str(error))
        flags = [f"{f['severity']}: {f['message']}" for f in segment.flags]
    console.print(f"segment {position} saved (version {segment.version})" +
                  ("; flags:\n  " + "\n  ".join(flags) if flags else "; no flags"))


@app.command("approve")
def review_approve(
    translation_id: int = typer.Argument(..., help="Translation id (see `review list`)."),
    by: str = typer.Option("cli", "--by", help="Reviewer name recorded with the approval."),
    publish: bool = typer.Option(True, "--publish/--no-publish", help="Queue publishing after approval."),
    override: str = typer.Option(None, "--override", help="Reason for approving despite QA error flags."),
) -> None:
    """Approve a whole translation; publishing is queued. QA errors block it unless overridden."""
    from gnews_i18n.worker.tasks import enqueue_publication  # deferred: Celery is slow to import

    db = database()
    try:
        with db.session() as session:
            who = acting_user(session, by, "approve", get_translation(session, translation_id))
            approve(session, translation_id, who, override=override)
    except ReviewError as error:
        fail(str(error))
    queued = enqueue_publication(db, translation_id, on_approval=True) if publish else False
    console.print(f"translation {translation_id} approved" + (
        "; publishing queued." if queued else "; a publisher publishes it (`gnews-i18n publish`)."))


@app.command("request-changes")
def review_request_changes(
    translation_id: int = typer.Argument(..., help="Translation id."),
    comment: str = typer.Argument(..., help="What should change, for whoever picks the draft up."),
    by: str = typer.Option("cli", "--by", help="Reviewer name recorded with the request."),
    retranslate: bool = typer.Option(False, "--retranslate", help="Run machine translation again (the segments "
                                     "keep their history; their text is replaced)."),
) -> None:
    """Send a draft back with a comment: to the translators (it stays editable), or to MT again."""
    from gnews_i18n.worker.tasks import enqueue_translations  # deferred: Celery is slow to import

    with database().session() as session:
        try:
            who = acting_user(session, by, "request_changes", get_translation(session, translation_id))
            request_changes(session, translation_id, comment, who, retranslate=retranslate)
        except ReviewError as error:
            fail(str(error))
    if retranslate:
        enqueue_translations([translation_id])
    console.print(f"translation {translation_id}: changes requested"
                  + ("; machine translation queued again." if retranslate else "."))


@app.command("history")
def review_history(translation_id: int = typer.Argument(..., help="Translation id.")) -> None:
    """Who changed which segment when, and the comments."""
    with database().session() as session:
        check(session, "view")
        try:
            translation = get_translation(session, translation_id)
        except ReviewError as error:
            fail(str(error))
        where = {s.id: position(s) for s in translation.segments}
        table = Table("when", "who", "segment", "action", "version", "text")
        for change in history_of(session, translation_id):
            table.add_row(change.created_at.isoformat(timespec="seconds"), change.author,
                          where.get(change.segment_id, "?"), change.action, str(change.version), change.text)
        console.print(table)
        for comment in comments_of(session, translation_id):
            console.print(f"[bold]{comment.author}[/bold] {comment.created_at:%Y-%m-%d %H:%M}: {comment.body}",
                          highlight=False)


@app.command("export")
def review_export(
    translation_id: int = typer.Argument(..., help="Translation id."),
    output: Path = typer.Option(..., "-o", "--output", help="The file to write (.po, .xlf)."),
    fmt: str = typer.Option(None, "--format", help="po (any PO editor), xliff (XLIFF 1.2) or xliff2 (XLIFF 2.0) "
                            "for CAT tools; by default from the file's suffix (.xlf = XLIFF 1.2)."),
) -> None:
    """Write a draft for offline review: PO for PO editors, XLIFF for CAT tools (memoQ, Trados, OmegaT …)."""
    try:
        chosen = format_for(output.name, None, fmt)
    except ReviewImportError as error:
        fail(error.problems[0])
    with database().session() as session:
        try:
            text = export_review(session, translation_id, chosen).text
        except ReviewError as error:
            fail(str(error))
    output.write_text(text, encoding="utf-8")
    how = ("Edit msgstr to correct, clear 'fuzzy' to approve" if chosen == "po" else
           "Correct targets, confirm (final/approved) to approve")
    console.print(f"wrote {output}. {how}, then `gnews-i18n review import {output}`.")


@app.command("import")
def review_import(
    file: Path = typer.Argument(..., help="A PO or XLIFF file exported by `review export` and edited."),
    by: str = typer.Option("cli", "--by", help="Reviewer name recorded with the changes."),
    translation_id: int = typer.Option(None, "--translation", help="Refuse a file for another translation."),
) -> None:
    """Apply a reviewed PO or XLIFF file: all of it, or (with a list of problems) none of it."""
    import_size(file)
    try:
        data = file.read_bytes()
    except OSError as error:
        fail(f"cannot read {file}: {error.strerror}")
    fmt = format_for(file.name, data)
    db = database()
    try:
        with db.session() as session:
            declared = declared_translation(session, data, str(file), fmt)
            translation = get_translation(session, declared)
            who = acting_user(session, by, "edit_segment", translation)
            glossary = article_terms(load_settings(), translation.revision.glossary)
            result = import_review(session, data, str(file), who, fmt, translation_id=translation_id,
                                   glossary=glossary)
            if result.approved:  # cleared fuzzy flags approve: the approver's rules apply (all or nothing)
                acting_user(session, by, "approve", translation)
    except (ReviewImportError, ReviewError) as error:
        fail(str(error))
    console.print(f"translation {result.translation_id}: {len(result.edited)} edited, {len(result.approved)} "
                  f"approved, {result.unchanged} unchanged.")
    for where, flags in result.flags.items():
        for flag in flags:
            console.print(f"  {where}: {flag['severity']}: {flag['message']}", highlight=False)
