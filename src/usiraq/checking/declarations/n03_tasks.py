"""Exercises (03.1-03.7) and quick questions (03.q1-03.q3) of notebook 03, tasks and goals."""

from ... import data
from ...tasks import ESCALATION_LABELS
from ..charts import ChartSpec
from ..kinds import Choice, Date, Number, Sequence, Table
from ..registry import register
from ..written import Comparison, Written


def _events_per_task():
    return data.events()["task_id"].value_counts()


def _strikes_with_differing_tolls():
    tolls = data.strikes().groupby("incident_id")["killed_low"].nunique()
    return int((tolls > 1).sum())


def _escalation_order():
    events = data.events().set_index("event_id")
    ordered = events.loc[list(ESCALATION_LABELS), "date"].sort_values(kind="stable").index
    return [ESCALATION_LABELS[e] for e in ordered]


def _first_counter_iran():
    events = data.events()
    return events.loc[events["task_id"] == "counter-iran", "date"].min()


def _kh_strikes():
    strikes = data.strikes()
    on_kh = strikes[strikes["target"].str.contains("Kataib Hezbollah", case=False, na=False)]
    return on_kh["incident_id"].nunique()


def _iran_overtakes_isis():
    events = data.events()
    tagged = events[events["task_id"].isin(["counter-isis", "counter-iran"])]
    per_year = tagged.groupby([tagged["date"].dt.year, "task_id"]).size().unstack(fill_value=0)
    later = per_year[per_year["counter-iran"] > per_year["counter-isis"]]
    return int(later.index.min())


def _tasks_with_events():
    return data.events()["task_id"].nunique()


