# Two commands matter: `make run` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint bench clean

$(BIN)/reader: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	# brat's own parser for the brat export tests; its declared dependencies (scipy, matplotlib) are unused.
	$(BIN)/pip install --quiet --no-deps bratiaa==0.1.4
	touch $(BIN)/reader

run: $(BIN)/reader
	$(BIN)/reader .

test: $(BIN)/reader
	$(BIN)/ruff check reader tests benchmarks
	$(BIN)/ruff format --check reader tests benchmarks
	$(BIN)/mypy reader
	$(BIN)/lint-imports
	$(BIN)/pytest -q

bench: $(BIN)/reader
	$(BIN)/python -m benchmarks.startup

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
