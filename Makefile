# Thin bootstrap: a virtualenv with the pinned dependencies, then invoke / pelican / pytest.
#   make serve   build and preview at http://127.0.0.1:8000 (rebuilds and reloads the page on every change)
#   make build   build output/ (warnings are errors)
#   make test    build the site and run every test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: help serve build test clean system-packages
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
	$(BIN)/invoke livereload --port $(PORT)

build: $(VENV)/.build-deps
	$(BIN)/invoke build

test: $(VENV)/.test-deps system-packages
	$(BIN)/python -m pytest

# Debian's chromium (browser tests), a Java runtime (the Nu HTML checker) and apache2 (the .htaccess)
system-packages:
	@scripts/system-packages.sh

clean:
	rm -rf output cache .pytest_cache test-artifacts
