"""Cross-attention read as a word alignment, and the terms it places (issue 17)."""

from __future__ import annotations

import pytest

from gnews_i18n.mt import DecodingSettings, open_engine
from gnews_i18n.mt.alignment import Alignment, links_from, piece_spans
from gnews_i18n.terms import Terminology
from gnews_i18n.terms.glossary import Glossary, Term


def test_pieces_map_to_characters_unknown_pieces_cover_their_gap():
    text = "전라남도는 화요일 윌스기념병원에서 설명회를"
    pieces = ["▁전라남도", "는", "▁화요일", "▁", "<unk>", "병원", "에서", "▁설명회를", "</s>"]
    spans = piece_spans(text, pieces, {"</s>"})
    assert [text[span[0]:span[1]] if span else None for span in spans] == \
        ["전라남도", "는", "화요일", None, "윌스기념", "병원", "에서", "설명회를", None]


def _alignment(source: str, output: str, source_words: list[str], output_words: list[str], links: list[int]):
    def spans(text, words):
        found, cursor = [], 0
        for word in words:
            at = text.index(word, cursor)
            found.append((at, at + len(word)))
            cursor = at + len(word)
        return found

    return Alignment(source, output, spans(source, source_words), spans(output, output_words), links)


def test_the_rendering_of_a_term_is_the_largest_run_of_linked_words():
    source = "그는 화요일 윌스기념병원을 방문했다."
    output = "He visited the Wilson Memorial Clinic on Tuesday."
    alignment = _alignment(source, output, ["그는", "화요일", "윌스기념병원을", "방문했다"],
                           ["He", "visited", "the", "Wilson", "Memorial", "Clinic", "on", "Tuesday"],
                           [0, 3, 2, 2, 2, 2, 1, 1])
    start, end = source.index("윌스기념병원"), source.index("을")
    assert output[slice(*alignment.span_for(start, end))] == "the Wilson Memorial Clinic"
    lone = _alignment(source, output, ["그는", "화요일", "윌스기념병원을", "방문했다"],
                      ["He", "visited", "the", "Wilson", "Memorial", "Clinic", "on", "Tuesday"],
                      [0, 3, 3, 3, 3, 3, 1, 1])
    assert lone.span_for(start, end) is None
    # by its neighbour 화요일 (→ "on Tuesday"), at a word boundary, never after the last word
    point = lone.insertion_point(start, end)
    assert point == output.index("Tuesday")


def test_links_skip_special_tokens():
    assert links_from([[0.1, 0.2, 0.7], [0.6, 0.3, 0.1]], [(0, 1), (1, 2), None]) == [1, 0]


@pytest.mark.parametrize("backend", ["transformers", "ctranslate2"])
def test_both_backends_give_one_attention_row_per_output_piece(ko_en_model, backend, tmp_path):
    if backend == "ctranslate2":
        import shutil

        from gnews_i18n.mt.ct2_backend import convert

        model = tmp_path / "model"
        shutil.copytree(ko_en_model, model)
        convert(model, quantization=None, force=True)
    else:
        model = ko_en_model
    engine = open_engine(str(model), "ko", "en", DecodingSettings(num_beams=1), backend=backend)
    assert engine.backend.name == backend
    sources = ["경기도는 화요일 설명회를 개최했다.", "수원에서 회의를 열었다."]
    outputs = ["Gyeonggi held a briefing on Tuesday.", "A meeting in Suwon."]
    alignments = engine.align(sources, outputs)
    for alignment, output in zip(alignments, outputs, strict=True):
        assert len(alignment.links) == len(alignment.target_spans) > 3
        assert all(link is None or alignment.source_spans[link] for link in alignment.links)
        assert "".join(output[s:e] for s, e in filter(None, alignment.target_spans)) == output.replace(" ", "")


def test_ctranslate2_aligns_from_its_own_decoding_as_the_forced_pass_does(ko_en_model, tmp_path):
    """The attention CTranslate2 returns while decoding is the forced pass's: same pieces, the
    same links, and no second pass (a random-weights model's outputs re-tokenize into ~8× more
    pieces than it decoded, which made the forced pass cost three decodings)."""
    import shutil

    from gnews_i18n.mt.ct2_backend import convert

    model = tmp_path / "model"
    shutil.copytree(ko_en_model, model)
    convert(model, quantization=None, force=True)
    engine = open_engine(str(model), "ko", "en", DecodingSettings(num_beams=1, fixed_new_tokens=12),
                         backend="ctranslate2", retry=False)  # a retried output is aligned by the forced pass
    sources = ["경기도는 화요일 설명회를 개최했다.", "수원에서 회의를 열었다."]
    translations = engine.translate(sources)
    assert all(t.attention is not None for t in translations)
    outputs = [t.text for t in translations]
    forced_passes = []
    engine.backend.cross_attention = lambda *args, real=engine.backend.cross_attention: (
        forced_passes.append(args), real(*args))[1]
    decoded = engine.align(sources, outputs, [t.attention for t in translations])
    assert forced_passes == []
    forced = engine.align(sources, outputs)
    assert len(forced_passes) == 1
    for mine, theirs, translation in zip(decoded, forced, translations, strict=True):
        assert mine.source_spans == theirs.source_spans
        # re-tokenizing the text can differ where the model wrote a piece the target vocabulary
        # spells otherwise (this random model writes Korean into English); up to there, the same
        pieces, again = engine.backend.attended_pieces(translation.attention)[1], \
            engine.backend.target_pieces(translation.text)
        same = next((i for i, (a, b) in enumerate(zip(pieces, again, strict=False)) if a != b), min(len(pieces),
                                                                                                  len(again)))
        assert same >= 4
        assert mine.target_spans[:same] == theirs.target_spans[:same] and mine.links[:same] == theirs.links[:same]


def test_the_align_style_replaces_the_models_rendering_and_keeps_particles_agreeing():
    glossary = Glossary([Term({"en": "Wiltse Memorial Hospital", "ko": "윌스기념병원"}, "institution")])
    terminology = Terminology(glossary, "en", "ko", style="align")
    source = "He visited Wiltse Memorial Hospital."
    prepared = terminology.prepare(source)
    assert prepared.text == source  # nothing written into the source
    output = "그는 월스병원을 방문했다."
    alignment = _alignment(source, output, ["He", "visited", "Wiltse", "Memorial", "Hospital"],
                           ["그는", "월스병원을", "방문했다"], [0, 2, 1])
    text, hits, flags = terminology.finish(output, prepared, alignment)
    assert text == "그는 윌스기념병원을 방문했다."
    assert hits[0]["placed"] == "aligned" and not [f for f in flags if f["id"] == "term_inserted"]
