"""Roles and permissions: every cell of the role × action table, plus languages and four eyes."""

from __future__ import annotations

import json

import pytest

from gnews_i18n.auth import (
    ACTIONS,
    ROLES,
    Forbidden,
    UserError,
    add_user,
    allowed,
    authenticate,
    grant,
    issue_token,
    require,
    user_for_token,
)
from gnews_i18n.auth.permissions import Actor
from gnews_i18n.store.models import ApiToken

from conftest import run_cli as run

# What each role may do: the table the issue asks for, written out by hand so a change in
# permissions.py that is not also made here fails the test.
EXPECTED = {
    "editor": {"view", "submit", "edit_source", "comment", "build_issue"},
    "reviewer": {"view", "comment", "edit_segment", "approve", "request_changes"},
    "publisher": {"view", "comment", "publish", "unpublish", "build_issue", "release_issue", "manage_subscribers"},
    "admin": {"view", "manage_glossary", "manage_users", "manage_subscribers"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_role_action_matrix(role, action):
    actor = Actor("someone", frozenset({role}), frozenset({"*"}))
    assert allowed(actor, action, lang="ru") == (action in EXPECTED[role])


def test_a_reviewer_acts_only_on_their_languages():
    ru = Actor("olga", frozenset({"reviewer"}), frozenset({"ru"}))
    assert allowed(ru, "approve", lang="ru") and allowed(ru, "edit_segment", lang="ru")
    for action in ("approve", "edit_segment", "request_changes"):
        with pytest.raises(Forbidden, match="reviews ru, not ko"):
            require(ru, action, lang="ko")
    assert allowed(ru, "view", lang="ko")


def test_an_editor_cannot_approve_their_own_article():
    both = Actor("kim", frozenset({"editor", "reviewer"}), frozenset({"ko"}))
    with pytest.raises(Forbidden, match="submitted this article"):
        require(both, "approve", lang="ko", submitted_by="kim")
    assert allowed(both, "approve", lang="ko", submitted_by="lee")
    assert allowed(both, "edit_segment", lang="ko", submitted_by="kim")


def test_users_tokens_and_passwords(db):
    with db.session() as session:
        add_user(session, "olga", ["reviewer"], ["ru"], password="correct horse")
        token = issue_token(session, "olga", "laptop")
    with db.session() as session:
        stored = session.query(ApiToken).one()
        assert token not in stored.token_hash and len(stored.token_hash) == 64  # only the hash
        assert user_for_token(session, token).name == "olga"
        assert user_for_token(session, token + "x") is None
        assert authenticate(session, "olga", "correct horse").languages == {"ru"}
        assert authenticate(session, "olga", "wrong horse!") is None
        assert authenticate(session, "nobody", "correct horse") is None
        grant(session, "olga", "reviewer", ["uz"])
        assert user_for_token(session, token).languages == {"ru", "uz"}
        grant(session, "olga", "reviewer", ["ru"], revoke=True)
        assert user_for_token(session, token).languages == {"uz"}
    with db.session() as session, pytest.raises(UserError, match="needs languages"):
        add_user(session, "ivan", ["reviewer"])
    with db.session() as session, pytest.raises(UserError, match="unknown role"):
        add_user(session, "ivan", ["boss"])
    with db.session() as session, pytest.raises(UserError, match="exists already"):
        add_user(session, "olga", ["editor"])
    with db.session() as session, pytest.raises(UserError, match="at least 8"):
        add_user(session, "ivan", ["editor"], password="short")


def test_users_commands(gnews_env):
    added = run(gnews_env, "users", "add", "olga", "--role", "reviewer", "--lang", "ru", "--password-stdin",
                input="a long password\n")
    assert added.returncode == 0, added.stderr
    assert run(gnews_env, "users", "grant", "olga", "publisher").returncode == 0
    token = run(gnews_env, "users", "token", "olga", "--label", "ci")
    assert token.returncode == 0 and token.stdout.strip().startswith("gn_")
    assert "cannot be shown again" in token.stderr
    listed = json.loads(run(gnews_env, "users", "list", "--json").stdout)
    assert listed == [{"name": "olga", "roles": ["reviewer", "publisher"], "languages": ["ru"], "active": True,
                       "password": True, "tokens": 1}]
    bad = run(gnews_env, "users", "add", "ivan", "--role", "reviewer")
    assert bad.returncode == 1 and "--lang" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_cli_with_a_token_checks_the_reviewers_languages(gnews_env, draft):
    """GNEWS_TOKEN makes the CLI act as that user: a ru reviewer cannot approve a ko draft."""
    run(gnews_env, "users", "add", "olga", "--role", "reviewer", "--lang", "ru")
    token = run(gnews_env, "users", "token", "olga").stdout.strip()
    refused = run({**gnews_env, "GNEWS_TOKEN": token}, "review", "approve", str(draft), "--override", "test model")
    assert refused.returncode == 1 and "reviews ru, not ko" in refused.stderr
