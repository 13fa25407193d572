"""Notebook 04, the challenges: attacks on US forces, from reports to incidents, and the escalation.

One row of the attacks table is a report; ``incidents`` keeps one row per
attack.  The explorer's filters, the monthly counts and the escalation chain of
December 2019 to January 2020 are built here from the data.
"""

from __future__ import annotations

import pandas as pd

from . import data, style


def series_period() -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day of the months in which the attacks table can be read as a series.

    The table is built to check the paper, so it holds every attack its sources
    report only for October 2017 to March 2020; later rows are a selection.  A
    month without a row means something only inside this period, so charts and
    exercises that count months stop at its end.  The period is declared once,
    as ``x-coverage`` of the attacks resource in ``datapackage.json``.
    """
    coverage = data.coverage("attacks")
    start = pd.Period(coverage["series_start"], freq="M")
    end = pd.Period(coverage["series_end"], freq="M")
    return start.start_time, end.end_time.normalize()


def incidents(attacks: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per attack (incident), taken from its most precise report.

    ``reports`` counts the sources that tell of the attack and ``sources``
    lists them, so a reader can see where the row came from.
    """
    attacks = data.attacks() if attacks is None else attacks
    chosen = _best_reports(attacks, "attack_id")
    counts = attacks.groupby("incident_id").agg(
        reports=("attack_id", "size"), sources=("source_id", lambda s: "; ".join(s))
    )
    return chosen.merge(counts, on="incident_id").sort_values("date").reset_index(drop=True)


# ---------------------------------------------------------------------------
# The explorer: filter incidents, count them by month, say so when nothing is left
# ---------------------------------------------------------------------------

ALL = "all"

# Readable column names for the incidents a reader sees (the explorer's table).
SHOWN = {
    "date": "Date",
    "base_id": "Base",
    "place": "Place (as reported)",
    "weapon": "Weapon",
    "munitions_low": "Munitions (fewest reported)",
    "reports": "Reports",
    "sources": "Sources",
}


def _all(value) -> bool:
    """None, '' and 'all' mean 'do not filter on this'."""
    return value is None or (isinstance(value, str) and value.strip().lower() in ("", ALL))


def filter_incidents(
    incidents: pd.DataFrame,
    start=None,
    end=None,
    base_id: str | None = None,
    weapon: str | None = None,
) -> pd.DataFrame:
    """The incidents between ``start`` and ``end`` (both included), at one base, with one weapon.

    Any filter left as None (or 'all') is not applied.  ``end`` given as a month
    ('2020-01') keeps the whole month, so that a month slider means what it says.
    The result keeps the incidents' columns and is sorted by date; it may be empty.
    """
    keep = pd.Series(True, index=incidents.index)
    if start is not None:
        keep &= incidents["date"] >= pd.Timestamp(start)
    if end is not None:
        keep &= incidents["date"] < _after(end)
    if not _all(base_id):
        keep &= incidents["base_id"].fillna("") == base_id
    if not _all(weapon):
        keep &= incidents["weapon"] == weapon
    return incidents[keep].sort_values("date").reset_index(drop=True)


def _after(end) -> pd.Timestamp:
    """The first moment after ``end``: the next day, or the next month for 'YYYY-MM'."""
    if isinstance(end, str) and len(end.strip()) == 7:
        return pd.Timestamp(end) + pd.offsets.MonthBegin(1)
    if isinstance(end, pd.Period):
        return (end + 1).start_time
    return pd.Timestamp(end).normalize() + pd.Timedelta(days=1)


def per_month(incidents: pd.DataFrame, start=None, end=None) -> pd.Series:
    """Incidents per calendar month, with the months that had none shown as 0.

    A month with no attack is information too: leaving it out would make a
    chart look busier than the record is.  The months run from ``start`` (or
    the first incident) to ``end`` (or the last).  The index holds the first
    day of each month; an empty input with no start or end gives an empty Series.
    """
    months = incidents["date"].dt.to_period("M")
    first = pd.Period(start, "M") if start is not None else (months.min() if len(months) else None)
    last = pd.Period(end, "M") if end is not None else (months.max() if len(months) else None)
    if first is None or last is None:
        return pd.Series(
            [], dtype="int64", name="attacks", index=pd.DatetimeIndex([], name="month")
        )
    span = pd.period_range(first, last, freq="M")
    counts = months.value_counts().reindex(span, fill_value=0).astype("int64")
    counts.index = span.to_timestamp()
    counts.index.name = "month"
    return counts.rename("attacks")


def table_for_reader(incidents: pd.DataFrame) -> pd.DataFrame:
    """The incidents with readable column names and dates as text, one row per attack."""
    shown = incidents[list(SHOWN)].rename(columns=SHOWN)
    shown["Date"] = shown["Date"].dt.strftime("%Y-%m-%d")
    shown["Base"] = shown["Base"].fillna("(not a base)")
    return shown


