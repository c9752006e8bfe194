"""``gnews-i18n users …``: people at the desk, their roles, passwords and API tokens."""

from __future__ import annotations

import json
import sys

import typer
from rich.table import Table
from sqlalchemy import select

from gnews_i18n.auth import UserError, add_user, grant, issue_token, throttle
from gnews_i18n.auth.users import change_password, delete_user, revoke_token, set_active, tokens_of
from gnews_i18n.cli.access import check, token_actor
from gnews_i18n.cli.common import console, database, fail
from gnews_i18n.store.models import User

app = typer.Typer(help="People at the desk: roles, languages, passwords, API tokens.", no_args_is_help=True)


@app.command("add")
def users_add(
    name: str = typer.Argument(..., help="Login name (letters, digits, . _ @ -)."),
    role: list[str] = typer.Option(..., "--role", help="editor, reviewer, publisher or admin; repeat for more."),
    lang: list[str] = typer.Option(None, "--lang", help="Languages a reviewer approves (ru, ko …, * for all)."),
    password: bool = typer.Option(False, "--password", help="Ask for a password for the web desk."),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from stdin."),
) -> None:
    """Add a person. Reviewers need --lang. Web logins need a password; API use needs a token."""
    secret = _read_password(password, password_stdin)
    with database().session() as session:
        check(session, "manage_users")
        try:
            add_user(session, name, role, lang or [], secret)
        except UserError as error:
            fail(str(error))
    console.print(f"user {name} added ({', '.join(role)}). Next: `gnews-i18n users token {name}` for the API"
                  + ("" if secret else ", or `users add` again with --password for the web desk") + ".")


@app.command("list")
def users_list(as_json: bool = typer.Option(False, "--json", help="Machine-readable output.")) -> None:
    """Everyone, their roles and languages."""
    with database().session() as session:
        check(session, "manage_users")
        rows = [{"name": u.name, "roles": u.roles, "languages": u.languages, "active": u.active,
                 "password": bool(u.password_hash), "tokens": len(u.tokens)}
                for u in session.scalars(select(User).order_by(User.name))]
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        console.print("No users yet. Add one: `gnews-i18n users add NAME --role reviewer --lang ko --password`.")
        return
    table = Table("name", "roles", "languages", "password", "tokens")
    for row in rows:
        table.add_row(row["name"], ", ".join(row["roles"]), ", ".join(row["languages"]),
                      "yes" if row["password"] else "-", str(row["tokens"]))
    console.print(table)


@app.command("grant")
def users_grant(
    name: str = typer.Argument(...),
    role: str = typer.Argument(..., help="editor, reviewer, publisher or admin."),
    lang: list[str] = typer.Option(None, "--lang", help="Languages (for reviewer); repeat."),
    revoke: bool = typer.Option(False, "--revoke", help="Take the role (or only the --lang languages) away."),
) -> None:
    """Give a role (or more languages) to a user, or take it away with --revoke."""
    with database().session() as session:
        check(session, "manage_users")
        try:
            user = grant(session, name, role, lang or [], revoke=revoke)
        except UserError as error:
            fail(str(error))
        console.print(f"{user.name}: roles {', '.join(user.roles) or '-'}; languages "
                      f"{', '.join(user.languages) or '-'}")


@app.command("token")
def users_token(
    name: str = typer.Argument(...),
    label: str = typer.Option("", "--label", help="What the token is for (shown in `users list`)."),
) -> None:
    """Make an API token. It is printed once; only its hash is stored."""
    with database().session() as session:
        actor = token_actor(session)
        if actor is not None and actor.name != name:  # everyone may make their own
            check(session, "manage_users")
        try:
            token = issue_token(session, name, label)
        except UserError as error:
            fail(str(error))
    print(token)
    sys.stderr.write(f"Use it as `Authorization: Bearer …` or GNEWS_TOKEN=… for {name}; "
                     "it cannot be shown again.\n")


@app.command("password")
def users_password(
    name: str = typer.Argument(...),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from stdin."),
) -> None:
    """Set a user's password for the web desk."""
    secret = _read_password(True, password_stdin)
    _own_or_admin(name, lambda session: change_password(session, name, secret))
    console.print(f"password of {name} set; their desk sessions have ended.")


def _own_or_admin(name: str, act):
    """``act(session)`` on ``name``'s account: their own (as GNEWS_TOKEN's user), an admin's, or
    the operator's (no token); a UserError ends the command with its message."""
    with database().session() as session:
        actor = token_actor(session)
        if actor is not None and actor.name != name:
            check(session, "manage_users")
        try:
            return act(session)
        except UserError as error:
            fail(str(error))


def _admin_act(name: str, act, done: str) -> None:
    with database().session() as session:
        actor = check(session, "manage_users")
        if actor is not None and actor.name == name:
            fail(f"{name} cannot do that to their own account; another admin (or the operator, without "
                 "GNEWS_TOKEN) must")
        try:
            act(session)
        except UserError as error:
            fail(str(error))
    console.print(done, highlight=False)


@app.command("deactivate")
def users_deactivate(name: str = typer.Argument(...)) -> None:
    """Stop a user: their tokens, password and open desk sessions open nothing (`users activate` undoes it)."""
    _admin_act(name, lambda session: set_active(session, name, False),
               f"{name} deactivated: tokens, password and desk sessions no longer work.")


@app.command("activate")
def users_activate(name: str = typer.Argument(...)) -> None:
    """Let a deactivated user in again (their tokens work again; they log in anew)."""
    _admin_act(name, lambda session: set_active(session, name, True), f"{name} active again.")


@app.command("delete")
def users_delete(
    name: str = typer.Argument(...),
    yes: bool = typer.Option(False, "--yes", help="Do it without asking."),
) -> None:
    """Remove a user with their tokens and sessions (their name stays in history). `deactivate` is reversible."""
    if not yes and not typer.confirm(f"delete user {name} and their tokens?"):
        raise typer.Exit(1)
    _admin_act(name, lambda session: delete_user(session, name), f"user {name} deleted.")


@app.command("tokens")
def users_tokens(name: str = typer.Argument(...)) -> None:
    """A user's API tokens: id, label, when made and last used (the tokens themselves are never shown again)."""
    print(json.dumps(_own_or_admin(name, lambda session: tokens_of(session, name)), indent=2))


@app.command("revoke-token")
def users_revoke_token(
    name: str = typer.Argument(...),
    token_id: int = typer.Argument(..., help="The token's id (`gnews-i18n users tokens NAME`)."),
) -> None:
    """Revoke one API token; it is refused from now on. Everyone may revoke their own."""
    _own_or_admin(name, lambda session: revoke_token(session, name, token_id))
    console.print(f"token {token_id} of {name} revoked.", highlight=False)


@app.command("unlock")
def users_unlock(
    name: str = typer.Argument(None, help="The account whose failed logins to forget."),
    address: str = typer.Option(None, "--address", help="A client address whose failed logins to forget."),
) -> None:
    """Lift login throttling (429 at the desk's login) for an account and/or a client address."""
    if name is None and address is None:
        fail("name an account (`users unlock NAME`) or an address (`users unlock --address 203.0.113.7`)")
    with database().session() as session:
        check(session, "manage_users")
        count = throttle.unlock(session, name, address)
    console.print(f"unlocked: {count} failed login(s) forgotten.", highlight=False)


def _read_password(ask: bool, from_stdin: bool) -> str | None:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    if ask:
        return typer.prompt("password", hide_input=True, confirmation_prompt=True)
    return None
