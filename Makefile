# Two commands take a fresh clone to a running module and to a passing test suite:
#   make lab    set up .venv (first time only) and open the module in JupyterLab
#   make test   set up .venv and the test tools (first time only) and run every test
# `make lab` needs only Python 3.11 and make; `make test` also needs Debian's chromium and npm
# (the browser and accessibility tests; .ci/run installs them).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
ENV_OK := $(VENV)/.env-installed
TEST_OK := $(VENV)/.test-installed
DOCS_OK := $(VENV)/.docs-installed
# axe-core checks the site's accessibility in tests/test_site.py (npm, pinned).
AXE_VERSION := 4.14.1
# The stamp names the version, so a new AXE_VERSION installs again.
AXE := $(VENV)/node/.axe-core-$(AXE_VERSION)
PYTEST_ARGS ?=

.PHONY: setup lab test check lint notebooks exercises times dictionary data-stamp clean site site-teachers bench lock binder-check release grade axe

# The grader seals each student's kernel off with bubblewrap (usiraq.teacher.sandbox):
# installed here where it is missing and root can install it; else the grader warns.
SANDBOX := $(VENV)/.sandbox-checked
$(SANDBOX): $(ENV_OK)
	@command -v bwrap >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
		&& { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap >/dev/null; }; } \
		|| echo "note: bubblewrap is not installed; make grade will run student code unsandboxed (see the guide)"
	touch $@

setup: $(ENV_OK) $(SANDBOX)


# The student lock, exactly as Binder installs it: environment.yml's pip: list
# (the same list as requirements.txt, which laptops without make install).
# JupyterLab's defaults for this environment: record when each cell ran (usiraq.labsettings).
$(ENV_OK): environment.yml pyproject.toml tools/pins.py src/usiraq/labsettings.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python tools/pins.py environment.yml > $(VENV)/requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r $(VENV)/requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	$(BIN)/python -m usiraq.labsettings
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
	touch $@

# Jupyter refuses to run as root unless told to (containers, CI machines).
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

lab: $(ENV_OK)
	$(BIN)/jupyter lab $(ROOT_FLAG) --notebook-dir=. notebooks/00_start_here.ipynb

# `make test` runs the Binder build check too (tests/test_binder.py, marked slow).
test: $(TEST_OK) $(AXE) $(SANDBOX) lint
	$(BIN)/python -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)

# ruff, configured in pyproject.toml: lint, and the formatting of src/, tests/ and tools/.
lint: $(TEST_OK)
	$(BIN)/ruff check --no-cache .
	$(BIN)/ruff format --check --no-cache .

# Build the environment as Binder does (repo2docker's base, environment.yml,
# postBuild) in a throwaway venv; fail on conflicts, extensions that do not
# load, usiraq not importable, or JupyterLab not answering /lab and /tree.
binder-check: $(TEST_OK) lint
	$(BIN)/python tools/binder_check.py

# Re-resolve every lock from requirements/*.in with uv: requirements.txt and
# environment.yml (students, Binder), requirements-<name>.txt for each other
# .in file (test.in, ...). Pins already there are kept unless they must move;
# `make lock LOCK_ARGS=--upgrade` moves every pin to the newest that fits.
LOCK_ARGS ?=
lock: $(TEST_OK)
	$(BIN)/python tools/lock.py $(LOCK_ARGS)

# The quick loop while editing: the data, the package and one notebook, e.g.
#   make check NB=notebooks/02_bases.ipynb
# (the notebook under nbval, with the checks that follow its run). `make test`
# before a commit runs everything else too.
CHECK_TESTS := tests/test_data.py tests/test_schema.py tests/test_checking.py tests/test_quiz.py \
	tests/test_troops.py tests/test_bases.py tests/test_tasks.py tests/test_challenges.py tests/test_claims.py
NB ?=

check: $(TEST_OK) lint
	$(BIN)/python -m pytest -n 2 --dist loadfile -q $(CHECK_TESTS) $(NB) $(PYTEST_ARGS)

# Re-execute the lecture and solution notebooks in place (they are committed
# freshly executed), then regenerate the exercise notebooks from the solutions.
notebooks: $(ENV_OK)
	$(BIN)/python -m usiraq.teacher.execute notebooks/*.ipynb solutions/*.ipynb
	$(BIN)/python -m usiraq.teacher.exercisegen solutions exercises

# Regenerate only the exercise notebooks from the solutions.
exercises: $(ENV_OK)
	$(BIN)/python -m usiraq.teacher.exercisegen solutions exercises

# Write the exercise times (declared once, in src/usiraq/checking/declarations) and the written
# tasks' checklists into the solution notebooks, the module map of 00 and the
# teacher's guide, then regenerate the exercise notebooks.
# `make times MEASURED=OUT/gradebook.csv` instead prints the declared minutes beside
# those measured in the students' notebooks (the grader's minutes column); it writes nothing.
MEASURED ?=
times: $(ENV_OK)
ifneq ($(MEASURED),)
	$(BIN)/python -m usiraq.teacher.times --measured "$(MEASURED)"
else
	$(BIN)/python -m usiraq.teacher.times
	$(BIN)/python -m usiraq.teacher.exercisegen solutions exercises
endif

clean:
	rm -rf $(VENV) _site _site_teachers artifacts

# Rewrite the data dictionary from data/datapackage.json.
dictionary: $(ENV_OK)
	$(BIN)/python tools/data_dictionary.py > data/README.md

# After an intended edit of a table: record each table's row count, size and
# hash (and the package's date) in data/datapackage.json. The loader compares
# every table with them, so a file cut short is caught. Refuses broken data.
data-stamp: $(ENV_OK)
	$(BIN)/python tools/data_stamp.py

# The reading edition in _site/, the students' edition to publish: a website of the
# stored notebooks (nothing is re-run) without the solutions or the teacher's guide,
# with each lecture as a PDF and its handout (2-4 pages, A4 and US Letter).
site: $(DOCS_OK)
	$(BIN)/python tools/build_book.py --out _site

# The teachers' edition in _site_teachers/: the same with the worked solutions and the
# teacher's guide. Keep it private: never on a public web server or public GitHub Pages.
site-teachers: $(DOCS_OK)
	$(BIN)/python tools/build_book.py --teachers --out _site_teachers

# Time and memory of each lecture notebook against a floor, the test suite's
# wall time and the environment's size: prints a table (a report, not a test).
bench: $(TEST_OK)
	$(BIN)/python tools/bench.py $(BENCH_ARGS) > $(VENV)/performance.md
	mv $(VENV)/performance.md docs/performance.md
	cat docs/performance.md

# The student edition (no solutions, no teacher's guide) in OUT, ready to push
# to the repository or branch that the students' nbgitpuller link pulls.
# (the exercises are regenerated first, so a student never gets a stale one)
release: exercises
	@test -n "$(OUT)" || { echo "usage: make release OUT=DIR"; exit 2; }
	$(BIN)/python -m usiraq.teacher.release "$(OUT)"

# Grade collected notebooks (SUBMISSIONS/<student>/<notebook>.ipynb, or nbgrader's
# submitted/<student>/<assignment>/): gradebook.csv, report.html, feedback/ in OUT.
grade: $(ENV_OK) $(SANDBOX)
	@test -n "$(SUBMISSIONS)" -a -n "$(OUT)" || { echo "usage: make grade SUBMISSIONS=DIR OUT=DIR [GRADE_ARGS='--due ... --roster ... --lms canvas']"; exit 2; }
	$(BIN)/python -m usiraq.teacher.grade "$(SUBMISSIONS)" --out "$(OUT)" $(GRADE_ARGS)
