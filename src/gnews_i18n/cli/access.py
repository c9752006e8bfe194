"""Who acts at the command line: the operator, or with ``GNEWS_TOKEN`` set, the token's user.

Without a token the CLI is the operator's door (they hold the database anyway) and
``--by`` names who acted. With one, every acting command runs the same permission
check as the API: an unknown (forged, revoked) token is refused, and the user's roles,
languages and the four-eyes rule apply.
"""

from __future__ import annotations

import os

from gnews_i18n.auth import Forbidden, require, user_for_token
from gnews_i18n.auth.permissions import Actor, Authors
from gnews_i18n.cli.common import database, fail
from gnews_i18n.store.models import article_authors

TOKEN_VARIABLE = "GNEWS_TOKEN"


def token_set() -> bool:
    return bool(os.environ.get(TOKEN_VARIABLE, "").strip())


def token_actor(session) -> Actor | None:
    """The token's user, None without a token; a token that matches nobody ends the command."""
    token = os.environ.get(TOKEN_VARIABLE, "").strip()
    if not token:
        return None
    actor = user_for_token(session, token)
    if actor is None:
        fail(f"{TOKEN_VARIABLE} is not a valid token (unknown, revoked, or its user is inactive); an admin makes "
             "one with `gnews-i18n users token NAME`, or unset it to act as the operator")
    return actor


def check(session, action: str, lang: str | None = None, submitted_by: Authors = None) -> Actor | None:
    """The token's user if they may do ``action``; None without a token; else the command ends."""
    actor = token_actor(session)
    if actor is None:
        return None
    try:
        require(actor, action, lang, submitted_by)
    except Forbidden as error:
        fail(str(error))
    return actor


def check_now(action: str) -> Actor | None:
    """``check`` in its own database session, for commands that otherwise touch no database."""
    if not token_set():
        return None
    db = database()
    try:
        with db.session() as session:
            return check(session, action)
    finally:
        db.dispose()


def acting_name(session, by: str, action: str) -> str:
    """The name to record: the token's user (checked for ``action``), else ``--by``."""
    actor = check(session, action)
    return actor.name if actor is not None else by


def acting_user(session, by: str, action: str, translation) -> str:
    """The name to record for an action on ``translation``: the token's user (checked), else ``--by``."""
    actor = check(session, action, translation.target_lang, article_authors(translation))
    return actor.name if actor is not None else by
