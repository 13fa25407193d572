"""The grader on a synthetic class of 30 students, built from the exercise and solution notebooks.

Most students hand in ``01_emergence`` (one notebook keeps the run short); two
also hand in ``02_bases``.  The class holds every kind of submission a teacher
meets: perfect, blank, partial, wrong, raising, endless, a dead kernel, not a
notebook, renamed, missing, ``check`` redefined, the package edited (in the
kernel and on disk), answers given as strings, extra cells, a cell reaching
for the network, and nbgrader's ``<student>/<assignment>/`` layout.  The
grader runs once, as a teacher runs it (``python -m usiraq.teacher.grade``), with a
short cell timeout; the tests read what it wrote.
"""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import nbformat
import pytest

from usiraq.teacher import times, timing
from usiraq.teacher.grade import CHECK_CALL, exercise_ids
from usiraq.teacher.gradereport import file_names

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
NB = "01_emergence.ipynb"
IDS = ["01.1", "01.2", "01.3", "01.4", "01.5", "01.7"]
SECRET = "zz-private-answer-5e1f"  # a marker in one student's code: must never leave DIR
CELL_TIMEOUT = (
    12  # far above any cell of the solutions (about 2 s at most), so only the endless loop meets it
)


def load(folder: str, name: str = NB) -> nbformat.NotebookNode:
    return nbformat.read(ROOT / folder / name, as_version=4)


def cell_of(nb, exercise_id):
    return next(
        c for c in nb.cells if c.cell_type == "code" and exercise_id in CHECK_CALL.findall(c.source)
    )


def with_answers(answers: dict[str, str], base: str = "exercises") -> nbformat.NotebookNode:
    """The notebook with the cells of the given exercises set to ``answer = ...`` then the check."""
    nb = load(base)
    for exercise_id, expression in answers.items():
        cell_of(nb, exercise_id).source = f"answer = {expression}\ncheck({exercise_id!r}, answer)"
    return nb


def solved(ids) -> nbformat.NotebookNode:
    """The exercise notebook with the solution's cells for the given exercises (a partial submission)."""
    nb, solution = load("exercises"), load("solutions")
    for exercise_id in ids:
        cell_of(nb, exercise_id).source = cell_of(solution, exercise_id).source
    return nb


def prepend(nb, exercise_id, code):
    cell = cell_of(nb, exercise_id)
    cell.source = code + "\n" + cell.source
    return nb


def after_imports(nb, code):
    """Add a cell of the student's own right after the notebook's import cell."""
    first = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code")
    nb.cells.insert(first + 1, nbformat.v4.new_code_cell(code))
    return nb


def timed(nb, minutes: dict[str, float]) -> nbformat.NotebookNode:
    """Give the notebook the run times JupyterLab records, as if the student spent ``minutes`` on each exercise.

    The setup cells run at 09:00; each listed exercise's code cells then run
    together, that many minutes after the previous listed exercise's.
    Exercises not listed keep no times.
    """
    clock, current, start = 0.0, None, datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    for cell in nb.cells:
        if cell.cell_type == "markdown" and (
            found := re.findall(r"^### Exercise (\d\d\.\d+)", cell.source, re.M)
        ):
            current = found[-1]
            clock += minutes.get(current, 0)
        elif cell.cell_type == "code" and (current is None or current in minutes):
            moment = (start + timedelta(minutes=clock)).isoformat().replace("+00:00", "Z")
            cell.metadata["execution"] = {
                "iopub.execute_input": moment,
                "shell.execute_reply": moment,
            }
    return nb


# Measured minutes per student: 01.1 has three students (4, 8 and 40 capped to 30: median 8), 01.2 two (median 8),
# 01.3 one (45 minutes without a run counts 30: a break), the rest none.
TIMED = {
    "perfect0": {"01.1": 4, "01.2": 6},
    "perfect1": {"01.1": 8, "01.2": 10, "01.3": 45},
    "nbgrader0": {"01.1": 40},
}


