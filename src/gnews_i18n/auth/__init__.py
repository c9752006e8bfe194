"""Who may do what: users, roles, API tokens, passwords."""

from gnews_i18n.auth.permissions import ACTIONS, ROLES, Forbidden, allowed, require
from gnews_i18n.auth.users import (
    UserError,
    add_user,
    authenticate,
    grant,
    issue_token,
    set_password,
    user_for_token,
)

__all__ = [
    "ACTIONS", "ROLES", "Forbidden", "UserError", "add_user", "allowed", "authenticate", "grant", "issue_token",
    "require", "set_password", "user_for_token",
]
