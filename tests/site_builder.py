"""A small published newsletter site for the site's tests and screenshots: issue 27 in Korean and
English, two real health-news articles (one Korean with a photo, one English source), one with a correction.

Translations are written straight into the store as a reviewer would approve them (no model)."""

from __future__ import annotations

import datetime as dt
import io

from gnews_i18n.articles.submission import submit
from gnews_i18n.config import Settings
from gnews_i18n.intake import parse_article
from gnews_i18n.intake.document import CORRECTION_BLOCK
from gnews_i18n.intake.photos import attach_photos
from gnews_i18n.newsletter.issues import add_article, create_issue, get_issue, release
from gnews_i18n.newsletter.site import write_issue_pages
from gnews_i18n.publish import Publisher, PublishReport
from gnews_i18n.states import SegmentState, TranslationState
from gnews_i18n.store.db import Database
from gnews_i18n.store.models import Segment, Translation

AJOU_KO = """---
title: 우즈베키스탄 보건부 대표단, 아주대학교병원 방문
slug: uzbek-delegation-ajou
lang: ko
date: 2023-11-21
author: 경기도 보건건강국
---

경기도는 우즈베키스탄 보건부 대표단이 21일 아주대학교병원을 방문해 권역외상센터와 응급의료 체계를 살펴봤다고 밝혔다.

![아주대학교병원 권역외상센터를 둘러보는 우즈베키스탄 대표단](photos/ajou.jpg)
*대표단이 권역외상센터의 응급 헬기장을 둘러보고 있다.*

대표단은 경기도의 원격 협진 사업에 관심을 보이며 의료진 연수 협력을 제안했다.
"""
AJOU_EN = ["Uzbek health ministry delegation visits Ajou University Hospital",
           "Gyeonggi-do said a delegation of Uzbekistan's Ministry of Health visited Ajou University Hospital "
           "on the 21st to see its regional trauma centre and emergency care system.",
           "The Uzbek delegation touring the regional trauma centre of Ajou University Hospital",
           "The delegation looks around the trauma centre's emergency helipad.",
           "The delegation showed interest in the province's telemedicine programme and proposed cooperation "
           "on training medical staff."]

CLINIC_EN = """---
title: Gyeonggi opens night-time children's clinics in 12 cities
slug: night-clinics
lang: en
date: 2023-11-24
author: Health and Medical Policy Division, Gyeonggi-do
---

Gyeonggi-do will open night-time children's clinics in {cities} cities from December, \
so that parents can see a paediatrician until 11 p.m.

Each clinic is staffed by two paediatricians and a nurse.
"""
CLINIC_KO = ["경기도, 12개 시에 달빛어린이병원 개소",
             "경기도는 12월부터 {cities}개 시에서 달빛어린이병원을 열어 보호자가 밤 11시까지 "
             "소아청소년과 전문의 진료를 받을 수 있게 한다.",
             "각 병원에는 소아청소년과 전문의 2명과 간호사 1명이 근무한다."]
CORRECTION_EN = "The number of cities was corrected from 11 to 12."
CORRECTION_KO = "시 개수를 11개에서 12개로 바로잡았습니다."


def ajou_photo() -> bytes:
    """The article's photo: a small generated JPEG (the site's pages show it with its alt text)."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (480, 320), (70, 110, 160)).save(out, "JPEG")
    return out.getvalue()


def _ajou(text: str, name: str):
    article = parse_article(text.encode(), name)
    attach_photos(article, {"photos/ajou.jpg": ajou_photo()}, name)
    return article


def _approve(db: Database, translation_ids: list[int], texts: list[str], correction: str | None = None) -> None:
    with db.session() as session:
        for translation_id in translation_ids:
            translation = session.get(Translation, translation_id)
            revision = translation.revision
            lines = [(-1, revision.title, texts[0])]
            lines += [(i, block["text"], texts[i + 1]) for i, block in enumerate(revision.blocks)]
            if correction:
                lines.append((CORRECTION_BLOCK, revision.correction, correction))
            for block, source, text in lines:
                session.add(Segment(translation_id=translation_id, block_index=block, sentence_index=0,
                                    source_text=source, machine_text=text, text=text, state=SegmentState.APPROVED,
                                    flags=[], provenance={}, terms=[], version=1))
            translation.state = TranslationState.APPROVED
            translation.approved_by, translation.approved_at = "reviewer", dt.datetime(2023, 11, 25, 9, 0)


def build_site(db: Database, settings: Settings) -> dict:
    """Publish issue 27 with both articles, then a correction of the clinics article; returns ids."""
    with db.session() as session:
        ajou = submit(session, _ajou(AJOU_KO, "ajou.md"), ["en"], submitted_by="editor")
        clinic = submit(session, parse_article(CLINIC_EN.format(cities=11).encode(), "clinic.md"), ["ko"],
                        submitted_by="editor")
    _approve(db, ajou.translation_ids, AJOU_EN)
    _approve(db, clinic.translation_ids, [t.format(cities=11) for t in CLINIC_KO])
    with db.session() as session:
        issue = create_issue(session, 27, dt.date(2023, 11, 30),
                             {"en": "Vol. 27, November 2023", "ko": "제27호 (2023년 11월)"}, ["ko", "en"])
        add_article(session, issue, ajou.article_id)
        add_article(session, issue, clinic.article_id)
        release(session, issue, "publisher")
    publish_issue(db, settings, 27)
    with db.session() as session:
        corrected = submit(session, parse_article(CLINIC_EN.format(cities=12).encode(), "clinic.md"), ["ko"],
                           submitted_by="editor", correction=CORRECTION_EN)
    _approve(db, corrected.translation_ids, [t.format(cities=12) for t in CLINIC_KO], CORRECTION_KO)
    publish_issue(db, settings, 27)
    return {"ajou": ajou.article_id, "clinic": clinic.article_id}


def publish_issue(db: Database, settings: Settings, number: int) -> PublishReport:
    publisher = Publisher(settings)
    with publisher.directory.lock(), db.session() as session:
        return write_issue_pages(session, get_issue(session, number), settings, publisher)


def publish_all(db: Database, settings: Settings) -> PublishReport:
    publisher = Publisher(settings)
    with publisher.directory.lock(), db.session() as session:
        return publisher.publish_all(session)


def draft_in_review(db: Database) -> int:
    """A Korean article whose English translation waits in review (for the desk's review page)."""
    with db.session() as session:
        result = submit(session, _ajou(AJOU_KO.replace("uzbek-delegation-ajou", "review-draft"), "draft.md"),
                        ["en"], submitted_by="editor")
        translation = session.get(Translation, result.translation_ids[0])
        revision = translation.revision
        for block, source, text in [(-1, revision.title, AJOU_EN[0])] + [
                (i, b["text"], AJOU_EN[i + 1]) for i, b in enumerate(revision.blocks)]:
            session.add(Segment(translation_id=translation.id, block_index=block, sentence_index=0,
                                source_text=source, machine_text=text, text=text, state=SegmentState.MACHINE,
                                flags=[], provenance={}, terms=[], version=1))
        translation.state = TranslationState.IN_REVIEW
        return translation.id
