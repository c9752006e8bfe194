"""The trained test model's corpus and placeholders: what the terminology benchmarks rely on."""

from __future__ import annotations

import random
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from gnews_i18n.devmodels.corpus import TRAIN, UNSEEN, make_corpus
from gnews_i18n.terms.korean import PARTICLE_RUN_RE, agree_run
from gnews_i18n.terms.placeholders import Placeholder, find_all, made_up_names

from conftest import run_cli


def test_the_benchmark_terms_never_appear_in_training():
    for kind in ("inst", "place", "country", "person", "prog"):
        seen = {f.ko for f in getattr(TRAIN, kind)} | {f.en for f in getattr(TRAIN, kind)}
        unseen = {f.ko for f in getattr(UNSEEN, kind)} | {f.en for f in getattr(UNSEEN, kind)}
        assert unseen and not seen & unseen, kind
    corpus = "\n".join(p.ko + "\n" + p.en for p in make_corpus(3000, 7))
    assert not [f.ko for f in UNSEEN.inst + UNSEEN.person + UNSEEN.prog if f.ko in corpus]


def test_korean_particles_agree_with_every_filler_latin_ones_included():
    checked = latin = 0
    for pair in make_corpus(400, 3):
        for _, filler in pair.slots:
            at = pair.ko.find(filler.ko)
            run = PARTICLE_RUN_RE.match(pair.ko[at + len(filler.ko):])
            if run:
                checked += 1
                latin += bool(filler.reading)
                assert agree_run(filler.ko, run.group(), filler.reading or None) == run.group(), pair.ko
    assert checked > 300 and latin > 20


def test_latin_fillers_are_copied_as_written():
    pairs = [p for p in make_corpus(400, 5) if any(f.reading for _, f in p.slots)]
    assert pairs
    for pair in pairs:
        for _, filler in pair.slots:
            if filler.reading:
                assert filler.en in pair.ko and filler.en in pair.en


def test_placeholder_names_have_no_digits_no_repeats_and_distinct_starts():
    names = made_up_names(12, random.Random(1), avoid="Kavimo went home")
    assert len({n.text for n in names}) == 12 and len({n.text[:2] for n in names}) == 12
    for name in names:
        assert re.fullmatch(r"[A-Z][a-z]+", name.text) and name.reading
        syllables = re.findall(r"[^aeiou]*[aeiou]", name.text.lower())
        assert len(set(syllables)) == len(syllables) == 3


def test_make_test_trained_refuses_other_directions(gnews_env, tmp_path):
    result = run_cli(gnews_env, "models", "make-test", str(tmp_path / "m"), "--src", "ko", "--tgt", "ru", "--trained")
    assert result.returncode == 1 and "ko→en or en→ko" in result.stderr


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Kavimo", "kavimo", "KA VI MO", "Ka vimo", "Kavimos", "aKavimo", "카비모", "카비모를",
                                 "아카비모", "İ", " ", ", ", "the", "병원"]), max_size=8))
def test_finding_a_placeholder_without_a_pattern_per_name_finds_what_the_pattern_finds(parts):
    # find_all looks for the exact copy with str.find (compiling a pattern per placeholder cost
    # ~0.4 ms a sentence, more than this model's decoding); the pattern is the reference
    text, placeholder = "".join(parts), Placeholder("Kavimo", "카비모")
    spelled = [(m.start(), m.end()) for m in re.finditer(r"(?<![A-Za-z])K\s?a\s?v\s?i\s?m\s?o(?![A-Za-z])", text, re.I)]
    read = [(m.start(), m.end()) for m in re.finditer(r"(?<![\uac00-\ud7a3])카비모", text)]
    assert find_all(text, placeholder) == (spelled or read)


def test_a_transliterating_corpus_writes_foreign_names_in_hangul_on_the_korean_side():
    copied = make_corpus(400, 5)
    transliterated = make_corpus(400, 5, names="transliterated")
    assert any(re.search("[A-Za-z]", p.ko) for p in copied)
    assert not any(re.search("[A-Za-z]", p.ko) for p in transliterated)
    foreign = 0
    for pair in transliterated:
        for _, filler in pair.slots:
            if re.fullmatch("[\uac00-\ud7a3]+", filler.ko) and re.fullmatch("[A-Z][a-z]+", filler.en):
                foreign += filler.en not in {f.en for f in TRAIN.place + TRAIN.country}
                assert filler.ko in pair.ko and filler.en in pair.en
    assert foreign > 50


def test_make_test_trained_refuses_an_unknown_names_knob(gnews_env, tmp_path):
    result = run_cli(gnews_env, "models", "make-test", str(tmp_path / "m"), "--src", "ko", "--tgt", "en", "--trained",
                     "--names", "translated")
    assert result.returncode == 1 and "transliterated" in result.stderr
