"""Exercises (01.1-01.7) and quick questions (01.q1-01.q4) of notebook 01 (emergence and development)."""

from ... import data, troops
from ..charts import ChartSpec
from ..kinds import Choice, Date, Number, Rows, Sequence
from ..registry import register
from ..written import Comparison, Written

SECTION = "§1"

# Letters of the chart-reading question (01.3), one per kind of figure.
KIND_OPTIONS = {
    "A": "a count (kind 'point')",
    "B": "an estimate (kind 'approx')",
    "C": "a cap, an authorised ceiling (kind 'cap')",
    "D": "an announced target (kind 'announced')",
}
_KIND_LETTER = {"point": "A", "approx": "B", "cap": "C", "announced": "D"}

# Years offered in quick question 01.q3; the expected letter is the one the data leave empty.
YEAR_OPTIONS = {"A": "2004", "B": "2012", "C": "2013", "D": "2018"}


def _public(frame):
    """Rows from public documents only (not the paper, not the companion texts)."""
    kinds = data.sources().set_index("source_id")["kind"]
    return frame[frame["source_id"].map(kinds) == "public"]


def _public_2007_2011():
    """The public rows the fall is taken from: the figures dated 2007 or 2011."""
    t = _public(data.troop_levels())
    return t[t["date"].dt.year.isin([2007, 2011])]


# The fall is the same whichever sources are kept, so the check also looks at the rows kept.
PUBLIC_ROWS = Rows(
    needed=_public_2007_2011,
    allowed=lambda: _public(data.troop_levels()),
    name="public",
    filter_text="only the figures from public documents",
    outside_text="from a source that is not a public document (keep kind == 'public')",
)


def drop_2007_to_2011_record() -> float:
    """Fall in percent from the highest public 2007 figure to the highest public 2011 figure."""
    t = _public(data.troop_levels())
    peak = t.loc[t["date"].dt.year == 2007, "us_troops"].max()
    later = t.loc[t["date"].dt.year == 2011, "us_troops"].max()
    return float((peak - later) / peak * 100)


def gap_june_2006() -> float:
    """Gap between the June 2006 figures, in percent of the lower one."""
    t = data.troop_levels()
    june = t.loc[(t["date"].dt.year == 2006) & (t["date"].dt.month == 6), "us_troops"]
    return float((june.max() - june.min()) / june.min() * 100)


def highest_kind_2014_2021() -> str:
    """Letter of the kind of the highest figure dated 2014-2021."""
    t = data.troop_levels()
    window = t[(t["date"].dt.year >= 2014) & (t["date"].dt.year <= 2021)]
    return _KIND_LETTER[window.loc[window["us_troops"].idxmax(), "kind"]]


def syria_ratio() -> float:
    """The paper's Syria figure divided by the October 2019 move's (claim C14)."""
    row = data.claims().set_index("claim_id").loc["C14"]
    return float(row["claim_number"] / row["record_number"])


def syria_announcement():
    """The first date of 2019 on which the move of the troops in Syria to Iraq was announced (event E129).

    A source of 6 March 2019 (the paper's) can report this announcement, not
    the smaller move announced in October (E061).
    """
    return data.events().set_index("event_id").loc["E129", "date"]


def frames_in_order() -> list[str]:
    """The frames of 01.7 in the order they happened: by the date of each one's event."""
    frames = troops.frame_names()
    dates = data.events().set_index("event_id")["date"]
    return list(frames.assign(date=frames["event_id"].map(dates)).sort_values("date")["frame"])


def peak_2007() -> float:
    """Highest troop figure dated 2007, from any source."""
    t = data.troop_levels()
    return float(t.loc[t["date"].dt.year == 2007, "us_troops"].max())


def year_without_figure() -> str:
    """Letter of the offered year that has no troop figure."""
    missing = {str(y) for y in troops.years_without_figures()}
    return next(letter for letter, year in YEAR_OPTIONS.items() if year in missing)


