# Two commands take a fresh clone to a running module and to a passing test suite:
#   make lab    set up .venv (first time only) and open the module in JupyterLab
#   make test   set up .venv and the test tools (first time only) and run every test
# Both need only Python 3.11 and make.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
ENV_OK := $(VENV)/.env-installed
TEST_OK := $(VENV)/.test-installed
DOCS_OK := $(VENV)/.docs-installed
# axe-core checks the site's accessibility in tests/test_site.py (npm, pinned).
AXE_VERSION := 4.14.1
AXE := $(VENV)/node/node_modules/axe-core/axe.min.js
PYTEST_ARGS ?=

.PHONY: setup lab test notebooks exercises dictionary clean site bench axe

setup: $(ENV_OK)

$(ENV_OK): environment.yml pyproject.toml tools/pins.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python tools/pins.py environment.yml > $(VENV)/requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r $(VENV)/requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

$(DOCS_OK): $(ENV_OK) requirements-docs.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-docs.txt
	touch $@

$(TEST_OK): $(DOCS_OK) requirements-test.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	touch $@

axe: $(AXE)

$(AXE):
	npm install --silent --no-audit --no-fund --no-save --prefix $(VENV)/node axe-core@$(AXE_VERSION)

# Jupyter refuses to run as root unless told to (containers, CI machines).
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

lab: $(ENV_OK)
	$(BIN)/jupyter lab $(ROOT_FLAG) notebooks/00_start_here.ipynb

test: $(TEST_OK) $(AXE)
	$(BIN)/python -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)

# Re-execute the lecture and solution notebooks in place (they are committed
# freshly executed), then regenerate the exercise notebooks from the solutions.
notebooks: $(ENV_OK)
	$(BIN)/python -m usiraq.execute notebooks/*.ipynb solutions/*.ipynb
	$(BIN)/python -m usiraq.exercisegen solutions exercises

# Regenerate only the exercise notebooks from the solutions.
exercises: $(ENV_OK)
	$(BIN)/python -m usiraq.exercisegen solutions exercises

clean:
	rm -rf $(VENV) _site artifacts

# Rewrite the data dictionary from data/datapackage.json.
dictionary: $(ENV_OK)
	$(BIN)/python tools/data_dictionary.py > data/README.md

# The reading edition in _site/: a website of the stored notebooks (nothing is
# re-run) with a PDF handout per lecture, for reading without a kernel.
site: $(DOCS_OK)
	$(BIN)/python tools/build_book.py --out _site

# Time and memory of each lecture notebook against a floor, the test suite's
# wall time and the environment's size: prints a table (a report, not a test).
bench: $(TEST_OK)
	$(BIN)/python tools/bench.py
