"""Grade a class's exercise notebooks: ``python -m usiraq.teacher.grade SUBMISSIONS --out DIR``.

Layouts.  ``SUBMISSIONS/<student>/<notebook>.ipynb``, or nbgrader's
``submitted/<student>/<assignment>/<notebook>.ipynb`` (pass ``submitted`` or
the course folder that holds it).  A notebook is matched to the teacher's
exercise notebook of the same name; a file with another name is matched by the
exercise ids its ``check(...)`` calls name, and reported as renamed.  By
default the notebooks graded are those that at least one student handed in
(``--notebooks`` names them instead).

How a verdict is reached, and why a student cannot change it.
1. Each notebook runs in a fresh kernel (one at a time per core, two cores),
   from a scratch folder inside DIR, with a per-cell timeout (a cell that runs
   too long is interrupted and the run goes on), a time limit for the whole
   notebook, and errors allowed (a cell that raises is reported and the next
   cells still run).  The kernel's ``PYTHONPATH`` puts the teacher's ``src``
   first; its data folder is a fresh copy of the teacher's ``data/`` beside
   the scratch folder (``../data`` works, and a student who writes to it
   changes nothing for the next student); its subprocesses get an unreachable
   web proxy.
2. A first cell of the grader's, which the student never saw and cannot edit,
   blocks the network and rewrites every later cell so that each
   ``check(ID, ANSWER)`` call records ID and the pickled ANSWER to a file in
   DIR before calling whatever ``check`` the student has
   (``usiraq.teacher.gradekernel``).  A student who redefines ``check``, or edits their
   copy of the package, changes only what their own notebook displays.
3. The grader's own process reads the records back, with an unpickler that
   accepts only plain data (numbers, text, lists, dates, numpy and pandas
   objects; never a class the student defined, whose ``==`` might always say
   yes) and judges each exercise's last recorded answer with the teacher's
   ``usiraq.checking.check``, imported from the teacher's copy.  Nothing the
   kernel displays or computes as a verdict is trusted.
An exercise whose cell never recorded a call is ``error`` (the cell raised or
timed out), ``not-run`` (the run stopped before it, or the notebook is missing
or unreadable) or ``unanswered`` (the cell ran but called no check, or is gone).

This protects the grade, not the machine: student code runs as the user who
grades.  Run the grader as a user who can write only DIR (or in a container)
if the class is not trusted.

Time.  Before running anything, the grader reads the run times JupyterLab
kept in the submitted notebook (``usiraq.teacher.timing``) and writes the measured
minutes of each exercise to the gradebook's ``minutes`` column (empty when the
notebook kept no times for that exercise); the report sets their median
beside the declared minutes.

Output, all inside DIR: ``gradebook.csv``, ``report.html``,
``feedback/<student>.html`` (``usiraq.teacher.gradereport``), and a ``work/`` folder
of records and scratch folders that is removed at the end.  The terminal shows
counts and times only, never a name or an answer, and nothing is written
outside DIR: the kernels' IPython history and runtime files go to ``work/``.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import logging
import os
import pickle
import re
import shutil
import subprocess
import sys
import time
import warnings
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import nbformat

from ..checking.ladder import SEEN_ORDER
from . import timing
from .repo import ROOT, SRC

EXERCISES = ROOT / "exercises"
STATUSES = ("correct", "wrong", "invalid", "unanswered", "error", "not-run")
CHECK_CALL = re.compile(r"""\bcheck\(\s*["']([0-9]{2}\.[0-9a-z]+)["']""")
CELL_TIMEOUT = 60
NOTEBOOK_TIMEOUT = 600
WORKERS = 2
ANSWER_CHARS = 200


@dataclass
class Row:
    """One line of the gradebook: how one student stands on one exercise."""

    student: str
    notebook: str
    exercise_id: str
    status: str
    answer: str = ""
    message: str = ""
    hint_seen: str = ""
    minutes: float | None = None


@dataclass
class Job:
    """One notebook of one student to grade; ``path`` is None when it is missing."""

    index: int
    student: str
    notebook: str
    path: Path | None


@dataclass
class Outcome:
    """What grading one job gave: a row per exercise and notes for the teacher."""

    job: Job
    rows: list[Row]
    notes: list[str]


def exercise_ids(nb: nbformat.NotebookNode) -> list[str]:
    """The ids named in the notebook's ``check("ID", ...)`` calls, in order, once each."""
    ids = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            ids += [i for i in CHECK_CALL.findall(cell.source) if i not in ids]
    return ids


def teacher_notebooks() -> dict[str, list[str]]:
    """Every teacher's exercise notebook with the exercise ids it checks."""
    return {
        p.name: exercise_ids(nbformat.read(p, as_version=4))
        for p in sorted(EXERCISES.glob("*.ipynb"))
    }


def read_notebook(path: Path) -> nbformat.NotebookNode:
    """Read a submitted notebook; any problem (not JSON, not a notebook) raises ValueError."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            nb = nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
        if not isinstance(nb.get("cells"), list):
            raise ValueError("it has no cells")
        for cell in nb.cells:
            cell.setdefault("source", "")
            if isinstance(cell.source, list):
                cell.source = "".join(cell.source)
        return nb
    except Exception as err:
        raise ValueError(f"{path.name} is not a readable notebook ({type(err).__name__})") from None


def student_files(submissions: Path) -> dict[str, list[Path]]:
    """Each student's notebooks, in either layout (checkpoints left out)."""
    if (submissions / "submitted").is_dir():
        submissions = submissions / "submitted"
    found = {}
    for folder in sorted(
        p for p in submissions.iterdir() if p.is_dir() and not p.name.startswith(".")
    ):
        files = [
            p
            for p in folder.rglob("*.ipynb")
            if ".ipynb_checkpoints" not in p.parts and len(p.relative_to(folder).parts) <= 2
        ]
        found[folder.name] = sorted(files, key=lambda p: (len(p.relative_to(folder).parts), str(p)))
    return found


def match(files: list[Path], wanted: dict[str, list[str]]) -> tuple[dict[str, Path], list[str]]:
    """Pair a student's files with the teacher's notebooks: by name, then by the ids they check."""
    paired, notes, others = {}, [], []
    for path in files:
        if path.name in wanted and path.name not in paired:
            paired[path.name] = path
        else:
            others.append(path)
    for path in others:
        try:
            ids = set(exercise_ids(read_notebook(path)))
        except ValueError as err:
            notes.append(f"{err}; it was not graded")
            continue
        best = max(
            (n for n in wanted if n not in paired),
            key=lambda n: len(ids & set(wanted[n])),
            default=None,
        )
        if best and ids & set(wanted[best]):
            paired[best] = path
            notes.append(f"{path.name} was graded as {best} (renamed)")
        elif path.name not in paired:
            notes.append(f"{path.name} checks none of the graded exercises; it was not graded")
    return paired, notes


def plan(
    submissions: Path, notebooks: list[str] | None
) -> tuple[list[Job], dict[str, list[str]], dict[str, list[str]]]:
    """The jobs to run, the notebooks graded with their ids, and notes per student."""
    teacher = teacher_notebooks()
    notebooks = [n if n.endswith(".ipynb") else f"{n}.ipynb" for n in notebooks or []]
    unknown = [n for n in notebooks if n not in teacher]
    if unknown:
        raise SystemExit(f"error: no exercise notebook named {', '.join(unknown)} in {EXERCISES}")
    files = student_files(submissions)
    pairs = {student: match(paths, teacher) for student, paths in files.items()}
    graded = notebooks or sorted({n for paired, _ in pairs.values() for n in paired})
    wanted = {n: teacher[n] for n in graded}
    jobs, notes = [], {}
    for student, (paired, student_notes) in pairs.items():
        notes[student] = student_notes
        for name in wanted:
            jobs.append(Job(len(jobs), student, name, paired.get(name)))
    return jobs, wanted, notes


# ---- in a worker process ------------------------------------------------------------


def _init_worker(work: str) -> None:
    """Keep everything a kernel writes inside DIR, and make the teacher's package win."""
    os.environ["IPYTHONDIR"] = str(Path(work) / "ipython")
    os.environ["JUPYTER_RUNTIME_DIR"] = str(Path(work) / "runtime")
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [str(SRC), *filter(None, [os.environ.get("PYTHONPATH")])]
    )
    for proxy in (
        "http_proxy",
        "https_proxy",
        "all_proxy",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
    ):
        os.environ[proxy] = (
            "http://127.0.0.1:9"  # a closed port: pip or curl in a shell cell fail at once
        )
    os.environ["MPLBACKEND"] = "Agg"
    os.environ.pop("USIRAQ_CHECK_LOG", None)
    logging.getLogger("traitlets").setLevel(logging.CRITICAL)
    warnings.simplefilter("ignore")


def _hook_cell(record: Path) -> nbformat.NotebookNode:
    source = (
        f"import sys\nsys.path.insert(0, {str(SRC)!r})\n"
        f"import usiraq.teacher.gradekernel\nusiraq.teacher.gradekernel.install({str(record)!r})\n"
        "del sys"
    )
    return nbformat.v4.new_code_cell(source)


async def _execute(
    nb, cwd: Path, env: dict, cell_timeout: int, notebook_timeout: int
) -> tuple[str, int | None]:
    """Run the notebook; return why the run stopped early ('' if it did not) and the cell it stopped in."""
    from nbclient import NotebookClient

    client = NotebookClient(
        nb,
        timeout=cell_timeout,
        kernel_name="python3",
        allow_errors=True,
        interrupt_on_timeout=True,
        error_on_timeout={
            "ename": "Timeout",
            "evalue": f"the cell ran longer than {cell_timeout} s and was stopped",
            "traceback": [],
        },
        shutdown_kernel="immediate",
        record_timing=False,
        resources={"metadata": {"path": str(cwd)}},
    )
    running = {}
    client.on_cell_execute = lambda cell, cell_index: running.update(index=cell_index)
    client.on_cell_executed = lambda cell, cell_index, execute_reply: running.pop("index", None)
    try:
        # The kernel's own stdout and stderr could echo a student's output to the terminal: drop them.
        await asyncio.wait_for(
            client.async_execute(env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
            notebook_timeout,
        )
    except TimeoutError:
        return f"the notebook ran longer than {notebook_timeout} s and was stopped", running.get(
            "index"
        )
    except Exception as err:  # a dead kernel, a broken cell structure: report, never stop the class
        return f"the kernel stopped or failed ({type(err).__name__})", running.get("index")
    return "", None


class _DataOnly(pickle.Unpickler):
    """Unpickle plain data only: builtin containers and scalars, dates, numpy and pandas objects."""

    BUILTINS = {
        "list",
        "dict",
        "set",
        "frozenset",
        "tuple",
        "str",
        "int",
        "float",
        "complex",
        "bool",
        "bytes",
        "bytearray",
        "slice",
        "range",
        "object",
    }
    PACKAGES = {
        "numpy",
        "pandas",
        "datetime",
        "collections",
        "decimal",
        "fractions",
        "zoneinfo",
        "pytz",
        "dateutil",
        "copyreg",
        "_codecs",
    }

    def find_class(self, module, name):
        top = module.split(".")[0]
        if module == "builtins" and name in self.BUILTINS:
            return super().find_class(module, name)
        if top in self.PACKAGES:
            found = super().find_class(module, name)
            # Classes, constants (pandas.NA) and the libraries' own rebuild functions; no other function.
            if (
                isinstance(found, type)
                or not callable(found)
                or "unpickle" in name
                or name.startswith(("_new_", "_reconstruct"))
                or (module, name)
                in {
                    ("copyreg", "_reconstructor"),
                    ("_codecs", "encode"),
                    ("numpy._core.multiarray", "scalar"),
                    ("numpy.core.multiarray", "scalar"),
                }
            ):
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not plain data")


def read_records(path: Path) -> dict[str, dict]:
    """The last recorded call per exercise id."""
    last = {}
    if not path.exists():
        return last
    with path.open("rb") as records:
        while True:
            try:
                entry = _DataOnly(records).load()
            except EOFError:
                break
            except Exception:
                break
            if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                last[entry["id"]] = entry
    return last


def answer_text(answer) -> str:
    """A short, one-line text of an answer for the gradebook and the report."""
    import pandas as pd

    if isinstance(answer, pd.Series):
        text = ", ".join(f"{k}: {v}" for k, v in answer.items())
    elif isinstance(answer, pd.DataFrame):
        text = " | ".join(", ".join(str(v) for v in row) for row in answer.itertuples(index=False))
    elif isinstance(answer, float):
        text = f"{answer:.6g}"
    else:
        text = repr(answer)
    text = " ".join(text.split())
    return text if len(text) <= ANSWER_CHARS else text[: ANSWER_CHARS - 1] + "…"


def judge(entry: dict) -> tuple[str, str, str]:
    """(status, answer text, message) of one recorded answer, by the teacher's check.

    The student's hints are read from their saved output (``hint_seen``): the
    re-check here starts from no wrong tries, so its hint level would say nothing.
    """
    from usiraq.checking import judging, ladder

    if entry.get("answer") is None:
        return (
            "invalid",
            f"({entry.get('type')})",
            "The answer could not be read (it is not plain data).",
        )
    try:
        answer = _DataOnly(io.BytesIO(entry["answer"])).load()
        extra = _DataOnly(io.BytesIO(entry["extra"])).load() if entry.get("extra") else {}
        if not isinstance(extra, dict):
            raise pickle.UnpicklingError("the rest of the call is not a set of named values")
    except Exception:
        return (
            "invalid",
            f"({entry.get('type')})",
            (
                f"The answer is a {entry.get('type')}, not plain data "
                "(a number, text, list, date or pandas table)."
            ),
        )
    ladder.reset()
    verdict = judging.check(
        entry["id"], answer, **({"rows": extra["rows"]} if "rows" in extra else {})
    )
    return verdict.status, "" if answer is None else answer_text(answer), verdict.message


def _hint_seen(cell) -> str:
    """The strongest help the student's own saved output shows for this cell (ladder.SEEN)."""
    from usiraq.checking import ladder

    text = " ".join(
        str(o.get("text", "")) + str(o.get("data", {}).get("text/plain", ""))
        for o in cell.get("outputs", [])
    )
    return ladder.seen(text)


def _cell_error(cell, cell_timeout: int = CELL_TIMEOUT) -> str:
    """The error a cell stopped with, in one line ('' if none); a timeout says so."""
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            if output.get("ename") in ("KeyboardInterrupt", "Timeout"):
                return f"the cell ran longer than {cell_timeout} s and was stopped"
            return f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"[:300]
    return ""


def grade_job(
    job: Job, ids: list[str], work: str, cell_timeout: int, notebook_timeout: int
) -> Outcome:
    """Run one student's notebook and judge each exercise (in a worker process)."""

    def rows(status, message):
        return [Row(job.student, job.notebook, i, status, message=message) for i in ids]

    if job.path is None:
        return Outcome(
            job, rows("not-run", "The notebook was not handed in."), [f"{job.notebook} is missing"]
        )
    try:
        submitted = read_notebook(job.path)
    except ValueError as err:
        return Outcome(job, rows("not-run", f"{err}."), [str(err)])
    measured = timing.measured_minutes(
        submitted
    )  # from the student's own run times, before anything runs again
    scratch = Path(work) / f"job{job.index}"
    shutil.copytree(ROOT / "data", scratch / "data")
    (scratch / "exercises").mkdir()
    record = scratch / "records.pickle"
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.from_dict(dict(c))
            for c in submitted.cells
            if c.get("cell_type") in ("code", "markdown", "raw")
        ]
    )
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nb.cells.insert(0, _hook_cell(record))
    env = {**os.environ, "USIRAQ_DATA": str(scratch / "data")}
    stopped, stopped_at = asyncio.run(
        _execute(nb, scratch / "exercises", env, cell_timeout, notebook_timeout)
    )
    notes = [f"{job.notebook}: {stopped}"] if stopped else []
    hook_error = _cell_error(nb.cells[0])
    if hook_error:
        raise RuntimeError(f"the grader's own first cell failed: {hook_error}")
    records = read_records(record)
    stopped_in = nb.cells[stopped_at] if stopped_at is not None else None
    out = []
    for exercise_id in ids:
        cells = [
            c
            for c in nb.cells[1:]
            if c.cell_type == "code" and exercise_id in CHECK_CALL.findall(c.source)
        ]
        saved = [
            c
            for c in submitted.cells
            if c.get("cell_type") == "code" and exercise_id in CHECK_CALL.findall(c.source)
        ]
        row = Row(
            job.student,
            job.notebook,
            exercise_id,
            "unanswered",
            hint_seen=max((_hint_seen(c) for c in saved), default="", key=SEEN_ORDER.index),
            minutes=round(measured[exercise_id], 1) if exercise_id in measured else None,
        )
        if exercise_id in records:
            row.status, row.answer, row.message = judge(records[exercise_id])
        elif not cells:
            row.message = "The exercise's cell is not in the notebook."
        elif any(_cell_error(c, cell_timeout) for c in cells):
            row.status = "error"
            error = next(filter(None, (_cell_error(c, cell_timeout) for c in cells)))
            row.message = f"The cell stopped with an error before the check: {error}"
        elif stopped_in is not None and any(c is stopped_in for c in cells):
            row.status, row.message = "error", f"The run stopped in this cell: {stopped}."
        elif stopped and all(c.get("execution_count") is None for c in cells):
            row.status, row.message = "not-run", "The run stopped before this cell."
        else:
            row.message = "The cell ran but did not call check(...)."
        out.append(row)
    shutil.rmtree(scratch, ignore_errors=True)
    return Outcome(job, out, notes)


