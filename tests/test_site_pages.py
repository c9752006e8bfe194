"""What a reader meets: the newsletter site of issue 27 in Korean and English, read in Chromium.

One site is built per module (two real articles, one corrected) and served by a plain static
file server, as any web host would; one Chromium session runs axe-core on every page type (and
on the e-mail edition and the desk's pages), checks that nothing scrolls sideways on a 375 px
phone, and searches the archive through the search page (Pagefind, no server code).
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
import urllib.parse
from pathlib import Path

import html5lib
import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from gnews_i18n.config import load_settings
from gnews_i18n.publication import load_publication
from gnews_i18n.store.db import Database
from site_builder import AJOU_EN, build_site, draft_in_review, publish_all

from conftest import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.slow

PAGES = {  # page type → path under the site root
    "landing": "index.html",
    "home": "ko/index.html",
    "archive": "en/issues.html",
    "issue": "ko/issue-27.html",
    "article with correction": "en/night-clinics.html",
    "article": "ko/uzbek-delegation-ajou.html",
    "article with translated photo": "en/uzbek-delegation-ajou.html",
    "search": "ko/search.html",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("site")
    with pytest.MonkeyPatch.context() as patch:
        for name, value in {"GNEWS_DATA_DIR": str(tmp / "var"), "GNEWS_PUBLISH_DIR": str(tmp / "public"),
                            "GNEWS_DATABASE_URL": f"sqlite:///{tmp / 'desk.sqlite'}",
                            "GNEWS_SITE_URL": "https://news.example.org", "GNEWS_PUBLISH_WEBHOOKS": "",
                            "GNEWS_COOKIE_SECURE": "0"}.items():
            patch.setenv(name, value)
        settings = load_settings()
        db = Database(settings.database_url)
        ids = build_site(db, settings)
        yield db, settings, ids
        db.dispose()


@pytest.fixture(scope="module")
def served(site):
    """The publish directory behind Python's static file server (no gnews code answers)."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site[1].publish_dir))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="module")
