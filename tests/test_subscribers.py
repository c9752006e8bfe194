"""The subscriber list: CSV round trips with a report of bad lines, forget, bounces, pacing, the API and
the desk; and the issue fixes beside it (titles until release, the desk's refusal, corrections at once)."""

from __future__ import annotations

import datetime as dt
import os
import re
import socket

import pytest
from aiosmtpd.controller import Controller
from typer.testing import CliRunner

from gnews_i18n.cli import app as cli
from gnews_i18n.config import load_settings
from gnews_i18n.newsletter import subscribers
from gnews_i18n.newsletter.delivery import Recipient, deliver, editions, subscriber_recipients
from gnews_i18n.newsletter.issues import add_article as put
from gnews_i18n.newsletter.issues import create_issue, release
from gnews_i18n.newsletter.links import LinkError, check_confirm, confirm_link, unsubscribe_signature
from gnews_i18n.newsletter.mail import MailSettings
from gnews_i18n.newsletter.site import write_issue_pages
from gnews_i18n.newsletter.transport import Pace
from gnews_i18n.publish import Publisher
from gnews_i18n.store.db import Database
from gnews_i18n.store.models import IssueDelivery, Subscriber

from conftest import api_desk
from newsletter_desk import add_article, article_text

NOW = dt.datetime(2024, 3, 1, 9, 0)
GOOD_AND_BAD = ("email,lang,status,consent_at\n"
                "ann@example.org,ko,,\n"
                "not-an-address,en,,\n"
                "Bob@Example.org,ru,active,2024-02-01T10:00:00\n"
                "chloe@example.org,fr,,\n"
                "ann@example.org,en,,\n"
                "dora@example.org,en,active,\n")


def test_a_csv_with_bad_lines_names_each_and_imports_nothing_then_round_trips(db, tmp_path):
    """On SQLite and on PostgreSQL (the migration applies on both)."""
    with db.session() as session, pytest.raises(subscribers.SubscriberError) as refused:
        subscribers.import_csv(session, GOOD_AND_BAD, "readers.csv", now=NOW)
    lines = str(refused.value).splitlines()
    assert [line.split(":")[1] for line in lines[:-1]] == ["3", "5", "6", "7"]
    assert "readers.csv:5: unknown language 'fr'" in lines[1] and "listed twice" in lines[2]
    assert "no consent_at" in lines[3] and "Nothing was imported" in lines[-1]
    with db.session() as session:
        assert session.query(Subscriber).count() == 0

    with db.session() as session:
        report = subscribers.import_csv(session, GOOD_AND_BAD, "readers.csv", skip_bad=True, now=NOW)
        assert report.added == ["ann@example.org", "bob@example.org"] and len(report.problems) == 4
        assert report.to_confirm == [("ann@example.org", "ko")]  # pending: a confirmation mail is due
        subscribers.unsubscribe(session, "bob@example.org", "ru", unsubscribe_signature("k", "bob@example.org"), "k",
                                now=NOW)
        exported = subscribers.export_csv(session)
    assert exported.splitlines()[0] == ",".join(subscribers.COLUMNS)
    assert "bob@example.org,ru,unsubscribed,,2024-02-01T10:00:00,import,readers.csv,,2024-03-01T09:00:00" in exported

    # An import never brings back someone who left: bob stays unsubscribed.
    with db.session() as session:
        again = subscribers.import_csv(session, "email,lang,status,consent_at\nbob@example.org,ru,active,"
                                                "2024-02-01T10:00:00\n", "again.csv")
        assert again.existing == ["bob@example.org"] and subscribers.find(session, "bob@example.org").status == \
            "unsubscribed"

    other = Database(f"sqlite:///{tmp_path / 'other.sqlite'}")
    try:
        with other.session() as session:
            subscribers.import_csv(session, exported, "export.csv")
        with other.session() as session:
            assert subscribers.export_csv(session) == exported  # consent record and all
    finally:
        other.dispose()


