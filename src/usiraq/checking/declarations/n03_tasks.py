"""Exercises (03.1-03.7) and quick questions (03.q1-03.q3) of notebook 03, tasks and goals."""

from ... import data
from ...tasks import ESCALATION_LABELS
from ..charts import ChartSpec
from ..kinds import Choice, Date, Mistake, Number, Sequence, Table
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


# The wrong answers students give (declared mistakes), computed as the mistake computes them.


def _events_per_task_in(keep):
    """03.1 done on some of the rows: ``keep`` picks them from the events table."""
    events = data.events()
    return events[keep(events)]["task_id"].value_counts()


def _strike_tolls(by):
    """Different tolls per group of strike reports, grouped by ``by`` (03.2 wants incident_id)."""
    return data.strikes().groupby(by)["killed_low"].nunique()


def _reports_of_disagreeing_strikes():
    strikes = data.strikes()
    tolls = _strike_tolls("incident_id")
    return len(strikes[strikes["incident_id"].isin(tolls[tolls > 1].index)])


def _escalation_ids():
    """The six event ids of 03.3 in date order: ids where the labels are asked."""
    events = data.events().set_index("event_id")
    return list(events.loc[list(ESCALATION_LABELS), "date"].sort_values(kind="stable").index)


def _escalation_strikes_first():
    """03.3 with the US strikes put before the rocket attack on K1 that they answered."""
    order = _escalation_order()
    attack, strikes = ESCALATION_LABELS["E066"], ESCALATION_LABELS["E068"]
    i, j = order.index(attack), order.index(strikes)
    order[i], order[j] = order[j], order[i]
    return order


def _counter_iran_dates(keep=None):
    """The dates of the events tied to confronting Iran (03.4), of the rows ``keep`` picks."""
    events = data.events()
    events = events if keep is None else events[keep(events)]
    return events.loc[events["task_id"] == "counter-iran", "date"]


def _kh_in_target(pattern, exact=False):
    strikes = data.strikes()
    target = strikes["target"]
    if exact:
        return strikes[target == pattern]
    return strikes[target.str.contains(pattern, case=False, na=False)]


def _rows_per_year(keep=None, every_year=False):
    """Rows per year for the two dated tasks (03.6), from the rows ``keep`` picks."""
    events = data.events()
    events = events if keep is None else events[keep(events)]
    tagged = events[events["task_id"].isin(["counter-isis", "counter-iran"])]
    per_year = tagged.groupby([tagged["date"].dt.year, "task_id"]).size().unstack(fill_value=0)
    if every_year:
        per_year = per_year.reindex(
            range(per_year.index.min(), per_year.index.max() + 1), fill_value=0
        )
    return per_year


