"""Classroom distribution with nbgitpuller: a course update never costs a student their work.

On a JupyterHub, a teacher hands out the module with an nbgitpuller link. Every
click clones the course (the first time) or pulls the teacher's latest version
into the student's copy, merging it with what the student has changed. These
tests run nbgitpuller itself (``GitPuller(...).pull()``), offline: the
teacher's repository is a fresh git repository in a temporary folder, built
from the real course files and reached over ``file://`` (a shallow clone, as on
a hub). Git's user and system configuration is shut out, so a setting such as
``merge.ff=only`` on the machine cannot change the result.

What nbgitpuller does on a re-pull: it commits the student's changes, then
merges the teacher's with ``git merge -Xours``. Where a student's change and a
teacher's change touch the same or adjacent lines, the student's version wins
and the teacher's change there is dropped, without a conflict or a message.
The second test pins that rule down, so a teacher knows what to expect (see
"Teaching with this module" in the README).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

ROOT = Path(__file__).resolve().parents[1]
# nbgitpuller 1.3.0 never closes the pipe of the git commands it runs
# (pull.execute_cmd); the suite turns that ResourceWarning into an error.
pytestmark = [
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings(
        "ignore:Exception ignored in.*FileIO:pytest.PytestUnraisableExceptionWarning"
    ),
]

PLACEHOLDER = "# YOUR CODE HERE"
STUDENT_ANSWER = "answer = 42  # my answer, typed in by the student"
STUDENT_NOTE = "My note: check the 2011 figure against the second source."
TEACHER_NOTE = "*Updated by your teacher for this term.*"
TEACHER_DATA_NOTE = "> Teacher's note: two sources were re-checked this term."
TEACHER_HINT = "# Hint from your teacher: look at the table above first."
GIT_TIMEOUT = 60  # seconds for each git command the tests run themselves
PULL_TIMEOUT = 180  # seconds for one whole nbgitpuller pull


def git(cwd: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, timeout=GIT_TIMEOUT
    )
    assert result.returncode == 0, f"git {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def teacher_commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(
        repo,
        "-c",
        "user.name=Teacher",
        "-c",
        "user.email=teacher@example.org",
        "commit",
        "-q",
        "-m",
        message,
    )


def pull(url: str, target: Path) -> str:
    """Run nbgitpuller's pull to the end, as a click on the link does; return its log."""
    from nbgitpuller.pull import GitPuller

    lines: list[str] = []
    errors: list[BaseException] = []

    def run():
        try:
            for line in GitPuller(url, str(target), branch="main").pull():
                lines.append(line)
        except BaseException as error:  # handed to the test below
            errors.append(error)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(PULL_TIMEOUT)
    log = "".join(lines)
    if worker.is_alive():
        pytest.fail(f"nbgitpuller did not finish within {PULL_TIMEOUT} s:\n{log}")
    if errors:
        raise AssertionError(f"nbgitpuller failed: {errors[0]!r}\n{log}") from errors[0]
    return log


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def write(nb: nbformat.NotebookNode, path: Path) -> None:
    """Save as JupyterLab does (both go through nbformat)."""
    nbformat.write(nb, path)


def cell_by_id(nb: nbformat.NotebookNode, cell_id: str):
    matches = [c for c in nb.cells if c.get("id") == cell_id]
    assert len(matches) == 1, f"cell {cell_id} appears {len(matches)} times"
    return matches[0]


def assert_valid_notebooks(folder: Path) -> None:
    """Every notebook parses, passes the nbformat schema and has unique cell ids."""
    paths = sorted(p for p in folder.rglob("*.ipynb") if ".git" not in p.parts)
    assert paths
    for path in paths:
        raw = json.loads(path.read_text(encoding="utf-8"))
        ids = [c.get("id") for c in raw["cells"]]
        assert len(ids) == len(set(ids)), f"{path.name}: duplicate cell ids after the merge"
        nbformat.validate(nbformat.from_dict(raw))


