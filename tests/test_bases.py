"""The bases module: names, distances, the map, the 2020 handovers and the explorer."""

import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from usiraq import bases, data

# --- names -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Ein Al-Asaad", "ain-al-asad"),
        ("AL ASAD AIR BASE", "ain-al-asad"),
        ("  ain al-asad ", "ain-al-asad"),
        ("ain-al-asad", "ain-al-asad"),
        ("silk base", "harir"),
        ("Alton Kobry", "altun-kupri"),
        ("Camp Ki-one", "k1"),
        ("K-1", "k1"),
        ("Q-West", "qayyarah"),
        ("Taji", "taji"),
        ("Baghdad International Airport", "victory"),
    ],
)
def test_base_id_for_known_spellings(name, expected):
    assert bases.base_id_for(name) == expected


@pytest.mark.parametrize("name", ["Mosul", "Camp Nowhere", "", "   ", None, float("nan"), "base"])
def test_base_id_for_unknown_names_is_none(name):
    assert bases.base_id_for(name) is None


def test_every_spelling_in_the_data_maps_back_to_its_own_base():
    table = bases.spellings_table()
    assert table.groupby("key")["base_id"].nunique().max() == 1, "two bases share a spelling"
    for row in table.itertuples():
        assert bases.base_id_for(row.spelling) == row.base_id


def test_a_name_shared_by_two_bases_gives_none():
    two = pd.DataFrame(
        {"base_id": ["a", "b"], "name": ["Camp A", "Camp B"], "spellings": ["Twin", "Twin"]}
    )
    assert bases.base_id_for("twin", two) is None
    assert bases.base_id_for("Camp A", two) == "a"


def test_normalise_drops_case_punctuation_and_generic_words():
    assert bases.normalise("Ein Al-Asaad Air Base") == bases.normalise("ein al asaad") == "einasaad"


# --- distances ---------------------------------------------------------------------------


def test_great_circle_of_one_degree_of_latitude():
    assert bases.great_circle_km(33, 44, 34, 44) == pytest.approx(111.19, abs=0.05)
    assert bases.great_circle_km(33, 44, 33, 44) == 0


def test_distance_from_baghdad_to_ain_al_asad_is_symmetric_and_plausible():
    km = bases.distance_km("ain-al-asad", "baghdad")
    b = data.bases().set_index("base_id").loc["ain-al-asad"]
    p = data.places().set_index("place_id").loc["baghdad"]
    assert km == pytest.approx(bases.great_circle_km(p["lat"], p["lon"], b["lat"], b["lon"]))
    assert 150 < km < 250


# --- tables ------------------------------------------------------------------------------


def test_paper_bases_lists_only_the_papers_bases_sorted():
    table = bases.paper_bases()
    in_paper = data.bases()["in_paper"].sum()
    assert len(table) == in_paper
    assert list(table["governorate"]) == sorted(table["governorate"])
    assert "Al-Taqaddum Air Base" not in set(table["base"])


def test_handovers_keep_paper_and_record_side_by_side():
    h = bases.handovers()
    assert set(h["told_by"]) == {"paper", "record"}
    assert h["date"].between("2020-03-01", "2020-04-30").all()
    assert not h["event"].str.contains("Patriot").any()
    k1 = h[h["base_id"] == "k1"]
    assert set(k1.loc[k1["told_by"] == "paper", "date"]) == {pd.Timestamp("2020-03-26")}
    # every report of the time, Kurdish and Iraqi outlets alike, gives 29 March
    assert set(k1.loc[k1["told_by"] == "record", "date"]) == {pd.Timestamp("2020-03-29")}
    assert (k1["told_by"] == "record").sum() >= 2


def test_handover_comparison_shows_the_swap_and_the_gaps():
    c = bases.handover_comparison().set_index(["base_id", "record source"])
    days = c["paper minus record (days)"]
    assert days.xs("k1").iloc[0] == -3 and days.xs("qayyarah").iloc[0] == 3
    assert pd.isna(days.xs("mosul-palaces").iloc[0])  # the paper gives only a month
    assert pd.isna(c.xs("taqaddum")["date (paper)"].iloc[0])  # not in the paper


def test_handovers_of_an_empty_timeline_are_empty():
    empty = data.events().iloc[0:0]
    assert bases.handovers(empty).empty and bases.handover_comparison(empty).empty


# --- explorer ----------------------------------------------------------------------------


def test_base_card_of_a_base_with_attacks():
    card = bases.base_card("k1")
    assert card["facts"]["governorate"] == "Kirkuk"
    assert "2020-03-26" in card["facts"]["handed over, paper"]
    assert "2020-03-29" in card["facts"]["handed over, record"]
    assert len(card["attacks"]) == 2 and card["attacks_note"].startswith("2 attacks")
    assert card["has_coordinates"]


def test_base_card_of_a_base_with_one_attack_is_singular():
    card = bases.base_card("mosul-palaces")
    assert (
        len(card["attacks"]) == 1
        and card["attacks_note"] == "1 attack in the data struck this base."
    )


def test_base_card_of_a_base_without_attacks_says_so():
    card = bases.base_card("victory")
    assert card["attacks"].empty
    assert card["attacks_note"] == bases.NO_ATTACKS
    assert "no attack in the data struck this base" in card["attacks_note"].lower()


