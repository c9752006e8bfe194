"""E-mail editions: complete multipart messages, inlined CSS, absolute links, real SMTP delivery once."""

from __future__ import annotations

import datetime as dt
import email
import os
import re
import socket
import subprocess
import sys
from email import policy

import html5lib
import pytest
from aiosmtpd.controller import Controller

from gnews_i18n.config import load_settings
from gnews_i18n.newsletter.delivery import DeliveryError, Recipient, deliver, editions, read_recipients, write_eml
from gnews_i18n.newsletter.issues import add_article as put
from gnews_i18n.newsletter.issues import create_issue, release
from gnews_i18n.newsletter.mail import Edition, MailError, MailSettings, render_html
from gnews_i18n.newsletter.site import write_issue_pages
from gnews_i18n.publish import Publisher
from gnews_i18n.store.db import Database

from newsletter_desk import add_article

SITE = "https://news.example.org"


@pytest.fixture
def released(tmp_path, monkeypatch):
    """Issue 27 (en, ko, ru) with two articles, released and published."""
    for key in [k for k in os.environ if k.startswith("GNEWS_")]:
        monkeypatch.delenv(key)
    env = {"GNEWS_DATA_DIR": str(tmp_path / "var"), "GNEWS_PUBLISH_DIR": str(tmp_path / "public"),
           "GNEWS_SITE_URL": SITE, "GNEWS_DATABASE_URL": f"sqlite:///{tmp_path / 'desk.sqlite'}",
           "GNEWS_NEWSLETTER_LOGO": "/static/logo.png", "GNEWS_NEWSLETTER_NAME": "Medical Gyeonggi e-News"}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    settings = load_settings()
    db = Database(settings.database_url)
    ids = [add_article(db, n, ["ko", "ru"], ["ko", "ru"]) for n in (1, 2)]
    publisher = Publisher(settings)
    with publisher.directory.lock(), db.session() as session:
        issue = create_issue(session, 27, dt.date(2023, 11, 30),
                             {"en": "Vol. 27, November 2023", "ko": "제27호", "ru": "Выпуск 27"}, ["en", "ko", "ru"])
        for article_id in ids:
            put(session, issue, article_id)
        release(session, issue, "pub")
        write_issue_pages(session, issue, settings, publisher)
    yield db, settings, env
    db.dispose()


def check_message(raw: bytes, lang: str) -> email.message.EmailMessage:
    message = email.message_from_bytes(raw, policy=policy.default)
    assert message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    assert message["Content-Language"] == lang
    assert message["List-Unsubscribe"].startswith(f"<{SITE}/unsubscribe?") and "mailto:" in message["List-Unsubscribe"]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    html5lib.HTMLParser(strict=True).parse(html)  # raises on any parse error
    assert len(html.encode()) < 102 * 1024
    assert not re.search(r"<(style|link|script)\b", html, re.I)  # the CSS is inlined, nothing is fetched
    assert 'style="' in html and "<table" in html
    urls = re.findall(r'(?:href|src)="([^"]+)"', html)
    assert urls and all(u.startswith(SITE + "/") for u in urls), urls
    images = re.findall(r"<img\b[^>]*>", html)
    assert images == [img for img in images if re.search(r'\balt="[^"]+"', img)] and images  # alt text on each
    assert f'src="{SITE}/static/logo.png"' in images[0]
    assert f"{SITE}/{lang}/clinic-1.html" in urls and f"{SITE}/{lang}/clinic-1.html" in text
    return message


def test_eml_per_language_is_a_complete_message(released, tmp_path):
    db, settings, _ = released
    eds = editions(db, 27, settings)
    written = write_eml(eds, MailSettings.load(settings), "secret", tmp_path / "mail")
    assert sorted(written) == ["en", "ko", "ru"]
    for lang, path in written.items():
        message = check_message(path.read_bytes(), lang)
        print(f"MAIL_SIZE {lang} {path.stat().st_size} bytes")
    ko = email.message_from_bytes(written["ko"].read_bytes(), policy=policy.default)
    assert ko["Subject"] == "제27호"
    assert "[ko] Hospital 1 opened a new ward" in ko.get_body(("html",)).get_content()
    assert message["Subject"] == "Выпуск 27"


