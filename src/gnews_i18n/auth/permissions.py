"""The role × action table, and the two rules a table cannot hold.

Roles are additive: a user may be editor and reviewer at once. Two rules sit on top:
a reviewer acts only on translations into their languages, and nobody approves a
translation of an article they submitted themselves (four eyes) — any revision of it,
a correction included: whoever wrote an earlier revision wrote most of the text a correction
carries (decision 0031).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

ROLES = ("editor", "reviewer", "publisher", "admin")

# action → roles that may do it
ACTIONS: dict[str, frozenset[str]] = {
    "view": frozenset(ROLES),
    "submit": frozenset({"editor"}),
    "edit_source": frozenset({"editor"}),
    "comment": frozenset({"editor", "reviewer", "publisher"}),
    "edit_segment": frozenset({"reviewer"}),
    "approve": frozenset({"reviewer"}),
    "request_changes": frozenset({"reviewer"}),
    "publish": frozenset({"publisher"}),
    "unpublish": frozenset({"publisher"}),
    "build_issue": frozenset({"editor", "publisher"}),  # newsletter issues: create, add, remove articles
    "release_issue": frozenset({"publisher"}),
    "manage_glossary": frozenset({"admin"}),
    "manage_users": frozenset({"admin"}),
    "manage_subscribers": frozenset({"publisher", "admin"}),  # the newsletter's readers: add, import, forget
}
LANGUAGE_SCOPED = {"edit_segment", "approve", "request_changes"}


class Forbidden(PermissionError):
    """The user lacks the role, the language, or is approving their own article."""


@dataclass(frozen=True)
class Actor:
    """The part of a user that permission checks need (detached from any session)."""

    name: str
    roles: frozenset[str]
    languages: frozenset[str]

    @classmethod
    def of(cls, user) -> Actor:
        return cls(user.name, frozenset(user.roles or ()), frozenset(user.languages or ()))


Authors = str | Iterable[str] | None  # who submitted the article: one name, or every revision's


def denial(actor: Actor, action: str, lang: str | None = None, submitted_by: Authors = None) -> str | None:
    """Why ``actor`` may not do ``action`` (on a translation into ``lang``, of an article ``submitted_by``
    one person or several, one per revision); None when allowed."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    needed = ACTIONS[action]
    if not actor.roles & needed:
        return f"{actor.name} cannot {action.replace('_', ' ')}: it needs the role {' or '.join(sorted(needed))}"
    if action in LANGUAGE_SCOPED and lang is not None and "*" not in actor.languages and lang not in actor.languages:
        scope = ", ".join(sorted(actor.languages)) or "no language"
        return f"{actor.name} reviews {scope}, not {lang}; an admin can `gnews-i18n users grant {actor.name} " \
               f"reviewer --lang {lang}`"
    authors = {submitted_by} if isinstance(submitted_by, str) else set(submitted_by or ())
    if action == "approve" and actor.name in authors:
        return f"{actor.name} submitted this article and cannot approve its translations; another reviewer must"
    return None


def allowed(actor: Actor, action: str, lang: str | None = None, submitted_by: Authors = None) -> bool:
    return denial(actor, action, lang, submitted_by) is None


def require(actor: Actor, action: str, lang: str | None = None, submitted_by: Authors = None) -> None:
    reason = denial(actor, action, lang, submitted_by)
    if reason:
        raise Forbidden(reason)
