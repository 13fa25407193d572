"""Exercises (05.1-05.7) and quick questions (05.q1-05.q3) of notebook 05: conclusion, and what came after."""

import re

import pandas as pd

from ... import claims, data
from ..charts import ChartSpec
from ..kinds import Choice, Number, Rows, Sequence
from ..registry import register
from ..written import Comparison, Written

# The events of exercise 05.7, by label; their order is read from events.csv.
ORDER_EVENTS = {
    "Sudani's government is approved": "E109",
    "Sudani announces Iraq will end the coalition's presence": "E114",
    "The Higher Military Commission begins work": "E117",
    "Joint statement: the coalition mission in Iraq is to end": "E122",
    "A convoy leaves Ain al-Asad": "E123",
    "Iraq reports full withdrawal from federal Iraq": "E127",
}

# The options of quick question 05.q1: what must come before a verdict of "disagrees" (the worked example, C06).
Q1_OPTIONS = {
    "A": "Find one source that gives another date",
    "B": "Search for a source of the time that gives the paper's date, and find none",
    "C": "Count how many sources give another date",
    "D": "Ask which date the US military gave",
}


def _paper_dates_disagreeing():
    """Percent of the paper's own claims about dates that disagree with the record."""
    table = data.claims()
    dates = table[(table["claim_source"] == "paper") & (table["kind"] == "date")]
    return 100 * (dates["verdict"] == "disagrees").mean()


def _sunni_share_for_a_whole():
    """The Sunni share that would make Al-Hashimi's three shares add up to 100%."""
    figures = data.figures().set_index("figure_id")
    return 100 - figures.loc[["pmf-shia-share", "pmf-minority-share"], "value_low"].sum()


def _reference_gap():
    row = data.claims().set_index("claim_id").loc["C29"]
    reference_year = int(re.search(r"\((\d{4})", row["claim_value"]).group(1))
    events = data.events().set_index("event_id")
    return events.loc["E078", "date"].year - reference_year


def _present():
    """Troop figures that count or estimate the troops present: not plans ('announced') or ceilings ('cap')."""
    troops = data.troop_levels()
    return troops[~troops["kind"].isin(["announced", "cap"])]


# The nearest figure is the same with or without the filter on kind, so the check also looks at the rows kept.
PRESENT_ROWS = Rows(
    needed=_present,
    allowed=_present,
    name="present",
    filter_text="only the figures that count or estimate troops present",
    outside_text="of the kind 'announced' or 'cap': leave those out",
)


def _closest_troop_figure():
    counted = _present()
    report = data.events().set_index("event_id").loc["E127", "date"]
    gap = (counted["date"] - report).abs()
    return counted.loc[gap.idxmin(), "us_troops"]


def _counter_gap():
    figures = data.figures().set_index("figure_id")
    return (
        figures.loc["attack-count-2024-02-04-2", "value_low"]
        - figures.loc["attack-count-2024-02-04", "value_low"]
    )


def _rate_between_counts():
    """Attacks a day between two of the Pentagon's own exact counts (one counter, the same places)."""
    counts = (
        data.figures()
        .set_index("figure_id")
        .loc[["attack-count-2023-11-14", "attack-count-2024-01-19"]]
    )
    added = counts["value_low"].iloc[1] - counts["value_low"].iloc[0]
    days = (counts["date"].iloc[1] - counts["date"].iloc[0]).days
    return added / days


def _event_order():
    dates = data.events().set_index("event_id")["date"]
    return sorted(ORDER_EVENTS, key=lambda label: dates[ORDER_EVENTS[label]])


def _q1_letter():
    """B, as long as the worked example still disagrees after a search that found no support."""
    row = data.claims().set_index("claim_id").loc[claims.WORKED_EXAMPLE]
    searched = (
        row["verdict"] == "disagrees"
        and pd.notna(row["support_note"])
        and pd.isna(row["support_source"])
    )
    return "B" if searched else None


def _paper_statements_agreeing() -> int:
    table = claims.statements(data.claims())
    return int(((table["claim_source"] == "paper") & (table["verdict"] == "agrees")).sum())