def test_an_edition_over_gmails_clipping_size_is_refused():
    items = [{"title": f"Title {n}", "lead": "x" * 280, "url": f"{SITE}/en/a-{n}.html"} for n in range(400)]
    with pytest.raises(MailError, match="Gmail clips over 102 KB"):
        render_html(Edition(1, "en", "Big", "today", items, f"{SITE}/en/issue-1.html"), f"{SITE}/unsubscribe")


class Inbox:
    """An aiosmtpd handler keeping what it receives; it answers ``refuse[address]`` (code, times) instead."""

    def __init__(self, refuse: dict[str, list] | None = None):
        self.received: list[tuple[list[str], bytes]] = []
        self.refuse = refuse or {}

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        for address in envelope.rcpt_tos:
            if self.refuse.get(address, [None, 0])[1] > 0:
                self.refuse[address][1] -= 1
                return self.refuse[address][0]
        self.received.append((list(envelope.rcpt_tos), envelope.original_content))
        return "250 OK"


@pytest.fixture
def smtp():
    servers = []

    def start(handler: Inbox) -> str:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        controller = Controller(handler, hostname="127.0.0.1", port=port)
        controller.start()
        servers.append(controller)
        return f"smtp://127.0.0.1:{port}"

    yield start
    for controller in servers:
        controller.stop()


def test_smtp_sends_each_recipient_their_language_once_even_when_retried(released, smtp, monkeypatch):
    db, settings, _ = released
    # Boris' server says "later" four times: three tries in the first run, then the retried job succeeds.
    inbox = Inbox({"boris@example.org": ["451 4.3.0 try again later", 4],
                   "dora@example.org": ["550 5.1.1 no such mailbox", 99]})
    monkeypatch.setenv("GNEWS_SMTP_URL", smtp(inbox))
    mail = MailSettings.load(settings)
    people = [Recipient("ann@example.org", "ko", "안나"), Recipient("boris@example.org", "ru", "Борис"),
              Recipient("chloe@example.org", "fr", "Chloé"),  # no French edition: the fallback (en)
              Recipient("dora@example.org", "en", "Dora")]
    eds = editions(db, 27, settings)
    waits = []
    with pytest.raises(DeliveryError, match="1 sent and recorded"):
        deliver(db, 27, people, eds, mail, "secret", pause=waits.append)
    assert waits == [2, 4]  # backoff between the tries
    assert [to for to, _ in inbox.received] == [["ann@example.org"]]  # the batch's retries skipped Ann
    report = deliver(db, 27, people, eds, mail, "secret", pause=waits.append)  # the retried job
    assert report.skipped == ["ann@example.org"] and report.sent == ["boris@example.org", "chloe@example.org"]
    assert list(report.refused) == ["dora@example.org"] and "550" in report.refused["dora@example.org"]
    again = deliver(db, 27, people, eds, mail, "secret", pause=waits.append)
    assert again.sent == [] and len(again.skipped) == 3
    assert sorted(to[0] for to, _ in inbox.received) == ["ann@example.org", "boris@example.org",
                                                         "chloe@example.org"]  # each exactly once
    langs = {to[0]: check_message(raw, {"ann": "ko", "boris": "ru", "chloe": "en"}[to[0].split("@")[0]])
             for to, raw in inbox.received}
    assert langs["boris@example.org"]["To"] == "Борис <boris@example.org>"
    assert "email=ann%40example.org" in langs["ann@example.org"]["List-Unsubscribe"]


