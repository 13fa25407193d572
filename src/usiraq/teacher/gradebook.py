"""The grader's tables: the gradebook (one row per student and item), scores and LMS exports.

An *item* is one graded part of an exercise, named so that a spreadsheet keeps
it as text: ``01.1 check`` (an answer judged by ``check``), ``01.3 chart``
(a chart judged by ``check_chart``), ``01.6 written`` and ``01.1 defend``
(answers the teacher marks in ``marks.csv``).  Every file is UTF-8 with a
byte-order mark, which Excel needs to read it, and a text a spreadsheet would
run as a formula is written with a leading apostrophe.

``scores.csv`` has one row per student and one column per notebook, with a
total; with a roster (``--roster FILE``, a CSV exported from Canvas or
Moodle) it starts with the roster's identifier columns and lists every student
on it, with 0 and "not handed in" for those who handed in nothing.
``scores-canvas.csv`` and ``scores-moodle.csv`` are the same scores in the
form each platform imports: identifier columns, then numbers only.
"""

from __future__ import annotations

import csv
import re
from dataclasses import asdict, dataclass, fields
from pathlib import Path

ENCODING = "utf-8-sig"  # UTF-8 with a byte-order mark: Excel reads it as UTF-8
CANVAS_IDS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
# Roster columns that name a student, most specific first (Canvas, then Moodle, then plain).
ROSTER_KEYS = [
    "SIS Login ID",
    "Username",
    "ID number",
    "Email address",
    "SIS User ID",
    "ID",
    "student",
]


@dataclass
class Row:
    """One line of the gradebook: how one student stands on one item."""

    student: str
    notebook: str
    item: str
    status: str
    points: float = 0
    score: float | None = None
    answer: str = ""
    diagnosis: str = ""
    note: str = ""
    hint_seen: str = ""
    minutes: float | None = None
    late: str = ""
    message: str = ""

    @property
    def exercise_id(self) -> str:
        return self.item.split(" ")[0]

    @property
    def part(self) -> str:
        return self.item.split(" ")[1] if " " in self.item else "check"


COLUMNS = [f.name for f in fields(Row)]


def item(exercise_id: str, part: str) -> str:
    return f"{exercise_id} {part}"


def safe(value) -> str:
    """A cell; text a spreadsheet would run as a formula (=, +, @, -x) is quoted with a leading '."""
    text = "" if value is None else (f"{value:g}" if isinstance(value, float) else str(value))
    return "'" + text if text[:1] in ("=", "+", "@") or re.match(r"-[^0-9.]", text) else text


def unsafe(text: str) -> str:
    """A cell as ``safe`` wrote it, read back: the quote before a formula character taken off."""
    return text[1:] if text[:1] == "'" and text[1:2] in ("=", "+", "@", "-") else text


def write_rows(path: Path, rows: list[Row]) -> None:
    with path.open("w", newline="", encoding=ENCODING) as f:
        writer = csv.writer(f)
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow([safe(v) for v in asdict(row).values()])


def read_rows(path: Path) -> list[Row]:
    """The rows of an earlier gradebook (for a regrade that keeps the rest of the class)."""
    if not path.exists():
        return []
    with path.open(encoding=ENCODING, newline="") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames != COLUMNS:
            raise SystemExit(
                f"error: {path} is not a gradebook this grader wrote (its columns differ); "
                "grade into a new folder"
            )
        rows = []
        for line in reader:
            values = {k: unsafe(v) for k, v in line.items()}
            rows.append(
                Row(
                    **{
                        **values,
                        "points": float(values["points"] or 0),
                        "score": float(values["score"]) if values["score"] else None,
                        "minutes": float(values["minutes"]) if values["minutes"] else None,
                    }
                )
            )
        return rows


def merge(old: list[Row], new: list[Row]) -> list[Row]:
    """The class after a regrade: every student graded now replaces their old rows; the rest stay."""
    now = {r.student for r in new}
    return [r for r in old if r.student not in now] + new


# --- scores ------------------------------------------------------------------------------------


def totals(rows: list[Row]) -> dict[str, dict[str, float]]:
    """Per student, the score of each notebook (items not yet marked count nothing)."""
    found: dict[str, dict[str, float]] = {}
    for r in rows:
        mine = found.setdefault(r.student, {})
        mine[r.notebook] = mine.get(r.notebook, 0.0) + (r.score or 0.0)
    return found