register(
    Number(
        id="05.1",
        title="What percent of the paper's own claims about dates disagree with the record?",
        expected=_paper_dates_disagreeing,
        tolerance=0.5,
        unit="percent",
        minimum=0,
        hints=(
            "Keep the rows whose claim_source is 'paper' (the paper's own claims, not those of the companion "
            "texts) and whose kind is 'date'; then take the share of them whose verdict is 'disagrees'.",
            "dates = table[(table['claim_source'] == 'paper') & (table['kind'] == 'date')]; then "
            "(dates['verdict'] == 'disagrees').mean() * 100.",
        ),
        success="Few of the paper's checked dates disagree with the record, and more of them agree outright; "
        "the slips are typical ones (a month off, two dates swapped). And the table holds the dates "
        "someone checked, not a random sample of the paper's dates.",
        skill="pandas: two conditions, boolean mean",
        minutes=8,
        section="the paper as a whole",
    ),
    Number(
        id="05.2",
        title="What Sunni share would make Al-Hashimi's three shares a whole?",
        expected=_sunni_share_for_a_whole,
        tolerance=0,
        unit="percent",
        minimum=0,
        hints=(
            "Shares of one whole add up to 100%. Keep the Shia and the minority shares (pmf-shia-share, "
            "pmf-minority-share) and subtract them from 100.",
            "100 - figures.set_index('figure_id').loc[['pmf-shia-share', 'pmf-minority-share'], "
            "'value_low'].sum()",
        ),
        success="The text's Sunni share is larger than the one that would make a whole: at least one of the three "
        "figures is wrong, and the arithmetic alone cannot say which.",
        skill="pandas: filter rows, sum; arithmetic check",
        minutes=7,
        section="Al-Hashimi (2020)",
    ),
    Number(
        id="05.3",
        title="How many years lie between a reference's date and the event it reports?",
        expected=_reference_gap,
        tolerance=0,
        unit="years",
        minimum=0,
        hints=(
            "The reference's year is written inside the text of claim C29, in brackets. The attack it "
            "describes is event E078 in events.csv.",
            "Use .str.extract(r'\\((\\d{4})') on the claim_value column to pull out the year, make "
            "it an int, and subtract it from the event's date.year.",
        ),
        success="A reference cannot be older than the event it reports: a gap of a decade points to a typing "
        "slip (2010 for 2020) that a reader can only catch by checking dates against events.",
        skill="cleaning: extract a number from text; dates",
        minutes=12,
        section="references",
    ),
    Number(
        id="05.4",
        title="Which troop figure is closest to the report of full withdrawal from federal Iraq?",
        expected=_closest_troop_figure,
        tolerance=0,
        unit="US troops",
        minimum=0,
        rows=PRESENT_ROWS,
        hints=(
            "Find the date of event E127; keep troop figures that count or estimate troops present (not the "
            "kinds 'announced' or 'cap'); find the row whose date is nearest.",
            "Compute (troops['date'] - report['date'].iloc[0]).abs(), then .idxmin() gives the row label of the closest "
            "figure; read its us_troops with .loc.",
        ),
        success="The last figure before the report is an estimate for all of Iraq, the Kurdistan region included; "
        "the report says the remaining forces are there. A troop number needs its date and its area.",
        skill="pandas: date arithmetic, idxmin",
        minutes=12,
        section="after the paper",
    ),
    Number(
        id="05.5",
        title="How far apart are the two counts of attacks for 4 February 2024?",
        expected=_counter_gap,
        tolerance=0,
        unit="attacks",
        minimum=0,
        hints=(
            "Both counts are in figures.csv, dated 2024-02-04, whose figure_id starts with 'attack-count-'.",
            "Subtract the smaller value_low (the Pentagon's, via The National) from the larger (the "
            "Washington Examiner's).",
        ),
        success="The two counts cover the same places from the same start, so the gap comes from the counters: "
        "what counts as one attack, and when the count was last brought up to date. Quote a count with "
        "its counter.",
        skill="source checking: compare like with like",
        minutes=11,
        section="after the paper",
    ),
    Number(
        id="05.6",
        title="How many attacks a day, on average, between the Pentagon's counts of 14 November 2023 and 19 January 2024?",
        expected=_rate_between_counts,
        tolerance=0.05,
        unit="attacks per day",
        minimum=0,
        hints=(
            "Cumulative counts grow: the attacks between two dates are the later count minus the earlier "
            "one. Divide by the days between the two dates.",
            "Use the rows attack-count-2023-11-14 and attack-count-2024-01-19: (later value_low - earlier "
            "value_low) / (later date - earlier date).days.",
        ),
        success="Slower than in the first weeks of the wave, but still more than one attack a day. Both points "
        "are the Pentagon's counts for Iraq and Syria, and neither is a floor: a rate read off two "
        "counters, or off an 'or more' floor, would mix a difference in counting into the change.",
        skill="chart to specification, then read it; rates",
        minutes=20,
        section="after the paper",
    ),
    Sequence(
        id="05.7",
        title="Put the events after the paper in order",
        expected=_event_order,
        ordered=True,
        hints=(
            "Think of cause and effect: a government must exist before it can announce anything, and talks "
            "come before an agreement, which comes before a withdrawal.",
            "Each label is one event of events.csv: find each one's date with "
            "events[events['event'].str.contains('...')] and sort the labels by date.",
        ),
        success="From a new government to a reported withdrawal took a little over three years; the first "
        "announcement came in the middle of the wave of attacks.",
        skill="chronology",
        minutes=5,
        section="after the paper",
    ),
    Choice(
        id="05.q1",
        title="What had to be done before claim C06 (K1 handed over on 26 March 2020) could say 'disagrees'?",
        options={k: v for k, v in Q1_OPTIONS.items()},
        expected=_q1_letter,
        hints=(
            "One source that differs is where a check starts, not where it ends: read the verdict rule again.",
            "The rule allows 'disagrees' only after something was looked for on the paper's side: which option "
            "says that?",
        ),
        success="A verdict against an author stands only after a search for the author's side: here no source of "
        "the time gives 26 March for K1, and the date turned out to be Qayyarah's, so the likely cause is "
        "a swap, not an invented date.",
    ),
    Number(
        id="05.q2",
        title="How many of the paper's own checked statements agree with the record?",
        expected=_paper_statements_agreeing,
        tolerance=0,
        minimum=0,
        unit="statements",
        hints=(
            "Read the paper's row (the first) of the table by author: the column 'agrees'. Statements by "
            "Al-Hashimi or AP do not count here.",
            "Group the rows into statements with claims.statements(table), then count those with "
            "claim_source == 'paper' and verdict == 'agrees'.",
        ),
        success="About half of the paper's checked statements agree outright, and many of the rest partly agree: "
        "a careful check confirms as well as refutes, counts statements rather than rows, and counts each "
        "author's statements apart.",
    ),
    Choice(
        id="05.q3",
        title="What did the joint statement of 27 September 2024 set?",
        options={
            "A": "The immediate withdrawal of every US soldier from Iraq, the Kurdistan region included",
            "B": "An end to the coalition's military mission in Iraq by September 2025, and to its mission in "
            "Syria run from Iraq by September 2026",
            "C": "A new status-of-forces agreement like that of 2008",
            "D": "A rise in US troops to fight a returning ISIS",
        },
        expected=lambda: "B",
        hints=(
            "Look at event E122 and the planned end in E128 in the timeline.",
            "It is an agreement on a timetable, in two steps.",
        ),
        success="The statement set two dates, a year apart; the reported withdrawal of January 2026 covered "
        "federal Iraq but not the Kurdistan region.",
    ),
)

