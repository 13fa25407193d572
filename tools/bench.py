"""Measure what the module costs to run, and print a table (a report, not a test).

For each lecture notebook: a complete run in a fresh kernel (start, every cell,
shutdown; the way nbval, `make notebooks` and a student's "Restart and run all"
pay for it), driven through nbclient from this running Python, and timed
against a floor run just before it: a notebook that only imports pandas,
matplotlib.pyplot and ipywidgets.  Floor and notebook alternate, so a slow
spell of a shared machine weighs on both; each figure is the median over
--repeat rounds of the notebook's time divided by its own floor's.  Beside the
wall time: the kernel's CPU time (utime + stime, less disturbed by other work
on the machine) and its peak memory (VmHWM), both read from /proc after the
last cell.

``--before DIR`` measures a checkout of an earlier version in the same rounds
(its notebooks with its own package, through PYTHONPATH), so the two columns
share the machine's noise; without it, the figures stored in
tools/bench_before.json (measured on the date they name) are shown instead.

Then, with --suite, the whole test suite's wall time (`pytest -n 2 --dist
loadfile`, as `make test` runs it; every run of the suite also prints nbval's
share at its end) and, always, the size of .venv on disk.

Targets: each lecture notebook within 1.5x the floor's time and 1.3x its memory.

Then the grader (``usiraq.teacher.grade``): a class of --class-size students (default
30) each handing in the five solution notebooks is graded into a temporary
folder, and its wall time is set against executing those notebooks once, one
after the other (each solution notebook's median run time, times the class
size); ``--class-size 0`` skips it, ``--only-grading`` runs nothing else.
Target: grading within 2x the time of executing the class's notebooks once.

Usage: ``python tools/bench.py [--repeat 5] [--before DIR] [--suite] [--class-size 30] [--only-grading]``;
``make bench`` runs it and writes its report to docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
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
FLOOR = new_notebook(
    cells=[
        new_code_cell(
            "import pandas as pd\nimport matplotlib.pyplot as plt\nimport ipywidgets as widgets"
        )
    ]
)


def peak_kib(pid: int) -> int | None:
    """The process's peak resident memory so far (VmHWM), in KiB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def cpu_seconds(pid: int) -> float | None:
    """The process's CPU time so far (user + system), in seconds."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def run(nb: nbformat.NotebookNode, cwd: Path, env: dict) -> dict:
    """Run a copy of ``nb`` in a fresh kernel; return wall seconds, kernel CPU seconds and peak KiB."""
    client = NotebookClient(
        nbformat.from_dict(nb),
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(cwd)}},
    )
    seen = {"kib": None, "cpu": None}

    def after_cell(**_):
        # VmHWM and CPU time only grow, so the reading after the last cell is the kernel's own.
        pid = client.km.provisioner.process.pid
        seen["kib"], seen["cpu"] = peak_kib(pid), cpu_seconds(pid)

    client.on_cell_executed = after_cell  # called once the kernel has replied
    start = time.perf_counter()
    client.execute(env=env, stderr=subprocess.DEVNULL)  # the kernel's start-up notices
    return {"time": time.perf_counter() - start, **seen}


def kernel_env(tree: Path) -> dict:
    """A student's kernel (inline charts, default warnings, data found from the notebook), using ``tree``'s package."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("MPLBACKEND", "PYTHONWARNINGS", "USIRAQ_DATA")
    }
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(tree / "src"), env.get("PYTHONPATH")]))
    return env


def ratios(pairs: list[tuple[dict, dict]]) -> dict:
    """Median of notebook/floor over the rounds: time, CPU time; memory as the largest over the rounds."""

    def median_ratio(key):
        values = [nb[key] / floor[key] for floor, nb in pairs if nb[key] and floor[key]]
        return statistics.median(values) if values else float("nan")

    times = [nb["time"] for _, nb in pairs]
    return {
        "time": median_ratio("time"),
        "cpu": median_ratio("cpu"),
        "mem": max(nb["kib"] or 0 for _, nb in pairs)
        / max(floor["kib"] or 1 for floor, _ in pairs),
        "seconds": statistics.median(times),
        "range": (min(times), max(times)),
        "mib": max(nb["kib"] or 0 for _, nb in pairs) / 1024,
    }


def stored_before() -> dict:
    path = ROOT / "tools" / "bench_before.json"
    return json.loads(path.read_text()) if path.exists() else {}


def suite_wall_time() -> tuple[float, str]:
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-n", "2", "--dist", "loadfile", "-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=SUITE_TIMEOUT,
    )
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    summary = (lines[-1] if lines else f"exit code {result.returncode}").strip("= ")
    share = next((line for line in lines if line.startswith("nbval alone:")), "")
    return time.perf_counter() - start, f"{summary}; {share}" if share else summary


GRADING_TARGET = 2.0


def grading(students: int, repeat: int) -> None:
    """Grade a class of ``students`` who each hand in every solution notebook; print the ratio."""
    from usiraq.teacher.grade import grade

    env = kernel_env(ROOT)
    solutions = sorted((ROOT / "solutions").glob("*.ipynb"))
    once = {}
    for path in solutions:
        nb = nbformat.read(path, as_version=4)
        once[path.name] = statistics.median(
            run(nb, path.parent, env)["time"] for _ in range(repeat)
        )
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
    print(
        f"\nGrading: {students} students × {len(solutions)} notebooks ({students * len(solutions)} runs)."
    )
    print("\n| | wall time, s |\n|---|---:|")
    for name, t in once.items():
        print(f"| one run of solutions/{name} (median of {repeat}) | {t:.2f} |")
    print(
        f"| executing the class's notebooks once, one after the other ({students} × the sum) | {serial:.0f} |"
    )
    print(
        f"| `python -m usiraq.teacher.grade` on the class (2 cores, everything included) | {seconds:.0f} |"
    )
    print(
        f"\nRatio {ratio:.2f} (target ≤ {GRADING_TARGET}): {'met' if ratio <= GRADING_TARGET else 'not met'}."
    )