def test_cli_sends_through_smtp_and_reports_sizes(released, smtp, tmp_path):
    db, settings, env = released
    inbox = Inbox()
    recipients = tmp_path / "readers.csv"
    recipients.write_text("email,lang,name\nann@example.org,ko,Ann\nbob@example.org,en,Bob\n", encoding="utf-8")
    run = {**os.environ, **env, "GNEWS_SMTP_URL": smtp(inbox)}
    cmd = [sys.executable, "-m", "gnews_i18n.cli", "issue", "email", "27", "--recipients", str(recipients)]
    first = subprocess.run(cmd, env=run, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    assert "2 sent, 0 already sent before" in first.stdout and "ko " in first.stdout
    second = subprocess.run(cmd, env=run, capture_output=True, text=True, timeout=120)
    assert "0 sent, 2 already sent before" in second.stdout
    assert len(inbox.received) == 2


def test_recipient_file_errors_name_the_line(tmp_path):
    bad = tmp_path / "r.csv"
    bad.write_text("email,lang,name\nann@example.org,ko,Ann\nnot-an-address,ko,X\nann@example.org,en,Ann\n")
    with pytest.raises(DeliveryError) as error:
        read_recipients(bad)
    assert f"{bad}:3: 'not-an-address'" in str(error.value) and f"{bad}:4: ann@example.org is listed twice" in str(
        error.value)


def test_the_email_job_serves_each_reader_once_however_often_it_runs(released, smtp, tmp_path):
    """The worker's task body, run twice in its own process against a real SMTP server."""
    db, settings, env = released
    inbox = Inbox()
    readers = tmp_path / "readers.csv"
    readers.write_text("email,lang,name\nann@example.org,ru,Ann\nbob@example.org,ko,Bob\n", encoding="utf-8")
    job = (f"from gnews_i18n.worker import tasks; r = tasks.email_issue.run(27, {str(readers)!r}); "
           "print(r['sent'], r['skipped'])")
    run = {**os.environ, **env, "GNEWS_SMTP_URL": smtp(inbox)}
    outputs = [subprocess.run([sys.executable, "-c", job], env=run, capture_output=True, text=True, timeout=120)
               for _ in range(2)]
    assert [o.stdout.strip() for o in outputs] == ["2 0", "0 2"], [o.stderr[-2000:] for o in outputs]
    assert sorted(to[0] for to, _ in inbox.received) == ["ann@example.org", "bob@example.org"]


@pytest.mark.slow
def test_the_html_edition_in_chromium_fetches_nothing_and_keeps_its_layout(released, tmp_path):
    """Debian's Chromium renders the Korean edition: no request leaves the page but the masthead
    image's (absolute, on the site), the content column is 600 px wide, and a screenshot is
    written (mail-ko.png beside the test's files)."""
    import shutil

    chromium = os.environ.get("GNEWS_TEST_CHROMIUM", "/usr/bin/chromium")
    if not shutil.which(chromium) and not os.path.exists(chromium):
        pytest.skip(reason=f"Chromium not available at {chromium} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    db, settings, _ = released
    written = write_eml(editions(db, 27, settings), MailSettings.load(settings), "secret", tmp_path / "mail")
    html = email.message_from_bytes(written["ko"].read_bytes(), policy=policy.default).get_body(("html",))
    requests = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True,
                                             args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
        try:
            page = browser.new_page(viewport={"width": 800, "height": 600})
            page.on("request", lambda request: requests.append(request.url))
            page.route("**/*", lambda route: route.abort())  # nothing reaches the network
            page.set_content(html.get_content(), wait_until="load")
            box = page.locator("table.inner").bounding_box()
            shot = page.screenshot(path=str(tmp_path / "mail-ko.png"), full_page=True)
            links = page.locator("a[href]").evaluate_all("els => els.map(e => e.href)")
        finally:
            browser.close()
    assert requests == [f"{SITE}/static/logo.png"]
    assert box is not None and round(box["width"]) == 600
    assert len(shot) > 5000 and shot[:8] == b"\x89PNG\r\n\x1a\n"
    assert all(link.startswith(SITE + "/") for link in links) and len(links) == 6
