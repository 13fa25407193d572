"""Exercises (01.1-01.7) and quick questions (01.q1-01.q4) of notebook 01 (emergence and development)."""

from ... import data, troops
from ..charts import ChartSpec
from ..kinds import Choice, Date, Mistake, Number, Rows, Sequence
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


def _fall(rows, year: int = 2011, lowest: bool = False) -> float:
    """A mistaken 01.1: the fall in percent from the highest 2007 figure of ``rows`` to the highest
    (or lowest) figure of ``year``."""
    peak = rows.loc[rows["date"].dt.year == 2007, "us_troops"].max()
    later = rows.loc[rows["date"].dt.year == year, "us_troops"]
    later = later.min() if lowest else later.max()
    return float((peak - later) / peak * 100)


def _of_source_kind(kind: str):
    """The troop figures whose source is of this kind ('paper', 'seed'...)."""
    kinds = data.sources().set_index("source_id")["kind"]
    t = data.troop_levels()
    return t[t["source_id"].map(kinds) == kind]


def _public_pair() -> tuple[float, float]:
    """The highest public 2007 figure and the highest public 2011 figure (the two numbers of 01.1)."""
    t = _public(data.troop_levels())
    peak = t.loc[t["date"].dt.year == 2007, "us_troops"].max()
    later = t.loc[t["date"].dt.year == 2011, "us_troops"].max()
    return float(peak), float(later)


def _june_2006(year: bool = True, month: bool = True):
    """The troop figures of June 2006, or of all 2006 (month=False), or of every June (year=False)."""
    t = data.troop_levels()
    keep = (t["date"].dt.year == 2006) if year else True
    keep = keep & (t["date"].dt.month == 6) if month else keep
    return t.loc[keep, "us_troops"]


def _c14() -> tuple[float, float]:
    """The paper's number and the record's number of claim C14."""
    row = data.claims().set_index("claim_id").loc["C14"]
    return float(row["claim_number"]), float(row["record_number"])


def _syria_2019(paper: bool = False, year: bool = True):
    """The events that mention Syria (of 2019 unless year=False), without the paper's rows unless paper=True."""
    e = data.events()
    keep = e["event"].str.contains("Syria")
    keep = keep & (e["date"].dt.year == 2019) if year else keep
    keep = keep if paper else keep & (e["source_id"] != "paper")
    return e[keep]


def _october_move():
    """The date of the move claim C14 compares with: the event of C14's record source (October 2019)."""
    source = data.claims().set_index("claim_id").loc["C14", "record_source"]
    e = data.events()
    return e.loc[e["source_id"] == source, "date"].min()


