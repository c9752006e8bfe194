"""The benchmarks run on a fresh checkout, on glossaries they have never seen."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCH_TIMEOUT = 600  # seconds a benchmark may run
# pytest-timeout's limit (300 s in pyproject) would kill a test long before the benchmark's own limit
# fired: these tests get a limit above it, so a hung benchmark ends with its name and its output.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(BENCH_TIMEOUT + 60)]


def run_bench(*args: str) -> str:
    try:
        result = subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=BENCH_TIMEOUT,
                                cwd=ROOT)
    except subprocess.TimeoutExpired as error:
        pytest.fail(f"{' '.join(args)} still running after {BENCH_TIMEOUT} s; its output so far:\n{error.stdout}")
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_term_accuracy_on_an_unseen_minimal_glossary(tmp_path):
    glossary = tmp_path / "unseen.csv"
    glossary.write_text("ko,en\n서울대학교병원,Seoul National University Hospital\n부산,Busan\n"
                        "엘지,LG\n삼성서울병원,Samsung Medical Center\n", encoding="utf-8")
    out = run_bench("bench/term_accuracy.py", "--glossary", str(glossary), "--articles", "30")
    assert "glossary: 4 terms" in out
    rates = re.findall(r"= (\d+\.\d)%", out)
    # 3 for the glossary; per direction, 4 for the dated registry (date, first mention, titles, old names)
    assert len(rates) == 11 and all(rate == "100.0" for rate in rates), out
    assert re.findall(r"false alarms on correct text \S+: (\d+) in", out) == ["0", "0"], out


def test_term_matching_agrees_with_the_naive_scan():
    out = run_bench("bench/term_matching.py", "--terms", "2000", "--words", "800", "--repeat", "1")
    assert "speedup_vs_naive:" in out and "2,000 terms" in out
    found = re.search(r"terms put into the article and found: (\d+)/(\d+)", out)
    assert found and int(found.group(2)) > 0, out
    assert int(found.group(1)) >= 0.95 * int(found.group(2)), out


def test_publish_incremental_writes_only_what_changed():
    out = run_bench("bench/publish_incremental.py", "--articles", "300")
    written = re.search(r"incremental \(one article changed\): [\d.]+ s, (\d+) files written: (.*)", out)
    assert written, out
    assert written.group(2).split(", ") == ["ko/article-00150.html", f"ko/page-{_page_of(150, 300)}.html"]
    assert "republishing unchanged" in out and ", 0 files written" in out
    assert re.search(r"speedup_full_vs_incremental: [\d.]+x", out)
    assert re.search(r"issue 27 \(12 articles x 4 languages\) released in [\d.]+ s", out)
    sizes = re.search(r"e-mail editions built in [\d.]+ s; sizes: (.*) \(Gmail", out)
    assert sizes and [s.split()[0] for s in sizes.group(1).split(", ")] == ["en", "ko", "ru", "uz"]
    corrected = re.search(r"correction of one article published in [\d.]+ s, \d+ files written: (.*)", out)
    assert corrected, out
    assert corrected.group(1).split(", ") == sorted(  # its pages, feeds and issue pages: nothing else
        f"{lang}/{name}" for lang in ("en", "ko", "ru", "uz")
        for name in ("atom.xml", "feed.xml", "issue-27.html", "issue-article-5.html"))


def _page_of(article: int, articles: int, page_size: int = 20) -> int:
    """Index page of an article when the newest (highest id) comes first."""
    return (articles - article) // page_size + 1


def test_qa_accuracy_meets_its_targets_on_the_practice_corpus():
    out = run_bench("bench/qa_accuracy.py", "--show", "0")
    kinds = re.findall(r"^  ([a-z ]+?)\s+caught\s+(\d+)/(\d+)", out, re.MULTILINE)
    wanted = {"digit changed", "unit swapped", "date shifted", "negation dropped", "forbidden term", "wrong particle"}
    assert wanted <= {kind for kind, _, _ in kinds}, out
    for kind, caught, total in kinds:
        if kind in wanted:
            assert int(caught) >= 0.99 * int(total) and (kind != "wrong particle" or caught == total), out
    alarms = re.findall(r"false alarms: (\d+)/(\d+)", out)
    assert len(alarms) == 2 and all(int(a) <= 0.05 * int(n) for a, n in alarms), out


def test_worker_scaling_runs_one_and_two_workers():
    """Smoke run (the ratio is measured by hand on a quiet machine, never asserted: timings are noisy)."""
    out = run_bench("bench/worker_scaling.py", "--articles", "4")
    assert re.search(r"1 worker: [\d.]+ s", out) and re.search(r"2 workers: [\d.]+ s", out), out
    assert re.search(r"speedup_2_workers_vs_1: [\d.]+x", out), out
