# The two set-up commands of the README: `make demo` and `make test`.
# Both create .venv on first use: torch (CPU build) first, then the project.

PYTHON ?= python3
VENV ?= .venv
TORCH_SPEC ?= torch==2.13.0
# Elsewhere, a CPU-only torch comes from PyTorch's index: make TORCH_PIP_ARGS="--index-url https://download.pytorch.org/whl/cpu"
TORCH_PIP_ARGS ?=
PY := $(VENV)/bin/python

.PHONY: setup demo test lint bench clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q $(TORCH_PIP_ARGS) "$(TORCH_SPEC)"
	$(PY) -m pip install -q -e ".[test]"
	touch $@

demo: setup
	$(VENV)/bin/gnews-i18n demo --offline

# The suite waits on its own workers, servers and browsers more than it computes: one process kept
# one of two cores busy (29.5 min); two processes, each taking whole files (module fixtures built
# once), use both. TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= 2

test: setup
	$(VENV)/bin/lint-imports --no-cache  # the layer contract (pyproject.toml; docs/architecture.md)
	$(PY) -m pytest $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --dist loadfile)

lint: setup
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/lint-imports --no-cache

clean:
	rm -rf var public .pytest_cache
