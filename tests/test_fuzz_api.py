"""Schemathesis against a real `gnews-i18n serve`, on SQLite and on PostgreSQL, with two seeds each.

Two phases a run: every operation as admin, reviewer and editor with generated (valid and invalid)
inputs; then the stateful phase, which follows the API's OpenAPI links (api/links.py) as a user
with every role — submit an article, read its translation, edit and approve a segment, build an
issue, add a user and deactivate them — so calls land on ids that exist and on states that earlier
calls made. Bounded examples per operation, per scenario count and per scenario length.

Asserts no server error, no response outside the documented statuses and media types, no body that
violates its documented schema, and (stateful) nothing a link made missing or still there after a
delete. The figures it prints go into docs/operations.md (Bad input).
"""


from __future__ import annotations

import datetime as dt
import os
import time

import pytest

pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import seed as hypothesis_seed  # noqa: E402
from hypothesis.errors import Unsatisfiable  # noqa: E402

from gnews_i18n.articles.submission import submit  # noqa: E402
from gnews_i18n.auth import add_user, issue_token  # noqa: E402
from gnews_i18n.intake import parse_article  # noqa: E402
from gnews_i18n.newsletter.issues import create_issue  # noqa: E402
from gnews_i18n.states import TranslationState  # noqa: E402
from gnews_i18n.store.db import Database  # noqa: E402
from gnews_i18n.store.models import Segment, Translation  # noqa: E402

from conftest import NEWSLETTER_GLOSSARY  # noqa: E402

# Per operation, role and generation mode; 2 seeds × 2 databases × (stateless + stateful) share the CI budget.
EXAMPLES = int(os.environ.get("GNEWS_FUZZ_EXAMPLES", "3"))
SCENARIOS = int(os.environ.get("GNEWS_FUZZ_SCENARIOS", "20"))  # stateful: scenarios a run, each up to STEPS calls
STEPS = 8
SEEDS = (2817, 90211)
ROLES = {"admin": (["admin"], []), "reviewer": (["reviewer"], ["ko"]), "editor": (["editor"], [])}
CHIEF = (["admin", "editor", "reviewer", "publisher"], ["ko", "en"])  # walks the links: may do every step


def _seed(url: str) -> tuple[dict[str, str], str]:
    """Users with tokens, two drafts in review and an issue, so ids 1 and 2 exist for the fuzzer to find.
    Returns the three roles' tokens and the token of a user with every role."""
    db = Database(url)
    tokens = {}
    with db.session() as session:
        for name, (roles, langs) in ROLES.items():
            add_user(session, name, roles, langs, password="password-" + name)
            tokens[name] = issue_token(session, name)
        add_user(session, "chief", *CHIEF, password="password-chief")
        chief = issue_token(session, "chief")
    for n in (1, 2):
        article = parse_article(f"---\ntitle: Delegation visits hospital {n}\n---\n\nThe delegation visited the "
                                "hospital on Tuesday.\n".encode(), "a.md", lang="en")
        with db.session() as session:
            translation = session.get(Translation, submit(session, article, ["ko"], submitted_by="editor")
                                      .translation_ids[0])
            translation.state = TranslationState.IN_REVIEW
            session.add(Segment(translation_id=translation.id, block_index=-1, sentence_index=0,
                                source_text=article.title, machine_text="대표단 방문", text="대표단 방문",
                                state="machine", flags=[], provenance={}, terms=[], version=1))
    with db.session() as session:
        create_issue(session, 1, dt.date(2026, 12, 7), {"en": "Vol. 1"})
    db.dispose()
    return tokens, chief


class Tally:
    def __init__(self) -> None:
        self.cases = self.stateful = self.stateful_ok = self.scenarios = self.replays = self.server_errors = 0
        self.failures: list[str] = []

    def count(self, who: str, case, response, **validation) -> None:
        """One answer: counted, and checked (``validation``: Case.validate_response's arguments)."""
        from schemathesis.core.failures import FailureGroup

        self.cases += 1
        self.server_errors += response.status_code >= 500
        try:
            case.validate_response(response, **validation)
        except (AssertionError, FailureGroup) as failure:
            self.failures.append(f"{who} {case.operation.label}: {str(failure)[:600]}")


def _fuzz(strategy, tokens: dict[str, str], base_url: str, checks: list, tally: Tally,
          seed: int) -> None:
    """Each generated case sent once as each role (generating is the costly part, not sending)."""
    @given(case=strategy)
    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    def run(case):
        for role, token in tokens.items():
            headers = {"Authorization": f"Bearer {token}"}
            response = case.call(base_url=base_url, headers=headers, timeout=30)
            tally.count(role, case, response, checks=checks, headers=headers)

    try:
        hypothesis_seed(seed)(run)()
    except Unsatisfiable:  # negative inputs for an operation without inputs: nothing to send
        pass


