"""``gnews-i18n review …``: the command-line review desk."""

from __future__ import annotations

import json

import typer
from rich.table import Table


def register(review_app: typer.Typer, database, fail, console) -> None:
    @review_app.command("list")
    def review_list(
        lang: str = typer.Option(None, "--lang", help="Only this target language."),
        all_states: bool = typer.Option(False, "--all", help="Every translation, not only those in review."),
        as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
    ) -> None:
        """Translations waiting for review, oldest first."""
        from gnews_i18n.states import TranslationState
        from gnews_i18n.views import list_translations

        states = None if all_states else [TranslationState.IN_REVIEW, TranslationState.CHANGES_REQUESTED]
        with database().session() as session:
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

    @review_app.command("show")
    def review_show(translation_id: int = typer.Argument(..., help="Translation id (see `review list`).")) -> None:
        """Source and draft, segment by segment, with flags."""
        from gnews_i18n.review.actions import ReviewError, get_translation

        with database().session() as session:
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
                where = ("title" if segment.block_index < 0 else f"{segment.block_index}.{segment.sentence_index}")
                where += f"\nv{segment.version} {segment.state}"
                flags = "\n".join(f"{f['severity']}: {f['message']}" for f in segment.flags or [])
                table.add_row(where, segment.source_text, segment.text, flags)
            console.print(table)

    @review_app.command("edit")
    def review_edit(
        translation_id: int = typer.Argument(..., help="Translation id."),
        position: str = typer.Argument(..., help="Segment: 'title' or BLOCK.SENTENCE as `review show` lists it."),
        text: str = typer.Argument(..., help="The corrected translation of that segment."),
        by: str = typer.Option("cli", "--by", help="Reviewer name recorded with the edit."),
        version: int = typer.Option(None, "--version", help="Refuse if the segment changed since this version."),
    ) -> None:
        """Correct one segment; the quality checks run again on the new text."""
        from gnews_i18n.config import load_settings
        from gnews_i18n.jobs import article_terms
        from gnews_i18n.review.actions import ReviewError, edit_segment, get_translation

        with database().session() as session:
            try:
                revision = get_translation(session, translation_id).revision
                glossary = article_terms(load_settings(), revision.glossary)
                segment = edit_segment(session, translation_id, position, text, by, version, glossary)
            except ReviewError as error:
                fail(str(error))
            flags = [f"{f['severity']}: {f['message']}" for f in segment.flags]
        console.print(f"segment {position} saved (version {segment.version})" +
                      ("; flags:\n  " + "\n  ".join(flags) if flags else "; no flags"))

    @review_app.command("approve")
    def review_approve(
        translation_id: int = typer.Argument(..., help="Translation id (see `review list`)."),
        by: str = typer.Option("cli", "--by", help="Reviewer name recorded with the approval."),
        publish: bool = typer.Option(True, "--publish/--no-publish", help="Queue publishing after approval."),
        override: str = typer.Option(None, "--override", help="Reason for approving despite QA error flags."),
    ) -> None:
        """Approve a whole translation; publishing is queued. QA errors block it unless overridden."""
        from gnews_i18n.review.actions import ReviewError, approve
        from gnews_i18n.tasks import enqueue_publication

        db = database()
        try:
            with db.session() as session:
                approve(session, translation_id, by, override=override)
        except ReviewError as error:
            fail(str(error))
        if publish:
            enqueue_publication(db, translation_id)
        console.print(f"translation {translation_id} approved" + ("; publishing queued." if publish else "."))
