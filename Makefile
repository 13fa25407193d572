# Two commands take a fresh clone to a running module and to a passing test suite:
#   make lab    set up .venv (first time only) and open the module in JupyterLab
#   make test   set up .venv and the test tools (first time only) and run every test
# Both need only Python 3.11 and make.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
ENV_OK := $(VENV)/.env-installed
TEST_OK := $(VENV)/.test-installed
PYTEST_ARGS ?=

.PHONY: setup lab test check notebooks exercises dictionary clean site bench

setup: $(ENV_OK)

$(ENV_OK): environment.yml pyproject.toml tools/pins.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python tools/pins.py environment.yml > $(VENV)/requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r $(VENV)/requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

$(TEST_OK): $(ENV_OK) requirements-test.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	touch $@

# Jupyter refuses to run as root unless told to (containers, CI machines).
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

lab: $(ENV_OK)
	$(BIN)/jupyter lab $(ROOT_FLAG) notebooks/00_start_here.ipynb

test: $(TEST_OK)
	$(BIN)/python -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)

# The quick loop while editing: the data, the package and one notebook, e.g.
#   make check NB=notebooks/02_bases.ipynb
# (the notebook under nbval, with the checks that follow its run). `make test`
# before a commit runs everything else too.
CHECK_TESTS := tests/test_data.py tests/test_schema.py tests/test_feedback.py tests/test_quiz.py \
	tests/test_troops.py tests/test_bases.py tests/test_tasks.py tests/test_attacks.py tests/test_claims.py
NB ?=

check: $(TEST_OK)
	$(BIN)/python -m pytest -n 2 --dist loadfile -q $(CHECK_TESTS) $(NB) $(PYTEST_ARGS)

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

# A static website of the stored lecture notebooks (and, under teachers/, the
# solutions) in _site/, for reading without a kernel. Nothing is re-run.
site: $(ENV_OK)
	$(BIN)/python tools/build_site.py --out _site

# Time and memory of each lecture notebook against a floor, the test suite's
# wall time and the environment's size: prints a table (a report, not a test).
bench: $(TEST_OK)
	$(BIN)/python tools/bench.py