@pytest.fixture
def released(tmp_path, monkeypatch):
    for key in [k for k in os.environ if k.startswith("GNEWS_")]:
        monkeypatch.delenv(key)
    env = {"GNEWS_DATA_DIR": str(tmp_path / "var"), "GNEWS_PUBLISH_DIR": str(tmp_path / "public"),
           "GNEWS_SITE_URL": "https://news.example.org", "GNEWS_DATABASE_URL": f"sqlite:///{tmp_path / 'd.sqlite'}",
           "GNEWS_PUBLISH_WEBHOOKS": "", "GNEWS_COOKIE_SECURE": "0",
           "GNEWS_BROKER_URL": f"filesystem://{tmp_path / 'broker'}"}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    settings = load_settings()
    db = Database(settings.database_url)
    article = add_article(db, 1, ["ko"], ["ko"])
    publisher = Publisher(settings)
    with publisher.directory.lock(), db.session() as session:
        issue = create_issue(session, 27, dt.date(2023, 11, 30), {"en": "Vol. 27"}, ["en", "ko"])
        put(session, issue, article)
        release(session, issue, "pub")
        write_issue_pages(session, issue, settings, publisher)
    yield db, settings
    db.dispose()


def _active(db, *rows: tuple[str, str]) -> None:
    with db.session() as session:
        for address, lang in rows:
            session.add(Subscriber(email=address, lang=lang, name="", status="active", consent_at=NOW,
                                   consent_method="cli", consent_source="test", bounces=0))


