"""Exercises (02.1-02.6; 02.7 is a written answer) and quick questions (02.q1-02.q3) of notebook 02 · The bases."""

import re
from dataclasses import dataclass

from ... import bases, challenges, data
from ..charts import ChartSpec
from ..kinds import Choice, Number, Sequence, Table, Text
from ..registry import register
from ..words import Invalid, show
from ..written import Comparison, Written

# Words that name the kind of place, not the place: 'K1 Air Base', 'K-1' and 'Base K1' are one base.
GENERIC_WORDS = {"al", "air", "base", "airbase", "force", "camp", "airfield", "military", "the"}


def names_of(base_id: str) -> list[str]:
    """Every name bases.csv lists for a base: its id, its name and the place in its brackets, short name, spellings."""
    row = data.bases().set_index("base_id").loc[base_id]
    names = [base_id, row["name"], bases.SHORT_NAMES.get(base_id, row["name"])]
    names += re.findall(r"\(([^)]*)\)", row["name"])
    return names + str(row["spellings"]).split(";")


def base_key(name: str) -> str:
    """A base name without case, punctuation or words like 'Air Base' and 'al-': 'K-1 Air Base' -> 'k1'."""
    words = re.sub(r"[^0-9a-z]+", " ", name.casefold()).split()
    kept = [w for w in words if w not in GENERIC_WORDS]
    return "".join(kept or words)


def _incidents_per_base():
    return challenges.incidents().groupby("base_id").size()


def _spellings_per_paper_base():
    b = data.bases()
    b = b[b["in_paper"].fillna(False)].set_index("base_id")
    return b["spellings"].str.split(";").str.len()


def _paper_three_days_early():
    c = bases.handover_comparison()
    return names_of(c.loc[c["paper minus record (days)"] == -3, "base_id"].iloc[0])


def _miles_baghdad_ain_al_asad():
    return bases.distance_km("ain-al-asad", "baghdad") / bases.KM_PER_MILE


def _handed_over_nearest_baghdad():
    b = data.bases()
    handed = b.loc[b["handover_date"].notna() & b["lat"].notna(), "base_id"]
    nearest = min(handed, key=lambda base_id: bases.distance_km(base_id, "baghdad"))
    return names_of(nearest)


def _handovers_in_record_order():
    b = data.bases()
    return list(b[b["handover_date"].notna()].sort_values("handover_date")["name"])


def base_of_name() -> dict[str, str | None]:
    """Each base name's key (see :func:`base_key`) and its base_id; None for a key two bases share."""
    owner: dict[str, str | None] = {}
    for base_id in data.bases()["base_id"]:
        for name in names_of(base_id):
            key = base_key(name)
            owner[key] = base_id if owner.get(key, base_id) == base_id else None
    return owner


@dataclass
class BaseOrder(Sequence):
    """A list of bases in order, each written with any name the notebook shows for it.

    'al-Qaim', 'Al-Qaim base' and 'al-qaim' are one base (full name, short name,
    base_id, spelling), so the check compares base_ids. A name that is no base's
    is named in the message, so the student fixes the name instead of doubting
    the order.
    """

    def coerce(self, answer):
        typed = super().coerce(answer)  # a list of texts, each in once
        owner = base_of_name()
        ids = []
        for original, item in zip(list(answer), typed):
            base_id = owner.get(base_key(item))
            if base_id is None:
                raise Invalid(
                    f"{show(original)} is not a name of a base in data.bases(). Write each base as "
                    "the notebook does: its name, its short name (bases.SHORT_NAMES) or its base_id."
                )
            if base_id in ids:
                raise Invalid(
                    f"{show(original)} names a base that is already in your list; each base goes in once."
                )
            ids.append(base_id)
        return ids

    def judge(self, answer):
        given = self.coerce(answer)
        owner = base_of_name()
        expected = [owner[base_key(name)] for name in self.expected()]
        other = [base_id for base_id in given if base_id not in expected]
        if other:
            name = data.bases().set_index("base_id").loc[other[0], "name"]
            more = f" (and {len(other) - 1} more)" if len(other) > 1 else ""
            return "wrong", f"{name}{more} was not handed over in March-April 2020."
        if len(given) != len(expected):
            return "wrong", f"Your list has {len(given)} of the {len(expected)} bases handed over."
        if given != expected:
            right = sum(a == b for a, b in zip(given, expected))
            return (
                "wrong",
                f"The right bases, but only {right} of {len(expected)} are in the right place.",
            )
        return "correct", ""