register(
    Number(
        id="01.1",
        title="The fall from the 2007 peak to 2011, in the public record",
        expected=drop_2007_to_2011_record,
        tolerance=0.1,
        unit="%",
        minimum=0,
        rows=PUBLIC_ROWS,
        hints=(
            "Keep only rows whose source is a public document, then take the highest figure of 2007 and "
            "the highest of 2011. The fall in percent is (before - after) / before × 100: give 50 for half, "
            "not 0.5.",
            "Map source_id to the source kind with data.sources().set_index('source_id')['kind'], keep "
            "kind == 'public', select a year with troop_levels['date'].dt.year == 2007 (then 2011) and use "
            ".max() on 'us_troops'.",
        ),
        success="The record's 2011 figures fall from tens of thousands in June to a few hundred in December, so "
        "'the fall to 2011' depends on which month you take: the paper's 2011 figure matches October.",
        skill="pandas: filter, max, percent change",
        minutes=11,
        section=SECTION,
    ),
    Number(
        id="01.2",
        title="Two sources for June 2006",
        expected=gap_june_2006,
        tolerance=0.01,
        unit="%",
        minimum=0,
        hints=(
            "Select the rows dated June 2006 (year 2006 and month 6). The gap is the highest minus the "
            "lowest figure; divide it by the lowest (not the highest) and multiply by 100.",
            "june = troop_levels[(troop_levels['date'].dt.year == 2006) & (troop_levels['date'].dt.month == 6)]"
            "['us_troops'], then (june.max() - june.min()) / june.min() * 100.",
        ),
        success="Two careful sources can differ by a couple of percent for the same month: counts are taken on "
        "different days and may include or leave out troops passing through.",
        skill="pandas: dates, filter",
        minutes=7,
        section=SECTION,
    ),
    Choice(
        id="01.3",
        title="Reading the 2014-2021 chart: what kind of figure is the highest?",
        options=KIND_OPTIONS,
        expected=highest_kind_2014_2021,
        hints=(
            "Find the highest marker on your chart and look up its marker in the legend.",
            "Check with code: window.loc[window['us_troops'].idxmax(), 'kind'].",
        ),
        success="The highest figure of the return is a count taken when the published caps left out troops on "
        "temporary duty: a cap is a rule about whom to count, not a count.",
        skill="matplotlib: chart to a specification; reading a chart",
        minutes=14,
        section=SECTION,
    ),
    Number(
        id="01.4",
        title="How far is the paper's Syria figure from the move of October 2019?",
        expected=syria_ratio,
        tolerance=0.01,
        unit="times",
        minimum=0,
        hints=(
            "Claim C14 in the claims table gives the paper's number and the record's number side by side.",
            "Divide claim_number by record_number in the row where claim_id == 'C14'.",
        ),
        success="The paper's figure is about twice the move the Defense Secretary announced in October 2019. "
        "Before calling it an error, check that October is the move the paper means: the next exercise "
        "looks at the date of its source.",
        skill="source checking with pandas",
        minutes=5,
        section=SECTION,
    ),
    Date(
        id="01.5",
        title="Which announcement could a source of March 2019 report?",
        expected=syria_announcement,
        hints=(
            "Search the events table for 2019 events that mention Syria. Leave out the paper's own row (it is "
            "dated only to the year) and keep the announcements made before 6 March 2019.",
            "Use events[events['event'].str.contains('Syria')], keep the rows whose source_id is not 'paper', "
            "and take the earliest date.",
        ),
        success="On 3 February 2019 the President said the troops in Syria, about 2,000, would go to the US base "
        "in Iraq: a source of March 2019 could report that plan, and the paper's figure is close to it "
        "(claim C60). The plan changed, and the move made that year was October's smaller one, so the "
        "paper's figure partly agrees: it fits the plan, not the move.",
        skill="source checking: dates",
        minutes=8,
        section=SECTION,
    ),
    Sequence(
        id="01.7",
        title="Put the legal frames in the order they happened",
        expected=frames_in_order,
        ordered=True,
        hints=(
            "Each frame is an event in the events table; sort them by date.",
            "The frames of the first stage come first; the ones about ending the coalition mission come last.",
        ),
        success="The presence moved from an occupation recognised by the UN, to agreements between two "
        "governments, to an invitation, to negotiated endings.",
        skill="timeline",
        minutes=5,
        section=SECTION,
    ),
    Number(
        id="01.q1",
        title="Predict the 2007 peak: how many US troops were in Iraq at the height of the surge?",
        expected=peak_2007,
        tolerance=5000,
        unit="US troops",
        minimum=0,
        hints=(
            "Think of the first stage as a large army of occupation: well over 100,000.",
            "The chart below shows the 2007 figures; the highest sits near the top of the axis.",
        ),
        success="At its height the first-stage force was many times larger than anything in the second stage: "
        "compare it with the figures after 2014 on the chart below.",
        skill="reading numbers",
        minutes=1,
        section=SECTION,
    ),
    Choice(
        id="01.q2",
        title="On what does the paper base the 2014 return of US forces?",
        options={
            "A": "UN Security Council Resolution 1483 of 2003",
            "B": "The Iraqi government's request, under the Strategic Framework Agreement's "
            "defence and security section",
            "C": "A new security agreement (SOFA) signed in 2014",
            "D": "A decision of the Iraqi parliament in 2020",
        },
        expected=lambda: "B",
        hints=(
            "Reread the paragraph of section 1 that begins with the Iraqi government's request in 2014.",
            "The paper names an agreement from 2008, and a section of it on defence and security.",
        ),
        success="The paper ties the return to an Iraqi request and the 2008 partnership agreement, "
        "which is why it presents the second stage as different in kind from the first.",
        skill="reading the paper",
        minutes=1,
        section=SECTION,
    ),
    Choice(
        id="01.q3",
        title="For which year does the troop table hold no figure at all?",
        options=YEAR_OPTIONS,
        expected=year_without_figure,
        hints=(
            "Look at the yearly table: one year has 0 figures.",
            "The year lies inside the 'absence' phase between the two stages.",
        ),
        success="An empty year is a gap in what was found, not a count of zero: only a small embassy-attached "
        "staff is reported for the years around it.",
        skill="reading a table",
        minutes=1,
        section=SECTION,
    ),
    Choice(
        id="01.q4",
        title="The paper counts 570 bases, the record 505: what is the best explanation?",
        options={
            "A": "One of the two numbers must be a typing error",
            "B": "They may count at different times and count different things; the paper gives no date",
            "C": "The record's 505 leaves out the bases in Kurdistan",
            "D": "The paper's 570 is the number of bases in 2011",
        },
        expected=lambda: "B",
        hints=(
            "Look at the date and the subject of each base figure in the figures table.",
            "One figure is dated to the 2008 peak and counts 'bases and sites'; the other has no date.",
        ),
        success="Before asking who is right, ask when each count was made and what it counts as a base.",
        skill="source checking",
        minutes=1,
        section=SECTION,
    ),
)

