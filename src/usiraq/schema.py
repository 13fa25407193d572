"""Check the data tables against the schemas declared in ``data/datapackage.json``.

The schemas follow the Frictionless Table Schema standard, so they are written
once, as data, and any Frictionless tool can read them.  This module implements
the part of the standard the module uses (types, required, unique, minimum,
maximum, enum, pattern, primary and foreign keys, and each resource's recorded
``bytes`` and ``hash``) with the standard library, so that every problem is
reported in plain words: which file, which line, which column, which value, and
which rule it breaks.  Three additions are custom properties: ``x-rows`` (the
row count, recorded with the hash by ``make data-stamp``), ``x-rules`` (rules
between two columns of a row, such as a low count not above the high count) and
``x-partialDate`` (a date given to the year, month or day).

The tables are small (a few hundred rows each), so each file is read whole and
checked cell by cell; the listing stops after MAX_PROBLEMS.  The same parsers
turn cells into values for the loader (``read_table``), so a value that passes
the check always loads.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import math
import re
from dataclasses import dataclass
from dataclasses import field as dc_field
from pathlib import Path

from .paths import PACKAGE_NAME

PARTIAL_DATE = "x-partialDate"
ROWS = "x-rows"
RULES = "x-rules"
PRECISION_BY_LENGTH = {4: "year", 7: "month", 10: "day"}
MAX_REPORTED = 10  # problems shown in the message
MAX_PROBLEMS = 1000  # problems collected before the check stops
STAMP_HINT = (
    "If you changed it on purpose, run `make data-stamp` (or `python tools/data_stamp.py`) "
    "to record its new row count and hash."
)

CONTROL_NAMES = {"\x00": "NUL", "\n": "line break", "\r": "carriage return"}
INT64 = 2**63 - 1
INTEGER = re.compile(r"[+-]?[0-9]+")
NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
PARTIAL = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


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
            return f"{where}: value '{shown(self.value)}' {self.rule}"
        return f"{where}: {self.rule}"


def shown(text: str, limit: int = 60) -> str:
    """A cell as it can be printed: control characters named, long text cut."""
    cut = "".join(
        f"<{CONTROL_NAMES.get(c, 'control character')}>" if c < " " and c != "\t" else c
        for c in text[:limit]
    )
    return cut + f"... ({len(text):,} characters)" if len(text) > limit else cut


class DataError(ValueError):
    """A data file breaks its schema.  ``problems`` lists every broken rule found.

    ``more`` is true when the check stopped after MAX_PROBLEMS; ``folder`` is
    the data folder that was checked, named in the message.
    """

    def __init__(self, problems: list[Problem], folder: Path | None = None, more: bool = False):
        self.problems = list(problems)
        self.folder = folder
        self.more = more
        shown_ = [f"  - {p}" for p in self.problems[:MAX_REPORTED]]
        rest = len(self.problems) - MAX_REPORTED
        if more:
            shown_.append(
                "  ... and more (the check stops listing after "
                f"{MAX_PROBLEMS} problems; fix these and run it again)"
            )
        elif rest > 0:
            shown_.append(f"  ... and {rest} more")
        noun = "problem" if len(self.problems) == 1 else "problems"
        count = f"at least {len(self.problems)}" if more else str(len(self.problems))
        where = f" in {folder}" if folder else ""
        super().__init__(f"The data{where} has {count} {noun}:\n" + "\n".join(shown_))


class UnknownTable(DataError, KeyError):
    """The descriptor lists no table of that name (a typo, or an entry removed)."""

    def __str__(self) -> str:
        return self.args[0]


class Problems:
    """Collects problems up to MAX_PROBLEMS; ``full`` tells readers to stop."""

    def __init__(self):
        self.items: list[Problem] = []
        self.more = False

    @property
    def full(self) -> bool:
        return len(self.items) >= MAX_PROBLEMS

    def add(self, *args) -> None:
        if self.full:
            self.more = True
        else:
            self.items.append(Problem(*args))


# --- The descriptor -------------------------------------------------------------------------------


def read_package(data_dir: Path) -> dict:
    """Read ``datapackage.json`` and check its outline; a broken descriptor is a data problem."""
    path = data_dir / "datapackage.json"
    try:
        package = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise DataError(
            [Problem(path.name, None, None, None, f"cannot be read as JSON ({err})")], data_dir
        ) from None
    problems = descriptor_problems(package)
    if problems:
        raise DataError(problems, data_dir)
    return package


def descriptor_problems(package) -> list[Problem]:
    """What stops the descriptor from describing the course's tables."""

    def problem(rule):
        return Problem("datapackage.json", None, None, None, rule)

    if not isinstance(package, dict):
        return [problem("is not a JSON object with 'name' and 'resources'")]
    problems = []
    if package.get("name") != PACKAGE_NAME:
        problems.append(
            problem(
                f"names the package {package.get('name')!r}, not {PACKAGE_NAME!r}: "
                "it is not this module's data package"
            )
        )
    if package_date(package) is None:
        problems.append(
            problem("has no 'created' date (YYYY-MM-DD...): run `make data-stamp` to add one")
        )
    resources = package.get("resources")
    if not isinstance(resources, list) or not resources:
        return problems + [problem("has no list of 'resources' (tables)")]
    names = set()
    for i, res in enumerate(resources):
        label = res.get("name") if isinstance(res, dict) else None
        if not isinstance(label, str) or not label:
            problems.append(problem(f"resource number {i + 1} has no name"))
            continue
        if label in names:
            problems.append(problem(f"lists the table '{label}' twice"))
        names.add(label)
        if not isinstance(res.get("path"), str):
            problems.append(
                problem(f"table '{label}' has no path (the file name, such as '{label}.csv')")
            )
        fields = (
            res.get("schema", {}).get("fields") if isinstance(res.get("schema"), dict) else None
        )
        if (
            not isinstance(fields, list)
            or not fields
            or not all(isinstance(f, dict) and isinstance(f.get("name"), str) for f in fields)
        ):
            problems.append(problem(f"table '{label}' has no schema with a list of named fields"))
    for res in resources:
        if not isinstance(res, dict) or not isinstance(res.get("schema"), dict):
            continue
        columns = {f.get("name") for f in res["schema"].get("fields") or [] if isinstance(f, dict)}
        for f in res["schema"].get("fields") or []:
            if isinstance(f, dict):
                problems += [
                    problem(f"table '{res['name']}', column '{f.get('name')}' {rule}")
                    for rule in field_problems(f)
                ]
        pk = res["schema"].get("primaryKey") or []
        if not set([pk] if isinstance(pk, str) else pk) <= columns:
            problems.append(
                problem(
                    f"table '{res['name']}' has a primary key {pk!r} that is not among its columns"
                )
            )
        for key in res["schema"].get("foreignKeys", []):
            ref = key.get("reference") if isinstance(key, dict) else None
            if (
                not isinstance(ref, dict)
                or key.get("fields") not in columns
                or not isinstance(ref.get("fields"), str)
            ):
                problems.append(
                    problem(f"table '{res['name']}' has a foreign key it cannot apply: {key}")
                )
            elif ref.get("resource") not in names:
                problems.append(
                    problem(
                        f"table '{res['name']}' refers to a table '{ref.get('resource')}' "
                        "that it does not list"
                    )
                )
        for rule in res.get(RULES, []):
            cols = rule.get("fields", []) if isinstance(rule, dict) else []
            if (
                not isinstance(rule, dict)
                or rule.get("type") != "ordered"
                or len(cols) != 2
                or not set(cols) <= columns
            ):
                problems.append(
                    problem(f"table '{res['name']}' has a rule it cannot apply: {rule}")
                )
    return problems


