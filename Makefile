# Balai: `make run` serves the Lumajang demo, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Test workers; browser and PostgreSQL tests are safe in parallel.
TEST_WORKERS ?= 2

.PHONY: install run test lint format benchmark messages lock

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

run: install
	$(BIN)/balai setup-demo
	$(BIN)/balai serve --demo-cameras

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/balai makemigrations --check --dry-run
	$(BIN)/balai check --fail-level WARNING
	$(BIN)/pytest -n $(TEST_WORKERS) -q

lint: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: install
	cd balai && ../$(BIN)/balai makemessages -l en --no-obsolete --add-location file && ../$(BIN)/balai compilemessages -l en

benchmark: install
	$(BIN)/pip install --quiet -e ".[test,bench]"
	$(BIN)/python benchmarks/run.py

# The deployed service's pinned, hashed dependencies (docs/server.md), after a
# change to pyproject.toml's dependencies: pip-compile from pip-tools.
lock: install
	$(BIN)/pip install --quiet "pip-tools>=7.4,<8"
	$(BIN)/pip-compile --quiet --upgrade --generate-hashes --no-emit-index-url --no-emit-find-links \
		--strip-extras --output-file=requirements/deploy.txt pyproject.toml
