"""A large TMX memory or TBX glossary is read as a stream: memory grows by one entry, not by the
file's whole tree (issue 28: a 50 MB TMX took 1.1 GB). Each way is measured in a fresh process:
the high-water mark of its resident memory (VmHWM) over what it held before reading. lxml's tree
lives in libxml2's C heap, which tracemalloc does not see, so resident memory is what is compared."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gnews_i18n.formats.tbx import TbxConcept, TbxLanguage, TbxTerm, write_tbx_file
from gnews_i18n.formats.tmx import TmxUnit, write_tmx

ROOT = Path(__file__).resolve().parents[1]
SENTENCE = "The delegation from Tashkent visited the Gyeonggi provincial medical centre on Tuesday {i}. "
KOREAN = "타슈켄트 대표단이 화요일 {i} 경기도의료원을 방문했다. "

# Reads the file at argv[2] the way argv[1] says; prints what it read and how much resident memory grew (kB).
MEASURE = """
import sys
from gnews_i18n.formats.tbx import read_tbx_file
from gnews_i18n.formats.tmx import iter_tmx
from gnews_i18n.formats.xml import parse_xml

def kb(field):
    return next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith(field + ":"))

way, data = sys.argv[1], open(sys.argv[2], "rb").read()
before = kb("VmRSS")
if way == "tree":  # the whole tree, as the readers did before
    read = sum(1 for element in parse_xml(data, "big").iter("tu", "termEntry"))
elif way == "tmx":  # the TMX reader, unit by unit, as an importer would take them
    read = sum(len(unit.variants) == 2 for unit in iter_tmx(data, "big.tmx", {"en", "ko"}))
else:
    read = len(read_tbx_file(data, "big.tbx").concepts)
print(read, kb("VmHWM") - before)
"""


def _grown(way: str, path: Path) -> tuple[int, int]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-c", MEASURE, way, str(path)], capture_output=True, text=True,
                          env=env, timeout=120, check=True)
    read, kilobytes = done.stdout.split()
    return int(read), int(kilobytes)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="resident memory is read from /proc")
def test_a_large_tmx_is_read_in_a_fraction_of_the_memory_its_tree_takes(tmp_path):
    units = 6000  # long paragraphs: about 10 MB
    when = dt.datetime(2026, 12, 7)
    big = tmp_path / "big.tmx"
    big.write_text(write_tmx(TmxUnit("en", [("en", "".join(SENTENCE.format(i=i) for _ in range(6))),
                                            ("ko", "".join(KOREAN.format(i=i) for _ in range(6)))],
                                     "kim", when, "archive", str(i)) for i in range(units)), encoding="utf-8")
    assert big.stat().st_size > 5_000_000
    read_whole, tree = _grown("tree", big)
    read_streamed, streamed = _grown("tmx", big)
    assert read_whole == read_streamed == units
    print(f"\nTMX {big.stat().st_size / 1e6:.1f} MB, {units} units: the whole tree +{tree / 1024:.1f} MB, "
          f"the reader +{streamed / 1024:.1f} MB")
    assert streamed * 3 < tree, (streamed, tree)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="resident memory is read from /proc")
def test_a_large_tbx_glossary_is_read_without_its_whole_tree(tmp_path):
    concepts = [TbxConcept(f"c{i}", languages=[
        TbxLanguage("en", [TbxTerm(f"Gyeonggi provincial medical centre number {i}")]),
        TbxLanguage("ko", [TbxTerm(f"경기도의료원 {i}호")])]) for i in range(10000)]
    big = tmp_path / "big.tbx"
    big.write_text(write_tbx_file(concepts, "ko"), encoding="utf-8")
    assert big.stat().st_size > 3_000_000
    read_whole, tree = _grown("tree", big)
    read_streamed, streamed = _grown("tbx", big)
    assert read_whole == read_streamed == len(concepts)
    print(f"\nTBX {big.stat().st_size / 1e6:.1f} MB, {len(concepts)} concepts: the whole tree +{tree / 1024:.1f} MB, "
          f"the reader (concepts kept) +{streamed / 1024:.1f} MB")
    assert streamed * 3 < tree * 2, (streamed, tree)  # the concepts themselves are the most of it
