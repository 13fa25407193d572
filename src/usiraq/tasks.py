"""The paper's five tasks (section 3): what it says, when, and the events that mark them.

The paper lists five tasks of the US presence but dates only some of them.
These functions keep that visible: every table says which source a row comes
from (the paper or the public record), every task says whether its starting
date is the paper's or the module's reading, and a task without dated events
says so instead of showing an empty table.
"""

from __future__ import annotations

import hashlib
import html
from dataclasses import dataclass

import pandas as pd

from . import challenges, data

# How a source kind is named in tables and chart legends.
SOURCE_LABELS = {
    "paper": "the paper",
    "seed": "companion text",
    "public": "public record",
    "dataset": "dataset",
}
MODULE_READING = "module's reading"


def source_labels(source_ids: pd.Series) -> pd.Series:
    """'the paper', 'companion text' or 'public record' for each source id, for a table column or a legend.

    The sources table is read once for the column, not once per row.
    """
    kinds = source_ids.map(data.source_kinds()).fillna("")
    return kinds.map(lambda kind: SOURCE_LABELS.get(kind, kind))


def date_basis(dating_note: str) -> str:
    """Who dated a task: 'the paper', or 'the module's reading' when the paper gives no date."""
    return "the module's reading" if MODULE_READING in str(dating_note) else "the paper"


def task_table(tasks: pd.DataFrame | None = None) -> pd.DataFrame:
    """The five tasks as a readable table, in the paper's order.

    ``dated by`` separates the dates the paper supports from those the module
    had to choose, so nobody mistakes a reading for a finding.
    """
    tasks = data.tasks() if tasks is None else tasks
    table = pd.DataFrame(
        {
            "No.": tasks["number"],
            "task": tasks["name"],
            "what the paper says (our words)": tasks["paper_summary"],
            "evidence the paper gives": tasks["evidence"].fillna(""),
            "prominent from": tasks["prominent_from"].map(lambda d: data.date_text(d, "month")),
            "dated by": tasks["dating_note"].map(date_basis),
            "how the date was chosen": tasks["dating_note"].fillna(""),
            "section": tasks["section"],
        }
    )
    return table.sort_values("No.").reset_index(drop=True)


def task_events(task_id: str | None = None, events: pd.DataFrame | None = None) -> pd.DataFrame:
    """Events tied to a task (or to any task), oldest first, with who reports them.

    One event told by both the paper and the record has two rows: the table
    counts reports, and the ``source`` column shows which is which.
    """
    events = data.events() if events is None else events
    tagged = events[events["task_id"].notna()]
    if task_id is not None:
        tagged = tagged[tagged["task_id"] == task_id]
    tagged = tagged.sort_values(["date", "event_id"])
    return pd.DataFrame(
        {
            "date": [
                data.date_text(d, p) for d, p in zip(tagged["date"], tagged["date_precision"])
            ],
            "event": tagged["event"],
            "task_id": tagged["task_id"],
            "source": tagged["source_id"].pipe(source_labels),
            "source_id": tagged["source_id"],
            "section": tagged["section"].fillna(""),
            "event_id": tagged["event_id"],
            "when": tagged["date"],
        }
    ).reset_index(drop=True)


def events_per_task(
    tasks: pd.DataFrame | None = None, events: pd.DataFrame | None = None
) -> pd.DataFrame:
    """For every task, the number of events from the paper, from the record and in all, and the first date.

    Tasks with no events keep their row with zeros: a missing row would hide
    exactly the tasks the paper leaves undated.
    """
    tasks = data.tasks() if tasks is None else tasks
    tagged = task_events(events=events)
    counts = pd.crosstab(tagged["task_id"], tagged["source"]) if len(tagged) else pd.DataFrame()
    rows = []
    for task in tasks.sort_values("number").itertuples(index=False):
        mine = tagged[tagged["task_id"] == task.task_id]
        first = mine.iloc[0] if len(mine) else None
        rows.append(
            {
                "No.": task.number,
                "task": task.name,
                "paper": int(counts.loc[task.task_id].get("the paper", 0))
                if task.task_id in counts.index
                else 0,
                "public record": int(counts.loc[task.task_id].get("public record", 0))
                if task.task_id in counts.index
                else 0,
                "all sources": len(mine),
                "first event": first["date"] if first is not None else "none",
                "prominent from": data.date_text(task.prominent_from, "month"),
            }
        )
    return pd.DataFrame(rows)


