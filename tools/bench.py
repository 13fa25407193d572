"""Measure what the module costs to run, and print a table (a report, not a test).

For each lecture notebook: the wall time of a complete run in a fresh kernel
(start, every cell, shutdown; the way nbval, `make notebooks` and a student's
"Restart and run all" pay for it), and the kernel's peak memory (VmHWM from
/proc/<kernel pid>/status, read after the last cell, just before shutdown).
Both are set against a floor measured in the same run: a notebook that only
imports pandas, matplotlib.pyplot and ipywidgets. Each notebook runs --repeat
times (default 3); the table shows the median time and the largest peak.

Then the whole test suite's wall time (`pytest -n 2 --dist loadfile`, as
`make test` runs it; --no-suite skips it) and the size of .venv on disk.

Then the grader (``usiraq.grade``): a class of --class-size students (default
30) each handing in the five solution notebooks is graded into a temporary
folder, and its wall time is set against executing those notebooks once, one
after the other (each solution notebook's median run time, times the class
size); ``--class-size 0`` skips it, ``--only-grading`` runs nothing else.

Targets: each lecture notebook within 1.5x the floor's time and 1.3x its memory;
grading within 2x the time of executing the class's notebooks once.

Usage: ``python tools/bench.py [--repeat 3] [--no-suite] [--class-size 30] [--only-grading]``
(or ``make bench``).
Run it on an otherwise idle machine: the figures are wall-clock.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]
CELL_TIMEOUT = 120
SUITE_TIMEOUT = 3600
TIME_TARGET, MEMORY_TARGET = 1.5, 1.3
GRADING_TARGET = 2.0
FLOOR = new_notebook(cells=[new_code_cell("import pandas as pd\nimport matplotlib.pyplot as plt\nimport ipywidgets as widgets")])


def peak_kib(pid: int) -> int | None:
    """The process's peak resident memory so far (VmHWM), in KiB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def run(nb: nbformat.NotebookNode, cwd: Path, env: dict) -> tuple[float, int | None]:
    """Run a copy of ``nb`` in a fresh kernel; return (wall seconds, peak KiB)."""
    client = NotebookClient(nbformat.from_dict(nb), timeout=CELL_TIMEOUT, kernel_name="python3",
                            resources={"metadata": {"path": str(cwd)}})
    peak = {"kib": None}

    def after_cell(**_):
        # VmHWM only grows, so the reading after the last cell is the kernel's peak.
        peak["kib"] = peak_kib(client.km.provisioner.process.pid)

    client.on_cell_executed = after_cell  # called once the kernel has replied
    start = time.perf_counter()
    client.execute(env=env, stderr=subprocess.DEVNULL)  # the kernel's start-up notices
    return time.perf_counter() - start, peak["kib"]


def summarise(runs: list[tuple[float, int | None]]) -> dict:
    times = [seconds for seconds, _ in runs]
    return {"time": statistics.median(times), "times": times, "mib": max(kib or 0 for _, kib in runs) / 1024}


def suite_wall_time() -> tuple[float, str]:
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "pytest", "-n", "2", "--dist", "loadfile", "-q"],
                            cwd=ROOT, capture_output=True, text=True, timeout=SUITE_TIMEOUT)
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    return time.perf_counter() - start, (lines[-1] if lines else f"exit code {result.returncode}").strip("= ")


def grading(students: int, repeat: int, env: dict) -> None:
    """Grade a class of ``students`` who each hand in every solution notebook; print the ratio."""
    from usiraq.grade import grade

    solutions = sorted((ROOT / "solutions").glob("*.ipynb"))
    once = {}
    for path in solutions:
        nb = nbformat.read(path, as_version=4)
        once[path.name] = statistics.median(run(nb, path.parent, env)[0] for _ in range(repeat))
    serial = students * sum(once.values())
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(students):
            folder = Path(tmp) / "submissions" / f"student{n:03d}"
            folder.mkdir(parents=True)
            for path in solutions:
                shutil.copy(path, folder / path.name)
        start = time.perf_counter()
        grade(Path(tmp) / "submissions", Path(tmp) / "out", echo=lambda *a, **k: None)
        seconds = time.perf_counter() - start
    ratio = seconds / serial
    print(f"\nGrading: {students} students × {len(solutions)} notebooks ({students * len(solutions)} runs).")
    print("| | wall time, s |\n|---|---:|")
    for name, t in once.items():
        print(f"| one run of solutions/{name} (median of {repeat}) | {t:.2f} |")
    print(f"| executing the class's notebooks once, one after the other ({students} × the sum) | {serial:.0f} |")
    print(f"| `python -m usiraq.grade` on the class (2 cores, everything included) | {seconds:.0f} |")
    print(f"Ratio {ratio:.2f} (target ≤ {GRADING_TARGET}): {'met' if ratio <= GRADING_TARGET else 'not met'}.")