def stand_in_exercise() -> nbformat.NotebookNode:
    """An exercise notebook of the generated kind, for as long as exercises/ is empty."""
    cells = [new_markdown_cell("# Exercises\n\nWork through the tasks in order.")]
    for n in range(1, 5):
        cells.append(new_markdown_cell(f"**Task {n}.** Count the rows of the table."))
        cells.append(
            new_code_cell(
                f'answer = None  # your answer: a number\n{PLACEHOLDER}\ncheck("00.{n}", answer)'
            )
        )
    return new_notebook(cells=cells)


class Course:
    """The teacher's repository and the student's (not yet existing) copy."""

    def __init__(self, teacher: Path, student: Path, exercise: str, answer_cell: str):
        self.teacher, self.student = teacher, student
        self.url = teacher.as_uri()
        self.exercise = exercise  # path of the exercise notebook the student works in
        self.answer_cell = answer_cell  # id of the answer cell the student fills in


@pytest.fixture
def course(tmp_path, monkeypatch):
    # Git sees only what the tests set: no user or system config, no prompts, no editor.
    for name in list(os.environ):
        if name.startswith("GIT_") or name == "XDG_CONFIG_HOME":
            monkeypatch.delenv(name)
    home = tmp_path / "home"
    home.mkdir()
    for name, value in {
        "HOME": str(home),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_EDITOR": "true",
        "GIT_MERGE_AUTOEDIT": "no",
        "NBGITPULLER_DEPTH": "1",
    }.items():
        monkeypatch.setenv(name, value)

    teacher = tmp_path / "teacher" / "usiraq"
    ignore = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__")
    for folder in ("notebooks", "exercises", "data"):
        if (ROOT / folder).is_dir():
            shutil.copytree(ROOT / folder, teacher / folder, ignore=ignore)
    (teacher / "exercises").mkdir(exist_ok=True)

    # The student works in the first exercise notebook that has answer cells far
    # enough from its first cell (which the teacher edits); until the real
    # exercises exist, a stand-in of the same shape.
    exercise, answer_cell = None, None
    for path in sorted((teacher / "exercises").glob("*.ipynb")):
        answers = [
            i
            for i, c in enumerate(read(path).cells)
            if c.cell_type == "code" and PLACEHOLDER in c.source
        ]
        if answers and answers[-1] >= 3:
            exercise, answer_cell = path, read(path).cells[answers[-1]].id
            break
    if exercise is None:
        exercise = teacher / "exercises" / "00_practice.ipynb"
        write(stand_in_exercise(), exercise)
        answer_cell = read(exercise).cells[-1].id
    assert len((teacher / "data" / "README.md").read_text().splitlines()) > 10

    git(teacher, "init", "-q", "-b", "main")
    teacher_commit(teacher, "Course, first release")

    student = tmp_path / "student" / "usiraq"
    assert not student.exists() and ROOT not in student.parents
    return Course(teacher, student, str(exercise.relative_to(teacher)), answer_cell)


def fill_in(nb: nbformat.NotebookNode, cell_id: str) -> str:
    """The student replaces the placeholder with an answer and runs the cell."""
    cell = cell_by_id(nb, cell_id)
    assert PLACEHOLDER in cell.source
    cell.source = cell.source.replace(PLACEHOLDER, STUDENT_ANSWER)
    cell.execution_count = 1
    cell.outputs = [new_output("stream", name="stdout", text="✅ correct\n")]
    return cell.source


