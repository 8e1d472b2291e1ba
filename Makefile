# Two commands a newcomer needs: `make run` and `make test`. Both set themselves up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench lint typecheck demo clean setup mutate flows-graph

# The virtual environment is rebuilt when pyproject.toml changes.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed (found $$($(PYTHON) --version))"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/cjm-bot auto

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m bench

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy flows storage bot renderers

demo: $(STAMP)
	$(BIN)/cjm-bot demo --out demo-output

# The README's chart of the conversation, drawn again from the flow catalog.
flows-graph: $(STAMP)
	$(BIN)/cjm-bot flows --mermaid --update README.md

mutate: $(STAMP)
	$(BIN)/mutmut run --max-children 2 || true
	$(BIN)/python -m bench.mutation

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache demo-output mutants
