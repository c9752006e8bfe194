"""Scheduled releases without a worker: which issues are due, what blocks them, released once."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest

from gnews_i18n.newsletter.issues import add_article as put
from gnews_i18n.newsletter.issues import create_issue, get_issue
from gnews_i18n.newsletter.schedule import check_due, release_due
from gnews_i18n.store.db import Database

from newsletter_desk import add_article, approve

NOON = dt.datetime(2023, 11, 30, 12, 0)


@pytest.fixture
def db(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'desk.sqlite'}")
    yield database
    database.dispose()


def test_due_issues_release_when_their_gate_opens(db):
    ready = add_article(db, 1, ["ko"], ["ko"])
    waiting = add_article(db, 2, ["ko", "ru"], ["ko"])
    with db.session() as session:
        for number, hour, article in [(1, 9, ready), (2, 10, waiting), (3, 15, ready)]:
            issue = create_issue(session, number, NOON.date(), {}, ["en", "ko", "ru"] if number == 2 else ["en", "ko"],
                                 release_at=NOON.replace(hour=hour))
            put(session, issue, article)
        create_issue(session, 4, NOON.date(), {}, ["en"], release_at=NOON.replace(hour=8))  # empty: never released

    with db.session() as session:
        due = check_due(session, NOON)
    assert [d.number for d in due] == [4, 1, 2]  # oldest first; issue 3 is not due until 15:00
    assert [(b.article_id, b.lang, b.state) for b in due[2].blockers] == [(waiting, "ru", "in_review")]

    outcomes = release_due(db, NOON)
    assert [(d.number, d.released) for d in outcomes] == [(4, False), (1, True), (2, False)]
    assert "issue 2 was due at 2023-11-30 10:00 UTC and waits for: article" in outcomes[2].describe()
    assert "(clinic-2) in ru: in_review" in outcomes[2].describe()
    with db.session() as session:
        assert get_issue(session, 1).released_by == "schedule" and get_issue(session, 2).released_at is None

    assert [(d.number, d.released) for d in release_due(db, NOON)] == [(4, False), (2, False)]  # 1 only once
    approve(db, waiting, "ru")
    assert [(d.number, d.released) for d in release_due(db, NOON + dt.timedelta(minutes=1))] == [(4, False),
                                                                                                  (2, True)]
    later = release_due(db, NOON.replace(hour=16))
    assert [(d.number, d.released) for d in later] == [(4, False), (3, True)]


SWEEP = """
from gnews_i18n.worker import tasks
from gnews_i18n.worker.app import app

print("released", tasks.sweep.run()["issues_released"])
with app.connection_for_read() as connection:  # the publication waits on the publish queue
    message = connection.SimpleQueue("publish").get(timeout=5)
print("queued", message.headers["task"], message.headers["argsrepr"])
print("job", tasks.publish_issue.run(1)["status"])  # what the publish worker then does
"""


def test_the_sweep_on_beat_releases_a_due_issue_and_queues_its_publication(tmp_path):
    """The real sweep task in its own process, on the embedded broker (no worker consumes it)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GNEWS_")}
    env.update(GNEWS_DATA_DIR=str(tmp_path / "var"), GNEWS_DATABASE_URL=f"sqlite:///{tmp_path / 'desk.sqlite'}",
               GNEWS_PUBLISH_DIR=str(tmp_path / "public"))
    db = Database(env["GNEWS_DATABASE_URL"])
    article = add_article(db, 1, ["ko"], ["ko"])
    with db.session() as session:
        put(session, create_issue(session, 1, NOON.date(), {}, ["en", "ko"], release_at=NOON), article)
    db.dispose()
    run = subprocess.run([sys.executable, "-c", SWEEP], env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == ["released [1]", "queued publish_issue (1,)", "job published"]
    assert (tmp_path / "public" / "ko" / "issue-1.html").exists()