register(
    Written(
        id="01.6",
        title='Interpretation: caps, counts and a "continuous presence"',
        minutes=12,
        checklist=(
            "explains that a cap limits a defined group of troops while a count counts people, so a count can be "
            "above a cap;",
            "for late 2017, quotes a dated count with its source and mentions the lower cap and why it is lower;",
            "says in what sense the phrase is true: a small embassy-attached military staff stayed (about 200 in "
            "2012), and AP's next sentence says combat forces left in 2011 and returned in 2014;",
            "names what the phrase alone hides: the size of the change, no military figure for 2013, and the new "
            "legal basis of the return (an Iraqi request), and offers a more precise phrase.",
        ),
    )
)


def _figures_2014_2021() -> dict[str, list]:
    """The troop figures dated 2014-2021, one list per kind: what the chart of 01.3 should show."""
    t = data.troop_levels()
    window = t[(t["date"].dt.year >= 2014) & (t["date"].dt.year <= 2021)]
    return {kind: list(rows["us_troops"]) for kind, rows in window.groupby("kind")}


register(
    ChartSpec(
        id="01.3",
        kind="points",
        expected=_figures_2014_2021,
        hints=(
            "Keep the rows dated 2014 to 2021 (both included), then draw one series per kind with "
            'linestyle="none" and the marker of style.series_styles(troops.KINDS)[kind].',
            "for kind, rows in window.groupby('kind'): ax.plot(rows['date'], rows['us_troops'], linestyle='none', "
            "marker=style.series_styles(troops.KINDS)[kind]['marker'], label=troops.KIND_LABELS[kind]); then ax.legend().",
        ),
        success="Each kind of figure has its own marker, so a reader can tell a count from a cap without colour.",
    )
)


register(
    Comparison(
        id="01.1",
        question="The record has several figures for 2011, from tens of thousands in June to a few hundred in late "
        'December. Which 2011 figure would you use to describe "the fall from the 2007 peak to 2011", and '
        "why? Defend your choice in two or three sentences.",
        rubric="names the figure, its date and its source; says what the choice does to the result (a fall of about "
        "three quarters against nearly all); matches the figure to the question (before the withdrawal began, or "
        "at its end).",
    )
)
