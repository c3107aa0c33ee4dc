# Two commands matter: `make run` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The reference Argdown parser, which the Argdown export tests run on what reader writes.
ARGDOWN := .argdown/node_modules/.bin/argdown

.PHONY: run test lint bench clean

$(BIN)/reader: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	# brat's own parser for the brat export tests and bratiaa's span agreement, the peer of `reader agree`.
	# --no-deps keeps pip from resolving its unpinned list (pytest among them); what its agreement code
	# imports (numpy, scipy, matplotlib, tabulate) comes with the test extra above.
	$(BIN)/pip install --quiet --no-deps bratiaa==0.1.4
	touch $(BIN)/reader

# Installed once into .argdown/ from the npm registry (node and npm must be on the PATH). 1.7.5 is the
# newest that installs: 2.0.0 depends on a plugin version that was never published.
$(ARGDOWN):
	npm install --prefix .argdown --no-audit --no-fund --loglevel=error @argdown/cli@1.7.5

run: $(BIN)/reader
	$(BIN)/reader .

test: $(BIN)/reader $(ARGDOWN)
	$(BIN)/ruff check reader tests benchmarks
	$(BIN)/ruff format --check reader tests benchmarks
	$(BIN)/mypy reader
	$(BIN)/lint-imports
	$(BIN)/pytest -q

bench: $(BIN)/reader
	$(BIN)/python -m benchmarks.startup

clean:
	rm -rf $(VENV) .argdown .pytest_cache .mypy_cache .ruff_cache
