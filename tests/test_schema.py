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
    assert "The data has 2 problems" in str(info.value)


def test_loading_a_table_also_checks(data_copy):
    replace_cell(data_copy / "attacks.csv", "A003", "base_id", "qayara")
    with pytest.raises(DataError, match="qayara"):
        data.attacks()
