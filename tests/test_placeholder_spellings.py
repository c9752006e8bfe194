"""A model's own writing of a placeholder name is found like a copy (issue 31): the name in
Hangul in a Korean source, a Hangul rendering that keeps its start, a name-shaped leftover."""

from __future__ import annotations

from gnews_i18n.terms import Terminology
from gnews_i18n.terms.glossary import Glossary, Term
from gnews_i18n.terms.placeholders import Placeholder, leftover_names, transliterated

GLOSSARY = Glossary([Term({"ko": "목포의료원", "en": "Mokpo Medical Center"}, "institution"),
                     Term({"ko": "모자보건 지원 사업", "en": "Maternal Health Support Program"}, "program")])


def test_a_korean_source_can_carry_the_name_in_hangul_with_its_particle_agreeing():
    terminology = Terminology(GLOSSARY, "ko", "en", style="reading")
    prepared = terminology.prepare("목포의료원은 모자보건 지원 사업을 시작한다.")
    slots = prepared.protected.slots
    assert [s.token for s in slots] == [s.reading for s in slots]  # Hangul in the source
    assert all(s.name.isascii() and s.name[0].isupper() for s in slots)  # Latin names looked for in the output
    assert slots[0].token + "는" in prepared.text and slots[1].token + "를" in prepared.text  # 는/를 after a vowel
    # a model that romanizes the Hangul name writes the Latin spelling: both terms go there
    output = f"{slots[0].name} will start the {slots[1].name}."
    text, hits, _ = terminology.finish(output, prepared)
    assert text == "Mokpo Medical Center will start the Maternal Health Support Program."
    assert [h["placed"] for h in hits] == ["model", "model"]


def test_a_hangul_rendering_that_keeps_the_start_of_the_reading_is_taken_for_it():
    name = Placeholder("Ritogu", "리토구")
    found = transliterated("하주조는 목요일 파모에서 리코 설명회를 개최했다.", name, known="")
    assert found and "하주조는 목요일 파모에서 리코 설명회를 개최했다."[slice(*found[0][1])] == "리코"
    close = transliterated("리토는 환자를 치료했다.", name, known="")
    assert close[0][0] > found[0][0]  # likeness ranks a closer rendering first


def test_korean_words_of_the_sentence_are_not_taken_for_a_transliterated_name():
    for reading, text in [("사토네", "올해 사업에 7억 원을 투입한다."), ("모루조", "목요일 병원을 방문했다."),
                          ("하미구", "환자 34명을 치료했다.")]:
        assert transliterated(text, Placeholder("X", reading), known="") == [], (reading, text)


def test_name_shaped_leftovers_are_found_but_not_english_words_or_known_ones():
    text = "To start, Lufi will invest 700 million won in the To with Hoju and Thursday."
    spans = [text[a:b] for a, b in leftover_names(text, known="Hoju", taken=[])]
    assert spans == ["Lufi", "To"]  # the sentence's opening To, Hoju (known), Thursday are not


def test_lost_placeholders_are_paired_in_order_with_as_many_leftover_name_shaped_words():
    terminology = Terminology(GLOSSARY, "ko", "en", style="reading")
    prepared = terminology.prepare("목포의료원은 모자보건 지원 사업에 7억 원을 투입한다.")
    first, second = prepared.protected.slots
    assert not {first.name[0], second.name[0]} & {"W", "Y"}
    # nothing like either name: only their shape and number say they are what is left of them
    output = "Wube will invest 700 million won in the Yoxe this year."
    text, hits, _ = terminology.finish(output, prepared)
    assert text == "Mokpo Medical Center will invest 700 million won in the Maternal Health Support Program this year."
    assert [h["placed"] for h in hits] == ["model", "model"]


def test_leftovers_are_not_paired_when_there_are_more_of_them_than_lost_placeholders():
    terminology = Terminology(GLOSSARY, "ko", "en", style="reading")
    prepared = terminology.prepare("목포의료원은 모자보건 지원 사업에 7억 원을 투입한다.")
    text, hits, _ = terminology.finish("Wube and Yoxe will invest 700 million won in the Tebe this year.", prepared)
    assert "placed" in hits[0] and all(h["placed"] == "inserted" for h in hits)


def test_a_copy_the_model_looped_on_is_replaced_whole_not_left_behind():
    # what the tiny copying model wrote for "Kofina 보건부 대표단은 Pamogu와 Kajugu를 차례로 방문했다."
    glossary = Glossary([Term({"ko": "캄보디아", "en": "Cambodia"}, "place"),
                         Term({"ko": "창원시립병원", "en": "Changwon City Hospital"}, "institution"),
                         Term({"ko": "청주", "en": "Cheongju"}, "place")])
    terminology = Terminology(glossary, "ko", "en", style="name")
    prepared = terminology.prepare("캄보디아 보건부 대표단은 창원시립병원과 청주를 차례로 방문했다.")
    names = [s.token for s in prepared.protected.slots]
    output = (f"The delegation of the {names[0][:4]} health ministry visited {names[1][:2]}{names[2][2:4]} and "
              f"{names[1]}mogugumi-do in turn.")
    text, hits, _ = terminology.finish(output, prepared)
    assert names[1] not in text and "mogu" not in text, text
    assert all(h["placed"] == "model" for h in hits), hits
