"""Written answers and the teacher's marks for them (``marks.csv``).

The grader cannot mark a written answer; it collects each one for the teacher.
An answer is the text a student wrote under **Your answer:** for a written task
(``01.6 written``) or a choose-and-defend question (``01.1 defend``).
``marks.csv`` lists every answer with the points it is worth and the lines of
its rubric (the checklist for a written task, the teacher's rubric for a
choice); the teacher fills in ``mark`` (and ``comment``), and the next
``make grade`` into the same folder reads them back into the gradebook, the
report and each student's page.  A mark is never lost: it stays with its
student and item, and if the answer changed since it was marked, ``changed``
says so.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from ..checking import registry
from .gradebook import ENCODING, Row, item, safe, unsafe

FILE = "marks.csv"
COLUMNS = ["student", "item", "answer", "rubric", "points", "mark", "comment", "changed"]
ANSWER = "**Your answer:**"
PLACEHOLDER = "*Write your answer here.*"
MARKER = re.compile(r"<!-- BEGIN (CHECKLIST|COMPARISON) (\d\d\.\d+) -->")
BOUNDARY = re.compile(r"^\s*(?:###\s|\*\*Exercise \d\d\.\d+)", re.M)


@dataclass
class Mark:
    """One line of marks.csv."""

    student: str
    item: str
    answer: str
    rubric: str
    points: float
    mark: str = ""
    comment: str = ""
    changed: str = ""
    line: int = field(default=0, compare=False)  # its row in the teacher's marks.csv, for errors


def written_items(nb: nbformat.NotebookNode) -> list[tuple[str, str]]:
    """The written items a notebook asks for, as (exercise id, part), in order."""
    found = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for kind, exercise_id in MARKER.findall(cell.source):
                found.append((exercise_id, "written" if kind == "CHECKLIST" else "defend"))
    return found


def answers(nb: nbformat.NotebookNode) -> dict[str, str]:
    """Each written item's answer in a submitted notebook ('' when the student wrote nothing).

    The answer is what follows **Your answer:** in the cell of the item's
    marker, and in the Markdown cells the student added after it, up to the
    next code cell or exercise heading.
    """
    found = {}
    cells = nb.cells
    for index, cell in enumerate(cells):
        if cell.get("cell_type") != "markdown" or ANSWER not in cell.source:
            continue
        marker = MARKER.search(cell.source)
        if not marker:
            continue
        key = item(marker.group(2), "written" if marker.group(1) == "CHECKLIST" else "defend")
        parts = [cell.source.split(ANSWER, 1)[1]]
        for later in cells[index + 1 :]:
            if later.get("cell_type") != "markdown" or BOUNDARY.search(later.source):
                break
            parts.append(later.source)
        text = "\n\n".join(parts).replace(PLACEHOLDER, "")
        found[key] = " ".join(text.split())
    return found


def rubric(exercise_id: str, part: str) -> tuple[str, float]:
    """The rubric lines and points of a written item."""
    if part == "written":
        task = registry.written_task(exercise_id)
        return " | ".join(task.checklist), task.points
    question = registry.comparison(exercise_id)
    return question.rubric, question.points


def read(path: Path) -> dict[tuple[str, str], Mark]:
    """The marks of an earlier marks.csv, by (student, item); a bad file is an error naming it."""
    if not path.exists():
        return {}
    try:
        with path.open(encoding=ENCODING, newline="") as f:
            reader = csv.DictReader(f)
            missing = set(COLUMNS) - set(reader.fieldnames or [])
            if missing:
                raise SystemExit(
                    f"error: {path} has no column {sorted(missing)[0]!r}; keep its header"
                )
            return {
                (unsafe(r["student"]), r["item"]): Mark(
                    **{c: unsafe(r[c] or "") for c in COLUMNS}, line=n
                )
                for n, r in enumerate(reader, 2)
            }
    except (OSError, UnicodeDecodeError, csv.Error) as err:
        raise SystemExit(f"error: cannot read {path} ({err})") from None


def merged(old: dict[tuple[str, str], Mark], collected: list[Mark]) -> list[Mark]:
    """The marks to write: each collected answer with the teacher's mark kept; others' lines kept."""
    now = {(m.student, m.item) for m in collected}
    students = {m.student for m in collected}
    out = []
    for mark in collected:
        before = old.get((mark.student, mark.item))
        if before is not None:
            mark.mark, mark.comment, mark.line = before.mark, before.comment, before.line
            mark.changed = (
                "yes" if before.mark and unsafe(before.answer) != mark.answer else before.changed
            )
        out.append(mark)
    return out + [m for key, m in old.items() if key not in now and m.student not in students]


def score(mark: Mark) -> tuple[str, float | None, str]:
    """(status, score, note) of a written item: marked, to mark, unanswered, or a mark to fix."""
    if not mark.answer:
        return "unanswered", 0.0, ""
    if not mark.mark.strip():
        return "to mark", None, ""
    where = f"{FILE}, row {mark.line}, column 'mark'"
    try:
        value = float(mark.mark.replace(",", "."))
    except ValueError:
        return "to mark", None, f"{where}: {mark.mark!r} is not a number; the answer stays to mark"
    if not 0 <= value <= float(mark.points):
        return (
            "to mark",
            None,
            f"{where}: {value:g} is not between 0 and {float(mark.points):g}; "
            "the answer stays to mark",
        )
    return "marked", value, mark.comment


def rows(marks: list[Mark], notebook_of: dict[str, str]) -> list[Row]:
    """The gradebook rows of the written items."""
    out = []
    for mark in marks:
        status, value, note = score(mark)
        out.append(
            Row(
                mark.student,
                notebook_of.get(mark.item, ""),
                mark.item,
                status,
                points=float(mark.points),
                score=value,
                answer=mark.answer[:200],
                note=note,
                message=mark.comment if status == "marked" else "",
            )
        )
    return out


def restate(rows: list[Row], sheet: list[Mark]) -> list[Row]:
    """The gradebook with each written item as the sheet now marks it.

    A teacher who marks answers and then grades only a latecomer still sees
    every mark arrive: marks are applied to every student, not only to those
    whose notebooks ran this time.
    """
    by_key = {(m.student, m.item): m for m in sheet}
    for row in rows:
        mark = by_key.get((row.student, row.item))
        if mark is not None and row.status != "not-run":
            row.status, row.score, row.note = score(mark)
            row.message = mark.comment if row.status == "marked" else ""
    return rows


def write(path: Path, marks: list[Mark]) -> None:
    """Write marks.csv, sorted; each mark learns its row, so a message about it names the right one."""
    with path.open("w", newline="", encoding=ENCODING) as f:
        writer = csv.writer(f)
        writer.writerow(COLUMNS)
        for n, m in enumerate(sorted(marks, key=lambda m: (m.student, m.item)), 2):
            m.line = n
            writer.writerow([safe(getattr(m, c)) for c in COLUMNS])
