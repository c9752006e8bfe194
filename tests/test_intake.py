"""Intake: every format an editor submits, and every way a file can be wrong."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from gnews_i18n.intake import IntakeError, parse_article

from conftest import EN_SAMPLE, KO_SAMPLE


def test_the_newsletter_sample_goes_in_as_it_is():
    article = parse_article(EN_SAMPLE.read_bytes(), EN_SAMPLE.name)
    assert article.title == ("Uzbekistan Tashkent Regional Government Officials and Local Hospital Directors "
                             "Visit Advanced Medical Institutions in Gyeonggi-do")
    assert article.date == dt.date(2023, 11, 21)
    assert article.lang == "en"
    assert article.blocks[0].kind == "subtitle"
    assert article.blocks[0].text == "Strengthening of Korea-Uzbekistan Global Medical Cooperation"
    assert len([b for b in article.blocks if b.kind == "paragraph"]) == 8
    body = article.body_text
    # The board page's chrome is dropped: site name, truncated listing title, header lines.
    for chrome in ("Medical Gyeonggi e-News", "[NOV. 2023]", "관리자", "Views 304"):
        assert chrome not in body and chrome not in article.title
    assert article.blocks[-1].text.endswith("trust between the two regions.”")


def test_markdown_front_matter_and_blocks():
    article = parse_article(KO_SAMPLE.read_bytes(), KO_SAMPLE.name)
    assert article.lang == "ko"
    assert article.title.startswith("우즈베키스탄 타슈켄트주")
    assert article.date == dt.date(2023, 11, 21)
    assert article.slug == "tashkent-delegation-visit-ko"
    assert article.category == "국제의료"
    assert article.blocks[0].kind == "heading" and article.blocks[0].level == 2
    assert article.source_format == "markdown"


def test_markdown_lists_quotes_and_inline_markup():
    source = (
        b"---\ntitle: Clinic opens\ndate: 2024-03-05\nauthor: Desk\nlang: en\n---\n\n"
        b"The **new** clinic opens [today](https://example.org).\n\n- first point\n- second point\n\n> a quote\n"
    )
    article = parse_article(source, "a.md")
    assert [(b.kind, b.text) for b in article.blocks] == [
        ("paragraph", 'The <strong>new</strong> clinic opens <a href="https://example.org">today</a>.'),
        ("list_item", "first point"),
        ("list_item", "second point"),
        ("quote", "a quote"),
    ]
    assert article.author == "Desk"


def test_markdown_bad_front_matter_names_the_line():
    with pytest.raises(IntakeError, match=r"bad\.md:\d+: front matter is not valid YAML"):
        parse_article(b"---\ntitle: [unclosed\n---\nBody text here.\n", "bad.md")


def test_html_body_is_extracted_and_boilerplate_dropped():
    page = """<!doctype html><html lang="en"><head><title>Site | News</title>
    <meta property="article:published_time" content="2023-11-21T09:00:00+09:00"></head><body>
    <header><nav><ul><li>Home</li><li>About</li></ul></nav></header>
    <div class="lnb"><a>Menu item</a></div>
    <article><h1>Delegation visits Gyeonggi-do</h1>
      <ul class="board-info"><li>• Name 관리자</li><li>• Date 2023-11-21</li><li>• Views 304</li></ul>
      <div class="view_content"><p>A delegation visited Gyeonggi-do.</p><h2>Program</h2>
      <p>They toured <b>three</b> hospitals.</p>
      <figure><img src="x.jpg"><figcaption>The welcome ceremony</figcaption></figure></div>
      <div class="share-buttons"><button>Facebook</button><a>Twitter</a></div>
    </article><footer>Copyright Gyeonggi-do</footer><script>alert(1)</script></body></html>"""
    article = parse_article(page.encode(), "page.html")
    assert article.title == "Delegation visits Gyeonggi-do"
    assert article.date == dt.date(2023, 11, 21)
    assert [(b.kind, b.text) for b in article.blocks] == [
        ("paragraph", "A delegation visited Gyeonggi-do."),
        ("heading", "Program"),
        ("paragraph", "They toured <b>three</b> hospitals."),
        ("figure", ""),  # the photo is kept (issue 23); it has no alt text
        ("caption", "The welcome ceremony"),
    ]


def test_json_article():
    payload = {"title": "병원 개원", "date": "2024-01-02", "lang": "ko", "body": "첫 문단입니다.\n\n둘째 문단입니다."}
    article = parse_article(json.dumps(payload, ensure_ascii=False).encode(), "a.json")
    assert article.lang == "ko" and len(article.blocks) == 2 and article.date == dt.date(2024, 1, 2)


def test_invalid_json_says_where():
    with pytest.raises(IntakeError, match=r"x\.json:1:\d+: not valid JSON"):
        parse_article(b'{"title": "x",', "x.json")


def test_cp949_korean_text_is_decoded():
    text = "경기도 보건의료 소식\n\n분당서울대학교병원을 방문했다. 대표단은 협력 방안을 논의했다.\n"
    article = parse_article(text.encode("cp949"), "old.txt")
    assert article.title == "경기도 보건의료 소식"
    assert article.lang == "ko"
    assert "분당서울대학교병원을" in article.body_text


def test_utf8_with_bom():
    article = parse_article("\ufeffTitle line\n\nBody of the article.\n".encode(), "bom.txt")
    assert article.title == "Title line"


def test_binary_junk_is_a_clear_error():
    junk = bytes(range(256)) * 20
    with pytest.raises(IntakeError, match="binary"):
        parse_article(junk, "junk.bin")


def test_undecodable_bytes_are_a_clear_error():
    with pytest.raises(IntakeError, match=r"cannot decode|not valid UTF-8"):
        parse_article(b"Title\n\nBody \xff\xfe\xfa\xfb\xfc text that is not Korean at all\n", "bad.txt")


def test_empty_article_is_rejected():
    with pytest.raises(IntakeError, match="empty"):
        parse_article(b"   \n\n", "empty.txt")


def test_title_only_is_rejected_with_advice():
    with pytest.raises(IntakeError, match="no body text"):
        parse_article(b"Only a title\n", "title.txt")


def test_huge_article_is_rejected_with_the_limit():
    huge = ("Title\n\n" + "A sentence about hospitals. " * 40000).encode()
    assert len(huge) > 1024 * 1024
    with pytest.raises(IntakeError, match=r"limit is 512 KB.*GNEWS_MAX_ARTICLE_BYTES"):
        parse_article(huge, "huge.txt", max_bytes=512 * 1024)


def test_declared_language_contradicting_the_text():
    with pytest.raises(IntakeError, match="declared language is ko .* reads as English"):
        parse_article(EN_SAMPLE.read_bytes(), EN_SAMPLE.name, lang="ko")


def test_unsupported_source_language():
    with pytest.raises(IntakeError, match="not supported"):
        parse_article(b"Title\n\nBody.\n", "a.txt", lang="fr")


def test_mixed_text_asks_for_a_declared_language():
    mixed = "Title 제목\n\nThe 병원 hospital 방문 visit 협력 talks 진행 today 오늘.\n".encode()
    with pytest.raises(IntakeError, match="--lang"):
        parse_article(mixed, "mixed.txt")
    assert parse_article(mixed, "mixed.txt", lang="en").lang == "en"
