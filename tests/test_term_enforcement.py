"""Terms come out in their approved form whatever the model does, with Korean particles agreeing."""

from __future__ import annotations

import pytest

from gnews_i18n.intake import parse_article
from gnews_i18n.mt import DecodingSettings, open_engine
from gnews_i18n.pipeline import segment_article, translate_segments
from gnews_i18n.terms import Terminology, read_glossary_file
from gnews_i18n.terms.enforce import protect, restore
from gnews_i18n.terms.glossary import Term
from gnews_i18n.terms.korean import agree, final_consonant
from gnews_i18n.terms.matcher import TermMatcher
from gnews_i18n.terms.names import find_names, romanize_name

from conftest import EN_SAMPLE, KO_SAMPLE, NEWSLETTER_GLOSSARY


@pytest.fixture(scope="module")
def glossary():
    return read_glossary_file(NEWSLETTER_GLOSSARY)[0]


@pytest.mark.parametrize(("word", "particle", "expected"), [
    ("아주대학교병원", "를", "을"), ("레보아이", "을", "를"), ("병원", "가", "이"), ("경기도", "이", "가"),
    ("병원", "는", "은"), ("타슈켄트주", "은", "는"), ("병원", "와", "과"), ("경기도", "과", "와"),
    ("원자", "아", "야"), ("병권", "야", "아"), ("서울", "으로", "로"), ("병원", "로", "으로"),
    ("경기도", "으로", "로"), ("병원", "예요", "이에요"), ("경기도", "이에요", "예요"), ("병원", "다", "이다"),
    ("레보아이", "이다", "다"), ("3", "를", "을"), ("2", "을", "를"), ("10", "가", "이"), ("7", "으로", "로"),
    ("GSAM", "를", "을"), ("SNUBH", "을", "를"), ("병원", "에서", "에서"),
])
def test_particle_agreement(word, particle, expected):
    assert agree(word, particle) == expected


def test_latin_terms_use_their_reading():
    assert final_consonant("Revo-i") is None  # a Latin word: unknown without a reading
    assert agree("Revo-i", "을", reading="레보아이") == "를"
    assert agree("Revo-i", "을") == "을"  # unknown: left as the model wrote it


def _through(glossary, src, tgt, source, model_output):
    """Protect, let a fake 'model' produce ``model_output`` (a format string over the tokens), restore."""
    terminology = Terminology(glossary, src, tgt)
    prepared = terminology.prepare(source)
    tokens = [slot.token for slot in prepared.protected.slots]
    return terminology.finish(model_output.format(*tokens), prepared)


def test_placed_terms_get_agreeing_particles(glossary):
    text, hits, flags = _through(glossary, "en", "ko", "They visited Ajou University Hospital and Revo-i.",
                                 "그들은 {0}를 방문하고 {1}을 보았다.")
    assert text == "그들은 아주대학교병원을 방문하고 레보아이를 보았다."
    assert [h["placed"] for h in hits] == ["model", "model"] and flags == []


def test_english_articles_stay_well_formed(glossary):
    text, _, _ = _through(glossary, "ko", "en", "아주대학교병원과 가톨릭대학교 부천성모병원을 방문했다.",
                          "They visited a {0} and the {1}.")
    assert text == "They visited an Ajou University Hospital and The Catholic University of Korea Bucheon St. " \
                   "Mary's Hospital." or text.startswith("They visited an Ajou University Hospital and the")
    assert "the The" not in text and "a Ajou" not in text


def test_english_possessives_stay_attached(glossary):
    text, _, _ = _through(glossary, "ko", "en", "경기도의 정책을 발표했다.", "It announced {0} 's policy.")
    assert text == "It announced Gyeonggi-do's policy."


def test_a_dropped_term_is_inserted_and_flagged_never_lost(glossary):
    text, hits, flags = _through(glossary, "ko", "en", "분당서울대학교병원을 방문했다.", "They visited the hospital.")
    assert "Seoul National University Bundang Hospital" in text
    assert hits[0]["placed"] == "inserted"
    assert [f["id"] for f in flags] == ["term_inserted"]


