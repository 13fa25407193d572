"""Exercises and quick questions of notebook 04 (challenges: the paper's section 4)."""

import re

from ... import challenges, data
from ..charts import ChartSpec
from ..kinds import Choice, Date, Mistake, Number, Rows, Sequence, Table
from ..registry import register
from ..written import Comparison, Written


def _incidents():
    return challenges.incidents()


def _in_series():
    """The incidents of the months where the attack table is a series (October 2017 to March 2020)."""
    start, end = challenges.series_period()
    return challenges.filter_incidents(_incidents(), start, end)


def _per_base():
    return challenges.filter_incidents(_incidents(), "2019-01", challenges.series_period()[1])[
        "base_id"
    ].value_counts()


# The busiest months come out the same from the whole table, so the check also looks at the rows kept.
SERIES_ROWS = Rows(
    needed=_in_series,
    allowed=_in_series,
    name="in_series",
    filter_text="only the incidents of the series, October 2017 to March 2020",
    outside_text="dated outside October 2017 to March 2020",
    key="incident_id",
)


def _busiest_months():
    months = _in_series()["date"].dt.strftime("%Y-%m").value_counts()
    return sorted(months[months == months.max()].index)


# The attacks table is a series of attacks only from October 2017 to March 2020 (the paper's and
# Al-Hashimi's period); later rows are selected notable attacks, so month counts stop in March 2020.
CHART_START, CHART_END = "2019-01", "2020-03"
SERIES_START, SERIES_END = "2017-10-01", "2020-03-31"


def _months_with_attacks():
    selection = challenges.filter_incidents(_incidents(), CHART_START, CHART_END)
    return int((challenges.per_month(selection, CHART_START, CHART_END) > 0).sum())


def _attacks_per_month_by_weapon() -> dict[str, list]:
    """Attacks per month and weapon, January 2019 to March 2020, empty months included: the bars of 04.4."""
    selection = challenges.filter_incidents(_incidents(), CHART_START, CHART_END)
    return {
        weapon: list(challenges.per_month(rows, CHART_START, CHART_END))
        for weapon, rows in selection.groupby("weapon")
    }


def _reports_per_attack():
    """Mean number of reports per attack over the period the attack table covers as a series."""
    incidents = _incidents()
    in_series = incidents["date"].between(SERIES_START, SERIES_END)
    return float(incidents.loc[in_series, "reports"].mean())


def _balad_gap_days():
    balad = data.attacks().query("incident_id == '2019-06-15-balad'")
    paper = balad.loc[balad["source_id"] == "paper", "date"].iloc[0]
    record = balad.loc[balad["source_id"] != "paper", "date"].iloc[0]
    return abs((paper - record).days)


def _last_january():
    embassy = data.attacks().query("incident_id == '2019-12-31-embassy' and source_id == 'paper'")
    return embassy["date"].iloc[0].date()


def _missile_gap():
    c01 = data.claims().set_index("claim_id").loc["C01"]
    return float(c01["record_number"] - c01["claim_number"])


# The answers of the mistakes students make, computed from the data as the expected answers are.


def _per_base_of(rows, end=None):
    """Attacks (or reports) per base from January 2019 to ``end`` (by default, the series' end)."""
    end = challenges.series_period()[1] if end is None else end
    return challenges.filter_incidents(rows, "2019-01", end)["base_id"].value_counts()


def _top_months(rows):
    """The busiest month(s) of the series, counting ``rows`` (incidents or reports)."""
    start, end = challenges.series_period()
    months = challenges.filter_incidents(rows, start, end)["date"].dt.strftime("%Y-%m")
    counts = months.value_counts()
    return sorted(counts[counts == counts.max()].index)


def _chart_months(start=CHART_START):
    """Attacks per month from ``start`` to March 2020, empty months as 0."""
    selection = challenges.filter_incidents(_incidents(), start, CHART_END)
    return challenges.per_month(selection, start, CHART_END)


