"""The desk in a real browser: Debian's Chromium, headless, driven by Playwright.

A reviewer logs in, opens a draft, edits a segment in place (keyboard only), meets a
conflict with someone else's save, approves all, and follows the link to the edition
that a real worker published.
"""

from __future__ import annotations

import re

import httpx
import pytest

from gnews_i18n.auth import add_user, issue_token

from conftest import wait_for

pytestmark = pytest.mark.slow


@pytest.fixture
def database_url(tmp_path):
    return f"sqlite:///{tmp_path / 'desk.sqlite'}"


def test_review_in_the_browser_through_to_publication(db, draft, gnews_env, start_server, start_worker, browser):
    with db.session() as session:
        add_user(session, "kim", ["reviewer"], ["ko"], password="kim-password")
        add_user(session, "lee", ["reviewer"], ["ko"])
        lee = issue_token(session, "lee")
    server = start_server(gnews_env)  # default cookie settings: Secure, HttpOnly, SameSite=Lax
    worker = start_worker(gnews_env, queues="publish")
    page = browser.new_page()
    page.set_default_timeout(30_000)

    page.goto(f"{server.url}/t/{draft}")
    assert "/login" in page.url
    page.fill("input[name=name]", "kim")
    page.fill("input[name=password]", "kim-password")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(rf"/t/{draft}$"))
    assert page.locator("mark.term").count() > 0  # glossary terms highlighted
    total = page.locator("tr.segment").count()
    assert page.inner_text("#progress") == f"0 of {total} approved"

    # Keyboard: j to the title, e to edit, Ctrl+Enter to save, a to approve it.
    title = page.locator("tr.segment").first
    page.keyboard.press("j")
    page.keyboard.press("e")
    editor = title.locator("textarea.editor")
    editor.fill("경기도, 타슈켄트 의료 대표단 초청 연수")
    editor.press("Control+Enter")
    # (expect() polls from outside the page: the desk's CSP forbids the eval wait_for_function needs)
    from playwright.sync_api import expect

    expect(page.locator("tr.segment .segstate").first).to_have_text("edited")
    assert title.locator(".text").inner_text() == "경기도, 타슈켄트 의료 대표단 초청 연수"
    page.keyboard.press("a")
    expect(page.locator("#progress")).to_have_text(f"1 of {total} approved")

    # Someone else saves the next segment first: the page says so and shows their text.
    second = page.locator("tr.segment").nth(1)
    segment_id, version = second.get_attribute("data-id"), int(second.get_attribute("data-version"))
    response = httpx.put(f"{server.url}/api/translations/{draft}/segments/{segment_id}",
                         json={"text": "이 선생님이 먼저 고친 문장", "version": version},
                         headers={"Authorization": f"Bearer {lee}"})
    assert response.status_code == 200
    second.locator("button.edit").click()
    second.locator("textarea.editor").fill("김 선생님의 문장")
    second.locator("button.save").click()
    conflict = second.locator(".conflict")
    conflict.wait_for(state="visible")
    assert "이 선생님이 먼저 고친 문장" in conflict.inner_text()
    assert second.locator("textarea.editor").input_value() == "김 선생님의 문장"  # nothing lost

    # Approve all (QA flags on a random model's output need a reason), then see it published.
    page.fill("#override", "random test model; checked by hand")
    page.click("#approve-all button[type=submit]")
    page.wait_for_selector(".flash")
    assert "Approved" in page.inner_text(".flash")

    def published() -> bool:
        page.reload()
        return page.locator("#published-link").count() == 1

    wait_for(published, 120, "the worker to publish the edition", worker=worker, interval=1)
    assert page.inner_text("#state") == "published"
    page.click("#published-link")
    page.wait_for_load_state()
    assert "경기도, 타슈켄트 의료 대표단 초청 연수" in page.content()
    page.close()