class Refusing:
    def __init__(self, refuse: set[str]):
        self.refuse, self.received, self.refusals = refuse, [], 0

    async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: N802 (aiosmtpd's hook)
        if address in self.refuse:
            self.refusals += 1
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.received.append(list(envelope.rcpt_tos))
        return "250 OK"


def test_permanent_refusals_bounce_an_address_at_the_limit_and_sending_is_paced(released, monkeypatch):
    db, settings = released
    _active(db, ("ann@example.org", "ko"), ("gone@example.org", "en"))
    handler = Refusing({"gone@example.org"})
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        monkeypatch.setenv("GNEWS_SMTP_URL", f"smtp://127.0.0.1:{port}")
        monkeypatch.setenv("GNEWS_BOUNCE_LIMIT", "2")
        monkeypatch.setenv("GNEWS_MAIL_PER_MINUTE", "120")
        mail = MailSettings.load(settings)
        eds = editions(db, 27, settings)
        clock, slept = [0.0], []
        pace = Pace(mail.per_minute, clock=lambda: clock[0], sleep=slept.append)
        first = deliver(db, 27, subscriber_recipients(db), eds, mail, "s", pace=pace)
        assert first.sent == ["ann@example.org"] and list(first.refused) == ["gone@example.org"]
        assert first.bounced == [] and slept == [0.5]  # 120 a minute: one every half second
        assert first.per_language() == {"en": {"sent": 0, "failed": 1, "skipped": 0},
                                        "ko": {"sent": 1, "failed": 0, "skipped": 0}}
        second = deliver(db, 27, subscriber_recipients(db), eds, mail, "s")  # the refused one is tried again
        assert second.skipped == ["ann@example.org"] and second.bounced == ["gone@example.org"]
        with db.session() as session:
            assert subscribers.find(session, "gone@example.org").status == "bounced"
        third = deliver(db, 27, [Recipient("gone@example.org", "en", "")], eds, mail, "s")  # even from a file
        assert third.ended == ["gone@example.org"] and handler.refusals == 2
    finally:
        controller.stop()


def test_forget_erases_the_address_everywhere_and_keeps_only_a_count(released):
    db, _ = released
    with db.session() as session:  # asking again at once sends no second mail; later, one more
        asked = [subscribers.request_subscription(session, "eve@example.org", "ru", method="site form", source="t",
                                                  now=NOW + dt.timedelta(minutes=m)).confirm for m in (0, 5, 11)]
        assert asked == [True, False, True]
        subscribers.forget(session, "eve@example.org")
    _active(db, ("ann@example.org", "ko"))
    with db.session() as session:
        session.add(IssueDelivery(issue_id=1, recipient="ann@example.org", lang="ko", message_id="<m@x>"))
    with db.session() as session:
        subscribers.forget(session, "Ann@Example.org")
    with db.session() as session:
        assert session.query(Subscriber).count() == 0 and session.query(IssueDelivery).count() == 0
        assert subscribers.counts(session) == {"by_lang": {}, "total": 0, "forgotten": 2}
        with pytest.raises(subscribers.SubscriberError, match="nothing to erase"):
            subscribers.forget(session, "ann@example.org")


def _csrf(text: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', text).group(1)


def test_api_and_desk_manage_subscribers_titles_and_releases(released):
    db, settings = released
    with api_desk(db, [("pub", ["publisher"], []), ("ed", ["editor"], [])]) as (client, tokens):
        added = client.post("/api/subscribers", json={"email": "Ann@Example.org", "lang": "ko"},
                            headers=tokens["pub"])
        assert added.status_code == 201 and added.json()["status"] == "pending", added.text
        assert list((settings.data_dir / "outbox").glob("confirm-*.eml"))  # no SMTP server: written out
        assert client.post("/api/subscribers", json={"email": "x@y.org", "lang": "ko"},
                           headers=tokens["ed"]).status_code == 403
        bad = client.post("/api/subscribers", json={"email": "nobody", "lang": "ko"}, headers=tokens["pub"])
        assert bad.status_code == 422 and "not an e-mail address" in bad.json()["detail"]
        refused = client.post("/api/subscribers/import", content=GOOD_AND_BAD.encode(), headers=tokens["pub"])
        assert refused.status_code == 422 and "body:3:" in refused.json()["detail"]
        listed = client.get("/api/subscribers", headers=tokens["pub"]).json()
        assert listed["counts"]["by_lang"]["ko"]["pending"] == 1 and listed["counts"]["total"] == 1
        exported = client.get("/api/subscribers/export", headers=tokens["pub"])
        assert exported.headers["content-type"].startswith("text/csv") and "ann@example.org,ko,pending" in \
            exported.text
        assert client.delete("/api/subscribers/ann@example.org", headers=tokens["pub"]).json()["status"] == \
            "unsubscribed"
        assert client.post("/api/subscribers/ann@example.org/forget", headers=tokens["pub"]).status_code == 200
        assert client.delete("/api/subscribers/ann@example.org", headers=tokens["pub"]).status_code == 404

        # Titles per language until release: PATCH, then 409 once released.
        body = {"number": 30, "date": "2024-01-05", "titles": {"en": "Vol. 30"}}
        assert client.post("/api/issues", json=body, headers=tokens["ed"]).status_code == 201
        patched = client.patch("/api/issues/30", json={"titles": {"ko": "제30호", "ru": "Выпуск 30"}},
                               headers=tokens["ed"])
        assert patched.status_code == 200 and patched.json()["titles"] == {"en": "Vol. 30", "ko": "제30호",
                                                                           "ru": "Выпуск 30"}
        assert client.patch("/api/issues/30", json={"titles": {"ko": "a\nb"}}, headers=tokens["ed"]).status_code \
            == 422
        assert client.patch("/api/issues/27", json={"titles": {"ko": "늦음"}},
                            headers=tokens["ed"]).status_code == 409  # released

        # The desk: titles in every language, the refusal in its own words, the counts page.
        page = client.get("/login")
        client.post("/login", data={"name": "pub", "password": "pub-password", "csrf": _csrf(page.text),
                                    "next": "/issues"}, follow_redirects=False)
        form = client.get("/issues/30").text
        assert 'name="title_mn"' in form
        client.post("/issues/30/titles", data={"csrf": _csrf(form), "title_en": "Vol. 30", "title_ko": "",
                                               "title_mn": "Дугаар 30"})
        assert client.get("/api/issues/30", headers=tokens["pub"]).json()["titles"] == {
            "en": "Vol. 30", "ru": "Выпуск 30", "mn": "Дугаар 30"}
        blocked = add_article(db, 2, ["ko"], [])
        client.post("/issues/30/add", data={"csrf": _csrf(form), "article": blocked})
        refusal = client.post("/issues/30/release", data={"csrf": _csrf(form)}).text
        assert "Release without them, because" in refusal and "--missing-reason" not in refusal
        released = client.get("/issues/27").text
        assert released.count('id="email-issue"') == 1  # released: the send button, once, in the page
        assert "<form" not in released.split("<title>", 1)[1].split("</title>", 1)[0]  # not in its title
        early = client.post("/issues/30/email", data={"csrf": _csrf(form)}).text
        assert "Issue 30 is not released yet" in early
        counts = client.get("/subscribers").text
        assert 'id="subscriber-counts"' in counts and "1 erased on request" in counts


def test_a_correction_reaches_the_source_edition_at_once(released):
    db, settings = released
    with api_desk(db, [("ed", ["editor"], [])]) as (client, tokens):
        body = {"content": article_text(1).decode().replace("10 beds", "12 beds"), "filename": "clinic-1.md",
                "targets": ["ko"], "correction": "The bed count was wrong.", "queue": False}
        done = client.post("/api/articles", json=body, headers=tokens["ed"])
        assert done.status_code == 201 and done.json()["correction_published"] == "published", done.text
    page = (settings.publish_dir / "en" / "clinic-1.html").read_text()
    assert "12 beds" in page and "The bed count was wrong." in page
    assert "12 beds" not in (settings.publish_dir / "ko" / "clinic-1.html").read_text()  # until approved


def test_the_command_line_imports_exports_and_forgets_and_links_expire(released, tmp_path):
    db, settings = released
    runner = CliRunner()
    readers = tmp_path / "readers.csv"
    readers.write_text(GOOD_AND_BAD, encoding="utf-8")
    refused = runner.invoke(cli, ["subscribers", "import", str(readers)])
    assert refused.exit_code == 1 and f"{readers}:3:" in refused.output and "Nothing was imported" in refused.output
    done = runner.invoke(cli, ["subscribers", "import", str(readers), "--skip-bad"])
    assert done.exit_code == 0 and "2 added (1 pending)" in done.output, done.output
    assert "1 confirmation mail(s) written to" in done.output  # no SMTP server here: the outbox
    out = tmp_path / "export.csv"
    assert runner.invoke(cli, ["subscribers", "export", str(out)]).exit_code == 0
    assert out.read_text(encoding="utf-8").count("\n") == 3  # header and two readers
    listed = runner.invoke(cli, ["subscribers", "list", "--status", "active"])
    assert "bob@example.org  ru  active" in listed.output and "ann@" not in listed.output.split("\n")[0]
    assert runner.invoke(cli, ["subscribers", "forget", "bob@example.org", "--yes"]).exit_code == 0
    assert "1 erased on request" in runner.invoke(cli, ["subscribers", "list"]).output

    made = dt.datetime(2024, 3, 1, 9, 0)
    link = confirm_link("https://news.example.org/confirm", "k", "ann@example.org", "ko", made)
    query = dict(pair.split("=", 1) for pair in link.split("?", 1)[1].split("&"))
    check_confirm("k", "ann@example.org", "ko", query["t"], query["sig"], 72, made + dt.timedelta(hours=71))
    with pytest.raises(LinkError, match="expired"):
        check_confirm("k", "ann@example.org", "ko", query["t"], query["sig"], 72, made + dt.timedelta(hours=73))
    with pytest.raises(LinkError, match="not valid"):
        check_confirm("k", "ann@example.org", "en", query["t"], query["sig"], 72, made)  # another language

