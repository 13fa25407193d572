"""Grade a class's exercise notebooks: ``python -m usiraq.teacher.grade SUBMISSIONS --out DIR``.

Layouts.  ``SUBMISSIONS/<student>/<notebook>.ipynb``, or nbgrader's
``submitted/<student>/<assignment>/<notebook>.ipynb`` (pass ``submitted`` or
the course folder that holds it).  A notebook is matched to the teacher's
exercise notebook of the same name; a file with another name is matched by the
exercise ids its ``check(...)`` calls name, and reported as renamed.  By
default the notebooks graded are those that at least one student handed in
(``--notebooks`` names them instead); ``usiraq.teacher.submissions``.

What is graded.  Every *item* of the notebooks (``usiraq.teacher.gradebook``):
each answer a ``check`` judges and each chart a ``check_chart`` judges, with
the points its declaration gives (part of them where the check knows a
partial state: close, the right number from the wrong rows, an order with
some items in place, a chart whose data are right), and each written answer,
which the teacher marks in ``marks.csv`` (``usiraq.teacher.marks``).

How a verdict is reached, and why a student cannot change it.
1. Each notebook runs in a fresh kernel (one at a time per core, two cores),
   from a scratch folder inside DIR, with a per-cell timeout (a cell that runs
   too long is interrupted and the run goes on), a time limit for the whole
   notebook, and errors allowed.  The kernel imports the student edition of
   the helper package (its checks frozen, ``usiraq.checking.frozen``), built
   once into DIR, and a fresh copy of ``data/`` in its scratch folder.  With
   bubblewrap the kernel is sealed off (``usiraq.teacher.sandbox``): it can
   read nothing else of the machine, write nothing outside its scratch folder,
   and reach no network.
2. A first cell of the grader's, which the student never saw and cannot edit,
   blocks the network and rewrites every later cell so that each ``check``
   and ``check_chart`` call records its id and the pickled answer, or the
   chart as plain data, before calling whatever the student has
   (``usiraq.teacher.gradekernel``).
3. The grader's own process reads the records back, with an unpickler that
   accepts only plain data (numbers, text, lists, dates, numpy and pandas
   objects; never a class the student defined, whose ``==`` might always say
   yes) and judges each item's last recorded answer with the teacher's own
   checks, which compute from ``data/``.  Nothing the kernel displays or
   computes as a verdict is trusted.
An item whose cell never recorded a call is ``error`` (the cell raised or
timed out), ``not-run`` (the run stopped before it, or the notebook is missing
or unreadable) or ``unanswered`` (the cell ran but called no check, or is gone).

Time and lateness.  Before running anything, the grader reads the run times
JupyterLab kept in the submitted notebook (``usiraq.teacher.timing``) into the
gradebook's ``minutes`` column, and, with ``--due``, how late each notebook
came (nbgrader's ``timestamp.txt``, or else the file's time): shown, never
taken off a score.

Regrading.  Grading into a folder that holds an earlier gradebook keeps every
student who is not graded this time: a late submission or one student's
regrade replaces that student's rows, and the report and pages are written
again for the whole class.  The teacher's marks in ``marks.csv`` are kept.

Output, all inside DIR: ``gradebook.csv``, ``scores.csv`` (and
``scores-canvas.csv`` or ``scores-moodle.csv`` with ``--roster`` and ``--lms``),
``marks.csv``, ``report.html``, ``feedback/<student>.html``, ``grading.json``
(notes, flags and lateness, for the next regrade), and a ``work/`` folder that
is removed at the end.  The terminal shows counts and times only, never a
name or an answer (on a terminal, one line that updates), and nothing is
written outside DIR.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import logging
import os
import pickle
import shutil
import subprocess
import sys
import time
import warnings
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import nbformat

from ..checking.ladder import SEEN_ORDER
from ..checking.words import plural
from . import gradebook, integrity, marks, sandbox, timing
from .gradebook import Row, item
from .repo import ROOT
from .submissions import (
    CALL,
    EXERCISES,
    lateness,
    match,
    read_notebook,
    student_files,
    teacher_notebooks,
)

STATUSES = ("correct", "wrong", "invalid", "unanswered", "error", "not-run", "marked", "to mark")
CELL_TIMEOUT = 60
NOTEBOOK_TIMEOUT = 600
WORKERS = 2
ANSWER_CHARS = 200
STATE = "grading.json"
HOOK = "usiraq_gradehook"


@dataclass
class Job:
    """One notebook of one student to grade; ``path`` is None when it is missing."""

    index: int
    student: str
    notebook: str
    path: Path | None
    late: str = ""


@dataclass
class Outcome:
    """What grading one job gave: its rows, its written answers, notes and flags for the teacher."""

    job: Job
    rows: list[Row]
    notes: list[str]
    answers: dict[str, str] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
    handed_in: bool = False  # a readable notebook was handed in


@dataclass
class Setup:
    """What every job shares: the folders of the run and how kernels are started."""

    work: str
    edition: str  # the student edition's src folder
    hook: str  # the folder holding the kernel's hook module
    sandboxed: bool
    cell_timeout: int = CELL_TIMEOUT
    notebook_timeout: int = NOTEBOOK_TIMEOUT


def points(key: str) -> float:
    """What an item is worth, as its declaration says."""
    from ..checking import registry

    exercise_id, part = key.split(" ")
    if part == "check":
        return float(registry.exercise(exercise_id).points)
    if part == "chart":
        return float(registry.chart_task(exercise_id).points)
    return float(marks.rubric(exercise_id, part)[1])


def plan(
    submissions: Path, notebooks: list[str] | None, due: datetime | None = None
) -> tuple[list[Job], dict[str, list[str]], dict[str, list[str]]]:
    """The jobs to run, the notebooks graded with their items, and notes per student."""
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
            path = paired.get(name)
            jobs.append(Job(len(jobs), student, name, path, lateness(path, due)))
    return jobs, wanted, notes


# ---- in a worker process ------------------------------------------------------------


def _init_worker(work: str) -> None:
    """Keep everything a kernel writes inside DIR, and give the kernels the student edition."""
    os.environ["IPYTHONDIR"] = str(Path(work) / "ipython")
    os.environ["JUPYTER_RUNTIME_DIR"] = str(Path(work) / "runtime")
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


def _hook_cell(setup: Setup, record: Path) -> nbformat.NotebookNode:
    source = (
        f"import sys\nsys.path.insert(0, {setup.hook!r})\n"
        f"import {HOOK}\n{HOOK}.install({str(record)!r})\nsys.path.remove({setup.hook!r})\ndel sys"
    )
    return nbformat.v4.new_code_cell(source)


def _kernel_manager(setup: Setup, scratch: Path):
    """A kernel manager for one job: in its own sandbox (IPC sockets in its scratch folder), or plain."""
    from jupyter_client.manager import AsyncKernelManager

    runtime = scratch / "runtime"
    runtime.mkdir()
    if not setup.sandboxed:
        return AsyncKernelManager(
            kernel_name="python3", connection_file=str(runtime / "kernel.json")
        )
    specs = sandbox.kernel_spec(
        scratch / "spec", [Path(setup.edition), Path(setup.hook)], [scratch]
    )
    from jupyter_client.kernelspec import KernelSpecManager

    manager = KernelSpecManager(kernel_dirs=[str(specs / "kernels")])
    return AsyncKernelManager(
        kernel_name=sandbox.KERNEL,
        kernel_spec_manager=manager,
        connection_file=str(runtime / "kernel.json"),
        transport="ipc",
        ip=str(runtime / "k"),
    )


async def _execute(nb, cwd: Path, env: dict, setup: Setup, km) -> tuple[str, int | None]:
    """Run the notebook; return why the run stopped early ('' if it did not) and the cell it stopped in."""
    from nbclient import NotebookClient

    client = NotebookClient(
        nb,
        km=km,
        timeout=setup.cell_timeout,
        allow_errors=True,
        interrupt_on_timeout=True,
        error_on_timeout={
            "ename": "Timeout",
            "evalue": f"the cell ran longer than {setup.cell_timeout} s and was stopped",
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
            setup.notebook_timeout,
        )
    except TimeoutError:
        return (
            f"the notebook ran longer than {setup.notebook_timeout} s and was stopped",
            running.get("index"),
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
    """The last recorded call per item ('01.1 check', '01.3 chart')."""
    last = {}
    if not path.exists():
        return last
    with path.open("rb") as records:
        while True:
            try:
                entry = _DataOnly(records).load()
            except Exception:  # the end of the file, or a record the student broke
                break
            if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                last[item(entry["id"], "chart" if entry.get("kind") == "chart" else "check")] = (
                    entry
                )
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


def judge(entry: dict) -> tuple[str, str, object]:
    """(status, answer text, verdict) of one recorded answer, by the teacher's check.

    The verdict is None when the answer could not be read; the student's hints
    are read from their saved output (``hint_seen``): the re-check here starts
    from no wrong tries, so its hint level would say nothing.
    """
    from usiraq.checking import judging, ladder

    if entry.get("answer") is None:
        return "invalid", f"({entry.get('type')})", None
    try:
        answer = _DataOnly(io.BytesIO(entry["answer"])).load()
        extra = _DataOnly(io.BytesIO(entry["extra"])).load() if entry.get("extra") else {}
        if not isinstance(extra, dict):
            raise pickle.UnpicklingError("the rest of the call is not a set of named values")
    except Exception:
        return "invalid", f"({entry.get('type')})", None
    ladder.reset()
    verdict = judging.check(
        entry["id"], answer, **({"rows": extra["rows"]} if "rows" in extra else {})
    )
    return verdict.status, "" if answer is None else answer_text(answer), verdict


def judge_chart(entry: dict):
    """The verdict on one recorded chart, by the teacher's chart check (from its plain data)."""
    from usiraq.checking import charts, ladder
    from usiraq.checking.verdict import Verdict

    ladder.reset()
    if entry.get("view") is None:
        if entry.get("problem"):
            return Verdict(entry["id"], "invalid", str(entry["problem"])[:300])
        return charts.check_chart(entry["id"], None)
    try:
        view = _DataOnly(io.BytesIO(entry["view"])).load()
    except Exception:
        return Verdict(
            entry["id"], "invalid", "The chart could not be read (it is not plain data)."
        )
    return charts.check_view(entry["id"], view)


