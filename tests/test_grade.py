"""The grader on a synthetic class of 35 students, built from the exercise and solution notebooks.

Most students hand in ``01_emergence`` (one notebook keeps the run short); two
also hand in ``02_bases``.  The class holds every kind of submission a teacher
meets: perfect, blank, partial, wrong, raising, endless, a dead kernel, not a
notebook, renamed, missing, ``check`` redefined, the package edited (in the
kernel and on disk), answers given as strings, extra cells, a cell reaching
for the network, nbgrader's ``<student>/<assignment>/`` layout with a late
timestamp, a bar chart where markers were asked, written answers, an import
of the answers, declared mistakes and partial answers, and a notebook that
tries to read another student's work and write into the output folder.  The
grader runs as a teacher runs it (``python -m usiraq.teacher.grade``), with a
short cell timeout and a due date; then the teacher marks two written answers
and grades one student again and a latecomer into the same folder, with a
Canvas roster that names a student who handed in nothing.  The tests read
what it wrote.
"""

from __future__ import annotations

import csv
import html
import json
import os
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import nbformat
import pytest

from usiraq.checking import registry
from usiraq.teacher import sandbox, times, timing
from usiraq.teacher.grade import STATUSES
from usiraq.teacher.gradereport import file_names
from usiraq.teacher.submissions import CALL, CHECK_CALL, items_of

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
NB = "01_emergence.ipynb"
IDS = [
    "01.1 check",
    "01.2 check",
    "01.3 chart",
    "01.3 check",
    "01.4 check",
    "01.5 check",
    "01.7 check",
]
CHECKS = [i for i in IDS if i.endswith("check")]
SECRET = "zz-private-answer-5e1f"  # a marker in one student's code: must never leave DIR
CELL_TIMEOUT = (
    12  # far above any cell of the solutions (about 2 s at most), so only the endless loop meets it
)
DUE = "2026-03-02T17:00"
LATE_STAMP = "2026-03-02 19:05:00.000000 UTC"  # nbgrader1 hands in 2 h 5 min late
WRITTEN = {
    "01.1 defend": "I would quote the October 2011 figure, before the withdrawal began.",
    "01.6 written": "A cap limits a defined group; a count counts people.",
}
ANSWERS_IMPORT = "from usiraq.checking.declarations.n01_emergence import frames_in_order"
# 01.1 the paper's figures (a declared mistake), 01.2 close to the answer (within 5x its margin),
# 01.7 the right frames with two swapped (4 of 6 in place).
MISTAKEN = {"01.1": "77.06", "01.2": "1.62"}
BARS = (
    "years = troop_levels['date'].dt.year\n"
    "window = troop_levels[(years >= 2014) & (years <= 2021)]\n"
    "fig, ax = style.chart(title='Troop figures from 2014 to 2021 stayed under ten thousand', "
    "xlabel='Date of the figure', ylabel='US troops (people)', source='data/troop_levels.csv')\n"
    "ax.bar(range(30), range(30))\nplt.show()"
)