def chromium():
    import shutil

    if not shutil.which(CHROMIUM):
        pytest.skip(reason=f"Chromium not available at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _page(site, path: str) -> HTMLParser:
    return HTMLParser((site[1].publish_dir / path).read_text(encoding="utf-8"))


def test_every_page_carries_the_publication_and_its_way_around(site):
    db, settings, _ = site
    root = settings.publish_dir
    publication = load_publication()
    for kind, path in PAGES.items():
        raw = (root / path).read_bytes()
        html5lib.HTMLParser(strict=True).parse(raw)
        page = HTMLParser(raw.decode())
        lang = page.css_first("html").attributes["lang"]
        assert page.css_first(".masthead .brand").text().strip() == publication.name(lang), kind
        assert page.css_first("a.skip-link").attributes["href"] == "#main" and page.css_first("main#main"), kind
        assert page.css_first('link[rel="stylesheet"]').attributes["href"].endswith("site.css"), kind
        assert not page.css("[style], style"), f"{kind}: inline styles"  # the site's CSP needs none
    assert "--accent: #00558c" in (root / "site.css").read_text() and "@media print" in (root / "site.css").read_text()

    article = _page(site, PAGES["article with correction"])
    crumbs = [a.attributes["href"] for a in article.css("nav.breadcrumb a")]
    assert crumbs == ["index.html", "issue-27.html"]
    assert article.css_first("nav.breadcrumb [aria-current=page]").text() == article.css_first("h1").text()
    assert article.css_first("a[rel=prev]").attributes["href"] == "uzbek-delegation-ajou.html"
    assert not article.css("a[rel=next]")  # the last article of the issue
    assert article.css_first("p.correction").text().startswith("Corrected on")
    translated = _page(site, "ko/night-clinics.html")  # the reviewed-by note and the correction, in Korean
    assert translated.css_first("p.note").text().startswith("기계 번역 후 한국어 담당 편집자가")
    assert "정정: 시 개수를 11개에서 12개로 바로잡았습니다." in translated.css_first("p.correction").text()
    assert "Health and Medical Policy Division" in article.css_first("p.meta").text()
    switcher = {a.attributes["hreflang"]: a.attributes["href"] for a in article.css("nav.languages a[hreflang]")}
    assert switcher == {"ko": "../ko/night-clinics.html"}

    # the photo: in the article at its place, translated alt and caption, sized; the lead photo on the issue page
    photo = _page(site, PAGES["article with translated photo"]).css_first("article figure img")
    assert photo.attributes["alt"] == AJOU_EN[2]  # the reviewed English alt text
    assert (photo.attributes["width"], photo.attributes["height"]) == ("480", "320")
    assert re.fullmatch(r"\.\./photos/[0-9a-f]{16}\.jpg", photo.attributes["src"])
    assert (root / photo.attributes["src"][3:]).read_bytes()[:2] == b"\xff\xd8"  # the JPEG itself is published
    caption = _page(site, PAGES["article with translated photo"]).css_first("article figure figcaption").text()
    assert caption == AJOU_EN[3]
    lead = _page(site, "en/issue-27.html").css_first("article figure img")
    assert lead.attributes["src"] == photo.attributes["src"] and lead.attributes["alt"] == photo.attributes["alt"]

    home = _page(site, PAGES["home"])
    assert home.css_first("section.latest a").attributes["href"] == "issue-27.html"
    assert home.css_first("section.latest a").text() == "제27호 (2023년 11월)"
    assert [a.attributes["href"] for a in _page(site, "en/issues.html").css("ol.issues a")] == ["issue-27.html"]
    landing = _page(site, "index.en.html")
    assert landing.css_first("section.latest a").attributes["href"] == "en/issue-27.html"
    assert {a.attributes["hreflang"] for a in landing.css("nav a[hreflang]")} == {"en", "ko"}
    assert publication.default_lang == "ko" and set(publication.descriptions) == {"en", "ko"}  # the shipped file
    assert _page(site, "index.html").css_first("html").attributes["lang"] == "ko"

    feed = (root / "ko" / "feed.xml").read_text()
    assert f"<title>{publication.name('ko')} (한국어)</title>" in feed
    again = publish_all(db, settings)
    assert again.written == [] and again.search == []  # unchanged: nothing rewritten, the index not rebuilt
    index = sorted(p.relative_to(root).as_posix() for p in (root / "pagefind").rglob("*") if p.is_file())
    assert "pagefind/pagefind-entry.json" in index and any(p.startswith("pagefind/index/ko_") for p in index)
    assert not any("pagefind-ui" in p for p in index)  # the site's own search page, not Pagefind's UI
    assert not (Path.cwd() / "pagefind").exists()  # Pagefind's default output folder is never written


def test_the_served_site_answers_in_the_readers_language(site):
    from fastapi.testclient import TestClient

    from gnews_i18n.server import create_app

    with TestClient(create_app()) as client:
        english = client.get("/site/", headers={"Accept-Language": "en-GB,en;q=0.9,ko;q=0.5"})
        korean = client.get("/site/", headers={"Accept-Language": "ko-KR"})
        neither = client.get("/site/", headers={"Accept-Language": "fr"})
        hidden = client.get("/site/.gnews-publish/manifest.json")
    assert english.status_code == 200 and 'lang="en"' in english.text and "Medical Gyeonggi e-News" in english.text
    assert english.headers["content-language"] == "en" and "accept-language" in english.headers["vary"].lower()
    assert korean.status_code == 200 and "메디컬경기 e-뉴스" in korean.text
    assert neither.status_code == 200 and f'lang="{load_publication().default_lang}"' in neither.text
    assert hidden.status_code == 404


def _axe_problems(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


def _desk(site, chromium_context):
    """The desk's pages in the browser, answered in process by the app (no server to start)."""
    from fastapi.testclient import TestClient

    from gnews_i18n.auth import add_user
    from gnews_i18n.auth.requests import database_for
    from gnews_i18n.server import create_app

    db = site[0]
    database_for.cache_clear()
    with db.session() as session:
        add_user(session, "kim", ["reviewer", "editor"], ["en"], password="kim-password")
    draft = draft_in_review(db)
    client = TestClient(create_app(), base_url="http://desk.test")

    def answer(route):
        request = route.request
        try:
            response = client.request(request.method, request.url, content=request.post_data_buffer,
                                      headers={k: v for k, v in request.headers.items() if k != "cookie"},
                                      follow_redirects=True)  # Playwright routes no redirect
            route.fulfill(status=response.status_code, body=response.content,
                          headers={k: v for k, v in response.headers.items() if k != "content-length"})
        except Exception as error:  # shown by the test, not lost in Playwright's thread
            failures.append(f"{request.url}: {error!r}")
            route.abort()

    failures: list[str] = []

    chromium_context.route("http://desk.test/**", answer)
    return client, draft, failures


def test_axe_finds_nothing_serious_and_nothing_scrolls_sideways_on_a_phone(site, served, chromium):
    from gnews_i18n.newsletter.delivery import editions
    from gnews_i18n.newsletter.mail import render_html

    context = chromium.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    problems = {}
    for kind, path in PAGES.items():
        page.goto(f"{served}/{path}")
        problems[kind] = _axe_problems(page)
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 375, f"{kind} scrolls sideways"
        for element in page.eval_on_selector_all("[lang]", "els => els.map(e => e.lang)"):
            assert re.fullmatch(r"[a-z]{2,3}", element), f"{kind}: lang={element!r}"
    page.goto(f"{served}/{PAGES['article with correction']}")
    page.emulate_media(media="print")  # the print stylesheet: the article without navigation or search
    assert page.locator(".site-nav").is_hidden() and page.locator(".search-box").is_hidden()
    assert page.locator("article h1").is_visible() and page.locator("p.correction").is_visible()
    page.emulate_media(media="screen")
    page.keyboard.press("Tab")  # the skip link comes first and is visible when focused
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.locator("a.skip-link").bounding_box()["y"] >= 0

    email = editions(site[0], 27, site[1])["ko"]
    page.set_content(render_html(email, "https://news.example.org/unsubscribe?lang=ko",
                                 name=load_publication().name("ko")))
    problems["e-mail edition"] = _axe_problems(page)

    client, draft, failures = _desk(site, context)
    for kind, path in [("desk login", "/login"), ("desk queue", "/queue"), ("desk review", f"/t/{draft}"),
                       ("desk submit", "/submit")]:
        if kind == "desk queue":  # the app's client holds the session cookie for the browser
            csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text).group(1)
            client.post("/login", data={"name": "kim", "password": "kim-password", "csrf": csrf, "next": "/queue"})
        page.goto(f"http://desk.test{path}")
        assert not failures, failures
        assert "Log in" not in page.title() or kind == "desk login", kind
        problems[kind] = _axe_problems(page)
    client.close()
    context.close()
    assert {kind: found for kind, found in problems.items() if found} == {}


@pytest.mark.parametrize("lang, query, expected", [
    ("ko", "아주대학교병원", "uzbek-delegation-ajou.html"),  # the page says 아주대학교병원을
    ("ko", "아주대학교병원에서", "uzbek-delegation-ajou.html"),  # the query's particle goes too
    ("en", "Ajou University Hospital", "uzbek-delegation-ajou.html"),
    ("en", "paediatrician", "night-clinics.html"),
])
def test_the_search_page_finds_each_language_in_the_browser(site, served, chromium, lang, query, expected):
    page = chromium.new_page()
    page.goto(f"{served}/{lang}/search.html?q={urllib.parse.quote(query)}")
    page.wait_for_selector("#search-status:not(:empty)", timeout=20_000)
    links = page.eval_on_selector_all("#search-results a", "els => els.map(a => a.getAttribute('href'))")
    page.close()
    assert f"/{lang}/{expected}" in links, links
    assert all(f"/{lang}/" in link for link in links)  # each language searches its own edition


def test_a_change_in_one_language_rebuilds_that_languages_index_alone():
    from gnews_i18n.publish.search import korean_stems, language_of, merge_entry

    before = b'{"version":"1.5.2","languages":{"en":{"hash":"en_1"},"ko":{"hash":"ko_1"}}}'
    built = b'{"version":"1.5.2","languages":{"ko":{"hash":"ko_2"}}}'
    assert merge_entry(before, built, {"ko"}) == (
        b'{"version":"1.5.2","languages":{"en":{"hash":"en_1"},"ko":{"hash":"ko_2"}}}')
    assert merge_entry(before, b'{"version":"1.5.2","languages":{}}', {"en"}) == (
        b'{"version":"1.5.2","languages":{"ko":{"hash":"ko_1"}}}')  # English left the site
    assert merge_entry(before, built.replace(b"1.5.2", b"1.6.0"), {"ko"}) is None  # another Pagefind: all again
    assert [language_of(n) for n in ("fragment/ko_82d.pf_fragment", "index/en_7b8.pf_index",
                                     "pagefind.ru_d08.pf_meta", "pagefind.js", "wasm.en.pagefind")] == [
        "ko", "en", "ru", None, None]
    # the shortest stem whose rest is all particles: a prefix of every form (경기 of 경기도에서는, too)
    assert korean_stems("대표단이 아주대학교병원을 방문했다. 경기도에서는 CT를") == [
        "대표단", "아주대학교병원", "방문했", "경기", "CT"]


def test_search_works_under_the_desks_site_preview_and_its_csp(site, chromium):
    """``gnews-i18n serve`` shows the site under /site/ with its Content-Security-Policy: the search
    page's script, Pagefind's WebAssembly and the GET form must all still work there."""
    from fastapi.testclient import TestClient

    from gnews_i18n.server import create_app

    client = TestClient(create_app(), base_url="http://desk.test")
    context = chromium.new_context()
    blocked: list[str] = []

    def answer(route):
        response = client.request(route.request.method, route.request.url, follow_redirects=True)
        route.fulfill(status=response.status_code, body=response.content,
                      headers={k: v for k, v in response.headers.items() if k != "content-length"})

    context.route("http://desk.test/**", answer)
    page = context.new_page()
    page.on("console", lambda message: blocked.append(message.text) if "Content Security" in message.text else None)
    page.goto("http://desk.test/site/ko/index.html")
    assert "script-src 'self' 'wasm-unsafe-eval'" in client.get("/site/ko/search.html").headers[
        "content-security-policy"]
    page.fill("#masthead-search", "아주대학교병원")
    page.press("#masthead-search", "Enter")  # the masthead's search box submits to the search page
    page.wait_for_selector("#search-status:not(:empty)", timeout=20_000)
    links = page.eval_on_selector_all("#search-results a", "els => els.map(a => a.getAttribute('href'))")
    context.close()
    client.close()
    assert "/site/ko/uzbek-delegation-ajou.html" in links and blocked == []
