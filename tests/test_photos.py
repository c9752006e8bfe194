"""Photos in articles (issue 23): figures taken in from Markdown, HTML and JSON; image files checked
by content at every door (CLI, API, desk) and stored without metadata (issue 25); alt text and
caption translated, checked and reviewed like any sentence; published under a content-hashed
name with their size; each article's lead photo in the e-mail edition."""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import re

import pytest
from PIL import ExifTags, Image
from sqlalchemy import func, select
from typer.testing import CliRunner

from gnews_i18n.articles.queries import translation_detail
from gnews_i18n.articles.submission import source_markdown, submit
from gnews_i18n.cli import app as cli
from gnews_i18n.config import load_settings
from gnews_i18n.intake import IntakeError, parse_article
from gnews_i18n.intake.photos import PhotoError, attach_photos, read_photo
from gnews_i18n.newsletter.issues import add_article, create_issue, release
from gnews_i18n.newsletter.mail import edition, render_html
from gnews_i18n.newsletter.site import write_issue_pages
from gnews_i18n.publish import Publisher
from gnews_i18n.review import actions
from gnews_i18n.review.po import export_po
from gnews_i18n.review.xliff import export_xliff
from gnews_i18n.store.models import Article, ArticlePhoto, Translation
from gnews_i18n.worker.job import run_translation

from conftest import api_desk

SITE = "https://news.example.org"
ARTICLE = """---
title: A delegation from Tashkent visits Ajou University Hospital
slug: tashkent-delegation
lang: en
date: 2023-11-21
---

A delegation from Tashkent visited Ajou University Hospital on Monday.

![Delegation at Ajou University Hospital](photos/ajou.jpg)

*The delegation in the hospital's lobby.*

They toured the emergency centre.

![](photos/ward.png)
"""


