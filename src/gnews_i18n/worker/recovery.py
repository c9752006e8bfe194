"""Finding work that stalled: queued jobs whose message was lost (a broker outage), jobs whose
worker died (an expired lease), failed jobs an operator sends back, approved translations
never published.

Only the store is consulted, never the broker: the database says what should be happening.
Each pick is a compare-and-set on ``updated_at``, so two sweeps running at once send a job
once, and a job sent is not sent again before ``resend_after`` has passed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import and_, select, update

from gnews_i18n.states import REQUEUED, TranslationState
from gnews_i18n.store.db import Database
from gnews_i18n.store.models import Translation, utcnow


@dataclass
class Stalled:
    """Translation ids to send again, by why."""

    queued: list[int] = field(default_factory=list)
    interrupted: list[int] = field(default_factory=list)
    approved: list[int] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.queued or self.interrupted or self.approved)


def pick_stalled(db: Database, resend_after: float) -> Stalled:
    """Queued and approved work untouched for ``resend_after`` seconds, and running work whose
    lease has expired; each picked row is touched so the next sweep leaves it alone for a while."""
    now = utcnow()
    cutoff = now - dt.timedelta(seconds=resend_after)
    quiet = Translation.updated_at < cutoff
    stalled = Stalled()
    conditions = {
        "queued": and_(Translation.state == TranslationState.QUEUED, quiet),
        # a live worker renews its lease (and so updated_at) after every chunk
        "interrupted": and_(Translation.state == TranslationState.TRANSLATING, Translation.lease_expires_at < now,
                            quiet),
        "approved": and_(Translation.state == TranslationState.APPROVED, quiet),
    }
    with db.session() as session:
        for kind, condition in conditions.items():
            for translation_id, updated in session.execute(select(Translation.id, Translation.updated_at)
                                                           .where(condition)).all():
                touched = session.execute(
                    update(Translation)
                    .where(Translation.id == translation_id, Translation.updated_at == updated)
                    .values(updated_at=now)
                )
                if touched.rowcount == 1:
                    getattr(stalled, kind).append(translation_id)
    return stalled


def release_failed(db: Database, translation_ids: list[int] | None = None) -> list[int]:
    """Send failed jobs back to the queue (all, or those given); returns the ids released."""
    condition = Translation.state == TranslationState.FAILED
    if translation_ids is not None:
        condition = and_(condition, Translation.id.in_(translation_ids))
    with db.session() as session:
        ids = list(session.scalars(select(Translation.id).where(condition)))
        if ids:
            session.execute(
                update(Translation).where(Translation.id.in_(ids), Translation.state == TranslationState.FAILED)
                .values(**REQUEUED)
            )
    return ids

