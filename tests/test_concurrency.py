"""Two reviewers save the same segment at the same moment, through a real server on PostgreSQL:
one wins, the other gets 409 with the winner's text, and nothing is lost."""

from __future__ import annotations

import threading

import httpx
import pytest

from gnews_i18n.auth import add_user, issue_token
from gnews_i18n.store.models import Segment, SegmentChange

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


@pytest.fixture
def database_url(postgres_url):
    """Only PostgreSQL here: concurrent writers are what it is for."""
    return postgres_url


def test_two_clients_saving_the_same_segment(db, draft, gnews_env, start_server):
    with db.session() as session:
        add_user(session, "kim", ["reviewer"], ["ko"])
        add_user(session, "lee", ["reviewer"], ["ko"])
        tokens = {name: issue_token(session, name) for name in ("kim", "lee")}
        segments = session.query(Segment).filter_by(translation_id=draft).order_by(Segment.id).limit(8).all()
        segment_ids = [s.id for s in segments]
    server = start_server(gnews_env)
    clients = {name: httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=60)
               for name, token in tokens.items()}
    outcomes: list[dict] = []
    for segment_id in segment_ids:  # several rounds, so a lucky interleaving cannot pass for a correct one
        barrier = threading.Barrier(2)
        results: dict[str, httpx.Response] = {}

        def save(name: str, segment_id: int = segment_id, barrier=barrier, results=results) -> None:
            barrier.wait()
            results[name] = clients[name].put(f"/api/translations/{draft}/segments/{segment_id}",
                                              json={"text": f"{name}의 번역 {segment_id}", "version": 1})

        threads = [threading.Thread(target=save, args=(name,)) for name in clients]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        codes = sorted(r.status_code for r in results.values())
        assert codes == [200, 409], {k: (v.status_code, v.text) for k, v in results.items()}
        winner = next(name for name, r in results.items() if r.status_code == 200)
        loser = next(name for name, r in results.items() if r.status_code == 409)
        assert results[loser].json()["current_text"] == f"{winner}의 번역 {segment_id}"
        outcomes.append({"segment": segment_id, "winner": winner})
    for client in clients.values():
        client.close()
    with db.session() as session:
        for outcome in outcomes:
            segment = session.get(Segment, outcome["segment"])
            assert segment.text == f"{outcome['winner']}의 번역 {segment.id}" and segment.version == 2
            changes = session.query(SegmentChange).filter_by(segment_id=segment.id).all()
            assert [(c.author, c.version) for c in changes] == [(outcome["winner"], 2)]