register(
    Table(
        id="03.1",
        title="How many events in the timeline illustrate each task?",
        expected=_events_per_task,
        hints=(
            "Count the rows of the events table for each task: every row whose task_id names a task, "
            "from any source, the paper or the public record. Rows without a task are left out.",
            ".value_counts on the task_id column counts the rows per task and leaves out the empty cells.",
            "answer = events['task_id'].value_counts()",
        ),
        mistakes=(
            Mistake(
                name="paper-only",
                answer=lambda: _events_per_task_in(lambda events: events["source_id"] == "paper"),
                says="You counted only the rows from the paper. The task counts every row tied to a "
                "task, from the public record too.",
            ),
            Mistake(
                name="one-row-per-date",
                answer=lambda: (
                    data.events().drop_duplicates(["task_id", "date"])["task_id"].value_counts()
                ),
                says="You merged rows that share a date, as if they were one event. The task asks for "
                "rows: count every row, even when two sources report the same event.",
            ),
            Mistake(
                name="shares",
                answer=lambda: data.events()["task_id"].value_counts(normalize=True),
                says="Your values are shares of the rows, not numbers of rows. Give how many rows each "
                "task has.",
            ),
        ),
        success="Only two of the five tasks have dated events at all; and since the paper and the record often "
        "report the same event, these are counts of reports, not of separate events.",
        skill="pandas: value_counts",
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
            "groupby on incident_id, then .nunique on killed_low (it leaves out empty cells); then compare "
            "with > 1 and add up the True values with .sum(), as in the toolbox.",
            "tolls = strikes.groupby('incident_id')['killed_low'].nunique(); answer = (tolls > 1).sum()",
        ),
        mistakes=(
            Mistake(
                name="by-strike-id",
                answer=lambda: int((_strike_tolls("strike_id") > 1).sum()),
                says="You grouped by strike_id, which names each report, so every group has one toll. "
                "The reports of one strike share an incident_id: group by that.",
            ),
            Mistake(
                name="by-date",
                answer=lambda: int((_strike_tolls("date") > 1).sum()),
                says="You found only one strike: perhaps you grouped the reports by date, or looked only "
                "at the strike the lecture showed. Reports of one strike can carry different dates; they "
                "share an incident_id.",
            ),
            Mistake(
                name="distinct-tolls",
                answer=lambda: int(_strike_tolls("incident_id").sum()),
                says="You added up the different tolls of all strikes, not the strikes. Count one for each "
                "strike whose reports give two or more different tolls.",
            ),
            Mistake(
                name="every-strike",
                answer=lambda: len(_strike_tolls("incident_id")),
                says="You counted every strike in the table. Count only the strikes whose reports give two "
                "or more different tolls.",
            ),
            Mistake(
                name="reports-not-strikes",
                answer=_reports_of_disagreeing_strikes,
                says="You counted the reports of the strikes that disagree, not the strikes: one strike "
                "told by several sources is several rows. Count strikes (incident_id values).",
            ),
        ),
        success="Reports of the same strike disagree on the dead more than once, and the paper even disagrees "
        "with itself: a death toll is a figure with a source, like any other.",
        skill="pandas: groupby, nunique",
        section="3, 4",
    ),
    Sequence(
        id="03.3",
        title="Put these moves and counter-moves of 2019-2020 in order, earliest first.",
        expected=_escalation_order,
        ordered=True,
        hints=(
            "Order the six by the day each happened, earliest first: look each one up by its event_id in "
            "the events table and read its date. Answer with the six labels as printed above your answer "
            "cell, not with the event ids: the ids are only for looking the events up.",
            ".isin on the event_id column keeps the six rows and .sort_values on date puts them in date "
            "order (see the toolbox); then write their labels, copied as printed, in that order.",
            "dates = events.set_index('event_id').loc[ids, 'date']; "
            "answer = [ESCALATION_LABELS[i] for i in dates.sort_values().index]",
        ),
        mistakes=(
            Mistake(
                name="ids-not-labels",
                answer=_escalation_ids,
                says="You answered with the event ids. The ids are only for looking the events up: answer "
                "with the six labels, copied as printed.",
            ),
            Mistake(
                name="latest-first",
                answer=lambda: _escalation_order()[::-1],
                says="Your list runs from the latest event to the earliest. The task asks for the earliest "
                "first.",
            ),
            Mistake(
                name="alphabetical",
                answer=lambda: sorted(ESCALATION_LABELS.values()),
                says="Your list keeps the labels in the order they are printed, which is alphabetical. Put "
                "them in the order of their dates.",
            ),
            Mistake(
                name="strikes-before-attack",
                answer=_escalation_strikes_first,
                says="You put the US strikes on Kataib Hezbollah before the rocket attack on K1. Look up "
                "the two dates: which came first is what the goal-or-consequence question turns on.",
            ),
        ),
        success="The designation came months before the other five, which followed one another within about two "
        "weeks: a policy choice first, then a quick cycle of attack and response.",
        skill="reading a timeline",
        section="3",
    ),
    Date(
        id="03.4",
        title="What is the earliest date of any event tied to confronting Iranian influence?",
        expected=_first_counter_iran,
        hints=(
            "Keep every event whose task_id is 'counter-iran', from any source (the paper and the public "
            "record), and take the earliest of their dates. A date known only to the month counts, on the "
            "1st of its month.",
            "Compare the task_id column with 'counter-iran' to keep those rows, then .min on their date "
            "column; answer in the form 'YYYY-MM-DD' or with the value .min gives.",
            "answer = events.loc[events['task_id'] == 'counter-iran', 'date'].min()",
        ),
        mistakes=(
            Mistake(
                name="paper-only",
                answer=lambda: _counter_iran_dates(
                    lambda events: events["source_id"] == "paper"
                ).min(),
                says="That is the earliest date the paper gives. The task asks whether the record agrees: "
                "take the earliest event from any source, the public record too.",
            ),
            Mistake(
                name="tasks-table",
                answer=lambda: (
                    data.tasks().set_index("task_id").loc["counter-iran", "prominent_from"]
                ),
                says="That is the date in the tasks table, the one the task asks you to test. Look in the "
                "events table for the earliest event tied to counter-iran.",
            ),
            Mistake(
                name="day-dates-only",
                answer=lambda: _counter_iran_dates(
                    lambda events: events["date_precision"] == "day"
                ).min(),
                says="You skipped an event dated only to the month (or started from the IRGC designation "
                "of 03.3). An event known to the month counts too, on the 1st of its month.",
            ),
            Mistake(
                name="latest",
                answer=lambda: _counter_iran_dates().max(),
                says="That is the latest event tied to confronting Iran. The task asks for the earliest.",
            ),
            Mistake(
                name="counter-isis",
                answer=lambda: (
                    data.events().loc[data.events()["task_id"] == "counter-isis", "date"].min()
                ),
                says="That is the earliest event tied to countering ISIS. The task asks about confronting "
                "Iranian influence, task_id 'counter-iran'.",
            ),
        ),
        success="The public record has US moves against Iran's allies (terrorist designations) in spring 2019, "
        "months before the paper's earliest evidence (the strikes of December 2019): the task was "
        "under way before the paper dates it.",
        skill="pandas: filter and min",
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
            ".str.contains on the target column (with case=False) finds the name inside longer text; then "
            ".nunique on the incident_id of those rows counts strikes, not reports.",
            "on_kh = strikes[strikes['target'].str.contains('Kataib Hezbollah', case=False)]; "
            "answer = on_kh['incident_id'].nunique()",
        ),
        mistakes=(
            Mistake(
                name="reports-not-strikes",
                answer=lambda: len(_kh_in_target("Kataib Hezbollah")),
                says="You counted reports (rows), not strikes: one strike told by three sources is three "
                "rows. Count the different incident_id values of the rows you kept.",
            ),
            Mistake(
                name="exact-match",
                answer=lambda: _kh_in_target("Kataib Hezbollah", exact=True)[
                    "incident_id"
                ].nunique(),
                says="You kept only the targets that are exactly 'Kataib Hezbollah'. Some targets name the "
                "group inside a longer text (its facilities, a commander): look for the name anywhere in "
                "the text.",
            ),
            Mistake(
                name="exact-match-reports",
                answer=lambda: len(_kh_in_target("Kataib Hezbollah", exact=True)),
                says="You kept only the targets that are exactly 'Kataib Hezbollah', and counted rows. "
                "Look for the name anywhere in the text, and count strikes (incident_id values), not "
                "reports.",
            ),
            Mistake(
                name="al-muhandis",
                answer=lambda: _kh_in_target("Kataib Hezbollah|al-Muhandis")[
                    "incident_id"
                ].nunique(),
                says="You counted the strike that killed al-Muhandis too. The task counts what the target "
                "text says, and that target names Soleimani and al-Muhandis, not the group.",
            ),
        ),
        success="Matching a name inside longer text, then counting incidents rather than reports, gives the "
        "number of strikes; counting rows would count the same strike up to three times. A text match "
        "counts only what the text says: the strike of 3 January 2020 also killed Abu Mahdi "
        "al-Muhandis, whom the glossary calls closely linked to Kataib Hezbollah, but its target names "
        "Soleimani and al-Muhandis, not the group.",
        skill="cleaning: text matching",
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
            "columns), from any source, and compare the two columns year by year: the first year in which "
            "the rows tied to Iran are more than those tied to ISIS (a tie is not more).",
            "The table of your chart (pd.crosstab of the year and task_id) has one column per task: compare "
            "the 'counter-iran' column with the 'counter-isis' column with >, keep the rows where it is "
            "True, and take the smallest year of the index with .min().",
            "tagged = events[events['task_id'].isin(['counter-isis', 'counter-iran'])]; "
            "per_year = pd.crosstab(tagged['date'].dt.year, tagged['task_id']); "
            "answer = per_year[per_year['counter-iran'] > per_year['counter-isis']].index.min()",
        ),
        mistakes=(
            Mistake(
                name="isis-outnumbers-iran",
                answer=lambda: int(
                    _rows_per_year()
                    .loc[lambda t: t["counter-isis"] > t["counter-iran"]]
                    .index.min()
                ),
                says="That is the first year ISIS outnumbers Iran. The task asks the reverse: the first "
                "year the rows tied to confronting Iran are more than those tied to ISIS.",
            ),
            Mistake(
                name="a-tie-counts",
                answer=lambda: int(
                    _rows_per_year(every_year=True)
                    .loc[lambda t: t["counter-iran"] >= t["counter-isis"]]
                    .index.min()
                ),
                says="In that year the two tasks are level (both have no rows). To outnumber is to have "
                "more rows, not as many: a tie does not count.",
            ),
            Mistake(
                name="last-year",
                answer=lambda: int(
                    _rows_per_year()
                    .loc[lambda t: t["counter-iran"] > t["counter-isis"]]
                    .index.max()
                ),
                says="That is the last year the rows tied to Iran outnumber those tied to ISIS. The task "
                "asks for the first.",
            ),
            Mistake(
                name="paper-only",
                answer=lambda: int(
                    _rows_per_year(lambda events: events["source_id"] == "paper")
                    .loc[lambda t: t["counter-iran"] > t["counter-isis"]]
                    .index.min()
                ),
                says="You counted only the paper's rows. The chart counts every row tied to the two "
                "tasks, from the public record too.",
            ),
        ),
        success="The evidence tied to Iran overtakes the evidence tied to ISIS just before the paper was written: "
        "the shift the paper describes is visible in the timeline (remember these are reports, not events).",
        skill="charts: grouped bars",
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
            "The table of deadly attacks (tasks.answers_to_deadly_attacks) gives the next US move after each "
            "attack with US deaths, and its 'days later' column; the first rows of the escalation table "
            "(tasks.escalation) show the US moves of spring 2019.",
            "moves = events[events['task_id'] == 'counter-iran'].sort_values('date'); compare the dates of "
            "moves with the 'attack' and 'next US move' columns of "
            "tasks.answers_to_deadly_attacks('2019-01-01', '2020-03-31')",
        ),
        mistakes=(
            Mistake(
                name="only-a-goal",
                answer=lambda: "A",
                says="That is how the paper frames it, a task the Trump administration chose. But look at "
                "when the strikes on Kataib Hezbollah came, counted from the deadly attacks on US forces.",
            ),
            Mistake(
                name="only-a-consequence",
                answer=lambda: "B",
                says="That is the Pentagon's word, a 'response', and it fits the strikes after the deadly "
                "attacks. But not every US move came after an attack: look at spring 2019.",
            ),
        ),
        success="Timelines can show what came first, not what anyone intended: both readings have evidence, and "
        "each side stresses the one that suits it.",
        skill="interpretation",
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
        mistakes=(
            Mistake(
                name="rows-not-tasks",
                answer=lambda: int(data.events()["task_id"].notna().sum()),
                says="You counted the rows that name a task, not the tasks. Count how many different "
                "tasks those rows name.",
            ),
            Mistake(
                name="every-task",
                answer=lambda: len(data.tasks()),
                says="That is the number of tasks the paper names. The question asks how many of them "
                "have at least one dated event in the events table.",
            ),
        ),
        success="Three of the five tasks rest on argument and citation alone: the paper gives no dated example "
        "for them, and the module found none to tie to them either.",
        skill="reading a table",
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
        mistakes=(
            Mistake(
                name="the-authors",
                answer=lambda: "D",
                says="The sentence is in the paper, but the paper reports an argument there, it does not "
                "make it: the citation after the sentence names whose argument it is.",
            ),
        ),
        success="The paper reports a US policy argument, made days after the killing of Soleimani, when Iraq's "
        "parliament had just voted for foreign forces to leave. Knowing who argues helps weigh the claim.",
        skill="source criticism",
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
        xlabel=("year",),
        ylabel=("rows in the events table",),
        hints=(
            "Grouped bars compare two series year by year: count the rows per year and per task, keep "
            "every year (the empty ones as 0, so the gaps show), and stand the two series side by side, "
            "each with its own hatch.",
            "pd.crosstab counts the pairs of year and task_id; .reindex adds the empty years as rows of "
            "zeros; ax.bar draws one series, shifted left or right by half a bar's width, with hatch= and "
            "label=; then ax.legend.",
            "tagged = events[events['task_id'].isin(['counter-isis', 'counter-iran'])]; "
            "per_year = pd.crosstab(tagged['date'].dt.year, tagged['task_id']); per_year = per_year.reindex("
            "range(per_year.index.min(), per_year.index.max() + 1), fill_value=0); "
            "for i, task in enumerate(per_year.columns): ax.bar(per_year.index + (i - 0.5) * 0.4, "
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