def test_base_card_of_a_base_without_coordinates():
    card = bases.base_card("altun-kupri")
    assert not card["has_coordinates"] and "not mapped" in card["facts"]["where"]


def test_base_card_finds_a_second_base_named_in_the_place_text():
    card = bases.base_card("harir")
    assert card["attacks"].empty
    assert "2020-01-08-iran" in set(card["also_named"]["incident_id"])


def test_also_named_ignores_governorates_in_brackets():
    erbil = bases.also_named("erbil")
    assert "A025" not in set(erbil["attack_id"])  # "Harir (Erbil)": Erbil is the governorate
    assert "A026" in set(erbil["attack_id"])  # "Anbar and Erbil": the record's second target


def test_base_card_of_an_unknown_base_raises():
    with pytest.raises(KeyError):
        bases.base_card("atlantis")


def test_attack_counts_cover_every_base_and_add_up():
    counts = bases.attack_counts()
    assert len(counts) == len(data.bases())
    from usiraq.challenges import incidents

    assert counts["attacks (incidents)"].sum() == incidents()["base_id"].notna().sum()
    assert counts["attacks (incidents)"].is_monotonic_decreasing


# --- map ---------------------------------------------------------------------------------


def test_draw_map_draws_every_base_with_coordinates_and_lists_the_rest():
    fig, ax = plt.subplots()
    b = data.bases()
    missing = bases.draw_map(ax, b, data.places(), data.map_outline())
    assert set(missing) == set(b.loc[b["lat"].isna(), "name"])
    texts = {t.get_text() for t in ax.texts}
    assert "Ain al-Asad" in texts and "Baghdad" in texts
    lo, hi = ax.get_xlim()
    assert lo < 39 and hi > 48
    plt.close(fig)


def test_draw_map_uses_different_markers_for_airfield_and_town():
    fig, ax = plt.subplots()
    b = data.bases()
    bases.draw_map(
        ax, b[b["base_id"].isin(["ain-al-asad", "k1"])], data.places().iloc[0:0], data.map_outline()
    )
    markers = [line.get_marker() for line in ax.lines]
    assert markers == ["^", "o"]
    plt.close(fig)


def test_draw_map_highlights_one_base_and_labels_only_it():
    fig, ax = plt.subplots()
    bases.draw_map(ax, data.bases(), data.places(), data.map_outline(), highlight="taji")
    labels = [t.get_text() for t in ax.texts]
    assert "Taji" in labels and "Balad" not in labels
    plt.close(fig)


def test_draw_map_with_no_bases_still_draws_the_country():
    fig, ax = plt.subplots()
    assert bases.draw_map(ax, data.bases().iloc[0:0], data.places(), data.map_outline()) == []
    assert ax.patches
    plt.close(fig)


def test_legend_handles_name_both_precisions():
    labels = [h.get_label() for h in bases.map_legend_handles()]
    assert any("airfield" in t for t in labels) and any("nearest town" in t for t in labels)


def test_legend_without_cities_names_only_what_a_capital_only_map_draws():
    full = [h.get_label() for h in bases.map_legend_handles()]
    capital_only = [h.get_label() for h in bases.map_legend_handles(cities=False)]
    assert "city" in full and "city" not in capital_only
    assert capital_only == [label for label in full if label != "city"]


def test_every_base_has_a_short_name_made_of_its_own_words():
    # SHORT_NAMES[row.base_id] must work for any row of the table, and never invent a name.
    for row in data.bases().itertuples():
        words = set(re.split(r"[^0-9a-z-]+", f"{row.name} {row.spellings}".casefold()))
        short = bases.SHORT_NAMES[row.base_id]
        assert set(short.casefold().split()) <= words, (row.base_id, short)
    assert set(bases.SHORT_NAMES) == set(data.bases()["base_id"])


def test_card_html_shows_facts_and_the_no_attack_note():
    text = bases.card_html(bases.base_card("victory"))
    assert "Victory Base" in text and bases.NO_ATTACKS in text and "<table" in text


def test_card_html_lists_attacks_and_reports_filed_elsewhere():
    assert "27 Dec 2019" in bases.card_html(bases.base_card("k1"))
    assert "Ain al-Asad (Anbar) and Harir (Erbil)" in bases.card_html(bases.base_card("harir"))


def test_small_map_is_a_png_or_none_without_coordinates():
    png = bases.small_map_png("taji")
    assert png.startswith(b"\x89PNG")
    assert bases.small_map_png("altun-kupri") is None
    assert plt.get_fignums() == []


def test_casualty_tables_show_every_side_a_source_counts():
    """US and Iraqi casualties side by side; an empty cell means no source gives a figure, not zero."""
    balad = bases.attacks_on("balad")
    assert {"US killed", "US wounded", "Iraqi killed", "Iraqi wounded"} <= set(balad.columns)
    # the Balad rocket attack of 12 Jan 2020 wounded four Iraqi personnel (and no American)
    assert 4 in set(balad["Iraqi wounded"].dropna())
    assert balad["Iraqi killed"].isna().all()
