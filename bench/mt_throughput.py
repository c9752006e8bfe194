"""MT throughput on a model of opus-mt-ko-en's exact shape, three ways side by side.

The model: Marian 6+6 layers, d_model 512, 8 heads, FFN 2048, vocabulary 65,001, random
weights (no hub here); every output forced to exactly 30 tokens so every side does the
same work. 200 news-length Korean sentences.

1. baseline: the straightforward way — ``model.generate()`` once per sentence, beam 4
   (timed on the first --baseline-sentences, it is slow; sentences/s is what compares);
2. our engine: ``Engine`` over the CTranslate2 int8 conversion, beam 4, all 200 at once
   (tokenization, clause splitting, guards' checks included; retries off, since random
   output always looks wrong);
3. our engine with terminology on: the same sentences through ``translate_segments`` with
   the newsletter's glossary (terms matched, placeholders written, the output restored;
   a random-weights model loses every placeholder, so each term is placed by the
   attention fallback: the worst case for that pass);
4. raw CTranslate2 int8: ``translate_batch`` on the same pre-tokenized batch.

Prints sentences/s for each, ``speedup_vs_naive`` (targets >= 20), ``fraction_of_raw_ct2``
without and with terminology (target >= 0.9), and the peak RSS.
Run: python bench/mt_throughput.py  (about two minutes on 2 cores, most of it building the model)
"""

from __future__ import annotations

import argparse
import re
import resource
import tempfile
import time
from importlib import resources
from pathlib import Path

OUTPUT_TOKENS = 30


def sentences(count: int) -> list[str]:
    sample = resources.files("gnews_i18n") / "samples" / "medical-gyeonggi-2023-11-tashkent-delegation.ko.md"
    text = sample.read_text(encoding="utf-8")
    body = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.DOTALL)
    base = [s.strip() for s in re.split(r"(?<=다\.)\s+|\n+", body) if len(s.strip()) > 20 and not s.startswith("#")]
    return [f"{base[i % len(base)]}" if i < len(base) else f"{i}일 {base[i % len(base)]}" for i in range(count)]


def _with_terminology(engine, texts: list[str]) -> tuple[float, int]:
    """Sentences/s through the pipeline's translate step with the packaged glossary, and the terms found."""
    from gnews_i18n.pipeline import SegmentDraft, translate_segments
    from gnews_i18n.terms import Terminology, load_glossaries

    root = Path(__file__).resolve().parents[1]
    terminology = Terminology(load_glossaries([root / "glossaries" / "medical-gyeonggi.csv"]), "ko", "en")
    translate_segments([SegmentDraft(0, i, t) for i, t in enumerate(texts[:8])], engine, terminology=terminology,
                       check=False)  # warm-up
    drafts = [SegmentDraft(0, i, t) for i, t in enumerate(texts)]
    started = time.perf_counter()
    translate_segments(drafts, engine, terminology=terminology, check=False)  # in chunks, as a job runs
    seconds = time.perf_counter() - started
    return len(texts) / seconds, sum(len(d.terms) for d in drafts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sentences", type=int, default=200)
    parser.add_argument("--baseline-sentences", type=int, default=24)
    parser.add_argument("--beam", type=int, default=4)
    parser.add_argument("--workdir", type=Path, help="keep the built model here between runs")
    args = parser.parse_args()

    import ctranslate2
    import torch
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    from gnews_i18n.devmodels.testmodel import build_test_model
    from gnews_i18n.mt import DecodingSettings, open_engine
    from gnews_i18n.mt.ct2_backend import convert

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="mt-bench-"))
    model_dir = workdir / "opus-mt-ko-en-shape"
    started = time.perf_counter()
    if not (model_dir / "ctranslate2" / "model.bin").exists():
        build_test_model(model_dir, "ko", "en", d_model=512, layers=6, heads=8, ffn_dim=2048, full_vocab=65001)
        convert(model_dir, quantization="int8", force=True)
    print(f"model: Marian 6+6, d_model 512, 8 heads, FFN 2048, vocabulary 65,001 (random weights); "
          f"ready in {time.perf_counter() - started:.0f} s; torch threads {torch.get_num_threads()}")

    texts = sentences(args.sentences)
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    lengths = [len(tokenizer(t)["input_ids"]) for t in texts]
    print(f"{len(texts)} sentences, {sum(lengths) / len(lengths):.0f} source tokens on average; "
          f"{OUTPUT_TOKENS} output tokens each; beam {args.beam}")

    # 1. baseline: generate() per sentence
    model = AutoModelForSeq2SeqLM.from_pretrained(model_dir).eval()
    model.generation_config.max_length = None
    subset = texts[:args.baseline_sentences]
    started = time.perf_counter()
    with torch.inference_mode():
        for text in subset:
            inputs = tokenizer(text, return_tensors="pt")
            output = model.generate(**inputs, num_beams=args.beam, min_new_tokens=OUTPUT_TOKENS,
                                    max_new_tokens=OUTPUT_TOKENS)
            assert output.shape[1] >= OUTPUT_TOKENS
    baseline = len(subset) / (time.perf_counter() - started)
    del model

    # 2. our engine (picks the CTranslate2 conversion beside the model by itself)
    decoding = DecodingSettings(num_beams=args.beam, fixed_new_tokens=OUTPUT_TOKENS)
    engine = open_engine(str(model_dir), "ko", "en", decoding)
    engine.retry = False
    assert engine.backend.name == "ctranslate2"
    engine.translate(texts[:8])  # warm-up
    started = time.perf_counter()
    results = engine.translate(texts)
    ours = len(texts) / (time.perf_counter() - started)
    assert len(results) == len(texts)
    with_terms, terms_found = _with_terminology(engine, texts)

    # 3. raw CTranslate2 on the same pre-tokenized batch
    tokens = [tokenizer.convert_ids_to_tokens(tokenizer(t)["input_ids"]) for t in texts]
    # the same thread layout as the engine (parallel batches, one core each), so the ratio is the engine's overhead
    translator = ctranslate2.Translator(str(model_dir / "ctranslate2"), device="cpu", compute_type="int8",
                                        inter_threads=torch.get_num_threads(), intra_threads=1)
    translator.translate_batch(tokens[:8], beam_size=args.beam, max_decoding_length=OUTPUT_TOKENS)  # warm-up
    started = time.perf_counter()
    raw_results = translator.translate_batch(
        tokens, beam_size=args.beam, max_batch_size=max(1, decoding.max_batch_tokens // args.beam),
        batch_type="tokens", min_decoding_length=OUTPUT_TOKENS, max_decoding_length=OUTPUT_TOKENS)
    raw = len(texts) / (time.perf_counter() - started)
    assert all(len(r.hypotheses[0]) == OUTPUT_TOKENS for r in raw_results)

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"baseline (generate per sentence, fp32): {baseline:8.2f} sentences/s  (on {len(subset)} sentences)")
    print(f"our engine (CTranslate2 int8, batched): {ours:8.2f} sentences/s")
    print(f"our engine with terminology on:         {with_terms:8.2f} sentences/s  ({terms_found} glossary terms)")
    print(f"raw CTranslate2 int8, same batch:       {raw:8.2f} sentences/s")
    print(f"speedup_vs_naive: {ours / baseline:.1f}x  (target >= 20x)")
    print(f"fraction_of_raw_ct2: {ours / raw:.2f}  (target >= 0.9)")
    print(f"fraction_of_raw_ct2 with terminology: {with_terms / raw:.2f}  (target >= 0.9)")
    print(f"speedup_vs_naive with terminology: {with_terms / baseline:.1f}x  (target >= 20x)")
    print(f"peak RSS: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
