"""The confirmation mail of double opt-in: in the reader's language, with a signed, expiring link.

Sent through the same transport as the editions (DKIM-signed when configured). Without
GNEWS_SMTP_URL the messages are written as ``.eml`` files to ``<data dir>/outbox`` instead,
so a desk without a mail server can still see what would go out.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import smtplib
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from gnews_i18n.newsletter.headers import POLICY
from gnews_i18n.newsletter.links import confirm_link
from gnews_i18n.newsletter.mail import MailSettings, sender
from gnews_i18n.newsletter.transport import TransportError, connect, send
from gnews_i18n.publication import load_publication
from gnews_i18n.store.models import utcnow

WORDS = {  # subject, why you get this, what to do, if it was not you
    "en": ("Confirm your subscription to {name}",
           "Someone, probably you, asked to receive {name} at this address.",
           "To confirm, open this link within {hours} hours:",
           "If it was not you, ignore this message: you will not be subscribed."),
    "ko": ("{name} 구독을 확인해 주세요",
           "이 주소로 {name}을(를) 받아 보겠다는 신청이 들어왔습니다.",
           "{hours}시간 안에 아래 링크를 열어 구독을 확인해 주세요.",
           "신청하지 않으셨다면 이 메일을 무시하세요. 구독되지 않습니다."),
    "ru": ("Подтвердите подписку на {name}",
           "Кто-то, вероятно вы, хочет получать {name} на этот адрес.",
           "Чтобы подтвердить, откройте эту ссылку в течение {hours} ч.:",
           "Если это были не вы, просто проигнорируйте письмо: подписки не будет."),
    "uz": ("{name} obunasini tasdiqlang",
           "Kimdir, ehtimol siz, {name}ni shu manzilga olishni so‘radi.",
           "Tasdiqlash uchun bu havolani {hours} soat ichida oching:",
           "Agar bu siz bo‘lmasangiz, xatni e’tiborsiz qoldiring: obuna bo‘lmaysiz."),
    "mn": ("{name}-д бүртгүүлснээ баталгаажуулна уу",
           "Хэн нэгэн, магадгүй та, {name}-г энэ хаягаар авахыг хүссэн байна.",
           "Баталгаажуулахын тулд энэ холбоосыг {hours} цагийн дотор нээнэ үү:",
           "Хэрэв энэ та биш бол энэ захидлыг үл тоомсорлоно уу: бүртгэл үүсэхгүй."),
}


def confirmation_message(mail: MailSettings, secret: str, address: str, lang: str,
                         now: dt.datetime | None = None) -> EmailMessage:
    name = load_publication().name(lang)
    subject, why, what, otherwise = (w.format(name=name, hours=f"{mail.confirm_hours:g}")
                                     for w in WORDS.get(lang, WORDS["en"]))
    link = confirm_link(mail.confirm_url, secret, address, lang, now)
    message = EmailMessage(policy=POLICY)
    message["Subject"] = subject
    message["From"] = sender(mail)
    if mail.reply_to:
        message["Reply-To"] = mail.reply_to
    message["To"] = address
    message["Date"] = format_datetime((now or utcnow()).replace(tzinfo=dt.UTC))
    message["Message-ID"] = make_msgid("confirm", mail.sender.rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(f"{why}\n\n{what}\n{link}\n\n{otherwise}\n")
    message["Content-Language"] = lang
    return message


def send_confirmations(mail: MailSettings, secret: str, readers: list[tuple[str, str]], outbox: Path
                       ) -> dict[str, str]:
    """Send each (address, lang) its confirmation mail; returns address → the problem for those not sent.
    Without an SMTP server the messages go to ``outbox`` as .eml files."""
    problems: dict[str, str] = {}
    if not readers:
        return problems
    messages = [(address, confirmation_message(mail, secret, address, lang)) for address, lang in readers]
    if not mail.smtp_url:
        outbox.mkdir(parents=True, exist_ok=True)
        for address, message in messages:
            name = hashlib.sha256(address.encode()).hexdigest()[:16]
            (outbox / f"confirm-{name}.eml").write_bytes(bytes(message))
        return problems
    sent: set[str] = set()
    try:
        with connect(mail.smtp_url) as client:
            for address, message in messages:
                try:
                    send(client, message, address, mail.dkim_selector, mail.dkim_key)
                    sent.add(address)
                except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError) as error:
                    problems[address] = str(error)
    except (smtplib.SMTPException, OSError, TransportError) as error:
        for address, _ in messages:
            if address not in sent:
                problems.setdefault(address, f"not sent, the mail server failed: {error}")
    return problems