def field_problems(field: dict) -> list[str]:
    """What in a column's declaration the checker cannot apply (a type or a pattern)."""
    problems = []
    if field.get("type", "string") not in ("string", "integer", "number", "boolean", "date"):
        problems.append(f"has a type '{field.get('type')}' that the module cannot check")
    cons = field.get("constraints", {})
    if not isinstance(cons, dict):
        return problems + ["has constraints that are not a JSON object"]
    try:
        re.compile(cons.get("pattern", ""))
    except (re.error, TypeError):
        problems.append(
            f"has a pattern that is not a valid regular expression: {cons.get('pattern')!r}"
        )
    for bound in ("minimum", "maximum"):
        if bound in cons and (
            not isinstance(cons[bound], (int, float))
            or isinstance(cons[bound], bool)
            or field.get("type") not in ("integer", "number")
        ):
            problems.append(
                f"has a {bound} ({cons[bound]!r}); only number columns can have a numeric {bound}"
            )
    return problems


def package_date(package: dict) -> dt.date | None:
    """The package's own date (``created``): no date in the data can be later."""
    try:
        return dt.date.fromisoformat(str(package.get("created", ""))[:10])
    except ValueError:
        return None


def resource(package: dict, name: str, data_dir: Path | None = None) -> dict:
    """The descriptor of one table, by name."""
    for res in package["resources"]:
        if res["name"] == name:
            return res
    known = ", ".join(r["name"] for r in package["resources"])
    hint = ""
    if data_dir is not None and (data_dir / f"{name}.csv").is_file():
        hint = f" ({name}.csv is in the folder: restore its entry)"
    text = f"datapackage.json: has no table named '{name}'{hint}. The tables are: {known}."
    err = UnknownTable(
        [Problem("datapackage.json", None, None, None, f"has no table named '{name}'")], data_dir
    )
    err.args = (text,)
    raise err


