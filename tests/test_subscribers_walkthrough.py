"""A reader's whole path through a real `gnews-i18n serve` and a real SMTP server (aiosmtpd):
subscribe on the site → confirmation mail → confirm → issue 27 arrives, DKIM-signed, with an
unencoded one-click List-Unsubscribe → one-click POST → issue 28 does not arrive."""

from __future__ import annotations

import base64
import datetime as dt
import email
import os
import re
import subprocess
import sys
from email import policy
from urllib.parse import urlsplit

import dkim
import httpx
import pytest
from aiosmtpd.controller import Controller
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from typer.testing import CliRunner

from gnews_i18n.cli import app as cli
from gnews_i18n.config import load_settings
from gnews_i18n.newsletter.delivery import deliver, editions, subscriber_recipients
from gnews_i18n.newsletter.issues import add_article as put
from gnews_i18n.newsletter.issues import create_issue, release
from gnews_i18n.newsletter.mail import MailSettings
from gnews_i18n.newsletter.site import write_issue_pages
from gnews_i18n.publish import Publisher
from gnews_i18n.store.db import Database
from gnews_i18n.store.models import Subscriber

from conftest import free_port, wait_for
from newsletter_desk import add_article

READER = "Reader.One@Example.org"
ADDRESS = "reader.one@example.org"


class Inbox:
    def __init__(self):
        self.received: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.received.append((list(envelope.rcpt_tos), envelope.original_content))
        return "250 OK"