def _hint_seen(cell) -> str:
    """The strongest help the student's own saved output shows for this cell (ladder.SEEN)."""
    from usiraq.checking import ladder

    return ladder.seen(_output_text(cell))


def _output_text(cell) -> str:
    return " ".join(
        str(o.get("text", "")) + str(o.get("data", {}).get("text/plain", ""))
        for o in cell.get("outputs", [])
    )


def _cell_error(cell, cell_timeout: int = CELL_TIMEOUT) -> str:
    """The error a cell stopped with, in one line ('' if none); a timeout says so."""
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            if output.get("ename") in ("KeyboardInterrupt", "Timeout"):
                return f"the cell ran longer than {cell_timeout} s and was stopped"
            return f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"[:300]
    return ""


def grade_job(job: Job, items: list[str], setup: Setup) -> Outcome:
    """Run one student's notebook and judge each item (in a worker process)."""

    def rows(status, message):
        return [
            Row(
                job.student,
                job.notebook,
                key,
                status,
                points(key),
                0.0,
                message=message,
                late=job.late,
            )
            for key in items
            if key.split(" ")[1] in ("check", "chart")
        ]

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
    )  # from the student's own run times, before anything runs
    written = marks.answers(submitted)
    flags = integrity.code_flags(
        [c.source for c in submitted.cells if c.get("cell_type") == "code"]
    )
    claims = integrity.claimed(" ".join(_output_text(c) for c in submitted.cells))
    scratch = Path(setup.work) / f"job{job.index}"
    scratch.mkdir()
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
    nb.cells.insert(0, _hook_cell(setup, record))
    env = {
        **os.environ,
        "USIRAQ_DATA": str(scratch / "data"),
        "PYTHONPATH": setup.edition,
        "IPYTHONDIR": str(scratch / "ipython"),
        "HOME": str(scratch),
    }
    stopped, stopped_at = asyncio.run(
        _execute(nb, scratch / "exercises", env, setup, _kernel_manager(setup, scratch))
    )
    notes = [f"{job.notebook}: {stopped}"] if stopped else []
    hook_error = _cell_error(nb.cells[0])
    if hook_error:
        raise RuntimeError(f"the grader's own first cell failed: {hook_error}")
    records = read_records(record)
    stopped_in = nb.cells[stopped_at] if stopped_at is not None else None
    out = []
    for key in items:
        exercise_id, part = key.split(" ")
        if part not in ("check", "chart"):
            continue
        call = "check" if part == "check" else "check_chart"
        calls_it = [
            c
            for c in nb.cells[1:]
            if c.cell_type == "code" and (call, exercise_id) in CALL.findall(c.source)
        ]
        saved = [
            c
            for c in submitted.cells
            if c.get("cell_type") == "code" and (call, exercise_id) in CALL.findall(c.source)
        ]
        row = Row(
            job.student,
            job.notebook,
            key,
            "unanswered",
            points(key),
            0.0,
            hint_seen=max((_hint_seen(c) for c in saved), default="", key=SEEN_ORDER.index),
            minutes=round(measured[exercise_id], 1)
            if exercise_id in measured and part == "check"
            else None,
            late=job.late,
        )
        if key in records:
            _judged(row, records[key], part)
        elif not calls_it:
            row.message = "The exercise's cell is not in the notebook."
        elif any(_cell_error(c, setup.cell_timeout) for c in calls_it):
            row.status = "error"
            error = next(filter(None, (_cell_error(c, setup.cell_timeout) for c in calls_it)))
            row.message = f"The cell stopped with an error before the check: {error}"
        elif stopped_in is not None and any(c is stopped_in for c in calls_it):
            row.status, row.message = "error", f"The run stopped in this cell: {stopped}."
        elif stopped and all(c.get("execution_count") is None for c in calls_it):
            row.status, row.message = "not-run", "The run stopped before this cell."
        else:
            row.message = f"The cell ran but did not call {call}(...)."
        out.append(row)
    shutil.rmtree(scratch, ignore_errors=True)
    flags += integrity.claim_flags(claims, out)
    return Outcome(job, out, notes, written, [f"{job.notebook}: {f}" for f in flags], True)


