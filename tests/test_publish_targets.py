"""Publishing safely: a killed publish leaves the site whole; webhooks are signed, retried, idempotent."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from gnews_i18n.config import load_settings
from gnews_i18n.publish import Publisher, TargetError
from gnews_i18n.publish.targets import HttpTarget
from gnews_i18n.store.models import Translation
from test_publish import approve_draft, files

from conftest import run_cli

pytestmark = pytest.mark.slow


@pytest.fixture
def database_url(tmp_path):
    return f"sqlite:///{tmp_path / 'publish.sqlite'}"


def test_a_publish_killed_before_its_commit_changes_nothing(db, draft, gnews_env):
    out = load_settings().publish_dir
    approve_draft(db, draft, title="첫 제목")
    assert run_cli(gnews_env, "publish").returncode == 0
    before = files(out)
    assert any(name.startswith("ko/") for name in before)
    templates = _template(out.parent, "v2")  # every page changes
    killed = run_cli({**gnews_env, "GNEWS_TEMPLATE_DIR": str(templates),
                      "GNEWS_FAILPOINT": "publish.staged"}, "publish", "--all")
    assert killed.returncode == -9  # SIGKILL, midway
    assert files(out) == before  # the live site is exactly the previous one
    assert (out / ".gnews-publish" / "staging").is_dir()  # what it left behind …
    again = run_cli({**gnews_env, "GNEWS_TEMPLATE_DIR": str(templates)}, "publish", "--all")
    assert again.returncode == 0, again.stderr
    assert not list((out / ".gnews-publish" / "staging").iterdir())  # … is thrown away
    assert all(b"house v2" in data for name, data in files(out).items() if name.endswith(".html"))


def test_a_publish_killed_while_swapping_is_completed_by_the_next(db, draft, gnews_env, monkeypatch):
    out = load_settings().publish_dir
    approve_draft(db, draft, title="첫 제목")
    assert run_cli(gnews_env, "publish").returncode == 0
    monkeypatch.setenv("GNEWS_TEMPLATE_DIR", str(_template(out.parent, "v3")))
    killed = run_cli({**gnews_env, "GNEWS_TEMPLATE_DIR": str(out.parent / "v3"),
                      "GNEWS_FAILPOINT": "publish.mid_swap"}, "publish", "--all")
    assert killed.returncode == -9
    html = {name: data for name, data in files(out).items() if name.endswith(".html")}
    assert any(b"house v3" in d for d in html.values()) and not all(b"house v3" in d for d in html.values())
    publisher = Publisher(load_settings())
    assert publisher.directory.recover() == "rolled forward"  # the journal was committed: finish it
    assert all(b"house v3" in data for name, data in files(out).items() if name.endswith(".html"))
    with db.session() as session:
        assert publisher.publish_all(session).written == []  # nothing was left undone


def _template(root, marker: str):
    folder = root / marker
    folder.mkdir(exist_ok=True)
    (folder / "base.html").write_text(
        '<!DOCTYPE html>\n<html lang="{{ lang }}"><head><meta charset="utf-8"><title>{% block title %}{% endblock %}'
        '</title></head><body><p>house ' + marker + '</p>{% block body %}{% endblock %}</body></html>\n',
        encoding="utf-8")
    return folder


class Receiver(BaseHTTPRequestHandler):
    """A CMS webhook: fails the first ``failures`` deliveries with 503, then takes them once per key."""

    failures = 2
    calls: list[dict] = []
    accepted: dict[str, dict] = {}

    def do_POST(self):  # noqa: N802 (http.server's naming)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).calls.append({"headers": dict(self.headers), "body": body})
        if type(self).failures > 0:
            type(self).failures -= 1
            self.send_response(503)
            self.send_header("Retry-After", "0")
            self.end_headers()
            return
        key = self.headers["Idempotency-Key"]
        type(self).accepted.setdefault(key, json.loads(body))  # a repeated key is not applied twice
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    Receiver.failures, Receiver.calls, Receiver.accepted = 2, [], {}
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    server.shutdown()


def test_webhook_deliveries_are_signed_retried_and_idempotent(db, draft, gnews_env, monkeypatch, receiver):
    monkeypatch.setenv("GNEWS_PUBLISH_WEBHOOKS", receiver)
    monkeypatch.setenv("GNEWS_PUBLISH_SECRET", "shared-secret")
    approve_draft(db, draft, title="웹훅으로 보낸 제목")
    with db.session() as session:
        article_id = session.get(Translation, draft).revision.article_id
    with db.session() as session:
        report = Publisher(load_settings()).publish_article(session, article_id, "ko")
    assert report.sent == 2  # ko and the en source edition
    assert len(Receiver.calls) == 4  # two 503s, then the two deliveries
    first, retry = Receiver.calls[0], Receiver.calls[1]
    assert first["headers"]["Idempotency-Key"] == retry["headers"]["Idempotency-Key"]
    for call in Receiver.calls:
        expected = hmac.new(b"shared-secret", call["headers"]["X-Gnews-Timestamp"].encode() + b"." + call["body"],
                            hashlib.sha256).hexdigest()
        assert call["headers"]["X-Gnews-Signature"] == f"sha256={expected}"
    korean = next(p for p in Receiver.accepted.values() if p["lang"] == "ko")
    assert korean["title"] == "웹훅으로 보낸 제목" and korean["action"] == "publish"
    assert "<h1>웹훅으로 보낸 제목</h1>" in korean["html"] and set(korean["alternates"]) == {"en", "ko"}
    # A second publish of the same content sends nothing; unpublishing sends a withdrawal.
    with db.session() as session:
        assert Publisher(load_settings()).publish_article(session, article_id, "ko").sent == 0
    with db.session() as session:
        Publisher(load_settings()).unpublish(session, article_id, ["ko"])
    assert any(p["action"] == "unpublish" and p["lang"] == "ko" for p in Receiver.accepted.values())


def test_a_refusing_endpoint_fails_the_publish_and_changes_nothing(db, draft, gnews_env, monkeypatch):
    class Refuser(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(400)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Refuser)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("GNEWS_PUBLISH_WEBHOOKS", f"http://127.0.0.1:{server.server_address[1]}/")
    approve_draft(db, draft)
    out = load_settings().publish_dir
    result = run_cli({**gnews_env, "GNEWS_PUBLISH_WEBHOOKS": f"http://127.0.0.1:{server.server_address[1]}/"},
                     "publish")
    server.shutdown()
    assert result.returncode == 1 and "refused" in result.stderr and "Nothing was changed" in result.stderr
    assert not out.exists() or files(out) == {}


def test_unreachable_endpoint_gives_up_after_its_attempts():
    target = HttpTarget("http://127.0.0.1:9/", attempts=3, backoff=0.01)
    with pytest.raises(TargetError, match="after 3 attempts"):
        target.send({"idempotency_key": "k", "lang": "ko", "slug": "s"})
