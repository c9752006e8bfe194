"""The command line as editors and operators use it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import EN_SAMPLE, run_cli

run = run_cli


def test_submit_status_and_review_list(gnews_env):
    result = run(gnews_env, "submit", str(EN_SAMPLE), "--to", "ko,ru", "--no-queue")
    assert result.returncode == 0, result.stderr
    article_id = int(result.stdout.strip())
    assert "2 translation job(s)" in result.stderr and f"gnews-i18n status {article_id}" in result.stderr
    status = json.loads(run(gnews_env, "status", str(article_id), "--json").stdout)
    assert [t["state"] for t in status[0]["translations"]] == ["queued", "queued"]
    assert status[0]["date"] == "2023-11-21"
    assert json.loads(run(gnews_env, "review", "list", "--json").stdout) == []


def _set_state(translation_id: int, state, error: str | None = None) -> None:
    """Put a translation where a worker would have left it (the CLI reads the same database)."""
    from gnews_i18n.config import load_settings
    from gnews_i18n.store.db import Database
    from gnews_i18n.store.models import Translation

    with Database(load_settings().database_url).session() as session:
        translation = session.get(Translation, translation_id)
        translation.state, translation.error = state, error


def test_submit_without_targets_stores_nothing_and_says_what_to_do(gnews_env):
    result = run(gnews_env, "submit", str(EN_SAMPLE), "--no-queue")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "nothing would be translated" in result.stderr and "--to ko,ru" in result.stderr
    described = " ".join(run({**gnews_env, "COLUMNS": "200"}, "submit", "--help").stdout.split())
    assert "Exit status: 0 when every file was taken in; 1 when --to is missing" in described
    assert json.loads(run(gnews_env, "status", "--json").stdout) == []


def test_resubmitting_identical_text_says_nothing_is_queued(gnews_env):
    from gnews_i18n.states import TranslationState

    first = run(gnews_env, "submit", str(EN_SAMPLE), "--to", "ko", "--no-queue")
    assert first.returncode == 0 and "1 translation job(s) recorded" in first.stderr
    article_id = int(first.stdout)
    [ko] = json.loads(run(gnews_env, "status", str(article_id), "--json").stdout)[0]["translations"]
    _set_state(ko["id"], TranslationState.IN_REVIEW)  # translated meanwhile
    again = run(gnews_env, "submit", str(EN_SAMPLE), "--to", "ko", "--no-queue")
    assert again.returncode == 0 and int(again.stdout) == article_id
    assert "unchanged: no new revision" in again.stderr and "nothing queued" in again.stderr
    assert "ko is in_review" in again.stderr and "job(s)" not in again.stderr
    # a language it has no translation for yet is the one job
    wider = run(gnews_env, "submit", str(EN_SAMPLE), "--to", "ko,ru", "--no-queue")
    assert "unchanged: no new revision" in wider.stderr and "1 translation job(s) recorded" in wider.stderr
    states = [t["state"] for t in json.loads(run(gnews_env, "status", str(article_id), "--json").stdout)[0][
        "translations"]]
    assert sorted(states) == ["in_review", "queued"]


def test_status_shows_a_failures_whole_hint_on_a_narrow_terminal(gnews_env):
    from gnews_i18n.states import TranslationState

    submitted = run(gnews_env, "submit", str(EN_SAMPLE), "--to", "ru", "--no-queue")
    [ru] = json.loads(run(gnews_env, "status", submitted.stdout.strip(), "--json").stdout)[0]["translations"]
    hint = ("ModelNotAvailable: no model configured for en→ru. Set GNEWS_MODEL_EN_RU to a local model directory "
            "(or a Hugging Face id when the hub is reachable), put a model in var/models/en-ru, or run "
            "`gnews-i18n models pull NAME` where the hub is reachable.")
    _set_state(ru["id"], TranslationState.FAILED, hint)
    shown = run({**gnews_env, "COLUMNS": "80"}, "status")
    assert shown.returncode == 0, shown.stderr
    assert hint in " ".join(shown.stdout.split())
    assert "requeue --failed" in shown.stdout


def test_serve_on_a_busy_port_says_so_and_exits_1(gnews_env):
    import socket

    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        result = run(gnews_env, "serve", "--port", str(port))
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("error:") and f"port {port}" in result.stderr and "--port" in result.stderr
    assert "Errno" not in result.stderr and "startup complete" not in result.stderr


def test_bad_input_is_one_clear_line_not_a_traceback(gnews_env, tmp_path):
    junk = tmp_path / "junk.txt"
    junk.write_bytes(b"\x00\x01\x02" * 100)
    result = run(gnews_env, "submit", str(junk), "--to", "ko")
    assert result.returncode == 1
    assert "binary" in result.stderr and "Traceback" not in result.stderr
    missing = run(gnews_env, "submit", str(tmp_path / "nope.md"), "--to", "ko")
    assert missing.returncode == 1 and "cannot read" in missing.stderr
    wrong = run(gnews_env, "review", "approve", "999")
    assert wrong.returncode == 1 and "no translation 999" in wrong.stderr
    cp949_junk = tmp_path / "latin1.txt"
    cp949_junk.write_bytes("Caf\xe9 title\n\nBody text in Latin-1: na\xefve r\xe9sum\xe9 and more words.\n"
                           .encode("latin-1"))
    undecodable = run(gnews_env, "submit", str(cp949_junk), "--to", "ko")
    assert undecodable.returncode == 1 and "UTF-8" in undecodable.stderr
    # nothing half-written: none of the refused submissions left a row behind
    assert json.loads(run(gnews_env, "status", "--json").stdout) == []


def test_translate_reads_lines_and_keeps_blank_ones(gnews_env):
    result = run(gnews_env, "translate", "--src", "en", "--tgt", "ko", "--json",
                 input="Ajou University Hospital.\n\nThe delegation left.\n")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["source"] for line in lines] == ["Ajou University Hospital.", "", "The delegation left."]
    assert lines[0]["text"] and lines[1]["text"] == "" and lines[2]["provenance"]["backend"] == "transformers"


def test_models_make_test_builds_a_loadable_model(gnews_env, tmp_path):
    target = tmp_path / "ko-en"
    result = run(gnews_env, "models", "make-test", str(target), "--src", "ko", "--tgt", "en")
    assert result.returncode == 0, result.stderr
    assert {"config.json", "model.safetensors", "source.spm", "target.spm", "vocab.json"} <= {
        p.name for p in target.iterdir()}
    out = run({**gnews_env, "GNEWS_MODEL_KO_EN": str(target)}, "translate", "--src", "ko", "--tgt", "en",
              input="분당서울대학교병원을 방문했다.\n")
    assert out.returncode == 0 and out.stdout.strip()


def test_demo_without_a_model_explains_what_to_do(gnews_env):
    env = {**gnews_env, "GNEWS_MODEL_EN_KO": "Helsinki-NLP/opus-mt-tc-big-en-ko", "HF_HUB_OFFLINE": "1"}
    result = run(env, "demo")
    assert result.returncode == 1
    assert "demo --offline" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.slow
def test_demo_offline_runs_the_whole_path(gnews_env, tmp_path, monkeypatch):
    env = {k: v for k, v in gnews_env.items() if not k.startswith("GNEWS_MODEL_")}
    env["GNEWS_MODELS_DIR"] = str(tmp_path / "models")
    clean = {k: v for k, v in os.environ.items() if not k.startswith("GNEWS_MODEL_")}
    result = subprocess.run([sys.executable, "-m", "gnews_i18n.cli", "demo", "--offline"], env={**clean, **env},
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "Published editions" in result.stdout and "meaningless" in result.stdout
    published = tmp_path / "public" / "ko"
    assert (published / "index.html").exists() and len(list(published.glob("*.html"))) == 4  # + archive, search
    # the README's next steps: the desk itself (no GNEWS_MODEL_EN_KO) finds the demo's model
    desk = {**clean, **env}
    assert not any(k.startswith("GNEWS_MODEL_") for k in desk)
    from gnews_i18n.config import load_settings
    from gnews_i18n.mt.registry import choose

    monkeypatch.delenv("GNEWS_MODEL_EN_KO")
    monkeypatch.setenv("GNEWS_MODELS_DIR", env["GNEWS_MODELS_DIR"])
    choice = choose(load_settings(), "en", "ko")
    assert (choice.source, choice.model) == ("local", str(tmp_path / "models" / "en-ko"))
    translated = subprocess.run([sys.executable, "-m", "gnews_i18n.cli", "translate", "--src", "en", "--tgt", "ko"],
                                env=desk, input="The delegation left.\n", capture_output=True, text=True, timeout=300)
    assert translated.returncode == 0 and translated.stdout.strip(), translated.stderr


def _processes_named(fragment: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and fragment in (entry / "cmdline").read_bytes().decode(errors="replace"):
                found.append(int(entry.name))
        except OSError:  # gone meanwhile
            continue
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs Linux's /proc and prctl")
def test_a_killed_demo_leaves_no_worker_behind(gnews_env, tmp_path):
    """SIGKILL gives the demo no chance to stop its worker: the kernel does (PR_SET_PDEATHSIG)."""
    env = {k: v for k, v in gnews_env.items() if not k.startswith("GNEWS_MODEL_")}
    env["GNEWS_MODELS_DIR"] = str(tmp_path / "models")
    clean = {k: v for k, v in os.environ.items() if not k.startswith("GNEWS_MODEL_")}
    demo = subprocess.Popen([sys.executable, "-m", "gnews_i18n.cli", "demo", "--offline"], env={**clean, **env},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    name = f"gnews-demo-{demo.pid}@"
    try:
        deadline = time.monotonic() + 240
        while not _processes_named(name):
            assert demo.poll() is None and time.monotonic() < deadline, "the demo never started its worker"
            time.sleep(0.2)
    finally:
        demo.kill()
        demo.wait()
    deadline = time.monotonic() + 60
    while _processes_named(name) and time.monotonic() < deadline:
        time.sleep(0.5)
    left = _processes_named(name)
    for pid in left:  # do not leave it running for the next tests
        os.kill(pid, signal.SIGKILL)
    assert not left, "the demo's worker outlived the demo"


def test_models_list_and_an_offline_pull(gnews_env):
    listed = run({**gnews_env, "COLUMNS": "250"}, "models", "list")
    assert listed.returncode == 0, listed.stderr
    assert "en-ko" in listed.stdout and "env" in listed.stdout  # GNEWS_MODEL_EN_KO serves en→ko
    assert "via en" in listed.stdout and "MIT" in listed.stdout  # ko→uz pivots; M2M100's licence shown
    pulled = run({**gnews_env, "HF_HUB_OFFLINE": "1"}, "models", "pull", "Helsinki-NLP/opus-mt-ko-en")
    assert pulled.returncode == 1 and "Traceback" not in pulled.stderr
    assert "GNEWS_MODEL_<SRC>_<TGT>" in pulled.stderr and "--local-dir" in pulled.stderr


def test_submit_several_files_and_keep_going_past_a_bad_one(gnews_env, tmp_path):
    good = tmp_path / "second.md"
    good.write_text("---\ntitle: 두 번째 기사\nlang: ko\n---\n\n아주대학교병원을 방문했다.\n", encoding="utf-8")
    bad = tmp_path / "empty.txt"
    bad.write_text("", encoding="utf-8")
    result = run(gnews_env, "submit", str(EN_SAMPLE), str(bad), str(good), "--to", "ru", "--no-queue")
    assert result.returncode == 1 and "empty.txt: the file is empty" in result.stderr
    assert len(result.stdout.split()) == 2  # both good articles went in
