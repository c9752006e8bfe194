"""The ``gnews-i18n`` command: thin doors into intake, the queue, review and publishing.

One module per command group, each with its own ``typer.Typer()``; groups without a name
(``articles``, ``workers`` …) add top-level commands. Shared helpers live in ``common``
and ``access``.
"""

from __future__ import annotations

import typer

from gnews_i18n.cli import (
    articles,
    demo,
    glossary,
    issue,
    memory,
    models,
    privacy,
    publish,
    report,
    review,
    subscribers,
    text,
    users,
    workers,
)

app = typer.Typer(
    help="gnews-i18n: submit Korean and English articles, translate them on Celery workers, "
    "review the drafts and publish localized editions.\n\n"
    "Start with `gnews-i18n demo --offline` to see the whole path on the sample article.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
# Top-level commands, in the order `--help` lists them.
for commands in (articles.app, workers.app, text.app, demo.app, report.app, publish.app):
    app.add_typer(commands)
app.add_typer(review.app, name="review")
app.add_typer(glossary.app, name="glossary")
app.add_typer(models.app, name="models")
app.add_typer(users.app, name="users")
app.add_typer(memory.app, name="memory")
app.add_typer(issue.app, name="issue")
app.add_typer(privacy.app, name="privacy")
app.add_typer(subscribers.app, name="subscribers")


def main() -> None:
    app()


__all__ = ["app", "main"]