def venv_size() -> str:
    venv = ROOT / ".venv"
    if not venv.is_dir():
        return "no .venv"
    result = subprocess.run(["du", "-sm", str(venv)], capture_output=True, text=True, timeout=300)
    return f"{result.stdout.split()[0]} MB" if result.returncode == 0 else "unknown"


def machine() -> str:
    cpu = ""
    try:
        cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                    if line.startswith("model name")), "")
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return f"{os.cpu_count()} cores{memory}{', ' + cpu if cpu else ''}; Python {platform.python_version()}"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per notebook (default 3)")
    parser.add_argument("--no-suite", action="store_true", help="do not time the test suite")
    parser.add_argument("--class-size", type=int, default=30, help="students in the grading run (0 skips it)")
    parser.add_argument("--only-grading", action="store_true", help="measure the grader only")
    args = parser.parse_args(argv)

    env = {k: v for k, v in os.environ.items() if k not in ("MPLBACKEND", "PYTHONWARNINGS", "USIRAQ_DATA")}
    lectures = sorted((ROOT / "notebooks").glob("*.ipynb"))
    print(f"# Benchmark, {dt.date.today().isoformat()}: {machine()}", flush=True)
    if args.only_grading:
        grading(args.class_size, args.repeat, env)
        return 0
    # Rounds: the floor, then every notebook, --repeat times, so that a slow
    # spell of the machine weighs on the floor and the notebooks alike.
    runs: dict[str, list] = {"floor": [], **{p.name: [] for p in lectures}}
    notebooks = {p.name: (nbformat.read(p, as_version=4), p.parent) for p in lectures}
    for round_ in range(1, args.repeat + 1):
        print(f"  round {round_} of {args.repeat} ...", file=sys.stderr, flush=True)
        runs["floor"].append(run(FLOOR, ROOT / "notebooks", env))
        for name, (nb, folder) in notebooks.items():
            runs[name].append(run(nb, folder, env))
    floor = summarise(runs["floor"])
    rows = [(name, summarise(runs[name])) for name in notebooks]
    print(f"\nEach notebook run {args.repeat} times in a fresh kernel: median wall time (and range), "
          "largest kernel peak memory.\n")
    def spread(m):
        return f"{m['time']:.2f} ({min(m['times']):.1f}-{max(m['times']):.1f})"

    print("| notebook | time, s (range) | × floor | peak memory (MB) | × floor | within targets |")
    print("|---|---:|---:|---:|---:|---|")
    print(f"| floor: import pandas, matplotlib.pyplot, ipywidgets | {spread(floor)} | 1.00 | {floor['mib']:.0f} | 1.00 | |")
    meeting = []
    for name, m in rows:
        t_ratio, m_ratio = m["time"] / floor["time"], m["mib"] / floor["mib"] if floor["mib"] else float("nan")
        ok_time, ok_memory = t_ratio <= TIME_TARGET, m_ratio <= MEMORY_TARGET
        verdict = "yes" if ok_time and ok_memory else ", ".join(
            w for w, ok in (("time: no", ok_time), ("memory: no", ok_memory)) if not ok)
        if ok_time and ok_memory:
            meeting.append(name)
        print(f"| {name} | {spread(m)} | {t_ratio:.2f} | {m['mib']:.0f} | {m_ratio:.2f} | {verdict} |")
    print(f"\nTargets: time ≤ {TIME_TARGET}× the floor, memory ≤ {MEMORY_TARGET}× the floor. "
          f"Met by {len(meeting)} of {len(rows)}: {', '.join(meeting) or 'none'}.")
    if args.class_size:
        print("\n  grading a class ...", file=sys.stderr, flush=True)
        grading(args.class_size, args.repeat, env)
    if not args.no_suite:
        print("\n  running the test suite ...", file=sys.stderr, flush=True)
        seconds, summary = suite_wall_time()
        print(f"Test suite (pytest -n 2 --dist loadfile): {seconds:.0f} s wall ({summary}).")
    print(f"Environment on disk (.venv): {venv_size()}.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
