# Two commands a newcomer needs: `make run` and `make test`. Both set themselves up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench lint typecheck demo clean setup mutate flows-graph test-newest-matplotlib

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

# The raster and glyph tests again on the newest matplotlib the package index has, past
# pyproject's pin (renderers/glyphs.py uses FT2Font internals): a second virtualenv, the
# project in it, then matplotlib upgraded regardless of the pin. It says which it ran.
NEWEST := .venv-newest
# left to `make test`, to keep this run short: the 80-stage render, the 100 renders of the
# memory check, LibreOffice printing the XLSX (none draws differently from the small maps)
NEWEST_SKIP := -k 'not libreoffice and not 100_maps' --deselect \
	'tests/renderers/test_image.py::test_png_preview_and_pdf_are_written_without_missing_glyph_warnings[80]'
$(NEWEST)/.installed: pyproject.toml
	@test -x $(NEWEST)/bin/python || $(PYTHON) -m venv $(NEWEST)
	$(NEWEST)/bin/python -m pip install --quiet -e '.[dev]'
	@touch $@

test-newest-matplotlib: $(NEWEST)/.installed
	$(NEWEST)/bin/python -m pip install --quiet --upgrade matplotlib
	@$(NEWEST)/bin/python -c 'import matplotlib; print("matplotlib", matplotlib.__version__)'
	$(NEWEST)/bin/python -m pytest -q -p no:cacheprovider tests/renderers $(NEWEST_SKIP)

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

# Mutation testing from scratch (about 30 minutes on 2 cores); the counts and the wall
# time go into bench/results.json. bench/mutation.py says how mypy and the per-mutant test
# budget keep it that short; `.venv/bin/mutmut results` and `mutmut show NAME` afterwards.
mutate: $(STAMP)
	rm -rf mutants
	@start=$$(date +%s); \
	$(BIN)/python -m bench.mutation run --max-children 2 || true; \
	$(BIN)/python -m bench.mutation record $$(( $$(date +%s) - start ))

clean:
	rm -rf $(VENV) $(NEWEST) .pytest_cache .mypy_cache .ruff_cache demo-output mutants
