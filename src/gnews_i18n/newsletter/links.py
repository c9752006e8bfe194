"""Signed links a reader follows from an e-mail: confirm a subscription, leave the list.

Each link carries the address and an HMAC-SHA256 of it with the secret key (GNEWS_SECRET_KEY),
scoped to its purpose so one kind of link cannot stand in for another. A confirmation link also
carries the time it was made and expires (GNEWS_CONFIRM_HOURS); an unsubscribe link never
expires: RFC 8058 asks that it keep working for as long as the mail may be read (decision 0037).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from urllib.parse import urlencode

from gnews_i18n.store.models import utcnow


class LinkError(ValueError):
    """A link whose signature does not verify, or which has expired: nothing is changed."""


def _signature(secret: str, purpose: str, *parts: str) -> str:
    message = "\n".join((purpose, *parts)).encode("utf-8")
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()[:32]


def unsubscribe_signature(secret: str, address: str) -> str:
    return _signature(secret, "unsubscribe", address.lower())


def unsubscribe_link(base: str, secret: str, address: str | None, lang: str) -> str:
    """``base?lang=…&email=…&sig=…`` (only ``lang`` for a message addressed to the list itself)."""
    if address is None:
        return f"{base}?{urlencode({'lang': lang})}"
    query = {"lang": lang, "email": address.lower(), "sig": unsubscribe_signature(secret, address)}
    return f"{base}?{urlencode(query)}"


def check_unsubscribe(secret: str, address: str, signature: str) -> None:
    if not hmac.compare_digest(unsubscribe_signature(secret, address), signature or ""):
        raise LinkError("this unsubscribe link is not valid (its signature does not match the address)")


def confirm_link(base: str, secret: str, address: str, lang: str, now: dt.datetime | None = None) -> str:
    stamp = str(int((now or utcnow()).replace(tzinfo=dt.UTC).timestamp()))
    query = {"lang": lang, "email": address.lower(), "t": stamp,
             "sig": _signature(secret, "confirm", address.lower(), lang, stamp)}
    return f"{base}?{urlencode(query)}"


def check_confirm(secret: str, address: str, lang: str, stamp: str, signature: str, max_age_hours: float,
                  now: dt.datetime | None = None) -> None:
    """LinkError when the signature does not match or the link is older than ``max_age_hours``."""
    if not hmac.compare_digest(_signature(secret, "confirm", address.lower(), lang, stamp), signature or ""):
        raise LinkError("this confirmation link is not valid (its signature does not match)")
    made = dt.datetime.fromtimestamp(int(stamp), dt.UTC).replace(tzinfo=None)
    if (now or utcnow()) - made > dt.timedelta(hours=max_age_hours):
        raise LinkError(f"this confirmation link has expired (it is valid for {max_age_hours:g} hours); "
                        "subscribe again to get a new one")
