"""E-mail editions: one HTML + plain-text ``multipart/alternative`` message per language.

The HTML is a table layout with the stylesheet moved into ``style`` attributes by
css-inline (mail clients drop ``<style>`` and never load external CSS; decision 0018).
Every link is absolute, from GNEWS_SITE_URL. An edition over Gmail's clipping size
(102 KB of HTML) is refused with what to do.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from pathlib import Path
from urllib.parse import urlsplit

import css_inline
from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy.orm import Session

from gnews_i18n.config import Settings
from gnews_i18n.newsletter.headers import POLICY, control_problem, one_line
from gnews_i18n.newsletter.links import unsubscribe_link as signed_unsubscribe_link
from gnews_i18n.newsletter.site import contents, issue_page
from gnews_i18n.privacy.guard import Guard, unresolved
from gnews_i18n.publication import load_publication
from gnews_i18n.publish.render import localized_date
from gnews_i18n.store.models import Issue, utcnow

GMAIL_CLIP_BYTES = 102 * 1024
_INLINER = css_inline.CSSInliner(keep_style_tags=False, keep_link_tags=False, load_remote_stylesheets=False)
_ENV = Environment(loader=PackageLoader("gnews_i18n.newsletter", "templates"),
                   autoescape=select_autoescape(["html"], default=True), trim_blocks=True, lstrip_blocks=True)

WORDS = {  # read more, web version, unsubscribe
    "ko": ("기사 읽기", "웹에서 보기", "수신 거부"),
    "en": ("Read the article", "View on the web", "Unsubscribe"),
    "ru": ("Читать статью", "Открыть в браузере", "Отписаться"),
    "uz": ("Maqolani o‘qish", "Veb-sahifada ko‘rish", "Obunani bekor qilish"),
    "mn": ("Нийтлэлийг унших", "Вэбээс үзэх", "Бүртгэлээс гарах"),
}


class MailError(ValueError):
    """An edition that cannot go out as it is (too large, nothing in it)."""


@dataclass(frozen=True)
class MailSettings:
    sender: str
    sender_name: str
    unsubscribe_url: str
    fallback_lang: str
    smtp_url: str
    logo_url: str = ""  # the masthead image, absolute (GNEWS_NEWSLETTER_LOGO: a URL or a path on the site)
    reply_to: str = ""  # the publication's sender.reply_to
    confirm_url: str = ""  # where a confirmation link leads: <site>/confirm
    dkim_selector: str = ""  # GNEWS_DKIM_SELECTOR
    dkim_key: bytes = b""  # the PEM private key GNEWS_DKIM_KEY names
    per_minute: int = 0  # GNEWS_MAIL_PER_MINUTE (0: no limit)
    bounce_limit: int = 2  # GNEWS_BOUNCE_LIMIT: permanent refusals in a row before an address is bounced
    confirm_hours: float = 72.0  # GNEWS_CONFIRM_HOURS: how long a confirmation link stays valid

    @classmethod
    def load(cls, settings: Settings) -> MailSettings:
        """The settings from the environment; a sender name or address that cannot be a header is refused."""
        env = os.environ.get
        for variable in ("GNEWS_NEWSLETTER_NAME", "GNEWS_NEWSLETTER_FROM"):
            problem = control_problem(env(variable, "").strip())
            if problem:
                raise MailError(f"{variable} {problem}; nothing was sent")
        publication = load_publication()  # the sender's name and address; the variables win
        selector, key_path = env("GNEWS_DKIM_SELECTOR", "").strip(), env("GNEWS_DKIM_KEY", "").strip()
        if bool(selector) != bool(key_path):
            raise MailError("DKIM needs both GNEWS_DKIM_SELECTOR and GNEWS_DKIM_KEY (a PEM private key file); "
                            "set both, or neither to send unsigned mail")
        key = b""
        if key_path:
            try:
                key = Path(key_path).read_bytes()
            except OSError as error:
                raise MailError(f"GNEWS_DKIM_KEY {key_path}: cannot read the DKIM key ({error.strerror}); "
                                "nothing was sent") from None
            if b"PRIVATE KEY-----" not in key:
                raise MailError(f"GNEWS_DKIM_KEY {key_path}: not a PEM private key (-----BEGIN … PRIVATE KEY-----)")
        return cls(sender=env("GNEWS_NEWSLETTER_FROM", "").strip() or publication.sender_address
                   or f"newsletter@{_domain(settings.site_url)}",
                   sender_name=env("GNEWS_NEWSLETTER_NAME", "").strip() or publication.sender_name,
                   unsubscribe_url=env("GNEWS_UNSUBSCRIBE_URL", "").strip() or f"{settings.site_url}/unsubscribe",
                   fallback_lang=env("GNEWS_NEWSLETTER_FALLBACK_LANG", "").strip() or "en",
                   smtp_url=env("GNEWS_SMTP_URL", "").strip(),
                   logo_url=absolute(settings.site_url, env("GNEWS_NEWSLETTER_LOGO", "").strip()),
                   reply_to=publication.reply_to, confirm_url=f"{settings.site_url}/confirm",
                   dkim_selector=selector, dkim_key=key,
                   per_minute=_number("GNEWS_MAIL_PER_MINUTE", "0", int),
                   bounce_limit=_number("GNEWS_BOUNCE_LIMIT", "2", int),
                   confirm_hours=_number("GNEWS_CONFIRM_HOURS", "72", float))


def _number(variable: str, default: str, kind: type) -> int | float:
    value = os.environ.get(variable, "").strip() or default
    try:
        number = kind(value)
    except ValueError:
        number = -1
    if number < 0:
        raise MailError(f"{variable}={value!r}: write a number of 0 or more (default {default})")
    return number


def absolute(site_url: str, ref: str) -> str:
    """An image reference as mail clients need it: absolute (they have no base URL to resolve against)."""
    if not ref or urlsplit(ref).scheme in ("http", "https"):
        return ref
    return f"{site_url.rstrip('/')}/{ref.lstrip('/')}"


def _domain(url: str) -> str:
    return urlsplit(url).hostname or "localhost"


@dataclass(frozen=True)
class Edition:
    """What one language's e-mail is made of (the parts that do not depend on the recipient)."""

    number: int
    lang: str
    title: str
    date: str
    items: list[dict]
    issue_url: str