# ---- the whole class ------------------------------------------------------------------


def _outcome(future, job: Job, wanted: dict[str, list[str]]) -> Outcome:
    """The job's outcome; if grading it failed, an error row per exercise (the class goes on)."""
    try:
        return future.result()
    except Exception as err:
        message = (
            f"The grader could not run this notebook ({type(err).__name__}); grade it by hand."
        )
        rows = [
            Row(job.student, job.notebook, i, "error", message=message)
            for i in wanted[job.notebook]
        ]
        return Outcome(job, rows, [f"{job.notebook}: {message}"])


def grade(
    submissions: Path,
    out: Path,
    notebooks: list[str] | None = None,
    cell_timeout: int = CELL_TIMEOUT,
    notebook_timeout: int = NOTEBOOK_TIMEOUT,
    workers: int = WORKERS,
    echo=print,
) -> list[Outcome]:
    """Grade every student's notebooks on ``workers`` cores and write the gradebook and the pages."""
    from . import gradereport

    start = time.perf_counter()
    jobs, wanted, notes = plan(submissions, notebooks)
    students = list(notes)
    if not jobs:
        raise SystemExit(f"error: found no student notebooks of the exercises in {submissions}")
    out.mkdir(parents=True, exist_ok=True)
    work = out / "work"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    left = {s: sum(j.student == s for j in jobs) for s in students}
    outcomes, done = [], 0
    echo(f"grading {len(students)} students, {len(wanted)} notebooks each, on {workers} cores")
    with ProcessPoolExecutor(
        max_workers=workers, initializer=_init_worker, initargs=(str(work),)
    ) as pool:
        futures = {
            pool.submit(
                grade_job, j, wanted[j.notebook], str(work), cell_timeout, notebook_timeout
            ): j
            for j in jobs
        }
        for future in as_completed(futures):
            outcome = _outcome(future, futures[future], wanted)
            outcomes.append(outcome)
            left[outcome.job.student] -= 1
            if left[outcome.job.student] == 0:
                done += 1
                echo(
                    f"student {done} of {len(students)} graded ({time.perf_counter() - start:.0f} s)",
                    flush=True,
                )
    shutil.rmtree(work, ignore_errors=True)
    outcomes.sort(key=lambda o: o.job.index)
    for outcome in outcomes:
        notes[outcome.job.student] += outcome.notes
    gradereport.write(out, [r for o in outcomes for r in o.rows], wanted, notes)
    echo(
        f"graded {len(jobs)} notebooks of {len(students)} students in {time.perf_counter() - start:.1f} s; "
        f"see {out / 'report.html'}"
    )
    return outcomes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m usiraq.teacher.grade", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "submissions",
        type=Path,
        help="a folder with one folder per student (or nbgrader's submitted/)",
    )
    parser.add_argument(
        "--out", type=Path, required=True, help="the folder for the gradebook and the reports"
    )
    parser.add_argument(
        "--notebooks", nargs="+", help="exercise notebooks to grade (default: those handed in)"
    )
    parser.add_argument(
        "--cell-timeout",
        type=int,
        default=CELL_TIMEOUT,
        help="seconds per cell (default %(default)s)",
    )
    parser.add_argument(
        "--notebook-timeout",
        type=int,
        default=NOTEBOOK_TIMEOUT,
        help="seconds per notebook (default %(default)s)",
    )
    parser.add_argument(
        "--workers", type=int, default=WORKERS, help="notebooks run at once (default %(default)s)"
    )
    args = parser.parse_args(argv)
    if not args.submissions.is_dir():
        parser.error(f"{args.submissions} is not a folder")
    grade(
        args.submissions,
        args.out,
        args.notebooks,
        args.cell_timeout,
        args.notebook_timeout,
        args.workers,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