def _judged(row: Row, entry: dict, part: str) -> None:
    """Fill a row from the teacher's verdict on its recorded answer or chart."""
    if part == "check":
        row.status, row.answer, verdict = judge(entry)
        if verdict is None:
            row.message = (
                f"The answer is a {entry.get('type')}, not plain data "
                "(a number, text, list, date or pandas table)."
            )
            return
    else:
        verdict = judge_chart(entry)
        row.status, row.answer = verdict.status, "(a chart)" if entry.get("view") else ""
    row.message = verdict.message
    row.score = round(verdict.credit * row.points, 2)
    row.diagnosis = verdict.diagnosis
    row.note = verdict.credit_note


# ---- the whole class ------------------------------------------------------------------


def _outcome(future, job: Job, wanted: dict[str, list[str]]) -> Outcome:
    """The job's outcome; if grading it failed, an error row per item (the class goes on)."""
    try:
        return future.result()
    except Exception as err:
        message = (
            f"The grader could not run this notebook ({type(err).__name__}); grade it by hand."
        )
        rows = [
            Row(job.student, job.notebook, key, "error", points(key), 0.0, message=message)
            for key in wanted[job.notebook]
            if key.split(" ")[1] in ("check", "chart")
        ]
        return Outcome(job, rows, [f"{job.notebook}: {message}"])