def _paper_and_record(incident_id):
    """The paper's date of an attack and the date of the first other report of it."""
    rows = data.attacks().query(f"incident_id == '{incident_id}'")
    paper = rows.loc[rows["source_id"] == "paper", "date"].iloc[0]
    record = rows.loc[rows["source_id"] != "paper", "date"].iloc[0]
    return paper, record


def _gap_in_days(incident_id):
    paper, record = _paper_and_record(incident_id)
    return float(abs((paper - record).days))


def _gap_in_months(incident_id):
    paper, record = _paper_and_record(incident_id)
    return float(abs((paper.to_period("M") - record.to_period("M")).n))


def _chain_with(first, second):
    """The escalation in order, but with the steps of rows ``first`` and ``second`` swapped."""
    chain = challenges.escalation_chain(challenges.CHAIN + challenges.AFTERMATH)
    steps, rows = list(chain["step"]), list(chain["row"])
    i, j = rows.index(first), rows.index(second)
    steps[i], steps[j] = steps[j], steps[i]
    return steps


def _claim_gap(claim_id):
    claim = data.claims().set_index("claim_id").loc[claim_id]
    return float(claim["record_number"] - claim["claim_number"])


def _hits_on_ain_al_asad_gap():
    """The first US count's missiles that hit Ain al-Asad (read from its text), minus the paper's."""
    c01 = data.claims().set_index("claim_id").loc["C01"]
    hits = re.search(r"(\d+) hit Ain al-Asad", c01["record_value"])
    return float(int(hits.group(1)) - c01["claim_number"])


