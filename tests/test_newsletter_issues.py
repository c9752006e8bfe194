"""Issues: ordering, the release gate, releasing over a recorded reason, roles, the CLI."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import pytest

from gnews_i18n.newsletter.issues import (
    GateClosed,
    IssueError,
    blockers,
    create_issue,
    get_issue,
    release,
    remove_article,
)
from gnews_i18n.newsletter.issues import (
    add_article as put,
)
from gnews_i18n.store.db import Database

from newsletter_desk import add_article, approve


@pytest.fixture
def db(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'desk.sqlite'}")
    yield database
    database.dispose()


def test_articles_keep_their_order_and_positions(db):
    ids = [add_article(db, n, ["ko"], ["ko"]) for n in (1, 2, 3)]
    with db.session() as session:
        issue = create_issue(session, 27, dt.date(2023, 11, 30), {"en": "Vol. 27"}, ["en", "ko"])
        put(session, issue, ids[0])
        put(session, issue, ids[1])
        put(session, issue, ids[2], position=1)
        remove_article(session, issue, ids[1])
    with db.session() as session:
        issue = get_issue(session, 27)
        assert [(e.position, e.article_id) for e in issue.entries] == [(1, ids[2]), (2, ids[0])]
        with pytest.raises(IssueError, match="in issue 27 already"):
            put(session, issue, ids[0])
        with pytest.raises(IssueError, match="no article 999"):
            put(session, issue, 999)


def test_gate_lists_every_missing_translation_and_opens_when_approved(db):
    a = add_article(db, 1, ["ko", "ru"], ["ko"])
    b = add_article(db, 2, ["ko"], ["ko"])  # never asked for in Russian
    with db.session() as session:
        issue = create_issue(session, 1, dt.date(2023, 11, 30), {}, ["en", "ko", "ru"])
        put(session, issue, a)
        put(session, issue, b)
        assert [(x.article_id, x.lang, x.state) for x in blockers(issue)] == [(a, "ru", "in_review"),
                                                                               (b, "ru", "missing")]
        with pytest.raises(GateClosed) as closed:
            release(session, issue, "pub")
        assert "clinic-2) in ru: missing" in str(closed.value) and "--missing-reason" in str(closed.value)
        assert issue.released_at is None
    approve(db, a, "ru")
    with db.session() as session:
        issue = get_issue(session, 1)
        assert [(x.article_id, x.lang) for x in blockers(issue)] == [(b, "ru")]
        skipped = release(session, issue, "pub", missing_reason="Russian desk is away")
        assert [(x.article_id, x.lang) for x in skipped] == [(b, "ru")]
    with db.session() as session:
        issue = get_issue(session, 1)
        assert issue.released_by == "pub" and issue.missing == [[b, "ru"]]
        assert issue.missing_reason == "Russian desk is away"
        with pytest.raises(IssueError, match="was released"):
            put(session, issue, a)


def test_default_languages_are_every_edition(db):
    with db.session() as session:
        issue = create_issue(session, 5, dt.date(2023, 11, 30), {})
        assert {"ko", "en", "ru", "uz", "mn"} <= set(issue.languages)
        with pytest.raises(IssueError, match="unknown language"):
            create_issue(session, 6, dt.date(2023, 11, 30), {}, ["xx"])


def cli(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gnews_i18n.cli", *args], env={**os.environ, **env},
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def env(tmp_path, db, monkeypatch):
    for key in [k for k in os.environ if k.startswith("GNEWS_")]:
        monkeypatch.delenv(key)
    return {"GNEWS_DATA_DIR": str(tmp_path / "var"), "GNEWS_DATABASE_URL": db.url,
            "GNEWS_PUBLISH_DIR": str(tmp_path / "public"), "GNEWS_SITE_URL": "https://news.example.org"}


def test_cli_builds_and_releases_an_issue_with_roles_checked(db, env, tmp_path):
    from gnews_i18n.auth import add_user, issue_token

    a = add_article(db, 1, ["ko"], ["ko"])
    b = add_article(db, 2, ["ko"], [])
    with db.session() as session:
        add_user(session, "ed", ["editor"])
        add_user(session, "pub", ["publisher"])
        ed, pub = issue_token(session, "ed"), issue_token(session, "pub")
    made = cli({**env, "GNEWS_TOKEN": ed}, "issue", "create", "27", "--date", "2023-11-30", "--lang", "en,ko",
               "--title", "en=Vol. 27, November 2023", "--title", "ko=제27호")
    assert made.returncode == 0, made.stderr
    assert cli(env, "issue", "add", "27", str(a), str(b)).returncode == 0
    shown = json.loads(cli(env, "issue", "show", "27", "--json").stdout)
    assert [x["article"] for x in shown["articles"]] == [a, b]
    assert shown["blockers"] == [{"article": b, "slug": "clinic-2", "lang": "ko", "state": "in_review"}]

    closed = cli({**env, "GNEWS_TOKEN": pub}, "issue", "release", "27")
    assert closed.returncode == 1 and "clinic-2) in ko: in_review" in closed.stderr
    editor = cli({**env, "GNEWS_TOKEN": ed}, "issue", "release", "27", "--missing-reason", "later")
    assert editor.returncode == 1 and "needs the role publisher" in editor.stderr
    done = cli({**env, "GNEWS_TOKEN": pub}, "issue", "release", "27", "--missing-reason", "Korean desk is away")
    assert done.returncode == 0, done.stderr
    assert "released without article" in done.stderr
    shown = json.loads(cli(env, "issue", "show", "27", "--json").stdout)
    assert shown["released_by"] == "pub" and shown["missing"] == [[b, "ko"]]
    assert (tmp_path / "public" / "ko" / "issue-27.html").exists()
    again = cli(env, "issue", "add", "27", str(a))
    assert again.returncode == 1 and "was released" in again.stderr
    (tmp_path / "public" / "ko" / "issue-27.html").unlink()
    republished = cli(env, "issue", "publish", "27")
    assert republished.returncode == 0 and "1 file(s) written" in republished.stdout, republished.stderr
    assert (tmp_path / "public" / "ko" / "issue-27.html").exists()
