"""Check the data tables against the schemas declared in ``data/datapackage.json``.

The schemas follow the Frictionless Table Schema standard, so they are written
once, as data, and any Frictionless tool can read them.  This module implements
the part of the standard the module uses (types, required, unique, minimum,
maximum, enum, pattern, primary and foreign keys) with the standard library, so
that every problem is reported in plain words: which file, which line, which
column, which value, and which rule it breaks.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

PARTIAL_DATE = "x-partialDate"
PRECISION_BY_LENGTH = {4: "year", 7: "month", 10: "day"}
MAX_REPORTED = 10


@dataclass(frozen=True)
class Problem:
    """One broken rule, located precisely enough to fix by hand."""

    file: str
    line: int | None
    column: str | None
    value: str | None
    rule: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        if self.column is not None:
            where += f", column '{self.column}'"
        if self.value is not None:
            return f"{where}: value '{self.value}' {self.rule}"
        return f"{where}: {self.rule}"


class DataError(ValueError):
    """A data file breaks its schema.  ``problems`` lists every broken rule found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        shown = [f"  - {p}" for p in problems[:MAX_REPORTED]]
        more = len(problems) - MAX_REPORTED
        if more > 0:
            shown.append(f"  ... and {more} more")
        noun = "problem" if len(problems) == 1 else "problems"
        super().__init__(f"The data has {len(problems)} {noun}:\n" + "\n".join(shown))


def read_package(data_dir: Path) -> dict:
    """Read ``datapackage.json``; a broken descriptor is itself a data problem."""
    path = data_dir / "datapackage.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise DataError([Problem(path.name, None, None, None, f"cannot be read as JSON ({err})")]) from None


def resource(package: dict, name: str) -> dict:
    """The descriptor of one table, by name."""
    for res in package["resources"]:
        if res["name"] == name:
            return res
    known = ", ".join(r["name"] for r in package["resources"])
    raise KeyError(f"No table named '{name}'. The tables are: {known}.")