register(
    Written(
        id="05.8",
        title="Was the paper's hypothesis borne out by 2026?",
        minutes=15,
        checklist=(
            "takes the three claims in turn: the broad hypothesis, section 4's expectation, the arena;",
            "notes that a very broad hypothesis is hard to refute;",
            "cites at least three dated rows by their ids (for example E111, E114, E122, E127, a troop figure);",
            "distinguishes federal Iraq from the Kurdistan region, and plans from counts;",
            "names at least one thing the data cannot settle.",
        ),
    )
)


def _cumulative_counts() -> dict[str, list]:
    """The counts since October 2023, exact (or 'about') and 'or more': the markers of 05.6."""
    figures = data.figures()
    wave = figures[
        figures["figure_id"].str.startswith("attack-count-")
        & figures["subject"].str.contains("since")
    ]
    open_ended = wave["value_high"].isna()
    return {
        "exact or about": list(wave.loc[~open_ended, "value_low"]),
        "or more": list(wave.loc[open_ended, "value_low"]),
    }


register(
    ChartSpec(
        id="05.6",
        kind="points",
        expected=_cumulative_counts,
        label_points=True,
        hints=(
            "Draw two series of markers: the counts with a value_high (or 'about') filled, the 'or more' counts "
            "hollow (markerfacecolor='white') with another marker; label each point with ax.annotate.",
            "wave = counts[counts['subject'].str.contains('since')]; open_ended = wave['value_high'].isna(); ax.plot(wave.loc[~open_ended, 'date'], wave.loc[~open_ended, "
            "'value_low'], linestyle='none', marker='o', label=...); the same for open_ended with marker='s', "
            "markerfacecolor='white'; then ax.legend().",
        ),
        success="Hollow markers for 'or more' counts show a reader which figures are floors, not totals.",
    )
)


register(
    Comparison(
        id="05.5",
        question="Which of the two counts for 4 February 2024 would you quote in an essay, and how would you word it? "
        "Defend your choice in two or three sentences.",
        rubric='quotes a count with its counter and date, keeps "or more", and either explains the choice of '
        "counter (the Pentagon's count against a figure whose counter is not named) or gives both as a range.",
    )
)