def venv_size() -> str:
    venv = ROOT / ".venv"
    if not venv.is_dir():
        return "no .venv"
    result = subprocess.run(["du", "-sm", str(venv)], capture_output=True, text=True, timeout=300)
    return f"{result.stdout.split()[0]} MB" if result.returncode == 0 else "unknown"


def machine() -> str:
    cpu = ""
    try:
        cpu = next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            "",
        )
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
    parser.add_argument("--repeat", type=int, default=5, help="rounds (default 5)")
    parser.add_argument(
        "--before", type=Path, help="a checkout of an earlier version, measured in the same rounds"
    )
    parser.add_argument("--suite", action="store_true", help="also time the whole test suite")
    parser.add_argument(
        "--save-before",
        action="store_true",
        help="store the --before figures in tools/bench_before.json",
    )
    parser.add_argument(
        "--class-size", type=int, default=30, help="students in the grading run (0 skips it)"
    )
    parser.add_argument("--only-grading", action="store_true", help="measure the grader only")
    args = parser.parse_args(argv)
    if args.only_grading:
        grading(args.class_size, args.repeat)
        return 0

    trees = {"now": ROOT}
    if args.before:
        trees["before"] = args.before.resolve()
    names = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    print(
        "# Performance\n\nWritten by `make bench` (`tools/bench.py`), which replaces this file on each run: the "
        "current figures only (CONTRIBUTING.md, *Performance*, says how they are measured).\n\n"
        f"Measured on {dt.date.today().isoformat()}: {machine()}; load average {os.getloadavg()[0]:.1f} at the start.",
        flush=True,
    )
    pairs: dict[tuple[str, str], list] = {}
    for round_ in range(1, args.repeat + 1):
        print(f"  round {round_} of {args.repeat} ...", file=sys.stderr, flush=True)
        for name in names:
            for label, tree in trees.items():
                path = tree / "notebooks" / name
                if not path.exists():
                    continue
                env = kernel_env(tree)
                floor = run(FLOOR, path.parent, env)
                pairs.setdefault((label, name), []).append(
                    (floor, run(nbformat.read(path, as_version=4), path.parent, env))
                )
    now = {name: ratios(pairs[("now", name)]) for name in names if ("now", name) in pairs}
    if args.before:
        before = {
            name: ratios(pairs[("before", name)]) for name in names if ("before", name) in pairs
        }
        before_note = f"measured in the same rounds from {args.before}"
        if args.save_before:
            (ROOT / "tools" / "bench_before.json").write_text(
                json.dumps(
                    {
                        "date": dt.date.today().isoformat(),
                        "source": str(args.before),
                        "rounds": args.repeat,
                        "notebooks": {
                            n: {k: r[k] for k in ("time", "cpu", "mem")} for n, r in before.items()
                        },
                    },
                    indent=1,
                )
                + "\n"
            )
    else:
        stored = stored_before()
        before = stored.get("notebooks", {})
        before_note = f"stored in tools/bench_before.json, measured on {stored.get('date', '?')}"
    floors = [
        floor for (label, _), rounds in pairs.items() if label == "now" for floor, _ in rounds
    ]
    floor_times = [f["time"] for f in floors]
    print(
        f"\nEach notebook run {args.repeat} times in a fresh kernel, each run just after a floor run; "
        f"median of the ratios to that floor. Floor: median {statistics.median(floor_times):.2f} s "
        f"({min(floor_times):.1f}-{max(floor_times):.1f}), peak memory {max(f['kib'] or 0 for f in floors) / 1024:.0f} MB.\n"
    )
    print(
        "| notebook | time, s (range) | time × floor | CPU × floor | memory × floor | before: time × floor | before: CPU × floor | within targets |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    meeting = []
    for name, r in now.items():
        ok_time, ok_memory = r["time"] <= TIME_TARGET, r["mem"] <= MEMORY_TARGET
        verdict = (
            "yes"
            if ok_time and ok_memory
            else ", ".join(
                w for w, ok in (("time: no", ok_time), ("memory: no", ok_memory)) if not ok
            )
        )
        if ok_time and ok_memory:
            meeting.append(name)
        b = before.get(name, {})
        print(
            f"| {name} | {r['seconds']:.2f} ({r['range'][0]:.1f}-{r['range'][1]:.1f}) | {r['time']:.2f} | "
            f"{r['cpu']:.2f} | {r['mem']:.2f} | {b.get('time', float('nan')):.2f} | {b.get('cpu', float('nan')):.2f} | {verdict} |"
        )
    print(f"\nBefore: {before_note}.")
    print(
        f"Targets: time ≤ {TIME_TARGET}× the floor, memory ≤ {MEMORY_TARGET}× the floor. "
        f"Met by {len(meeting)} of {len(now)}: {', '.join(meeting) or 'none'}."
    )
    if args.suite:
        print("\n  running the test suite ...", file=sys.stderr, flush=True)
        seconds, summary = suite_wall_time()
        print(f"Test suite (pytest -n 2 --dist loadfile): {seconds:.0f} s wall ({summary}).")
    print(f"Environment on disk (.venv): {venv_size()}.")
    if args.class_size:
        print("\n  grading a class ...", file=sys.stderr, flush=True)
        grading(args.class_size, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
