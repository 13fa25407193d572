"""How long a student worked on each exercise, from the run times their notebook kept.

With JupyterLab's ``recordTiming`` on (``usiraq.labsettings``), every code cell
of a saved notebook carries the times of its last run in
``metadata.execution`` (``iopub.status.busy``, ``iopub.execute_input``,
``shell.execute_reply``, ``iopub.status.idle``).  A run's time here is the
latest of those that can be read: the moment the cell finished.

The rule, and nothing else (no time is guessed):

- every code cell belongs to the exercise whose ``### Exercise NN.k`` header
  comes last above it; a ``#`` or ``##`` header ends an exercise, so the
  setup cells at the top belong to none;
- all recorded runs of the notebook are sorted by time, and the first one
  starts the clock;
- each interval between two consecutive runs counts for the exercise of the
  cell that ran at the end of the interval (the reading, typing and running
  that led to that run); an interval longer than ``BREAK_MINUTES`` counts as
  ``BREAK_MINUTES`` (a break, not work);
- an exercise none of whose cells has a recorded run gets no value (None), not 0.

What it misses: the reading before the notebook's first run, and any time
whose runs were overwritten (JupyterLab keeps only a cell's last run, so
running the whole notebook again at the end leaves only that run's seconds).
Cells with no times, or times that cannot be read, are left out; nothing
here raises on odd metadata.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

# JupyterLab keeps only each cell's last run, so an exercise often shows as one or two intervals: the cap
# must stay above what an exercise takes (the declared minutes go up to 20), so a pause under half an hour
# counts as work, and only a longer one as a break.
BREAK_MINUTES = 30.0
EXERCISE = re.compile(r"^###\s+Exercise\s+(\d\d\.[0-9a-z]+)\b", re.M)
SECTION = re.compile(r"^#{1,2}\s", re.M)
TIME_KEYS = ("iopub.status.busy", "iopub.execute_input", "shell.execute_reply", "iopub.status.idle")


def _when(text) -> float | None:
    """An ISO 8601 time in seconds since 1970 (UTC if it names no zone); None if it is not one."""
    if not isinstance(text, str):
        return None
    try:
        moment = datetime.fromisoformat(text.strip())
        return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()
    except (ValueError, OverflowError, OSError):
        return None


def run_time(cell) -> float | None:
    """When the cell's recorded run finished: the latest readable time of its ``execution`` metadata."""
    metadata = cell.get("metadata") if isinstance(cell, dict) else None
    execution = metadata.get("execution") if isinstance(metadata, dict) else None
    if not isinstance(execution, dict):
        return None
    times = [t for t in (_when(execution.get(key)) for key in TIME_KEYS) if t is not None]
    return max(times, default=None)


def _source(cell) -> str:
    source = cell.get("source", "")
    return (
        "".join(source) if isinstance(source, list) else source if isinstance(source, str) else ""
    )


def runs(nb) -> list[tuple[float, str | None]]:
    """Every recorded run as (time in seconds, exercise id or None), sorted by time."""
    cells = nb.get("cells") if isinstance(nb, dict) else None
    found, current = [], None
    for cell in cells if isinstance(cells, list) else []:
        if not isinstance(cell, dict):
            continue
        if cell.get("cell_type") == "markdown":
            text = _source(cell)
            marks = sorted(
                [(m.start(), m.group(1)) for m in EXERCISE.finditer(text)]
                + [(m.start(), None) for m in SECTION.finditer(text)],
                key=lambda mark: mark[0],
            )
            if marks:
                current = marks[-1][1]
        elif cell.get("cell_type") == "code" and (moment := run_time(cell)) is not None:
            found.append((moment, current))
    return sorted(found, key=lambda run: run[0])


def measured_minutes(nb, break_minutes: float = BREAK_MINUTES) -> dict[str, float]:
    """Active minutes per exercise id, for the exercises with at least one recorded run."""
    recorded = runs(nb)
    out = {exercise_id: 0.0 for _, exercise_id in recorded if exercise_id is not None}
    for (before, _), (after, exercise_id) in zip(recorded, recorded[1:]):
        if exercise_id is not None:
            out[exercise_id] += min((after - before) / 60, break_minutes)
    return out
