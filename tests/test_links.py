"""Links and emphasis inside the text: kept at intake, opaque to sentence splitting, carried
through machine translation exactly, rendered safely."""

from __future__ import annotations

import pytest

from gnews_i18n.intake import parse_article
from gnews_i18n.mt import DecodingSettings, open_engine
from gnews_i18n.pipeline import SegmentDraft, translate_segments
from gnews_i18n.publish.render import Renderer
from gnews_i18n.qa import check_pair
from gnews_i18n.segment import split_sentences
from gnews_i18n.terms import Terminology, read_glossary_file

from conftest import NEWSLETTER_GLOSSARY

LINK = '<a href="https://www.gg.go.kr/news?id=1&amp;p=2">Gyeonggi Province</a>'


def test_markdown_links_and_emphasis_become_inline_tags():
    text = ("---\ntitle: Links\nlang: en\n---\n\nSee [the provincial site](https://www.gg.go.kr/a.html?x=1&y=2) "
            "for **all** details. Visit *Ajou University Hospital* too.\n")
    article = parse_article(text.encode(), "links.md")
    assert article.blocks[0].text == ('See <a href="https://www.gg.go.kr/a.html?x=1&amp;y=2">the provincial site</a> '
                                      "for <strong>all</strong> details. Visit <em>Ajou University Hospital</em> too.")


def test_html_links_survive_and_nothing_active_does():
    page = ('<html><body><article><h1>Links</h1><p>Read <a href="https://www.gg.go.kr/" onclick="steal()">the '
            'notice</a> &amp; <a href="javascript:alert(1)">this</a> <script>x()</script>now.</p>'
            '<p>Second paragraph with enough words to be a real paragraph of the article.</p></article></body></html>')
    article = parse_article(page.encode(), "links.html", lang="en")
    assert article.blocks[0].text == 'Read <a href="https://www.gg.go.kr/">the notice</a> & <a>this</a> now.'


def test_sentence_splitting_does_not_break_inside_a_tag():
    assert split_sentences(f"Details: {LINK}. It opened in Nov. 2023.", "en") == [
        f"Details: {LINK}.", "It opened in Nov. 2023."]
    sentence = '자세한 내용은 <a href="https://www.gg.go.kr/a.html">경기도 누리집</a>을 보세요.'
    assert split_sentences(f"{sentence} 감사합니다.", "ko") == [sentence, "감사합니다."]


@pytest.mark.parametrize(("src", "tgt", "model", "source"), [
    ("en", "ko", "en_ko_model", f"The delegation visited {LINK} and <em>Ajou University Hospital</em> in November."),
    ("ko", "en", "ko_en_model",
     '대표단은 <a href="https://www.ajoumc.or.kr/">아주대학교병원</a>을 <b>11월 7일</b> 방문했다.'),
])
def test_tags_come_through_a_model_that_translates_nothing(src, tgt, model, source, request):
    translator = open_engine(str(request.getfixturevalue(model)), src, tgt, DecodingSettings(num_beams=1))
    drafts = [SegmentDraft(0, 0, source)]
    terminology = Terminology(read_glossary_file(NEWSLETTER_GLOSSARY)[0], src, tgt)
    translate_segments(drafts, translator, terminology=terminology)
    output = drafts[0].machine_text
    for tag in ("<a href=", "</a>", "<em>", "</em>", "<b>", "</b>"):
        assert output.count(tag) == source.count(tag), output
    href = source.split('"')[1]
    assert f'href="{href}"' in output  # the address is never translated
    assert not [f for f in check_pair(source, output, src, tgt) if f["id"] == "markup_mismatch"]
    assert all(h.get("type") != "markup" for h in drafts[0].terms)  # tags are not glossary hits
    if tgt == "ko":
        assert "아주대학교병원" in output


def test_links_render_as_links():
    block = type("B", (), {"kind": "paragraph", "level": 0, "text": f"Visit {LINK} & more."})()
    html = Renderer("https://news.example").article(lang="en", slug="s", title="T", blocks=[block], date=None,
                                                    author=None, note="", alternates=["en"])
    assert '<a href="https://www.gg.go.kr/news?id=1&amp;p=2" rel="noopener">Gyeonggi Province</a> &amp; more.' in html
