"""Scheduled releases: which issues are due, what blocks them, and releasing those whose gate is open.

The sweep on Celery beat calls ``release_due``; no timer of our own. A due issue whose gate
is closed is not released (a scheduled release never goes out with translations missing:
that needs a publisher's recorded reason); its blockers are returned for the log, and it is
released on the first sweep after the last translation is approved.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import update
from sqlalchemy.orm import Session

from gnews_i18n.newsletter.issues import Blocker, blockers, due_issues
from gnews_i18n.store.db import Database
from gnews_i18n.store.models import Issue, utcnow

SCHEDULER = "schedule"  # released_by of a scheduled release


@dataclass(frozen=True)
class Due:
    number: int
    release_at: dt.datetime
    blockers: list[Blocker]
    released: bool = False

    def describe(self) -> str:
        if self.released:
            return f"issue {self.number} released (scheduled for {self.release_at:%Y-%m-%d %H:%M} UTC)"
        waiting = "; ".join(str(b) for b in self.blockers) or "no articles"
        return f"issue {self.number} was due at {self.release_at:%Y-%m-%d %H:%M} UTC and waits for: {waiting}"


def check_due(session: Session, now: dt.datetime | None = None) -> list[Due]:
    """Due, unreleased issues and what blocks each (nothing is changed)."""
    return [Due(issue.number, issue.release_at, blockers(issue) if issue.entries else [])
            for issue in due_issues(session, now)]


def release_due(db: Database, now: dt.datetime | None = None) -> list[Due]:
    """Release every due issue whose gate is open; the others are returned with their blockers.
    Two sweeps at once release an issue once (a compare-and-set on ``released_at``)."""
    now = now or utcnow()
    outcomes = []
    with db.session() as session:
        for due in check_due(session, now):
            if due.blockers or not session.query(Issue).filter_by(number=due.number).one().entries:
                outcomes.append(due)
                continue
            done = session.execute(update(Issue).where(Issue.number == due.number, Issue.released_at.is_(None))
                                   .values(released_at=now, released_by=SCHEDULER, missing=[]))
            if done.rowcount == 1:
                outcomes.append(Due(due.number, due.release_at, [], released=True))
    return outcomes
