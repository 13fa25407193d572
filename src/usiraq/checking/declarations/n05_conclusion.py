"""Exercises (05.1-05.7) and quick questions (05.q1-05.q3) of notebook 05: conclusion, and what came after."""

import re

import pandas as pd

from ... import claims, data
from ..charts import ChartSpec
from ..kinds import Choice, Mistake, Number, Rows, Sequence
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


# ---------------------------------------------------------------- mistakes students make


def _claims_share(source="paper", kind="date", verdicts=("disagrees",)) -> float:
    """Percent of the claims (rows) of one author and kind whose verdict is one of ``verdicts``; None: no filter."""
    table = data.claims()
    if source is not None:
        table = table[table["claim_source"] == source]
    if kind is not None:
        table = table[table["kind"] == kind]
    return 100 * table["verdict"].isin(verdicts).mean()


def _share_of_whole_table() -> float:
    """05.1 over every row of the claims table: the paper's disagreeing dates as a share of all claims."""
    table = data.claims()
    wanted = (
        (table["claim_source"] == "paper")
        & (table["kind"] == "date")
        & (table["verdict"] == "disagrees")
    )
    return 100 * wanted.mean()


def _pmf_shares(*figure_ids) -> float:
    return data.figures().set_index("figure_id").loc[list(figure_ids), "value_low"].sum()


def _gap_to_record_year():
    """05.3 with the year read from record_value (the attack's own date) instead of claim_value."""
    row = data.claims().set_index("claim_id").loc["C29"]
    year = int(re.search(r"(\d{4})", row["record_value"]).group(1))
    return data.events().set_index("event_id").loc["E078", "date"].year - year


def _report_date():
    return data.events().set_index("event_id").loc["E127", "date"]


def _nearest_with_sign():
    """05.4 without .abs(): the smallest signed gap is the earliest figure, not the nearest."""
    counted = _present()
    return counted.loc[(counted["date"] - _report_date()).idxmin(), "us_troops"]


def _fewest_troops():
    """05.4 as the toolbox's idxmin on us_troops: the smallest figure, not the nearest in time."""
    troops = data.troop_levels()
    return troops.loc[troops["us_troops"].idxmin(), "us_troops"]


def _first_figure_after_report():
    """05.4 looking after the report, without the filter on kind: a plan (announced), not a count."""
    troops = data.troop_levels()
    after = troops[troops["date"] > _report_date()]
    return after.loc[after["date"].idxmin(), "us_troops"]


def _count(figure_id):
    return data.figures().set_index("figure_id").loc[figure_id]


def _range_of_all_counts():
    values = data.figures().loc[
        lambda f: f["figure_id"].str.startswith("attack-count-"), "value_low"
    ]
    return values.max() - values.min()