register(
    Table(
        id="03.1",
        title="How many events in the timeline illustrate each task?",
        expected=_events_per_task,
        hints=(
            "Keep only the rows that name a task, then count the rows for each task_id.",
            "data.events()['task_id'].value_counts() counts the rows per task and leaves out the empty ones.",
        ),
        success="Only two of the five tasks have dated events at all; and since the paper and the record often "
        "report the same event, these are counts of reports, not of separate events.",
        skill="pandas: value_counts",
        minutes=5,
        section="3",
    ),
    Number(
        id="03.2",
        title="In how many strikes do the reports give different death tolls?",
        expected=_strikes_with_differing_tolls,
        tolerance=0,
        minimum=0,
        unit="strikes",
        hints=(
            "One strike can have several reports (rows with the same incident_id). For each strike, count how "
            "many different values of killed_low its reports give; a strike counts when there are two or more.",
            "strikes.groupby('incident_id')['killed_low'].nunique() gives the number of different tolls per "
            "strike (empty cells are left out); count the strikes where it is above 1 with (... > 1).sum().",
        ),
        success="Reports of the same strike disagree on the dead more than once, and the paper even disagrees "
        "with itself: a death toll is a figure with a source, like any other.",
        skill="pandas: groupby, nunique",
        minutes=11,
        section="3, 4",
    ),
    Sequence(
        id="03.3",
        title="Put these moves and counter-moves of 2019-2020 in order, earliest first.",
        expected=_escalation_order,
        ordered=True,
        hints=(
            "Answer with the six labels as printed above your answer cell, not with the event ids: the ids "
            "are only for looking the events up. Look them up in data.events() by their event_id and sort "
            "them by date.",
            "events[events['event_id'].isin(ids)].sort_values('date') lists the six in date order; then write "
            "their labels, copied as printed, in that order.",
        ),
        success="The designation came months before the other five, which followed one another within about two "
        "weeks: a policy choice first, then a quick cycle of attack and response.",
        skill="reading a timeline",
        minutes=6,
        section="3",
    ),
    Date(
        id="03.4",
        title="What is the earliest date of any event tied to confronting Iranian influence?",
        expected=_first_counter_iran,
        hints=(
            "Keep the events whose task_id is 'counter-iran' and take the earliest date.",
            "events.loc[events['task_id'] == 'counter-iran', 'date'].min(); a date known only to the month "
            "is loaded on the 1st, so answer in the form 'YYYY-MM-DD'.",
        ),
        success="The public record has US moves against Iran's allies (terrorist designations) in spring 2019, "
        "months before the paper's earliest evidence (the strikes of December 2019): the task was "
        "under way before the paper dates it.",
        skill="pandas: filter and min",
        minutes=10,
        section="3",
    ),
    Number(
        id="03.5",
        title="How many different US strikes in the strikes table have a target that names Kataib Hezbollah?",
        expected=_kh_strikes,
        tolerance=0,
        minimum=0,
        unit="strikes",
        hints=(
            "Count the strikes whose target text contains the name Kataib Hezbollah. The target column names "
            "the group in several ways ('Kataib Hezbollah weapons storage facilities', 'a Kataib Hezbollah "
            "commander'...): an exact match misses some. And one strike can have several reports.",
            "Use .str.contains('Kataib Hezbollah', case=False) on the target column, then count distinct "
            "incident_id values with .nunique().",
        ),
        success="Matching a name inside longer text, then counting incidents rather than reports, gives the "
        "number of strikes; counting rows would count the same strike up to three times. A text match "
        "counts only what the text says: the strike of 3 January 2020 also killed Abu Mahdi "
        "al-Muhandis, whom the glossary calls closely linked to Kataib Hezbollah, but its target names "
        "Soleimani and al-Muhandis, not the group.",
        skill="cleaning: text matching",
        minutes=10,
        section="3",
    ),
    Number(
        id="03.6",
        title="In which year do events tied to confronting Iran first outnumber those tied to countering ISIS?",
        expected=_iran_overtakes_isis,
        tolerance=0,
        minimum=0,
        unit="",
        hints=(
            "Count the event rows per year for each of the two tasks (a table with years as rows and tasks as "
            "columns) and compare the two columns year by year.",
            "tagged = events[events['task_id'].isin(['counter-isis', 'counter-iran'])]; then "
            "pd.crosstab(tagged['date'].dt.year, tagged['task_id']) builds the table; keep the rows where "
            "'counter-iran' > 'counter-isis' and take the smallest year.",
        ),
        success="The evidence tied to Iran overtakes the evidence tied to ISIS just before the paper was written: "
        "the shift the paper describes is visible in the timeline (remember these are reports, not events).",
        skill="charts: grouped bars",
        minutes=20,
        section="3",
    ),
    Choice(
        id="03.7",
        title="Is confronting Iran a goal of the presence, a consequence of it, or both?",
        options={
            "A": "Only a goal: the US chose it, and the attacks on US forces played no part.",
            "B": "Only a consequence: the US struck only in response to attacks on its forces.",
            "C": "The evidence fits both: some US moves answered no single attack, while the strikes on Kataib "
            "Hezbollah followed deadly attacks within days.",
            "D": "Neither: the data show no US action against Iran or its allies in Iraq.",
        },
        expected=lambda: "C",
        hints=(
            "Look at the order of events in the escalation table: which US moves came right after an attack, "
            "and which were not tied to any one attack?",
            "Filter the escalation table to the attacks with US deaths and look at the next US move after each; "
            "then look at the designations of spring 2019.",
        ),
        success="Timelines can show what came first, not what anyone intended: both readings have evidence, and "
        "each side stresses the one that suits it.",
        skill="interpretation",
        minutes=15,
        section="3, 4",
    ),
    Number(
        id="03.q1",
        title="How many of the paper's five tasks have at least one dated event in the data?",
        expected=_tasks_with_events,
        tolerance=0,
        minimum=0,
        unit="tasks",
        hints=(
            "Look at the 'all sources' column of the events-per-task table, or at the empty lanes "
            "of the timeline.",
            "Count the distinct task_id values in data.events(): .nunique() leaves out empty cells.",
        ),
        success="Three of the five tasks rest on argument and citation alone: the paper gives no dated example "
        "for them, and the module found none to tie to them either.",
        skill="reading a table",
        minutes=2,
        section="3",
    ),
    Choice(
        id="03.q2",
        title="Whose argument is it that US forces must stay in Iraq to avoid 'repeating the mistakes of 2011'?",
        options={
            "A": "The Iraqi government's, in its request for help of 2014",
            "B": "David Pollock's, a writer at a US think tank (the Washington Institute for Near East Policy), "
            "January 2020",
            "C": "The Iraqi parliament's, in its vote of 5 January 2020",
            "D": "The paper's authors' own conclusion, from their data",
        },
        expected=lambda: "B",
        hints=(
            "Look at the citation right after the sentence in section 3.",
            "The sentence ends with '(Pollock, 2020)'; the reference list says where Pollock wrote.",
        ),
        success="The paper reports a US policy argument, made days after the killing of Soleimani, when Iraq's "
        "parliament had just voted for foreign forces to leave. Knowing who argues helps weigh the claim.",
        skill="source criticism",
        minutes=2,
        section="3",
    ),
    Choice(
        id="03.q3",
        title="The paper gives 15 (§3) and 25 (§4) dead for the US strikes of 29 December 2019. What do the "
        "reports of the time show?",
        options={
            "A": "Only section 3's figure was ever reported",
            "B": "Both were reported: 15 on the night of the strikes, about 25 a day later, as the count rose",
            "C": "Neither: the reports give fewer deaths than both",
            "D": "No report gives a death toll for these strikes",
        },
        expected=lambda: "B",
        hints=(
            "Compare the reports of incident 2019-12-29-kh in the strikes table, not only the paper's rows.",
            "Find the reports whose killed_low is 15 and 25, and read their sources' dates in sources.csv.",
        ),
        success="Each figure had a source of its day: the toll rose from 15 to about 25 as the dead were counted. "
        "The paper gives both without dating them, so it contradicts itself (claim C04), and section 3's "
        "early figure only partly agrees with the settled count (claim C05).",
        skill="source criticism",
        minutes=2,
        section="3, 4",
    ),
)