def possible(rows: list[Row]) -> dict[str, float]:
    """The points each notebook is worth (from any student's rows: every student has the same items)."""
    found: dict[str, dict[str, float]] = {}
    for r in rows:
        found.setdefault(r.notebook, {})[r.item] = r.points
    return {notebook: sum(items.values()) for notebook, items in found.items()}


@dataclass
class Roster:
    """A class list exported from an LMS: its columns, its rows, and the column naming a student."""

    columns: list[str]
    rows: list[dict[str, str]]
    key: str

    def student(self, row: dict[str, str]) -> str:
        return row[self.key].strip()


def read_roster(path: Path, students: list[str], key: str | None = None) -> Roster:
    """Read a roster CSV; the key column is ``key``, or else the one naming most of the students.

    Canvas's export has a "Points Possible" row under the header, which is no
    student; it is left out.  A malformed roster is an error naming the file.
    """
    try:
        with path.open(encoding=ENCODING, newline="") as f:
            reader = csv.DictReader(f)
            columns = list(reader.fieldnames or [])
            rows = [
                r for r in reader if not any("Points Possible" in (v or "") for v in r.values())
            ]
    except (OSError, UnicodeDecodeError, csv.Error) as err:
        raise SystemExit(f"error: cannot read the roster {path} ({err})") from None
    if key is not None and key not in columns:
        raise SystemExit(f"error: the roster {path} has no column {key!r}; it has {columns}")
    if key is None:
        candidates = [c for c in ROSTER_KEYS if c in columns] or columns
        if not candidates:
            raise SystemExit(f"error: the roster {path} has no columns")
        key = max(candidates, key=lambda c: sum((r.get(c) or "").strip() in students for r in rows))
    blank = [n for n, r in enumerate(rows, 2) if not (r.get(key) or "").strip()]
    if blank:
        raise SystemExit(
            f"error: the roster {path}, row {blank[0]}, column {key!r}: no student named"
        )
    if students and not any(r[key].strip() in students for r in rows):
        raise SystemExit(
            f"error: no row of the roster {path} names a student of this class in its column "
            f"{key!r} (students are named by their folders); choose the column with --roster-key, "
            f"one of {columns}"
        )
    return Roster(columns, rows, key)


def score_table(
    rows: list[Row], notebooks: list[str], roster: Roster | None, notes: dict[str, str]
) -> tuple[list[str], list[list]]:
    """The header and rows of scores.csv: identifiers, one column per notebook, total, note."""
    scores = totals(rows)
    ids = roster.columns if roster else ["student"]
    header = ids + [Path(n).stem for n in notebooks] + ["total", "note"]
    if roster:
        entries = [(roster.student(r), [r.get(c, "") for c in roster.columns]) for r in roster.rows]
        listed = {student for student, _ in entries}
        entries += [
            (s, [s if c == roster.key else "" for c in roster.columns])
            for s in scores
            if s not in listed
        ]
    else:
        listed, entries = set(scores), [(s, [s]) for s in scores]
    table = []
    for student, identifiers in entries:
        mine = scores.get(student, {})
        values = [round(mine.get(n, 0.0), 2) for n in notebooks]
        if student not in scores:
            note = "not handed in"
        elif student not in listed:
            note = "; ".join(filter(None, ["not on the roster", notes.get(student, "")]))
        else:
            note = notes.get(student, "")
        table.append(identifiers + values + [round(sum(values), 2), note])
    return header, table


def lms_ids(platform: str, roster: Roster) -> list[str]:
    """The identifier columns of the platform's import; a roster that lacks them is an error."""
    if platform == "moodle":
        return [roster.key]
    ids = [c for c in CANVAS_IDS if c in roster.columns]
    if "Student" not in ids:
        raise SystemExit(
            "error: a Canvas import needs the roster Canvas exports (Grades → Export): its "
            f"columns {CANVAS_IDS}; this roster has {roster.columns}"
        )
    return ids


def lms_table(
    platform: str, rows: list[Row], notebooks: list[str], roster: Roster, title: str
) -> tuple[list[str], list[list]]:
    """scores in the form Canvas or Moodle imports: identifier columns, then numbers only."""
    scores = totals(rows)
    ids = lms_ids(platform, roster)
    header = ids + [f"{title} {Path(n).stem}" for n in notebooks]
    table = []
    for r in roster.rows:
        mine = scores.get(roster.student(r), {})
        table.append([r.get(c, "") for c in ids] + [round(mine.get(n, 0.0), 2) for n in notebooks])
    return header, table


def write_table(path: Path, header: list[str], table: list[list]) -> None:
    with path.open("w", newline="", encoding=ENCODING) as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows([[safe(v) for v in row] for row in table])
