"""Personal data after submit: the personal_data flag on a draft, approval and exports refused while
an identifier is undecided, one finding allowed with a reason (store, API, CLI), the desk's submit
page, the e-mail edition and the TMX export. SQLite only: the store paths are the ones
test_privacy_guard.py runs on PostgreSQL too."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from sqlalchemy import select

from gnews_i18n.articles.submission import submit
from gnews_i18n.intake import parse_article
from gnews_i18n.review import actions, po, xliff
from gnews_i18n.review.personal_data import FindingError, allow_finding, article_findings
from gnews_i18n.states import SegmentState, TranslationState
from gnews_i18n.store.db import Database
from gnews_i18n.store.models import Article, ArticleRevision, PrivacyDecision, Segment, Translation

from conftest import api_desk

STORY = """---
title: 퇴원 소식
slug: discharge
lang: ko
date: 2024-03-20
---

환자 보호자의 연락처는 010-2345-6789이다.

병원은 20일 재활 병동을 열었다.
"""


@pytest.fixture
def desk(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'desk.sqlite'}"
    env = {"GNEWS_DATA_DIR": str(tmp_path / "var"), "GNEWS_PUBLISH_DIR": str(tmp_path / "public"),
           "GNEWS_DATABASE_URL": url, "GNEWS_SECRET_KEY": "test-key", "GNEWS_COOKIE_SECURE": "0",
           "GNEWS_BROKER_URL": f"filesystem://{tmp_path / 'broker'}", "GNEWS_PUBLISH_WEBHOOKS": "",
           "GNEWS_PEOPLE": str(tmp_path / "people.csv")}
    (tmp_path / "people.csv").write_text("id,ko,en\nkim-dong-yeon,김동연,Kim Dong-yeon\n", encoding="utf-8")
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("GNEWS_PRIVACY_POLICY", raising=False)
    db = Database(url)
    yield db, env
    db.dispose()


def draft_in_review(db: Database) -> tuple[int, int]:
    """STORY submitted with its guardian's number allowed, and an English draft in review whose
    first sentence copies that number (decided: no flag). Returns (article id, translation id)."""
    with db.session() as session:
        result = submit(session, parse_article(STORY.encode(), "story.md"), ["en"], submitted_by="ed",
                        allow_personal_data="guardian agreed to be called")
        translation = session.get(Translation, result.translation_ids[0])
        for block, source, text in [(-1, "퇴원 소식", "Discharge news"),
                                    (0, "환자 보호자의 연락처는 010-2345-6789이다.",
                                     "The guardian can be reached at 010-2345-6789."),
                                    (1, "병원은 20일 재활 병동을 열었다.", "The hospital opened a rehabilitation ward "
                                                                   "on March 20.")]:
            session.add(Segment(translation_id=translation.id, block_index=block, sentence_index=0,
                                source_text=source, machine_text=text, text=text, state=SegmentState.MACHINE,
                                flags=[], provenance={}, terms=[], version=1))
        translation.state = TranslationState.IN_REVIEW
        return result.article_id, translation.id


def test_a_reviewer_edit_adding_a_number_flags_it_and_blocks_approval_and_export_until_allowed(desk):
    db, _ = desk
    article_id, translation_id = draft_in_review(db)
    with db.session() as session:
        segment = actions.edit_segment(session, translation_id, "1.0", "The hospital opened a rehabilitation ward "
                                       "on March 20; patient Lee Ji-eun, 45, was the first admitted "
                                       "(lee.jieun@gmail.com).", "rev")
        flags = [f for f in segment.flags if f["id"] == "personal_data"]
        assert [(f["severity"], f["kind"], f["target"]) for f in flags] == [
            ("error", "patient_name", "L. J."), ("error", "email", "l***@gmail.com")]
        assert "gnews-i18n privacy allow" in flags[1]["message"] and "lee.jieun" not in flags[1]["message"]
        copied = actions.find_segment(session.get(Translation, translation_id), "0.0")
        assert copied.flags == []  # the allowed number, copied by the engine: decided, no flag
    with pytest.raises(actions.PersonalDataInDraft) as refused, db.session() as session:  # rolled back
        actions.approve(session, translation_id, "rev", override="numbers checked")  # no override passes it
    message = str(refused.value)
    assert f"article {article_id} ('discharge') cannot be approved" in message
    assert "segment 1.0 (target): e-mail address l***@gmail.com (finding " in message
    assert f"gnews-i18n privacy allow {article_id}" in message and "lee.jieun" not in message
    with db.session() as session:
        assert session.get(Translation, translation_id).state == TranslationState.IN_REVIEW
        for export in (po.export_po, xliff.export_xliff):
            with pytest.raises(actions.PersonalDataInDraft, match="cannot be exported"):
                export(session.get(Translation, translation_id))

    with db.session() as session:
        listed = {f.located.finding.kind: f for f in article_findings(session, article_id)}
        assert {k: f.status for k, f in listed.items()} == {
            "mobile_phone": "allowed", "patient_name": "undecided", "email": "undecided"}
        with pytest.raises(FindingError, match="needs a reason"):
            allow_finding(session, article_id, listed["email"].located.finding_id, " ", "ed")
        with pytest.raises(FindingError, match="has no finding 'nope'"):
            allow_finding(session, article_id, "nope", "ok", "ed")
        for kind in ("email", "patient_name"):
            allowed = allow_finding(session, article_id, listed[kind].located.finding_id,
                                    "the patient asked to be named", "ed")
            assert (allowed.status, allowed.decided_by, allowed.reason) == (
                "allowed", "ed", "the patient asked to be named")
    with db.session() as session:
        segment = actions.find_segment(session.get(Translation, translation_id), "1.0")
        assert [f for f in segment.flags if f["id"] == "personal_data"] == []  # flags made again
        decisions = session.scalars(select(PrivacyDecision).order_by(PrivacyDecision.id)).all()
        assert [(d.kind, d.decided_by) for d in decisions] == [
            ("mobile_phone", "ed"), ("email", "ed"), ("patient_name", "ed")]
        assert all("jieun" not in d.fingerprint.lower() and d.decided_at for d in decisions)
        assert "l***@gmail.com" not in po.export_po(session.get(Translation, translation_id))  # exported as is
        actions.approve(session, translation_id, "rev", override="the age is the reviewer's addition")
    with db.session() as session:
        assert session.get(Translation, translation_id).state == TranslationState.APPROVED


def test_the_api_and_the_desk_list_and_allow_one_finding_and_approval_is_refused_until_then(desk):
    db, _ = desk
    article_id, translation_id = draft_in_review(db)
    with api_desk(db, [("rev", ["reviewer", "editor"], ["en"])]) as (client, tokens):  # one user: one hash
        edit = client.put(f"/api/translations/{translation_id}/segments/1.0",
                          json={"text": "Call the ward at 010-9876-5432 or write to ward.kim@daum.net.",
                                "version": 1}, headers=tokens["rev"])
        assert edit.status_code == 200, edit.text
        body = {"override": "the ward's number, checked", "publish": False}
        refused = client.post(f"/api/translations/{translation_id}/approve", json=body, headers=tokens["rev"])
        assert refused.status_code == 409 and refused.json()["code"] == "personal_data"
        phone, mail = refused.json()["problems"]
        assert (phone["where"], phone["kind"], phone["masked"]) == (
            "segment 1.0 (target)", "mobile_phone", "***-****-5432")
        assert client.get(f"/api/translations/{translation_id}/po", headers=tokens["rev"]).status_code == 409
        listed = client.get(f"/api/articles/{article_id}/personal-data", headers=tokens["rev"])
        assert [(f["kind"], f["status"]) for f in listed.json()] == [
            ("mobile_phone", "allowed"), ("mobile_phone", "undecided"), ("email", "undecided")]
        assert "9876" not in listed.text and "ward.kim" not in listed.text
        url = f"/api/articles/{article_id}/personal-data/{phone['finding']}/allow"
        assert client.post(url, json={"reason": "ward line"}).status_code == 401
        assert client.post(url, json={"reason": "  "}, headers=tokens["rev"]).status_code == 422
        assert client.post(f"/api/articles/{article_id}/personal-data/abc/allow", json={"reason": "x"},
                           headers=tokens["rev"]).status_code == 404
        allowed = client.post(url, json={"reason": "the ward's own line"}, headers=tokens["rev"])
        assert allowed.status_code == 200 and allowed.json()["decided_by"] == "rev", allowed.text

        login = client.get("/login")  # the desk: the flag on the segment, and its allow form
        client.post("/login", data={"name": "rev", "password": "rev-password", "csrf": _csrf(login.text),
                                    "next": "/queue"}, follow_redirects=False)
        refused_download = client.get(f"/t/{translation_id}/xliff")  # back to the page, saying why
        assert "cannot be exported" in refused_download.text and "<xliff" not in refused_download.text
        page = client.get(f"/t/{translation_id}").text
        assert "personal data in the target: e-mail address w***@daum.net" in page
        assert f'action="/t/{translation_id}/personal-data/{mail["finding"]}/allow"' in page
        assert phone["finding"] not in page  # allowed: its flag is gone
        done = client.post(f"/t/{translation_id}/personal-data/{mail['finding']}/allow",
                           data={"csrf": _csrf(page), "reason": "the ward's shared mailbox"})
        assert "allowed for this article" in done.text and "personal data in the target" not in done.text
        approved = client.post(f"/api/translations/{translation_id}/approve", json=body, headers=tokens["rev"])
        assert approved.status_code == 200, approved.text


def test_cli_lists_findings_and_allows_one_with_who_and_why(desk):
    from typer.testing import CliRunner

    from gnews_i18n.cli import app

    db, _ = desk
    article_id, translation_id = draft_in_review(db)
    with db.session() as session:
        actions.edit_segment(session, translation_id, "1.0", "Call the ward at 010-9876-5432.", "rev")
    runner = CliRunner(env={"COLUMNS": "400"})
    shown = runner.invoke(app, ["review", "show", str(translation_id)])
    assert "error: personal data in the target: mobile phone number ***-****-5432" in shown.output
    listed = runner.invoke(app, ["privacy", "list", str(article_id)])
    assert listed.exit_code == 0, listed.output
    lines = listed.output.splitlines()
    assert "block 1 (paragraph): mobile phone number ***-****-6789" in lines[0]
    assert "[allowed by ed at " in lines[0] and lines[0].endswith(": guardian agreed to be called]")
    assert "en segment 1.0 (target): mobile phone number ***-****-5432" in lines[1] and "[undecided]" in lines[1]
    assert "9876" not in listed.output
    missing = runner.invoke(app, ["privacy", "allow", str(article_id), "feedbeef0000", "--reason", "x", "--by", "ed"])
    assert missing.exit_code == 1 and "has no finding 'feedbeef0000'" in missing.output
    finding = lines[1].split()[0]
    allowed = runner.invoke(app, ["privacy", "allow", str(article_id), finding, "--reason", "the ward's line",
                                  "--by", "ed"])
    assert allowed.exit_code == 0 and f"finding {finding} (mobile phone number) allowed by ed at" in allowed.output
    with db.session() as session:
        actions.approve(session, translation_id, "rev", override="the ward's number")  # nothing undecided now


def _csrf(page: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def test_the_desk_submit_page_lists_findings_keeps_the_upload_and_allows_only_what_is_ticked(desk):
    db, _ = desk
    story = STORY.replace("병원은 20일", "문의는 kim.ward@naver.com. 병원은 20일")
    with api_desk(db, [("ed", ["editor"], [])]) as (client, _tokens):
        login = client.get("/login")
        client.post("/login", data={"name": "ed", "password": "ed-password", "csrf": _csrf(login.text),
                                    "next": "/submit"}, follow_redirects=False)
        form = client.get("/submit").text
        refused = client.post("/submit", data={"csrf": _csrf(form), "targets": ["en"]},
                              files={"file": ("story.md", story.encode(), "text/markdown")})
        assert refused.status_code == 422
        page = refused.text
        assert "Personal data found: nothing was stored" in page
        assert "<mark>***-****-6789</mark>" in page and "<mark>k***@naver.com</mark>" in page
        assert "line 8 (block 1 (paragraph))" in page and "010-2345" not in page.split("<textarea")[0]
        kept = html.unescape(re.search(r'<textarea name="text" id="text"[^>]*>(.*?)</textarea>', page, re.S).group(1))
        assert kept == story  # the upload's text is in the form: nothing is lost
        assert 'option value="markdown" selected' in page
        ids = re.findall(r'name="allow_findings" value="([0-9a-f]{12})"', page)
        with db.session() as session:
            assert session.scalars(select(Article)).all() == []
        data = {"csrf": _csrf(page), "text": kept, "format": "markdown", "targets": ["en"]}
        no_reason = client.post("/submit", data={**data, "allow_findings": ids[:1]})
        assert no_reason.status_code == 422 and "say why they may be published" in no_reason.text
        partly = client.post("/submit", data={**data, "allow_findings": ids[:1], "allow_personal_data": "agreed"})
        assert partly.status_code == 422 and "<mark>k***@naver.com</mark>" in partly.text
        assert "<mark>***-****-6789</mark>" not in partly.text  # the ticked one is not the problem any more
        masked = client.post("/submit", data={**data, "redact_personal_data": "1"}, follow_redirects=False)
        assert masked.status_code == 303, masked.text
    with db.session() as session:
        stored = str(session.scalars(select(ArticleRevision)).one().blocks)
        assert "***-****-6789" in stored and "k***@naver.com" in stored and "2345" not in stored


def test_the_email_edition_and_the_tmx_export_let_nothing_undecided_out(desk):
    from gnews_i18n.config import load_settings
    from gnews_i18n.memory.repository import export_tmx
    from gnews_i18n.newsletter import issues
    from gnews_i18n.newsletter.mail import MailError, edition
    from gnews_i18n.store.models import Edition, MemoryEntry

    db, _ = desk
    article_id, _ = draft_in_review(db)
    with db.session() as session:
        issue = issues.create_issue(session, 5, dt.date(2024, 3, 21), {"en": "Vol. 5"}, ["en"])
        issues.add_article(session, issue, article_id)
        session.add(Edition(article_id=article_id, lang="en", revision_number=1, title="Discharge news",
                            summary="Reach the ward at 010-5555-1234.", path="en/discharge.html"))
        session.add(MemoryEntry(source_lang="ko", target_lang="en", source_key="k", origin="translation 1",
                                source_text="환자 김민수(45) 씨의 번호는 010-5555-1234이다.",
                                target_text="Patient Kim Min-su, 45, can be reached at 010-5555-1234."))
    with pytest.raises(MailError) as refused, db.session() as session:
        edition(session, issues.get_issue(session, 5), "en", load_settings())
    assert f"in article {article_id} ('discharge'): lead: mobile phone number ***-****-1234" in str(refused.value)
    assert "Nothing was sent" in str(refused.value)
    with db.session() as session:
        tmx = export_tmx(session)
    assert "010-5555" not in tmx and "***-****-1234" in tmx and "김민수" not in tmx and "김○○" in tmx


@pytest.mark.parametrize("text", ["김동연(65) 씨가 응급실을 찾았다.", "환자 김동연 씨"])
def test_the_people_registrys_officials_are_never_patients(desk, text):
    from gnews_i18n.privacy.finders import find_patient_names
    from gnews_i18n.privacy.guard import Guard

    assert [f.value for f in find_patient_names(text)] == ["김동연"]  # the finder alone would report him
    assert Guard.from_settings().policy.findings(text) == []


def test_a_remembered_translation_carrying_an_address_is_flagged_when_the_job_saves_the_draft(desk):
    from gnews_i18n.config import load_settings
    from gnews_i18n.memory.records import source_key
    from gnews_i18n.store.models import MemoryEntry
    from gnews_i18n.worker.job import run_translation

    db, _ = desk
    text = "---\ntitle: A new ward\nslug: ward\nlang: en\ndate: 2024-03-20\n---\n\nThe hospital opened a ward.\n"
    with db.session() as session:  # the memory knows both sentences: no model is needed
        for source, target in [("A new ward", "새 병동"),
                               ("The hospital opened a ward.", "병원은 병동을 열었다. 문의 kim.ward@naver.com")]:
            session.add(MemoryEntry(source_lang="en", target_lang="ko", source_key=source_key(source),
                                    source_text=source, target_text=target, origin="tmx:old.tmx"))
        translation_id = submit(session, parse_article(text.encode(), "ward.md"), ["ko"]).translation_ids[0]
    assert run_translation(db, load_settings(), translation_id, "w").status == "done"
    with db.session() as session:
        translation = session.get(Translation, translation_id)
        assert translation.state == TranslationState.IN_REVIEW
        flagged = {actions.position(s): [f["kind"] for f in s.flags if f["id"] == "personal_data"]
                   for s in translation.segments}
        assert flagged == {"title": [], "0.0": ["email"]}


def test_cli_submit_allows_only_the_findings_named(desk, tmp_path):
    from typer.testing import CliRunner

    from gnews_i18n.cli import app

    db, _ = desk
    path = tmp_path / "story.md"
    path.write_text(STORY.replace("병원은 20일", "문의는 kim.ward@naver.com. 병원은 20일"), encoding="utf-8")
    runner = CliRunner(env={"COLUMNS": "400"})
    refused = runner.invoke(app, ["submit", str(path), "--to", "en", "--no-queue"])
    assert refused.exit_code == 1 and "--allow-finding ID" in refused.output
    phone, mail = re.findall(r"\(finding ([0-9a-f]{12})\)", refused.output)
    partly = runner.invoke(app, ["submit", str(path), "--to", "en", "--no-queue", "--by", "ed",
                                 "--allow-personal-data", "the guardian agreed", "--allow-finding", phone])
    assert partly.exit_code == 1 and f"(finding {mail})" in partly.output and phone not in partly.output
    with db.session() as session:
        assert session.scalars(select(Article)).all() == []
    both = runner.invoke(app, ["submit", str(path), "--to", "en", "--no-queue", "--by", "ed",
                               "--allow-personal-data", "both agreed", "--allow-finding", phone,
                               "--allow-finding", mail])
    assert both.exit_code == 0, both.output
    with db.session() as session:
        assert [(d.kind, d.reason) for d in session.scalars(select(PrivacyDecision))] == [
            ("mobile_phone", "both agreed"), ("email", "both agreed")]


def test_a_patients_name_stops_submit_and_redaction_masks_it(desk):
    from gnews_i18n.articles.personal_data import PersonalDataError

    db, _ = desk
    story = STORY.replace("환자 보호자의 연락처는 010-2345-6789이다.", "폐렴으로 입원한 김민수(45) 씨는 회복 중이다.")
    refused = r"block 1 \(paragraph\)\): patient's name 김○○ \(finding [0-9a-f]{12}\)"
    with pytest.raises(PersonalDataError, match=refused):
        with db.session() as session:
            submit(session, parse_article(story.encode(), "story.md"), ["en"], raw=story)
    with db.session() as session:
        submit(session, parse_article(story.encode(), "story.md"), ["en"], redact_personal_data=True)
    with db.session() as session:
        assert "김○○(45) 씨" in str(session.scalars(select(ArticleRevision)).one().blocks)
