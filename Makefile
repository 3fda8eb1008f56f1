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

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
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