def edition(session: Session, issue: Issue, lang: str, settings: Settings) -> Edition:
    """The ``lang`` edition of a released issue, from its published pages."""
    base = settings.site_url.rstrip("/")
    items = [{**item, "url": f"{base}/{lang}/{item['href']}", "photo": _photo(base, item.get("lead_figure"))}
             for item in contents(session, issue, lang)]
    if not items:
        raise MailError(f"issue {issue.number} has no published article in {lang}; "
                        f"`gnews-i18n issue release {issue.number}` publishes them")
    guard = Guard.from_settings(settings)
    for item in items:  # an e-mail cannot be recalled: the same check as publishing, once more
        found = unresolved(session, item["article"], [("title", item["title"]), ("lead", item["lead"])], guard)
        if found:
            raise MailError(
                f"the {lang} e-mail of issue {issue.number} would carry personal data nobody allowed, in article "
                f"{item['article']} ({item['slug']!r}): " + "; ".join(i.describe() for i in found)
                + f". Nothing was sent. Correct the article, or allow the finding: `gnews-i18n privacy allow "
                f"{item['article']} ID --reason \"…\"`.")
    return Edition(issue.number, lang, issue.title_in(lang), localized_date(issue.date, lang), items,
                   f"{base}/{lang}/{issue_page(issue.number)}")


PHOTO_WIDTH = 552  # the e-mail's 600-pixel column less its padding


def _photo(site_url: str, figure: dict | None) -> dict | None:
    """An article's lead photo as the e-mail shows it: absolute address, alt text, and a size that
    fits the column (the image file is the site's; nothing is attached, so the mail stays small)."""
    if not figure:
        return None
    width, height = int(figure["width"]), int(figure["height"])
    if width > PHOTO_WIDTH:
        width, height = PHOTO_WIDTH, max(1, round(height * PHOTO_WIDTH / width))
    return {"url": absolute(site_url, figure["src"]), "alt": figure.get("alt", ""), "width": width,
            "height": height}


