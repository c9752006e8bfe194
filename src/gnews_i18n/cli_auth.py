"""Who acts at the command line: the operator, or with ``GNEWS_TOKEN`` set, the token's user.

Without a token the CLI is the operator's door (they hold the database anyway) and
``--by`` names who acted. With one, every acting command runs the same permission
check as the API: an unknown (forged, revoked) token is refused, and the user's roles,
languages and the four-eyes rule apply.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from gnews_i18n.auth.permissions import Actor

TOKEN_VARIABLE = "GNEWS_TOKEN"


def token_set() -> bool:
    return bool(os.environ.get(TOKEN_VARIABLE, "").strip())


def token_actor(session, fail: Callable[[str], None]) -> Actor | None:
    """The token's user, None without a token; a token that matches nobody ends the command."""
    from gnews_i18n.auth import user_for_token

    token = os.environ.get(TOKEN_VARIABLE, "").strip()
    if not token:
        return None
    actor = user_for_token(session, token)
    if actor is None:
        fail(f"{TOKEN_VARIABLE} is not a valid token (unknown, revoked, or its user is inactive); an admin makes "
             "one with `gnews-i18n users token NAME`, or unset it to act as the operator")
    return actor


def check(session, fail: Callable[[str], None], action: str, lang: str | None = None,
          submitted_by: str | None = None) -> Actor | None:
    """The token's user if they may do ``action``; None without a token; else the command ends."""
    from gnews_i18n.auth import Forbidden, require

    actor = token_actor(session, fail)
    if actor is None:
        return None
    try:
        require(actor, action, lang, submitted_by)
    except Forbidden as error:
        fail(str(error))
    return actor


def check_now(fail: Callable[[str], None], action: str) -> Actor | None:
    """``check`` in its own database session, for commands that otherwise touch no database."""
    if not token_set():
        return None
    from gnews_i18n.config import load_settings
    from gnews_i18n.store.db import Database

    database = Database(load_settings().database_url)
    try:
        with database.session() as session:
            return check(session, fail, action)
    finally:
        database.dispose()


def acting_user(session, by: str, action: str, translation, fail: Callable[[str], None]) -> str:
    """The name to record for an action on ``translation``: the token's user (checked), else ``--by``."""
    actor = check(session, fail, action, translation.target_lang, translation.revision.submitted_by)
    return actor.name if actor is not None else by
