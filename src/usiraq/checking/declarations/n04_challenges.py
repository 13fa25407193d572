"""Exercises and quick questions of notebook 04 (challenges: the paper's section 4)."""

from ... import challenges, data
from ..charts import ChartSpec
from ..kinds import Choice, Date, Number, Sequence, Table
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


register(
    Table(
        id="04.1",
        title="Attacks (incidents) per base, January 2019 to March 2020",
        expected=_per_base,
        hints=(
            "Start from challenges.incidents() (one row per attack), not data.attacks() (one row per report); "
            "keep the attacks dated from January 2019 to March 2020, then count how often each base_id appears.",
            "Keep the rows with incidents['date'].between('2019-01-01', '2020-03-31'), then use "
            "['base_id'].value_counts(): a Series with base_id as the index and the count as values.",
        ),
        success="Counting incidents, not reports, keeps an attack told by three sources from counting three times. "
        "In the paper's years, the attacks spread over the large bases that hosted US trainers, "
        "not one target.",
        skill="pandas: value_counts",
        minutes=6,
        section="4",
    ),
    Sequence(
        id="04.2",
        title="The busiest month(s)",
        expected=_busiest_months,
        ordered=False,
        item_pattern=r"\d{4}-\d{2}",
        item_format="a month as text in the form 'YYYY-MM', like '2019-06' (use .dt.strftime('%Y-%m'))",
        hints=(
            "Keep the incidents from October 2017 to March 2020, turn each date into a month label with "
            ".dt.strftime('%Y-%m'), then count the labels. Look at the top of the count: is there a tie?",
            "in_series = incidents[incidents['date'].between('2017-10-01', '2020-03-31')]; months = "
            "in_series['date'].dt.strftime('%Y-%m').value_counts(); keep every month whose count "
            "equals months.max(), as a list of texts.",
        ),
        success="The busiest months sit on either side of the killing of Soleimani, at the turn of 2019-2020: "
        "one escalation spread over two calendar months. A tie is an answer too, so the check takes a list.",
        skill="pandas: dates, value_counts",
        minutes=8,
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
            "challenges.incidents() has a column 'reports': how many rows of data.attacks() tell of each attack. "
            "Keep the attacks dated from 1 October 2017 to 31 March 2020 and take the mean of that column.",
            "incidents.loc[incidents['date'].between('2017-10-01', '2020-03-31'), 'reports'].mean()",
        ),
        success="Each attack of the period is told by more than one report on average: a count of rows would "
        "overstate the number of attacks by about that factor.",
        skill="pandas: filter, mean",
        minutes=10,
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
            "Read your chart: count the months (out of 15) that have a bar of any height. Or compute it: "
            "count incidents per month from January 2019 to March 2020 and keep the months above zero.",
            "Add up each month's bars across the weapons with .sum(axis='columns') on your table of counts, "
            "then count the months whose total is above 0 with (... > 0).sum().",
        ),
        success="Many months of 2019 and early 2020 had no attack in this table: the attacks came in bursts, "
        "around the turn of 2019-2020 above all. (The table lists reported attacks; it is not a complete "
        "count, and after March 2020 it holds only selected attacks.)",
        skill="matplotlib: a chart to specification, then read it",
        minutes=18,
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
            "'2019-06-15-balad': compare their dates.",
            "Select the two rows with data.attacks().query(\"incident_id == '2019-06-15-balad'\"), then "
            "subtract one date from the other and take .days.",
        ),
        success="The paper puts the mortar attack on Balad a month late (15 July, not 15 June), and no report of "
        "the time puts it in July: a slip that only a check against dated reports catches.",
        skill="source checking with pandas",
        minutes=13,
        section="4",
    ),
    Date(
        id="04.6",
        title="Turn the paper's 'last January' into a date",
        expected=_last_january,
        hints=(
            "A relative date needs an anchor: when was the text written, and which January came just before? "
            "A date known only to the month is placed on the first day of that month.",
            "Write the month the text means as 'Month YYYY' (like 'March 2021') and parse it with pd.to_datetime(...).",
        ),
        success="The data stores the paper's 'last January' as January 2020 (month precision); the record puts "
        "the storming on 31 December 2019. A relative date is only as good as our guess of when the text "
        "was written.",
        skill="cleaning: messy dates",
        minutes=12,
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
            "notebook, or sort challenges.escalation_chain(challenges.CHAIN + challenges.AFTERMATH) by 'date'.",
        ),
        success="The first six steps took twelve days, each a blow or a reply: the K1 attack, the US strikes, the "
        "embassy, the killing of Soleimani, then the vote and Iran's missiles, both answers to the killing. "
        "The last two, the prime minister's request and the Sadrist march, are the paper's official and "
        "popular levels of rejection: the political challenge grew out of the security spiral.",
        skill="reading a timeline",
        minutes=5,
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
            "Look at the column for seed-hashimi in the side-by-side actors table.",
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
            "Subtract claim_number from record_number in claim C01.",
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
        minutes=12,
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
        hints=(
            "One series of bars per weapon, one bar per month from January 2019 to March 2020 (15 months, empty "
            "ones as 0), stacked with bottom= and each with its own hatch from style.HATCHES[1:].",
            ".pivot_table(index='month', columns='weapon', values='incident_id', aggfunc='count', fill_value=0), "
            ".reindex(pd.date_range('2019-01-01', '2020-03-01', freq='MS'), fill_value=0), then for each weapon "
            "ax.bar(..., bottom=bottom, hatch=...) and bottom = bottom + counts.",
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