def resource_path(data_dir: Path, res: dict) -> Path | str:
    """The file of a table, or the reason it is refused: only files inside the data folder are read."""
    raw = res["path"]
    inside = data_dir.resolve()
    path = (data_dir / raw).resolve()
    if Path(raw).is_absolute() or ".." in Path(raw).parts or not path.is_relative_to(inside):
        return (
            f"table '{res['name']}' has the path '{shown(raw)}', which is outside the data folder; "
            "only files in the data folder are read"
        )
    return data_dir / raw


# --- Reading one file -----------------------------------------------------------------------------


def sniff(head: bytes) -> str | None:
    """A reason the file cannot be read as UTF-8 CSV, from its first bytes."""
    if head.startswith(b"\xef\xbb\xbf"):
        return "starts with a byte-order mark (BOM); save it as UTF-8 without BOM"
    zeros = head.count(b"\x00")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(head) >= 4 and zeros * 3 >= len(head)):
        return "is saved as UTF-16 (every other byte is zero); save it as UTF-8"
    return None


def read_bytes(path: Path, name: str, sink: Problems) -> bytes | None:
    """The file's bytes with Windows line ends made plain (a Windows checkout hashes like the
    stored file), or None after reporting why it cannot be read as UTF-8 CSV."""
    try:
        raw = path.read_bytes()
    except OSError as err:
        sink.add(name, None, None, None, f"cannot be read ({err.strerror})")
        return None
    reason = sniff(raw[:4096])
    if reason:
        sink.add(name, 1 if "BOM" in reason else None, None, None, reason)
        return None
    if not raw.strip():
        sink.add(name, None, None, None, "is empty; it needs at least a header line")
        return None
    raw = raw.replace(b"\r\n", b"\n")
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        sink.add(name, line, None, None, "is not valid UTF-8 text; save it as UTF-8")
        return None
    return raw


class Lines:
    """The lines of a file as ``csv.reader`` reads them, kept to point at the line a problem starts on.

    ``ended`` turns true only when the reader asked for a line past the last one:
    a record still open at the end of the file (an unclosed quote).
    """

    def __init__(self, text: str):
        self.lines = io.StringIO(text, newline="\n").readlines()
        self.ended = False

    def __iter__(self):
        yield from self.lines
        self.ended = True

    def record(self, start: int, end: int) -> str:
        return "".join(self.lines[start - 1 : end])

    def opening_line(self, start: int, end: int) -> int:
        """The line on which the record's quotes first stay open."""
        count = 0
        for offset, text in enumerate(self.lines[start - 1 : end]):
            before, count = count, count + text.count('"')
            if before % 2 == 0 and count % 2 == 1:
                return start + offset
        return start


@dataclass
class Scan:
    """What reading one table found: rows, its fingerprint, and the values others refer to."""

    rows: int = 0
    bytes: int = 0
    hash: str = ""
    broken: bool = False
    keys: dict = dc_field(default_factory=dict)  # column -> set of values, for foreign keys
    columns: dict | None = None  # column -> values, when asked to keep them


