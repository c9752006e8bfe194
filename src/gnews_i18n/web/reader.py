"""The readers' pages, served beside the published site: subscribe, confirm, unsubscribe.

No login and no session: the site's subscribe form posts here, and every link a reader
follows carries its own signature (newsletter/links.py). A signature that does not verify
is a 400 and changes nothing. ``POST /site/unsubscribe`` with the body
``List-Unsubscribe=One-Click`` is RFC 8058's one-click unsubscribe: mail providers send it
for the reader, at once, without showing the page. Each page speaks the reader's language.
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from gnews_i18n.auth.requests import database
from gnews_i18n.config import load_settings
from gnews_i18n.languages import EDITION_LANGUAGES
from gnews_i18n.newsletter import subscribers
from gnews_i18n.newsletter.confirmation import send_confirmations
from gnews_i18n.newsletter.links import LinkError, check_unsubscribe
from gnews_i18n.newsletter.mail import MailError, MailSettings
from gnews_i18n.publication import load_publication
from gnews_i18n.web.common import templates

router = APIRouter(prefix="/site", include_in_schema=False)
log = logging.getLogger(__name__)

WORDS = {
    "en": {"subscribe": "Subscribe", "check": "Thank you. If this address can receive the newsletter, a message "
           "asking you to confirm is on its way: open its link to start receiving it.",
           "bad_address": "That is not an e-mail address; check it and try again.", "address": "E-mail address",
           "confirmed": "Your subscription is confirmed. The next issue will reach you.",
           "leave": "Stop receiving the newsletter at {email}?", "button": "Unsubscribe",
           "left": "You are unsubscribed: {email} will receive no more issues.",
           "bad_link": "This link is not valid or has expired. Nothing was changed.",
           "own_link": "Use the unsubscribe link in the newsletter you received."},
    "ko": {"subscribe": "구독하기",
           "check": "감사합니다. 이 주소로 뉴스레터를 받을 수 있다면 확인 메일이 곧 도착합니다. "
           "메일의 링크를 열면 구독이 시작됩니다.",
           "bad_address": "올바른 이메일 주소가 아닙니다. 확인 후 다시 시도해 주세요.", "address": "이메일 주소",
           "confirmed": "구독이 확인되었습니다. 다음 호부터 받아 보실 수 있습니다.",
           "leave": "{email} 주소로 뉴스레터를 그만 받으시겠습니까?", "button": "수신 거부",
           "left": "수신 거부되었습니다. {email} 주소로 더 이상 뉴스레터가 발송되지 않습니다.",
           "bad_link": "유효하지 않거나 만료된 링크입니다. 아무것도 변경되지 않았습니다.",
           "own_link": "받으신 뉴스레터의 수신 거부 링크를 이용해 주세요."},
    "ru": {"subscribe": "Подписаться", "check": "Спасибо. Если на этот адрес можно отправлять рассылку, к вам уже "
           "идёт письмо с просьбой подтвердить подписку: откройте ссылку в нём.",
           "bad_address": "Это не адрес электронной почты; проверьте его и попробуйте снова.",
           "address": "Адрес электронной почты",
           "confirmed": "Подписка подтверждена. Следующий выпуск придёт к вам.",
           "leave": "Больше не получать рассылку на {email}?", "button": "Отписаться",
           "left": "Вы отписались: на {email} больше не будут приходить выпуски.",
           "bad_link": "Ссылка недействительна или устарела. Ничего не изменено.",
           "own_link": "Воспользуйтесь ссылкой для отписки из полученного письма."},
    "uz": {"subscribe": "Obuna bo‘lish", "check": "Rahmat. Agar bu manzil xabarnomani qabul qila olsa, tasdiqlash "
           "so‘ralgan xat yo‘lda: obunani boshlash uchun undagi havolani oching.",
           "bad_address": "Bu elektron pochta manzili emas; tekshirib, qayta urinib ko‘ring.",
           "address": "Elektron pochta manzili",
           "confirmed": "Obunangiz tasdiqlandi. Keyingi son sizga yetib boradi.",
           "leave": "{email} manziliga xabarnoma yuborish to‘xtatilsinmi?", "button": "Obunani bekor qilish",
           "left": "Obuna bekor qilindi: {email} manziliga boshqa son yuborilmaydi.",
           "bad_link": "Bu havola yaroqsiz yoki muddati o‘tgan. Hech narsa o‘zgartirilmadi.",
           "own_link": "Olgan xabarnomangizdagi obunani bekor qilish havolasidan foydalaning."},
    "mn": {"subscribe": "Бүртгүүлэх", "check": "Баярлалаа. Энэ хаягаар мэдээллийн товхимол хүлээн авах боломжтой бол "
           "баталгаажуулах захидал илгээгдэж байна: доторх холбоосыг нээнэ үү.",
           "bad_address": "Энэ нь и-мэйл хаяг биш байна; шалгаад дахин оролдоно уу.", "address": "И-мэйл хаяг",
           "confirmed": "Таны бүртгэл баталгаажлаа. Дараагийн дугаар танд хүрнэ.",
           "leave": "{email} хаяг руу товхимол илгээхийг зогсоох уу?", "button": "Бүртгэлээс гарах",
           "left": "Та бүртгэлээс гарлаа: {email} хаяг руу дахин дугаар илгээгдэхгүй.",
           "bad_link": "Энэ холбоос хүчингүй эсвэл хугацаа нь дууссан байна. Юу ч өөрчлөгдөөгүй.",
           "own_link": "Хүлээн авсан товхимол доторх бүртгэлээс гарах холбоосыг ашиглана уу."},
}


def _lang(value: str) -> str:
    """The reader's language, else the publication's default, else English."""
    code = (value or "").strip().lower()
    if code in EDITION_LANGUAGES and code in WORDS:
        return code
    default = load_publication().default_lang
    return default if default in WORDS else "en"


def _page(request: Request, lang: str, message: str, status_code: int = 200, form: dict | None = None,
          subscribe: bool = False, value: str = "") -> HTMLResponse:
    publication = load_publication()
    return templates.TemplateResponse(request, "reader.html", {
        "lang": lang, "name": publication.name(lang), "colours": publication.colours, "message": message,
        "words": WORDS[lang], "form": form, "subscribe": subscribe, "value": value}, status_code=status_code)


def _client(request: Request) -> str:
    """The consent record's "from where": the page (a URL only: the header is the client's to write, and
    the record ends up in a spreadsheet) and the client's address."""
    referer = request.headers.get("referer", "")[:300]
    where = referer if referer.startswith(("http://", "https://")) and referer.isprintable() else "the subscribe form"
    return f"{where} from {request.client.host if request.client else 'unknown'}"