def test_forbidden_variants_in_the_output_are_flagged(glossary):
    _, _, flags = _through(glossary, "ko", "en", "오병권 부지사가 말했다.", "{0} and Oh Byung-kwon said.")
    assert any(f["id"] == "term_forbidden" and "Oh Byung-kwon" in f["message"] for f in flags)


def test_repeated_and_invented_placeholders_leave_no_trace(glossary):
    text, _, _ = _through(glossary, "en", "ko", "Tashkent is far.", "{0} {0} TRM99 멀다.")
    assert text == "타슈켄트 멀다."


def test_names_not_in_the_glossary_get_a_suggestion():
    assert romanize_name("엄원자") == "Eom Won-ja"
    assert romanize_name("오병권") == "Oh Byeong-gwon"
    assert romanize_name("김동연") == "Kim Dong-yeon"
    assert romanize_name("박서연") == "Park Seo-yeon"
    text = "조이르 미르자예프 주지사가 왔다. 홍길동 경기도 보건국장은 말했다. 이순신씨는 왔다. 경기도 보건국장이 왔다."
    assert [(n.hangul, n.suggestion) for n in find_names(text)] == [
        ("홍길동", "Hong Gil-dong"), ("이순신", "Lee Sun-sin")]


def test_suggested_names_are_flagged_and_carried_into_english():
    terminology = Terminology(read_glossary_file(NEWSLETTER_GLOSSARY)[0], "ko", "en")
    prepared = terminology.prepare("홍길동 경기도 보건국장은 아주대학교병원을 방문했다.")
    text, hits, flags = terminology.finish("Director {} of {} visited {}.".format(
        *[s.token for s in prepared.protected.slots]), prepared)
    assert text == "Director Hong Gil-dong of Gyeonggi-do visited Ajou University Hospital."
    assert [f["id"] for f in flags] == ["name_suggested"] and flags[0]["suggestion"] == "Hong Gil-dong"


@pytest.mark.parametrize(("sample", "src", "tgt", "model"), [
    (EN_SAMPLE, "en", "ko", "en_ko_model"), (KO_SAMPLE, "ko", "en", "ko_en_model")])
def test_a_random_weights_model_still_gets_every_term_right(glossary, sample, src, tgt, model, request):
    """The seed article through a model that translates nothing: 100% of matched terms present
    (after its first mention, a term may be in the later form the style file gives it)."""
    from gnews_i18n.terms.style import load_style

    translator = open_engine(str(request.getfixturevalue(model)), src, tgt, DecodingSettings(num_beams=1))
    article = parse_article(sample.read_bytes(), sample.name)
    drafts = segment_article(article.title, article.blocks, src)
    terminology = Terminology(glossary, src, tgt)
    translate_segments(drafts, translator, terminology=terminology)
    expected = 0
    for draft in drafts:
        matches = terminology.matcher.find(draft.source_text)
        expected += len(matches)
        for match in matches:
            term, full = match.term, match.term.form(tgt)
            later = load_style(tgt).concept(full, term.abbreviations.get(tgt, ""), term.short_forms.get(tgt, ""), False)
            assert full in draft.machine_text or later in draft.machine_text, (draft.source_text, draft.machine_text)
        assert not [f for f in draft.flags if f["id"] == "term_missing"]
        assert len([h for h in draft.terms if h["note"] != "suggested name"]) == len(matches)
    assert expected >= 40


def test_particles_agree_after_insertion_into_korean(glossary):
    matcher = TermMatcher([Term({"ko": "서울", "en": "Seoul"}, "place")], "en")
    source = "He went to Seoul."
    protected = protect(source, matcher.find(source), seed=3)
    token = protected.slots[0].token
    text, _, _ = restore(f"그는 {token}으로 갔다.", protected, "ko")
    assert text == "그는 서울로 갔다."