def _rate(earlier_id, later_id, added=True, per_day=True):
    """Attacks a day between two counts; ``added=False`` divides the later count itself, ``per_day=False`` does not divide."""
    earlier, later = _count(earlier_id), _count(later_id)
    attacks = later["value_low"] - earlier["value_low"] if added else later["value_low"]
    return attacks / (later["date"] - earlier["date"]).days if per_day else attacks


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
            "Two conditions joined with &, each in brackets, keep the rows; then compare their verdict column "
            "with 'disagrees' and take .mean() of it, times 100, as the toolbox does.",
            "dates = table[(table['claim_source'] == 'paper') & (table['kind'] == 'date')]; then "
            "(dates['verdict'] == 'disagrees').mean() * 100.",
        ),
        mistakes=(
            Mistake(
                name="every-author",
                answer=lambda: _claims_share(source=None),
                says="Your share includes the dates of the companion texts (Al-Hashimi, AP) too; the task "
                "asks only about the paper's own claims, the rows whose claim_source is 'paper'.",
            ),
            Mistake(
                name="every-kind",
                answer=lambda: _claims_share(kind=None),
                says="Your share is over all of the paper's claims, counts and places included; the task asks "
                "only about its claims about dates (kind 'date').",
            ),
            Mistake(
                name="whole-table",
                answer=_share_of_whole_table,
                says="You divided by every row of the claims table. The share the task asks for is taken among "
                "the paper's claims about dates only: keep those rows first, then ask what share of them disagree.",
            ),
            Mistake(
                name="another-verdict",
                answer=lambda: _claims_share(verdicts=("agrees",)),
                says="That is the share of another verdict: the task asks for the claims whose verdict is "
                "'disagrees', not those that agree (and not 'partly agrees' added to 'disagrees').",
            ),
            Mistake(
                name="inconsistent-counted",
                answer=lambda: _claims_share(verdicts=("disagrees", "inconsistent")),
                says="You counted the 'inconsistent' claims with the disagreeing ones. 'Inconsistent' means the "
                "paper contradicts itself or its reference list, not the record: count only 'disagrees'.",
            ),
        ),
        success="Few of the paper's checked dates disagree with the record, and more of them agree outright; "
        "the slips are typical ones (a month off, two dates swapped). And the table holds the dates "
        "someone checked, not a random sample of the paper's dates.",
        skill="pandas: two conditions, boolean mean",
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
            "Shares of one whole add up to 100%. If the Shia and the minority shares are right, the Sunni "
            "share is what is left of 100 once those two are taken away (the leaders' share belongs to "
            "another whole).",
            "Pick the rows pmf-shia-share and pmf-minority-share by figure_id (.set_index, then .loc), add "
            "their value_low with .sum(), and take that from 100.",
            "100 - figures.set_index('figure_id').loc[['pmf-shia-share', 'pmf-minority-share'], "
            "'value_low'].sum()",
        ),
        mistakes=(
            Mistake(
                name="sum-of-the-three",
                answer=lambda: _pmf_shares(
                    "pmf-shia-share", "pmf-sunni-share", "pmf-minority-share"
                ),
                says="That is the sum of the three shares as the text gives them, the total that runs past "
                "the whole. The task asks for the Sunni share that would bring the total to exactly 100.",
            ),
            Mistake(
                name="the-overshoot",
                answer=lambda: (
                    _pmf_shares("pmf-shia-share", "pmf-sunni-share", "pmf-minority-share") - 100
                ),
                says="That is how far the three shares run past 100%. The task asks for the Sunni share "
                "itself: what is left of 100 once the Shia and minority shares are taken away.",
            ),
            Mistake(
                name="the-text-share",
                answer=lambda: _pmf_shares("pmf-sunni-share"),
                says="That is the Sunni share as the text writes it, the figure in doubt. Work the share out "
                "instead from the whole (100%) and the two other shares.",
            ),
            Mistake(
                name="shia-only",
                answer=lambda: 100 - _pmf_shares("pmf-shia-share"),
                says="You took only the Shia share away from 100; the minorities are part of the same whole, "
                "so take their share away too.",
            ),
        ),
        success="The text's Sunni share is larger than the one that would make a whole: at least one of the three "
        "figures is wrong, and the arithmetic alone cannot say which.",
        skill="pandas: filter rows, sum; arithmetic check",
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
            "The reference's year is written inside the text of claim C29 (its claim_value), in brackets. "
            "The attack it describes is event E078 in events.csv: the years between them are the event's "
            "year minus the reference's year.",
            "Pull the four digits after the bracket out of claim_value with .str.extract (the pattern the task "
            "shows), make them a number with int, and take them from E078's year (.dt.year).",
            "year = int(table.loc[table['claim_id'] == 'C29', 'claim_value'].str.extract(r'\\((\\d{4})')[0]"
            ".iloc[0]); then events.loc[events['event_id'] == 'E078', 'date'].dt.year.iloc[0] - year",
        ),
        mistakes=(
            Mistake(
                name="both-ends-counted",
                answer=lambda: _reference_gap() + 1,
                says="You counted both end years, as one counts days on a calendar; the years that lie "
                "between two years are the later one minus the earlier one.",
            ),
            Mistake(
                name="record-year",
                answer=_gap_to_record_year,
                says="You took the year from record_value, which dates the attack itself, so you compared the "
                "attack with itself; the reference's own year is the one in brackets in claim_value.",
            ),
        ),
        success="A reference cannot be older than the event it reports: a gap of a decade points to a typing "
        "slip (2010 for 2020) that a reader can only catch by checking dates against events.",
        skill="cleaning: extract a number from text; dates",
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
            "kinds 'announced' or 'cap'); the closest figure is the one at the smallest distance in time from "
            "that date, before or after it.",
            "Leave out the two kinds with .isin and ~; take the report's date out with .iloc; subtract it "
            "from the date column and use .abs() for a distance; .idxmin() gives the row label of the "
            "closest figure, and .loc reads its us_troops.",
            "present = troops[~troops['kind'].isin(['announced', 'cap'])]; gap = (present['date'] - "
            "report['date'].iloc[0]).abs(); answer = present.loc[gap.idxmin(), 'us_troops']",
        ),
        mistakes=(
            Mistake(
                name="gap-with-sign",
                answer=_nearest_with_sign,
                says="You took the smallest difference with its sign: the earliest figure has the most "
                "negative one. Closeness in time is a distance, the same before or after the report.",
            ),
            Mistake(
                name="fewest-troops",
                answer=_fewest_troops,
                says="That is the smallest number of troops in the table, not the figure nearest in time: "
                "the smallest value to look for is the distance between a figure's date and the report's.",
            ),
            Mistake(
                name="plan-after-report",
                answer=_first_figure_after_report,
                says="That figure is a plan (kind 'announced') dated after the report, not a count or an "
                "estimate of troops present: leave plans and ceilings out before you look for the nearest date.",
            ),
        ),
        success="The last figure before the report is an estimate for all of Iraq, the Kurdistan region included; "
        "the report says the remaining forces are there. A troop number needs its date and its area.",
        skill="pandas: date arithmetic, idxmin",
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
            "Both counts are in figures.csv, dated 2024-02-04, whose figure_id starts with 'attack-count-'. "
            "Counts of other days grow with time and do not belong in the comparison: the gap is the larger "
            "of the two minus the smaller.",
            "Keep the rows of counts whose date equals the latest date (.max() of the date column), then take "
            ".min() of their value_low from .max() of it.",
            "same_day = counts[counts['date'] == counts['date'].max()]; answer = same_day['value_low'].max() "
            "- same_day['value_low'].min()",
        ),
        mistakes=(
            Mistake(
                name="all-counts",
                answer=_range_of_all_counts,
                says="That is the gap between the highest and the lowest of all the counts, which grew over "
                "years. The task compares only the two counts dated the same day.",
            ),
            Mistake(
                name="different-days",
                answer=lambda: (
                    _count("attack-count-2024-02-04")["value_low"]
                    - _count("attack-count-2024-01-22")["value_low"]
                ),
                says="Your two counts are of different days, and a cumulative count grows from one day to the "
                "next; take the two counts whose date is the same.",
            ),
        ),
        success="The two counts cover the same places from the same start, so the gap comes from the counters: "
        "what counts as one attack, and when the count was last brought up to date. Quote a count with "
        "its counter.",
        skill="source checking: compare like with like",
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
            "one. Divide by the days between the two dates. Use the Pentagon's two counts the task names, "
            "not an 'or more' floor.",
            "Pick the rows attack-count-2023-11-14 and attack-count-2024-01-19 of counts (.set_index on "
            "figure_id, then .loc; or .isin with pd.to_datetime on date); subtract their value_low, and their "
            "dates, whose difference gives its days with .days.",
            "pair = counts.set_index('figure_id').loc[['attack-count-2023-11-14', 'attack-count-2024-01-19']]; "
            "answer = (pair['value_low'].iloc[1] - pair['value_low'].iloc[0]) / "
            "(pair['date'].iloc[1] - pair['date'].iloc[0]).days",
        ),
        mistakes=(
            Mistake(
                name="later-count-only",
                answer=lambda: _rate(
                    "attack-count-2023-11-14", "attack-count-2024-01-19", added=False
                ),
                says="You divided the later count by the days, but that count runs from mid-October, before "
                "the first date: the attacks between the two dates are the later count minus the earlier one.",
            ),
            Mistake(
                name="not-divided",
                answer=lambda: _rate(
                    "attack-count-2023-11-14", "attack-count-2024-01-19", per_day=False
                ),
                says="That is the number of attacks between the two counts, not a rate: divide it by the "
                "number of days between the two dates.",
            ),
            Mistake(
                name="or-more-floor",
                answer=lambda: _rate("attack-count-2023-11-14", "attack-count-2024-01-22"),
                says="Your later count is the 'or more' floor of 22 January, not the Pentagon's count of 19 "
                "January: a floor can lie below the real total, so a rate read from it mixes counting into "
                "the change.",
            ),
            Mistake(
                name="first-to-last",
                answer=lambda: _rate("attack-count-2023-11-14", "attack-count-2024-02-04-2"),
                says="You took the rate from the first to the last count of the chart; the last counts are "
                "'or more' floors, one of them from another counter. Use the Pentagon's two counts the task "
                "names.",
            ),
        ),
        success="Slower than in the first weeks of the wave, but still more than one attack a day. Both points "
        "are the Pentagon's counts for Iraq and Syria, and neither is a floor: a rate read off two "
        "counters, or off an 'or more' floor, would mix a difference in counting into the change.",
        skill="chart to specification, then read it; rates",
        section="after the paper",
    ),
    Sequence(
        id="05.7",
        title="Put the events after the paper in order",
        expected=_event_order,
        ordered=True,
        hints=(
            "Each label is one event of events.csv, and the order is that of their dates, earliest first. "
            "Cause and effect helps too: a government must exist before it can announce anything, and talks "
            "come before an agreement, which comes before a withdrawal.",
            "Look each label up in events with .str.contains on the event column (a word of the label, such "
            "as Commission or convoy) and read its date; or list the events since October 2022 with "
            ".sort_values on date and find the labels there.",
            "events[events['date'] >= '2022-10-01'].sort_values('date')[['date', 'event']] lists the events "
            "after the paper, earliest first: find each label's event there and write the labels in that order.",
        ),
        mistakes=(
            Mistake(
                name="latest-first",
                answer=lambda: _event_order()[::-1],
                says="Your list runs latest-first: it starts with the newest event and ends with the oldest. "
                "The task asks for the earliest event first.",
            ),
            Mistake(
                name="alphabetical",
                answer=lambda: sorted(ORDER_EVENTS),
                says="Your list is in alphabetical order, the order in which the labels are listed and the "
                "drop-downs offer them; the task asks for the order in time, by each event's date.",
            ),
        ),
        success="From a new government to a reported withdrawal took a little over three years; the first "
        "announcement came in the middle of the wave of attacks.",
        skill="chronology",
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
            "The table by author is printed under 'The paper against the record'. It counts statements, not "
            "rows (a statement checked against three sources is one statement): the paper's row comes first, "
            "and the number is in its column 'agrees'.",
        ),
        mistakes=(
            Mistake(
                name="every-author",
                answer=lambda: int((claims.statements(data.claims())["verdict"] == "agrees").sum()),
                says="You counted the statements of every author; the question asks only for the paper's own "
                "statements, not Al-Hashimi's or AP's.",
            ),
            Mistake(
                name="partly-agrees-too",
                answer=lambda: int(
                    claims.by_author(data.claims())
                    .loc[claims.AUTHORS["paper"], ["agrees", "partly agrees"]]
                    .sum()
                ),
                says="You counted the statements that partly agree too; the question asks only for those whose "
                "verdict is 'agrees'.",
            ),
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
        hollow=("or more",),
        xlabel=("date of the count",),
        ylabel=("attacks", "cumulative", "count"),
        hints=(
            "A count given as 'or more' is a floor, not a total: draw it so a reader sees the difference "
            "(a hollow marker), with unjoined markers for every count and each value written beside it.",
            "Pick the rows with .str.contains on subject, split them with .isna on value_high, draw each "
            'group with ax.plot (linestyle="none"; markerfacecolor="white" for the floors), write each '
            "value with ax.annotate, then ax.legend.",
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
