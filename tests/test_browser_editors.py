"""The editors' pages in Chromium: an editor (who also publishes) pastes an article, follows its
translation, builds an issue with it and releases it; a reviewer approves through the API between."""

from __future__ import annotations

import re

import httpx
import pytest

from gnews_i18n.auth import add_user, issue_token
from gnews_i18n.store.models import Translation

from conftest import wait_for

pytestmark = pytest.mark.slow
ARTICLE = ("---\ntitle: Hospital news\nslug: hospital-news\nlang: en\ndate: 2023-11-21\n---\n\n"
           "The hospital opened a new ward.\n\nIt has 40 beds.\n")


@pytest.fixture
def database_url(tmp_path):
    return f"sqlite:///{tmp_path / 'desk.sqlite'}"


def test_an_editor_walks_from_submission_to_a_released_issue(db, gnews_env, start_server, start_worker,
                                                             browser, monkeypatch):
    from playwright.sync_api import expect

    gnews_env["GNEWS_DATABASE_URL"] = db.url
    monkeypatch.setenv("GNEWS_DATABASE_URL", db.url)
    with db.session() as session:
        add_user(session, "ed", ["editor", "publisher"], [], password="ed-password")
        add_user(session, "lee", ["reviewer"], ["ko"])
        lee = issue_token(session, "lee")
    server = start_server(gnews_env)
    worker = start_worker(gnews_env)
    page = browser.new_page()
    page.set_default_timeout(30_000)

    page.goto(f"{server.url}/submit")
    page.fill("input[name=name]", "ed")
    page.fill("input[name=password]", "ed-password")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/submit$"))
    page.fill("#text", ARTICLE)
    page.check("input[name=targets][value=ko]")
    page.click("#submit-article")
    page.wait_for_url(re.compile(r"/articles"))
    expect(page.locator(".flash")).to_contain_text("revision 1")
    row = page.locator("#article-1")
    expect(row).to_contain_text("hospital-news")

    def drafted() -> bool:
        with db.session() as session:
            return session.query(Translation).filter_by(state="in_review").count() == 1

    wait_for(drafted, 180, "the worker to translate the article", worker=worker, interval=0.5)
    page.reload()
    link = row.locator("a.translation[data-lang=ko]")
    expect(link).to_contain_text("in_review")
    expect(link).to_contain_text(re.compile(r"0/\d+ approved"))  # progress: approved segments, as on the desk
    translation_id = int(link.get_attribute("href").rsplit("/", 1)[1])
    response = httpx.post(f"{server.url}/api/translations/{translation_id}/approve",
                          json={"override": "random test model"}, headers={"Authorization": f"Bearer {lee}"})
    assert response.status_code == 200, response.text

    page.goto(f"{server.url}/issues")
    page.fill("#issue-title", "Vol. 1")
    page.check("input[name=languages][value=en]")
    page.check("input[name=languages][value=ko]")
    page.click("#create-issue")
    page.wait_for_url(re.compile(r"/issues/1$"))
    page.select_option("#add-article", "1")
    page.click("#add-to-issue")
    expect(page.locator("ol.issue-articles")).to_contain_text("Hospital news")
    page.click("#release-issue")
    expect(page.locator("#issue-state")).to_contain_text("Released")
    expect(page.locator(".flash")).to_contain_text("Issue 1 released")
    issue_page = httpx.get(f"{server.url}/site/ko/issue-1.html")
    assert issue_page.status_code == 200 and "hospital-news.html" in issue_page.text
    page.close()
