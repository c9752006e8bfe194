"""The translation engine on self-built models (no hub here): Marian and M2M100, both backends."""

from __future__ import annotations

import json

import pytest
from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

from gnews_i18n.config import load_settings
from gnews_i18n.devmodels.testmodel import build_test_m2m100
from gnews_i18n.mt import DecodingSettings, ModelNotAvailable, get_translator, open_engine
from gnews_i18n.mt.ct2_backend import convert
from gnews_i18n.mt.engine import Engine
from gnews_i18n.mt.split import split_long
from gnews_i18n.qa.guards import problems, repeated_ngram


@pytest.fixture(scope="module")
def m2m100_model(tmp_path_factory):
    return build_test_m2m100(tmp_path_factory.mktemp("m2m") / "m2m100")


@pytest.fixture(scope="module")
def converted_marian(tmp_path_factory, en_ko_model):
    import shutil

    copy = tmp_path_factory.mktemp("ct2") / "en-ko"
    shutil.copytree(en_ko_model, copy)
    convert(copy, quantization=None)  # float32: the same numbers as transformers
    return copy


def test_a_test_model_loads_like_any_hugging_face_model(en_ko_model):
    tokenizer = AutoTokenizer.from_pretrained(en_ko_model)
    model = AutoModelForSeq2SeqLM.from_pretrained(en_ko_model)
    ids = tokenizer("Ajou University Hospital", return_tensors="pt")
    assert ids["input_ids"][0, -1].item() == tokenizer.eos_token_id
    assert model.config.model_type == "marian"
    assert json.loads((en_ko_model / "gnews_test_model.json").read_text())["weights"] == "random"


TEXTS = ["Short.", "A much longer sentence about the delegation that visited three hospitals in Gyeonggi-do.",
         "Medium length sentence here.", "Ajou University Hospital."]


def test_one_output_per_input_in_input_order(en_ko_model):
    engine = open_engine(str(en_ko_model), "en", "ko", DecodingSettings(num_beams=1, max_batch_tokens=40))
    batched = engine.translate(TEXTS)
    one_by_one = [engine.translate([t])[0] for t in TEXTS]
    assert [b.text for b in batched] == [o.text for o in one_by_one]  # sorting for batches is undone
    assert all(b.text for b in batched)
    provenance = batched[0].provenance
    assert provenance["model"] == str(en_ko_model) and provenance["backend"] == "transformers"
    assert provenance["num_beams"] == 1 and provenance["seconds"] >= 0


def test_m2m100_language_codes(m2m100_model):
    engine = open_engine(str(m2m100_model), "ko", "ru", DecodingSettings(num_beams=1), backend="transformers")
    backend = engine.backend
    assert backend.family.name == "m2m100"
    assert backend.tokenizer.convert_ids_to_tokens(backend.encode("병원")[0]) == "__ko__"  # source code first
    assert backend.tokenizer.convert_ids_to_tokens(backend.forced_bos) == "__ru__"
    outputs = engine.translate(["분당서울대학교병원을 방문했다.", "경기도"])
    assert len(outputs) == 2 and not any("__" in o.text for o in outputs)  # codes never leak into text


def test_the_fast_backend_is_used_when_a_conversion_exists(converted_marian, en_ko_model):
    fast = open_engine(str(converted_marian), "en", "ko", DecodingSettings(num_beams=2))
    slow = open_engine(str(en_ko_model), "en", "ko", DecodingSettings(num_beams=2))
    assert fast.backend.name == "ctranslate2" and slow.backend.name == "transformers"
    fast_out = fast.translate(TEXTS)
    assert [o.provenance["backend"] for o in fast_out] == ["ctranslate2"] * 4 and all(o.text for o in fast_out)
    # The same weights decode the same way: the first tokens agree. (Later ones may not: a
    # random model's logits are nearly flat, so the runtimes' rounding flips near-ties.)
    greedy = DecodingSettings(num_beams=1)
    for text in TEXTS:
        ids = [fast.backend.encode(text)]
        assert ids == [slow.backend.encode(text)]
        fast_ids = fast.backend.generate(ids, greedy)[0]
        slow_ids = [i for i in slow.backend.generate(ids, greedy)[0] if i != slow.backend.tokenizer.pad_token_id]
        assert fast_ids[:4] == slow_ids[:4], (fast_ids, slow_ids)


def test_m2m100_on_the_fast_backend(m2m100_model, tmp_path):
    import shutil

    copy = tmp_path / "m2m"
    shutil.copytree(m2m100_model, copy)
    convert(copy)
    engine = open_engine(str(copy), "en", "uz", DecodingSettings(num_beams=2))
    assert engine.backend.name == "ctranslate2" and engine.backend.prefix == "__uz__"
    assert len(engine.translate(["The delegation visited Tashkent."])) == 1


def test_long_sentences_are_split_not_cut(en_ko_model):
    engine = open_engine(str(en_ko_model), "en", "ko", DecodingSettings(num_beams=1))
    engine.max_source_tokens = 24
    clauses = [f"the delegation visited hospital number {n} in the province" for n in range(12)]
    sentence = ", ".join(clauses) + "."
    pieces = split_long(sentence, lambda t: len(engine.backend.encode(t)), 24)
    assert len(pieces) > 1 and " ".join(pieces).replace(" ", "") == sentence.replace(" ", "")  # nothing lost
    assert all(len(engine.backend.encode(p)) <= 24 for p in pieces)
    output = engine.translate([sentence, "Short."])
    assert output[0].provenance["pieces"] == len(pieces) and output[0].text and output[1].text


