"""Exercises (02.1-02.6; 02.7 is a written answer) and quick questions (02.q1-02.q3) of notebook 02 · The bases."""

import numpy as np
import pandas as pd

from ... import bases, challenges, data
from ..charts import ChartSpec
from ..kinds import Choice, Mistake, Number, Table, Text
from ..registry import register
from ..special import BaseOrder, JoinedRows
from ..written import Comparison, Written


def _incidents_per_base():
    return challenges.incidents().groupby("base_id").size()


def _spellings_per_paper_base():
    b = data.bases()
    b = b[b["in_paper"].fillna(False)].set_index("base_id")
    return b["spellings"].str.split(";").str.len()


def messy_names() -> pd.DataFrame:
    """The messy names of 02.3 as the notebook builds them, each with the base it names."""
    paper = data.bases()[data.bases()["in_paper"].fillna(False)]
    spelling = paper.assign(spelling=paper["spellings"].str.split(";")).explode("spelling")
    return pd.DataFrame(
        {
            "name as typed": spelling["spelling"].str.upper().str.replace("-", " ") + " ",
            "base_id": spelling["base_id"],
        }
    ).reset_index(drop=True)


def _paper_three_days_early():
    c = bases.handover_comparison()
    return bases.names_of(c.loc[c["paper minus record (days)"] == -3, "base_id"].iloc[0])


def _miles_baghdad_ain_al_asad():
    return bases.distance_km("ain-al-asad", "baghdad") / bases.KM_PER_MILE


def _handed_over_nearest_baghdad():
    b = data.bases()
    handed = b.loc[b["handover_date"].notna() & b["lat"].notna(), "base_id"]
    nearest = min(handed, key=lambda base_id: bases.distance_km(base_id, "baghdad"))
    return bases.names_of(nearest)


def _handovers_in_record_order():
    b = data.bases()
    return list(b[b["handover_date"].notna()].sort_values("handover_date")["name"])


# --- the wrong answers students give (declared mistakes) -----------------------------


def _reports_per_base():
    """02.1 counted on the attacks table: one row per report, so an attack told three times counts three."""
    return data.attacks().groupby("base_id").size()


def _munitions_per_base():
    """02.1 as the rockets and shells fired at each base (munitions_low added up), not the attacks."""
    return challenges.incidents().groupby("base_id")["munitions_low"].sum()


def _known_munitions_per_base():
    """02.1 counted with .count() on a column with empty cells: only the attacks whose munitions are known."""
    return challenges.incidents().groupby("base_id")["munitions_low"].count()


def _handovers_in_paper_order():
    """02.2 by the paper's dates (K1 before Qayyarah); al-Taqaddum, which the paper does not date, last."""
    c = bases.handover_comparison().drop_duplicates("base_id")
    return list(c.sort_values("date (paper)", na_position="last", kind="stable")["base"])


def _handovers_latest_first():
    """02.2 in the record's order, but the latest handover first."""
    return _handovers_in_record_order()[::-1]


def _tidy(names: pd.Series) -> pd.Series:
    """What 02.3 asks to do to both sides: no spaces at the ends, lower case, hyphens as spaces."""
    return names.str.strip().str.casefold().str.replace("-", " ")


def _untidy_case(names: pd.Series) -> pd.Series:
    """02.3's cleaning without .casefold(): the capitals stay."""
    return names.str.strip().str.replace("-", " ")


def _messy_per_base(clean_messy=_tidy, clean_lookup=_tidy, every_base=False) -> pd.Series:
    """02.3 as the notebook builds it: the messy names joined to the spellings, counted per base_id.

    ``clean_messy`` and ``clean_lookup`` say how each side is cleaned; ``every_base``
    counts the lookup's spellings of every base instead of the messy names.
    """
    b = data.bases()
    lookup = b[["base_id"]].assign(spelling=b["spellings"].str.split(";")).explode("spelling")
    if every_base:
        return lookup.groupby("base_id").size()
    typed = b.loc[b["in_paper"].fillna(False), "spellings"].str.split(";").explode()
    messy = pd.DataFrame({"key": clean_messy(typed.str.upper().str.replace("-", " ") + " ")})
    lookup["key"] = clean_lookup(lookup["spelling"])
    return messy.merge(lookup[["key", "base_id"]], on="key").groupby("base_id").size()


def _paper_three_days_late():
    """02.4's other half of the swap: the base the paper dates three days too late (+3)."""
    c = bases.handover_comparison()
    return c.loc[c["paper minus record (days)"] == 3, "base_id"].iloc[0]