class Progress:
    """One line that updates on a terminal: notebooks done, time spent, time left; no name, no answer."""

    def __init__(self, total: int, stream=None):
        self.total, self.done, self.start = total, 0, time.perf_counter()
        self.stream = stream if stream is not None else sys.stderr
        self.live = getattr(self.stream, "isatty", lambda: False)()

    def step(self) -> None:
        self.done += 1
        if not self.live:
            return
        spent = time.perf_counter() - self.start
        left = spent / self.done * (self.total - self.done)
        self.stream.write(
            f"\rgraded {self.done} of {plural(self.total, 'notebook')} · {_clock(spent)} spent · about "
            f"{_clock(left)} left "
        )
        if self.done == self.total:
            self.stream.write("\n")
        self.stream.flush()


def _clock(seconds: float) -> str:
    minutes, seconds = divmod(int(round(seconds)), 60)
    return f"{minutes}:{seconds:02d}"


def prepare(out: Path, sandboxed: bool, cell_timeout: int, notebook_timeout: int) -> Setup:
    """The run's work folder: the student edition of the package, and the kernel's hook module."""
    from .release import copy_package

    work = out / "work"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    copy_package(work / "edition")
    hook = work / "hook"
    hook.mkdir()
    shutil.copy2(Path(__file__).with_name("gradekernel.py"), hook / f"{HOOK}.py")
    return Setup(
        str(work),
        str(work / "edition" / "src"),
        str(hook),
        sandboxed,
        cell_timeout,
        notebook_timeout,
    )


