"""The deployment files stay in step with the code: compose, workers, the settings page."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def test_every_setting_is_documented_in_the_configuration_page():
    # every GNEWS_* name the code reads, wherever it lives in src/ (config.py and the rooms)
    code = "\n".join(path.read_text() for path in sorted((ROOT / "src" / "gnews_i18n").rglob("*.py")))
    page = (ROOT / "docs" / "configuration.md").read_text()
    names = set(re.findall(r'"(GNEWS_[A-Z0-9_]+)"', code))
    assert len(names) >= 10
    assert "GNEWS_DATABASE_URL" in names
    missing = sorted(name for name in names if f"| `{name}` |" not in page)  # a row of its own
    assert not missing, f"settings without a row in docs/configuration.md: {missing}"


def test_compose_file_describes_the_scale_out():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"redis", "postgres", "api", "translate-worker", "publish-worker", "beat", "flower"} <= set(services)
    env = services["translate-worker"]["environment"]
    assert env["GNEWS_BROKER_URL"].startswith("redis://") and env["GNEWS_DATABASE_URL"].startswith("postgresql")
    for name in ("translate-worker", "publish-worker"):
        script = ROOT / services[name]["entrypoint"][0].removeprefix("/app/")
        assert script.exists() and "gnews-i18n worker --queues" in script.read_text()
    # the api's and beat's commands are real subcommands
    help_text = subprocess.run([sys.executable, "-m", "gnews_i18n.cli", services["api"]["command"][0], "--help"],
                               capture_output=True, text=True).stdout
    assert "--host" in help_text
    beat_help = subprocess.run([sys.executable, "-m", "gnews_i18n.cli", services["beat"]["command"][0], "--help"],
                               capture_output=True, text=True).stdout
    assert "sweep" in beat_help
    # someone consumes the queue the sweep is sent to
    assert "maintenance" in (ROOT / services["publish-worker"]["entrypoint"][0].removeprefix("/app/")).read_text()


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    assert "make test" in readme and "make test" in (ROOT / ".ci" / "run").read_text()