def _first_handed_over_in_paper():
    """02.4 answered with the base the paper dates earliest, not the one it dates too early."""
    return bases.handover_comparison().sort_values("date (paper)")["base_id"].iloc[0]


def _baghdad_ain_al_asad(as_radians=True):
    """The haversine sum of 02.5, in km; ``as_radians=False`` feeds the degrees to sin and cos."""
    baghdad = data.places().set_index("place_id").loc["baghdad"]
    base = data.bases().set_index("base_id").loc["ain-al-asad"]
    angles = [float(baghdad["lat"]), float(baghdad["lon"]), float(base["lat"]), float(base["lon"])]
    lat1, lon1, lat2, lon2 = np.radians(angles) if as_radians else angles
    a = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return float(2 * bases.EARTH_RADIUS_KM * np.arcsin(np.sqrt(a)))


def _by_distance_from_baghdad(handed_over_only=True) -> list[str]:
    """The base_ids of the located bases (02.6: only those handed over), nearest Baghdad first."""
    b = data.bases()
    keep = b["lat"].notna() & (b["handover_date"].notna() if handed_over_only else True)
    return sorted(b.loc[keep, "base_id"], key=lambda base_id: bases.distance_km(base_id, "baghdad"))


register(
    # --- exercises -----------------------------------------------------------------
    Table(
        id="02.1",
        title="Attacks (incidents) per base",
        expected=_incidents_per_base,
        hints=(
            "Count attacks, not reports: one attack told by three sources is three rows of the attacks "
            "table but one row of incidents(). Count the rows of incidents() for each base; the attacks "
            "that struck no base are left out.",
            "groupby on the base_id column of incidents(), then .size(), as in the toolbox "
            "(.value_counts on base_id gives the same counts); both leave out the empty base_id.",
            "answer = incidents().groupby('base_id').size()",
        ),
        mistakes=(
            Mistake(
                name="reports-not-incidents",
                answer=_reports_per_base,
                says="You counted reports, not attacks: the attacks table has one row per report, so an "
                "attack told by three sources counts three times. Count the rows of incidents() instead, "
                "one per attack.",
            ),
            Mistake(
                name="munitions-not-attacks",
                answer=_munitions_per_base,
                says="You added up the rockets and shells fired (munitions_low), not the attacks: one "
                "attack with ten rockets is still one attack. Count the rows of incidents() for each base.",
            ),
            Mistake(
                name="known-munitions-only",
                answer=_known_munitions_per_base,
                says="You counted the filled cells of the munitions_low column, which is empty for the "
                "attacks whose rockets nobody counted. Count every row of incidents() for each base, "
                "whatever its cells hold.",
            ),
        ),
        success="Counting incidents, not reports, stops an attack told by three sources from counting three "
        "times. Ain al-Asad, the base the paper calls the most important, was also the most attacked.",
        skill="pandas: groupby and count",
        section="§2, §4",
    ),
    BaseOrder(
        id="02.2",
        title="Order the 2020 handovers by the record's dates",
        expected=_handovers_in_record_order,
        ordered=True,
        hints=(
            "The order comes from the public record's dates, the handover_date column of data.bases(), "
            "earliest first; not from the paper's dates or the order of its list, which differ.",
            "Take the bases that have a handover_date (handed_over, printed above), sort them with "
            ".sort_values on handover_date (earliest first is its default) and read the name column "
            "from top to bottom.",
            "answer = list(handed_over.sort_values('handover_date')['name'])",
        ),
        mistakes=(
            Mistake(
                name="paper-order",
                answer=_handovers_in_paper_order,
                says="That is the order of the paper's dates, and the paper has swapped the dates of two "
                "bases. The task asks for the public record's dates: the handover_date column of "
                "data.bases().",
            ),
            Mistake(
                name="latest-first",
                answer=_handovers_latest_first,
                says="Your list runs backwards: it starts with the last handover. Put the earliest "
                "handover_date first.",
            ),
        ),
        success="In the record: al-Qaim, Qayyarah, K1, the Mosul palaces, then al-Taqaddum, all within a few "
        "weeks. The paper has K1 before Qayyarah, and does not name al-Taqaddum.",
        skill="reading a timeline",
        section="§2",
    ),
    Table(
        id="02.3",
        title="Join messy base names to the bases table",
        expected=_spellings_per_paper_base,
        rows=JoinedRows(wanted=messy_names, key="name as typed", found="base_id"),
        hints=(
            "A join pairs two names only when they are written exactly alike, so write both sides in one "
            "form before you join: the messy names AND the spellings of the lookup table (the same case, "
            "no spaces at the ends, hyphens as spaces). Then check that no messy name is left without a "
            "base, and count the messy names per base.",
            "For the lookup, .str.split the spellings at ';' and .explode them; give both tables a key "
            "column made with .str.strip, .str.casefold and .str.replace; .merge them on key (how='left' "
            "keeps the names that found no base, for .isna to count), then groupby on base_id and .size().",
            "lookup = data.bases().assign(spelling=data.bases()['spellings'].str.split(';'))"
            ".explode('spelling'); lookup['key'] = lookup['spelling'].str.strip().str.casefold()"
            ".str.replace('-', ' '); messy['key'] = messy['name as typed'].str.strip().str.casefold()"
            ".str.replace('-', ' '); joined = messy.merge(lookup[['key', 'base_id']], on='key', "
            "how='left'); answer = joined.groupby('base_id').size()",
        ),
        mistakes=(
            Mistake(
                name="nothing-joined",
                answer=lambda: _messy_per_base(_untidy_case, _untidy_case),
                says="No messy name found its base: the two sides are still written differently, the "
                "messy names in capitals, the spellings not. Make both lower case (and strip the spaces "
                "at the ends) before you join.",
            ),
            Mistake(
                name="only-messy-cleaned",
                answer=lambda: _messy_per_base(clean_lookup=lambda names: names),
                says="Almost no messy name found its base: you cleaned the messy names but not the "
                "spellings of the lookup table, which keep their capitals and hyphens. Clean both sides "
                "the same way.",
            ),
            Mistake(
                name="hyphens-kept-in-lookup",
                answer=lambda: _messy_per_base(
                    clean_lookup=lambda names: names.str.strip().str.casefold()
                ),
                says="A third of the messy names found no base, and your counts are short: the messy "
                "names write hyphens as spaces, but the lookup's spellings keep theirs. Turn the hyphens "
                "into spaces on both sides.",
            ),
            Mistake(
                name="every-base-spelling",
                answer=lambda: _messy_per_base(every_base=True),
                says="You counted the spellings of every base in data.bases(), not the messy names: the "
                "messy list holds only the spellings of the paper's bases. Join the messy names to the "
                "lookup and count the joined rows per base.",
            ),
        ),
        success="Every messy name found its base. Cleaning both sides to one form before a join is the "
        "everyday work behind any table that combines sources.",
        skill="cleaning: strings and merge",
        section="§2",
    ),
    Text(
        id="02.4",
        title="Which base does the paper date three days too early?",
        expected=_paper_three_days_early,
        example="taji",
        normalise=bases.normalise,
        hints=(
            "Put each base's date in the paper beside its date in the record and subtract: the paper's "
            "date minus the record's. A negative difference means the paper's date comes before the "
            "record's (too early); look for a difference of exactly three days.",
            "Split handover on source_id into the paper's rows and the record's rows, .merge them on "
            "base_id with suffixes=, subtract the two date columns and take .dt.days, then keep the "
            "row whose difference is -3 and read its base_id.",
            "side_by_side = handover[handover['source_id'] == 'paper'].merge(handover[handover['source_id'] "
            "!= 'paper'], on='base_id', suffixes=(' paper', ' record')); answer = side_by_side.loc[(side_by_side"
            "['date paper'] - side_by_side['date record']).dt.days == -3, 'base_id'].iloc[0]",
        ),
        mistakes=(
            Mistake(
                name="paper-three-days-late",
                answer=_paper_three_days_late,
                says="The paper dates that base three days too late, not too early: a difference of +3. "
                "You may have subtracted the other way round, or taken the largest difference whatever "
                "its sign; the task asks for paper minus record equal to -3.",
            ),
            Mistake(
                name="first-handover",
                answer=_first_handed_over_in_paper,
                says="That is the base handed over first (and the first row of the table), not the one "
                "dated too early. Compare each base's two dates, the paper's minus the record's, and "
                "look for -3 days.",
            ),
        ),
        success="The paper's dates for K1 and Qayyarah are swapped: each base gets the other's date. A small "
        "slip, but one only a second source can catch.",
        skill="checking a source",
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
            "The haversine formula works on angles in radians and gives kilometres: take the latitude and "
            "longitude of Baghdad (in data.places) and of Ain al-Asad (in data.bases), turn them from "
            "degrees into radians, do the sum, then divide the km by 1.609344, the km in one mile.",
            "Pick each row with .set_index and .loc, convert its lat and lon with np.radians, write the "
            "formula with np.sin, np.cos, np.arcsin and np.sqrt and bases.EARTH_RADIUS_KM, divide by "
            "bases.KM_PER_MILE; your km should match what bases.distance_km gives.",
            "baghdad = data.places().set_index('place_id').loc['baghdad']; base = data.bases()"
            ".set_index('base_id').loc['ain-al-asad']; lat1, lon1, lat2, lon2 = np.radians([float("
            "baghdad['lat']), float(baghdad['lon']), float(base['lat']), float(base['lon'])]); a = "
            "np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2; "
            "answer = 2 * bases.EARTH_RADIUS_KM * np.arcsin(np.sqrt(a)) / bases.KM_PER_MILE",
        ),
        mistakes=(
            Mistake(
                name="km-not-miles",
                answer=lambda: bases.distance_km("ain-al-asad", "baghdad"),
                says="That is the distance in kilometres: the haversine formula gives km. Divide by "
                "1.609344, the km in one mile, for miles.",
            ),
            Mistake(
                name="multiplied-not-divided",
                answer=lambda: bases.distance_km("ain-al-asad", "baghdad") * bases.KM_PER_MILE,
                says="You multiplied the km by 1.609344; a mile is longer than a km, so there are fewer "
                "miles than km: divide instead.",
            ),
            Mistake(
                name="degrees-not-radians",
                answer=lambda: _baghdad_ain_al_asad(as_radians=False) / bases.KM_PER_MILE,
                says="Far too long, more than Iraq is wide: sin and cos read angles in radians, and you "
                "gave them degrees. Turn every latitude and longitude into radians before the formula.",
            ),
        ),
        success="The coordinates give a straight line more exact than any report gives. Set it beside the "
        "paper's 'about 100 miles' and the public reports' figures in part 2, and judge what a round "
        "number is worth.",
        skill="computation with coordinates",
        section="§2",
    ),
    Text(
        id="02.6",
        title="Which base handed over in 2020 is nearest to Baghdad?",
        expected=_handed_over_nearest_baghdad,
        example="balad",
        normalise=bases.normalise,
        hints=(
            "Only the bases handed over in 2020 count (the rows of data.bases() with a handover_date), "
            "and nearest means the shortest straight line to Baghdad: read it from your map, then make "
            "sure with a distance for each of these bases.",
            "Loop over the handed-over rows with .itertuples, give bases.distance_km each row's base_id "
            "and the place_id of Baghdad, keep the distances in a column, and take the base with the "
            "smallest (.sort_values, then the first row).",
            "handed = data.bases().dropna(subset=['handover_date']).copy(); handed['km'] = "
            "[bases.distance_km(row.base_id, 'baghdad') for row in handed.itertuples()]; "
            "answer = handed.sort_values('km')['base_id'].iloc[0]",
        ),
        mistakes=(
            Mistake(
                name="nearest-of-all-bases",
                answer=lambda: _by_distance_from_baghdad(handed_over_only=False)[0],
                says="That base is near Baghdad, but it was not handed over in 2020. Look only at the "
                "bases with a handover_date, the ones on your map.",
            ),
            Mistake(
                name="farthest",
                answer=lambda: _by_distance_from_baghdad()[-1],
                says="That is the handed-over base farthest from Baghdad. The task asks for the nearest: "
                "the smallest distance, not the largest.",
            ),
        ),
        success="Al-Taqaddum, the base nearest the capital among those handed over, is missing from the "
        "paper's list: a map of the record shows what a list of names can hide.",
        skill="map to a specification",
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
        section="§2",
    ),
)

register(
    Written(
        id="02.7",
        title="Interpretation: why fewer, larger bases?",
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
    """What the map of 02.6 should show: a label (short name and handover date) and a marker for
    each base handed over, and no marker for the other bases."""
    b = data.bases()
    located = b[b["lat"].notna()]
    handed = located[located["handover_date"].notna()]
    places = [(row.lon, row.lat) for row in handed.itertuples()]
    others = [(row.lon, row.lat) for row in located[located["handover_date"].isna()].itertuples()]
    return {
        "labels": [
            (bases.SHORT_NAMES.get(row.base_id, row.base_id), row.handover_date)
            for row in handed.itertuples()
        ],
        "places": places,
        "not_places": [p for p in others if p not in places],
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
        xlabel=("longitude", "degrees east", "°e"),
        ylabel=("latitude", "degrees north", "°n"),
        most_labels=_handed_over_places(),
        hints=(
            "A map to a specification marks only the places it names (the bases handed over in 2020, "
            "and the capital for orientation) and labels each base with its name and its own date.",
            "Keep the rows of data.bases() that have a handover_date (.dropna with subset), draw them "
            "with bases.draw_map and labels=False, then label each row with ax.annotate in a loop over "
            ".itertuples, the date written as %d %b.",
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