def _frames_sofa_after_request() -> list[str]:
    """The frames in order, but with the SOFA's expiry (E032) after Iraq's request of 2014 (E037)."""
    order = frames_in_order()
    names = troops.frame_names().set_index("event_id")["frame"]
    i, j = order.index(names["E032"]), order.index(names["E037"])
    order[i], order[j] = order[j], order[i]
    return order


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
            "The kind that matters is the kind of each figure's source (a public document, the paper...), "
            "not the figure's own kind (a count, an estimate...). Keep the figures from public documents, "
            "take the highest of 2007 and the highest of 2011, and give the fall as a share of the 2007 "
            "figure, in percent.",
            "Look each source_id's kind up with .set_index and .map, as in the first toolbox (data.sources "
            "holds the kinds), and keep the rows whose kind is 'public'; then pick a year with .dt.year "
            "and take .max of us_troops.",
            "public = troop_levels[troop_levels['source_id'].map(data.sources().set_index('source_id')"
            "['kind']) == 'public']; peak = public.loc[public['date'].dt.year == 2007, 'us_troops'].max(), "
            "later the same for 2011, and answer = (peak - later) / peak * 100.",
        ),
        mistakes=(
            Mistake(
                name="2010-not-2011",
                answer=lambda: _fall(_public(data.troop_levels()), year=2010),
                says="Your later figure is from 2010: the task compares the 2007 peak with 2011, the "
                "year the first stage ended. Check the year of your second selection.",
            ),
            Mistake(
                name="lowest-2011",
                answer=lambda: _fall(_public(data.troop_levels()), lowest=True),
                says="You took the lowest 2011 figure, the last troops leaving in December; the task "
                "asks for the highest figure of each year. Which 2011 figure is best is part 2's question.",
            ),
            Mistake(
                name="paper-figures",
                answer=lambda: _fall(_of_source_kind("paper")),
                says="You used the paper's own two figures, as in the lecture (their source is of kind "
                "'paper'); this time keep only the figures whose source is a public document.",
            ),
            Mistake(
                name="figure-kind",
                answer=lambda: _fall(data.troop_levels().query("kind == 'point'")),
                says="You kept only one kind of figure (the counts), using the troop table's own kind "
                "column; the task keeps every figure whose source is a public document, and that kind "
                "is in the sources table.",
            ),
            Mistake(
                name="share-left",
                answer=lambda: _public_pair()[1] / _public_pair()[0] * 100,
                says="You gave the 2011 figure as a share of the 2007 one: that is what was left, not the "
                "fall. The fall is the drop from 2007 to 2011, as a share of the 2007 figure.",
            ),
            Mistake(
                name="share-of-2011",
                answer=lambda: (_public_pair()[0] - _public_pair()[1]) / _public_pair()[1] * 100,
                says="You divided the drop by the 2011 figure; a fall in percent is measured against the "
                "figure it starts from, the 2007 peak.",
            ),
            Mistake(
                name="troops-not-percent",
                answer=lambda: _public_pair()[0] - _public_pair()[1],
                says="You gave the fall as a number of troops; the task asks for it in percent of the "
                "2007 peak.",
            ),
        ),
        success="The record's 2011 figures fall from tens of thousands in June to a few hundred in December, so "
        "'the fall to 2011' depends on which month you take: the paper's 2011 figure matches October.",
        skill="pandas: filter, max, percent change",
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
            "Keep only the figures dated June 2006: both the year and the month must match. The gap is "
            "the highest of them minus the lowest, and the task measures it against the lower figure, "
            "in percent.",
            "Take the year and the month of the date with .dt.year and .dt.month (the second toolbox), "
            "join the two conditions with &, then use .max and .min of us_troops.",
            "june = troop_levels[(troop_levels['date'].dt.year == 2006) & (troop_levels['date'].dt.month == 6)]"
            "['us_troops']; answer = (june.max() - june.min()) / june.min() * 100",
        ),
        mistakes=(
            Mistake(
                name="share-of-higher",
                answer=lambda: float(
                    (_june_2006().max() - _june_2006().min()) / _june_2006().max() * 100
                ),
                says="You divided the gap by the higher figure; the task measures it against the "
                "lower one.",
            ),
            Mistake(
                name="whole-2006",
                answer=lambda: float(
                    (_june_2006(month=False).max() - _june_2006(month=False).min())
                    / _june_2006(month=False).min()
                    * 100
                ),
                says="You compared figures from the whole of 2006, months apart; the task compares the "
                "two sources for June 2006 only, so keep the month as well as the year.",
            ),
            Mistake(
                name="every-june",
                answer=lambda: float(
                    (_june_2006(year=False).max() - _june_2006(year=False).min())
                    / _june_2006(year=False).min()
                    * 100
                ),
                says="You kept June of every year, so your gap runs across years; keep the year 2006 "
                "as well as the month.",
            ),
            Mistake(
                name="ratio-not-gap",
                answer=lambda: float(_june_2006().max() / _june_2006().min() * 100),
                says="You gave the higher figure as a percent of the lower one; the task asks for the "
                "gap between them (the difference) as a percent of the lower one.",
            ),
            Mistake(
                name="troops-not-percent",
                answer=lambda: float(_june_2006().max() - _june_2006().min()),
                says="You gave the gap as a number of troops; the task asks for it in percent of the "
                "lower figure.",
            ),
        ),
        success="Two careful sources can differ by a couple of percent for the same month: counts are taken on "
        "different days and may include or leave out troops passing through.",
        skill="pandas: dates, filter",
        section=SECTION,
    ),
    Choice(
        id="01.3",
        title="Reading the 2014-2021 chart: what kind of figure is the highest?",
        options=KIND_OPTIONS,
        expected=highest_kind_2014_2021,
        hints=(
            "Find the highest marker on your chart, the largest number of troops from 2014 to 2021, and "
            "read its kind from the legend by its marker shape: a count, an estimate, a cap and a target "
            "are different things.",
            "To check in code: .idxmax on the us_troops column of window gives the row of the highest "
            "figure, and .loc with that row and 'kind' gives its kind (the third toolbox shows both).",
            "window.loc[window['us_troops'].idxmax(), 'kind']",
        ),
        mistakes=(
            Mistake(
                name="cap-is-a-ceiling",
                answer=lambda: "C",
                says="A cap is a ceiling, so it is tempting to take it for the highest figure; but a cap "
                "limits a defined group of troops, and other figures can lie above it. Look at the "
                "highest marker itself.",
            ),
        ),
        success="The highest figure of the return is a count taken when the published caps left out troops on "
        "temporary duty: a cap is a rule about whom to count, not a count.",
        skill="matplotlib: chart to a specification; reading a chart",
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
            "Claim C14 gives the paper's number (claim_number) and the record's number (record_number) "
            "side by side. 'How many times larger' is a ratio: the paper's number divided by the "
            "record's, not their difference.",
            "Select the row of C14 as the cell above the task does, take it as one row with .iloc, and "
            "divide its claim_number by its record_number.",
            "c14 = claims[claims['claim_id'] == 'C14'].iloc[0]; answer = c14['claim_number'] / "
            "c14['record_number']",
        ),
        mistakes=(
            Mistake(
                name="inverted",
                answer=lambda: _c14()[1] / _c14()[0],
                says="You divided the record's number by the paper's, which says how small October's "
                "move is beside the paper's figure; the task asks how many times larger the paper's "
                "figure is, so the paper's number goes on top.",
            ),
            Mistake(
                name="difference",
                answer=lambda: _c14()[0] - _c14()[1],
                says="You gave the difference in troops; 'how many times larger' asks for a ratio, the "
                "paper's number divided by the record's.",
            ),
            Mistake(
                name="gap-over-record",
                answer=lambda: (_c14()[0] - _c14()[1]) / _c14()[1],
                says="You divided the gap between the two numbers by the record's; the task asks for "
                "the ratio of the two numbers themselves, the paper's divided by the record's.",
            ),
        ),
        success="The paper's figure is about twice the move the Defense Secretary announced in October 2019. "
        "Before calling it an error, check that October is the move the paper means: the next exercise "
        "looks at the date of its source.",
        skill="source checking with pandas",
        section=SECTION,
    ),
    Date(
        id="01.5",
        title="Which announcement could a source of March 2019 report?",
        expected=syria_announcement,
        hints=(
            "A source can only report what was said before its own date. Look among the 2019 events that "
            "mention Syria for the first announcement that the troops there would go to Iraq; leave out "
            "the paper's own row, which is the claim being checked and is dated only to the year.",
            "Find the rows with .str.contains on the event column (the toolbox), keep the year 2019 with "
            ".dt.year, join the two conditions with &, drop the rows whose source_id is 'paper', and "
            "take .min of the date.",
            "about_syria = events[events['event'].str.contains('Syria') & (events['date'].dt.year == 2019)]; "
            "answer = about_syria.loc[about_syria['source_id'] != 'paper', 'date'].min()",
        ),
        mistakes=(
            Mistake(
                name="paper-row",
                answer=lambda: _syria_2019(paper=True)["date"].min(),
                says="Your date is the paper's own row, which is dated only to the year (so it shows "
                "as 1 January) and is the claim being checked, not a record of it; leave the paper's "
                "rows out.",
            ),
            Mistake(
                name="october-move",
                answer=_october_move,
                says="That is the move of October 2019, the one claim C14 compares with; a source "
                "dated 6 March 2019 could not report it. Look for an announcement made before March.",
            ),
            Mistake(
                name="not-2019",
                answer=lambda: _syria_2019(year=False)["date"].min(),
                says="Your date is from before 2019: the earliest Syria event of any year is not an "
                "announcement of the move. Keep only the events of 2019.",
            ),
            Mistake(
                name="latest",
                answer=lambda: _syria_2019()["date"].max(),
                says="You took the latest 2019 event that mentions Syria; the task asks for the first "
                "announcement of the year, one a source of March 2019 could report.",
            ),
        ),
        success="On 3 February 2019 the President said the troops in Syria, about 2,000, would go to the US base "
        "in Iraq: a source of March 2019 could report that plan, and the paper's figure is close to it "
        "(claim C60). The plan changed, and the move made that year was October's smaller one, so the "
        "paper's figure partly agrees: it fits the plan, not the move.",
        skill="source checking: dates",
        section=SECTION,
    ),
    Sequence(
        id="01.7",
        title="Put the legal frames in the order they happened",
        expected=frames_in_order,
        ordered=True,
        hints=(
            "Each frame is a dated event in the events table: put them in the order of their dates, "
            "earliest first. The frames of the first stage come first; the ones about ending the "
            "missions come last.",
            "troops.frame_names gives each frame with its event_id; look its date up with .set_index on "
            "event_id and .map, as in the first toolbox, then .sort_values on the date.",
            "frames = troops.frame_names(); frames['date'] = frames['event_id'].map(events.set_index("
            "'event_id')['date']); answer = list(frames.sort_values('date')['frame'])",
        ),
        mistakes=(
            Mistake(
                name="alphabetical",
                answer=lambda: list(troops.frame_names()["frame"]),
                says="That is the order of the printed list, which is alphabetical; the task asks for "
                "the order in which the frames happened, by their dates.",
            ),
            Mistake(
                name="latest-first",
                answer=lambda: frames_in_order()[::-1],
                says="Your order runs backwards, from the latest frame to the earliest; the task asks "
                "for the earliest first.",
            ),
            Mistake(
                name="sofa-after-request",
                answer=_frames_sofa_after_request,
                says="You put the expiry of the 2008 security agreement after Iraq's request of 2014, as "
                "if the agreement still held when US forces came back (the paper quotes it there); "
                "check the date on which it expired.",
            ),
        ),
        success="The presence moved from an occupation recognised by the UN, to agreements between two "
        "governments, to an invitation, to negotiated endings.",
        skill="timeline",
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
            "The paper's own figure for 2007, printed near the top of this notebook, is within a few "
            "thousand of the record's highest.",
        ),
        success="At its height the first-stage force was many times larger than anything in the second stage: "
        "compare it with the figures after 2014 on the chart below.",
        skill="reading numbers",
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
            "Reread the point 'A return by invitation' in 'What section 1 says', at the top of this "
            "notebook.",
            "The paper names an agreement from 2008, and a section of it on defence and security.",
        ),
        success="The paper ties the return to an Iraqi request and the 2008 partnership agreement, "
        "which is why it presents the second stage as different in kind from the first.",
        skill="reading the paper",
        section=SECTION,
    ),
    Choice(
        id="01.q3",
        title="For which year does the troop table hold no figure at all?",
        options=YEAR_OPTIONS,
        expected=year_without_figure,
        hints=(
            "Look at the yearly table: one year has 0 figures.",
            "Two of the offered years lie in the 'absence' phase between the two stages; the table "
            "holds one figure for one of them (the embassy staff) and none for the other.",
        ),
        mistakes=(
            Mistake(
                name="first-year-of-the-gap",
                answer=lambda: "B",
                says="2012 lies in the gap between the two stages, but the table holds one figure for "
                "it: the small embassy-attached military staff. Look for the year with no figure at all.",
            ),
        ),
        success="An empty year is a gap in what was found, not a count of zero: only a small embassy-attached "
        "staff is reported for the years around it.",
        skill="reading a table",
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
        section=SECTION,
    ),
)

register(
    Written(
        id="01.6",
        title='Interpretation: caps, counts and a "continuous presence"',
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
        xlabel=("date", "year"),
        ylabel=("troops", "people", "soldiers", "personnel"),
        hints=(
            "A chart to a specification draws exactly the rows it names and groups them as it says: "
            "keep the figures dated 2014 to 2021, then give each kind of figure its own series of "
            "markers, not joined by lines.",
            "Filter on the year of the date (.dt.year), loop over the groups of a groupby on kind, and "
            'draw each group with ax.plot and linestyle="none"; style.series_styles gives each kind its '
            "marker and colour, troops.KIND_LABELS its label; end with ax.legend.",
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
