PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run readme test lint bench clean

$(BIN)/kg: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	@touch $(BIN)/kg

$(VENV)/.test-deps: pyproject.toml $(BIN)/kg
	$(BIN)/pip install -q -e '.[test,peers]'
	@touch $@

run: $(BIN)/kg
	$(BIN)/kg build seeds --out output

# README.md's example query outputs, regenerated from the seeds build (never edited by hand).
readme: run
	$(BIN)/python -m kg.readme_examples

test: $(VENV)/.test-deps
	$(BIN)/ruff check kg tests bench
	$(BIN)/ruff format --check kg tests bench
	$(BIN)/pytest -q

lint: $(VENV)/.test-deps
	$(BIN)/ruff check --fix kg tests bench
	$(BIN)/ruff format kg tests bench

bench: $(VENV)/.test-deps
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