def dkim_key(tmp_path) -> tuple[str, bytes]:
    """A fresh RSA key: the PEM file's path, and the TXT record the operator would publish."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path = tmp_path / "dkim.pem"
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                       serialization.NoEncryption()))
    public = key.public_key().public_bytes(serialization.Encoding.DER,
                                           serialization.PublicFormat.SubjectPublicKeyInfo)
    return str(path), b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)


def publish_issue(db, settings, number: int, articles: list[int]) -> None:
    publisher = Publisher(settings)
    with publisher.directory.lock(), db.session() as session:
        issue = create_issue(session, number, dt.date(2023, 11, 30), {"en": f"Vol. {number}", "ko": f"제{number}호"},
                             ["en", "ko"])
        for article_id in articles:
            put(session, issue, article_id)
        release(session, issue, "pub")
        write_issue_pages(session, issue, settings, publisher)


@pytest.mark.slow
def test_a_reader_subscribes_confirms_receives_one_issue_and_leaves_in_one_click(tmp_path, monkeypatch):
    inbox = Inbox()
    smtp_port, web_port = free_port(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    key_path, txt_record = dkim_key(tmp_path)
    publication = tmp_path / "publication.toml"  # the sender comes from here, not from the host name
    publication.write_text('[name]\nen = "Clinic Letter"\nko = "클리닉 소식"\n\n[sender]\nname = "Clinic Letter"\n'
                           'address = "news@mail.example.org"\nreply_to = "desk@example.org"\n', encoding="utf-8")
    site = f"http://127.0.0.1:{web_port}/site"
    env = {"GNEWS_DATA_DIR": str(tmp_path / "var"), "GNEWS_PUBLISH_DIR": str(tmp_path / "public"),
           "GNEWS_DATABASE_URL": f"sqlite:///{tmp_path / 'desk.sqlite'}", "GNEWS_SITE_URL": site,
           "GNEWS_SECRET_KEY": "walkthrough-secret", "GNEWS_SMTP_URL": f"smtp://127.0.0.1:{smtp_port}",
           "GNEWS_PUBLICATION": str(publication), "GNEWS_DKIM_SELECTOR": "gnews2024",
           "GNEWS_DKIM_KEY": key_path, "GNEWS_PUBLISH_WEBHOOKS": "", "GNEWS_COOKIE_SECURE": "0"}
    for key in [k for k in os.environ if k.startswith("GNEWS_")]:
        monkeypatch.delenv(key)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    settings = load_settings()
    db = Database(settings.database_url)
    first, second = (add_article(db, n, ["ko"], ["ko"]) for n in (1, 2))
    publish_issue(db, settings, 27, [first])
    log = open(tmp_path / "server.log", "ab")
    server = subprocess.Popen([sys.executable, "-m", "gnews_i18n.cli", "serve", "--port", str(web_port)],
                              stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **env}, start_new_session=True)
    try:
        base = f"http://127.0.0.1:{web_port}"

        def up() -> bool:
            assert server.poll() is None, (tmp_path / "server.log").read_text()[-3000:]
            try:
                return httpx.get(base + "/health", timeout=2).status_code == 200
            except httpx.HTTPError:
                return False

        wait_for(up, 60, "the server to answer /health")

        with httpx.Client(timeout=10) as web:
            # 1. The Korean home page carries the subscribe form; the reader fills it in.
            home = HTMLParser(web.get(f"{site}/ko/index.html").text)
            form = home.css_first("form.subscribe")
            assert form.attributes["action"] == f"{site}/subscribe"
            fields = {i.attributes["name"]: i.attributes.get("value", "") for i in form.css("input")}
            assert fields["lang"] == "ko"
            answer = web.post(form.attributes["action"], data={**fields, "email": READER})
            assert answer.status_code == 200 and "확인 메일" in answer.text
            assert web.post(f"{site}/subscribe", data={"email": "not an address", "lang": "ko"}).status_code == 422

            # 2. The confirmation mail: in Korean, DKIM-signed, with a signed link.
            assert [to for to, _ in inbox.received] == [[ADDRESS]]
            raw = inbox.received[0][1]
            assert dkim.verify(raw, dnsfunc=lambda name, timeout=5: txt_record if name == b"gnews2024._domainkey."
                               b"mail.example.org." else None)
            mail = email.message_from_bytes(raw, policy=policy.default)
            assert mail["Content-Language"] == "ko" and mail["Subject"] == "클리닉 소식 구독을 확인해 주세요"
            link = re.search(r"http://\S+/site/confirm\?\S+", mail.get_content()).group()
            forged = link.replace("sig=", "sig=0")
            assert web.get(forged).status_code == 400
            with db.session() as session:  # the consent record: when, how, from where
                row = session.query(Subscriber).one()
                assert (row.status, row.email, row.lang, row.consent_method) == ("pending", ADDRESS, "ko", "site form")
                assert row.consent_at is not None and row.consent_source.endswith("from 127.0.0.1")
            confirmed = web.get(link)
            assert confirmed.status_code == 200 and "구독이 확인되었습니다" in confirmed.text

            # Subscribing again changes nothing and says the same; no second mail.
            again = web.post(f"{site}/subscribe", data={"email": READER, "lang": "ko"})
            assert again.text == answer.text and len(inbox.received) == 1

            # 3. Issue 27 to the subscribers, by the command line.
            sent = CliRunner().invoke(cli, ["issue", "email", "27", "--subscribers"])  # in this process: fast
            assert sent.exit_code == 0, sent.output
            assert "ko: 1 sent, 0 failed, 0 skipped" in sent.output
            assert [to for to, _ in inbox.received][1:] == [[ADDRESS]]
            raw = inbox.received[1][1]
            header = re.search(rb"^List-Unsubscribe: (.*(?:\r\n[ \t].*)*)", raw, re.M).group(1)
            assert header.startswith(f"<{site}/unsubscribe?".encode()) and b"=?" not in header
            assert b"\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n" in raw
            assert dkim.verify(raw, dnsfunc=lambda name, timeout=5: txt_record)
            issue_mail = email.message_from_bytes(raw, policy=policy.default)
            assert issue_mail["From"] == "Clinic Letter <news@mail.example.org>"
            assert issue_mail["Reply-To"] == "desk@example.org"
            assert issue_mail["Content-Language"] == "ko"
            unsubscribe = re.match(rb"<([^>]+)>", header).group(1).decode()

            # 4. The unsubscribe page: one button, in Korean. A forged signature: 400, nothing changed.
            page = HTMLParser(web.get(unsubscribe).text)
            assert page.css_first("html").attributes["lang"] == "ko"
            assert [b.text() for b in page.css("button")] == ["수신 거부"]
            parts = urlsplit(unsubscribe)
            bad = web.post(unsubscribe.replace("sig=", "sig=f"), content=b"List-Unsubscribe=One-Click",
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
            assert bad.status_code == 400
            with db.session() as session:
                assert session.query(Subscriber).one().status == "active"
            # RFC 8058: what a mail provider sends, once, with no page in between
            left = web.post(unsubscribe, content=b"List-Unsubscribe=One-Click",
                            headers={"Content-Type": "application/x-www-form-urlencoded"})
            assert left.status_code == 200 and ADDRESS in left.text and parts.path == "/site/unsubscribe"
            with db.session() as session:
                assert session.query(Subscriber).one().status == "unsubscribed"

        # 5. Issue 28 goes out; the reader who left gets nothing.
        publish_issue(db, settings, 28, [second])
        report = deliver(db, 28, subscriber_recipients(db), editions(db, 28, settings), MailSettings.load(settings),
                         settings.secret_key())
        assert report.sent == [] and len(inbox.received) == 2
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()
        controller.stop()
        db.dispose()
