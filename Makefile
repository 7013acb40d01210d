# Thin bootstrap: a virtualenv with the pinned dependencies, then invoke / pytest.
#   make serve       build and preview at http://127.0.0.1:8000 (rebuilds and reloads the page on every save)
#   make build       build output/ (every problem is listed; a failed build publishes nothing)
#   make test        lint, build the site and run every test (on every core)
#   make test-fast   every test but the browser and slow ones, on every core (a quick check while working)
#   make lint        ruff (lint and format) and mypy
#   make clean       remove everything generated
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: help serve build test test-fast lint clean system-packages
.DEFAULT_GOAL := help

help:
	@sed -n 's/^#   //p' Makefile

# The virtualenv, rebuilt whenever a requirements file changes
$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || \
	  { echo "make: Python 3.11 or newer is needed as '$(PYTHON)' (pelican 4.12 needs it); set PYTHON=..." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.build-deps: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.test-deps: requirements-test.txt $(VENV)/.build-deps
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	@touch $@

serve: $(VENV)/.build-deps
	@$(BIN)/invoke serve --port $(PORT)

build: $(VENV)/.build-deps
	@$(BIN)/invoke build

# -n auto --dist loadfile: every core, a module's tests on one worker (its module-scoped builds are made once), the
# modules in the order tests/conftest.py gives them (longest first), not xdist's (most tests first)
TEST_CORES := -n auto --dist loadfile --no-loadscope-reorder
test: $(VENV)/.test-deps system-packages lint
	$(BIN)/python -m pytest $(TEST_CORES)

test-fast: $(VENV)/.test-deps
	$(BIN)/python -m pytest -m "not browser and not slow" $(TEST_CORES)

lint: $(VENV)/.test-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Debian's chromium (browser tests), a Java runtime (the Nu HTML checker), apache2 and nginx-light (the
# header files and the nginx snippet, served by a real server)
system-packages:
	@scripts/system-packages.sh

clean:
	@if [ -x $(BIN)/invoke ]; then $(BIN)/invoke clean; else rm -rf output nginx.conf cache .preview test-artifacts .output-*; fi