def jpeg_with_gps(size=(64, 48)) -> bytes:
    """A small JPEG that says where it was taken, on what camera and by whom."""
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.BodySerialNumber] = "SN-123456789"
    exif[ExifTags.Base.Artist] = "Kim Private"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (37.0, 16.0, 50.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (127.0, 2.0, 30.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def png(size=(40, 30), colour=(20, 120, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def photo_files() -> dict[str, bytes]:
    return {"photos/ajou.jpg": jpeg_with_gps(), "photos/ward.png": png()}


# Intake ------------------------------------------------------------------------------------
def test_markdown_images_are_figures_with_their_alt_text_and_the_italic_line_as_caption():
    article = parse_article(ARTICLE.encode(), "visit.md")
    kinds = [(b.kind, b.text, b.src) for b in article.blocks]
    assert kinds == [
        ("paragraph", "A delegation from Tashkent visited Ajou University Hospital on Monday.", None),
        ("figure", "Delegation at Ajou University Hospital", "photos/ajou.jpg"),
        ("caption", "The delegation in the hospital's lobby.", None),
        ("paragraph", "They toured the emergency centre.", None),
        ("figure", "", "photos/ward.png"),
    ]
    assert "Delegation at Ajou" not in " ".join(b.text for b in article.blocks if b.kind == "paragraph")
    titled = parse_article(b"---\ntitle: A visit to the hospital\nlang: en\n---\n\nThe delegation came.\n\n"
                           b'![A ward](ward.png "Caption from the title")\n', "t.md")
    assert [(b.kind, b.text) for b in titled.blocks][1:] == [("figure", "A ward"),
                                                             ("caption", "Caption from the title")]
    # the italic line right under the image (no blank line: one Markdown paragraph) is its caption too,
    # and wins over the title
    adjacent = parse_article(b"---\ntitle: A visit to the hospital\nlang: en\n---\n\nThe delegation came.\n\n"
                             b'![A ward](ward.png "A title")\n*The ward on Monday.*\n\nThey left.\n', "a.md")
    assert [(b.kind, b.text) for b in adjacent.blocks] == [
        ("paragraph", "The delegation came."), ("figure", "A ward"), ("caption", "The ward on Monday."),
        ("paragraph", "They left.")]


def test_html_figures_keep_image_alt_and_caption_and_bare_images_become_figures():
    page = b"""<html lang="en"><body><article><h1>A delegation visits the hospital</h1>
    <p>The delegation arrived on Monday at the hospital in Suwon.</p>
    <figure><img src="photos/ajou.jpg" alt="Delegation at Ajou"><figcaption>In the <em>lobby</em>.</figcaption></figure>
    <figure><figcaption>Caption written first</figcaption><img src="photos/b.png" alt="Second"></figure>
    <p>Text before <img src="photos/c.gif" alt="inline"> and after.</p></article></body></html>"""
    blocks = [(b.kind, b.text, b.src) for b in parse_article(page, "visit.html").blocks]
    assert blocks == [
        ("paragraph", "The delegation arrived on Monday at the hospital in Suwon.", None),
        ("figure", "Delegation at Ajou", "photos/ajou.jpg"),
        ("caption", "In the <em>lobby</em>.", None),
        ("figure", "Second", "photos/b.png"),
        ("caption", "Caption written first", None),
        ("paragraph", "Text before and after.", None),
        ("figure", "inline", "photos/c.gif"),
    ]


def test_json_figure_blocks_and_their_errors():
    data = {"title": "A delegation visits", "lang": "en", "blocks": [
        "The delegation arrived on Monday.",
        {"kind": "figure", "src": "photos/ajou.jpg", "alt": "Delegation", "caption": "In the lobby"}]}
    blocks = parse_article(json.dumps(data).encode(), "a.json").blocks
    assert [(b.kind, b.text, b.src) for b in blocks][1:] == [("figure", "Delegation", "photos/ajou.jpg"),
                                                             ("caption", "In the lobby", None)]
    data["blocks"][1] = {"kind": "figure", "alt": "no image"}
    with pytest.raises(IntakeError, match=r"blocks\[1\] is a figure without its image"):
        parse_article(json.dumps(data).encode(), "a.json")


# The image file ----------------------------------------------------------------------------
def test_gps_and_camera_metadata_are_stripped_and_the_pixels_kept():
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the test image has GPS
    photo = read_photo("photos/ajou.jpg", original)
    cleaned = Image.open(io.BytesIO(photo.data))
    assert (photo.media_type, photo.width, photo.height) == ("image/jpeg", 64, 48)
    assert not cleaned.getexif() and "exif" not in cleaned.info
    assert b"SN-123456789" not in photo.data and b"Kim Private" not in photo.data and b"PhoneMaker" not in photo.data
    assert cleaned.getpixel((10, 10))[0] > 150  # still the red picture
    owner = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description Owner="Kim Private"/></rdf:RDF></x:xmpmeta>'
    exif = Image.open(io.BytesIO(original)).getexif()
    for fmt, options in [("WEBP", {"exif": exif, "xmp": owner}), ("GIF", {"comment": b"Kim Private"}),
                         ("PNG", {"exif": exif})]:
        out = io.BytesIO()
        Image.new("RGB", (8, 6)).save(out, fmt, **options)
        assert b"Kim Private" in out.getvalue()
        assert b"Kim Private" not in read_photo(f"p.{fmt.lower()}", out.getvalue()).data, fmt


def test_files_are_judged_by_content_size_and_pixels_naming_the_file():
    with pytest.raises(PhotoError, match=r"photos/fake\.jpg: this is not an image"):
        read_photo("photos/fake.jpg", b"<html>not a photo</html>")
    bmp = io.BytesIO()
    Image.new("RGB", (4, 4)).save(bmp, "BMP")
    with pytest.raises(PhotoError, match=r"a\.jpg: the file is BMP image; photos must be JPEG, PNG, WebP or GIF"):
        read_photo("a.jpg", bmp.getvalue())
    with pytest.raises(PhotoError, match=r"big\.png: the image is .* MB; the limit is .*GNEWS_MAX_PHOTO_BYTES"):
        read_photo("big.png", png(), max_bytes=50)
    with pytest.raises(PhotoError, match=r"wide\.png: the image is 40×30 pixels.*GNEWS_MAX_PHOTO_PIXELS"):
        read_photo("wide.png", png(), max_pixels=1000)
    with pytest.raises(PhotoError, match=r"cut\.png: the image is damaged"):
        read_photo("cut.png", png()[:60])
    webp, gif = io.BytesIO(), io.BytesIO()
    Image.new("RGB", (8, 6)).save(webp, "WEBP")
    Image.new("P", (8, 6)).save(gif, "GIF")
    assert read_photo("w.webp", webp.getvalue()).media_type == "image/webp"
    assert read_photo("g.gif", gif.getvalue()).media_type == "image/gif"


# Doors -------------------------------------------------------------------------------------
@pytest.fixture
def plain_env(tmp_path, monkeypatch):
    """GNEWS_* settings in this test's directory, without the test models (no door here translates)."""
    for key in [k for k in os.environ if k.startswith("GNEWS_") and not k.startswith("GNEWS_TEST_")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("GNEWS_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("GNEWS_PUBLISH_DIR", str(tmp_path / "public"))


def test_cli_reads_photos_beside_the_article_and_refuses_a_missing_or_false_one(plain_env, tmp_path, monkeypatch):
    monkeypatch.setenv("GNEWS_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite'}")
    folder = tmp_path / "story"
    (folder / "photos").mkdir(parents=True)
    article = folder / "visit.md"
    article.write_text(ARTICLE, encoding="utf-8")
    (folder / "photos" / "ajou.jpg").write_bytes(b"GIF89a but not really")  # wrong content; ward.png is missing

    def submit_it(**env: str):
        return CliRunner().invoke(cli, ["submit", str(article), "--to", "ko", "--no-queue"], env=env)

    refused = submit_it()
    assert refused.exit_code == 1
    assert "photos/ajou.jpg: this is not an image" in refused.output, refused.output
    (folder / "photos" / "ajou.jpg").write_bytes(jpeg_with_gps())
    refused = submit_it(GNEWS_MAX_PHOTO_BYTES="300")
    assert refused.exit_code == 1 and "photos/ajou.jpg: the image is" in refused.output
    assert "GNEWS_MAX_PHOTO_BYTES" in refused.output, refused.output
    refused = submit_it()
    assert refused.exit_code == 1 and "the photo photos/ward.png is missing" in refused.output, refused.output
    (folder / "photos" / "ward.png").write_bytes(png())
    taken = submit_it()
    assert taken.exit_code == 0, taken.output
    from gnews_i18n.store.db import Database

    db = Database(load_settings().database_url)
    with db.session() as session:  # one article: the refused submissions stored nothing
        assert session.scalar(select(func.count()).select_from(Article)) == 1
        stored = {p.name: p for p in session.scalars(select(ArticlePhoto))}
        assert sorted(stored) == ["photos/ajou.jpg", "photos/ward.png"]
        assert not Image.open(io.BytesIO(stored["photos/ajou.jpg"].data)).getexif()
    db.dispose()


@contextlib.contextmanager
def editors_desk(db, tmp_path, monkeypatch):
    for key, value in {"GNEWS_DATABASE_URL": db.url, "GNEWS_COOKIE_SECURE": "0",
                       "GNEWS_BROKER_URL": f"filesystem://{tmp_path / 'broker'}"}.items():
        monkeypatch.setenv(key, value)
    with api_desk(db, [("editor1", ["editor"], [])]) as made:
        yield made


@pytest.fixture
def app_desk(db, plain_env, tmp_path, monkeypatch):
    with editors_desk(db, tmp_path, monkeypatch) as made:
        yield made


def test_the_api_takes_photos_as_base64_and_refuses_bad_ones_storing_nothing(db, app_desk, monkeypatch):
    """On SQLite and PostgreSQL: the article_photos table (migration 0012) holds what was sent."""
    client, tokens = app_desk
    body = {"content": ARTICLE, "filename": "visit.md", "targets": ["ko"], "queue": False}
    good = {name: base64.b64encode(data).decode() for name, data in photo_files().items()}
    missing = client.post("/api/articles", json={**body, "photos": {"photos/ajou.jpg": good["photos/ajou.jpg"]}},
                          headers=tokens["editor1"])
    assert missing.status_code == 422 and "the photo photos/ward.png is missing" in missing.text, missing.text
    wrong = client.post("/api/articles", json={**body, "photos": {**good, "photos/ward.png": base64.b64encode(
        b"%PDF-1.4 not an image").decode()}}, headers=tokens["editor1"])
    assert wrong.status_code == 422 and "photos/ward.png: this is not an image" in wrong.text, wrong.text
    monkeypatch.setenv("GNEWS_MAX_PHOTO_PIXELS", "1000")
    too_big = client.post("/api/articles", json={**body, "photos": good}, headers=tokens["editor1"])
    assert too_big.status_code == 422 and "photos/ajou.jpg: the image is 64×48 pixels" in too_big.text
    assert too_big.json()["field"] == "body.photos"
    monkeypatch.delenv("GNEWS_MAX_PHOTO_PIXELS")
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Article)) == 0
    taken = client.post("/api/articles", json={**body, "photos": good}, headers=tokens["editor1"])
    assert taken.status_code == 201, taken.text
    with db.session() as session:
        photos = session.scalars(select(ArticlePhoto).order_by(ArticlePhoto.name)).all()
        assert [(p.name, p.media_type, p.width, p.height) for p in photos] == [
            ("photos/ajou.jpg", "image/jpeg", 64, 48), ("photos/ward.png", "image/png", 40, 30)]
        assert all(p.sha256 == hashlib.sha256(p.data).hexdigest() for p in photos)


def test_the_desk_submit_page_takes_uploaded_photos_and_names_a_missing_one(plain_env, tmp_path, monkeypatch):
    from gnews_i18n.store.db import Database

    db = Database(f"sqlite:///{tmp_path / 'desk.sqlite'}")
    with editors_desk(db, tmp_path, monkeypatch) as (client, _):
        _submit_through_the_desk(client, db)
    db.dispose()


def _login(client) -> None:
    login = client.get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', login.text).group(1)
    client.post("/login", data={"csrf": csrf, "name": "editor1", "password": "editor1-password", "next": "/articles"},
                follow_redirects=False)


def _submit_through_the_desk(client, db) -> None:
    _login(client)
    page = client.get("/submit")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    assert 'name="photos" multiple' in page.text
    form = {"csrf": csrf, "text": ARTICLE, "format": "markdown", "targets": ["ko"]}
    refused = client.post("/submit", data=form, files=[("photos", ("ajou.jpg", jpeg_with_gps(), "image/jpeg"))])
    assert "the photo photos/ward.png is missing" in refused.text
    refused = client.post("/submit", data=form, files=[("photos", ("ajou.jpg", b"\xff\xd8 truncated", "image/jpeg")),
                                                       ("photos", ("ward.png", png(), "image/png"))])
    assert "photos/ajou.jpg: this is not an image" in refused.text
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Article)) == 0
    taken = client.post("/submit", data=form, follow_redirects=False,
                        files=[("photos", ("ajou.jpg", jpeg_with_gps(), "image/jpeg")),
                               ("photos", ("ward.png", png(), "image/png"))])
    assert taken.status_code == 303, taken.text
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(ArticlePhoto)) == 2


def test_a_new_photo_is_a_new_revision_and_a_resubmission_may_leave_its_photos_out(tmp_path):
    from gnews_i18n.store.db import Database

    db = Database(f"sqlite:///{tmp_path / 'revisions.sqlite'}")

    def send(files: dict[str, bytes]):
        article = parse_article(ARTICLE.encode(), "visit.md")
        attach_photos(article, files, "visit.md")
        with db.session() as session:
            return submit(session, article, ["ko"], submitted_by="editor1")

    first = send(photo_files())
    assert not send(photo_files()).new_revision  # the same text and the same pictures
    again = send({"photos/ward.png": png(colour=(0, 0, 0))})  # ajou.jpg not given: revision 1's is kept
    assert again.new_revision and again.revision_number == 2
    with db.session() as session:
        revisions = session.get(Article, first.article_id).revisions
        assert revisions[1].photo("photos/ajou.jpg").data == revisions[0].photo("photos/ajou.jpg").data
        assert revisions[1].photo("photos/ward.png").sha256 != revisions[0].photo("photos/ward.png").sha256
        markdown = source_markdown(revisions[1])  # what the desk's correction form starts from
        assert "![Delegation at Ajou University Hospital](photos/ajou.jpg)\n\n*The delegation in the hospital's " \
               "lobby.*" in markdown
        assert parse_article(markdown.encode(), "again.md").blocks == parse_article(ARTICLE.encode(), "v.md").blocks
    other = parse_article(ARTICLE.replace("tashkent-delegation", "another-visit").encode(), "visit.md")
    with pytest.raises(PhotoError, match="the photo photos/ajou.jpg is missing"), db.session() as session:
        submit(session, other, ["ko"])  # a new article has no earlier photos to keep
    db.dispose()


# Translation, review, publishing, e-mail ----------------------------------------------------
def test_alt_text_and_caption_are_translated_reviewed_published_and_mailed(tmp_path, gnews_env, monkeypatch):
    from gnews_i18n.store.db import Database

    monkeypatch.setenv("GNEWS_DATABASE_URL", f"sqlite:///{tmp_path / 'flow.sqlite'}")
    monkeypatch.setenv("GNEWS_SITE_URL", SITE)
    monkeypatch.delenv("GNEWS_GLOSSARIES")  # no glossary: the job asks the model no probe sentences
    monkeypatch.setenv("GNEWS_GLOSSARY_DIR", str(tmp_path))
    settings = load_settings()
    db = Database(settings.database_url)
    article = parse_article(ARTICLE.encode(), "visit.md")
    attach_photos(article, photo_files(), "visit.md")
    with db.session() as session:
        translation_id = submit(session, article, ["ko"], submitted_by="editor1").translation_ids[0]
    run_translation(db, settings, translation_id, "w")
    with db.session() as session:
        translation = session.get(Translation, translation_id)
        detail = translation_detail(translation)
        rows = {s["position"]: s for s in detail["segments"]}
        alt, caption, empty = rows["1.0"], rows["2.0"], rows["4.0"]
        assert alt["source"] == "Delegation at Ajou University Hospital" and alt["machine_text"]
        assert alt["role"] == "photo alt text: photos/ajou.jpg" and alt["photo"]["url"].startswith("/photos/")
        assert caption["role"] == "photo caption: photos/ajou.jpg" and caption["machine_text"]
        assert empty["source"] == "" and [f["id"] for f in empty["flags"]] == ["alt_text_missing"]
        assert "#. photo alt text: photos/ajou.jpg" in export_po(translation)
        assert "photo caption: photos/ajou.jpg" in export_xliff(translation)
    with editors_desk(db, tmp_path, monkeypatch) as (client, _):  # the review desk shows the photo beside its rows
        _login(client)
        page = client.get(f"/t/{translation_id}").text
        assert page.count(f'<img class="photo" src="{alt["photo"]["url"]}"') == 2  # beside alt text and caption
        assert "photo alt text: photos/ajou.jpg" in page and "photo caption: photos/ajou.jpg" in page
        shown = client.get(alt["photo"]["url"])
        assert shown.headers["content-type"] == "image/jpeg" and not Image.open(io.BytesIO(shown.content)).getexif()
    with db.session() as session:
        # the reviewer corrects the alt text, writes the missing one, and approves
        actions.edit_segment(session, translation_id, "1.0", "아주대학교병원을 찾은 대표단", "rev")
        actions.edit_segment(session, translation_id, "2.0", "병원 로비의 대표단.", "rev")
        actions.edit_segment(session, translation_id, "4.0", "응급센터 병동", "rev")
        assert not actions.find_segment(session.get(Translation, translation_id), "4.0").flags  # warning resolved
        actions.approve(session, translation_id, "rev", override="random test model")
    publisher = Publisher(settings)
    with publisher.directory.lock(), db.session() as session:
        publisher.publish_article(session, session.get(Translation, translation_id).revision.article_id, "ko")
        photo = session.scalars(select(ArticlePhoto).where(ArticlePhoto.name == "photos/ajou.jpg")).one()
        hashed = f"photos/{photo.sha256[:16]}.jpg"
    with publisher.directory.lock(), db.session() as session:  # nothing changed: nothing written, photos neither
        assert publisher.publish_all(session).written == []
    page = (settings.publish_dir / "ko" / "tashkent-delegation.html").read_text(encoding="utf-8")
    figure = re.search(r"<figure class=\"photo\">(.*?)</figure>", page, re.S).group(1)
    assert f'src="../{hashed}" width="64" height="48" alt="아주대학교병원을 찾은 대표단"' in figure
    assert "<figcaption>병원 로비의 대표단.</figcaption>" in figure
    assert page.count("<figure") == 2 and 'alt="응급센터 병동"' in page
    published = settings.publish_dir / hashed
    assert published.read_bytes() == photo.data and not Image.open(published).getexif()
    # the issue page and the e-mail show the lead photo, with its translated alt text
    with publisher.directory.lock(), db.session() as session:
        issue = create_issue(session, 27, dt.date(2023, 11, 30), {"en": "Vol. 27", "ko": "제27호"}, ["ko"])
        add_article(session, issue, session.get(Translation, translation_id).revision.article_id)
        release(session, issue, "pub")
        write_issue_pages(session, issue, settings, publisher)
        mail = render_html(edition(session, issue, "ko", settings), f"{SITE}/unsubscribe")
    issue_page = (settings.publish_dir / "ko" / "issue-27.html").read_text(encoding="utf-8")
    assert f'src="../{hashed}"' in issue_page
    image = re.search(r"<img class=\"photo\"[^>]*>", mail).group(0)
    assert f'src="{SITE}/{hashed}"' in image and 'alt="아주대학교병원을 찾은 대표단"' in image
    assert re.search(r'\bwidth="64"', image) and re.search(r'\bheight="48"', image)
    assert len(mail.encode()) < 102 * 1024
    db.dispose()