def read_state(out: Path) -> dict:
    """The notes, flags and lateness of earlier runs into this folder (empty for a new folder)."""
    path = out / STATE
    try:
        state = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    except (OSError, ValueError):
        raise SystemExit(f"error: {path} is not readable; grade into a new folder") from None
    return {k: state.get(k, {}) for k in ("notes", "flags", "late", "wanted")}


def grade(
    submissions: Path,
    out: Path,
    notebooks: list[str] | None = None,
    cell_timeout: int = CELL_TIMEOUT,
    notebook_timeout: int = NOTEBOOK_TIMEOUT,
    workers: int = WORKERS,
    echo=print,
    due: datetime | None = None,
    roster: Path | None = None,
    roster_key: str | None = None,
    lms: str | None = None,
    title: str = "US presence in Iraq",
    progress_stream=None,
) -> list[Outcome]:
    """Grade every student's notebooks on ``workers`` cores and write the gradebook, scores and pages."""
    from . import gradereport

    start = time.perf_counter()
    jobs, wanted, notes = plan(submissions, notebooks, due)
    students = list(notes)
    if not jobs:
        raise SystemExit(f"error: found no student notebooks of the exercises in {submissions}")
    out.mkdir(parents=True, exist_ok=True)
    old_rows = gradebook.read_rows(out / "gradebook.csv")
    state = read_state(out)
    old_marks = marks.read(out / marks.FILE)
    book = _roster(roster, roster_key, lms, students + [r.student for r in old_rows], echo)
    sandboxed = sandbox.available()
    if not sandboxed:
        echo(sandbox.WARNING)
    setup = prepare(out, sandboxed, cell_timeout, notebook_timeout)
    outcomes = []
    echo(
        f"grading {plural(len(students), 'student')}, {plural(len(wanted), 'notebook')} each, "
        f"on {workers} cores"
    )
    progress = Progress(len(jobs), progress_stream)
    with ProcessPoolExecutor(
        max_workers=workers, initializer=_init_worker, initargs=(setup.work,)
    ) as pool:
        futures = {pool.submit(grade_job, j, wanted[j.notebook], setup): j for j in jobs}
        for future in as_completed(futures):
            outcomes.append(_outcome(future, futures[future], wanted))
            progress.step()
    shutil.rmtree(setup.work, ignore_errors=True)
    outcomes.sort(key=lambda o: o.job.index)
    flags = {s: [] for s in students}
    late = {s: [] for s in students}
    for outcome in outcomes:
        notes[outcome.job.student] += outcome.notes
        flags[outcome.job.student] += outcome.flags
        if outcome.job.late:
            late[outcome.job.student].append(f"{outcome.job.notebook}: {outcome.job.late}")
    written, sheet = _written(outcomes, wanted, out, old_marks)
    order = {(n, key): i for n, keys in wanted.items() for i, key in enumerate(keys)}
    new = sorted(
        [r for o in outcomes for r in o.rows] + written,
        key=lambda r: (r.student, r.notebook, order.get((r.notebook, r.item), 0)),
    )
    rows = marks.restate(gradebook.merge(old_rows, new), sheet)  # marks reach everyone
    state = {
        "notes": {**state["notes"], **notes},
        "flags": {**state["flags"], **flags},
        "late": {**state["late"], **late},
        "wanted": {**state["wanted"], **wanted},
    }
    (out / STATE).write_text(json.dumps(state, indent=1, ensure_ascii=False), encoding="utf-8")
    write(out, rows, state, book, lms, title)
    gradereport.write(out, rows, state["wanted"], state)
    for problem in sorted({r.note for r in rows if r.note.startswith(marks.FILE)}):
        echo(problem)
    echo(
        f"graded {plural(len(jobs), 'notebook')} of {plural(len(students), 'student')} in {time.perf_counter() - start:.1f} s; "
        f"see {out / 'report.html'}"
    )
    return outcomes