@dataclass
class TaskCard:
    """What the explorer shows for one task: a summary and its events (or a note that there are none)."""

    task_id: str
    title: str
    summary: list[tuple[str, str]]
    events: pd.DataFrame
    empty_note: str

    @property
    def has_events(self) -> bool:
        return len(self.events) > 0

    @property
    def text(self) -> str:
        """The card as plain text (for tests, screen readers and printing)."""
        lines = [self.title] + [f"{label}: {value}" for label, value in self.summary]
        lines.append(self.events.to_string(index=False) if self.has_events else self.empty_note)
        return "\n".join(lines)

    def html(self) -> str:
        """The card as HTML, for a notebook or an ``ipywidgets.HTML`` widget."""
        rows = "".join(
            f"<li><b>{html.escape(label)}:</b> {html.escape(value)}</li>"
            for label, value in self.summary
        )
        body = (
            show(self.events).html()
            if self.has_events
            else f"<p><i>{html.escape(self.empty_note)}</i></p>"
        )
        return f"<h4>{html.escape(self.title)}</h4><ul>{rows}</ul>{body}"

    def _repr_html_(self) -> str:
        return self.html()

    def __repr__(self) -> str:
        return self.text


def task_card(
    task_id: str, tasks: pd.DataFrame | None = None, events: pd.DataFrame | None = None
) -> TaskCard:
    """Everything the module holds on one task, ready to display.

    Raises ValueError for an unknown task_id, naming the valid ones.
    """
    tasks = data.tasks() if tasks is None else tasks
    match = tasks[tasks["task_id"] == task_id]
    if match.empty:
        raise ValueError(f"Unknown task {task_id!r}; choose one of {list(tasks['task_id'])}.")
    task = match.iloc[0]
    mine = task_events(task_id, events)
    n_paper = int((mine["source"] == SOURCE_LABELS["paper"]).sum())
    n_record = len(mine) - n_paper
    summary = [
        ("What the paper says (our words)", str(task["paper_summary"])),
        (
            "Evidence the paper gives",
            str(task["evidence"]) if pd.notna(task["evidence"]) else "none given",
        ),
        (
            "Prominent from",
            f"{data.date_text(task['prominent_from'], 'month')} ({task['dating_note']})",
        ),
        (
            "Dated events in the data",
            f"{len(mine)} ({n_paper} from the paper, {n_record} from other sources)"
            if len(mine)
            else "none",
        ),
    ]
    note = (
        "No dated event in the data is tied to this task: the paper argues for it without "
        "giving a dated example, so its starting date is the module's reading."
    )
    columns = ["date", "event", "source", "section", "event_id"]
    return TaskCard(
        task_id=task_id,
        title=f"Task {task['number']}: {task['name']} (paper, section {task['section']})",
        summary=summary,
        events=mine[columns],
        empty_note=note,
    )


def task_options(tasks: pd.DataFrame | None = None) -> list[tuple[str, str]]:
    """(label, task_id) pairs in the paper's order, for a drop-down list."""
    tasks = data.tasks() if tasks is None else tasks
    ordered = tasks.sort_values("number")
    return [
        (f"{n}. {name}", tid)
        for n, name, tid in zip(ordered["number"], ordered["name"], ordered["task_id"])
    ]


def lanes(tasks: pd.DataFrame | None = None) -> dict[str, int]:
    """The y position of each task's lane on the timeline: task 1 at the top."""
    tasks = data.tasks() if tasks is None else tasks
    numbers = tasks.set_index("task_id")["number"]
    top = int(numbers.max())
    return {tid: top + 1 - int(n) for tid, n in numbers.items()}


