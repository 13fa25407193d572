"""US troop levels in Iraq: the helpers behind notebook 01 (emergence and development).

The troop table keeps one row per figure per source, and the figures are of
different kinds: a count is not a cap, and a cap is not a plan.  These helpers
keep that visible.  They pick the events and legal frames the notebook marks
(by ``event_id``, so no date is typed here), place a figure known only to the
month or year in the middle of that period when it is drawn, and summarise one
year for the explorer, saying so plainly when a year has no figure at all.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd

from . import data

# The kinds of figure, in the order a legend lists them, with a plain label.
KIND_LABELS = {
    "point": "count",
    "approx": "estimate ('about')",
    "peak": "peak",
    "cap": "cap (authorised ceiling)",
    "announced": "announced target",
    "upper_bound": "upper bound ('less than')",
}
KINDS = list(KIND_LABELS)

# The events the troop charts mark, by event_id, with a short label for the chart.
KEY_EVENTS = {
    "E002": "invasion begins",
    "E004": "fall of Baghdad",
    "E007": "UNSCR 1483",
    "E014": "surge peak",
    "E019": "SOFA + SFA signed",
    "E031": "last troops leave",
    "E035": "fall of Mosul",
    "E036": "first troops return",
    "E051": "ISIS declared defeated",
    "E102": "2020 drawdown",
    "E106": "combat mission ends",
    "E122": "coalition wind-down agreed",
}

# The legal frames the paper cites (and the SOFA's expiry), with what each changed, in our words.
LEGAL_FRAMES = {
    "E007": (
        "UN Security Council Resolution 1483",
        "Recognised the US and its allies as occupying powers with authority in Iraq; "
        "gave the first stage an international legal footing after the fact.",
    ),
    "E019": (
        "Security agreement (SOFA) and Strategic Framework Agreement (SFA)",
        "The SOFA set the rules for US forces and a date to leave by the end of 2011; "
        "the SFA set out a long-term partnership, including defence and security cooperation.",
    ),
    "E032": (
        "SOFA expires",
        "No agreement covered US combat forces any more; only a small embassy-attached staff stayed.",
    ),
    "E037": (
        "Iraq's request for US air strikes against ISIS",
        "The second stage began at the Iraqi government's request, not by invasion.",
    ),
}

# Later frames, used with the ones above in the ordering exercise.
LATER_FRAMES = {
    "E105": "Biden and Kadhimi agree to end the combat mission",
    "E122": "Joint statement on ending the coalition mission",
}


def levels(troops: pd.DataFrame | None = None) -> pd.DataFrame:
    """The troop table sorted by date, with a readable kind label and a year column."""
    troops = data.troop_levels() if troops is None else troops
    out = troops.sort_values(["date", "us_troops"]).reset_index(drop=True)
    return out.assign(year=out["date"].dt.year, kind_label=out["kind"].map(KIND_LABELS))


def plot_dates(frame: pd.DataFrame) -> pd.Series:
    """Where to draw each figure: the middle of its month or year when the day is not known.

    A date known only to the year is stored as 1 January; drawn there, the
    paper's '2007' figure would sit before the surge it describes.
    """
    dates = frame["date"]
    precision = frame["date_precision"]
    month_end = dates + pd.offsets.MonthEnd(0)
    year_end = dates + pd.offsets.YearEnd(0)
    middle_month = dates + (month_end - dates) / 2
    middle_year = dates + (year_end - dates) / 2
    return middle_year.where(precision == "year", middle_month.where(precision == "month", dates))


def key_events(events: pd.DataFrame | None = None, ids=None) -> pd.DataFrame:
    """The events the troop charts mark, in date order, with a short chart label."""
    events = data.events() if events is None else events
    labels = KEY_EVENTS if ids is None else {i: KEY_EVENTS[i] for i in ids}
    chosen = events[events["event_id"].isin(list(labels))].copy()
    chosen["label"] = chosen["event_id"].map(labels)
    return (
        chosen[["event_id", "date", "label", "event", "phase_id", "source_id"]]
        .sort_values("date")
        .reset_index(drop=True)
    )


def legal_frames(events: pd.DataFrame | None = None) -> pd.DataFrame:
    """The legal frames of section 1, from the events table, with what each changed."""
    events = data.events() if events is None else events
    chosen = events[events["event_id"].isin(list(LEGAL_FRAMES))].copy()
    chosen["frame"] = chosen["event_id"].map(lambda i: LEGAL_FRAMES[i][0])
    chosen["what it changed"] = chosen["event_id"].map(lambda i: LEGAL_FRAMES[i][1])
    return (
        chosen[["date", "frame", "what it changed", "event_id", "source_id"]]
        .sort_values("date")
        .reset_index(drop=True)
    )


def frame_names() -> pd.DataFrame:
    """The frames of the ordering exercise (legal and later ones) with their event ids.

    Sorted by name, not by date: the list is shown to students who are asked
    to put the frames in order, so it must not give the order away.
    """
    names = {i: name for i, (name, _) in LEGAL_FRAMES.items()} | LATER_FRAMES
    table = pd.DataFrame({"frame": list(names.values()), "event_id": list(names)})
    return table.sort_values("frame").reset_index(drop=True)


def phases_in_year(year: int, phases: pd.DataFrame | None = None) -> list[str]:
    """Names of the phases that overlap a calendar year, in order (none outside the phases)."""
    phases = data.phases() if phases is None else phases
    first, last = pd.Timestamp(year=year, month=1, day=1), pd.Timestamp(year=year, month=12, day=31)
    overlap = phases[(phases["start"] <= last) & (phases["end"] >= first)]
    return list(overlap.sort_values("order")["name"])


def phases_between(start, end, phases: pd.DataFrame | None = None) -> pd.DataFrame:
    """The phases that overlap a window, cut to the window, for shading a zoomed chart.

    Without the cut, a phase that began before the window would be named at
    its middle, outside the chart.
    """
    phases = data.phases() if phases is None else phases
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    inside = phases[(phases["end"] >= start) & (phases["start"] <= end)].copy()
    inside["start"] = inside["start"].clip(lower=start)
    inside["end"] = inside["end"].clip(upper=end)
    return inside.reset_index(drop=True)


def yearly(troops: pd.DataFrame | None = None, phases: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per year from the first to the last figure, with lowest, highest and counts.

    Years with no figure keep their row (0 figures, empty lowest and highest),
    so a gap in the record shows as a gap, not as a missing line.
    """
    table = levels(troops)
    phases = data.phases() if phases is None else phases  # read once, not once per year
    years = (
        range(int(table["year"].min()), int(table["year"].max()) + 1) if len(table) else range(0)
    )
    grouped = table.groupby("year").agg(
        lowest=("us_troops", "min"),
        highest=("us_troops", "max"),
        figures=("row_id", "size"),
        sources=("source_id", "nunique"),
    )
    out = grouped.reindex(list(years))
    out.index.name = "year"
    out = out.reset_index()
    out["figures"] = out["figures"].fillna(0).astype(int)
    out["sources"] = out["sources"].fillna(0).astype(int)
    out["lowest"] = out["lowest"].astype("Int64")
    out["highest"] = out["highest"].astype("Int64")
    out.insert(1, "phase(s)", [", ".join(phases_in_year(y, phases)) for y in out["year"]])
    return out.rename(
        columns={
            "lowest": "lowest figure (US troops)",
            "highest": "highest figure (US troops)",
            "figures": "figures",
            "sources": "sources",
        }
    )


