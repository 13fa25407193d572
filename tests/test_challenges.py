"""Attacks: from reports to incidents, the explorer's filters, and the escalation chain."""

import pandas as pd
import pytest

from usiraq import challenges, data


@pytest.fixture(scope="module")
def incidents():
    return challenges.incidents()


def test_one_row_per_incident(incidents):
    assert incidents["incident_id"].is_unique
    assert len(incidents) == data.attacks()["incident_id"].nunique()
    assert incidents["reports"].sum() == len(data.attacks())


def test_no_filter_keeps_everything(incidents):
    assert len(challenges.filter_incidents(incidents)) == len(incidents)
    assert len(challenges.filter_incidents(incidents, base_id="all", weapon="all")) == len(
        incidents
    )


def test_period_includes_both_ends_and_whole_end_month(incidents):
    first = incidents["date"].min()
    assert len(challenges.filter_incidents(incidents, start=first, end=first)) >= 1
    january = challenges.filter_incidents(incidents, start="2020-01", end="2020-01")
    assert len(january) > 0
    assert (january["date"].dt.to_period("M") == pd.Period("2020-01", "M")).all()
    by_hand = incidents[(incidents["date"] >= "2020-01-01") & (incidents["date"] <= "2020-01-31")]
    assert len(january) == len(by_hand)


def test_base_and_weapon_filters(incidents):
    k1 = challenges.filter_incidents(incidents, base_id="k1")
    assert len(k1) == (incidents["base_id"] == "k1").sum() and (k1["base_id"] == "k1").all()
    mortars = challenges.filter_incidents(incidents, weapon="mortar")
    assert len(mortars) == (incidents["weapon"] == "mortar").sum()


def test_empty_selection_says_so_and_draws_nothing(incidents):
    view = challenges.explore(incidents, "2019-12", "2020-01", base_id="k1", weapon="drone")
    assert view["table"].empty
    assert view["counts"] is None
    assert view["message"].startswith("No attack in the data matches")


def test_single_row_selection(incidents):
    one = incidents.iloc[[0]]
    day = one["date"].iloc[0]
    selection = challenges.filter_incidents(
        incidents, start=day, end=day, weapon=one["weapon"].iloc[0]
    )
    assert len(selection) == 1
    counts = challenges.per_month(selection)
    assert counts.sum() == 1 and len(counts) == 1
    view = challenges.explore(incidents, start=day, end=day, weapon=one["weapon"].iloc[0])
    assert len(view["table"]) == 1 and view["counts"].sum() == 1
    assert view["message"].startswith("1 attack (incident)")


def test_per_month_fills_quiet_months_with_zero(incidents):
    counts = challenges.per_month(
        challenges.filter_incidents(incidents, "2019-01", "2020-12"), "2019-01", "2020-12"
    )
    assert len(counts) == 24 and (counts >= 0).all()
    assert counts.sum() == len(challenges.filter_incidents(incidents, "2019-01", "2020-12"))
    assert counts.index[0] == pd.Timestamp("2019-01-01")


def test_per_month_of_nothing_is_empty(incidents):
    assert challenges.per_month(incidents.iloc[0:0]).empty
    zeros = challenges.per_month(incidents.iloc[0:0], "2019-01", "2019-03")
    assert list(zeros) == [0, 0, 0]


def test_reader_table_has_readable_columns(incidents):
    shown = challenges.table_for_reader(incidents)
    assert list(shown.columns) == list(challenges.SHOWN.values())
    assert shown["Base"].notna().all()


def test_escalation_chain_is_dated_from_the_data_and_in_order():
    chain = challenges.escalation_chain()
    assert len(chain) == len(challenges.CHAIN)
    assert chain["date"].is_monotonic_increasing
    assert chain["date"].min() == pd.Timestamp("2019-12-27")  # the K1 attack opens the chain
    assert chain["source_id"].notna().all()
    longer = challenges.escalation_chain(challenges.CHAIN + challenges.AFTERMATH)
    assert len(longer) == len(challenges.CHAIN) + len(challenges.AFTERMATH)


def test_explorer_chart_is_a_png(incidents):
    counts = challenges.per_month(
        challenges.filter_incidents(incidents, "2019-12", "2020-01"), "2019-12", "2020-01"
    )
    png = challenges.per_month_png(counts, "test")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_series_period_is_declared_in_the_data_package():
    start, end = challenges.series_period()
    assert start == pd.Timestamp("2017-10-01") and end == pd.Timestamp("2020-03-31")
    # every attack the paper lists falls inside it
    paper = data.attacks().query("source_id == 'paper'")
    assert paper["date"].between(start, end).all()


def test_the_explorer_warns_when_a_selection_runs_past_the_series():
    incidents = challenges.incidents()
    inside = challenges.describe_selection(
        challenges.filter_incidents(incidents, "2019-01", "2020-03"), "2019-01", "2020-03"
    )
    after = challenges.describe_selection(
        challenges.filter_incidents(incidents, "2019-01", "2021-12"), "2019-01", "2021-12"
    )
    assert "only selected attacks" not in inside
    assert "only selected attacks" in after
    # a month given as a Period, as the explorer's filters accept it, works too
    period_end = challenges.describe_selection(
        challenges.filter_incidents(incidents, "2019-01", "2021-12"),
        "2019-01",
        pd.Period("2021-12", freq="M"),
    )
    assert "After March 2020" in period_end
