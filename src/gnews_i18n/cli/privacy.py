"""``gnews-i18n privacy …``: an article's personal-data findings, and allowing one of them."""

from __future__ import annotations

import typer

from gnews_i18n.cli.access import check
from gnews_i18n.cli.common import console, database, fail
from gnews_i18n.review.personal_data import FindingError, allow_finding, article_findings

app = typer.Typer(help="Personal data in articles: list the findings, allow one (docs/privacy.md).",
                  no_args_is_help=True)


@app.command("list")
def privacy_list(article_id: int = typer.Argument(..., help="The article's id (`gnews-i18n status`).")) -> None:
    """Every personal-data finding in the article's latest text and its drafts: id, where, kind,
    masked form, and what was decided (undecided, allowed with who/when/why, redacted, warning)."""
    try:
        with database().session() as session:
            check(session, "submit")
            found = article_findings(session, article_id)
    except FindingError as error:
        fail(str(error))
    if not found:
        console.print(f"article {article_id}: no personal data found")
        return
    for item in found:
        decided = (f"{item.status} by {item.decided_by or '?'} at {item.decided_at}"
                   + (f": {item.reason}" if item.reason else "")) if item.decided_at else item.status
        console.print(f"{item.located.finding_id}  {item.located.describe()}  [{decided}]", highlight=False,
                      markup=False)


@app.command("allow")
def privacy_allow(
    article_id: int = typer.Argument(..., help="The article's id."),
    finding: str = typer.Argument(..., help="The finding's id (from `privacy list`, a refusal or a flag)."),
    reason: str = typer.Option(..., "--reason", help="Who checked it and why it may be published, e.g. \"patient "
                               "consented in writing\"; recorded with your name and the time."),
    by: str = typer.Option(None, "--by", help="Who decides (the token's user when GNEWS_TOKEN is set)."),
) -> None:
    """Allow one finding (that identifier, in this article only) instead of the whole article or
    a policy change; the drafts' personal_data flags are made again."""
    try:
        with database().session() as session:
            actor = check(session, "submit")
            who = actor.name if actor is not None else by
            if not who:
                fail("say who decides: --by NAME (or set GNEWS_TOKEN)")
            item = allow_finding(session, article_id, finding, reason, who)
    except FindingError as error:
        fail(str(error))
    console.print(f"article {article_id}: finding {item.located.finding_id} ({item.located.finding.name}) "
                  f"{item.status} by {item.decided_by} at {item.decided_at}", highlight=False, markup=False)
