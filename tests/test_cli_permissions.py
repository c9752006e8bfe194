"""The command line obeys the same permissions as the API when GNEWS_TOKEN is set: every acting
command × every role, the four-eyes rule, and forged tokens. In-process (Typer's runner) so the
whole matrix takes seconds; two checks run the real `gnews-i18n` process."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from gnews_i18n.articles.submission import submit
from gnews_i18n.auth import add_user, issue_token
from gnews_i18n.cli import app
from gnews_i18n.intake import parse_article
from gnews_i18n.states import TranslationState
from gnews_i18n.store.db import Database
from gnews_i18n.store.models import ArticleRevision, Segment, Translation

from conftest import run_cli

ROLES = {"editor": (["editor"], []), "reviewer": (["reviewer"], ["ko"]), "publisher": (["publisher"], []),
         "admin": (["admin"], [])}
ARTICLE = "---\ntitle: Delegation visits the hospital {n}\n---\n\nThe delegation visited the hospital on Tuesday.\n"


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    """A database with one user per role and their tokens; settings point at it."""
    root = tmp_path_factory.mktemp("cli-permissions")
    env = {"GNEWS_DATA_DIR": str(root / "var"), "GNEWS_PUBLISH_DIR": str(root / "public"),
           "GNEWS_DATABASE_URL": f"sqlite:///{root / 'desk.sqlite'}", "GNEWS_GLOSSARIES": "",
           "GNEWS_BROKER_URL": f"sqla+sqlite:///{root / 'broker.sqlite'}"}
    db = Database(env["GNEWS_DATABASE_URL"])
    tokens = {}
    with db.session() as session:
        for role, (roles, langs) in ROLES.items():
            add_user(session, role, roles, langs)
            tokens[role] = issue_token(session, role)
        add_user(session, "writer", ["editor", "reviewer"], ["ko"])  # may review, but not their own article
        tokens["writer"] = issue_token(session, "writer")
    yield {"db": db, "env": env, "tokens": tokens, "root": root, "count": [0]}
    db.dispose()


def draft(desk, submitted_by: str = "someone") -> int:
    """A Korean draft in review, with a title segment (no model needed)."""
    desk["count"][0] += 1
    article = parse_article(ARTICLE.format(n=desk["count"][0]).encode(), "a.md", lang="en")
    with desk["db"].session() as session:
        result = submit(session, article, ["ko"], submitted_by=submitted_by)
        translation = session.get(Translation, result.translation_ids[0])
        translation.state = TranslationState.IN_REVIEW
        session.add(Segment(translation_id=translation.id, block_index=-1, sentence_index=0,
                            source_text=article.title, machine_text="대표단 병원 방문", text="대표단 병원 방문",
                            state="machine", flags=[], provenance={}, terms=[], version=1))
    return result.translation_ids[0]


def invoke(desk, role: str | None, *args: str, token: str | None = None):
    env = {**desk["env"], "GNEWS_TOKEN": token if token is not None else (desk["tokens"][role] if role else "")}
    return CliRunner().invoke(app, list(args), env=env)


def _commands(desk) -> dict[str, tuple[str, list]]:
    """command → (the role that may run it, a way to build its arguments)."""
    article_file = desk["root"] / "article.md"
    glossary = desk["root"] / "extra.csv"
    return {
        "submit": ("editor", lambda: ["submit", str(article_file), "--to", "ko", "--no-queue"]),
        "review edit": ("reviewer", lambda: ["review", "edit", str(draft(desk)), "title", "고친 제목"]),
        "review approve": ("reviewer", lambda: ["review", "approve", str(draft(desk)), "--no-publish"]),
        "review request-changes": ("reviewer", lambda: ["review", "request-changes", str(draft(desk)), "다시"]),
        "publish": ("publisher", lambda: ["publish"]),
        "users add": ("admin", lambda: ["users", "add", f"new{desk['count'][0]}x", "--role", "editor"]),
        "users grant": ("admin", lambda: ["users", "grant", "writer", "publisher"]),
        "users list": ("admin", lambda: ["users", "list"]),
        "glossary add": ("admin", lambda: ["glossary", "add", str(glossary), "--form", "ko=수원시",
                                           "--form", "en=Suwon"]),
    }


def test_every_acting_command_checks_the_tokens_role(desk):
    (desk["root"] / "article.md").write_text(ARTICLE.format(n="file"), encoding="utf-8")
    cells = 0
    for command, (allowed_role, arguments) in _commands(desk).items():
        for role in ROLES:
            result = invoke(desk, role, *arguments())
            cells += 1
            if role == allowed_role:
                assert result.exit_code == 0, f"{command} as {role}: {result.output}"
            else:
                assert result.exit_code == 1, f"{command} as {role} was not refused: {result.output}"
                assert f"{role} cannot" in result.output, f"{command} as {role}: {result.output}"
    assert cells == 9 * 4


def test_a_forged_token_is_refused_by_every_acting_command(desk):
    for command, (_role, arguments) in _commands(desk).items():
        result = invoke(desk, None, *arguments(), token="gn_forged-token-that-matches-nobody")
        assert result.exit_code == 1 and "GNEWS_TOKEN is not a valid token" in result.output, (command, result.output)


def test_reviewers_act_only_on_their_languages_and_never_approve_their_own_article(desk):
    mine = draft(desk, submitted_by="writer")
    refused = invoke(desk, "writer", "review", "approve", str(mine), "--no-publish")
    assert refused.exit_code == 1 and "writer submitted this article and cannot approve" in refused.output
    assert invoke(desk, "writer", "review", "edit", str(mine), "title", "제목").exit_code == 0  # editing is fine
    with desk["db"].session() as session:
        session.get(Translation, mine).target_lang = "ru"
    other = invoke(desk, "reviewer", "review", "edit", str(mine), "title", "Заголовок")
    assert other.exit_code == 1 and "reviewer reviews ko, not ru" in other.output


def test_submit_records_the_tokens_user_so_four_eyes_holds_later(desk):
    path = desk["root"] / "own.md"
    path.write_text(ARTICLE.format(n="own"), encoding="utf-8")
    submitted = invoke(desk, "writer", "submit", str(path), "--to", "ko", "--no-queue")
    assert submitted.exit_code == 0, submitted.output
    article_id = int(submitted.stdout.strip().splitlines()[-1])
    with desk["db"].session() as session:
        revision = session.query(ArticleRevision).filter_by(article_id=article_id).one()
        assert revision.submitted_by == "writer"
        translation_id = revision.translations[0].id
        translation = session.get(Translation, translation_id)
        translation.state = TranslationState.IN_REVIEW
    refused = invoke(desk, "writer", "review", "approve", str(translation_id), "--no-publish")
    assert refused.exit_code == 1 and "cannot approve its translations" in refused.output
    # without a token the CLI is the operator's door, and --by names the submitter
    path.write_text(ARTICLE.format(n="operator"), encoding="utf-8")
    by = invoke(desk, None, "submit", str(path), "--to", "ko", "--no-queue", "--by", "kim")
    with desk["db"].session() as session:
        revision = session.query(ArticleRevision).filter_by(article_id=int(by.stdout.split()[-1])).one()
        assert revision.submitted_by == "kim"


def test_tokens_for_oneself_but_others_only_by_admins(desk):
    assert invoke(desk, "reviewer", "users", "token", "reviewer").exit_code == 0
    refused = invoke(desk, "reviewer", "users", "token", "editor")
    assert refused.exit_code == 1 and "reviewer cannot manage users" in refused.output
    assert invoke(desk, "admin", "users", "token", "editor").exit_code == 0
    assert "reviewer cannot" in invoke(desk, "reviewer", "requeue").output
    assert "editor cannot unpublish" in invoke(desk, "editor", "unpublish", "1").output
    assert "editor cannot manage glossary" in invoke(desk, "editor", "memory", "import", "x.tmx").output


def test_the_real_command_refuses_forged_and_wrong_role_tokens(desk):
    path = desk["root"] / "real.md"
    path.write_text(ARTICLE.format(n="real"), encoding="utf-8")
    forged = run_cli({**desk["env"], "GNEWS_TOKEN": "gn_forged"}, "submit", str(path), "--no-queue")
    assert forged.returncode == 1 and "GNEWS_TOKEN is not a valid token" in forged.stderr
    assert "Traceback" not in forged.stderr
    reviewer = run_cli({**desk["env"], "GNEWS_TOKEN": desk["tokens"]["reviewer"]}, "submit", str(path), "--no-queue")
    assert reviewer.returncode == 1 and "reviewer cannot submit: it needs the role editor" in reviewer.stderr


def test_a_po_import_that_approves_follows_the_approvers_rules(desk):
    import polib

    mine = draft(desk, submitted_by="writer")
    path = desk["root"] / f"{mine}.po"
    assert invoke(desk, None, "review", "export", str(mine), "-o", str(path)).exit_code == 0
    po = polib.pofile(str(path))
    for entry in po:
        entry.flags = [f for f in entry.flags if f != "fuzzy"]  # cleared fuzzy = approve
    po.save(str(path))
    refused = invoke(desk, "writer", "review", "import", str(path))
    assert refused.exit_code == 1 and "writer submitted this article and cannot approve" in refused.output
    with desk["db"].session() as session:
        assert {s.state for s in session.get(Translation, mine).segments} == {"machine"}  # nothing applied
    assert invoke(desk, "reviewer", "review", "import", str(path)).exit_code == 0


@pytest.mark.parametrize("command", [["issue", "email", "999"], ["issue", "publish", "999"]])
def test_issue_email_and_publish_need_a_publishers_token(desk, command):
    for role in ("editor", "reviewer", "admin"):
        refused = invoke(desk, role, *command)
        assert refused.exit_code == 1 and f"{role} cannot release issue" in refused.output, (role, refused.output)
    forged = invoke(desk, None, *command, token="gn_forged-token-that-matches-nobody")
    assert forged.exit_code == 1 and "GNEWS_TOKEN is not a valid token" in forged.output
    # the publisher gets past the door, to the issue itself (there is no issue 999)
    reached = invoke(desk, "publisher", *command)
    assert "no issue 999" in reached.output and "cannot" not in reached.output, reached.output
