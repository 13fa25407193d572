"""The bases of the paper's section 2: names, map, the 2020 handovers, the explorer.

Three problems meet anyone who works with these bases, and each has a function here:

- one base has many names (``Ein Al-Asaad``, ``Al Asad Air Base``, ``silk base``
  for Harir...), so tables only join after the names are mapped to one id:
  :func:`base_id_for`;
- the paper and the public record date the 2020 handovers differently, so both
  are kept side by side: :func:`handovers`;
- a reader wants one base at a time (what the paper says, where it is, what
  struck it): :func:`base_card` and :func:`attack_counts`.

The map is drawn with matplotlib alone from ``data/map_outline.csv`` (Natural
Earth, public domain) and ``data/places.csv``: no download, no GIS library.
"""

from __future__ import annotations

import html
import math
import re

import pandas as pd
from matplotlib.lines import Line2D

from . import challenges, data, style

# Kilometres in one international mile (a definition, not a figure from a source).
KM_PER_MILE = 1.609344
# Mean radius of the Earth in km, the usual value for great-circle distances.
EARTH_RADIUS_KM = 6371.0

# Words that say what kind of place a name is, not which place: dropped before names are compared.
GENERIC_WORDS = {
    "al",
    "el",
    "the",
    "base",
    "air",
    "airbase",
    "airfield",
    "field",
    "camp",
    "force",
    "military",
    "army",
}

# A short label for every base of bases.csv, made of words from its name or spellings
# (tests check both), so SHORT_NAMES[base_id] works for any base a table holds.
SHORT_NAMES = {
    "ain-al-asad": "Ain al-Asad",
    "balad": "Balad",
    "victory": "Victory",
    "k1": "K1",
    "altun-kupri": "Altun Kupri",
    "qayyarah": "Qayyarah",
    "taji": "Taji",
    "harir": "Harir",
    "sinjar": "Sinjar",
    "halabja": "Halabja",
    "al-qaim": "al-Qaim",
    "mosul-palaces": "Mosul palaces",
    "taqaddum": "Taqaddum",
    "erbil": "Erbil air base",
    "basmaya": "Basmaya",
    "tower-22": "Tower 22",
}

# Where each label sits, in points from its marker (dx, dy): the bases near
# Baghdad, Mosul, Erbil and Kirkuk are close together and need room.
LABEL_OFFSETS = {
    "victory": (4, -16),
    "taji": (-10, 4),
    "balad": (9, 2),
    "taqaddum": (0, -16),
    "mosul-palaces": (0, 14),
    "qayyarah": (-10, -10),
    "erbil": (9, -12),
    "harir": (9, 2),
    "k1": (9, -8),
    "ain-al-asad": (0, 12),
    "al-qaim": (0, 12),
    "sinjar": (0, 12),
    "halabja": (0, -18),
}
CITY_OFFSETS = {
    "baghdad": (9, 0),
    "mosul": (-10, -8),
    "erbil": (-10, 4),
    "kirkuk": (9, 6),
    "ramadi": (-8, 8),
    "tikrit": (9, 0),
    "sulaymaniyah": (8, 0),
}

# Marker per coordinate precision: a triangle for an airfield's own position, a
# hollow circle for "somewhere in or near this town".
PRECISION_MARKERS = {"airfield": "^", "town": "o"}
PAPER_COLOUR, RECORD_COLOUR, HIGHLIGHT_COLOUR = "#0072B2", "#E69F00", "#D55E00"
MAP_SOURCE = (
    "Map: Natural Earth 1:110m (public domain); cities GeoNames (CC BY 4.0); "
    "bases data/bases.csv (airportsdata, GeoNames)"
)
MAP_SOURCE_SHORT = "Natural Earth (public domain); GeoNames; data/bases.csv"


# --- names ---------------------------------------------------------------------------


def normalise(name: str) -> str:
    """A name reduced to its letters and digits, without case, punctuation or words like 'base'.

    'Ein Al-Asaad', 'EIN AL ASAAD' and 'ein al-asaad base' all become 'einasaad'; a name made
    only of such words keeps them ('Air Base' becomes 'airbase').
    """
    words = re.sub(r"[^0-9a-z]+", " ", str(name).casefold()).split()
    return "".join([w for w in words if w not in GENERIC_WORDS] or words)


