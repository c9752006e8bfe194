"""Adaptation: does a model adapted on approved post-edits translate the newsroom's text better?

A simulated newsroom (``devmodels.house_style``) whose reviewers correct the trained test
model the same way every time — British ``Centre``, day-month dates, ``an MOU``, ``medical
workers``, ``joined`` — approves N articles of ko→en sentences from the domain corpus.
``adapt`` fine-tunes the model on them (20% of the articles held out, whole articles),
with a replay of the model's own training text, and scores old and new:

* chrF and TER on the held-out approved sentences (goal: chrF +5 or more);
* chrF on the model's general set (held-out sentences of its training corpus that the house
  style leaves alone, written as the corpus writes them; goal: no worse than −1);
* the edit distance reviewers would still make: mean character edit rate of the output to
  the approved text, after / before (goal: ≤ 0.5);
* time to adapt (training and scoring) on this machine's threads.

Run: nice python bench/adaptation.py [--size bench|tiny] [--articles 60] [--steps 100]
     [--learning-rate 3e-4] [--replay-share 0.5] [--threads 1] [--device cpu|cuda]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from gnews_i18n.adapt.data import ApprovedPair
from gnews_i18n.adapt.finetune import GENERAL_FILE, FinetuneSettings, read_pairs, write_pairs
from gnews_i18n.adapt.promotion import Margins
from gnews_i18n.adapt.run import AdaptOptions, adapt_direction
from gnews_i18n.devmodels.house_style import newsroom, untouched
from gnews_i18n.devmodels.training import build_trained_model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="bench", choices=("bench", "tiny"))
    parser.add_argument("--articles", type=int, default=60, help="approved articles of 6 sentences")
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--learning-rate", type=float, default=3e-4)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--replay-share", type=float, default=0.5, help="of each batch, from replay.tsv")
    parser.add_argument("--holdout", type=float, default=0.2)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--beams", type=int, default=1, help="decoding when scoring (the desk's default is 4)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        models = Path(scratch) / "models"
        started = time.perf_counter()
        build_trained_model(models / "ko-en", "ko", "en", args.size, log=print)
        print(f"model: trained test model ko→en ({args.size}), ready in {time.perf_counter() - started:.0f} s")
        general = models / "ko-en" / GENERAL_FILE
        write_pairs(general, untouched(read_pairs(general)))  # the style's own changes are not a loss
        pairs = [ApprovedPair(p.article, p.ko, p.en, p.plain) for p in newsroom(args.articles, 6)]
        options = AdaptOptions(holdout=args.holdout, num_beams=args.beams, margins=Margins.from_env(),
                               training=FinetuneSettings(steps=args.steps, learning_rate=args.learning_rate,
                                                         batch=args.batch, device=args.device,
                                                         replay_share=args.replay_share,
                                                         threads=args.threads))
        started = time.perf_counter()
        result = adapt_direction(models, "ko", "en", pairs, options, log=print)
        seconds = time.perf_counter() - started

    held, general = result.held_out, result.general
    print()
    print("| set | sentences | chrF before | chrF after | TER before | TER after | edit rate before "
          "| edit rate after |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for comparison in (held, general):
        if comparison is not None:
            o, n = comparison.old, comparison.new
            print(f"| {comparison.name} | {n.sentences} | {o.chrf:.1f} | {n.chrf:.1f} | {o.ter:.1f} | {n.ter:.1f} | "
                  f"{o.edit_rate:.3f} | {n.edit_rate:.3f} |")
    print()
    print(f"approved pairs: {result.counts['train']} to learn ({result.counts['train_articles']} articles), "
          f"{result.counts['held_out']} held out ({result.counts['held_out_articles']} articles), "
          f"replay {result.counts['replay']}")
    print(f"training: {args.steps} steps, batch {args.batch}, learning rate {args.learning_rate}, replay share "
          f"{args.replay_share}, "
          f"{args.threads} thread(s) on {args.device} ({os.cpu_count()} cores on this machine, shared): "
          f"{result.training['seconds']:.0f} s; adapt end to end (training and scoring both models): {seconds:.0f} s")
    print(f"decision: {'promoted' if result.promoted else 'kept as a candidate'} — {result.reason}")
    for example in held.examples[:3]:
        print(f"  {example['source']}\n    before: {example['old']}\n    after:  {example['new']}")
    ratio = held.new.edit_rate / held.old.edit_rate if held.old.edit_rate else 1.0
    print(f"adaptation_chrf_gain: {held.chrf_change:.2f}")
    print(f"general_chrf_change: {general.chrf_change if general else 0.0:.2f}")
    print(f"edit_distance_ratio: {ratio:.3f}")


if __name__ == "__main__":
    main()