def test_student_work_survives_a_course_update(course):
    log = pull(course.url, course.student)
    assert (course.student / course.exercise).exists(), log
    assert git(course.student, "rev-parse", "--is-shallow-repository").strip() == "true"

    # The student fills in an answer cell, and adds a note at the end of a data file.
    exercise = course.student / course.exercise
    nb = read(exercise)
    student_source = fill_in(nb, course.answer_cell)
    write(nb, exercise)
    readme = course.student / "data" / "README.md"
    readme.write_text(readme.read_text() + f"\n{STUDENT_NOTE}\n")

    # The teacher publishes an update: the top of the same exercise notebook (far
    # from the student's cell), other notebooks, the top of the same data file,
    # and a new notebook.
    teacher_exercise = course.teacher / course.exercise
    nb = read(teacher_exercise)
    assert nb.cells.index(cell_by_id(nb, course.answer_cell)) >= 3, (
        "the two edits must be cells apart"
    )
    nb.cells[0].source += f"\n\n{TEACHER_NOTE}"
    first_cell_id = nb.cells[0].id
    write(nb, teacher_exercise)
    others = [p for p in sorted(course.teacher.glob("*/*.ipynb")) if p != teacher_exercise][:3]
    assert others
    for path in others:
        other = read(path)
        other.cells[0].source += f"\n\n{TEACHER_NOTE}"
        write(other, path)
    teacher_readme = course.teacher / "data" / "README.md"
    lines = teacher_readme.read_text().splitlines(keepends=True)
    teacher_readme.write_text("".join(lines[:1] + [f"\n{TEACHER_DATA_NOTE}\n"] + lines[1:]))
    new_file = course.teacher / "notebooks" / "99_new_this_term.ipynb"
    write(
        new_notebook(
            cells=[new_markdown_cell("# New this term\n\nA reading added after the first release.")]
        ),
        new_file,
    )
    teacher_commit(course.teacher, "Course, update during term")

    # The student clicks the link again.
    log = pull(course.url, course.student)
    for bad in ("fatal", "error", "CONFLICT"):
        assert bad not in log, f"the pull reported '{bad}':\n{log}"
    git(
        course.student, "merge-base", "--is-ancestor", "origin/main", "HEAD"
    )  # the update is merged
    assert git(course.student, "status", "--porcelain") == "", "the pull left uncommitted changes"

    # The student's work is there ...
    nb = read(exercise)
    answer = cell_by_id(nb, course.answer_cell)
    assert answer.source == student_source and STUDENT_ANSWER in answer.source
    assert answer.outputs and "correct" in answer.outputs[0].text
    readme_text = readme.read_text()
    assert readme_text.rstrip().endswith(STUDENT_NOTE)
    # ... and so is everything the teacher changed elsewhere.
    assert TEACHER_NOTE in cell_by_id(nb, first_cell_id).source
    assert TEACHER_DATA_NOTE in readme_text
    for path in others:
        assert (course.student / path.relative_to(course.teacher)).read_bytes() == path.read_bytes()
    assert (course.student / "notebooks" / new_file.name).read_bytes() == new_file.read_bytes()
    assert_valid_notebooks(course.student)


def test_same_cell_edited_on_both_sides_keeps_the_students_version(course):
    """The documented loss: a teacher's edit to a cell the student changed does not arrive."""
    pull(course.url, course.student)
    exercise = course.student / course.exercise
    nb = read(exercise)
    student_source = fill_in(nb, course.answer_cell)
    write(nb, exercise)

    teacher_exercise = course.teacher / course.exercise
    nb = read(teacher_exercise)
    cell = cell_by_id(nb, course.answer_cell)
    cell.source = cell.source.replace(PLACEHOLDER, f"{TEACHER_HINT}\n{PLACEHOLDER}")
    write(nb, teacher_exercise)
    teacher_commit(course.teacher, "Course, a hint added to an exercise")

    log = pull(course.url, course.student)
    assert "fatal" not in log and "CONFLICT" not in log, log
    git(course.student, "merge-base", "--is-ancestor", "origin/main", "HEAD")
    answer = cell_by_id(read(exercise), course.answer_cell)
    assert answer.source == student_source, "the student's answer must win"
    assert TEACHER_HINT not in answer.source, (
        "nbgitpuller now merges the teacher's hint in: update the README"
    )
    assert_valid_notebooks(course.student)
