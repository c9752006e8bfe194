"""The web desk's pages over HTTP: login, CSRF, cookie settings, the queue and a translation."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from gnews_i18n.auth import add_user
from gnews_i18n.qa import flag_labels


@pytest.fixture
def web(db, draft, monkeypatch):
    from gnews_i18n.auth.requests import database_for
    from gnews_i18n.server import create_app

    monkeypatch.setenv("GNEWS_COOKIE_SECURE", "0")  # the test client speaks plain http to "testserver"
    database_for.cache_clear()
    with db.session() as session:
        add_user(session, "kim", ["reviewer"], ["ko"], password="kim-password")
        add_user(session, "olga", ["reviewer"], ["ru"], password="olga-password")
    client = TestClient(create_app())
    yield client
    client.close()
    database_for.cache_clear()


def _csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def _login(client, name, password) -> None:
    page = client.get("/login")
    response = client.post("/login", data={"name": name, "password": password, "csrf": _csrf(page.text),
                                           "next": "/queue"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/queue"


def test_pages_need_a_login_and_logins_need_the_password(web):
    assert web.get("/queue", follow_redirects=False).headers["location"] == "/login?next=/queue"
    page = web.get("/login")
    wrong = web.post("/login", data={"name": "kim", "password": "nope-nope", "csrf": _csrf(page.text)})
    assert wrong.status_code == 401 and "Wrong name or password" in wrong.text
    forged = web.post("/login", data={"name": "kim", "password": "kim-password", "csrf": "forged"})
    assert forged.status_code == 403
    _login(web, "kim", "kim-password")
    assert "Review queue" in web.get("/queue").text


def test_state_changes_need_the_csrf_token(web, draft):
    _login(web, "kim", "kim-password")
    page = web.get(f"/t/{draft}").text
    no_token = web.post(f"/t/{draft}/request-changes", data={"comment": "x"}, follow_redirects=False)
    assert no_token.status_code == 403
    title_id = re.search(r'id="seg-(\d+)"', page).group(1)
    api_without = web.put(f"/api/translations/{draft}/segments/{title_id}", json={"text": "x", "version": 1})
    assert api_without.status_code == 403  # a cookie alone cannot change anything
    api_with = web.put(f"/api/translations/{draft}/segments/{title_id}", json={"text": "새 제목", "version": 1},
                       headers={"X-CSRF-Token": _csrf(page)})
    assert api_with.status_code == 200
    done = web.post(f"/t/{draft}/request-changes", data={"comment": "용어 확인", "csrf": _csrf(page)},
                    follow_redirects=True)
    assert "Changes requested" in done.text and "changes_requested" in done.text


def test_session_cookie_settings(db, draft, monkeypatch):
    from gnews_i18n.auth.requests import database_for
    from gnews_i18n.server import create_app

    database_for.cache_clear()
    client = TestClient(create_app())  # the defaults: secure cookies
    cookie = client.get("/login").headers["set-cookie"].lower()
    assert "gnews_session=" in cookie and "httponly" in cookie and "secure" in cookie and "samesite=lax" in cookie
    database_for.cache_clear()


def test_translation_page_side_by_side(web, draft):
    _login(web, "kim", "kim-password")
    queue = web.get("/queue").text
    assert f'href="/t/{draft}"' in queue and "in_review" in queue
    assert f'href="/t/{draft}"' not in web.get("/queue?lang=ru").text
    page = web.get(f"/t/{draft}").text
    assert '<mark class="term">Seoul National University Bundang Hospital</mark>' in page
    assert '<mark class="term">분당서울대학교병원' in page
    assert 'class="sev-error"' in page  # QA flags with their message
    # each flag names, on hover, the check that raised it and what that check catches
    shown = re.findall(r'<li class="sev-\w+" title="([^"]*) \((\w+)\)">', page)
    assert shown, page
    labels = {flag_id: str(escape(label)) for flag_id, label in flag_labels().items()}
    assert [(label, flag_id) for label, flag_id in shown if labels.get(flag_id)] == \
        [(labels[flag_id], flag_id) for _, flag_id in shown if labels.get(flag_id)]
    assert any(labels.get(flag_id) for _, flag_id in shown)
    assert "0 of" in page and "Approve all and publish" in page and "Request changes" in page
    _login(web, "olga", "olga-password")  # a ru reviewer sees it, but cannot act on it
    other = web.get(f"/t/{draft}").text
    assert "Approve all" not in other and 'data-editable="no"' in other


def test_history_shows_who_and_a_diff(web, draft):
    _login(web, "kim", "kim-password")
    page = web.get(f"/t/{draft}").text
    title_id = re.search(r'id="seg-(\d+)"', page).group(1)
    web.put(f"/api/translations/{draft}/segments/{title_id}", json={"text": "완전히 새 제목", "version": 1},
            headers={"X-CSRF-Token": _csrf(page)})
    history = web.get(f"/t/{draft}/history").text
    assert "kim" in history and "<ins>" in history and "완전히" in history


def test_po_download_and_upload_from_the_page(web, draft):
    import polib

    _login(web, "kim", "kim-password")
    page = web.get(f"/t/{draft}").text
    po = polib.pofile(web.get(f"/t/{draft}/po").text)
    po.find("title", by="msgctxt").flags.remove("fuzzy")
    uploaded = web.post(f"/t/{draft}/po", data={"csrf": _csrf(page)},
                        files={"file": ("draft.po", str(po).encode(), "text/x-gettext-translation")})
    assert "draft.po: 0 edited, 1 approved" in uploaded.text
    po.find("0.0", by="msgctxt").msgctxt = "55.5"
    refused = web.post(f"/t/{draft}/po", data={"csrf": _csrf(page)},
                       files={"file": ("bad.po", str(po).encode(), "text/x-gettext-translation")})
    assert "nothing was imported" in refused.text and "55.5" in refused.text


def test_a_reviewer_first_sees_their_own_languages_under_the_source_title(web, draft, db):
    from gnews_i18n.store.models import Translation

    with db.session() as session:
        source_title = session.get(Translation, draft).revision.title
        machine_title = next(s.text for s in session.get(Translation, draft).segments if s.block_index == -1)
    _login(web, "olga", "olga-password")  # reviews ru; the draft is into ko
    mine = web.get("/queue").text
    assert f'href="/t/{draft}"' not in mine and "your languages: ru" in mine and "in_review <b>" not in mine
    everything = web.get("/queue?lang=all").text
    assert f'href="/t/{draft}"' in everything and "in_review <b>1</b>" in everything
    _login(web, "kim", "kim-password")  # reviews ko
    queue = web.get("/queue").text
    assert f'href="/t/{draft}">{source_title}</a>' in queue  # the article as its editor titled it
    assert machine_title not in queue


def test_queue_filters_and_counts(web, draft, db):
    import datetime as dt

    from gnews_i18n.store.models import Translation

    _login(web, "kim", "kim-password")
    assert "in_review <b>1</b>" in web.get("/queue").text
    assert f'href="/t/{draft}"' in web.get("/queue?article=tashkent").text
    assert f'href="/t/{draft}"' not in web.get("/queue?article=no-such-article").text
    assert f'href="/t/{draft}"' not in web.get("/queue?older_than=3").text
    with db.session() as session:  # the draft has waited ten days
        session.get(Translation, draft).created_at -= dt.timedelta(days=10)
    aged = web.get("/queue?older_than=3").text
    assert f'href="/t/{draft}"' in aged and "10 d" in aged
    assert f'href="/t/{draft}"' not in web.get("/queue?state=approved").text
    assert f'href="/t/{draft}"' in web.get("/queue?state=all").text


def test_a_particle_flag_offers_a_one_click_fix(web, draft):
    _login(web, "kim", "kim-password")
    page = web.get(f"/t/{draft}").text
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    headers = {"X-CSRF-Token": csrf}
    segments = web.get(f"/api/translations/{draft}").json()["segments"]
    version = next(s["version"] for s in segments if s["position"] == "title")
    edited = web.put(f"/api/translations/{draft}/segments/title", headers=headers,
                     json={"text": "대표단이 병원를 방문했다", "version": version}).json()
    fix = [f["fix"] for f in edited["flags"] if f["id"] == "particle_mismatch"]
    assert fix == [{"find": "병원를", "replace": "병원을"}]
    page = web.get(f"/t/{draft}").text
    assert 'class="fix" data-find="병원를" data-replace="병원을"' in page
    # the button saves the replaced text as an ordinary edit (what desk.js sends)
    fixed = web.put(f"/api/translations/{draft}/segments/title", headers=headers,
                    json={"text": "대표단이 병원을 방문했다", "version": edited["version"]}).json()
    assert not [f for f in fixed["flags"] if f["id"] == "particle_mismatch"]