register(
    # --- exercises -----------------------------------------------------------------
    Table(
        id="02.1",
        title="Attacks (incidents) per base",
        expected=_incidents_per_base,
        hints=(
            "Start from incidents() (one row per attack, not per report) and count the rows "
            "for each value of base_id; attacks that struck no base are left out.",
            "incidents().groupby('base_id').size() or ...['base_id'].value_counts() gives a "
            "Series indexed by base_id.",
        ),
        success="Counting incidents, not reports, stops an attack told by three sources from counting three "
        "times. Ain al-Asad, the base the paper calls the most important, was also the most attacked.",
        skill="pandas: groupby and count",
        minutes=6,
        section="§2, §4",
    ),
    BaseOrder(
        id="02.2",
        title="Order the 2020 handovers by the record's dates",
        expected=_handovers_in_record_order,
        ordered=True,
        hints=(
            "Use the record's dates (the handover_date column of data.bases()), not the paper's.",
            "Sort the bases that have a handover_date with .sort_values('handover_date'): the first "
            "is on the Syrian border, the last is in Anbar near Baghdad.",
        ),
        success="In the record: al-Qaim, Qayyarah, K1, the Mosul palaces, then al-Taqaddum, all within a few "
        "weeks. The paper has K1 before Qayyarah, and does not name al-Taqaddum.",
        skill="reading a timeline",
        minutes=4,
        section="§2",
    ),
    Table(
        id="02.3",
        title="Join messy base names to the bases table",
        expected=_spellings_per_paper_base,
        hints=(
            "Make both sides look alike before you join: the same case, no extra spaces and hyphens "
            "treated like spaces. Do it to the messy names AND to the spellings of the lookup table.",
            "Build a key with .str.strip().str.casefold().str.replace('-', ' ') on both columns, "
            ".merge() on that key, then .groupby('base_id').size().",
        ),
        success="Every messy name found its base. Cleaning both sides to one form before a join is the "
        "everyday work behind any table that combines sources.",
        skill="cleaning: strings and merge",
        minutes=15,
        section="§2",
    ),
    Text(
        id="02.4",
        title="Which base does the paper date three days too early?",
        expected=_paper_three_days_early,
        example="taji",
        normalise=base_key,
        hints=(
            "Put the paper's handover rows and the record's handover rows side by side for each base and "
            "subtract: the paper's date minus the record's. A negative number means the paper's date is too early.",
            "Filter the handover events into a paper table and a record table, .merge() them on "
            "base_id, and look for a difference of -3 days (paper minus record).",
        ),
        success="The paper's dates for K1 and Qayyarah are swapped: each base gets the other's date. A small "
        "slip, but one only a second source can catch.",
        skill="checking a source",
        minutes=17,
        section="§2",
    ),
    Number(
        id="02.5",
        title="Great-circle distance from Baghdad to Ain al-Asad, in miles",
        expected=_miles_baghdad_ain_al_asad,
        tolerance=2,
        unit="miles",
        minimum=0,
        hints=(
            "Take the latitude and longitude of Baghdad from data.places() and of Ain al-Asad from "
            "data.bases(); the haversine formula in the task gives km; divide by 1.609344 for miles.",
            "Compare your km with bases.distance_km('ain-al-asad', 'baghdad'), which does the same sum; "
            "if they differ, check that you turned degrees into radians (np.radians) before sin and cos, "
            "and that you divided (not multiplied) by 1.609344.",
        ),
        success="The coordinates give a more exact straight line than any report. The paper's 'about 100 miles' "
        "is a round number, like the public reports' 'about 100' and 'about 110': at the precision it "
        "is given, it agrees with them (claim C35). Part 2 asks what that precision is worth.",
        skill="computation with coordinates",
        minutes=15,
        section="§2",
    ),
    Text(
        id="02.6",
        title="Which base handed over in 2020 is nearest to Baghdad?",
        expected=_handed_over_nearest_baghdad,
        example="balad",
        normalise=base_key,
        hints=(
            "Draw the bases with a handover date on the map as specified and look at which one sits "
            "closest to the square that marks Baghdad.",
            "Check your reading by computing bases.distance_km(base_id, 'baghdad') for each base with "
            "a handover_date, then take the smallest.",
        ),
        success="Al-Taqaddum, the base nearest the capital among those handed over, is missing from the "
        "paper's list: a map of the record shows what a list of names can hide.",
        skill="map to a specification",
        minutes=18,
        section="§2",
    ),
    # --- quick questions -------------------------------------------------------------
    Choice(
        id="02.q1",
        title="Which base is the paper's 'silk base' in Arbil?",
        options={
            "A": "Ain al-Asad Air Base",
            "B": "Harir Air Base",
            "C": "Erbil air base (Erbil airport)",
            "D": "US base in Halabja",
        },
        expected=lambda: "B",
        hints=(
            "The paper translated an Arabic place name word for word.",
            "Look for 'silk base' in the spellings column of data.bases().",
        ),
        success="Harir means silk in Arabic: a name translated instead of transliterated, which no join on "
        "names would catch without a list of spellings.",
        skill="reading",
        minutes=1,
        section="§2",
    ),
    Choice(
        id="02.q2",
        title="Why, according to the paper, did US forces hand over bases in March-April 2020?",
        options={
            "A": "Iraq's parliament had ordered them out of those bases",
            "B": "The COVID-19 epidemic, and to be better protected from attacks by Iran's allies in fewer bases",
            "C": "ISIS had been defeated, so the bases were no longer needed",
            "D": "The bases were handed to a NATO mission",
        },
        expected=lambda: "B",
        hints=(
            "Reread the paragraph of §2 that follows the list of bases.",
            "The paper quotes US officials and names two reasons: a disease and a threat.",
        ),
        success="The paper gives the reasons US officials gave. The coalition's own statements stressed "
        "Iraqi progress against ISIS instead, and Iraqi politics pushed too: reasons depend on who "
        "is speaking.",
        skill="reading",
        minutes=1,
        section="§2",
    ),
    Choice(
        id="02.q3",
        title="Where, according to the public record, did President Obama visit US troops in April 2009?",
        options={
            "A": "Ain al-Asad Air Base, Anbar",
            "B": "Camp Victory, Baghdad airport",
            "C": "Balad Air Base",
            "D": "Harir Air Base",
        },
        expected=lambda: "B",
        hints=(
            "The paper says Ain al-Asad; the question asks what the record says.",
            "Look at the rows of data.events() whose event mentions Obama in 2009.",
        ),
        success="The record places Obama's 2009 visit at Camp Victory, Baghdad airport: the paper's list of "
        "presidents who visited Ain al-Asad is one visit too long.",
        skill="checking a source",
        minutes=1,
        section="§2",
    ),
)