register(
    Written(
        id="03.7",
        title="A goal, a consequence, or both?",
        checklist=(
            "takes a position (goal, consequence or both) and supports it with at least two dated events;",
            "uses the order of events: the designations came before the deadly attacks, the strikes two days "
            "after each deadly attack;",
            'notes how each side\'s words ("defensive", "response"; "violation of sovereignty") frame '
            "the same events;",
            "names a limit: an order of events is not an intention, and the lists are incomplete.",
        ),
    )
)


def _rows_per_year_per_task() -> dict[str, list]:
    """Rows per year (empty years included) for the two dated tasks: the bars of 03.6."""
    events = data.events()
    tagged = events[events["task_id"].isin(["counter-isis", "counter-iran"])]
    per_year = tagged.groupby([tagged["date"].dt.year, "task_id"]).size().unstack(fill_value=0)
    per_year = per_year.reindex(range(per_year.index.min(), per_year.index.max() + 1), fill_value=0)
    return {task: list(per_year[task]) for task in ("counter-isis", "counter-iran")}


register(
    ChartSpec(
        id="03.6",
        kind="bars",
        expected=_rows_per_year_per_task,
        tolerance=0,
        ylabel="Rows in the events table (reports)",
        hints=(
            "Count the rows per year and task with pd.crosstab, add the empty years with .reindex(..., "
            "fill_value=0), and draw one ax.bar per task, shifted by half a bar's width, each with its own hatch.",
            "tagged = events[events['task_id'].isin(['counter-isis', 'counter-iran'])]; "
            "per_year = pd.crosstab(tagged['date'].dt.year, tagged['task_id']).reindex(range(first, last + 1), "
            "fill_value=0); for i, task in enumerate(per_year.columns): ax.bar(per_year.index + (i - 0.5) * 0.4, "
            "per_year[task], width=0.4, hatch=style.HATCHES[i + 1], label=task); ax.legend().",
        ),
        success="Two series side by side, each with a hatch, and every year shown, empty ones included: the gap "
        "years are part of the finding.",
    )
)


register(
    Comparison(
        id="03.2",
        question="For the strikes of 29 December 2019, the paper gives 15 dead in section 3 and 25 in section 4; AFP "
        "reported 15 on the night of the strikes, and the Popular Mobilization Forces and Reuters' sources 25 "
        "the next day. Which toll would you quote in an essay, and with which source? Defend your choice in "
        "two or three sentences.",
        rubric="chooses a toll and names its source and date; prefers the later, settled count for the final toll, "
        "or gives both with their dates; says that the paper's section 3 figure is an earlier count, not an "
        "invented one.",
    )
)