@dataclass
class YearSummary:
    """What the explorer shows for one year."""

    year: int
    phases: list[str]
    figures: pd.DataFrame
    events: pd.DataFrame

    @property
    def headline(self) -> str:
        """One line: the year, its phase(s) and its figures, or that there are none."""
        phase = ", ".join(self.phases) if self.phases else "outside the module's phases"
        if self.figures.empty:
            return (
                f"{self.year} · phase: {phase} · no sourced troop figure for this year "
                "(a gap in the record, not a count of zero)"
            )
        low, high = self.figures["US troops"].min(), self.figures["US troops"].max()
        spread = f"{low:,}" if low == high else f"{low:,} to {high:,}"
        n, s = len(self.figures), self.figures["source_id"].nunique()
        return (
            f"{self.year} · phase: {phase} · {n} figure{'s' if n != 1 else ''} from "
            f"{s} source{'s' if s != 1 else ''}: {spread} US troops"
        )

    def html(self) -> str:
        """The headline and both tables as HTML, for a widgets.HTML view in the explorer."""
        parts = [f"<p><b>{html.escape(self.headline)}</b></p>"]
        if not self.figures.empty:
            parts.append(self.figures.to_html(index=False, na_rep=""))
        if not self.events.empty:
            parts.append("<p>Events of the year:</p>")
            parts.append(self.events.to_html(index=False, na_rep=""))
        return "\n".join(parts)


def year_summary(
    year: int,
    troops: pd.DataFrame | None = None,
    events: pd.DataFrame | None = None,
    phases: pd.DataFrame | None = None,
) -> YearSummary:
    """Every troop figure of a year (with kind and source), its phase(s) and its events."""
    table = levels(troops)
    rows = table[table["year"] == year]
    shown = pd.DataFrame(
        {
            "date": data.dated(rows)["when"],
            "US troops": rows["us_troops"],
            "kind": rows["kind_label"],
            "source_id": rows["source_id"],
            "section": rows["section"],
            "note": rows["note"],
        }
    ).reset_index(drop=True)
    events = data.events() if events is None else events
    in_year = events[events["date"].dt.year == year].sort_values("date")
    shown_events = pd.DataFrame(
        {
            "date": data.dated(in_year)["when"],
            "event": in_year["event"],
            "category": in_year["category"],
            "source_id": in_year["source_id"],
            "section": in_year["section"],
        }
    ).reset_index(drop=True)
    return YearSummary(
        year=year, phases=phases_in_year(year, phases), figures=shown, events=shown_events
    )


def years_without_figures(troops: pd.DataFrame | None = None) -> list[int]:
    """Years between the first and last figure for which the table has no figure."""
    table = yearly(troops)
    return [int(y) for y in table.loc[table["figures"] == 0, "year"]]
