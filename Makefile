# The two commands a new user needs (see README.md):
#   make site   install what the build needs and build the site into site/
#   make test   install what the tests need (Chromium included) and run every check
# and, for measuring, make bench: the benchmark at small scale (BENCH_SCALE=hub for more).
VENV ?= .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: site serve test bench install browser lock clean

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

# Figures to read, never asserted: floor and full build, rebuilds, validate, sizes, memory
# (benchmarks/run). The tests only smoke-test the benchmark code on a tiny hub.
BENCH_SCALE ?= small
bench: $(VENV)/.test-deps
	$(BIN)/python benchmarks/run --scale $(BENCH_SCALE)

$(BIN)/python:
	python3 -m venv $(VENV)

# Every package comes from the lock files, each version pinned and each file checked
# against its hash; then the project itself, with nothing more fetched.
$(VENV)/.site-deps: requirements/site.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements/site.txt
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.test-deps: requirements/test.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements/test.txt
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@ $(VENV)/.site-deps

# Pin every dependency again from pyproject.toml, to the newest releases its ranges allow
# (MAINTAINING.md, "Updating dependencies"). Run it after changing a dependency.
LOCK = $(BIN)/uv pip compile pyproject.toml requirements/build.in --generate-hashes \
	--universal --python-version 3.11 --quiet
lock: $(VENV)/.test-deps
	$(LOCK) -o requirements/site.txt
	$(LOCK) --extra test -o requirements/test.txt

# Debian's Chromium drives the browser tests (Playwright launches /usr/bin/chromium).
browser:
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
	  $(SUDO) apt-get install -y -qq chromium >/dev/null; }

clean:
	rm -rf site .hub-build .pytest_cache .mypy_cache .ruff_cache
