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
    for name in [
        "troop_levels",
        "attacks",
        "strikes",
        "bases",
        "events",
        "phases",
        "tasks",
        "actors",
        "figures",
        "places",
        "map_outline",
    ]:
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
    body = text[text.index("Section 1: the emergence") : text.index("## Conclusion")]
    body = re.sub(r"\([^()]*\d{4}[^()]*\)", "", body)  # citations such as (Saeed, 2020)
    body = re.sub(r"\b(19|20)\d\d\b", "", body)  # years are dates, checked below
    body = re.sub(
        r"\b(January|February|March|April|May|June|July|August|September|October|November|December) \d{1,2}\b",
        "",
        body,
    )
    body = re.sub(r"\b\d+(st|nd|rd|th)\b", "", body)
    body = body.replace("CJTF-OIR", "")
    numbers = {int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", body)}
    numbers -= {1, 2, 3, 4, 5, 6, 7, 8}  # list numbering in the text
    paper_values = set()
    for name, cols in [
        ("troop_levels", ["us_troops"]),
        ("figures", ["value_low", "value_high"]),
        (
            "attacks",
            [
                "munitions_low",
                "munitions_high",
                "us_killed",
                "us_wounded",
                "iraqi_killed",
                "iraqi_wounded",
            ],
        ),
        ("strikes", ["facilities", "killed_low", "killed_high"]),
    ]:
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
    body = text[text.index("Section 1: the emergence") : text.index("## Conclusion")]
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
    for folder in [
        ROOT,
        ROOT / "notebooks",
        ROOT / "exercises",
        ROOT / "solutions",
        ROOT / "tests",
    ]:
        monkeypatch.chdir(folder)
        assert paths.data_dir() == ROOT / "data"
    monkeypatch.chdir(
        tmp_path
    )  # outside the course: falls back to the installed package's repository
    assert paths.data_dir() == ROOT / "data"


def test_data_dir_override_must_hold_the_package(monkeypatch, tmp_path):
    monkeypatch.setenv("USIRAQ_DATA", str(tmp_path))
    with pytest.raises(paths.DataDirNotFound, match="has no datapackage.json"):
        paths.data_dir()


def test_dates_are_written_at_the_precision_of_their_source():
    day = pd.Timestamp("2024-09-27")
    assert [data.date_text(day, p) for p in ("day", "month", "year")] == [
        "2024-09-27",
        "2024-09",
        "2024",
    ]
    assert data.date_text(pd.NaT, "day") == ""


def test_dated_adds_a_when_column_and_keeps_empty_tables_empty():
    events = data.events()
    assert list(data.dated(events[events["event_id"] == "E028"])["when"]) == ["2011"]
    assert data.dated(events.iloc[0:0]).empty


# --- The cache, the stamp and the data folder -------------------------------------------------

import json  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402

from usiraq import schema  # noqa: E402

sys.path.insert(0, str(ROOT / "tools"))
import data_stamp  # noqa: E402


def test_a_change_to_the_descriptor_is_seen(data_copy):
    assert data.validate()["places"] > 0
    path = data_copy / "datapackage.json"
    path.write_text(
        path.read_text(encoding="utf-8").replace('"name": "places"', '"name": "towns"'),
        encoding="utf-8",
    )
    assert "towns" in data.validate() and "places" not in data.validate()


def test_errors_are_cached_until_a_file_changes(data_copy, monkeypatch):
    path = data_copy / "phases.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("surge,", "surge,,", 1), encoding="utf-8"
    )
    calls = []
    real = schema.validate_package
    monkeypatch.setattr(
        schema, "validate_package", lambda *a, **k: calls.append(1) or real(*a, **k)
    )
    for _ in range(3):
        with pytest.raises(schema.DataError):
            data.validate()
    assert len(calls) == 1


