# The two commands of the README: `make demo` and `make test`. Both install what they need into
# .venv first (Python >= 3.11 and pip from PyPI are all a fresh machine needs).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: demo test lint schemas bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

demo: $(BIN)/.installed
	$(BIN)/stancewire demo

test: $(BIN)/.installed lint
	$(BIN)/pytest

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