def build_class(root: Path) -> dict[str, str]:
    """Write 30 students' submissions under ``root``; return each student's kind."""
    kinds = {}

    def put(student, kind, nb=None, name=NB, text=None, sub=""):
        folder = root / student / sub
        folder.mkdir(parents=True, exist_ok=True)
        if text is not None:
            (folder / name).write_text(text)
        elif nb is not None:
            nbformat.write(nb, folder / name)
        kinds[student] = kind

    for n in range(2):
        put(f"perfect{n}", "perfect", timed(load("solutions"), TIMED[f"perfect{n}"]))
    for n in range(2):
        put(f"both{n}", "perfect", load("solutions"))
        nbformat.write(load("solutions", "02_bases.ipynb"), root / f"both{n}" / "02_bases.ipynb")
        put(
            f"nbgrader{n}",
            "perfect",
            timed(load("solutions"), TIMED.get(f"nbgrader{n}", {})),
            sub="week1",
        )
    for n in range(2):
        put(f"blank{n}", "blank", load("exercises"))
    put(
        "vandal",
        "writes to the data",
        after_imports(load("solutions"), "open('../data/troop_levels.csv', 'w').write('x')"),
    )
    put("partial0", "partial", solved(["01.1", "01.4"]))
    put("partial1", "partial", solved(["01.1", "01.4"]))
    for n in range(3):
        put(f"fifty{n}", "wrong", with_answers({"01.1": "50"}))
    put("raising", "raising", prepend(load("solutions"), "01.2", "raise RuntimeError('my bug')"))
    put("endless", "endless", prepend(load("solutions"), "01.4", "while True:\n    pass"))
    put("crash", "dead", prepend(load("solutions"), "01.3", "import os\nos._exit(1)"))
    broken = solved(IDS)
    next(c for c in broken.cells if c.cell_type == "code").source = "import not_a_module_anywhere"
    put("brokenimport", "raising", broken)
    put("notjson0", "not a notebook", text="this is not a notebook")
    put("notjson1", "not a notebook", text='{"cells": "no"}')
    put("renamed", "renamed", load("solutions"), name="my work (1).ipynb")
    put("missing0", "missing", text="my notes", name="notes.txt")
    put("missing1", "missing", text="{}", name="unrelated.ipynb")
    put(
        "redefined0",
        "check redefined",
        after_imports(
            with_answers({"01.1": "50", "01.3": "'D'"}),
            "def check(exercise_id, answer):\n    print('✅ Correct!')",
        ),
    )
    put(
        "redefined1",
        "check redefined",
        after_imports(with_answers({"01.1": "50"}), "check = lambda *args: '✅ Correct!'"),
    )
    put(
        "patched",
        "package edited",
        after_imports(
            with_answers({"01.1": "50", "01.3": "'D'"}),
            "import usiraq.checking.kinds as f\nf.Exercise.matches = lambda self, value, expected: True\n"
            "f.Number.matches = lambda self, value, expected: True\nf.Choice.matches = f.Number.matches",
        ),
    )
    own = root / "owncopy" / "src" / "usiraq"
    own.mkdir(parents=True)
    (own / "__init__.py").write_text("from .checking import check\n")
    (own / "checking.py").write_text("def check(exercise_id, answer):\n    return 'Correct!'\n")
    put(
        "owncopy",
        "package edited",
        after_imports(
            with_answers({"01.1": "50"}),
            f"import sys\nsys.path.insert(0, {str(own.parent)!r})\n"
            "for m in [m for m in sys.modules if m.split('.')[0] == 'usiraq']:\n    del sys.modules[m]\n"
            "from usiraq import check",
        ),
    )
    put("strings", "answers as strings", with_answers({"01.1": f"'73.68 {SECRET}'", "01.3": "'A'"}))
    extra = load("solutions")
    extra.cells.insert(3, nbformat.v4.new_markdown_cell("My own notes."))
    extra.cells.insert(5, nbformat.v4.new_code_cell("print('trying things')\nx = 1 + 1"))
    extra.cells.append(
        nbformat.v4.new_code_cell("check('01.1', 0)  # a later try, after the answer")
    )
    put("extra", "extra cells", extra)
    put(
        "network",
        "network",
        prepend(
            load("solutions"),
            "01.5",
            "import socket\nsocket.create_connection(('93.184.216.34', 80), timeout=3)",
        ),
    )
    assert len(kinds) == 30
    return kinds


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    base = tmp_path_factory.mktemp("class")
    submissions, out = base / "submissions", base / "out"
    kinds = build_class(submissions)
    before = {p: p.stat().st_mtime for p in submissions.rglob("*")}
    env = {**os.environ, "HOME": str(base / "home")}
    (base / "home").mkdir()
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "usiraq.teacher.grade",
            str(submissions),
            "--out",
            str(out),
            "--cell-timeout",
            str(CELL_TIMEOUT),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=1200,
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-3000:]
    with (out / "gradebook.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    book = {(r["student"], r["notebook"], r["exercise_id"]): r for r in rows}
    return {
        "kinds": kinds,
        "out": out,
        "run": run,
        "book": book,
        "rows": rows,
        "base": base,
        "submissions": submissions,
        "before": before,
    }


def statuses(graded, student, notebook=NB):
    return [graded["book"][(student, notebook, i)]["status"] for i in IDS]


def test_the_gradebook_has_a_row_per_student_notebook_and_exercise(graded):
    ids_02 = exercise_ids(nbformat.read(ROOT / "exercises" / "02_bases.ipynb", as_version=4))
    assert len(graded["rows"]) == 30 * (len(IDS) + len(ids_02))
    assert list(graded["rows"][0])[:4] == ["student", "notebook", "exercise_id", "status"]
    assert {r["status"] for r in graded["rows"]} <= {
        "correct",
        "wrong",
        "invalid",
        "unanswered",
        "error",
        "not-run",
    }


def test_perfect_submissions_in_both_layouts_are_all_correct(graded):
    for student in ["perfect0", "perfect1", "both0", "nbgrader0", "nbgrader1"]:
        assert statuses(graded, student) == ["correct"] * 6, student
    assert {
        graded["book"][("both1", "02_bases.ipynb", i)]["status"] for i in ["02.1", "02.4", "02.6"]
    } == {"correct"}
    assert graded["book"][("perfect0", "02_bases.ipynb", "02.1")]["status"] == "not-run"


def test_blank_partial_and_wrong(graded):
    assert statuses(graded, "blank1") == ["unanswered"] * 6
    assert statuses(graded, "partial0") == [
        "correct",
        "unanswered",
        "unanswered",
        "correct",
        "unanswered",
        "unanswered",
    ]
    row = graded["book"][("fifty2", NB, "01.1")]
    assert row["status"] == "wrong" and row["answer"] == "50" and "Hint" in row["message"]


def test_a_raising_cell_is_an_error_and_the_rest_still_counts(graded):
    assert statuses(graded, "raising") == [
        "correct",
        "error",
        "correct",
        "correct",
        "correct",
        "correct",
    ]
    assert "my bug" in graded["book"][("raising", NB, "01.2")]["message"]
    assert set(statuses(graded, "brokenimport")) == {"error"}


def test_an_endless_cell_is_stopped_and_the_rest_still_counts(graded):
    assert statuses(graded, "endless") == [
        "correct",
        "correct",
        "correct",
        "error",
        "correct",
        "correct",
    ]
    assert f"longer than {CELL_TIMEOUT} s" in graded["book"][("endless", NB, "01.4")]["message"]


def test_a_dead_kernel_stops_that_notebook_only(graded):
    assert statuses(graded, "crash") == [
        "correct",
        "correct",
        "error",
        "not-run",
        "not-run",
        "not-run",
    ]
    assert (
        "The run stopped in this cell: the kernel stopped or failed (DeadKernelError)"
        in graded["book"][("crash", NB, "01.3")]["message"]
    )


def test_broken_missing_and_renamed_notebooks_are_reported(graded):
    for student in ["notjson0", "notjson1", "missing0", "missing1"]:
        assert statuses(graded, student) == ["not-run"] * 6, student
    assert statuses(graded, "renamed") == ["correct"] * 6
    report = (graded["out"] / "report.html").read_text(encoding="utf-8")
    assert "my work (1).ipynb was graded as 01_emergence.ipynb (renamed)" in report
    assert "01_emergence.ipynb is not a readable notebook" in report
    assert "not handed in" in graded["book"][("missing0", NB, "01.1")]["message"]


def test_a_redefined_check_or_an_edited_package_does_not_change_the_grade(graded):
    for student in ["redefined0", "redefined1", "patched", "owncopy"]:
        assert graded["book"][(student, NB, "01.1")]["status"] == "wrong", student
    assert graded["book"][("redefined0", NB, "01.3")]["status"] == "wrong"
    assert graded["book"][("patched", NB, "01.3")]["status"] == "wrong"


def test_answers_as_strings_are_invalid_with_a_clear_message(graded):
    row = graded["book"][("strings", NB, "01.1")]
    assert row["status"] == "invalid" and "This needs a number" in row["message"]
    assert graded["book"][("strings", NB, "01.3")]["status"] == "correct"


def test_extra_cells_do_not_matter_and_the_last_answer_counts(graded):
    assert statuses(graded, "extra") == [
        "wrong",
        "correct",
        "correct",
        "correct",
        "correct",
        "correct",
    ]
    assert graded["book"][("extra", NB, "01.1")]["answer"] == "0"


def test_a_notebook_that_writes_to_the_data_harms_no_one(graded):
    assert "error" in statuses(graded, "vandal")  # it broke its own copy of the data
    for student in ["perfect0", "perfect1", "both0", "both1", "nbgrader0", "nbgrader1", "renamed"]:
        assert statuses(graded, student) == ["correct"] * 6  # and nobody else's
    changed = subprocess.run(
        ["git", "status", "--porcelain", "data"], cwd=ROOT, capture_output=True, text=True
    )
    assert changed.stdout == ""


def test_the_network_is_blocked_in_the_kernel(graded):
    row = graded["book"][("network", NB, "01.5")]
    assert row["status"] == "error" and "network is blocked" in row["message"]


def test_the_report_shows_the_chart_common_wrong_answers_laggards_and_skips(graded):
    report = (graded["out"] / "report.html").read_text(encoding="utf-8")
    assert (
        "<svg" in report
        and "<script" not in report
        and not re.search(r"(src|href)=\"https?:", report)
    )
    section = report.split("The most common wrong answers")[1].split("<h2>")[0]
    assert re.search(r"<td>7</td><td><code>50</code></td><td>wrong</td><td>Not yet", section)
    laggards = report.split("Students who did not finish")[1].split("<h2>")[0]
    assert (
        "blank1" in laggards and "partial1" in laggards and ">perfect0<" in laggards
    )  # 02 not handed in
    skipped = report.split("Exercises most of the class skipped")[1]
    assert "<b>28 of 30</b>" in skipped  # 02_bases: only two students handed it in


def test_each_student_gets_a_feedback_page(graded):
    pages = sorted(p.name for p in (graded["out"] / "feedback").glob("*.html"))
    assert pages == sorted(file_names(list(graded["kinds"])).values()) and len(pages) == 30
    page = (graded["out"] / "feedback" / "fifty0.html").read_text(encoding="utf-8")
    assert "Feedback for fifty0" in page and "Not yet" in page and "<code>50</code>" in page


def test_progress_and_time_on_the_terminal_and_no_names_or_answers(graded):
    out = graded["run"].stdout
    assert "student 1 of 30 graded" in out and "student 30 of 30 graded" in out
    assert re.search(r"graded 60 notebooks of 30 students in [0-9.]+ s", out)
    terminal = out + graded["run"].stderr
    assert (
        not any(re.search(rf"\b{s}\b", terminal) for s in graded["kinds"])
        and SECRET not in terminal
    )


def test_nothing_outside_dir_holds_names_or_answers(graded):
    out, home = graded["out"], graded["base"] / "home"
    assert sorted(p.name for p in out.iterdir()) == ["feedback", "gradebook.csv", "report.html"]
    assert SECRET in (out / "gradebook.csv").read_text(encoding="utf-8")
    after = {p: p.stat().st_mtime for p in graded["submissions"].rglob("*")}
    assert after == graded["before"]  # the submissions are untouched
    for path in [p for p in home.rglob("*") if p.is_file()]:
        text = path.read_bytes()
        assert SECRET.encode() not in text and b"fifty0" not in text, path
    status = subprocess.run(
        ["git", "status", "--porcelain", "--ignored"], cwd=ROOT, capture_output=True, text=True
    )
    assert SECRET not in status.stdout


def test_measured_minutes_come_from_the_handed_in_notebooks_run_times(graded):
    book = graded["book"]
    assert [book[("perfect1", NB, i)]["minutes"] for i in IDS] == [
        "8.0",
        "10.0",
        "30.0",
        "",
        "",
        "",
    ]
    assert (
        book[("perfect0", NB, "01.1")]["minutes"] == "4.0"
        and book[("nbgrader0", NB, "01.1")]["minutes"] == "30.0"
    )  # 40 min without a run: capped
    assert (
        book[("nbgrader1", NB, "01.1")]["minutes"] == ""
    )  # its setup cells ran, none of the exercises'
    timed = {(s, i) for (s, n, i), r in book.items() if r["minutes"]}
    assert timed == {
        (s, i) for s, spent in TIMED.items() for i in spent
    }  # no time where none was recorded


def test_the_report_sets_the_measured_median_beside_the_estimated_minutes(graded):
    report = (graded["out"] / "report.html").read_text(encoding="utf-8")
    table = report.split("<h2>Time per exercise</h2>")[1].split("</table>")[0]
    assert (
        f"at most {timing.BREAK_MINUTES:g} minutes" in table
    )  # the rule the report states is the one applied
    cells = dict(
        (m[0], m[1:])
        for m in re.findall(
            r"<tr><td>([0-9.]+)</td><td>(\d*)</td><td>([0-9.]*)</td><td>(\d+)</td></tr>", table
        )
    )
    assert cells["01.1"] == (
        str(times.estimated_minutes("01.1")),
        "8.0",
        "3",
    )  # 4, 40 (capped to 30), 8
    assert cells["01.2"] == (str(times.estimated_minutes("01.2")), "8.0", "2")  # 6 and 10
    assert cells["01.3"] == (
        str(times.estimated_minutes("01.3")),
        "30.0",
        "1",
    )  # 45 minutes capped to 30
    assert cells["01.4"] == (str(times.estimated_minutes("01.4")), "", "0")