def scan_table(
    path: Path, res: dict, context: Context, sink: Problems, keep: str | None = None
) -> Scan:
    """Read one table and check every rule that concerns it alone or its references.

    ``keep`` is "values" to keep each column's parsed values, "text" to keep
    them as the file writes them.
    """
    name = Path(res["path"]).name
    scan = Scan(keys={c: set() for c in context.referenced.get(res["name"], ())})
    start = len(sink.items)
    raw = read_bytes(path, name, sink)
    if raw is None:
        scan.broken = True
        return scan
    scan.bytes, scan.hash = len(raw), "sha256:" + hashlib.sha256(raw).hexdigest()
    checker = TableCheck(name, res, context, sink, scan, keep)
    checker.read(Lines(raw.decode("utf-8")))
    if checker.header_ok and scan.rows == 0 and len(sink.items) == start:
        sink.add(name, None, None, None, "has a header but no rows")
    if len(sink.items) == start and context.check_stamps:
        stamp_problem(name, res, scan, sink)
    scan.broken = len(sink.items) > start or sink.more
    return scan


def stamp_problem(name: str, res: dict, scan: Scan, sink: Problems) -> None:
    """Compare the file with the row count and hash recorded for it."""
    rows, digest = res.get(ROWS), res.get("hash")
    if rows is None or digest is None:
        sink.add(
            name,
            None,
            None,
            None,
            "has no row count and hash recorded in datapackage.json. " + STAMP_HINT,
        )
    elif scan.rows != rows:
        sink.add(
            name,
            None,
            None,
            None,
            f"has {scan.rows} rows, but datapackage.json records {rows}: it may have been cut short "
            "or rows were lost. " + STAMP_HINT,
        )
    elif scan.hash != digest:
        sink.add(
            name,
            None,
            None,
            None,
            "differs from the copy recorded in datapackage.json (same row count, different hash). "
            + STAMP_HINT,
        )


# --- Checking cells -------------------------------------------------------------------------------


def parse_number(text: str) -> float:
    """A decimal number in digits 0-9, or ValueError saying what is wrong.

    Python's float() also takes 'nan', 'inf', '3_3.3' and digits of other
    scripts; a data file should not.
    """
    if not NUMBER.fullmatch(text):
        raise ValueError(not_a_number(text, "a number"))
    value = float(text)
    if math.isinf(value):
        raise ValueError("is too large to be a number")
    return value


def parse_integer(text: str) -> int:
    """A whole number in digits 0-9, or ValueError saying what is wrong."""
    if not INTEGER.fullmatch(text):
        raise ValueError(not_a_number(text, "a whole number"))
    value = int(text) if len(text) <= 20 else INT64 + 1
    if abs(value) > INT64:
        raise ValueError("is too large for a whole-number column")
    return value


def not_a_number(text: str, kind: str) -> str:
    if any(c.isdigit() and not c.isascii() for c in text):
        return (
            f"is not {kind} in the digits 0-9 (it uses digits of another script); type it with 0-9"
        )
    return f"is not {kind} (digits 0-9{', a point for decimals' if kind == 'a number' else ''})"


