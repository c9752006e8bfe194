"""With a model that really translates, enforced terms leave the sentence around them whole.

Trains the tiny test model in both directions (minutes on 2 cores; a cache under
GNEWS_TEST_MODEL_CACHE makes a rerun a copy) and runs bench/term_fluency.py on terms the
model never saw.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


@pytest.mark.timeout(900)  # training both directions: about 2 min each on 2 quiet cores
def test_terms_from_an_unseen_glossary_are_exact_placed_and_fluent(tmp_path):
    env = {**os.environ, "GNEWS_TEST_MODEL_CACHE": os.environ.get("GNEWS_TEST_MODEL_CACHE", str(tmp_path / "cache"))}
    # both directions train at once, one core each (training uses one thread), through the CLI
    # a user would run; the bench then finds them in the cache
    training = [subprocess.Popen([sys.executable, "-m", "gnews_i18n.cli", "models", "make-test", str(tmp_path / d),
                                  "--src", d[:2], "--tgt", d[3:], "--trained", "--size", "tiny"],
                                 cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for d in ("ko-en", "en-ko")]
    for process in training:
        out, err = process.communicate(timeout=900)
        assert process.returncode == 0, err[-3000:]
        assert "held-out exact match" in out + err and "Not a production model" in out + err
    result = subprocess.run([sys.executable, "bench/term_fluency.py", "--size", "tiny", "--sentences", "60",
                             "--styles", "name", "--repeats", "1"],
                            capture_output=True, text=True, timeout=900, cwd=ROOT, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    rows = [line for line in result.stdout.splitlines() if re.match(r"\| (ko→en|en→ko) \| name", line)]
    assert len(rows) == 2, result.stdout
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        direction, exact, window, residue, duplicates = cells[0], cells[2], float(cells[3]), cells[5], cells[6]
        placed, inserted = map(int, cells[4].split(" / "))
        assert exact == "100.0%", row
        assert window >= 0.7, row
        assert residue == "0" and duplicates == "0", row
        assert placed >= 0.9 * (placed + inserted), row  # the model, not the fallback, places the terms
        if direction == "en→ko":
            assert cells[8] == "100.0%", row  # particles after terms agree