def _roster(
    path: Path | None, key: str | None, lms: str | None, students: list[str], echo
) -> gradebook.Roster | None:
    """The roster, read and checked before any kernel runs (a bad one costs no grading time)."""
    if lms and path is None:
        raise SystemExit("error: --lms needs --roster, the class list exported from the platform")
    if path is None:
        return None
    book = gradebook.read_roster(path, students, key)
    if lms:
        gradebook.lms_ids(lms, book)
    listed = {book.student(r) for r in book.rows}
    missing = len(set(students) - listed)
    if missing:
        echo(
            f"{plural(missing, 'student')} of the class not on the roster: scores.csv lists them last"
        )
    return book


def _written(
    outcomes: list[Outcome], wanted: dict[str, list[str]], out: Path, old: dict
) -> tuple[list[Row], list[marks.Mark]]:
    """The written items graded now, and the whole marking sheet: collected answers merged with
    the teacher's marks, written back to marks.csv."""
    notebook_of = {key: notebook for notebook, keys in wanted.items() for key in keys}
    collected, missing = [], []
    for outcome in outcomes:
        for key in wanted[outcome.job.notebook]:
            exercise_id, part = key.split(" ")
            if part not in ("written", "defend"):
                continue
            text, value = marks.rubric(exercise_id, part)
            if outcome.handed_in:
                collected.append(
                    marks.Mark(outcome.job.student, key, outcome.answers.get(key, ""), text, value)
                )
            else:  # nothing to mark: the notebook is missing or unreadable
                missing.append(
                    Row(outcome.job.student, outcome.job.notebook, key, "not-run", value, 0.0,
                        message="The notebook was not handed in or could not be read.")
                )  # fmt: skip
    merged = marks.merged(old, collected)
    marks.write(out / marks.FILE, merged)
    now = {o.job.student for o in outcomes}  # the others keep their rows of the earlier gradebook
    rows = marks.rows([m for m in merged if m.student in now], notebook_of) + missing
    late = {(o.job.student, o.job.notebook): o.job.late for o in outcomes}
    for row in rows:
        row.late = late.get((row.student, row.notebook), "")
    return rows, merged


def write(out: Path, rows: list[Row], state: dict, book: gradebook.Roster | None,
          lms: str | None, title: str) -> None:  # fmt: skip
    """gradebook.csv, scores.csv and, with a roster and a platform, its LMS import file."""
    gradebook.write_rows(out / "gradebook.csv", rows)
    notebooks = list(state["wanted"])
    students = sorted({r.student for r in rows})
    notes = {
        s: "; ".join(state["late"].get(s, []) + [f"{n} to mark" for n in _to_mark(rows, s)])
        for s in students
    }
    header, table = gradebook.score_table(rows, notebooks, book, notes)
    gradebook.write_table(out / "scores.csv", header, table)
    if lms and book:
        header, table = gradebook.lms_table(lms, rows, notebooks, book, title)
        gradebook.write_table(out / f"scores-{lms}.csv", header, table)


def _to_mark(rows: list[Row], student: str) -> list[str]:
    return [r.item for r in rows if r.student == student and r.status == "to mark"]


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
    parser.add_argument(
        "--due",
        help="the due date, e.g. 2026-12-11T17:00 (UTC unless it says otherwise): lateness is shown",
    )
    parser.add_argument(
        "--roster", type=Path, help="the class list exported from Canvas or Moodle (CSV)"
    )
    parser.add_argument(
        "--roster-key", help="the roster column that holds the students' folder names"
    )
    parser.add_argument(
        "--lms",
        choices=["canvas", "moodle"],
        help="also write scores in this platform's import form",
    )
    parser.add_argument(
        "--title", default="US presence in Iraq", help="the name the LMS columns start with"
    )
    args = parser.parse_args(argv)
    if not args.submissions.is_dir():
        parser.error(f"{args.submissions} is not a folder")
    due = None
    if args.due:
        try:
            due = datetime.fromisoformat(args.due)
        except ValueError:
            parser.error(f"--due {args.due!r} is not a date and time like 2026-12-11T17:00")
        due = due if due.tzinfo else due.replace(tzinfo=UTC)
    grade(
        args.submissions, args.out, args.notebooks, args.cell_timeout, args.notebook_timeout,
        args.workers, due=due, roster=args.roster, roster_key=args.roster_key, lms=args.lms,
        title=args.title,
    )  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