def describe_selection(
    selection: pd.DataFrame,
    start=None,
    end=None,
    base_id: str | None = None,
    weapon: str | None = None,
) -> str:
    """One sentence saying what the filters kept, in words (also when nothing is left)."""
    parts = []
    if start is not None or end is not None:
        parts.append(
            f"from {_label(start) if start is not None else 'the start'} "
            f"to {_label(end) if end is not None else 'the end'}"
        )
    if not _all(base_id):
        parts.append(f"at base '{base_id}'")
    if not _all(weapon):
        parts.append(f"with weapon '{weapon}'")
    where = " ".join(parts) if parts else "in the whole table"
    if selection.empty:
        return (
            f"No attack in the data matches this selection ({where}), so there is nothing to draw. "
            "Widen the period or choose 'all' for the base or the weapon."
        )
    n = len(selection)
    reports = int(selection["reports"].sum()) if "reports" in selection else n
    noun = "attack (incident)" if n == 1 else "attacks (incidents)"
    sentence = f"{n} {noun} {where}, told in {reports} report{'s' if reports != 1 else ''}."
    series_end = series_period()[1]
    if end is None or _after(end) > series_end + pd.Timedelta(days=1):
        sentence += (
            f" After {series_end:%B %Y} the table holds only selected attacks, so months without a bar "
            "there say nothing about how many attacks there were."
        )
    return sentence


def _label(when) -> str:
    if isinstance(when, str) and len(when.strip()) == 7:
        return pd.Timestamp(when).strftime("%b %Y")
    if isinstance(when, pd.Period):
        return when.strftime("%b %Y")
    return pd.Timestamp(when).strftime("%d %b %Y")


def explore(
    incidents: pd.DataFrame,
    start=None,
    end=None,
    base_id: str | None = None,
    weapon: str | None = None,
) -> dict:
    """What the explorer shows for one choice of filters.

    Returns a dict with ``message`` (a sentence in words), ``table`` (the
    selected incidents, readable) and ``counts`` (incidents per month over the
    chosen period, or None when the selection is empty: nothing is drawn then).
    """
    selection = filter_incidents(incidents, start, end, base_id, weapon)
    counts = None if selection.empty else per_month(selection, start, end)
    return {
        "message": describe_selection(selection, start, end, base_id, weapon),
        "table": table_for_reader(selection),
        "counts": counts,
    }


# ---------------------------------------------------------------------------
# The escalation of December 2019 - January 2020, as a chain of dated steps
# ---------------------------------------------------------------------------

# Each step names a row of the data (table, id) and says in a few words what it
# was; the date always comes from the data.  Attacks and strikes are named by
# incident_id, events by event_id.
CHAIN = [
    (
        "attacks",
        "2019-12-27-k1",
        "Rocket attack on the K1 base kills a US contractor",
        "attack on US forces",
    ),
    ("strikes", "2019-12-29-kh", "US air strikes hit Kataib Hezbollah sites", "US strike"),
    (
        "attacks",
        "2019-12-31-embassy",
        "Crowd storms the US embassy compound in Baghdad",
        "attack on US forces",
    ),
    (
        "strikes",
        "2020-01-03-soleimani",
        "US drone strike kills Soleimani and al-Muhandis",
        "US strike",
    ),
    (
        "events",
        "E075",
        "Iraqi parliament votes to end the foreign military presence",
        "Iraqi politics",
    ),
    (
        "attacks",
        "2020-01-08-iran",
        "Iran fires ballistic missiles at bases with US troops",
        "Iranian strike",
    ),
]

# Two later steps of the paper's official and popular levels, for the ordering exercise.
AFTERMATH = [
    ("events", "E080", "Prime minister asks Pompeo to prepare a withdrawal", "Iraqi politics"),
    ("events", "E083", "Sadrist march demands that US troops leave", "Iraqi politics"),
]


def _best_reports(frame: pd.DataFrame, row_id: str) -> pd.DataFrame:
    """One row per incident_id: a report dated to the day, then by data.SOURCE_PREFERENCE."""
    ranked = frame.assign(
        _kind=data.source_rank(frame["source_id"]),
        _precise=(frame["date_precision"] != "day").astype(int),
    ).sort_values(["incident_id", "_precise", "_kind", row_id])
    return ranked.drop_duplicates("incident_id").drop(columns=["_kind", "_precise"])


def escalation_chain(steps=None) -> pd.DataFrame:
    """The steps of the escalation with their dates and sources, from the data.

    Columns: ``date``, ``step`` (what happened, in brief), ``kind``, ``table``,
    ``row`` (the incident_id or event_id) and ``source_id``; sorted by date.
    """
    steps = CHAIN if steps is None else steps
    tables = {
        "attacks": _best_reports(data.attacks(), "attack_id").set_index("incident_id"),
        "strikes": _best_reports(data.strikes(), "strike_id").set_index("incident_id"),
        "events": data.events().set_index("event_id"),
    }
    rows = []
    for table, key, step, kind in steps:
        found = tables[table].loc[key]
        rows.append(
            {
                "date": found["date"],
                "step": step,
                "kind": kind,
                "table": table,
                "row": key,
                "source_id": found["source_id"],
            }
        )
    return pd.DataFrame(rows).sort_values("date", kind="stable").reset_index(drop=True)


def per_month_png(
    counts: pd.Series, title: str, source: str = "data/attacks.csv (one row per incident)"
) -> bytes:
    """A bar chart of incidents per month, as PNG bytes for the explorer's image widget."""
    fig, ax = style.chart(
        title=title, xlabel="Month", ylabel="Attacks (incidents)", source=source, figsize=(10, 4)
    )
    ax.bar(counts.index, counts.values, width=25, color=style.PALETTE[0], edgecolor="#003B5C")
    ax.yaxis.get_major_locator().set_params(integer=True)
    return style.to_png(fig)