register(
    Table(
        id="04.1",
        title="Attacks (incidents) per base, January 2019 to March 2020",
        expected=_per_base,
        hints=(
            "Two things decide the count: which rows stand for an attack (incidents has one row per attack, "
            "reports one row per source), and which attacks fall in the period, from 1 January 2019 to "
            "31 March 2020 with the whole of March. Then count how many attacks each base has.",
            "Keep the rows of incidents whose date is .between the two ends of the period (both ends are "
            "kept), then .value_counts on base_id: a Series with base_id as the index.",
            "in_period = incidents[incidents['date'].between('2019-01-01', '2020-03-31')]; "
            "answer = in_period['base_id'].value_counts()",
        ),
        mistakes=(
            Mistake(
                name="no-date-filter",
                answer=lambda: _incidents()["base_id"].value_counts(),
                says="You counted every attack in the table, whatever its date; "
                "the task asks only for the attacks dated from January 2019 to March 2020.",
            ),
            Mistake(
                name="reports-not-incidents",
                answer=lambda: _per_base_of(data.attacks()),
                says="You counted reports, not attacks: one attack told by three sources is three rows of "
                "reports. Count the rows of incidents, one per attack.",
            ),
            Mistake(
                name="march-left-out",
                answer=lambda: _per_base_of(_incidents(), end="2020-03-01"),
                says="Your period stops on 1 March 2020, so the attacks of March are missing: a month "
                "written as a date means its first day. The period runs to 31 March 2020.",
            ),
        ),
        success="Counting incidents, not reports, keeps an attack told by three sources from counting three times. "
        "In the paper's years, the attacks spread over the large bases that hosted US trainers, "
        "not one target.",
        skill="pandas: value_counts",
        section="4",
    ),
    Sequence(
        id="04.2",
        title="The busiest month(s)",
        expected=_busiest_months,
        rows=SERIES_ROWS,
        ordered=False,
        item_pattern=r"\d{4}-\d{2}",
        item_format="a month as text in the form 'YYYY-MM', like '2019-06' (use .dt.strftime('%Y-%m'))",
        hints=(
            "A month's count is the number of attacks (incidents, not reports) dated in it, from October "
            "2017 to March 2020. The busiest month is the one with the highest count; if several months "
            "share it, every one of them is the answer.",
            "Keep the incidents whose date is .between the ends of the period; .dt.strftime with '%Y-%m' "
            "makes month labels and .value_counts counts them; keep every label whose count equals the "
            ".max of the counts, as a list.",
            "in_series = incidents[incidents['date'].between('2017-10-01', '2020-03-31')]; "
            "months = in_series['date'].dt.strftime('%Y-%m').value_counts(); "
            "answer = list(months[months == months.max()].index)",
        ),
        mistakes=(
            Mistake(
                name="reports-not-incidents",
                answer=lambda: _top_months(data.attacks()),
                says="You counted reports, not attacks: a month whose attacks were told by many sources "
                "looks busier than it was. Count the rows of incidents, one per attack.",
            ),
            Mistake(
                name="one-of-a-tie",
                answer=lambda: [_in_series()["date"].dt.strftime("%Y-%m").value_counts().idxmax()],
                says="You gave only the first month of the count, but another month has as many "
                "attacks: when months tie at the top, the answer lists them all.",
            ),
        ),
        success="The busiest months sit on either side of the killing of Soleimani, at the turn of 2019-2020: "
        "one escalation spread over two calendar months. A tie is an answer too, so the check takes a list.",
        skill="pandas: dates, value_counts",
        section="4",
    ),
    Number(
        id="04.3",
        title="How many reports tell of each attack, on average, from October 2017 to March 2020?",
        expected=_reports_per_attack,
        tolerance=0.01,
        minimum=0,
        unit="reports per attack",
        hints=(
            "The column reports of incidents says how many sources tell of each attack. The average asked "
            "for is over the attacks of 1 October 2017 to 31 March 2020 only, one value per attack: "
            "reports per attack.",
            "Keep the rows of incidents whose date is .between the two ends of the period (.loc takes "
            "those rows and the reports column at once), then take .mean of that column.",
            "in_series = incidents['date'].between('2017-10-01', '2020-03-31'); "
            "answer = incidents.loc[in_series, 'reports'].mean()",
        ),
        mistakes=(
            Mistake(
                name="no-date-filter",
                answer=lambda: float(_incidents()["reports"].mean()),
                says="You averaged over every attack in the table, whatever its date; the task asks only "
                "for the attacks of October 2017 to March 2020, when the table is a series.",
            ),
            Mistake(
                name="attacks-per-report",
                answer=lambda: len(_in_series()) / float(_in_series()["reports"].sum()),
                says="Your number is below 1, but every attack has at least one report: you divided "
                "attacks by reports. The task asks for reports per attack.",
            ),
        ),
        success="Each attack of the period is told by more than one report on average: a count of rows would "
        "overstate the number of attacks by about that factor.",
        skill="pandas: filter, mean",
        section="4",
    ),
    Number(
        id="04.4",
        title="Months of January 2019 to March 2020 with at least one attack",
        expected=_months_with_attacks,
        tolerance=0,
        minimum=0,
        unit="months",
        hints=(
            "Read your chart: count the months (out of 15) that have a bar of any height. A month counts "
            "once, however many attacks and weapons it had; an empty month does not count.",
            "On the table of counts behind your chart, add each month's counts across the weapons with .sum "
            "and axis='columns', then count the totals above 0. Or count the different month labels "
            "(.dt.strftime, then .nunique) of the attacks of the period.",
            "answer = incidents.loc[incidents['date'].between('2019-01-01', '2020-03-31'), 'date']"
            ".dt.strftime('%Y-%m').nunique()",
        ),
        mistakes=(
            Mistake(
                name="attacks-not-months",
                answer=lambda: float(_chart_months().sum()),
                says="You counted attacks, not months: the task asks in how many of the 15 months there "
                "was at least one attack, however many there were.",
            ),
            Mistake(
                name="weapon-parts-not-months",
                answer=lambda: float(
                    sum(
                        sum(count > 0 for count in counts)
                        for counts in _attacks_per_month_by_weapon().values()
                    )
                ),
                says="You counted each weapon's part of the bars on its own, so a month with rockets and "
                "mortars counted twice. Count the months whose whole bar, all weapons together, is above 0.",
            ),
            Mistake(
                name="empty-months",
                answer=lambda: float((_chart_months() == 0).sum()),
                says="You counted the months without any attack; the task asks for the months with at "
                "least one.",
            ),
            Mistake(
                name="series-period",
                answer=lambda: float((_chart_months(start="2017-10") > 0).sum()),
                says="You counted months from October 2017; the task asks only about the 15 months of your "
                "chart, January 2019 to March 2020.",
            ),
        ),
        success="Many months of 2019 and early 2020 had no attack in this table: the attacks came in bursts, "
        "around the turn of 2019-2020 above all. (The table lists reported attacks; it is not a complete "
        "count, and after March 2020 it holds only selected attacks.)",
        skill="matplotlib: a chart to specification, then read it",
        section="4",
    ),
    Number(
        id="04.5",
        title="How far off is the paper's date for the Balad mortar attack?",
        expected=_balad_gap_days,
        tolerance=0,
        minimum=0,
        unit="days",
        hints=(
            "The paper's report and the public report of the same attack share the incident_id "
            "'2019-06-15-balad': the answer is the number of days from one of their dates to the other.",
            "Keep the rows of reports with that incident_id, subtract the public report's date from the "
            "paper's (a time difference), and take its .days; abs turns a negative number of days around.",
            "mortar = reports[reports['incident_id'] == '2019-06-15-balad'].set_index('source_id')['date']; "
            "answer = abs((mortar['paper'] - mortar.drop('paper').iloc[0]).days)",
        ),
        mistakes=(
            Mistake(
                name="both-days-counted",
                answer=lambda: float(_balad_gap_days() + 1),
                says="You counted both the first and the last day. A gap between two dates is the later "
                "minus the earlier: from 15 to 16 June is one day.",
            ),
            Mistake(
                name="months-not-days",
                answer=lambda: _gap_in_months("2019-06-15-balad"),
                says="You gave the gap in months; the task asks for it in days.",
            ),
            Mistake(
                name="december-attack",
                answer=lambda: _gap_in_days("2019-12-05-balad"),
                says="You compared the reports of the December attack, whose dates agree. The mortar "
                "attack the paper misdates is the one with incident_id '2019-06-15-balad'.",
            ),
        ),
        success="The paper puts the mortar attack on Balad a month late (15 July, not 15 June), and no report of "
        "the time puts it in July: a slip that only a check against dated reports catches.",
        skill="source checking with pandas",
        section="4",
    ),
    Date(
        id="04.6",
        title="Turn the paper's 'last January' into a date",
        expected=_last_january,
        hints=(
            "A relative date needs an anchor: when was the text written, and which January came just before? "
            "A date known only to the month is placed on the first day of that month.",
            "Write the month the text means as 'Month YYYY' (like 'March 2021') and read it with "
            "pd.to_datetime, which puts a month without a day on its first day.",
            "answer = pd.to_datetime('January 2020'): written in spring 2020, the text's 'last January' "
            "is January 2020.",
        ),
        mistakes=(
            Mistake(
                name="the-record-date",
                answer=lambda: (
                    data.attacks()
                    .query("incident_id == '2019-12-31-embassy' and source_id != 'paper'")["date"]
                    .iloc[0]
                    .date()
                ),
                says="You gave the date of the storming from the record. The task asks what the paper's "
                "words mean: the month it calls 'last January', on its first day; step 4 then compares "
                "it with the record.",
            ),
            Mistake(
                name="a-year-too-early",
                answer=lambda: _last_january().replace(year=_last_january().year - 1),
                says="You went back a year too far: 'last January' is the most recent January before the "
                "text was written, not the January of the year before.",
            ),
        ),
        success="The data stores the paper's 'last January' as January 2020 (month precision); the record puts "
        "the storming on 31 December 2019. A relative date is only as good as our guess of when the text "
        "was written.",
        skill="cleaning: messy dates",
        section="4",
    ),
    Sequence(
        id="04.8",
        title="Put the events of late December 2019 to January 2020 in order",
        expected=lambda: list(
            challenges.escalation_chain(challenges.CHAIN + challenges.AFTERMATH)["step"]
        ),
        ordered=True,
        hints=(
            "Start from the attack that opened the chain, and ask of each step: what was it a response to?",
            "Look up each step's date in the escalation table and the political timeline of the lecture "
            "notebook, or let challenges.escalation_chain give every step with its date (pass it "
            "challenges.CHAIN plus challenges.AFTERMATH) and .sort_values on the date column.",
            "steps = challenges.escalation_chain(challenges.CHAIN + challenges.AFTERMATH); "
            "answer = list(steps.sort_values('date')['step'])",
        ),
        mistakes=(
            Mistake(
                name="alphabetical",
                answer=lambda: sorted(
                    challenges.escalation_chain(challenges.CHAIN + challenges.AFTERMATH)["step"]
                ),
                says="Your list is in alphabetical order, the order the steps are printed in, not the "
                "order they happened in: put them first to last by their dates.",
            ),
            Mistake(
                name="embassy-before-strikes",
                answer=lambda: _chain_with("2019-12-29-kh", "2019-12-31-embassy"),
                says="You put the crowd at the US embassy before the US air strikes, as if the strikes "
                "answered it: check the dates of both, and ask what the crowd was protesting against.",
            ),
            Mistake(
                name="missiles-before-vote",
                answer=lambda: _chain_with("E075", "2020-01-08-iran"),
                says="The parliament's vote and Iran's missiles both answered the killing of Soleimani, "
                "but not on the same day: check which came first.",
            ),
        ),
        success="The first six steps took twelve days, each a blow or a reply: the K1 attack, the US strikes, the "
        "embassy, the killing of Soleimani, then the vote and Iran's missiles, both answers to the killing. "
        "The last two, the prime minister's request and the Sadrist march, are the paper's official and "
        "popular levels of rejection: the political challenge grew out of the security spiral.",
        skill="reading a timeline",
        section="4",
    ),
    # Quick questions of the lecture notebook
    Choice(
        id="04.q1",
        title="In which of his groups does Al-Hashimi (2020) put Asaib Ahl al-Haq?",
        options={
            "A": "Factions that oppose the US presence with weapons and violence",
            "B": "Factions that oppose the US presence by political and legal means",
            "C": "Forces that want US troops to stay",
            "D": "Outside both groups, like Saraya al-Salam",
        },
        expected=lambda: "B",
        hints=(
            "Look at the column headed Al-Hashimi (2020) in the side-by-side actors table.",
            "Al-Hashimi separates two kinds of opposition; Kataib Hezbollah and Nujaba are in the armed one.",
        ),
        success="Al-Hashimi splits the factions the paper lumps together: Asaib Ahl al-Haq and Badr oppose by "
        "political means, while the paper also reports that US forces blamed Asaib Ahl al-Haq for a rocket "
        "attack. Sources can sort the same actor differently.",
    ),
    Number(
        id="04.q2",
        title="How many more missiles does the first US count of 8 January 2020 give than the paper?",
        expected=_missile_gap,
        tolerance=0,
        minimum=0,
        unit="missiles",
        hints=(
            "Compare the paper's number of missiles with the first US count (claim C01).",
            "In the claims printed above, C01's record line starts with the number of missiles the first "
            "US count says were fired; the paper says ten.",
        ),
        mistakes=(
            Mistake(
                name="the-count-not-the-difference",
                answer=lambda: float(
                    data.claims().set_index("claim_id").loc["C01", "record_number"]
                ),
                says="You gave the first US count itself; the question asks how many more missiles it "
                "gives than the paper's ten.",
            ),
            Mistake(
                name="the-later-count",
                answer=lambda: _claim_gap("C02"),
                says="You used the Defense Secretary's count of the next day (claim C02); the question "
                "asks about the first US count, claim C01.",
            ),
            Mistake(
                name="hits-not-fired",
                answer=_hits_on_ain_al_asad_gap,
                says="You compared the missiles that hit Ain al-Asad; the first US count's number is the "
                "missiles fired, at both bases and including those that failed.",
            ),
        ),
        success="The paper's ten may be the missiles that hit Ain al-Asad; the US counted the launches, "
        "including those that failed. Always ask what exactly a number counts.",
    ),
    Choice(
        id="04.q3",
        title="Why does the data hold fewer attacks for 27 Dec 2019 to 30 Mar 2020 than Al-Hashimi's 25?",
        options={
            "A": "Al-Hashimi made the number up.",
            "B": "The data counts each report separately, so it should hold more, not fewer.",
            "C": "The data holds the attacks its sources report, not a complete count, and Al-Hashimi also "
            "counts attacks on civilian interests.",
            "D": "The data only holds attacks that killed someone.",
        },
        expected=lambda: "C",
        hints=(
            "Think about how the attacks table was built: from the paper's list, the companions and "
            "selected public reports.",
            "Neither count is 'the truth': they count different things, from different sources.",
        ),
        success="A count depends on what counts as an attack (a rocket that misses? an attack on a convoy or "
        "an embassy?) and on who is counting. Al-Hashimi's 25 cannot be checked against a public list.",
    ),
)

