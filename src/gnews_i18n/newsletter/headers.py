"""Text that becomes an e-mail header: one line, no control characters, URLs kept readable.

An issue title becomes the Subject, the sender's and a recipient's names the From and To
display names. A CR or LF there would start a new header (Python refuses to write it, so
one bad title stopped a whole send); other control characters are never meant. Every door
that takes such text refuses them with :func:`control_problem`; :func:`one_line` is the
last guard for text stored before the doors checked.
"""

from __future__ import annotations

import re
from email.policy import EmailPolicy

# C0 and C1 controls, DEL, and the Unicode line and paragraph separators.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# Headers whose value is a list of <URI>s (RFC 2369): folded between entries, never encoded.
URI_LIST_HEADERS = {"list-unsubscribe", "list-help", "list-subscribe", "list-post", "list-archive"}


def control_problem(value: str) -> str | None:
    """``None`` for text fit for a header, else what is wrong and where (1-based character)."""
    found = _CONTROL.search(value)
    if found is None:
        return None
    return (f"contains a control character (U+{ord(found.group()):04X}) at character {found.start() + 1}; "
            "it goes into an e-mail header, so write it on one line without control characters")


def one_line(value: str) -> str:
    """Control characters as spaces (text stored before the doors checked it)."""
    return " ".join(_CONTROL.sub(" ", value).split())


class MailPolicy(EmailPolicy):
    """``email.policy.SMTP``, except that a URI-list header is folded between its ``<URI>`` entries.

    The standard folder RFC 2047-encodes a header whose words are longer than a line (a signed
    unsubscribe URL is), and a mail provider then finds no URL in ``List-Unsubscribe``. RFC 5322
    allows 998 characters a line; an ASCII ``<URI>`` list is kept as written.
    """

    def fold(self, name: str, value: str) -> str:
        if name.lower() in URI_LIST_HEADERS and str(value).isascii():
            return self._uri_list(name, str(value))
        return super().fold(name, value)

    def fold_binary(self, name: str, value: str) -> bytes:
        if name.lower() in URI_LIST_HEADERS and str(value).isascii():
            return self._uri_list(name, str(value)).encode("ascii")
        return super().fold_binary(name, value)

    def _uri_list(self, name: str, value: str) -> str:
        entries = [entry.strip() for entry in value.split(",") if entry.strip()]
        return f"{name}: " + f",{self.linesep} ".join(entries) + self.linesep


POLICY = MailPolicy(linesep="\r\n")  # what email.policy.SMTP is: the default policy with CRLF
