"""Quick questions of notebook 00 (start here)."""

from ... import data
from ..kinds import Choice, Number
from ..registry import register

register(
    Choice(
        id="00.q1",
        title="Which of these is NOT one of the paper's three research questions?",
        options={
            "A": "How did the US military presence in Iraq emerge and develop?",
            "B": "What are its tasks and goals?",
            "C": "What challenges does it face in Iraq?",
            "D": "How many US soldiers have served in Iraq since 2003?",
        },
        expected=lambda: "D",
        hints=(
            "Reread the three questions in the section 'The paper' above.",
            "Three options are the paper's questions word for word; one asks for a number the paper never gives.",
        ),
        success="The paper asks how the presence began and changed, what it is for, and what stands in its way: "
        "the module follows the same three questions.",
    ),
    Number(
        id="00.q2",
        title="How many different attacks does the attacks table describe?",
        expected=lambda: data.attacks()["incident_id"].nunique(),
        tolerance=0,
        minimum=0,
        unit="attacks",
        hints=(
            "One attack can be reported by several sources; which column groups the reports of one attack?",
            "Count the different values of the incident_id column, not the rows: the attack on K1 of "
            "27 December 2019, told by three sources, counts once.",
        ),
        success="A table of reports is not a table of events: several sources often describe one attack, "
        "and counting rows would count it several times.",
    ),
)
