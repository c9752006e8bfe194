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

test: setup
	$(VENV)/bin/lint-imports --no-cache  # the layer contract (pyproject.toml; docs/architecture.md)
	$(PY) -m pytest

lint: setup
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/lint-imports --no-cache

clean:
	rm -rf var public .pytest_cache
