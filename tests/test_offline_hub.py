"""No model hub here: a missing model fails at once with advice that works, and unknown languages are named."""

from __future__ import annotations

import time

import pytest
from typer.testing import CliRunner

from gnews_i18n.cli import app
from gnews_i18n.devmodels.testmodel import corpus_lines
from gnews_i18n.languages import EDITION_LANGUAGES


@pytest.fixture
def env(tmp_path, monkeypatch):
    for key in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_ENDPOINT"):
        monkeypatch.delenv(key, raising=False)
    return {"GNEWS_DATA_DIR": str(tmp_path / "var"), "GNEWS_GLOSSARIES": "",
            "GNEWS_MODEL_EN_KO": "no-such-org/no-such-model"}


@pytest.mark.parametrize("network", [{"HF_HUB_OFFLINE": "1"}, {"HF_ENDPOINT": "http://127.0.0.1:9"}],
                         ids=["HF_HUB_OFFLINE", "hub unreachable"])
def test_a_missing_hub_model_fails_at_once_with_working_advice(env, tmp_path, network):
    started = time.monotonic()
    result = CliRunner().invoke(app, ["translate", "--src", "en", "--tgt", "ko"], input="Hello.\n",
                                env={**env, **network})
    elapsed = time.monotonic() - started
    assert result.exit_code == 1 and elapsed < 10, (elapsed, result.output)
    assert "'no-such-org/no-such-model' is not on this machine" in result.output
    # the advice names a command that places a model where the desk looks for it
    assert f"gnews-i18n models make-test {tmp_path / 'var' / 'models' / 'en-ko'} --src en --tgt ko" in result.output
    assert "Traceback" not in result.output and result.output.count("\n") < 6


def test_every_edition_language_has_text_for_a_test_tokenizer():
    for lang in EDITION_LANGUAGES:  # `models make-test … --tgt ja` needs no --corpus
        assert len(corpus_lines(lang)) >= 4, lang  # no ValueError asking for --corpus


@pytest.mark.parametrize("args", [["translate", "--src", "en", "--tgt", "kr"], ["qa", "--src", "en", "--tgt", "kr"],
                                  ["models", "make-test", "x", "--src", "en", "--tgt", "kr"]])
def test_unknown_languages_are_named(env, args):
    result = CliRunner().invoke(app, args, input="", env=env)
    assert result.exit_code == 1 and "unknown language kr (--tgt)" in result.output, result.output
