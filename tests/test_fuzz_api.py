"""Schemathesis against a real `gnews-i18n serve`: every operation, as admin, reviewer and editor,
with generated (valid and invalid) inputs. Fixed seed, bounded examples per operation.

Asserts no server error, no response outside the documented statuses and media types, and no
body that violates its documented schema. The figures it prints go into docs/operations.md (Bad input).
"""

from __future__ import annotations

import os
import time

import pytest

pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis.errors import Unsatisfiable  # noqa: E402

from gnews_i18n.articles.submission import submit  # noqa: E402
from gnews_i18n.auth import add_user, issue_token  # noqa: E402
from gnews_i18n.intake import parse_article  # noqa: E402
from gnews_i18n.states import TranslationState  # noqa: E402
from gnews_i18n.store.db import Database  # noqa: E402
from gnews_i18n.store.models import Segment, Translation  # noqa: E402

from conftest import NEWSLETTER_GLOSSARY  # noqa: E402

EXAMPLES = int(os.environ.get("GNEWS_FUZZ_EXAMPLES", "25"))  # per operation and role
ROLES = {"admin": (["admin"], []), "reviewer": (["reviewer"], ["ko"]), "editor": (["editor"], [])}


def _seed(url: str) -> dict[str, str]:
    """Users with tokens, and two drafts in review, so ids 1 and 2 exist for the fuzzer to find."""
    db = Database(url)
    tokens = {}
    with db.session() as session:
        for name, (roles, langs) in ROLES.items():
            add_user(session, name, roles, langs, password="password-" + name)
            tokens[name] = issue_token(session, name)
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
    db.dispose()
    return tokens


def _fuzz(operation, strategy, role: str, headers: dict, base_url: str, checks: list, tally: dict) -> None:
    from schemathesis.core.failures import FailureGroup

    @given(case=strategy)
    @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    def run(case):
        response = case.call(base_url=base_url, headers=headers, timeout=30)
        tally["cases"] += 1
        tally["5xx"] += response.status_code >= 500
        try:
            case.validate_response(response, checks=checks, headers=headers)
        except (AssertionError, FailureGroup) as failure:
            tally["failures"].append(f"{role} {operation.label}: {str(failure)[:600]}")

    try:
        run()
    except Unsatisfiable:  # negative inputs for an operation without inputs: nothing to send
        pass


@pytest.mark.slow
def test_the_api_never_errors_and_keeps_its_contract(tmp_path, start_server):
    import schemathesis
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    glossary = tmp_path / "desk.csv"  # a copy: the fuzzer adds terms to it
    glossary.write_bytes(NEWSLETTER_GLOSSARY.read_bytes())
    env = {"GNEWS_DATA_DIR": str(tmp_path / "var"), "GNEWS_PUBLISH_DIR": str(tmp_path / "public"),
           "GNEWS_DATABASE_URL": f"sqlite:///{tmp_path / 'desk.sqlite'}", "GNEWS_GLOSSARIES": str(glossary),
           "GNEWS_BROKER_URL": f"sqla+sqlite:///{tmp_path / 'broker.sqlite'}", "GNEWS_COOKIE_SECURE": "0",
           "GNEWS_PUBLISH_ON_APPROVAL": "0"}
    tokens = _seed(env["GNEWS_DATABASE_URL"])
    server = start_server(env)
    schema = schemathesis.openapi.from_url(server.url + "/openapi.json")
    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    tally = {"cases": 0, "5xx": 0, "failures": []}
    started = time.monotonic()
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:
        for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):
            for role, token in tokens.items():
                _fuzz(operation, operation.as_strategy(generation_mode=mode), role,
                      {"Authorization": f"Bearer {token}"}, server.url, checks, tally)
    elapsed = time.monotonic() - started
    print(f"\nschemathesis: {len(operations)} operations × {len(tokens)} roles × positive/negative, "
          f"{tally['cases']} cases, {tally['5xx']} server errors, "
          f"{len(tally['failures'])} contract failures, {elapsed:.0f} s")
    log = server.log_path.read_text(errors="replace")
    assert tally["5xx"] == 0 and "Traceback" not in log, log[-3000:]
    assert not tally["failures"], "\n\n".join(tally["failures"][:10])
    assert tally["cases"] >= len(operations) * len(tokens)  # every operation ran, for every role