def unsubscribe_link(mail: MailSettings, secret: str, recipient: str | None, lang: str) -> str:
    """The page a reader leaves the list on; a recipient's link carries a signature of their address."""
    return signed_unsubscribe_link(mail.unsubscribe_url, secret, recipient, lang)


def render_html(ed: Edition, unsubscribe: str, name: str = "", logo_url: str = "", logo_alt: str = "") -> str:
    read_more, web_version, leave = WORDS.get(ed.lang, WORDS["en"])
    html = _ENV.get_template("email.html").render(
        logo_url=logo_url, logo_alt=logo_alt or ed.title,
        lang=ed.lang, title=ed.title, date=ed.date, number=ed.number, items=ed.items, issue_url=ed.issue_url,
        unsubscribe_url=unsubscribe, read_more=read_more, web_version=web_version, unsubscribe=leave, name=name)
    html = _INLINER.inline(html)
    if not html.lstrip().lower().startswith("<!doctype"):
        html = "<!DOCTYPE html>\n" + html  # the inliner re-serializes the document without it
    size = len(html.encode("utf-8"))
    if size > GMAIL_CLIP_BYTES:
        raise MailError(f"the {ed.lang} e-mail of issue {ed.number} is {size / 1024:.0f} KB of HTML; Gmail clips "
                        f"over 102 KB. Move articles to the next issue or shorten their leads.")
    return html


def render_text(ed: Edition, unsubscribe: str, name: str = "") -> str:
    read_more, web_version, leave = WORDS.get(ed.lang, WORDS["en"])
    lines = [ed.title, f"{ed.date} · № {ed.number}", ""]
    for item in ed.items:
        lines += [item["title"], *([item["lead"]] if item["lead"] else []), f"{read_more}: {item['url']}", ""]
    lines += ["--", *([name] if name else []), f"{web_version}: {ed.issue_url}", f"{leave}: {unsubscribe}", ""]
    return "\n".join(lines)


def sender(mail: MailSettings) -> str:
    return formataddr((mail.sender_name, mail.sender)) if mail.sender_name else mail.sender


def message_id(number: int, lang: str, recipient: str | None, domain: str) -> str:
    """The same for the same issue and recipient: a duplicate that slips through can be recognized."""
    who = hashlib.sha256((recipient or "*").lower().encode()).hexdigest()[:16]
    return f"<issue-{number}.{lang}.{who}@{domain}>"


def build_message(ed: Edition, mail: MailSettings, secret: str, recipient: str | None = None,
                  name: str = "") -> EmailMessage:
    """A complete ``multipart/alternative`` message (plain text first, HTML preferred)."""
    unsubscribe = unsubscribe_link(mail, secret, recipient, ed.lang)
    message = EmailMessage(policy=POLICY)
    message["Subject"] = one_line(ed.title)  # the doors refuse control characters; this is for older rows
    message["From"] = sender(mail)
    if mail.reply_to:
        message["Reply-To"] = mail.reply_to
    message["To"] = formataddr((one_line(name), recipient)) if recipient else mail.sender
    message["Date"] = format_datetime(utcnow().replace(tzinfo=dt.UTC))
    message["Message-ID"] = message_id(ed.number, ed.lang, recipient, _domain(mail.unsubscribe_url))
    message["List-Id"] = f"<newsletter.{_domain(mail.unsubscribe_url)}>"
    message["List-Unsubscribe"] = f"<{unsubscribe}>, <mailto:{mail.sender}?subject=unsubscribe>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"  # RFC 8058
    message.set_content(render_text(ed, unsubscribe, name))
    message.add_alternative(render_html(ed, unsubscribe, name, mail.logo_url, mail.sender_name), subtype="html")
    message["Content-Language"] = ed.lang  # after the parts: set_content clears Content-* headers
    return message