register(
    Written(
        id="04.7",
        title='Interpretation: "directly or through its allies"',
        checklist=(
            "shows that the direct link rests on an open, claimed strike: Iran's missiles of 8 January 2020;",
            'shows that the link "through its allies" rests on US attributions for a minority of the attacks, '
            "and that most attacks in the paper's list have no attribution at all;",
            "notices that the paper reports the attribution as the United States' (\"considered by the United "
            'States") and hedges its own link ("perhaps the source of these threats is Iran");',
            "distinguishes support for a group from command of each attack, and says what evidence is missing.",
        ),
    )
)


register(
    ChartSpec(
        id="04.4",
        kind="bars",
        expected=_attacks_per_month_by_weapon,
        tolerance=0,
        stacked=True,
        xlabel=("month", "date"),
        ylabel=("attacks", "incidents"),
        hints=(
            "A stacked bar chart puts each weapon's count on top of the ones before it, month by month: "
            "all 15 months need a place on the axis (the empty ones as 0), and every bar must be wide "
            "enough to see.",
            ".pivot_table gives one column per weapon; .reindex on the 15 months of pd.date_range (freq "
            "MS) adds the empty ones; then one ax.bar per weapon, with bottom= a running total, width= in "
            "days (about 27 for a month) and its own hatch=.",
            ".pivot_table(index='month', columns='weapon', values='incident_id', aggfunc='count', fill_value=0), "
            ".reindex(pd.date_range('2019-01-01', '2020-03-01', freq='MS'), fill_value=0), then for each weapon "
            "ax.bar(months, counts, bottom=bottom, width=27, align='edge', hatch=...) and bottom = bottom + counts.",
        ),
        success="Every month is on the axis, quiet ones too, and the weapons can be told apart without colour: "
        "the bursts show, and so do the gaps.",
    )
)


register(
    Comparison(
        id="04.3",
        question="The Iranian missile strike of 8 January 2020 has four counts: the paper says ten missiles; US "
        "officials counted 15 fired on the night (ten of them hit Ain al-Asad), then 16 the next day; Iraq's "
        "military counted 22 (17 at Ain al-Asad, 5 at Erbil). Which number would you quote in one sentence "
        "about the strike, and how would you word it? Defend your choice.",
        rubric="says what each number counts (missiles that hit one base, missiles fired, missiles that fell in "
        "Iraq) and who gave it, when; quotes a number with its counter and date, or gives the US and Iraqi "
        "counts side by side; explains the paper's ten without calling it simply wrong.",
    )
)
