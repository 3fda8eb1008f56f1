# The two commands of the README: `make demo` and `make test`. Both install what they need into
# .venv first (Python >= 3.11 and pip from PyPI); `make test` also installs Debian's chromium for the
# browser test, and its Apache Kafka tests fetch the broker with Maven (Java 17 and Maven must be there).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
CHROMIUM := /usr/bin/chromium
COMPOSE  := /usr/bin/docker-compose
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test lint schemas bench clean

# pip's own output (a line per package, a bar per download) shows how far the install is: on a fresh
# machine it takes a few minutes (spaCy and its model, Faust, Playwright's Python package).
$(BIN)/.installed: pyproject.toml
	@echo "==> 1/3 creating $(VENV) with $(PYTHON)"
	$(PYTHON) -m venv $(VENV)
	@echo "==> 2/3 upgrading pip"
	$(BIN)/pip install --quiet --upgrade pip
	@echo "==> 3/3 installing Stancewire and its dependencies into $(VENV) (first time: a few minutes)"
	$(BIN)/pip install --progress-bar on -e '.[test]'
	@echo "==> installed; run .venv/bin/stancewire --help"
	touch $@

demo: $(BIN)/.installed
	$(BIN)/stancewire demo

test: $(BIN)/.installed $(CHROMIUM) $(COMPOSE) lint
	$(BIN)/pytest

# The live-view test drives Debian's Chromium through Playwright (Playwright's own browser download
# does not work on machines without general internet access), so `make test` installs it with apt.
$(CHROMIUM):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium

# tests/deploy checks the compose file with `docker-compose config` (no Docker engine needed).
$(COMPOSE):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq docker-compose

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/stancewire schemas --check
	$(BIN)/stancewire openapi --check

schemas: $(BIN)/.installed
	$(BIN)/stancewire schemas
	$(BIN)/stancewire openapi

bench: $(BIN)/.installed
	$(BIN)/stancewire bench

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
