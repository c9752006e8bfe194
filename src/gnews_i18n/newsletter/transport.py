"""Getting a message to the SMTP server: the connection, the DKIM signature, the pace.

With GNEWS_DKIM_SELECTOR and GNEWS_DKIM_KEY (a PEM private key file) set, every message is
signed (dkimpy, rsa-sha256, relaxed/relaxed) for the domain of its From address, so that it
aligns with DMARC; the exact bytes signed are the bytes sent. The operator publishes the
public key at ``<selector>._domainkey.<domain>`` (docs/newsletter.md).
"""

from __future__ import annotations

import smtplib
import time
from collections.abc import Callable
from email.message import EmailMessage
from email.utils import parseaddr
from urllib.parse import unquote, urlsplit

import dkim

# The headers a DKIM signature covers (those present): what a reader sees and what unsubscribes them.
SIGNED_HEADERS = [b"from", b"reply-to", b"to", b"subject", b"date", b"message-id", b"list-id", b"list-unsubscribe",
                  b"list-unsubscribe-post", b"mime-version", b"content-type", b"content-language"]


class TransportError(RuntimeError):
    """A mail server URL, or a DKIM key, that cannot be used."""


def connect(url: str) -> smtplib.SMTP:
    """``smtp://[user:pass@]host[:port]`` (STARTTLS when ``?starttls=1``) or ``smtps://…``."""
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise TransportError(f"GNEWS_SMTP_URL {url!r}: write smtp://user:password@host:587?starttls=1 "
                             "or smtps://user:password@host:465")
    if parts.scheme == "smtps":
        client: smtplib.SMTP = smtplib.SMTP_SSL(parts.hostname, parts.port or 465, timeout=30)
    else:
        client = smtplib.SMTP(parts.hostname, parts.port or 25, timeout=30)
        if "starttls=1" in parts.query:
            client.starttls()
    if parts.username:
        client.login(unquote(parts.username), unquote(parts.password or ""))
    return client


def sender_domain(message: EmailMessage) -> str:
    return parseaddr(str(message["From"]))[1].rpartition("@")[2].lower()


def signed_bytes(message: EmailMessage, selector: str = "", key: bytes = b"") -> bytes:
    """The message as sent: with a ``DKIM-Signature`` header in front when a selector and key are set."""
    raw = bytes(message)
    if not (selector and key):
        return raw
    try:
        signature = dkim.sign(raw, selector.encode("ascii"), sender_domain(message).encode("ascii"), key,
                              include_headers=[h for h in SIGNED_HEADERS if message[h.decode()] is not None],
                              canonicalize=(b"relaxed", b"relaxed"))
    except (dkim.DKIMException, ValueError) as error:
        raise TransportError(f"GNEWS_DKIM_KEY: cannot sign with this key ({error}); give the path of a PEM RSA "
                             "private key") from error
    return signature + raw


def send(client: smtplib.SMTP, message: EmailMessage, to: str, selector: str = "", key: bytes = b"") -> None:
    """Send ``message`` to ``to`` exactly as signed (smtplib only dot-stuffs)."""
    client.sendmail(parseaddr(str(message["From"]))[1], [to], signed_bytes(message, selector, key))


class Pace:
    """At most ``per_minute`` messages a minute (0: no limit), spread evenly."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        self.interval = 60.0 / per_minute if per_minute > 0 else 0.0
        self.clock, self.sleep = clock, sleep
        self.next_at: float | None = None

    def wait(self) -> None:
        if not self.interval:
            return
        now = self.clock()
        if self.next_at is not None and now < self.next_at:
            self.sleep(self.next_at - now)
            now = self.next_at
        self.next_at = now + self.interval
