"""Broken data files get a clear message: file, line, column, value and rule."""
import pytest

from usiraq import data
from usiraq.schema import DataError


def rewrite(path, transform):
    """Apply a text transformation to a data file."""
    path.write_text(transform(path.read_text(encoding="utf-8")), encoding="utf-8")


def replace_cell(path, row_id, column, new):
    """Set one cell of the row whose first column is row_id (a small, plain CSV edit)."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    col = rows[0].index(column)
    for row in rows[1:]:
        if row[0] == row_id:
            row[col] = new
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def message(data_dir):
    with pytest.raises(DataError) as info:
        data.validate()
    return str(info.value)


def test_clean_data_passes(data_copy):
    counts = data.validate()
    assert counts["attacks"] > 0 and counts["troop_levels"] > 0


def test_missing_column(data_copy):
    rewrite(data_copy / "attacks.csv", lambda t: t.replace(",weapon_detail,", ",", 1))
    text = message(data_copy)
    assert "attacks.csv, line 1, column 'weapon_detail': is missing from the header" in text


def test_unparseable_date(data_copy):
    replace_cell(data_copy / "troop_levels.csv", "T010", "date", "2005-13-01")
    text = message(data_copy)
    assert "troop_levels.csv, line 11, column 'date': value '2005-13-01'" in text
    assert "is not a date in the form YYYY, YYYY-MM or YYYY-MM-DD" in text


def test_negative_count(data_copy):
    replace_cell(data_copy / "attacks.csv", "A003", "munitions_low", "-3")
    text = message(data_copy)
    assert "attacks.csv, line 4, column 'munitions_low': value '-3' is below the minimum of 0" in text


def test_text_in_a_count(data_copy):
    replace_cell(data_copy / "troop_levels.csv", "T001", "us_troops", "about 150,000")
    assert "column 'us_troops': value 'about 150,000' is not a whole number" in message(data_copy)


def test_unknown_base(data_copy):
    replace_cell(data_copy / "attacks.csv", "A003", "base_id", "qayara")
    text = message(data_copy)
    assert "attacks.csv, line 4, column 'base_id': value 'qayara' is not a known base_id in bases.csv" in text


def test_unknown_source(data_copy):
    replace_cell(data_copy / "troop_levels.csv", "T002", "source_id", "pub-nowhere")
    text = message(data_copy)
    assert "troop_levels.csv, line 3, column 'source_id': value 'pub-nowhere' is not a known source_id in sources.csv" in text


def test_duplicate_id(data_copy):
    replace_cell(data_copy / "attacks.csv", "A004", "attack_id", "A003")
    text = message(data_copy)
    assert "attacks.csv, line 5, column 'attack_id': value 'A003' repeats the value on line 4; it must be unique" in text


def test_empty_file(data_copy):
    (data_copy / "bases.csv").write_text("", encoding="utf-8")
    assert "bases.csv: is empty; it needs at least a header line" in message(data_copy)


def test_wrong_delimiter(data_copy):
    rewrite(data_copy / "phases.csv", lambda t: t.replace(",", ";"))
    assert "phases.csv, line 1: separates its columns with semicolons; the module expects commas" in message(data_copy)


def test_byte_order_mark(data_copy):
    path = data_copy / "tasks.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert "tasks.csv, line 1: starts with a byte-order mark (BOM); save it as UTF-8 without BOM" in message(data_copy)


def test_extra_stray_column(data_copy):
    rewrite(data_copy / "places.csv", lambda t: "\n".join(line + "," if line else line for line in t.split("\n")))
    assert "places.csv, line 1, column '(an empty name)': is not a column of this table" in message(data_copy)


def test_row_with_a_stray_comma(data_copy):
    rewrite(data_copy / "phases.csv", lambda t: t.replace("surge,", "surge,,", 1))
    text = message(data_copy)
    assert "phases.csv, line 3: has 9 fields but the header has 8" in text


def test_value_outside_enumeration(data_copy):
    replace_cell(data_copy / "attacks.csv", "A003", "weapon", "catapult")
    assert "column 'weapon': value 'catapult' is not one of the allowed values" in message(data_copy)


def test_missing_required_value(data_copy):
    replace_cell(data_copy / "events.csv", "E005", "event", "")
    assert "events.csv, line 6, column 'event': value '' is empty, but this column is required" in message(data_copy)


def test_precision_that_contradicts_the_date(data_copy):
    replace_cell(data_copy / "troop_levels.csv", "T001", "date_precision", "day")
    text = message(data_copy)
    assert "column 'date_precision': value 'day' does not match the date" in text


def test_every_problem_is_reported_at_once(data_copy):
    replace_cell(data_copy / "attacks.csv", "A003", "munitions_low", "-3")
    replace_cell(data_copy / "troop_levels.csv", "T001", "us_troops", "many")
    with pytest.raises(DataError) as info:
        data.validate()
    assert len(info.value.problems) == 2
    assert "has 2 problems" in str(info.value)


def test_loading_a_table_also_checks(data_copy):
    replace_cell(data_copy / "attacks.csv", "A003", "base_id", "qayara")
    with pytest.raises(DataError, match="qayara"):
        data.attacks()


# --- Corruptions that used to crash, load silently wrong or mislead -----------------------------

import json  # noqa: E402
import os  # noqa: E402

import pandas as pd  # noqa: E402


def edit_package(data_dir, change):
    """Apply a change to the parsed datapackage.json and write it back."""
    path = data_dir / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    change(package)
    path.write_text(json.dumps(package, indent=2), encoding="utf-8")


def res(package, name):
    return next(r for r in package["resources"] if r["name"] == name)


def test_an_empty_descriptor_is_a_clear_problem(data_copy):
    (data_copy / "datapackage.json").write_text("{}", encoding="utf-8")
    text = message(data_copy)
    assert "datapackage.json" in text and "resources" in text
    with pytest.raises(DataError):
        data.attacks()


def test_a_table_missing_from_the_descriptor_is_named(data_copy):
    edit_package(data_copy, lambda p: p["resources"].remove(res(p, "strikes")))
    with pytest.raises(DataError, match="datapackage.json: has no table named 'strikes'"):
        data.strikes()


def test_a_misspelt_table_name_still_lists_the_tables():
    with pytest.raises(KeyError, match="The tables are: sources"):
        data.table("attack")


@pytest.mark.parametrize("table, row, column, value", [
    ("attacks", "A003", "munitions_low", "٣"),           # Arabic-Indic digit
    ("attacks", "A003", "munitions_low", "３"),           # full-width digit
    ("bases", "balad", "lat", "3_3.9402"),
    ("bases", "balad", "lat", "nan"),
    ("bases", "balad", "lat", "inf"),
    ("bases", "balad", "lon", "-Infinity"),
    ("bases", "balad", "lat", "٣٣.٩"),
    ("claims", None, "claim_number", "1e400"),
    ("claims", None, "claim_number", "inf"),
])
def test_numbers_are_parsed_strictly_by_both_validate_and_the_loader(data_copy, table, row, column, value):
    path = data_copy / f"{table}.csv"
    if row is None:
        row = path.read_text(encoding="utf-8").split("\n")[1].split(",")[0]
    replace_cell(path, row, column, value)
    text = message(data_copy)
    assert f"{table}.csv, line " in text and f"column '{column}': value '{value}'" in text
    with pytest.raises(DataError, match=column):
        data.table(table)


def test_non_ascii_digits_get_a_message_that_says_so(data_copy):
    replace_cell(data_copy / "attacks.csv", "A003", "munitions_low", "٣")
    assert "digits 0-9" in message(data_copy)


def test_a_date_in_non_ascii_digits_is_not_a_date(data_copy):
    replace_cell(data_copy / "attacks.csv", "A003", "date", "٢٠١٩-02-12")
    assert "attacks.csv, line 4, column 'date'" in message(data_copy)


def test_a_very_long_cell_is_reported_not_raised(data_copy):
    replace_cell(data_copy / "attacks.csv", "A003", "note", "x" * 200_000)
    text = message(data_copy)
    assert "attacks.csv, line 4" in text and "characters" in text
    assert len(text) < 2000


def test_a_table_cut_to_its_header(data_copy):
    path = data_copy / "strikes.csv"
    path.write_text(path.read_text(encoding="utf-8").split("\n")[0] + "\n", encoding="utf-8")
    text = message(data_copy)
    assert "strikes.csv: has a header but no rows" in text


def test_a_table_cut_at_a_row_boundary(data_copy):
    path = data_copy / "attacks.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    path.write_text("\n".join(lines[:30]) + "\n", encoding="utf-8")
    text = message(data_copy)
    assert "attacks.csv: has 29 rows, but datapackage.json records" in text
    assert "make data-stamp" in text


def test_an_edit_that_keeps_the_row_count_is_caught_by_the_hash(data_copy):
    replace_cell(data_copy / "attacks.csv", "A003", "place", "Mosul")
    text = message(data_copy)
    assert "attacks.csv: differs from the copy recorded in datapackage.json" in text
    assert "make data-stamp" in text


def test_a_date_after_the_package_date(data_copy):
    replace_cell(data_copy / "attacks.csv", "A003", "date", "2099-02-12")
    text = message(data_copy)
    assert "attacks.csv, line 4, column 'date': value '2099-02-12' is after the date of the data package" in text


def test_a_handover_after_the_package_date(data_copy):
    replace_cell(data_copy / "bases.csv", "balad", "handover_date", "2099-01-01")
    assert "column 'handover_date': value '2099-01-01' is after the date of the data package" in message(data_copy)


def test_a_phase_that_ends_before_it_starts(data_copy):
    replace_cell(data_copy / "phases.csv", "surge", "end", "2006-01-01")
    text = message(data_copy)
    assert "phases.csv, line 3, column 'end': value '2006-01-01' is before start (2007-01-10)" in text


def test_a_high_count_below_the_low_count(data_copy):
    replace_cell(data_copy / "attacks.csv", "A003", "munitions_high", "2")
    text = message(data_copy)
    assert "attacks.csv, line 4, column 'munitions_high': value '2' is below munitions_low (3)" in text


def test_a_nul_byte_in_a_cell(data_copy):
    replace_cell(data_copy / "attacks.csv", "A003", "place", "Nine\x00veh")
    text = message(data_copy)
    assert "attacks.csv, line 4, column 'place'" in text and "NUL" in text
    assert "\x00" not in text


def test_a_file_cut_inside_a_quoted_cell_names_that_file_once(data_copy):
    path = data_copy / "sources.csv"
    text = path.read_text(encoding="utf-8")
    cut = text.index(',"', len(text) // 2) + 6
    path.write_text(text[:cut], encoding="utf-8")
    line = text[:cut].count("\n") + 1
    with pytest.raises(DataError) as info:
        data.validate()
    shown = str(info.value)
    assert f"sources.csv, line {line}: a quoted cell opens on this line and is never closed" in shown
    assert len(info.value.problems) <= 3
    assert "references to it from other tables were not checked" in shown
    assert "attacks.csv" not in shown


def test_an_unclosed_quote_is_reported_where_it_opens(data_copy):
    path = data_copy / "attacks.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[3] = lines[3].replace(",Nineveh,", ',"Nineveh,', 1)
    path.write_text("\n".join(lines), encoding="utf-8")
    text = message(data_copy)
    assert "attacks.csv, line 4: a quoted cell opens on this line" in text


def test_a_duplicated_header_column(data_copy):
    rewrite(data_copy / "phases.csv", lambda t: t.replace("phase_id,order,name,", "phase_id,order,order,", 1))
    text = message(data_copy)
    assert "phases.csv, line 1, column 'order': appears twice in the header" in text
    assert "wrong order" not in text


def test_utf16_without_a_byte_order_mark(data_copy):
    path = data_copy / "tasks.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16-le"))
    assert "tasks.csv: is saved as UTF-16" in message(data_copy)


def test_utf16_with_a_byte_order_mark(data_copy):
    path = data_copy / "tasks.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    assert "tasks.csv: is saved as UTF-16" in message(data_copy)


@pytest.mark.parametrize("where", ["absolute", "dotdot", "symlink"])
def test_a_path_outside_the_data_folder_is_refused_and_never_shown(data_copy, tmp_path, where):
    secret = tmp_path / "secret.csv"
    secret.write_text("phase_id,order\nTOP-SECRET-CONTENT,1\n", encoding="utf-8")
    if where == "absolute":
        target = str(secret)
    elif where == "dotdot":
        target = "../secret.csv"
    else:
        os.symlink(secret, data_copy / "linked.csv")
        target = "linked.csv"
    edit_package(data_copy, lambda p: res(p, "phases").update(path=target))
    text = message(data_copy)
    assert "datapackage.json: table 'phases' has the path" in text and "outside the data folder" in text
    assert "TOP-SECRET" not in text
    with pytest.raises(DataError):
        data.phases()


def test_listing_stops_after_a_cap(data_copy):
    path = data_copy / "map_outline.csv"
    header = path.read_text(encoding="utf-8").split("\n")[0]
    rows = "".join(f"IRQ,Iraq,0,{i},not-a-number,30,naturalearth\n" for i in range(5000))
    path.write_text(header + "\n" + rows, encoding="utf-8")
    with pytest.raises(DataError) as info:
        data.validate()
    assert len(info.value.problems) <= 1000
    assert "and more" in str(info.value)


def test_typed_loading_never_raises_a_raw_pandas_error(data_copy):
    assert isinstance(data.bases()["lat"].dtype, pd.Float64Dtype)
    replace_cell(data_copy / "troop_levels.csv", "T001", "us_troops", "١٥٠٠٠٠")
    with pytest.raises(DataError, match="troop_levels.csv, line 2, column 'us_troops'"):
        data.troop_levels()


def test_a_column_declaration_the_checker_cannot_apply(data_copy):
    def change(package):
        fields = res(package, "attacks")["schema"]["fields"]
        fields[0]["type"] = "geopoint"
        fields[1].setdefault("constraints", {})["pattern"] = "([a-z"
        fields[5].setdefault("constraints", {})["minimum"] = 3
    edit_package(data_copy, change)
    text = message(data_copy)
    assert "column 'place' has a minimum (3); only number columns" in text
    assert "table 'attacks', column 'attack_id' has a type 'geopoint'" in text
    assert "column 'incident_id' has a pattern that is not a valid regular expression" in text


def test_a_windows_checkout_with_crlf_line_ends_still_matches_its_hash(data_copy):
    for path in data_copy.glob("*.csv"):
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert data.validate()["attacks"] > 0
    assert str(data.attacks()["note"].dtype) == "string"


def test_keys_the_checker_cannot_apply(data_copy):
    def change(package):
        res(package, "phases")["schema"]["primaryKey"] = "phase"
        res(package, "events")["schema"]["foreignKeys"][0] = {"fields": "source_id", "reference": "sources"}
    edit_package(data_copy, change)
    text = message(data_copy)
    assert "table 'phases' has a primary key 'phase' that is not among its columns" in text
    assert "table 'events' has a foreign key it cannot apply" in text


def test_the_fast_column_parsers_agree_with_the_cell_parsers():
    """Every string of up to four characters from '019+-.eE_ n': column and cell verdicts match."""
    import itertools

    from usiraq import schema

    for size in range(1, 5):
        for chars in itertools.product("019+-.eE_ n", repeat=size):
            text = "".join(chars)
            for column, cell in ((schema.parse_numbers, schema.parse_number),
                                 (schema.parse_integers, schema.parse_integer)):
                try:
                    fast = column([text])
                except ValueError:
                    fast = None
                try:
                    slow = [cell(text)]
                except ValueError:
                    slow = None
                assert fast == slow, (text, column.__name__)
