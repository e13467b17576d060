# Two commands do all the set-up:  `make run`  and  `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum < pyproject.toml | cut -d' ' -f1)
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test lint typecheck system-deps bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $@

## run: install if needed, load the demo channels and serve on http://127.0.0.1:8000
run: $(STAMP)
	$(BIN)/epg serve --demo --host $(HOST) --port $(PORT)

## system-deps: Debian packages the tests use (tv_validate_file and friends from xmltv-util, Chromium)
system-deps:
	@{ command -v tv_validate_file && command -v chromium; } >/dev/null 2>&1 || { \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends \
	    xmltv-util chromium fonts-dejavu-core >/dev/null; }

lint: $(STAMP)
	$(BIN)/ruff check epg feeds api tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

## test: install if needed, then lint, type-check and run the whole suite
test: $(STAMP) system-deps lint typecheck
	$(BIN)/pytest $(PYTEST_ARGS)

## bench: run every benchmark (tv_cat and wrk are the baselines) and write BENCHMARKS.md
bench: $(STAMP) system-deps
	@command -v wrk >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq wrk >/dev/null
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache epg.sqlite3*
