"""The tables load typed, every source resolves, and the paper's figures are all there."""
import re
from pathlib import Path

import pandas as pd
import pytest

from usiraq import data, paths

ROOT = Path(__file__).resolve().parents[1]
PAPER = ROOT.parent / "shared" / "seeds" / "001_f57836ccbe104a90.txt"


def test_types_follow_the_schema():
    attacks = data.attacks()
    assert attacks["date"].dtype.kind == "M"
    assert str(attacks["munitions_low"].dtype) == "Int64"
    assert str(data.bases()["in_paper"].dtype) == "boolean"
    assert data.bases()["lat"].dtype.kind == "f"
    assert str(data.troop_levels()["us_troops"].dtype) == "Int64"


def test_partial_dates_fall_on_the_first_day_of_their_period():
    troops = data.troop_levels()
    yearly = troops[troops["date_precision"] == "year"]
    assert (yearly["date"].dt.month == 1).all() and (yearly["date"].dt.day == 1).all()


def test_every_row_cites_a_known_source():
    known = set(data.sources()["source_id"])
    for name in ["troop_levels", "attacks", "strikes", "bases", "events", "phases", "tasks",
                 "actors", "figures", "places", "map_outline"]:
        cited = set(data.table(name)["source_id"].dropna())
        assert cited <= known, name
        assert data.table(name)["source_id"].notna().all(), name
    claims = data.claims()
    assert set(claims["claim_source"]) <= known


def test_public_sources_have_title_and_address():
    public = data.sources().query("kind == 'public'")
    assert public["title"].notna().all()
    assert public["url"].str.startswith("http").all()


def test_where_sources_disagree_both_figures_are_kept():
    troops = data.troop_levels()
    june_2006 = troops[troops["date"] == "2006-06-01"]
    assert sorted(june_2006["us_troops"]) == [125000, 127000]


def test_the_paper_contradicts_itself_on_the_strikes_of_29_december():
    strikes = data.strikes().query("incident_id == '2019-12-29-kh' and source_id == 'paper'")
    assert set(zip(strikes["section"], strikes["killed_low"])) == {("3", 15), ("4", 25)}


@pytest.mark.skipif(not PAPER.exists(), reason="the shared seeds are not beside the repository")
def test_every_number_of_sections_1_to_4_is_in_the_data():
    """Each number written in the paper's sections 1-4 appears in some table, tied to the paper."""
    text = PAPER.read_text(encoding="utf-8")
    body = text[text.index("Section 1: the emergence"):text.index("## Conclusion")]
    body = re.sub(r"\([^()]*\d{4}[^()]*\)", "", body)           # citations such as (Saeed, 2020)
    body = re.sub(r"\b(19|20)\d\d\b", "", body)                  # years are dates, checked below
    body = re.sub(r"\b(January|February|March|April|May|June|July|August|September|October|November|December) \d{1,2}\b", "", body)
    body = re.sub(r"\b\d+(st|nd|rd|th)\b", "", body)
    body = body.replace("CJTF-OIR", "")
    numbers = {int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", body)}
    numbers -= {1, 2, 3, 4, 5, 6, 7, 8}  # list numbering in the text
    paper_values = set()
    for name, cols in [("troop_levels", ["us_troops"]), ("figures", ["value_low", "value_high"]),
                       ("attacks", ["munitions_low", "munitions_high", "us_killed", "us_wounded", "iraqi_killed", "iraqi_wounded"]),
                       ("strikes", ["facilities", "killed_low", "killed_high"])]:
        frame = data.table(name).query("source_id == 'paper'")
        for col in cols:
            paper_values |= {int(v) for v in frame[col].dropna()}
    for text_ in data.events().query("source_id == 'paper'")["event"]:
        paper_values |= {int(n) for n in re.findall(r"\d+", text_.replace(",", ""))}
    # figures written in words or with units in the paper: thousands, millions, billions, km, mm, miles
    words = {170: 170000, 60: 60000, 70: 70000, 3: 3000000000, 300: 300000000, 107: None}
    missing = set()
    for n in numbers:
        if n in paper_values or (n in words and (words[n] is None or words[n] in paper_values)):
            continue
        missing.add(n)
    assert not missing, f"numbers of the paper's sections 1-4 not found in data/: {sorted(missing)}"


@pytest.mark.skipif(not PAPER.exists(), reason="the shared seeds are not beside the repository")
def test_every_dated_event_of_sections_1_to_4_is_in_the_data():
    """Each full date (Month D, YYYY) in sections 1-4 is a paper row of events, attacks or strikes."""
    text = PAPER.read_text(encoding="utf-8")
    body = text[text.index("Section 1: the emergence"):text.index("## Conclusion")]
    months = "January|February|March|April|May|June|July|August|September|October|November|December"
    found = re.findall(rf"({months}) (\d{{1,2}}),? (\d{{4}})", body)
    dates = {pd.Timestamp(f"{d} {m} {y}").date() for m, d, y in found}
    paper_dates = set()
    for name in ["events", "attacks", "strikes"]:
        frame = data.table(name).query("source_id == 'paper' and date_precision == 'day'")
        paper_dates |= set(frame["date"].dt.date)
    assert dates and dates <= paper_dates, sorted(dates - paper_dates)


def test_data_dir_is_found_from_any_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("USIRAQ_DATA", raising=False)
    for folder in [ROOT, ROOT / "notebooks", ROOT / "exercises", ROOT / "solutions", ROOT / "tests"]:
        monkeypatch.chdir(folder)
        assert paths.data_dir() == ROOT / "data"
    monkeypatch.chdir(tmp_path)  # outside the course: falls back to the installed package's repository
    assert paths.data_dir() == ROOT / "data"


def test_data_dir_override_must_hold_the_package(monkeypatch, tmp_path):
    monkeypatch.setenv("USIRAQ_DATA", str(tmp_path))
    with pytest.raises(paths.DataDirNotFound, match="has no datapackage.json"):
        paths.data_dir()


def test_dates_are_written_at_the_precision_of_their_source():
    day = pd.Timestamp("2024-09-27")
    assert [data.date_text(day, p) for p in ("day", "month", "year")] == ["2024-09-27", "2024-09", "2024"]
    assert data.date_text(pd.NaT, "day") == ""


def test_dated_adds_a_when_column_and_keeps_empty_tables_empty():
    events = data.events()
    assert list(data.dated(events[events["event_id"] == "E028"])["when"]) == ["2011"]
    assert data.dated(events.iloc[0:0]).empty