def _walk_links(schema, headers: dict, base_url: str, checks: list, tally: Tally, seed: int) -> None:
    """The stateful phase: scenarios that follow the OpenAPI links, every answer checked (and
    counted) like the stateless cases, failures collected instead of ending the scenario."""
    from hypothesis.errors import Flaky
    from schemathesis import GenerationMode
    from schemathesis.engine.errors import is_inconsistent_replay

    schema.config.generation.update(modes=[GenerationMode.POSITIVE])  # invalid inputs: the stateless phase's
    machine = schema.as_state_machine()

    class Walk(machine):
        def get_call_kwargs(self, case):
            return {"base_url": base_url, "headers": headers, "timeout": 30}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            tally.stateful += 1
            tally.stateful_ok += response.status_code < 300
            tally.count("chief (stateful)", case, response, checks=checks, headers=headers,
                        transport_kwargs=kwargs, recorder=self.recorder)

        def teardown(self):
            tally.scenarios += 1
            super().teardown()

    # Hypothesis replays and varies earlier scenarios, but the server remembers what they did: a
    # replay that goes another way is "flaky" to Hypothesis and ends its run (Schemathesis's own
    # runner ends the suite the same way). The answers so far are checked; a new run, on the next
    # seed, spends what is left of the scenarios (three runs at most).
    for attempt in range(3):
        Walk.rule_order_seed = seed + attempt
        hypothesis_seed(seed + attempt)(Walk)
        budget = settings(max_examples=SCENARIOS - tally.scenarios, stateful_step_count=STEPS, deadline=None,
                          database=None, phases=[Phase.generate], suppress_health_check=list(HealthCheck))
        try:
            Walk.run(settings=budget)
            return
        except (Flaky, AssertionError) as replay:
            if isinstance(replay, AssertionError) and not is_inconsistent_replay(replay):
                raise
            tally.replays += 1
            if tally.scenarios >= SCENARIOS:
                return


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS)
def test_the_api_never_errors_and_keeps_its_contract(database_url, seed, tmp_path, start_server):
    import schemathesis
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        ensure_resource_availability,
        response_schema_conformance,
        status_code_conformance,
        use_after_free,
    )

    glossary = tmp_path / "desk.csv"  # a copy: the fuzzer adds terms to it
    glossary.write_bytes(NEWSLETTER_GLOSSARY.read_bytes())
    env = {"GNEWS_DATA_DIR": str(tmp_path / "var"), "GNEWS_PUBLISH_DIR": str(tmp_path / "public"),
           "GNEWS_DATABASE_URL": database_url, "GNEWS_GLOSSARIES": str(glossary),
           "GNEWS_BROKER_URL": f"sqla+sqlite:///{tmp_path / 'broker.sqlite'}", "GNEWS_COOKIE_SECURE": "0",
           "GNEWS_PUBLISH_ON_APPROVAL": "0"}
    tokens, chief = _seed(database_url)
    started = time.monotonic()
    server = start_server(env)
    schema = schemathesis.openapi.from_url(server.url + "/openapi.json")
    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    tally = Tally()
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:
        for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):
            _fuzz(operation.as_strategy(generation_mode=mode), tokens, server.url, checks, tally, seed)
    stateless_seconds = time.monotonic() - started
    _walk_links(schema, {"Authorization": f"Bearer {chief}"}, server.url,
                [*checks, use_after_free, ensure_resource_availability], tally, seed)
    elapsed = time.monotonic() - started
    links = schema.statistic.transitions.total
    print(f"\nschemathesis {database_url.split(':')[0].split('+')[0]} seed {seed}: {len(operations)} operations × "
          f"{len(tokens)} roles × positive/negative + stateful ({links} links), {tally.cases} cases "
          f"({tally.stateful} stateful in {tally.scenarios} scenarios, {tally.stateful_ok} of them 2xx), "
          f"{tally.server_errors} server errors, "
          f"{len(tally.failures)} contract failures, {elapsed:.0f} s ({elapsed - stateless_seconds:.0f} s stateful)")
    log = server.log_path.read_text(errors="replace")
    assert tally.server_errors == 0 and "Traceback" not in log, log[-3000:]
    assert not tally.failures, "\n\n".join(tally.failures[:10])
    assert tally.cases - tally.stateful >= len(operations) * len(tokens)  # every operation ran, for every role
    # the links were followed: scenarios of 2 calls or more, and calls that found what earlier calls made
    assert links >= 20 and tally.stateful >= SCENARIOS * 2 and tally.stateful_ok >= SCENARIOS
