"""Finding glossary terms in English and Korean source text."""

from __future__ import annotations

import pytest

from gnews_i18n.terms import read_glossary_file
from gnews_i18n.terms.glossary import Term
from gnews_i18n.terms.matcher import TermMatcher

from conftest import NEWSLETTER_GLOSSARY


@pytest.fixture(scope="module")
def glossary():
    return read_glossary_file(NEWSLETTER_GLOSSARY)[0]


def found(glossary, lang: str, text: str) -> list[tuple[str, str]]:
    return [(m.term.key, text[m.start:m.end]) for m in TermMatcher(glossary.terms, lang).find(text)]


@pytest.mark.parametrize(("text", "surface"), [
    ("visited Gyeonggi-do today", "Gyeonggi-do"),
    ("visited Gyeonggi Do today", "Gyeonggi Do"),
    ("visited Gyeonggi Province today", "Gyeonggi Province"),
    ("visited GYEONGGI-DO today", "GYEONGGI-DO"),
    ("Gyeonggi Province's plan", "Gyeonggi Province"),
    ("Gyeonggi Province’s plan", "Gyeonggi Province"),
])
def test_english_variants_of_one_term(glossary, text, surface):
    assert found(glossary, "en", text) == [("gyeonggi-do", surface)]


def test_english_apostrophes_possessives_and_a_leading_the(glossary):
    text = "staff of the Catholic University of Korea Bucheon ST. Mary’s Hospital's new wing"
    matches = TermMatcher(glossary.terms, "en").find(text)
    assert [(m.term.key, m.possessive) for m in matches] == [("cuk-bucheon-st-marys", "'s")]
    assert text[matches[0].start:matches[0].end].startswith("the Catholic")  # "the" goes with the term


def test_english_terms_do_not_match_inside_words(glossary):
    assert found(glossary, "en", "Tashkentian Koreanists and Suwonese") == []


def test_leftmost_longest(glossary):
    text = "Oh Byeong-gwon, the First Vice Governor of Gyeonggi Province, said"
    assert [key for key, _ in found(glossary, "en", text)] == [
        "oh-byeong-gwon", "first-vice-governor", "gyeonggi-do"]


@pytest.mark.parametrize(("text", "key", "particle"), [
    ("분당서울대학교병원을 방문했다", "snubh", "을"),
    ("아주대학교병원에서 열렸다", "ajou-hospital", "에서"),
    ("경기도의 정책", "gyeonggi-do", "의"),
    ("타슈켄트주는 넓다", "tashkent-region", "는"),
    ("경기도에서는 처음이다", "gyeonggi-do", "에서는"),
    ("분당서울대병원과 협력", "snubh", "과"),
    ("레보아이를 개발했다", "revo-i", "를"),
    ("고려대학교안산병원이 참여", "korea-univ-ansan", "이"),
    ("고려대학교 안산병원이 참여", "korea-univ-ansan", "이"),
])
def test_korean_terms_with_particles_and_spacing(glossary, text, key, particle):
    matches = TermMatcher(glossary.terms, "ko").find(text)
    assert [(m.term.key, m.particle) for m in matches] == [(key, particle)]


def test_no_korean_match_inside_a_longer_word():
    terms = [Term({"ko": "서울", "en": "Seoul"}, "place"),
             Term({"ko": "분당서울대학교병원", "en": "Seoul National University Bundang Hospital"}, "institution")]
    matcher = TermMatcher(terms, "ko")
    assert [m.term.forms["en"] for m in matcher.find("분당서울대학교병원을 찾았다")] == [
        "Seoul National University Bundang Hospital"]
    assert matcher.find("서울대학교에 갔다") == []  # 서울 + 대학교 is not a particle
    assert matcher.find("서울시 공무원") == []
    assert [m.particle for m in matcher.find("서울로 갔다")] == ["로"]


def test_case_sensitive_entries_match_only_their_case():
    term = Term({"ko": "지샘", "en": "GSAM"}, "institution", case_sensitive=True)
    matcher = TermMatcher([term], "en")
    assert len(matcher.find("GSAM opened")) == 1 and matcher.find("gsam opened") == []


def test_the_sample_articles_terms_are_found(glossary):
    from conftest import EN_SAMPLE, KO_SAMPLE

    english = {key for key, _ in found(glossary, "en", EN_SAMPLE.read_text())}
    korean = {key for key, _ in found(glossary, "ko", KO_SAMPLE.read_text())}
    for key in ("snubh", "ajou-hospital", "korea-univ-ansan", "cuk-bucheon-st-marys", "gyeonggi-do", "tashkent",
                "revo-i", "eom-won-ja", "oh-byeong-gwon", "kim-dong-yeon", "first-vice-governor", "ghma",
                "wiltse", "gsam", "shihwa", "bundang-jesaeng", "meere", "zoyir-mirzayev", "ramada-suwon"):
        assert key in korean, key
        assert key in english, key