register(
    Written(
        id="02.7",
        title="Interpretation: why fewer, larger bases?",
        minutes=15,
        checklist=(
            "names the two reasons the paper reports (the epidemic; protection from attacks by Iran's allies) and "
            "says they are US officials' reasons;",
            "explains why fewer bases are easier to protect (fewer perimeters and convoys; air defences cover only "
            "a few sites);",
            "adds at least one reason another voice gives, and names that voice: the coalition (progress against "
            "ISIS, in the title of the Military Times report behind E095), Al-Hashimi (2020: the political "
            "escalation and the virus), or the Iraqi parliament's vote (E073-E075);",
            "names at least one cost of concentrating (less reach to train and advise, bigger targets);",
            "cites at least two dated events of January-March 2020 from data.events() by their event_id.",
        ),
    )
)


def _handed_over_labels() -> dict[str, list]:
    """The short name and handover date the map of 02.6 should write beside each of its bases."""
    b = data.bases()
    handed = b[b["handover_date"].notna() & b["lat"].notna()]
    return {
        "labels": [
            (bases.SHORT_NAMES.get(row.base_id, row.base_id), row.handover_date)
            for row in handed.itertuples()
        ]
    }


def _handed_over_places() -> int:
    """The places 02.6's map may label: its bases and the capital."""
    b = data.bases()
    return int((b["handover_date"].notna() & b["lat"].notna()).sum()) + 1


register(
    ChartSpec(
        id="02.6",
        kind="map",
        expected=_handed_over_labels,
        most_labels=_handed_over_places(),
        hints=(
            "Draw the map with bases.draw_map(ax, handed, capital, data.map_outline(), labels=False), then label "
            "each handed-over base with its short name and date using ax.annotate(...).",
            'for row in handed.itertuples(): ax.annotate(f"{bases.SHORT_NAMES[row.base_id]}, '
            "{row.handover_date:%d %b}\", (row.lon, row.lat), xytext=(0, 12), textcoords='offset points'); "
            "then the legend the task gives, ax.legend(handles=bases.map_legend_handles(cities=False), ...).",
        ),
        success="Every base handed over carries its name and date, so the order of the handovers can be read "
        "from the map itself.",
    )
)


register(
    Comparison(
        id="02.4",
        question="For the handover of K1, which date would you put in a timeline of the 2020 handovers: the paper's or "
        "the record's? Defend your choice in two or three sentences.",
        rubric="chooses the date of a source close to the event (the coalition's announcement, or the Iraqi "
        "command's, which agree on 29 March) and says why; notices that the paper has swapped the dates of K1 "
        "and Qayyarah rather than misdating one.",
    )
)