def parse_date(text: str) -> dt.date:
    if not DAY.fullmatch(text):
        raise ValueError("is not a date in the form YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError("is not a real calendar date") from None


def parse_partial_date(text: str) -> dt.date:
    """Parse YYYY, YYYY-MM or YYYY-MM-DD to the first day of that period."""
    match = PARTIAL.fullmatch(text)
    try:
        if match:
            year, month, day = match.groups()
            return dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        pass
    raise ValueError("is not a date in the form YYYY, YYYY-MM or YYYY-MM-DD")


def parse_boolean(text: str) -> bool:
    if text in ("true", "false"):
        return text == "true"
    raise ValueError("is not 'true' or 'false'")


def parser(field: dict):
    """The function that turns a non-empty cell of this field into a value (the one parser)."""
    kind = field.get("type", "string")
    if kind == "string":
        return parse_partial_date if field.get(PARTIAL_DATE) else None
    parsers = {
        "integer": parse_integer,
        "number": parse_number,
        "boolean": parse_boolean,
        "date": parse_date,
    }
    if kind not in parsers:
        raise ValueError(f"has a type '{kind}' that the module cannot check")
    return parsers[kind]


class FieldCheck:
    """Every rule of one column."""

    def __init__(self, field: dict, latest: dt.date | None):
        cons = field.get("constraints", {})
        self.name = field["name"]
        self.required = bool(cons.get("required"))
        self.pattern = re.compile(cons["pattern"]) if "pattern" in cons else None
        self.enum = cons.get("enum")
        self.minimum, self.maximum = cons.get("minimum"), cons.get("maximum")
        self.parse = parser(field)
        dated = field.get("type") == "date" or bool(field.get(PARTIAL_DATE))
        self.latest = latest if dated else None

    def cell(self, text: str):
        """A cell's value (None when empty), and the rule it breaks (None when it breaks none)."""
        if not text:
            return None, "is empty, but this column is required" if self.required else None
        if self.pattern is not None and not self.pattern.fullmatch(text):
            return None, f"does not match the required form (pattern {self.pattern.pattern})"
        try:
            value = self.parse(text) if self.parse else text
        except ValueError as err:
            return None, str(err)
        if self.enum is not None and text not in self.enum:
            return None, "is not one of the allowed values: " + ", ".join(self.enum)
        if self.minimum is not None and value < self.minimum:
            return None, f"is below the minimum of {self.minimum}"
        if self.maximum is not None and value > self.maximum:
            return None, f"is above the maximum of {self.maximum}"
        if self.latest is not None and value > self.latest:
            return (
                None,
                f"is after the date of the data package ({self.latest}, 'created' in datapackage.json)",
            )
        return value, None


@dataclass
class Context:
    """What checking one table needs to know about the package and the tables read before it."""

    latest: dt.date | None
    referenced: dict  # table -> columns other tables refer to
    keys: dict  # table -> {column: set of values}, for tables already read
    broken: set  # tables with problems: references to them are not checked
    check_stamps: bool = True


class TableCheck:
    """Checks the records of one table: header, cells, rules between columns, keys and references."""

    def __init__(
        self,
        name: str,
        res: dict,
        context: Context,
        sink: Problems,
        scan: Scan,
        keep: str | None = None,
    ):
        self.name, self.sink, self.scan, self.context, self.keep = name, sink, scan, context, keep
        schema = res["schema"]
        self.expected = [f["name"] for f in schema["fields"]]
        self.fields = [FieldCheck(f, context.latest) for f in schema["fields"]]
        self.rules = [r["fields"] for r in res.get(RULES, [])]
        self.unique = [
            [f["name"]] for f in schema["fields"] if f.get("constraints", {}).get("unique")
        ]
        pk = schema.get("primaryKey")
        if pk:
            pk = [pk] if isinstance(pk, str) else list(pk)
            if pk not in self.unique:
                self.unique.append(pk)
        self.seen = [{} for _ in self.unique]
        self.foreign = [
            (k["fields"], k["reference"]["resource"], k["reference"]["fields"])
            for k in schema.get("foreignKeys", [])
            if k["reference"]["resource"] in context.keys
            and k["reference"]["resource"] not in context.broken
        ]
        self.header_ok = False
        if keep:
            scan.columns = {c: [] for c in self.expected}

    def add(self, line, column, value, rule) -> None:
        self.sink.add(self.name, line, column, value, rule)

    def read(self, lines: Lines) -> None:
        """Split the file into records and check each, until the end or MAX_PROBLEMS."""
        reader = csv.reader(lines)
        end = 0
        try:
            for values in reader:
                if self.sink.full:  # the rest may hold more: the listing says "at least"
                    self.sink.more = True
                    return
                start, end = end + 1, reader.line_num
                if not self.record(lines, values, start, end):
                    return
        except csv.Error as err:
            start = end + 1
            if "field larger" in str(err):
                self.add(
                    lines.opening_line(start, reader.line_num),
                    None,
                    None,
                    f"has a cell of more than {csv.field_size_limit():,} characters from this line on: "
                    "a closing quote may be missing",
                )
            else:
                self.add(reader.line_num, None, None, f"cannot be split into cells ({err})")

    def record(self, lines: Lines, values: list[str], start: int, end: int) -> bool:
        """Check one record (lines start to end); False when reading should stop."""
        if "\x00" in lines.record(start, end):
            self.nul_problems(start, values)
            return True
        if lines.ended and lines.record(start, end).count('"') % 2:
            self.add(
                lines.opening_line(start, end),
                None,
                None,
                "a quoted cell opens on this line and is never closed (a missing closing quote, "
                "or the file is cut short)",
            )
            return False
        if start == 1:
            return self.header(values)
        if not values:
            self.add(start, None, None, "is blank; remove the empty line")
            return True
        if len(values) == len(self.expected):
            self.row(start, values)
            return True
        if end > start:
            self.add(
                lines.opening_line(start, end),
                None,
                None,
                f"a quoted cell opens on this line and runs on to line {end}: a closing quote is missing",
            )
        else:
            self.add(
                start,
                None,
                None,
                f"has {len(values)} fields but the header has {len(self.expected)}"
                " (a stray or missing comma, or an unquoted comma in a text)",
            )
        self.scan.rows += 1
        return True

    def nul_problems(self, line: int, values: list[str]) -> None:
        """A NUL byte is invisible in most editors: say which cell holds it."""
        for i, text in enumerate(values):
            if "\x00" in text:
                column = self.expected[i] if i < len(self.expected) and line > 1 else None
                self.add(
                    line,
                    column,
                    text,
                    "contains a NUL byte (an invisible control character); remove it",
                )

    def header(self, values: list[str]) -> bool:
        problems = header_problems(self.name, values, self.expected)
        for p in problems:
            self.sink.add(p.file, p.line, p.column, p.value, p.rule)
        self.header_ok = not problems
        return self.header_ok

    def row(self, line: int, texts: list[str]) -> None:
        """Every rule of one row whose cells match the header."""
        self.scan.rows += 1
        text = dict(zip(self.expected, texts))
        value = {}
        for field in self.fields:
            value[field.name], rule = field.cell(text[field.name])
            if rule:
                self.add(line, field.name, text[field.name], rule)
        for low, high in self.rules:
            a, b = value[low], value[high]
            if a is not None and b is not None and b < a:
                word = "before" if isinstance(b, dt.date) else "below"
                self.add(line, high, text[high], f"is {word} {low} ({text[low]}) on the same row")
        date, precision = text.get("date"), text.get("date_precision")
        implied = PRECISION_BY_LENGTH.get(len(date)) if date and precision else None
        if implied and implied != precision:
            self.add(
                line,
                "date_precision",
                precision,
                f"does not match the date '{date}', which is precise to the {implied}",
            )
        for cols, seen in zip(self.unique, self.seen):
            key = tuple(text[c] for c in cols)
            first = seen.setdefault(key, line)
            if first != line:
                self.add(
                    line,
                    ", ".join(cols),
                    ", ".join(key),
                    f"repeats the value on line {first}; it must be unique",
                )
        for col, target, target_col in self.foreign:
            if text[col] and text[col] not in self.context.keys[target].get(target_col, ()):
                self.add(line, col, text[col], f"is not a known {target_col} in {target}.csv")
        for col, known in self.scan.keys.items():
            known.add(text[col])
        if self.keep:
            kept = {c: t or None for c, t in text.items()} if self.keep == "text" else value
            for col, values in self.scan.columns.items():
                values.append(kept[col])


def header_problems(name: str, header: list[str], expected: list[str]) -> list[Problem]:
    """Compare the header with the schema's columns and explain any mismatch."""
    if len(header) == 1 and len(expected) > 1:
        for sep, label in ((";", "semicolons"), ("\t", "tabs"), ("|", "bars")):
            if sep in header[0]:
                return [
                    Problem(
                        name,
                        1,
                        None,
                        None,
                        f"separates its columns with {label}; the module expects commas",
                    )
                ]
    problems = []
    for col in dict.fromkeys(header):
        if header.count(col) > 1:
            problems.append(
                Problem(
                    name,
                    1,
                    col if col.strip() else "(an empty name)",
                    None,
                    f"appears twice in the header (columns "
                    f"{', '.join(str(i + 1) for i, c in enumerate(header) if c == col)})",
                )
            )
    for col in expected:
        if col not in header:
            problems.append(Problem(name, 1, col, None, "is missing from the header"))
    for col in dict.fromkeys(header):
        if col not in expected:
            label = shown(col) if col.strip() else "(an empty name)"
            problems.append(
                Problem(
                    name,
                    1,
                    label,
                    None,
                    "is not a column of this table; remove it or declare it in datapackage.json",
                )
            )
    if not problems and header != expected:
        problems.append(
            Problem(
                name,
                1,
                None,
                None,
                "has the right columns in the wrong order; expected " + ", ".join(expected),
            )
        )
    return problems


# --- The whole package ----------------------------------------------------------------------------


def reading_order(resources: list[dict]) -> list[dict]:
    """Tables others refer to come first, so references are checked while reading."""
    by_name = {r["name"]: r for r in resources}
    done, order = set(), []

    def visit(res, path=()):
        if res["name"] in done or res["name"] in path:
            return
        for key in res["schema"].get("foreignKeys", []):
            target = by_name.get(key["reference"]["resource"])
            if target is not None:
                visit(target, path + (res["name"],))
        done.add(res["name"])
        order.append(res)

    for res in resources:
        visit(res)
    return order


def check_package(
    data_dir: Path,
    package: dict,
    only: str | None = None,
    keep: str | None = None,
    check_stamps: bool = True,
) -> tuple[dict[str, Scan], Problems]:
    """Read every table once (or ``only`` one), in reading order; return each scan and the problems."""
    resources = package["resources"]
    referenced: dict[str, set] = {}
    for res in resources:
        for key in res["schema"].get("foreignKeys", []):
            referenced.setdefault(key["reference"]["resource"], set()).add(
                key["reference"]["fields"]
            )
    context = Context(package_date(package), referenced, {}, set(), check_stamps)
    sink, scans = Problems(), {}
    for res in reading_order(resources):
        if only is not None and res["name"] != only:
            continue
        if sink.full:
            sink.more = True
            break
        path = resource_path(data_dir, res)
        if isinstance(path, str):
            sink.add("datapackage.json", None, None, None, path)
            context.broken.add(res["name"])
            continue
        scan = scan_table(path, res, context, sink, keep)
        scans[res["name"]] = scan
        context.keys[res["name"]] = scan.keys
        if scan.broken:
            context.broken.add(res["name"])
            if referenced.get(res["name"]) and only is None:
                sink.add(
                    Path(res["path"]).name,
                    None,
                    None,
                    None,
                    "has problems (above), so references to it from other tables were not checked",
                )
    return scans, sink


def validate_package(data_dir: Path, check_stamps: bool = True) -> dict[str, int]:
    """Check every table and every reference between tables; return the row count of each.

    Raises DataError listing the problems found (up to MAX_PROBLEMS), so one
    run shows all that needs fixing.
    """
    package = read_package(data_dir)
    scans, sink = check_package(data_dir, package, check_stamps=check_stamps)
    if sink.items:
        raise DataError(sink.items, data_dir, sink.more)
    return {res["name"]: scans[res["name"]].rows for res in package["resources"]}


def read_table(
    data_dir: Path, package: dict, name: str, as_written: bool = False
) -> dict[str, list]:
    """One table's values, column by column, parsed by the same rules as the check.

    ``as_written`` keeps each cell as the file writes it (a date given to the
    month stays '2011-10'); None stands for an empty cell either way.
    """
    resource(package, name, data_dir)  # an unknown name raises UnknownTable
    scans, sink = check_package(
        data_dir, package, only=name, keep="text" if as_written else "values", check_stamps=False
    )
    if sink.items:
        raise DataError(sink.items, data_dir, sink.more)
    return scans[name].columns


def file_stamp(data_dir: Path, res: dict) -> dict:
    """The row count, size and hash of a table's file, as ``make data-stamp`` records them."""
    path = resource_path(data_dir, res)
    if isinstance(path, str):
        raise DataError([Problem("datapackage.json", None, None, None, path)], data_dir)
    sink = Problems()
    context = Context(None, {}, {}, set(), check_stamps=False)
    scan = scan_table(path, res, context, sink)
    return {"bytes": scan.bytes, "hash": scan.hash, ROWS: scan.rows}