def latest_paper_date(events: pd.DataFrame | None = None) -> pd.Timestamp:
    """The date of the latest event the paper itself reports: everything later is hindsight."""
    events = data.events() if events is None else events
    return events.loc[events["source_id"] == "paper", "date"].max()


def strike_reports(
    incident_id: str | None = None, strikes: pd.DataFrame | None = None
) -> pd.DataFrame:
    """US strikes, one row per report, with the death toll as each source gives it.

    Reports of one strike share an ``incident_id``; keeping them side by side
    is what shows that the sources disagree.
    """
    strikes = data.strikes() if strikes is None else strikes
    if incident_id is not None:
        strikes = strikes[strikes["incident_id"] == incident_id]
    # incident ids start with the ISO date, so this order is by time even when
    # one report gives only the month.
    strikes = strikes.sort_values(["incident_id", "strike_id"])
    return pd.DataFrame(
        {
            "strike": strikes["incident_id"],
            "date": [
                data.date_text(d, p) for d, p in zip(strikes["date"], strikes["date_precision"])
            ],
            "target": strikes["target"],
            "place": strikes["place"].fillna(""),
            "facilities": strikes["facilities"],
            "killed (fewest)": strikes["killed_low"],
            "killed (most)": strikes["killed_high"],
            "death toll in the source's words": strikes["killed_detail"].fillna(""),
            "source": strikes["source_id"].pipe(source_labels),
            "source_id": strikes["source_id"],
            "section": strikes["section"].fillna(""),
        }
    ).reset_index(drop=True)


# Short labels for six moves and counter-moves of 2019-2020, by event_id: exercise 03.3 asks
# for them in date order, and the exercise notebook prints them for students who have no widgets.
ESCALATION_LABELS = {
    "E057": "US names Iran's Revolutionary Guard a terrorist organisation",
    "E066": "Rocket attack on K1 kills a US contractor",
    "E068": "US strikes five Kataib Hezbollah sites",
    "E069": "Militia supporters storm the US embassy compound",
    "E072": "US strike kills Soleimani and al-Muhandis",
    "E078": "Iran fires ballistic missiles at Ain al-Asad and Erbil",
}


ATTACK = "attack on US forces or sites"
MOVE = "US move against Iran or its allies"


def escalation(
    start,
    end,
    incidents: pd.DataFrame | None = None,
    events: pd.DataFrame | None = None,
    keep_when: bool = False,
) -> pd.DataFrame:
    """Attacks on US forces and US moves against Iran or its allies between two dates, in order.

    Attacks come from the attacks table, one row per attack (incident), with
    the US deaths reported; US moves are the events tied to confronting Iran,
    one row per report.  Putting them in one list lets a reader ask which came
    first: the question behind 'goal or consequence'.  ``keep_when`` also keeps
    each date as a timestamp (column ``when``), for computing with dates.
    """
    incidents = challenges.incidents() if incidents is None else incidents
    events = data.events() if events is None else events
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    base_names = data.bases().set_index("base_id")["name"]

    hits = incidents[(incidents["date"] >= start) & (incidents["date"] <= end)]
    where = hits["base_id"].map(base_names).fillna(hits["place"]).fillna("")
    attack_rows = pd.DataFrame(
        {
            "when": hits["date"],
            "date": [data.date_text(d, p) for d, p in zip(hits["date"], hits["date_precision"])],
            "what": ATTACK,
            "what happened": hits["weapon"].fillna("attack") + ": " + where,
            "US killed": hits["us_killed"].astype("Int64"),
            "Iraqi killed": hits["iraqi_killed"].astype("Int64"),
            "source": hits["source_id"].pipe(source_labels),
            "id": hits["incident_id"],
        }
    )

    moves = events[
        (events["task_id"] == "counter-iran") & (events["date"] >= start) & (events["date"] <= end)
    ]
    moves = pd.DataFrame(
        {
            "when": moves["date"],
            "date": [data.date_text(d, p) for d, p in zip(moves["date"], moves["date_precision"])],
            "what": MOVE,
            "what happened": moves["event"],
            "US killed": pd.array([pd.NA] * len(moves), dtype="Int64"),
            "Iraqi killed": pd.array([pd.NA] * len(moves), dtype="Int64"),
            "source": moves["source_id"].pipe(source_labels),
            "id": moves["event_id"],
        }
    )
    both = pd.concat([attack_rows, moves], ignore_index=True).sort_values(
        ["when", "what", "id"], kind="stable"
    )
    both = both.astype(
        {
            "date": "string",
            "what": "string",
            "what happened": "string",
            "US killed": "Int64",
            "Iraqi killed": "Int64",
        }
    )
    return (
        both.reset_index(drop=True)
        if keep_when
        else both.drop(columns="when").reset_index(drop=True)
    )