def read_rows(path: Path, fields: list[dict]) -> tuple[list[dict], list[int], list[Problem]]:
    """Read a CSV file into dicts of strings, checking its shape first.

    Returns the rows, the line number of each row, and the problems found with
    the file as a whole (encoding, delimiter, header, row lengths).
    """
    name = path.name
    try:
        raw = path.read_bytes()
    except OSError as err:
        return [], [], [Problem(name, None, None, None, f"cannot be read ({err.strerror})")]
    if raw.startswith(b"\xef\xbb\xbf"):
        return [], [], [Problem(name, 1, None, None,
                                "starts with a byte-order mark (BOM); save it as UTF-8 without BOM")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        return [], [], [Problem(name, line, None, None, "is not valid UTF-8 text; save it as UTF-8")]
    if not text.strip():
        return [], [], [Problem(name, None, None, None, "is empty; it needs at least a header line")]

    reader = csv.reader(text.splitlines(keepends=True))
    header = next(reader)
    expected = [f["name"] for f in fields]
    problems = header_problems(name, header, expected)
    if problems:
        return [], [], problems

    rows, lines = [], []
    for values in reader:
        line = reader.line_num
        if not values:
            problems.append(Problem(name, line, None, None, "is blank; remove the empty line"))
            continue
        if len(values) != len(header):
            problems.append(Problem(name, line, None, None,
                                    f"has {len(values)} fields but the header has {len(header)}"
                                    " (a stray or missing comma, or an unquoted comma in a text)"))
            continue
        rows.append(dict(zip(header, values)))
        lines.append(line)
    return rows, lines, problems


def header_problems(name: str, header: list[str], expected: list[str]) -> list[Problem]:
    """Compare the header with the schema's columns and explain any mismatch."""
    if len(header) == 1 and len(expected) > 1:
        for sep, label in ((";", "semicolons"), ("\t", "tabs"), ("|", "bars")):
            if sep in header[0]:
                return [Problem(name, 1, None, None,
                                f"separates its columns with {label}; the module expects commas")]
    problems = []
    for col in expected:
        if col not in header:
            problems.append(Problem(name, 1, col, None, "is missing from the header"))
    for col in header:
        if col not in expected:
            shown = col if col.strip() else "(an empty name)"
            problems.append(Problem(name, 1, shown, None,
                                    "is not a column of this table; remove it or declare it in datapackage.json"))
    if not problems and header != expected:
        problems.append(Problem(name, 1, None, None,
                                "has the right columns in the wrong order; expected " + ", ".join(expected)))
    return problems


def parse_value(text: str, field: dict):
    """Turn one cell into a Python value, or raise ValueError saying what was expected."""
    kind = field.get("type", "string")
    if kind == "string":
        if field.get(PARTIAL_DATE):
            return parse_partial_date(text)
        return text
    if kind == "integer":
        if not re.fullmatch(r"[+-]?\d+", text):
            raise ValueError("is not a whole number")
        return int(text)
    if kind == "number":
        try:
            return float(text)
        except ValueError:
            raise ValueError("is not a number") from None
    if kind == "boolean":
        if text in ("true", "false"):
            return text == "true"
        raise ValueError("is not 'true' or 'false'")
    if kind == "date":
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError("is not a date in the form YYYY-MM-DD")
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError("is not a real calendar date") from None
    raise ValueError(f"has a type '{kind}' that the module cannot check")


def parse_partial_date(text: str) -> dt.date:
    """Parse YYYY, YYYY-MM or YYYY-MM-DD to the first day of that period."""
    parts = text.split("-")
    try:
        if len(parts) == 1 and len(text) == 4:
            return dt.date(int(text), 1, 1)
        if len(parts) == 2 and len(text) == 7:
            return dt.date(int(parts[0]), int(parts[1]), 1)
        if len(parts) == 3 and len(text) == 10:
            return dt.date.fromisoformat(text)
    except ValueError:
        pass
    raise ValueError("is not a date in the form YYYY, YYYY-MM or YYYY-MM-DD")


def cell_problems(text: str, field: dict) -> str | None:
    """Check one cell against its field's type and constraints; return the broken rule."""
    cons = field.get("constraints", {})
    if text == "":
        return "is empty, but this column is required" if cons.get("required") else None
    if "pattern" in cons and not re.fullmatch(cons["pattern"], text):
        return f"does not match the required form (pattern {cons['pattern']})"
    try:
        value = parse_value(text, field)
    except ValueError as err:
        return str(err)
    if "enum" in cons and text not in cons["enum"]:
        return "is not one of the allowed values: " + ", ".join(cons["enum"])
    if "minimum" in cons and value < cons["minimum"]:
        return f"is below the minimum of {cons['minimum']}"
    if "maximum" in cons and value > cons["maximum"]:
        return f"is above the maximum of {cons['maximum']}"
    return None


def table_problems(path: Path, schema: dict) -> tuple[list[dict], list[int], list[Problem]]:
    """Check one table on its own: shape, cells, keys, and date precision."""
    fields = schema["fields"]
    rows, lines, problems = read_rows(path, fields)
    name = path.name
    for row, line in zip(rows, lines):
        for field in fields:
            rule = cell_problems(row[field["name"]], field)
            if rule:
                problems.append(Problem(name, line, field["name"], row[field["name"]], rule))
        if "date_precision" in row and row.get("date") and row["date_precision"]:
            implied = PRECISION_BY_LENGTH.get(len(row["date"]))
            if implied and implied != row["date_precision"]:
                problems.append(Problem(name, line, "date_precision", row["date_precision"],
                                        f"does not match the date '{row['date']}', which is precise to the {implied}"))
    problems += uniqueness_problems(name, rows, lines, schema)
    return rows, lines, problems


def uniqueness_problems(name: str, rows: list[dict], lines: list[int], schema: dict) -> list[Problem]:
    """Unique columns and the primary key must not repeat a value."""
    keys = [[f["name"]] for f in schema["fields"] if f.get("constraints", {}).get("unique")]
    pk = schema.get("primaryKey")
    if pk:
        pk = [pk] if isinstance(pk, str) else list(pk)
        if pk not in keys:
            keys.append(pk)
    problems = []
    for cols in keys:
        seen: dict[tuple, int] = {}
        for row, line in zip(rows, lines):
            value = tuple(row[c] for c in cols)
            if value in seen:
                problems.append(Problem(name, line, ", ".join(cols), ", ".join(value),
                                        f"repeats the value on line {seen[value]}; it must be unique"))
            else:
                seen[value] = line
    return problems


def foreign_key_problems(name: str, rows: list[dict], lines: list[int], schema: dict,
                         known: dict[str, dict[str, set]]) -> list[Problem]:
    """Every non-empty reference must name a row of the referenced table."""
    problems = []
    for key in schema.get("foreignKeys", []):
        col = key["fields"]
        target = key["reference"]["resource"]
        target_col = key["reference"]["fields"]
        allowed = known.get(target, {}).get(target_col, set())
        for row, line in zip(rows, lines):
            value = row.get(col, "")
            if value and value not in allowed:
                problems.append(Problem(name, line, col, value,
                                        f"is not a known {target_col} in {target}.csv"))
    return problems


def validate_package(data_dir: Path) -> dict[str, list[dict]]:
    """Check every table and every reference between tables.

    Returns the rows of each table as dicts of strings.  Raises DataError
    listing every problem found, so one run shows all that needs fixing.
    """
    package = read_package(data_dir)
    tables, problems = {}, []
    for res in package["resources"]:
        rows, lines, found = table_problems(data_dir / res["path"], res["schema"])
        tables[res["name"]] = (rows, lines)
        problems += found
    known = {
        name: {col: {r[col] for r in rows} for col in (rows[0] if rows else {})}
        for name, (rows, _) in tables.items()
    }
    for res in package["resources"]:
        rows, lines = tables[res["name"]]
        problems += foreign_key_problems(Path(res["path"]).name, rows, lines, res["schema"], known)
    if problems:
        raise DataError(problems)
    return {name: rows for name, (rows, _) in tables.items()}