@pytest.mark.parametrize("mangled", ["{0} TRMM779 회의를 열었다.", "{0} RTM 회의를 열었다.",
                                     "{0} TRM496은 회의를 열었다.", "{0} T RM 4 회의를 열었다.",
                                     "TRM 회의를 {0} 열었다."])
def test_mangled_placeholders_never_reach_a_draft_and_their_digits_are_not_numbers(glossary, mangled):
    from gnews_i18n.qa import check_pair

    source = "Ajou University Hospital held a meeting."
    text, _, flags = _through(glossary, "en", "ko", source, mangled)
    assert "TRM" not in text and "RTM" not in text and not any(ch.isdigit() for ch in text), text
    assert "아주대학교병원" in text
    assert any(f["id"] == "placeholder_removed" for f in flags)
    assert not [f for f in check_pair(source, text, "en", "ko") if f["id"] == "number_added"]


def test_a_placeholder_name_the_model_misspelled_still_marks_where_the_term_goes(glossary):
    terminology = Terminology(glossary, "ko", "en")
    prepared = terminology.prepare("아주대학교병원을 방문했다.")
    token = prepared.protected.slots[0].token
    assert token.isalpha() and not any(ch.isdigit() for ch in prepared.text)  # spelled like a name
    mangled = token[:2] + token[3:]  # one letter lost
    text, hits, flags = terminology.finish(f"They visited {mangled} on Tuesday.", prepared)
    assert text == "They visited Ajou University Hospital on Tuesday."
    assert hits[0]["placed"] == "model" and not flags


def test_a_korean_particle_in_the_source_agrees_with_the_placeholder_name(glossary):
    prepared = Terminology(glossary, "ko", "en").prepare("아주대학교병원을 방문했다.")
    slot = prepared.protected.slots[0]
    assert prepared.text == f"{slot.token}{agree(slot.token, '을', slot.reading)} 방문했다."


def test_a_lost_term_is_never_put_after_the_end_of_the_sentence(glossary):
    text, hits, _ = _through(glossary, "ko", "en", "그는 회의에서 아주대학교병원을 칭찬했다.",
                             "He praised it at the meeting.")
    assert not text.endswith("Hospital.") and text.endswith(".")
    assert hits[0]["placed"] == "inserted"


@pytest.mark.parametrize("how", ["option", "env"])
def test_a_glossary_given_for_the_run_wins_over_the_packaged_one(gnews_env, tmp_path, how):
    """The packaged glossary lists 고대안산병원 as a variant; the run's own glossary gives it another form."""
    import json

    from conftest import run_cli

    own = tmp_path / "own.csv"
    own.write_text("type,ko,en\ninstitution,고대안산병원,Korea Univ. Ansan Hospital\n", encoding="utf-8")
    env = dict(gnews_env)
    args = ["translate", "--src", "ko", "--tgt", "en", "--json"]
    if how == "option":
        args += ["--glossary", str(own)]
    else:
        env["GNEWS_GLOSSARIES"] = f"{NEWSLETTER_GLOSSARY}:{own}"
    result = run_cli(env, *args, input="고대안산병원을 방문했다.\n")
    assert result.returncode == 0, result.stderr
    line = json.loads(result.stdout.splitlines()[0])
    assert "Korea Univ. Ansan Hospital" in line["text"] and "Korea University Ansan" not in line["text"]


def test_an_inserted_term_keeps_its_approved_spelling_even_first_in_the_sentence():
    glossary = read_glossary_file(NEWSLETTER_GLOSSARY)[0]
    terminology = Terminology(glossary, "ko", "en")
    source = "해외 의료인 연수 사업을 방문했다."
    prepared = terminology.prepare(source)
    form = prepared.protected.slots[0].match.term.form("en")
    text, hits, _ = terminology.finish("Me sverar G A pur health.", prepared)
    assert form in text and hits[0]["placed"] == "inserted", text
