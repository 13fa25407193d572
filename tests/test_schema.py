"""Broken data files get a clear message: file, line, column, value and rule.

Each corruption below is one a teacher or a contributor could make by hand (or
a hostile tester on purpose). The table says what to break and what the message
must say; one test applies each row to a private copy of the data, and checks
too that nothing loads from the broken folder.
"""

import csv
import io
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from usiraq import claims, data
from usiraq.schema import DataError


def rewrite(path, transform):
    """Apply a text transformation to a data file."""
    path.write_text(transform(path.read_text(encoding="utf-8")), encoding="utf-8")


def replace_cell(path, row_id, column, new):
    """Set one cell of the row whose first column is row_id (a small, plain CSV edit)."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    col = rows[0].index(column)
    for row in rows[1:]:
        if row[0] == row_id:
            row[col] = new
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def edit_package(data_dir, change):
    """Apply a change to the parsed datapackage.json and write it back."""
    path = data_dir / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    change(package)
    path.write_text(json.dumps(package, indent=2), encoding="utf-8")


def res(package, name):
    return next(r for r in package["resources"] if r["name"] == name)


def message(data_dir):
    with pytest.raises(DataError) as info:
        data.validate()
    return str(info.value)


# --- The corruptions, each with what its message must (and must not) say ---------------------------


@dataclass
class Corruption:
    corrupt: Callable  # data folder -> None
    says: tuple[str, ...]
    never_says: tuple[str, ...] = ()
    at_most: int | None = None  # problems listed (a corruption must not cascade)


def cell(table, row, column, value):
    return lambda d: replace_cell(d / f"{table}.csv", row, column, value)


def text_edit(table, transform):
    return lambda d: rewrite(d / f"{table}.csv", transform)


def cut_rows(table, keep):
    return text_edit(table, lambda t: "\n".join(t.split("\n")[:keep]) + "\n")


def prepend(table, raw):
    return lambda d: (d / f"{table}.csv").write_bytes(raw + (d / f"{table}.csv").read_bytes())


def encode(table, encoding):
    return lambda d: (d / f"{table}.csv").write_bytes(
        (d / f"{table}.csv").read_text(encoding="utf-8").encode(encoding)
    )


def declare(change):
    return lambda d: edit_package(d, change)


def unclosed_quote_in_a_row(d):
    path = d / "attacks.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[3] = lines[3].replace(",Nineveh,", ',"Nineveh,', 1)
    path.write_text("\n".join(lines), encoding="utf-8")


def cut_inside_a_quoted_cell(d):
    """Cut sources.csv just after a quote opens, in its second half (line given by the row below)."""
    path = d / "sources.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index(',"', len(text) // 2) + 6], encoding="utf-8")


def opening_line_of_the_cut():
    text = (data.paths.data_dir() / "sources.csv").read_text(encoding="utf-8")
    return text[: text.index(',"', len(text) // 2) + 6].count("\n") + 1


def outside(where):
    """Point the phases table at a file outside the data folder that holds a secret."""

    def corrupt(d):
        secret = d.parent / "secret.csv"
        secret.write_text("phase_id,order\nTOP-SECRET-CONTENT,1\n", encoding="utf-8")
        target = {"absolute": str(secret), "dotdot": "../secret.csv"}.get(where, "linked.csv")
        if where == "symlink":
            os.symlink(secret, d / "linked.csv")
        edit_package(d, lambda p: res(p, "phases").update(path=target))

    return corrupt


def undeclarable_column(package):
    fields = res(package, "attacks")["schema"]["fields"]
    fields[0]["type"] = "geopoint"
    fields[1].setdefault("constraints", {})["pattern"] = "([a-z"
    fields[5].setdefault("constraints", {})["minimum"] = 3


def unusable_keys(package):
    res(package, "phases")["schema"]["primaryKey"] = "phase"
    res(package, "events")["schema"]["foreignKeys"][0] = {
        "fields": "source_id",
        "reference": "sources",
    }


CORRUPTIONS = {
    "missing column": Corruption(
        text_edit("attacks", lambda t: t.replace(",weapon_detail,", ",", 1)),
        ("attacks.csv, line 1, column 'weapon_detail': is missing from the header",),
    ),
    "impossible date": Corruption(
        cell("troop_levels", "T010", "date", "2005-13-01"),
        (
            "troop_levels.csv, line 11, column 'date': value '2005-13-01'",
            "is not a date in the form YYYY, YYYY-MM or YYYY-MM-DD",
        ),
    ),
    "negative count": Corruption(
        cell("attacks", "A003", "munitions_low", "-3"),
        ("attacks.csv, line 4, column 'munitions_low': value '-3' is below the minimum of 0",),
    ),
    "text in a count": Corruption(
        cell("troop_levels", "T001", "us_troops", "about 150,000"),
        ("column 'us_troops': value 'about 150,000' is not a whole number",),
    ),
    "unknown base": Corruption(
        cell("attacks", "A003", "base_id", "qayara"),
        (
            "attacks.csv, line 4, column 'base_id': value 'qayara' is not a known base_id in bases.csv",
        ),
    ),
    "unknown source": Corruption(
        cell("troop_levels", "T002", "source_id", "pub-nowhere"),
        (
            "troop_levels.csv, line 3, column 'source_id': value 'pub-nowhere' is not a known "
            "source_id in sources.csv",
        ),
    ),
    "duplicate id": Corruption(
        cell("attacks", "A004", "attack_id", "A003"),
        (
            "attacks.csv, line 5, column 'attack_id': value 'A003' repeats the value on line 4; "
            "it must be unique",
        ),
    ),
    "empty file": Corruption(
        lambda d: (d / "bases.csv").write_text("", encoding="utf-8"),
        ("bases.csv: is empty; it needs at least a header line",),
    ),
    "semicolons": Corruption(
        text_edit("phases", lambda t: t.replace(",", ";")),
        ("phases.csv, line 1: separates its columns with semicolons; the module expects commas",),
    ),
    "byte-order mark": Corruption(
        prepend("tasks", b"\xef\xbb\xbf"),
        ("tasks.csv, line 1: starts with a byte-order mark (BOM); save it as UTF-8 without BOM",),
    ),
    "UTF-16 without a mark": Corruption(
        encode("tasks", "utf-16-le"), ("tasks.csv: is saved as UTF-16",)
    ),
    "UTF-16 with a mark": Corruption(encode("tasks", "utf-16"), ("tasks.csv: is saved as UTF-16",)),
    "stray column": Corruption(
        text_edit(
            "places", lambda t: "\n".join(line + "," if line else line for line in t.split("\n"))
        ),
        ("places.csv, line 1, column '(an empty name)': is not a column of this table",),
    ),
    "stray comma in a row": Corruption(
        text_edit("phases", lambda t: t.replace("surge,", "surge,,", 1)),
        ("phases.csv, line 3: has 9 fields but the header has 8",),
    ),
    "duplicated header column": Corruption(
        text_edit(
            "phases", lambda t: t.replace("phase_id,order,name,", "phase_id,order,order,", 1)
        ),
        ("phases.csv, line 1, column 'order': appears twice in the header",),
        never_says=("wrong order",),
    ),
    "value outside the list": Corruption(
        cell("attacks", "A003", "weapon", "catapult"),
        ("column 'weapon': value 'catapult' is not one of the allowed values",),
    ),
    "missing required value": Corruption(
        cell("events", "E005", "event", ""),
        ("events.csv, line 6, column 'event': value '' is empty, but this column is required",),
    ),
    "precision that contradicts the date": Corruption(
        cell("troop_levels", "T001", "date_precision", "day"),
        ("column 'date_precision': value 'day' does not match the date",),
    ),
    "digits of another script": Corruption(
        cell("attacks", "A003", "munitions_low", "٣"), ("digits 0-9", "attacks.csv, line 4")
    ),
    "date in digits of another script": Corruption(
        cell("attacks", "A003", "date", "٢٠١٩-02-12"), ("attacks.csv, line 4, column 'date'",)
    ),
    "very long cell": Corruption(
        cell("attacks", "A003", "note", "x" * 200_000),
        ("attacks.csv, line 4", "characters"),
        never_says=("x" * 100,),
    ),
    "table cut to its header": Corruption(
        cut_rows("strikes", 1), ("strikes.csv: has a header but no rows",)
    ),
    "table cut at a row boundary": Corruption(
        cut_rows("attacks", 30),
        ("attacks.csv: has 29 rows, but datapackage.json records", "make data-stamp"),
    ),
    "edit that keeps the row count": Corruption(
        cell("attacks", "A003", "place", "Mosul"),
        ("attacks.csv: differs from the copy recorded in datapackage.json", "make data-stamp"),
    ),
    "date after the package date": Corruption(
        cell("attacks", "A003", "date", "2099-02-12"),
        (
            "attacks.csv, line 4, column 'date': value '2099-02-12' is after the date of the data package",
        ),
    ),
    "handover after the package date": Corruption(
        cell("bases", "balad", "handover_date", "2099-01-01"),
        ("column 'handover_date': value '2099-01-01' is after the date of the data package",),
    ),
    "phase that ends before it starts": Corruption(
        cell("phases", "surge", "end", "2006-01-01"),
        ("phases.csv, line 3, column 'end': value '2006-01-01' is before start (2007-01-10)",),
    ),
    "high count below the low count": Corruption(
        cell("attacks", "A003", "munitions_high", "2"),
        ("attacks.csv, line 4, column 'munitions_high': value '2' is below munitions_low (3)",),
    ),
    "NUL byte in a cell": Corruption(
        cell("attacks", "A003", "place", "Nine\x00veh"),
        ("attacks.csv, line 4, column 'place'", "NUL"),
        never_says=("\x00",),
    ),
    "unclosed quote in a row": Corruption(
        unclosed_quote_in_a_row, ("attacks.csv, line 4: a quoted cell opens on this line",)
    ),
    "file cut inside a quoted cell": Corruption(
        cut_inside_a_quoted_cell,
        (
            "a quoted cell opens on this line and is never closed",
            "references to it from other tables were not checked",
        ),
        never_says=("attacks.csv",),
        at_most=3,
    ),
    "empty descriptor": Corruption(
        lambda d: (d / "datapackage.json").write_text("{}", encoding="utf-8"),
        ("datapackage.json", "resources"),
    ),
    "column declaration the check cannot apply": Corruption(
        declare(undeclarable_column),
        (
            "column 'place' has a minimum (3); only number columns",
            "table 'attacks', column 'attack_id' has a type 'geopoint'",
            "column 'incident_id' has a pattern that is not a valid regular expression",
        ),
    ),
    "keys the check cannot apply": Corruption(
        declare(unusable_keys),
        (
            "table 'phases' has a primary key 'phase' that is not among its columns",
            "table 'events' has a foreign key it cannot apply",
        ),
    ),
    **{
        f"path outside the data folder ({where})": Corruption(
            outside(where),
            ("datapackage.json: table 'phases' has the path", "outside the data folder"),
            never_says=("TOP-SECRET",),
        )
        for where in ("absolute", "dotdot", "symlink")
    },
    **{
        f"strict number ({table}.{column} = {value!r})": Corruption(
            cell(table, row, column, value),
            (f"{table}.csv, line ", f"column '{column}': value '{value}'"),
        )
        for table, row, column, value in [
            ("attacks", "A003", "munitions_low", "٣"),  # Arabic-Indic digit
            ("attacks", "A003", "munitions_low", "３"),  # full-width digit
            ("bases", "balad", "lat", "3_3.9402"),
            ("bases", "balad", "lat", "nan"),
            ("bases", "balad", "lat", "inf"),
            ("bases", "balad", "lon", "-Infinity"),
            ("bases", "balad", "lat", "٣٣.٩"),
            ("claims", "C01", "claim_number", "1e400"),
            ("claims", "C01", "claim_number", "inf"),
        ]
    },
}


@pytest.mark.parametrize("name", CORRUPTIONS)
def test_a_corruption_is_named_in_plain_words_and_nothing_loads(data_copy, name):
    case = CORRUPTIONS[name]
    case.corrupt(data_copy)
    with pytest.raises(DataError) as info:
        data.validate()
    text = str(info.value)
    for part in case.says:
        assert part in text, f"{name}: {part!r} not in\n{text}"
    for part in case.never_says:
        assert part not in text, f"{name}: {part!r} shown in\n{text}"
    assert len(text) < 3000, "the message stays readable"
    if case.at_most is not None:
        assert len(info.value.problems) <= case.at_most
    for table in ("attacks", "phases", "sources"):
        with pytest.raises(DataError):
            data.table(table)


def test_the_corruptions_change_the_data(data_copy):
    """Each row of the table breaks something: the clean copy passes, the corrupted one does not."""
    assert data.validate()["attacks"] > 0
    before = {p.name: p.read_bytes() for p in data_copy.iterdir()}
    CORRUPTIONS["negative count"].corrupt(data_copy)
    assert {p.name: p.read_bytes() for p in data_copy.iterdir()} != before


def test_a_file_cut_inside_a_quoted_cell_is_reported_where_the_quote_opens(data_copy):
    line = opening_line_of_the_cut()
    cut_inside_a_quoted_cell(data_copy)
    assert (
        f"sources.csv, line {line}: a quoted cell opens on this line and is never closed"
        in message(data_copy)
    )


def test_every_problem_is_reported_at_once(data_copy):
    replace_cell(data_copy / "attacks.csv", "A003", "munitions_low", "-3")
    replace_cell(data_copy / "troop_levels.csv", "T001", "us_troops", "many")
    with pytest.raises(DataError) as info:
        data.validate()
    assert len(info.value.problems) == 2
    assert "has 2 problems" in str(info.value)


def test_listing_stops_after_a_cap(data_copy):
    path = data_copy / "map_outline.csv"
    header = path.read_text(encoding="utf-8").split("\n")[0]
    rows = "".join(f"IRQ,Iraq,0,{i},not-a-number,30,naturalearth\n" for i in range(5000))
    path.write_text(header + "\n" + rows, encoding="utf-8")
    with pytest.raises(DataError) as info:
        data.validate()
    assert len(info.value.problems) <= 1000
    assert "has at least 1000 problems" in str(info.value) and "and more" in str(info.value)


def test_typed_loading_never_raises_a_raw_pandas_error(data_copy):
    assert isinstance(data.bases()["lat"].dtype, pd.Float64Dtype)
    replace_cell(data_copy / "troop_levels.csv", "T001", "us_troops", "١٥٠٠٠٠")
    with pytest.raises(DataError, match="troop_levels.csv, line 2, column 'us_troops'"):
        data.troop_levels()


def test_a_windows_checkout_with_crlf_line_ends_still_matches_its_hash(data_copy):
    for path in data_copy.glob("*.csv"):
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert data.validate()["attacks"] > 0
    assert str(data.attacks()["note"].dtype) == "string"


# --- A table the descriptor does not declare is refused by name -----------------------------------

LOADERS = [
    "troop_levels", "attacks", "strikes", "bases", "events", "phases", "tasks", "actors",
    "claims", "figures", "sources", "places", "map_outline",
]  # fmt: skip


def test_every_table_has_its_loader():
    package = json.loads((data.paths.data_dir() / "datapackage.json").read_text(encoding="utf-8"))
    assert sorted(LOADERS) == sorted(r["name"] for r in package["resources"])


@pytest.mark.parametrize("name", LOADERS)
def test_a_table_removed_from_the_descriptor_is_refused_by_name(data_copy, name):
    assert len(getattr(data, name)()) > 0
    edit_package(data_copy, lambda p: p["resources"].remove(res(p, name)))
    for load in (getattr(data, name), lambda: data.table(name), lambda: data.as_written(name)):
        with pytest.raises(DataError, match=f"'{name}'"):
            load()


def test_the_refusal_says_the_file_is_still_there(data_copy):
    edit_package(data_copy, lambda p: p["resources"].remove(res(p, "strikes")))
    with pytest.raises(
        DataError, match="datapackage.json: has no table named 'strikes'.*restore its entry"
    ):
        data.strikes()


def test_a_misspelt_table_name_still_lists_the_tables():
    with pytest.raises(KeyError, match="The tables are: sources"):
        data.table("attack")


def test_citations_read_their_dates_through_the_check(data_copy):
    """A citation shows its source's date as written, and never from a file the check refused."""
    assert "(2011-10)" in claims.citation(next(iter(month_dated_sources())))
    replace_cell(data_copy / "sources.csv", "paper", "date", "twenty-twenty-two")
    with pytest.raises(DataError, match="sources.csv"):
        claims.citation("paper", sources=pd.DataFrame({"source_id": ["paper"]}))


def month_dated_sources():
    frame = data.as_written("sources")
    return frame.loc[frame["date"].str.fullmatch(r"2011-10", na=False), "source_id"]


def test_only_the_check_reads_the_data_files():
    """No helper reads a CSV around the check: every table a notebook meets has passed it."""
    package = Path(data.__file__).parent
    readers = {}
    for path in package.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if "read_csv(" in text or "data_dir()" in text:
            readers[path.relative_to(package).as_posix()] = True
    assert set(readers) <= {"data.py"}, f"reads data files around the check: {sorted(readers)}"
