# The two commands a new user needs (see README.md):
#   make site   install what the build needs and build the site into site/
#   make test   install what the tests need (Chromium included) and run every check
VENV ?= .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: site serve test install browser clean

site: $(VENV)/.site-deps
	$(BIN)/vtq-hub build $(BUILD_OPTIONS)

# Only install what the build needs (for vtq-hub validate, diff, new, codeowners).
install: $(VENV)/.site-deps

serve: $(VENV)/.site-deps
	$(BIN)/vtq-hub serve

test: $(VENV)/.test-deps browser
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/pytest

$(BIN)/python:
	python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.site-deps: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.test-deps: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.site-deps

# Debian's Chromium drives the browser tests (Playwright launches /usr/bin/chromium).
browser:
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
	  $(SUDO) apt-get install -y -qq chromium >/dev/null; }

clean:
	rm -rf site .hub-build .pytest_cache .mypy_cache .ruff_cache