def answers_to_deadly_attacks(
    start, end, incidents: pd.DataFrame | None = None, events: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Each attack with US deaths in the window, and the first US move against Iran's allies after it.

    Only moves dated to the day count: a month-only date cannot say whether
    it came before or after the attack.  Where the paper and the record report
    the same move, the record's row is shown.  ``days later`` is empty when no
    move followed within the window.
    """
    frame = escalation(start, end, incidents, events, keep_when=True)
    deadly = frame[(frame["what"] == ATTACK) & (frame["US killed"].fillna(0) > 0)]
    moves = frame[(frame["what"] == MOVE) & (frame["date"].str.len() == 10)]
    # when the paper and the record report the same move, show the record's wording
    moves = moves.assign(_paper=moves["source"] == SOURCE_LABELS["paper"]).sort_values(
        ["when", "_paper", "id"]
    )
    rows = []
    for _, attack in deadly.iterrows():
        after = moves[moves["when"] > attack["when"]]
        first = after.iloc[0] if len(after) else None
        rows.append(
            {
                "attack": attack["date"],
                "what happened": attack["what happened"],
                "US killed": attack["US killed"],
                "Iraqi killed": attack["Iraqi killed"],
                "next US move": first["date"] if first is not None else "",
                "what the US did": first["what happened"]
                if first is not None
                else "none in the window",
                "days later": (first["when"] - attack["when"]).days if first is not None else pd.NA,
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "attack",
            "what happened",
            "US killed",
            "Iraqi killed",
            "next US move",
            "what the US did",
            "days later",
        ],
    ).astype({"days later": "Int64"})


def show(frame: pd.DataFrame) -> Shown:
    """A table with left-aligned text and no row numbers: long sentences read better that way."""
    return Shown(frame)


class Shown:
    """A table to display: HTML with left-aligned text in a notebook, plain text anywhere else.

    Text is escaped, and a missing value shows as an empty cell (it means 'not
    given'). Plain ``to_html`` rather than a pandas Styler: the Styler's import
    (jinja2) cost notebook 03 a fifth of a second, and it printed as
    ``<Styler at 0x...>`` where HTML is not shown. The table's own id carries
    the alignment, since JupyterLab's table style outranks a class; the id comes
    from the content, so a re-run stores the same output.
    """

    def __init__(self, frame: pd.DataFrame):
        self.frame = frame

    def html(self) -> str:
        table = self.frame.to_html(index=False, na_rep="", escape=True, border=0)
        name = "usiraq-" + hashlib.sha1(table.encode()).hexdigest()[:10]
        css = f"<style>#{name} td, #{name} th {{ text-align: left; vertical-align: top; }}</style>"
        return css + table.replace(
            '<table class="dataframe">', f'<table class="dataframe" id="{name}">', 1
        )

    def _repr_html_(self) -> str:
        return self.html()

    def __repr__(self) -> str:
        return self.frame.to_string(index=False, na_rep="")
