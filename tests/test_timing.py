"""Measured minutes per exercise from the run times a saved notebook keeps (usiraq.timing)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import nbformat
from hypothesis import given, settings
from hypothesis import strategies as st

from usiraq.teacher import timing

ROOT = Path(__file__).resolve().parents[1]
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def stamp(cell, minute: float) -> None:
    """Give a code cell the times JupyterLab records, for a run ending ``minute`` minutes after START."""
    end = START + timedelta(minutes=minute)
    cell.metadata["execution"] = {
        "iopub.status.busy": (end - timedelta(seconds=1)).isoformat().replace("+00:00", "Z"),
        "iopub.execute_input": (end - timedelta(seconds=1)).isoformat().replace("+00:00", "Z"),
        "shell.execute_reply": end.isoformat().replace("+00:00", "Z"),
        "iopub.status.idle": (end - timedelta(milliseconds=2)).isoformat().replace("+00:00", "Z"),
    }


def notebook(*cells):
    """Cells given as ('md', text) or ('code', minute or None)."""
    nb = nbformat.v4.new_notebook()
    for kind, value in cells:
        if kind == "md":
            nb.cells.append(nbformat.v4.new_markdown_cell(value))
        else:
            cell = nbformat.v4.new_code_cell("x = 1")
            if value is not None:
                stamp(cell, value)
            nb.cells.append(cell)
    return nb


def test_each_interval_counts_for_the_cell_that_ends_it_and_breaks_are_capped():
    nb = notebook(
        ("md", "## Before you start"),
        ("code", 0),
        ("md", "## Exercises\n\n### Exercise 01.1 · First"),
        ("code", 4),
        ("code", 6.5),
        ("md", "### Exercise 01.2 · Second"),
        ("code", 90),  # 83.5 min later: a break, counts 30
        ("md", "### Exercise 01.3 · Never run"),
        ("code", None),
        ("md", "### Exercise 01.4 · Run first"),
        ("code", 92),
    )
    assert timing.measured_minutes(nb) == {"01.1": 6.5, "01.2": 30.0, "01.4": 2.0}


def test_runs_are_taken_in_time_order_not_cell_order():
    # The student went back to 01.1 after 01.2: the 3 minutes before that run count for 01.1.
    nb = notebook(
        ("code", 0),
        ("md", "### Exercise 01.1 · A"),
        ("code", 10),
        ("md", "### Exercise 01.2 · B"),
        ("code", 7),
    )
    assert timing.measured_minutes(nb) == {"01.1": 3.0, "01.2": 7.0}


def test_the_first_run_starts_the_clock_and_a_section_header_ends_an_exercise():
    nb = notebook(
        ("md", "### Exercise 02.1 · A"),
        ("code", 5),
        ("code", 8),
        ("md", "---\n## After the exercises"),
        ("code", 9),
    )
    assert timing.measured_minutes(nb) == {"02.1": 3.0}


def test_a_notebook_without_timings_measures_nothing():
    assert (
        timing.measured_minutes(
            nbformat.read(ROOT / "exercises" / "01_emergence.ipynb", as_version=4)
        )
        == {}
    )
    assert timing.measured_minutes({}) == {} and timing.measured_minutes({"cells": "no"}) == {}


def test_times_with_zones_and_without_are_compared_as_utc():
    nb = notebook(("md", "### Exercise 03.1 · A"), ("code", 0), ("code", None))
    nb.cells[2].metadata["execution"] = {
        "shell.execute_reply": "2026-03-02T11:02:00+02:00"
    }  # 09:02 UTC
    assert timing.measured_minutes(nb) == {"03.1": 2.0}


# ---- odd metadata: never raise, never negative, never more than the capped total -------------

ZONES = st.one_of(
    st.none(), st.just(UTC), st.builds(lambda h: timezone(timedelta(hours=h)), st.integers(-12, 14))
)
# Mostly times of one day (so gaps both under and over the cap occur), some from any year, and junk.
TIMES = st.one_of(
    st.datetimes(
        min_value=datetime(2026, 3, 2), max_value=datetime(2026, 3, 2, 23, 59), timezones=ZONES
    ).map(lambda d: d.isoformat()),
    st.one_of(
        st.datetimes(
            min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=ZONES
        ).map(lambda d: d.isoformat()),
        st.text(max_size=12),
        st.integers(),
        st.none(),
        st.floats(allow_nan=True),
        st.lists(st.integers(), max_size=2),
    ),
)
EXECUTION = st.one_of(
    st.dictionaries(st.sampled_from(timing.TIME_KEYS + ("other",)), TIMES, min_size=1, max_size=4),
    st.one_of(st.none(), st.text(max_size=5), st.integers(), st.lists(TIMES, max_size=2)),
)
HEADERS = st.sampled_from(
    [
        "### Exercise 01.1 · A",
        "### Exercise 01.2 · B",
        "## Section",
        "# Title",
        "text",
        "### Exercise 1.1 typo",
        "### Other",
        "## Exercises\n\n### Exercise 01.3 · C",
    ]
)
# Runs within two hours, naive (read as UTC) or in UTC, seconds apart to an hour apart.
DAY = st.builds(
    lambda seconds, zone: (datetime(2026, 3, 2, 9) + timedelta(seconds=seconds)).replace(
        tzinfo=zone
    ),
    st.integers(0, 7200),
    st.sampled_from([None, UTC]),
)
TIMED = st.builds(
    lambda end, rest: {
        "cell_type": "code",
        "source": "x",
        "metadata": {"execution": {**rest, "shell.execute_reply": end.isoformat()}},
    },
    DAY,
    st.dictionaries(st.sampled_from(timing.TIME_KEYS), TIMES, max_size=2),
)
CELLS = st.one_of(
    TIMED,  # many cells have a readable run, so that gaps under and over the cap occur
    st.builds(
        lambda text: {"cell_type": "markdown", "source": text, "metadata": {}},
        st.one_of(HEADERS, st.lists(HEADERS, max_size=2)),
    ),
    st.one_of(
        st.builds(
            lambda e: {"cell_type": "code", "source": "x", "metadata": {"execution": e}}, EXECUTION
        ),
        st.builds(
            lambda m: {"cell_type": "code", "source": "x", "metadata": m},
            st.one_of(st.none(), st.integers(), st.just({})),
        ),
        st.just({"cell_type": "code"}),
        st.just({"source": "### Exercise 01.4 · no type"}),
        st.just("not a cell"),
        st.none(),
    ),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(CELLS, max_size=25), st.floats(min_value=0.5, max_value=30))
def test_odd_metadata_never_raises_and_stays_within_the_capped_total(cells, cap):
    nb = {"cells": cells}
    measured = timing.measured_minutes(nb, break_minutes=cap)
    recorded = timing.runs(nb)
    assert all(value >= 0 for value in measured.values())
    span = (recorded[-1][0] - recorded[0][0]) / 60 if recorded else 0
    assert sum(measured.values()) <= min(span, cap * max(len(recorded) - 1, 0)) + 1e-6
    assert set(measured) == {exercise_id for _, exercise_id in recorded if exercise_id}
    assert [t for t, _ in recorded] == sorted(t for t, _ in recorded)