def escape(root: Path) -> str:
    """A cell that tries to read another student's notebook and the teacher's answers, and write
    into the grader's output folder; it records what it managed as its answer to 01.1."""
    targets = [str(root / "perfect0" / NB), str(ROOT / "solutions" / NB),
               str(ROOT / "src" / "usiraq" / "checking" / "declarations" / "n01_emergence.py")]  # fmt: skip
    out = root.parent / "out"
    return (
        "def probe():\n"
        "    done = []\n"
        f"    for path in {targets!r}:\n"
        "        try:\n"
        "            open(path).read(10); done.append('read ' + path)\n"
        "        except Exception:\n"
        "            pass\n"
        f"    for path in [{str(out / 'gradebook.csv')!r}, {str(out / 'planted.txt')!r}]:\n"
        "        try:\n"
        "            open(path, 'a').write('x'); done.append('wrote ' + path)\n"
        "        except Exception:\n"
        "            pass\n"
        "    return done\n"
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


def with_chart(nb, source):
    """The notebook with the 01.3 chart cell drawing ``source`` instead."""
    cell = next(
        c
        for c in nb.cells
        if c.cell_type == "code" and ("check_chart", "01.3") in CALL.findall(c.source)
    )
    cell.source = source + "\ncheck_chart('01.3', fig)"
    return nb


def with_written(nb, answers):
    """The notebook with a written answer under **Your answer:** for each item."""
    for cell in nb.cells:
        for key, text in answers.items():
            exercise_id, part = key.split(" ")
            marker = f"BEGIN {'COMPARISON' if part == 'defend' else 'CHECKLIST'} {exercise_id}"
            if marker in cell.source:
                cell.source = cell.source.replace("*Write your answer here.*", text)
    return nb


def after_imports_file(path: Path, code: str) -> None:
    nbformat.write(after_imports(nbformat.read(path, as_version=4), code), path)


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
    broken = solved([i.split(" ")[0] for i in CHECKS])
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
    put("barchart", "a bar chart where markers were asked", with_chart(load("solutions"), BARS))
    put("writer", "written answers", with_written(load("exercises"), WRITTEN))
    put("answers", "imports the answers", after_imports(load("solutions"), ANSWERS_IMPORT))
    put("mistaken", "declared mistakes and partial answers", with_answers(MISTAKEN))
    put("evil", "tries to leave its sandbox", with_answers({"01.1": "probe()"}), sub="")
    after_imports_file(root / "evil" / NB, escape(root))
    (root / "nbgrader1" / "week1" / "timestamp.txt").write_text(LATE_STAMP)
    on_time = datetime(2026, 3, 2, 12, 0, tzinfo=UTC).timestamp()
    for path in root.rglob("*"):
        os.utime(
            path, (on_time, on_time)
        )  # handed in before the due date (nbgrader1 says otherwise)
    assert len(kinds) == 35
    return kinds


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    base = tmp_path_factory.mktemp("class")
    submissions, out = base / "submissions", base / "out"
    kinds = build_class(submissions)
    before = {p: p.stat().st_mtime for p in submissions.rglob("*")}
    env = {**os.environ, "HOME": str(base / "home")}
    (base / "home").mkdir()
    run = run_grader(submissions, out, env, "--due", DUE)
    return {
        "kinds": kinds,
        "out": out,
        "run": run,
        "base": base,
        "env": env,
        "submissions": submissions,
        "before": before,
        **read_out(out),
    }


def run_grader(submissions, out, env, *args):
    run = subprocess.run(
        [sys.executable, "-m", "usiraq.teacher.grade", str(submissions), "--out", str(out),
         "--cell-timeout", str(CELL_TIMEOUT), *args],
        capture_output=True, text=True, env=env, timeout=1200,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-3000:]
    return run


def read_csv(path):
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def read_out(out):
    rows = read_csv(out / "gradebook.csv")
    return {"rows": rows, "book": {(r["student"], r["notebook"], r["item"]): r for r in rows}}


@pytest.fixture(scope="module")
def regraded(graded):
    """The teacher marks the writer's two written answers, one of perfect0's, and one of perfect1's with a
    word for a number; then grades only the writer again (one answer changed) and a latecomer into
    the same folder, with a Canvas roster that names a student who handed in nothing."""
    base, out = graded["base"], graded["out"]
    sheet = out / "marks.csv"
    lines = read_csv(sheet)
    for line in lines:
        if line["student"] == "writer":
            line["mark"] = {"01.1 defend": "1.5", "01.6 written": "2.5"}.get(line["item"], "")
        line["mark"] = MARKED.get((line["student"], line["item"]), line["mark"])
    with sheet.open("w", newline="", encoding="utf-8-sig") as f:
        writer = csv.DictWriter(f, fieldnames=list(lines[0]))
        writer.writeheader()
        writer.writerows(lines)
    again = base / "again"
    changed = {**WRITTEN, "01.6 written": "Now I say more: a cap limits a defined group."}
    for student, nb in (
        ("writer", with_written(load("exercises"), changed)),
        ("latecomer", load("solutions")),
    ):
        (again / student).mkdir(parents=True)
        nbformat.write(nb, again / student / NB)
    roster = base / "roster.csv"
    people = ["perfect0", "writer", "latecomer", "absent"]
    roster.write_text(
        "Student,ID,SIS User ID,SIS Login ID,Section\n    Points Possible,,,,\n"
        + "".join(f"{p.title()},{n},s{n},{p},A\n" for n, p in enumerate(people, 1)),
        encoding="utf-8",
    )
    run = run_grader(
        again, out, graded["env"], "--roster", str(roster), "--lms", "canvas", "--due", DUE
    )
    return {"run": run, "roster": roster, **read_out(out)}


MARKED = {("perfect0", "01.1 defend"): "2", ("perfect1", "01.6 written"): "lots"}


def statuses(graded, student, notebook=NB, items=IDS):
    return [graded["book"][(student, notebook, i)]["status"] for i in items]


def test_the_gradebook_has_a_row_per_student_notebook_and_item(graded):
    items_02 = items_of(nbformat.read(ROOT / "exercises" / "02_bases.ipynb", as_version=4))
    items_01 = items_of(nbformat.read(ROOT / "exercises" / NB, as_version=4))
    assert items_01 == IDS + ["01.1 defend", "01.6 written"]
    assert len(graded["rows"]) == 35 * (len(items_01) + len(items_02))
    assert list(graded["rows"][0])[:6] == [
        "student",
        "notebook",
        "item",
        "status",
        "points",
        "score",
    ]
    assert {r["status"] for r in graded["rows"]} <= set(STATUSES)
    assert (
        (graded["out"] / "gradebook.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    )  # Excel reads UTF-8


def test_perfect_submissions_in_both_layouts_are_all_correct(graded):
    for student in ["perfect0", "perfect1", "both0", "nbgrader0", "nbgrader1"]:
        assert statuses(graded, student) == ["correct"] * 7, student
    assert {
        graded["book"][("both1", "02_bases.ipynb", i)]["status"]
        for i in ["02.1 check", "02.4 check", "02.6 check", "02.6 chart"]
    } == {"correct"}
    assert graded["book"][("perfect0", "02_bases.ipynb", "02.1 check")]["status"] == "not-run"


def test_each_item_earns_its_declared_points(graded):
    book = graded["book"]
    assert [float(book[("perfect0", NB, i)]["score"]) for i in IDS] == [1, 1, 2, 1, 1, 1, 1]
    scores = {r["student"]: r for r in read_csv(graded["out"] / "scores.csv")}
    assert (
        float(scores["perfect0"]["01_emergence"]) == 8 and float(scores["perfect0"]["total"]) == 8
    )
    assert float(scores["blank0"]["total"]) == 0


def test_a_bar_chart_where_markers_were_asked_is_graded_wrong(graded):
    row = graded["book"][("barchart", NB, "01.3 chart")]
    assert row["status"] == "wrong" and "no markers" in row["message"] and float(row["score"]) == 0
    assert statuses(graded, "barchart", items=CHECKS) == ["correct"] * 6


def test_a_declared_mistake_is_diagnosed_and_a_near_answer_earns_half(graded):
    book = graded["book"]
    mistaken = book[("mistaken", NB, "01.1 check")]
    assert mistaken["status"] == "wrong" and mistaken["diagnosis"] == "paper-figures"
    assert float(mistaken["score"]) == 0
    close = book[("mistaken", NB, "01.2 check")]
    assert close["status"] == "wrong" and float(close["score"]) == 0.5 and "close" in close["note"]


def test_blank_partial_and_wrong(graded):
    assert statuses(graded, "blank1") == ["unanswered"] * 7
    assert statuses(graded, "partial0") == [
        "correct", "unanswered", "unanswered", "unanswered", "correct", "unanswered", "unanswered",
    ]  # fmt: skip
    row = graded["book"][("fifty2", NB, "01.1 check")]
    assert row["status"] == "wrong" and row["answer"] == "50" and "Hint" in row["message"]


def test_a_raising_cell_is_an_error_and_the_rest_still_counts(graded):
    assert statuses(graded, "raising") == ["correct", "error"] + ["correct"] * 5
    assert "my bug" in graded["book"][("raising", NB, "01.2 check")]["message"]
    assert set(statuses(graded, "brokenimport")) == {"error"}


def test_an_endless_cell_is_stopped_and_the_rest_still_counts(graded):
    assert statuses(graded, "endless") == ["correct"] * 4 + ["error", "correct", "correct"]
    assert (
        f"longer than {CELL_TIMEOUT} s" in graded["book"][("endless", NB, "01.4 check")]["message"]
    )


def test_a_dead_kernel_stops_that_notebook_only(graded):
    assert statuses(graded, "crash") == ["correct"] * 3 + ["error"] + ["not-run"] * 3
    assert (
        "The run stopped in this cell: the kernel stopped or failed (DeadKernelError)"
        in graded["book"][("crash", NB, "01.3 check")]["message"]
    )


def test_broken_missing_and_renamed_notebooks_are_reported(graded):
    for student in ["notjson0", "notjson1", "missing0", "missing1"]:
        assert statuses(graded, student) == ["not-run"] * 7, student
    assert statuses(graded, "renamed") == ["correct"] * 7
    report = (graded["out"] / "report.html").read_text(encoding="utf-8")
    assert "my work (1).ipynb was graded as 01_emergence.ipynb (renamed)" in report
    assert "01_emergence.ipynb is not a readable notebook" in report
    assert "not handed in" in graded["book"][("missing0", NB, "01.1 check")]["message"]


def test_a_redefined_check_or_an_edited_package_does_not_change_the_grade(graded):
    for student in ["redefined0", "redefined1", "patched", "owncopy"]:
        assert graded["book"][(student, NB, "01.1 check")]["status"] == "wrong", student
    assert graded["book"][("redefined0", NB, "01.3 check")]["status"] == "wrong"
    assert graded["book"][("patched", NB, "01.3 check")]["status"] == "wrong"


def test_integrity_flags_are_in_the_report_and_the_students_page_and_change_no_score(graded):
    state = json.loads((graded["out"] / "grading.json").read_text(encoding="utf-8"))
    flags = {s: " ".join(f) for s, f in state["flags"].items() if f}
    assert "redefined" in flags["redefined0"] and "redefined" in flags["redefined1"]
    assert "helper package" in flags["patched"] and "answers" in flags["answers"]
    assert (
        "answers" in flags["perfect0"]
    )  # a solution notebook imports the answers in its solution cells
    assert not {"fifty0", "blank0", "partial0", "writer", "strings"} & set(
        flags
    )  # exercise notebooks
    report = (graded["out"] / "report.html").read_text(encoding="utf-8")
    assert "redefined0: 01_emergence.ipynb: check or check_chart is redefined" in report
    page = (graded["out"] / "feedback" / "answers.html").read_text(encoding="utf-8")
    assert "the code reads the module&#x27;s answers" in page
    assert statuses(graded, "answers") == ["correct"] * 7  # the flag changes nothing


def test_answers_as_strings_are_invalid_with_a_clear_message(graded):
    row = graded["book"][("strings", NB, "01.1 check")]
    assert row["status"] == "invalid" and "This needs a number" in row["message"]
    assert graded["book"][("strings", NB, "01.3 check")]["status"] == "correct"


def test_extra_cells_do_not_matter_and_the_last_answer_counts(graded):
    assert statuses(graded, "extra") == ["wrong"] + ["correct"] * 6
    assert graded["book"][("extra", NB, "01.1 check")]["answer"] == "0"


def test_a_notebook_that_writes_to_the_data_harms_no_one(graded):
    assert "error" in statuses(graded, "vandal")  # it broke its own copy of the data
    for student in ["perfect0", "perfect1", "both0", "both1", "nbgrader0", "nbgrader1", "renamed"]:
        assert statuses(graded, student) == ["correct"] * 7  # and nobody else's
    changed = subprocess.run(
        ["git", "status", "--porcelain", "data"], cwd=ROOT, capture_output=True, text=True
    )
    assert changed.stdout == ""


def test_a_submission_cannot_leave_its_sandbox(graded):
    assert sandbox.available(), "bubblewrap must be installed for the grader's tests (make setup)"
    assert "no sandbox" not in graded["run"].stdout
    row = graded["book"][("evil", NB, "01.1 check")]
    assert row["answer"] == "[]", (
        f"a submission reached outside its scratch folder: {row['answer']}"
    )
    assert not (graded["out"] / "planted.txt").exists()
    assert statuses(graded, "perfect0") == ["correct"] * 7


def test_the_network_is_blocked_in_the_kernel(graded):
    row = graded["book"][("network", NB, "01.5 check")]
    assert row["status"] == "error" and re.search(
        r"network is blocked|Network is unreachable|Errno 101", row["message"]
    )


def test_written_answers_wait_for_the_teachers_mark(graded):
    sheet = {(r["student"], r["item"]): r for r in read_csv(graded["out"] / "marks.csv")}
    mine = sheet[("writer", "01.1 defend")]
    assert (
        mine["answer"] == WRITTEN["01.1 defend"]
        and mine["mark"] == ""
        and float(mine["points"]) == 2
    )
    assert "defend" not in mine["rubric"] and mine["rubric"]  # the teacher's rubric for the choice
    assert sheet[("blank0", "01.6 written")]["answer"] == ""
    assert graded["book"][("writer", NB, "01.6 written")]["status"] == "to mark"
    assert graded["book"][("blank0", NB, "01.6 written")]["status"] == "unanswered"


def test_lateness_is_shown_and_never_taken_off(graded):
    row = graded["book"][("nbgrader1", NB, "01.1 check")]
    assert (
        row["late"] == "2 h 5 min late" and row["status"] == "correct" and float(row["score"]) == 1
    )
    assert graded["book"][("nbgrader0", NB, "01.1 check")]["late"] == ""
    report = (graded["out"] / "report.html").read_text(encoding="utf-8")
    assert "nbgrader1: 01_emergence.ipynb: 2 h 5 min late" in report


def test_the_report_groups_mistakes_by_diagnosis_and_shows_a_grid(graded):
    report = (graded["out"] / "report.html").read_text(encoding="utf-8")
    assert (
        "<svg" in report
        and "<script" not in report
        and not re.search(r"(src|href)=\"https?:", report)
    )
    section = report.split("The mistakes of the class")[1].split("<h2>")[0]
    says = html.escape(
        next(m.says for m in registry.exercise("01.1").mistakes if m.name == "paper-figures")
    )
    assert f"<tr><td>1</td><td>{says}</td></tr>" in section
    assert "<tr><td>7</td><td>no diagnosis: <code>50</code> (wrong)</td></tr>" in section
    grid = report.split("Every student, every item")[1].split("</table>")[0]
    assert grid.count("<tr><td>") == 35
    laggards = report.split("Students who did not finish")[1].split("<h2>")[0]
    assert "blank1" in laggards and "partial1" in laggards and ">perfect0<" in laggards
    skipped = report.split("Items most of the class skipped")[1].split("<h2>")[0]
    assert "02.1 check: 33 of 35" in skipped and "01.1 check" not in skipped


def test_each_student_gets_a_feedback_page(graded):
    pages = sorted(p.name for p in (graded["out"] / "feedback").glob("*.html"))
    assert pages == sorted(file_names(list(graded["kinds"])).values()) and len(pages) == 35
    page = (graded["out"] / "feedback" / "fifty0.html").read_text(encoding="utf-8")
    assert "Feedback for fifty0" in page and "Not yet" in page and "<code>50</code>" in page
    close = (graded["out"] / "feedback" / "mistaken.html").read_text(encoding="utf-8")
    assert "0.5 of 1 (close" in close


def test_time_and_counts_on_the_terminal_and_no_names_or_answers(graded):
    out = graded["run"].stdout
    assert re.search(r"graded 70 notebooks of 35 students in [0-9.]+ s", out)
    terminal = out + graded["run"].stderr
    assert (
        not any(re.search(rf"\b{s}\b", terminal) for s in graded["kinds"])
        and SECRET not in terminal
    )
    assert "\r" not in terminal  # the progress line only on a terminal


def test_nothing_outside_dir_holds_names_or_answers(graded):
    out, home = graded["out"], graded["base"] / "home"
    assert sorted(p.name for p in out.iterdir()) == [
        "feedback", "gradebook.csv", "grading.json", "marks.csv", "report.html", "scores.csv",
    ]  # fmt: skip
    assert SECRET in (out / "gradebook.csv").read_text(encoding="utf-8-sig")
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
    assert [book[("perfect1", NB, i)]["minutes"] for i in CHECKS] == ["8", "10", "30", "", "", ""]
    assert (
        book[("perfect0", NB, "01.1 check")]["minutes"] == "4"
        and book[("nbgrader0", NB, "01.1 check")]["minutes"] == "30"
    )  # 40 min without a run: capped
    assert (
        book[("nbgrader1", NB, "01.1 check")]["minutes"] == ""
    )  # its setup cells ran, none of the exercises'
    timed = {(s, i.split(" ")[0]) for (s, n, i), r in book.items() if r["minutes"]}
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


# --- the teacher marks, then grades one student again and a latecomer ------------------------------


def test_a_regrade_keeps_the_class_and_brings_the_marks_in(graded, regraded):
    assert "grading 2 students, 1 notebook each" in regraded["run"].stdout  # counts in words
    before, after = graded["book"], regraded["book"]
    students = {s for s, _, _ in after}
    assert students == set(graded["kinds"]) | {"latecomer"}
    for key, row in before.items():
        if key[0] != "writer" and key[::2] not in MARKED:
            assert after[key] == row, key  # nobody else's row moved
    defend, written = after[("writer", NB, "01.1 defend")], after[("writer", NB, "01.6 written")]
    assert (defend["status"], float(defend["score"])) == ("marked", 1.5)
    assert (written["status"], float(written["score"])) == ("marked", 2.5)
    sheet = {(r["student"], r["item"]): r for r in read_csv(graded["out"] / "marks.csv")}
    assert (
        sheet[("writer", "01.6 written")]["changed"] == "yes"
    )  # the answer changed after its mark
    assert sheet[("writer", "01.1 defend")]["changed"] == ""
    handed_in = {s for s, k in graded["kinds"].items() if k not in ("not a notebook", "missing")}
    assert (
        len(sheet) == (len(handed_in) + 1) * 2 + 2 * 2
    )  # 01's two written items; 02's for both0, both1


def test_marks_reach_students_not_graded_again_and_a_bad_one_names_its_row(graded, regraded):
    defend = regraded["book"][("perfect0", NB, "01.1 defend")]
    assert (defend["status"], float(defend["score"])) == ("marked", 2)
    written = regraded["book"][("perfect1", NB, "01.6 written")]
    assert written["status"] == "to mark" and "'lots' is not a number" in written["note"]
    row = int(re.search(r"marks.csv, row (\d+), column 'mark'", written["note"]).group(1))
    with (graded["out"] / "marks.csv").open(encoding="utf-8-sig", newline="") as f:
        sheet = list(csv.reader(f))
    assert sheet[row - 1][:2] == ["perfect1", "01.6 written"]
    assert written["note"] in regraded["run"].stdout and "perfect1" not in regraded["run"].stdout


def test_scores_follow_the_roster_with_zero_for_who_handed_in_nothing(regraded, graded):
    scores = read_csv(graded["out"] / "scores.csv")
    named = [r for r in scores if r["Student"]]  # the roster's rows; the rest of the class follows
    assert [r["SIS Login ID"] for r in named] == ["perfect0", "writer", "latecomer", "absent"]
    absent = named[-1]
    assert float(absent["total"]) == 0 and absent["note"] == "not handed in"
    writer = named[1]
    assert float(writer["01_emergence"]) == 1.5 + 2.5  # no checked answer, two marked answers
    assert any(r["note"] == "not on the roster" for r in scores)  # the rest of the class is kept


def test_the_canvas_file_imports_as_it_is(regraded, graded):
    canvas = read_csv(graded["out"] / "scores-canvas.csv")
    assert list(canvas[0]) == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section",
                               "US presence in Iraq 01_emergence", "US presence in Iraq 02_bases"]  # fmt: skip
    assert [r["SIS Login ID"] for r in canvas] == ["perfect0", "writer", "latecomer", "absent"]
    for row in canvas:
        for column in list(row)[5:]:
            float(row[column])  # numbers only
    assert float(canvas[0]["US presence in Iraq 01_emergence"]) == 8 + 2  # checks, one mark