def names_of(base_id: str) -> list[str]:
    """Every name bases.csv gives a base: its id, its name and the place in its brackets, its
    short name and its spellings."""
    row = data.bases().set_index("base_id").loc[base_id]
    names = [base_id, row["name"], SHORT_NAMES.get(base_id, row["name"])]
    names += re.findall(r"\(([^)]*)\)", row["name"])
    return names + str(row["spellings"]).split(";")


def owners() -> dict[str, str | None]:
    """Each base name's key (``normalise``) and its base_id; None for a key two bases share."""
    owner: dict[str, str | None] = {}
    for base_id in data.bases()["base_id"]:
        for name in names_of(base_id):
            key = normalise(name)
            owner[key] = base_id if owner.get(key, base_id) == base_id else None
    return owner


def spellings_table(bases: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per (base, spelling): the module name, the id and every spelling in the sources."""
    bases = data.bases() if bases is None else bases
    rows = []
    for row in bases.itertuples(index=False):
        names = [row.base_id, row.name] + str(row.spellings).split(";")
        for spelling in dict.fromkeys(n.strip() for n in names if n and n.strip()):
            rows.append({"base_id": row.base_id, "spelling": spelling, "key": normalise(spelling)})
    return pd.DataFrame(rows)


def base_id_for(name, bases: pd.DataFrame | None = None) -> str | None:
    """The base_id for a name as some source spells it, or None if no base has that name.

    Case, punctuation and generic words ('base', 'camp', 'air', 'al') are ignored,
    so 'Ein Al-Asaad', 'AL ASAD AIR BASE' and 'ain-al-asad' all give 'ain-al-asad'.
    A name that could belong to two bases also gives None: better no match than a wrong one.
    """
    if name is None or (isinstance(name, float) and math.isnan(name)):
        return None
    key = normalise(name)
    if not key:
        return None
    table = spellings_table(bases)
    found = table.loc[table["key"] == key, "base_id"].unique()
    return str(found[0]) if len(found) == 1 else None


# --- distances -----------------------------------------------------------------------


def great_circle_km(lat1, lon1, lat2, lon2) -> float:
    """Distance in km along the Earth's surface (haversine formula, spherical Earth).

    A straight line 'as the crow flies': a road is always longer.
    """
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlam = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlam / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def distance_km(base_id: str, place_id: str) -> float:
    """Great-circle distance between a base and a city of ``places.csv``, in km."""
    base = data.bases().set_index("base_id").loc[base_id]
    place = data.places().set_index("place_id").loc[place_id]
    return great_circle_km(
        float(base["lat"]), float(base["lon"]), float(place["lat"]), float(place["lon"])
    )


# --- the paper's bases as a table ----------------------------------------------------


def paper_bases() -> pd.DataFrame:
    """The bases the paper's section 2 names, with readable column names, sorted by governorate."""
    b = data.bases()
    b = b[b["in_paper"].fillna(False)]
    table = pd.DataFrame(
        {
            "base": b["name"],
            "other spellings in the sources": b["spellings"].str.replace(";", "; "),
            "governorate": b["governorate"],
            "role": b["role"],
            "what the paper says (§2)": b["paper_says"],
            "handed over (record)": b["handover_date"].dt.strftime("%d %b %Y").fillna("—"),
        }
    )
    return table.sort_values(["governorate", "base"]).reset_index(drop=True)


# --- the map -------------------------------------------------------------------------


def draw_map(
    ax,
    bases: pd.DataFrame,
    places: pd.DataFrame,
    outline: pd.DataFrame,
    highlight: str | None = None,
    labels: bool = True,
) -> list[str]:
    """Draw Iraq, its neighbours, the cities and the bases on ``ax``.

    Bases mapped at their own airfield get a triangle, bases mapped only at the
    nearest town a hollow circle. Bases the paper names are blue, others orange.
    With ``highlight`` (a base_id) that base is drawn large and in red and the
    others are greyed out. Returns the names of the bases that could not be
    drawn because the data has no coordinates for them.
    """
    _draw_outline(ax, outline)
    _draw_places(ax, places, small=highlight is not None)
    missing = []
    for row in bases.itertuples(index=False):
        if pd.isna(row.lat) or pd.isna(row.lon):
            missing.append(row.name)
            continue
        _draw_base(ax, row, highlight, labels)
    _frame_iraq(ax, outline)
    return missing


def _draw_outline(ax, outline: pd.DataFrame) -> None:
    for (iso, _part), shape in outline.sort_values("vertex").groupby(["iso_a3", "part"]):
        iraq = iso == "IRQ"
        ax.fill(
            shape["lon"],
            shape["lat"],
            facecolor="#FFFFFF" if iraq else "#EEEEEE",
            edgecolor="#333333" if iraq else "#AAAAAA",
            linewidth=1.6 if iraq else 0.8,
            linestyle="-",
            zorder=1,
        )
    label_at = {
        "SYR": (40.0, 35.6),
        "IRN": (47.3, 34.6),
        "SAU": (42.5, 30.0),
        "JOR": (38.6, 31.9),
        "TUR": (41.0, 37.35),
        "KWT": (47.7, 29.35),
    }
    names = outline.drop_duplicates("iso_a3").set_index("iso_a3")["country"]
    for iso, (lon, lat) in label_at.items():
        if iso in names.index:
            ax.text(
                lon,
                lat,
                names[iso],
                fontsize=11,
                color="#777777",
                ha="center",
                va="center",
                style="italic",
                zorder=2,
            )


def _draw_places(ax, places: pd.DataFrame, small: bool) -> None:
    for row in places.itertuples(index=False):
        capital = row.kind == "capital"
        ax.plot(
            row.lon,
            row.lat,
            marker="s" if capital else ".",
            color="#222222",
            markersize=(7 if capital else 9) if not small else 5,
            linestyle="none",
            zorder=3,
        )
        if small and not capital:
            continue
        dx, dy = CITY_OFFSETS.get(row.place_id, (8, 0))
        ax.annotate(
            row.name,
            (row.lon, row.lat),
            xytext=(dx, dy),
            textcoords="offset points",
            fontsize=11 if not small else 9,
            color="#222222",
            style="italic",
            ha=_ha(dx),
            va="center",
            zorder=3,
        )


def _draw_base(ax, row, highlight: str | None, labels: bool) -> None:
    marker = PRECISION_MARKERS.get(row.coord_precision, "o")
    colour = PAPER_COLOUR if bool(row.in_paper) else RECORD_COLOUR
    size, width, z = 11, 2, 5
    if highlight is not None:
        if row.base_id == highlight:
            colour, size, width, z = HIGHLIGHT_COLOUR, 18, 3, 7
        else:
            colour, size = "#999999", 7
    hollow = marker == "o"
    ax.plot(
        row.lon,
        row.lat,
        marker=marker,
        markersize=size,
        linestyle="none",
        color=colour,
        markerfacecolor="white" if hollow else colour,
        markeredgewidth=width,
        markeredgecolor=colour if hollow else "#222222",
        zorder=z,
    )
    if not labels or (highlight is not None and row.base_id != highlight):
        return
    dx, dy = LABEL_OFFSETS.get(row.base_id, (9, 0))
    ax.annotate(
        SHORT_NAMES.get(row.base_id, row.name),
        (row.lon, row.lat),
        xytext=(dx, dy),
        textcoords="offset points",
        fontsize=12,
        fontweight="bold",
        color=colour,
        ha=_ha(dx),
        va="center",
        zorder=z,
    )


def _ha(dx: float) -> str:
    return "left" if dx > 0 else "right" if dx < 0 else "center"


def _frame_iraq(ax, outline: pd.DataFrame) -> None:
    iraq = outline[outline["iso_a3"] == "IRQ"]
    ax.set_xlim(float(iraq["lon"].min()) - 0.8, float(iraq["lon"].max()) + 0.8)
    ax.set_ylim(float(iraq["lat"].min()) - 0.4, float(iraq["lat"].max()) + 0.4)
    # One degree of longitude is shorter than one of latitude this far north.
    ax.set_aspect(1 / math.cos(math.radians(float(iraq["lat"].mean()))))
    ax.grid(False)


def map_legend_handles(cities: bool = True) -> list:
    """Legend entries for :func:`draw_map`: marker = coordinate precision, colour = named in the paper.

    ``cities=False`` leaves out the dot for a city, for a map that draws only the capital:
    a legend names only what the map shows.
    """

    def handle(marker, colour, label, hollow=False, size=10):
        return Line2D(
            [],
            [],
            marker=marker,
            linestyle="none",
            markersize=size,
            color=colour,
            markerfacecolor="white" if hollow else colour,
            markeredgecolor=colour if hollow else "#222222",
            markeredgewidth=2,
            label=label,
        )

    handles = [
        handle("^", PAPER_COLOUR, "base in the paper, at its airfield"),
        handle(
            "o", PAPER_COLOUR, "base in the paper, at the nearest town (approximate)", hollow=True
        ),
        handle("^", RECORD_COLOUR, "base in the record only, at its airfield"),
        handle("s", "#222222", "capital", size=7),
    ]
    return (handles + [handle(".", "#222222", "city", size=10)]) if cities else handles


# --- the 2020 handovers --------------------------------------------------------------

HANDOVER_WORDS = r"hand|transfer|returned"


def handovers(events: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every report of a base handed to Iraqi forces in March-April 2020, paper and record.

    One row per report: ``told_by`` is 'paper' or 'record', so the two can be
    set side by side; a date known only to the month has ``date_precision`` 'month'.
    """
    events = data.events() if events is None else events
    in_2020 = events["date"].between("2020-03-01", "2020-04-30")
    about_handover = (
        events["event"].str.contains(HANDOVER_WORDS, case=False, regex=True).fillna(False)
    )
    rows = events[in_2020 & about_handover & events["base_id"].notna()].copy()
    names = data.bases().set_index("base_id")["name"]
    rows["base"] = rows["base_id"].map(names)
    rows["told_by"] = rows["source_id"].eq("paper").map({True: "paper", False: "record"})
    cols = ["base_id", "base", "told_by", "date", "date_precision", "event", "source_id", "section"]
    return rows[cols].sort_values(["date", "told_by"]).reset_index(drop=True)


def handover_comparison(events: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each record date beside the paper's date for the same base, and the gap in days.

    ``paper minus record (days)`` is negative when the paper's date is earlier.
    It is left empty when the paper gives no date for the base or only a month.
    """
    h = handovers(events)
    paper = h[h["told_by"] == "paper"][["base_id", "date", "date_precision"]]
    record = h[h["told_by"] == "record"][["base_id", "base", "date", "source_id"]]
    both = record.merge(paper, on="base_id", how="left", suffixes=(" (record)", " (paper)"))
    days = (both["date (paper)"] - both["date (record)"]).dt.days
    both["paper minus record (days)"] = days.where(both["date_precision"] == "day").astype("Int64")
    both = both.rename(
        columns={"date_precision": "paper date precision", "source_id": "record source"}
    )
    cols = [
        "base_id",
        "base",
        "date (record)",
        "record source",
        "date (paper)",
        "paper date precision",
        "paper minus record (days)",
    ]
    return both[cols].sort_values(["date (record)", "base_id"]).reset_index(drop=True)


# --- the explorer --------------------------------------------------------------------


def attacks_on(base_id: str, incidents: pd.DataFrame | None = None) -> pd.DataFrame:
    """The attacks (one row per incident) that struck this base, oldest first, with readable columns.

    Casualties are shown for every side a source counts: US and Iraqi, killed
    and wounded (empty where no source gives a figure, which is not zero).
    """
    incidents = challenges.incidents() if incidents is None else incidents
    hits = incidents[incidents["base_id"] == base_id]
    table = pd.DataFrame(
        {
            "date": hits["date"].dt.strftime("%d %b %Y"),
            "weapon": hits["weapon_detail"].fillna(hits["weapon"]),
            "munitions": hits["munitions_low"],
            "US killed": hits["us_killed"],
            "US wounded": hits["us_wounded"],
            "Iraqi killed": hits["iraqi_killed"],
            "Iraqi wounded": hits["iraqi_wounded"],
            "reports": hits["reports"],
            "sources": hits["sources"],
        }
    )
    return table.reset_index(drop=True)


NO_ATTACKS = "No attack in the data struck this base."


def base_card(base_id: str) -> dict:
    """Everything the explorer shows for one base.

    Returns a dict with ``facts`` (a Series: label → text), ``attacks`` (a table,
    possibly empty), ``attacks_note`` (a sentence saying how many attacks, or
    that none did), ``also_named`` (attack reports that mention the base in
    their place text but are filed under another base) and ``has_coordinates``.
    Raises KeyError for an unknown base_id.
    """
    bases = data.bases().set_index("base_id")
    if base_id not in bases.index:
        raise KeyError(f"no base with id {base_id!r}")
    b = bases.loc[base_id]
    h = handovers()
    h = h[h["base_id"] == base_id]

    def dates(told_by):
        rows = h[h["told_by"] == told_by]
        return (
            "; ".join(
                data.date_text(r.date, r.date_precision) + f" ({r.source_id})"
                for r in rows.itertuples()
            )
            or "not given"
        )

    where = (
        "not mapped: no coordinates in the data"
        if pd.isna(b["lat"])
        else f"{float(b['lat']):.2f}° N, {float(b['lon']):.2f}° E "
        f"({'its own airfield' if b['coord_precision'] == 'airfield' else 'the nearest town, approximate'})"
    )
    facts = pd.Series(
        {
            "base": b["name"],
            "other spellings": str(b["spellings"]).replace(";", "; "),
            "governorate": _text(b["governorate"]),
            "role": _text(b["role"]),
            "named in the paper (§2)": "yes" if bool(b["in_paper"]) else "no",
            "what the paper says": _text(b["paper_says"], "the paper does not name this base"),
            "where": where,
            "handed over, paper": dates("paper"),
            "handed over, record": dates("record"),
            "note": _text(b["note"], ""),
        },
        name=base_id,
    )
    table = attacks_on(base_id)
    n = len(table)
    note = (
        NO_ATTACKS if n == 0 else f"{n} attack{'s' if n > 1 else ''} in the data struck this base."
    )
    return {
        "facts": facts,
        "attacks": table,
        "attacks_note": note,
        "also_named": also_named(base_id),
        "has_coordinates": not pd.isna(b["lat"]),
    }


def also_named(base_id: str, attacks: pd.DataFrame | None = None) -> pd.DataFrame:
    """Attack reports whose place text names this base although their base_id is another one.

    One attack can strike two bases (Iran's missiles of 8 January 2020 hit Ain
    al-Asad and Harir), but a row has room for one base_id: this finds the other.
    """
    attacks = data.attacks() if attacks is None else attacks
    keys = set(spellings_table().query("base_id == @base_id")["key"])
    other = attacks[attacks["base_id"].fillna("") != base_id]

    def names_it(place) -> bool:
        if pd.isna(place):
            return False
        # Text in brackets names a governorate ("Harir (Erbil)"), not a base: leave it out.
        parts = re.split(r",| and ", re.sub(r"\(.*?\)", "", str(place)))
        return any(normalise(p) in keys for p in parts if normalise(p))

    hits = other[other["place"].map(names_it)]
    return hits[["attack_id", "incident_id", "date", "base_id", "place", "source_id"]].reset_index(
        drop=True
    )


def attack_counts() -> pd.DataFrame:
    """Every base with the number of attacks (incidents) and reports that struck it, most first."""
    inc = challenges.incidents()
    rep = data.attacks()
    b = data.bases()
    table = pd.DataFrame(
        {
            "base": b["name"],
            "in the paper": b["in_paper"].map({True: "yes", False: "no"}),
            "attacks (incidents)": b["base_id"]
            .map(inc["base_id"].value_counts())
            .fillna(0)
            .astype(int),
            "reports": b["base_id"].map(rep["base_id"].value_counts()).fillna(0).astype(int),
        }
    )
    return table.sort_values(["attacks (incidents)", "base"], ascending=[False, True]).reset_index(
        drop=True
    )


def _text(value, empty: str = "not given") -> str:
    return empty if pd.isna(value) else str(value)


# --- the explorer's display ----------------------------------------------------------
# The explorer shows HTML and a PNG image instead of capturing output in an
# ``Output`` widget: the page then looks the same in every Jupyter front end,
# and the notebook runs unattended.


def card_html(card: dict) -> str:
    """A base card (from :func:`base_card`) as HTML: the facts, then the attacks or the note."""

    parts = [
        card["facts"].to_frame("what the data says").to_html(),
        f"<p><b>{html.escape(card['attacks_note'])}</b></p>",
    ]
    if not card["attacks"].empty:
        parts.append(card["attacks"].to_html(index=False))
    if not card["also_named"].empty:
        parts.append(
            "<p>Reports that name this base in their place text but are filed under another base:</p>"
        )
        parts.append(
            card["also_named"]
            .assign(date=card["also_named"]["date"].dt.strftime("%d %b %Y"))
            .to_html(index=False)
        )
    return "\n".join(parts)


def small_map_png(base_id: str) -> bytes | None:
    """A small map with this base highlighted, as PNG bytes; None when the base has no coordinates."""
    b = data.bases()
    row = b[b["base_id"] == base_id]
    if row.empty or row["lat"].isna().all():
        return None
    name = row["name"].iloc[0]
    fig, ax = style.chart(
        title=f"Where {name} is",
        xlabel="longitude (°E)",
        ylabel="latitude (°N)",
        source=MAP_SOURCE_SHORT,
        figsize=(6.5, 6),
    )
    draw_map(ax, b, data.places(), data.map_outline(), highlight=base_id)
    return style.to_png(fig)
