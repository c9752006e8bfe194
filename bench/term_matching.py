"""Term matching: one Aho-Corasick pass against a naive scan with one regex per term.

A generated 50,000-entry glossary and a 5,000-word article with terms scattered in it.
Prints both times and their ratio (target: the matcher at least 20× faster), checking
first that both find the same terms. Run: python bench/term_matching.py
"""

from __future__ import annotations

import argparse
import random
import re
import time

from gnews_i18n.terms.glossary import Term
from gnews_i18n.terms.matcher import TermMatcher

SYLLABLES = ["ka", "ro", "mi", "tan", "se", "ul", "bu", "dang", "jo", "yi", "han", "gyeong", "su", "won", "an"]


def make_glossary(size: int, rng: random.Random) -> list[Term]:
    terms, seen = [], set()
    while len(terms) < size:
        words = ["".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
                 for _ in range(rng.randint(1, 4))]
        form = " ".join(words)
        if form.lower() not in seen:
            seen.add(form.lower())
            terms.append(Term({"en": form, "ko": f"용어{len(terms)}"}, "institution"))
    return terms


def make_article(terms: list[Term], words: int, rng: random.Random) -> tuple[str, set[str]]:
    """The article's text, and the terms put into it."""
    filler = "the delegation visited hospitals in the province and discussed medical cooperation with".split()
    out: list[str] = []
    planted: set[str] = set()
    while len(out) < words:
        if rng.random() < 0.05:
            form = rng.choice(terms).forms["en"]
            planted.add(form)
            out += form.split()
        else:
            out.append(rng.choice(filler))
    return " ".join(out) + ".", planted


def found_in(planted: set[str], got: set[str]) -> set[str]:
    """Planted terms the matcher reported, itself or inside a longer term it preferred (longest match wins)."""
    return {p for p in planted if p in got
            or any(re.search(rf"(?<!\w){re.escape(p)}(?!\w)", g, re.IGNORECASE) for g in got)}


def naive_scan(terms: list[Term], text: str) -> set[str]:
    found = set()
    for term in terms:
        pattern = re.compile(r"\b" + re.escape(term.forms["en"]) + r"\b", re.IGNORECASE)
        if pattern.search(text):
            found.add(term.forms["en"])
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--terms", type=int, default=50_000)
    parser.add_argument("--words", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=5, help="best of N runs of the matcher")
    args = parser.parse_args()
    rng = random.Random(7)
    terms = make_glossary(args.terms, rng)
    text, planted = make_article(terms, args.words, rng)

    started = time.perf_counter()
    matcher = TermMatcher(terms, "en")
    build = time.perf_counter() - started

    # The naive scan takes tens of seconds: one run. The matcher: best of several.
    started = time.perf_counter()
    expected = naive_scan(terms, text)
    naive_times = [time.perf_counter() - started]
    matcher_times = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        matches = matcher.find(text)
        matcher_times.append(time.perf_counter() - started)
    got = {m.term.forms["en"] for m in matches}
    # The naive scan also counts terms found inside longer terms; every longest match must be among its hits.
    assert got <= expected, f"matcher found terms the naive scan did not: {sorted(got - expected)[:5]}"
    # ... and it finds what was put there: an empty result would pass the check above.
    found = found_in(planted, got)
    assert planted and len(found) >= 0.95 * len(planted), (
        f"matcher found {len(found)} of the {len(planted)} terms put into the article; "
        f"missed e.g. {sorted(planted - found)[:5]}")
    naive, ours = min(naive_times), min(matcher_times)
    print(f"glossary: {len(terms):,} terms; article: {args.words:,} words, {len(text):,} characters")
    print(f"naive per-term regex scan: {naive * 1000:9.1f} ms  ({len(expected)} distinct terms found)")
    print(f"Aho-Corasick matcher:      {ours * 1000:9.1f} ms  ({len(got)} distinct terms, {len(matches)} matches; "
          f"built once in {build:.2f} s)")
    print(f"terms put into the article and found: {len(found)}/{len(planted)}")
    print(f"speedup_vs_naive: {naive / ours:.1f}x  (target >= 20x)")


if __name__ == "__main__":
    main()