def test_typed_tables_are_cached_and_handed_out_as_copies(data_copy, monkeypatch):
    calls = []
    real = data._typed
    monkeypatch.setattr(data, "_typed", lambda *a, **k: calls.append(1) or real(*a, **k))
    first = data.attacks()
    first.loc[0, "munitions_low"] = 999
    del first["note"]
    second = data.attacks()
    assert second.loc[0, "munitions_low"] is pd.NA and "note" in second
    assert len(calls) == 1


def test_the_stamp_refresh_accepts_an_intended_edit(data_copy):
    path = data_copy / "attacks.csv"
    path.write_text(
        "\n".join(path.read_text(encoding="utf-8").split("\n")[:-3]) + "\n", encoding="utf-8"
    )
    with pytest.raises(schema.DataError, match="make data-stamp"):
        data.validate()
    before = json.loads((data_copy / "datapackage.json").read_text(encoding="utf-8"))
    data_stamp.refresh(data_copy)
    after = json.loads((data_copy / "datapackage.json").read_text(encoding="utf-8"))
    assert data.validate()["attacks"] == len(pd.read_csv(path))
    for old, new in zip(before["resources"], after["resources"]):  # only the stamp changed
        assert {k: v for k, v in old.items() if k not in data_stamp.STAMP} == {
            k: v for k, v in new.items() if k not in data_stamp.STAMP
        }


def test_the_stamp_refresh_refuses_broken_data(data_copy):
    replace = data_copy / "phases.csv"
    replace.write_text(
        replace.read_text(encoding="utf-8").replace("surge,", "surge,,", 1), encoding="utf-8"
    )
    before = (data_copy / "datapackage.json").read_text(encoding="utf-8")
    with pytest.raises(schema.DataError, match="phases.csv, line 3"):
        data_stamp.refresh(data_copy)
    assert (data_copy / "datapackage.json").read_text(encoding="utf-8") == before


def test_the_stored_stamp_is_up_to_date():
    assert data_stamp.refresh(ROOT / "data", write=False) == []


def test_the_override_may_name_the_descriptor_itself(monkeypatch):
    monkeypatch.setenv("USIRAQ_DATA", str(ROOT / "data" / "datapackage.json"))
    assert paths.data_dir() == ROOT / "data"


def test_a_relative_override_is_resolved(monkeypatch):
    monkeypatch.chdir(ROOT / "notebooks")
    monkeypatch.setenv("USIRAQ_DATA", "../data")
    found = paths.data_dir()
    assert found.is_absolute() and found == ROOT / "data"


def test_an_unrelated_data_package_above_is_skipped(monkeypatch, tmp_path):
    monkeypatch.delenv("USIRAQ_DATA", raising=False)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "datapackage.json").write_text(
        '{"name": "another-course", "resources": []}'
    )
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    assert paths.data_dir() == ROOT / "data"


def test_the_folder_in_use_is_stated(data_copy):
    assert str(data_copy) in paths.describe()
    (data_copy / "phases.csv").write_text("", encoding="utf-8")
    with pytest.raises(schema.DataError, match=str(data_copy)):
        data.validate()


def test_a_copy_of_the_course_elsewhere_is_found_by_name(monkeypatch, tmp_path):
    monkeypatch.delenv("USIRAQ_DATA", raising=False)
    shutil.copytree(ROOT / "data", tmp_path / "course" / "data")
    (tmp_path / "course" / "notebooks").mkdir()
    monkeypatch.chdir(tmp_path / "course" / "notebooks")
    assert paths.data_dir() == tmp_path / "course" / "data"


def test_the_stamp_refresh_leaves_the_descriptor_alone_when_the_data_is_broken(data_copy):
    """Even when it has to add the package date first, a refused refresh writes nothing."""
    descriptor = data_copy / "datapackage.json"
    package = json.loads(descriptor.read_text(encoding="utf-8"))
    del package["created"]
    descriptor.write_text(json.dumps(package, indent=2), encoding="utf-8")
    before = descriptor.read_text(encoding="utf-8")
    (data_copy / "bases.csv").write_text("", encoding="utf-8")
    with pytest.raises(schema.DataError):
        data_stamp.refresh(data_copy)
    assert descriptor.read_text(encoding="utf-8") == before