def test_guards_see_loops_and_bad_lengths():
    assert repeated_ngram("the plan the plan the plan was made") == "the plan"
    assert repeated_ngram("끝끝끝끝끝끝끝끝끝") is not None
    assert repeated_ngram("The delegation visited three hospitals in Gyeonggi-do.") is None
    assert problems("A fairly long English sentence about hospitals.", "", "en", "ko") == ["empty output"]
    assert any("ratio" in p for p in problems("A fairly long English sentence about hospitals.", "병", "en", "ko"))
    assert problems("대표단은 병원을 방문했다.", "The delegation visited the hospital.", "ko", "en") == []


class LoopingBackend:
    """A model that loops on first try and behaves once asked not to repeat n-grams."""

    name = "fake"

    def encode(self, text):
        return [ord(c) for c in text]

    def decode(self, ids):
        return "".join(map(chr, ids))

    def generate(self, batch, decoding):
        if decoding.no_repeat_ngram_size:
            return [[ord(c) for c in "a fine sentence of output here"] for _ in batch]
        return [[ord(c) for c in "loop loop loop loop loop loop loop loop"] for _ in batch]


class HopelessBackend(LoopingBackend):
    def generate(self, batch, decoding):
        return [[] for _ in batch]


def test_a_looping_output_is_retried_with_other_settings():
    engine = Engine(LoopingBackend(), "en", "en", "fake", DecodingSettings(num_beams=1))
    result = engine.translate(["a source sentence of normal length"])[0]
    assert result.text == "a fine sentence of output here" and result.flags == []
    assert "repeats" in result.provenance["retried"]["reasons"][0]
    assert result.provenance["retried"]["no_repeat_ngram_size"] == 3


def test_guards_read_what_the_caller_makes_of_the_output():
    """A loop the caller repairs (a mangled placeholder put back as the term) costs no second decoding;
    one it keeps is retried as before."""
    engine = Engine(LoopingBackend(), "en", "en", "fake", DecodingSettings(num_beams=1))
    seen = []

    def repaired(index, output):
        seen.append((index, output))
        return "a fine sentence with its term in place"

    result = engine.translate(["a source sentence of normal length"], judge=repaired)[0]
    assert "retried" not in result.provenance and result.text.startswith("loop") and seen == [(0, result.text)]
    kept = engine.translate(["a source sentence of normal length"], judge=lambda index, output: output)[0]
    assert kept.text == "a fine sentence of output here" and "repeats" in kept.provenance["retried"]["reasons"][0]


def test_the_loop_guard_counts_whole_words_and_units():
    assert repeated_ngram("x the plan the plan the plan") == "the plan"
    assert repeated_ngram("a a a b") is None and repeated_ngram("a a a a b") == "a"
    assert repeated_ngram("the plan the plan the planet") is None
    assert repeated_ngram("Homomomomomi") == "om" and repeated_ngram("92222명") == "2"
    assert repeated_ngram("Kozo said the visit was a result of the project.") is None


def test_a_hopeless_output_is_flagged_never_silent():
    engine = Engine(HopelessBackend(), "en", "ko", "fake", DecodingSettings(num_beams=1))
    result = engine.translate(["a source sentence of normal length"])[0]
    assert result.text == ""
    assert [f["id"] for f in result.flags] == ["mt_suspect"] and "empty output" in result.flags[0]["message"]


def test_pivot_through_english_is_recorded(gnews_env, monkeypatch, m2m100_model):
    monkeypatch.setenv("GNEWS_MODEL_EN_UZ", str(m2m100_model))
    translator = get_translator(load_settings(), "ko", "uz")  # the registry says ko-uz goes through en
    assert translator.model_id.endswith(str(m2m100_model))
    result = translator.translate(["분당서울대학교병원을 방문했다."])[0]
    assert result.provenance["pivot"] == "en" and "pivot_text" in result.provenance
    assert result.provenance["first_leg"]["model"] == gnews_env["GNEWS_MODEL_KO_EN"]


def test_models_are_loaded_once_per_process(gnews_env):
    settings = load_settings()
    assert get_translator(settings, "en", "ko") is get_translator(load_settings(), "en", "ko")


def test_a_direction_nothing_serves_says_how_to_configure_it(gnews_env):
    with pytest.raises(ModelNotAvailable, match=r"GNEWS_MODEL_KO_XX.*models make-test"):
        get_translator(load_settings(), "ko", "xx")


def test_an_unreachable_hub_id_says_what_to_do(gnews_env, monkeypatch):
    monkeypatch.setenv("GNEWS_MODEL_EN_RU", "Helsinki-NLP/opus-mt-en-ru")
    expected = r"model 'Helsinki-NLP/opus-mt-en-ru' is not on this machine.*local model directory.*models make-test"
    with pytest.raises(ModelNotAvailable, match=expected):
        get_translator(load_settings(), "en", "ru")


def test_an_operator_can_turn_the_retry_off(gnews_env, monkeypatch):
    translator = get_translator(load_settings(), "ko", "en")  # the tests' environment: off
    assert translator.retry is False
    monkeypatch.delenv("GNEWS_MT_RETRY")
    translator = get_translator(load_settings(), "ko", "en")
    assert translator.retry is True
    result = translator.translate(["경기도는 화요일 설명회를 열었다."])[0]
    # a random-weights model's output looks wrong: decoded again, and flagged when still wrong
    assert "retried" in result.provenance or not any(f["id"] == "mt_suspect" for f in result.flags)
