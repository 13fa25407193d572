"""Time and memory of validating a large, valid table (a report, not a test).

Copies data/ to a temporary folder, replaces map_outline.csv with a synthetic
table of --rows valid rows (default 1,000,000), records its row count and hash
the way `make data-stamp` does (when the project has that step), then runs the
validator in a fresh Python process --repeat times and prints the wall time, the
CPU time (steadier on a shared machine) and the peak memory (VmHWM) of each run.

Usage: ``python tools/bench_validate.py [--rows 1000000] [--repeat 3] [--src DIR]``;
to compare with an older version: ``git archive COMMIT src | tar -x -C /tmp/old`` and
``--src /tmp/old/src``.
Run it on an otherwise idle machine: the figures are wall-clock.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = """
import sys, time
from pathlib import Path
from usiraq import schema
folder = Path(sys.argv[1])
start, cpu = time.perf_counter(), time.process_time()
schema.validate_package(folder)
took, cpu = time.perf_counter() - start, time.process_time() - cpu
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across exec
peak = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM")) / 1024
print(f"{took:.3f} {cpu:.3f} {peak:.0f}")
"""


def write_table(path: Path, rows: int) -> None:
    """map_outline.csv with `rows` distinct, valid vertices (1000 per part)."""
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("iso_a3,country,part,vertex,lon,lat,source_id\n")
        for i in range(rows):
            part, vertex = divmod(i, 1000)
            out.write(f"IRQ,Iraq,{part},{vertex},{40 + (i % 900) / 100:.4f},"
                      f"{30 + (i % 700) / 100:.4f},naturalearth\n")


def stamp(folder: Path) -> None:
    """Record counts and hashes in the copy, if this version of the project records them."""
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import data_stamp
    except ImportError:
        return
    data_stamp.refresh(folder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--src", type=Path, default=ROOT / "src",
                        help="the package folder to measure (e.g. an export of an older commit's src/)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "data"
        shutil.copytree(ROOT / "data", folder)
        write_table(folder / "map_outline.csv", args.rows)
        stamp(folder)
        size = (folder / "map_outline.csv").stat().st_size / 1e6
        print(f"validating data/ with a {args.rows:,}-row map_outline.csv ({size:.0f} MB)")
        times, cpus, peaks = [], [], []
        for run in range(args.repeat):
            done = subprocess.run([sys.executable, "-c", CHILD, str(folder)], capture_output=True,
                                  text=True, env={**os.environ, "PYTHONPATH": str(args.src.resolve())})
            if done.returncode:
                sys.exit(f"validation failed:\n{done.stderr[-2000:]}")
            took, cpu, peak = map(float, done.stdout.split())
            times.append(took)
            cpus.append(cpu)
            peaks.append(peak)
            print(f"  run {run + 1}: {took:6.2f} s wall, {cpu:6.2f} s CPU, peak memory {peak:6.0f} MB")
        print(f"median {statistics.median(times):.2f} s wall, {statistics.median(cpus):.2f} s CPU, "
              f"largest peak {max(peaks):.0f} MB")


if __name__ == "__main__":
    main()
