"""The translation engine on self-built models (no hub here)."""

from __future__ import annotations

import json

import pytest
from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

from gnews_i18n.config import load_settings
from gnews_i18n.mt import ModelNotAvailable, get_translator, resolve_model
from gnews_i18n.mt.transformers_backend import DecodingSettings, TransformersTranslator


def test_a_test_model_loads_like_any_hugging_face_model(en_ko_model):
    tokenizer = AutoTokenizer.from_pretrained(en_ko_model)
    model = AutoModelForSeq2SeqLM.from_pretrained(en_ko_model)
    ids = tokenizer("Ajou University Hospital", return_tensors="pt")
    assert ids["input_ids"][0, -1].item() == tokenizer.eos_token_id
    assert model.config.model_type == "marian"
    assert json.loads((en_ko_model / "gnews_test_model.json").read_text())["weights"] == "random"


def test_one_output_per_input_in_input_order(en_ko_model):
    translator = TransformersTranslator(str(en_ko_model), "en", "ko", DecodingSettings(num_beams=1,
                                                                                        max_batch_tokens=40))
    texts = ["Short.", "A much longer sentence about the delegation that visited three hospitals in Gyeonggi-do.",
             "Medium length sentence here.", "Ajou University Hospital."]
    batched = translator.translate(texts)
    one_by_one = [translator.translate([t])[0] for t in texts]
    assert [b.text for b in batched] == [o.text for o in one_by_one]  # sorting for batches is undone
    assert all(b.text for b in batched)
    assert batched[0].provenance["model"] == str(en_ko_model) and batched[0].provenance["num_beams"] == 1


def test_models_are_loaded_once_per_process(gnews_env):
    settings = load_settings()
    assert get_translator(settings, "en", "ko") is get_translator(load_settings(), "en", "ko")


def test_a_missing_direction_says_how_to_configure_it(gnews_env):
    with pytest.raises(ModelNotAvailable, match=r"GNEWS_MODEL_KO_RU.*models make-test"):
        resolve_model(load_settings(), "ko", "ru")


def test_an_unreachable_hub_id_says_what_to_do(gnews_env, monkeypatch):
    monkeypatch.setenv("GNEWS_MODEL_EN_RU", "Helsinki-NLP/opus-mt-en-ru")
    with pytest.raises(ModelNotAvailable, match=r"cannot load model 'Helsinki-NLP/opus-mt-en-ru'.*local directory"):
        get_translator(load_settings(), "en", "ru")
