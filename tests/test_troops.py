"""The troop helpers behind notebook 01: kinds, chart dates, key events, yearly table and the explorer."""

import pandas as pd
import pytest

from usiraq import data, troops


def test_every_kind_in_the_schema_has_a_label():
    assert set(data.troop_levels()["kind"]) <= set(troops.KINDS)


def test_every_key_event_and_frame_exists_in_the_events_table():
    ids = set(data.events()["event_id"])
    assert set(troops.KEY_EVENTS) <= ids
    assert set(troops.LEGAL_FRAMES) <= ids
    assert set(troops.LATER_FRAMES) <= ids


def test_key_events_are_in_date_order_with_labels():
    events = troops.key_events()
    assert len(events) == len(troops.KEY_EVENTS)
    assert events["date"].is_monotonic_increasing
    assert events["label"].notna().all()


def test_key_events_can_be_limited_to_some_ids():
    assert list(troops.key_events(ids=["E007"])["event_id"]) == ["E007"]


def test_legal_frames_start_with_resolution_1483():
    frames = troops.legal_frames()
    assert frames.iloc[0]["event_id"] == "E007"
    assert frames["what it changed"].str.len().gt(20).all()


def test_frame_names_list_every_frame_by_name_not_by_date():
    names = troops.frame_names()
    assert set(names["event_id"]) == set(troops.LEGAL_FRAMES) | set(troops.LATER_FRAMES)
    assert list(names["frame"]) == sorted(names["frame"])
    assert names.iloc[0]["event_id"] != "E007"  # the first frame in time is not first by name


def test_the_frames_exercise_expects_them_in_date_order():
    from usiraq.checking.declarations.n01_emergence import frames_in_order

    names = frames_in_order()
    assert names[0] == troops.LEGAL_FRAMES["E007"][0]
    assert names[-1] == troops.LATER_FRAMES["E122"]
    assert sorted(names) == list(troops.frame_names()["frame"])


def test_plot_dates_put_year_and_month_figures_in_the_middle():
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(["2007-01-01", "2007-10-01", "2007-06-15"]),
            "date_precision": ["year", "month", "day"],
        }
    )
    placed = troops.plot_dates(frame)
    assert placed[0].month == 7
    assert placed[1].day in (15, 16) and placed[1].month == 10
    assert placed[2] == pd.Timestamp("2007-06-15")


def test_phases_in_a_year():
    assert troops.phases_in_year(2013) == ["absence"]
    assert len(troops.phases_in_year(2007)) == 2
    assert troops.phases_in_year(1990) == []


def test_yearly_table_keeps_years_without_figures():
    table = troops.yearly()
    assert table["year"].is_monotonic_increasing
    assert table["year"].diff().dropna().eq(1).all()
    empty = table[table["figures"] == 0]
    assert empty["lowest figure (US troops)"].isna().all()
    assert troops.years_without_figures() == [int(y) for y in empty["year"]]


def test_yearly_table_of_one_row():
    one = data.troop_levels().head(1)
    table = troops.yearly(one)
    assert len(table) == 1 and table.loc[0, "figures"] == 1


def test_year_summary_of_a_year_with_figures():
    summary = troops.year_summary(2007)
    t = data.troop_levels()
    assert len(summary.figures) == (t["date"].dt.year == 2007).sum()
    assert summary.phases and "2007" in summary.headline and "figures" in summary.headline
    assert set(summary.figures.columns) >= {"date", "US troops", "kind", "source_id"}
    assert not summary.events.empty


def test_year_summary_says_when_a_year_has_no_figure():
    summary = troops.year_summary(2013)
    assert summary.figures.empty
    assert "no sourced troop figure" in summary.headline
    assert summary.phases == ["absence"]


def test_year_summary_of_a_single_figure_uses_the_singular():
    t = data.troop_levels()
    single = t[t["date"].dt.year == 2012]
    if len(single) != 1:
        pytest.skip("2012 no longer has exactly one figure")
    assert "1 figure from 1 source:" in troops.year_summary(2012).headline


def test_year_summary_outside_the_data():
    summary = troops.year_summary(1990)
    assert summary.figures.empty and summary.events.empty
    assert "outside the module's phases" in summary.headline


def test_year_summary_with_an_empty_troop_table():
    empty = data.troop_levels().iloc[0:0]
    assert troops.year_summary(2007, troops=empty).figures.empty
    assert troops.yearly(empty).empty


def test_phases_between_cuts_phases_to_the_window():
    window = troops.phases_between("2014-01-01", "2026-12-31")
    assert window.iloc[0]["phase_id"] == "absence"
    assert window["start"].min() == pd.Timestamp("2014-01-01")
    assert window["end"].max() <= pd.Timestamp("2026-12-31")
    assert troops.phases_between("1990-01-01", "1990-12-31").empty


def test_year_summary_html_has_headline_and_tables():
    page = troops.year_summary(2007).html()
    assert "2007" in page and page.count("<table") == 2
    empty = troops.year_summary(2013).html()
    assert "no sourced troop figure" in empty and "<table" not in empty  # 2013 has no events either


def test_levels_are_sorted_with_labels_and_years():
    table = troops.levels()
    assert table["date"].is_monotonic_increasing
    assert table["kind_label"].notna().all()
    assert (table["year"] == table["date"].dt.year).all()