@router.post("/subscribe")
def subscribe(request: Request, email: str = Form(""), lang: str = Form("")) -> HTMLResponse:
    """Double opt-in: a pending reader and a confirmation mail; the same answer for everyone."""
    code = _lang(lang)
    settings = load_settings()
    try:
        with database().session() as session:
            outcome = subscribers.request_subscription(session, email, code, method="site form",
                                                       source=_client(request))
    except subscribers.SubscriberError:
        return _page(request, code, WORDS[code]["bad_address"], 422, subscribe=True, value=email[:320])
    if outcome.confirm:
        try:
            problems = send_confirmations(MailSettings.load(settings), settings.secret_key(),
                                          [(outcome.email, outcome.lang)], settings.data_dir / "outbox")
        except MailError as error:
            problems = {outcome.email: str(error)}
        for address, problem in problems.items():  # the reader is told nothing more: their answer is the same
            log.warning("confirmation mail to %s not sent: %s", address, problem)
    return _page(request, code, WORDS[code]["check"])


@router.get("/confirm")
def confirm(request: Request, email: str = "", lang: str = "", t: str = "", sig: str = "") -> HTMLResponse:
    code = _lang(lang)
    settings = load_settings()
    try:
        hours = MailSettings.load(settings).confirm_hours
        with database().session() as session:
            subscribers.confirm(session, email, lang, t, sig, settings.secret_key(), hours)
    except (LinkError, subscribers.SubscriberError, ValueError):
        return _page(request, code, WORDS[code]["bad_link"], 400)
    return _page(request, code, WORDS[code]["confirmed"])


@router.get("/unsubscribe")
def unsubscribe_page(request: Request, email: str = "", lang: str = "", sig: str = "") -> HTMLResponse:
    """One button (the link's signature is checked first: a forged link shows no form)."""
    code = _lang(lang)
    if not email and not sig:
        return _page(request, code, WORDS[code]["own_link"])
    try:
        check_unsubscribe(load_settings().secret_key(), email.strip().lower(), sig)
    except LinkError:
        return _page(request, code, WORDS[code]["bad_link"], 400)
    return _page(request, code, WORDS[code]["leave"].format(email=email.strip().lower()),
                 form={"action": str(request.url.path) + "?" + request.url.query})


@router.post("/unsubscribe")
def unsubscribe(request: Request, email: str = "", lang: str = "", sig: str = "",
                list_unsubscribe: str = Form("", alias="List-Unsubscribe")) -> HTMLResponse:
    """RFC 8058 one-click: the body ``List-Unsubscribe=One-Click``; done at once, no confirmation step."""
    code = _lang(lang)
    if list_unsubscribe != "One-Click":
        return _page(request, code, WORDS[code]["bad_link"], 400)
    try:
        with database().session() as session:
            subscribers.unsubscribe(session, email, code, sig, load_settings().secret_key())
    except LinkError:
        return _page(request, code, WORDS[code]["bad_link"], 400)
    return _page(request, code, WORDS[code]["left"].format(email=email.strip().lower()))
