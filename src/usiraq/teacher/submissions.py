"""What a class handed in: each student's notebooks, matched to the teacher's, and when.

A submitted file is paired with the teacher's exercise notebook of the same
name; a file with another name (``01_emergence (1).ipynb``, ``Untitled.ipynb``)
with the notebook whose exercise ids its ``check(...)`` calls share most, so a
renamed file is graded and the rename reported.  The time a notebook was handed
in comes from nbgrader's ``timestamp.txt`` or else the file's time; lateness is
shown to the teacher, never taken off a score.
"""

from __future__ import annotations

import re
import warnings
from datetime import UTC, datetime
from pathlib import Path

import nbformat

from . import marks
from .gradebook import item
from .repo import ROOT

EXERCISES = ROOT / "exercises"
CALL = re.compile(r"""\b(check|check_chart)\(\s*["']([0-9]{2}\.[0-9a-z]+)["']""")
CHECK_CALL = re.compile(r"""\bcheck\(\s*["']([0-9]{2}\.[0-9a-z]+)["']""")


def items_of(nb: nbformat.NotebookNode) -> list[str]:
    """The items a notebook holds, in order: its checks and charts, then its written answers."""
    found = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            for call, exercise_id in CALL.findall(cell.source):
                key = item(exercise_id, "check" if call == "check" else "chart")
                if key not in found:
                    found.append(key)
    return found + [item(i, part) for i, part in marks.written_items(nb)]


def exercise_ids(nb: nbformat.NotebookNode) -> list[str]:
    """The ids named in the notebook's ``check("ID", ...)`` calls, in order, once each."""
    ids = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            ids += [i for i in CHECK_CALL.findall(cell.source) if i not in ids]
    return ids


def teacher_notebooks() -> dict[str, list[str]]:
    """Every teacher's exercise notebook with the items it holds."""
    return {
        p.name: items_of(nbformat.read(p, as_version=4)) for p in sorted(EXERCISES.glob("*.ipynb"))
    }


def read_notebook(path: Path) -> nbformat.NotebookNode:
    """Read a submitted notebook; any problem (not JSON, not a notebook) raises ValueError."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            nb = nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
        if not isinstance(nb.get("cells"), list):
            raise ValueError("it has no cells")
        for cell in nb.cells:
            cell.setdefault("source", "")
            if isinstance(cell.source, list):
                cell.source = "".join(cell.source)
        return nb
    except Exception as err:
        raise ValueError(f"{path.name} is not a readable notebook ({type(err).__name__})") from None


def student_files(submissions: Path) -> dict[str, list[Path]]:
    """Each student's notebooks, in either layout (checkpoints left out)."""
    if (submissions / "submitted").is_dir():
        submissions = submissions / "submitted"
    found = {}
    for folder in sorted(
        p for p in submissions.iterdir() if p.is_dir() and not p.name.startswith(".")
    ):
        files = [
            p
            for p in folder.rglob("*.ipynb")
            if ".ipynb_checkpoints" not in p.parts and len(p.relative_to(folder).parts) <= 2
        ]
        found[folder.name] = sorted(files, key=lambda p: (len(p.relative_to(folder).parts), str(p)))
    return found


def match(files: list[Path], wanted: dict[str, list[str]]) -> tuple[dict[str, Path], list[str]]:
    """Pair a student's files with the teacher's notebooks: by name, then by the ids they check."""
    paired, notes, others = {}, [], []
    for path in files:
        if path.name in wanted and path.name not in paired:
            paired[path.name] = path
        else:
            others.append(path)
    ids_of = {n: {i.split(" ")[0] for i in items} for n, items in wanted.items()}
    for path in others:
        try:
            ids = set(exercise_ids(read_notebook(path)))
        except ValueError as err:
            notes.append(f"{err}; it was not graded")
            continue
        best = max(
            (n for n in wanted if n not in paired),
            key=lambda n: len(ids & ids_of[n]),
            default=None,
        )
        if best and ids & ids_of[best]:
            paired[best] = path
            notes.append(f"{path.name} was graded as {best} (renamed)")
        elif path.name not in paired:
            notes.append(f"{path.name} checks none of the graded exercises; it was not graded")
    return paired, notes


def handed_in_at(path: Path) -> datetime:
    """When a notebook was handed in: nbgrader's timestamp.txt beside it, or else the file's time."""
    stamp = path.parent / "timestamp.txt"
    if stamp.is_file():
        text = stamp.read_text(encoding="utf-8", errors="replace").strip()
        for form in (
            "%Y-%m-%d %H:%M:%S.%f %Z",
            "%Y-%m-%d %H:%M:%S %Z",
            "%Y-%m-%d %H:%M:%S.%f",
            "%Y-%m-%d %H:%M:%S",
        ):
            try:
                return datetime.strptime(text, form).replace(tzinfo=UTC)
            except ValueError:
                continue
    return datetime.fromtimestamp(path.stat().st_mtime, UTC)


def lateness(path: Path | None, due: datetime | None) -> str:
    """'' when on time (or no due date), else how late, as '2 h 5 min late'."""
    if path is None or due is None:
        return ""
    seconds = (handed_in_at(path) - due).total_seconds()
    if seconds <= 0:
        return ""
    days, rest = divmod(int(seconds // 60), 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = (
        [f"{days} d"] * bool(days)
        + [f"{hours} h"] * bool(hours)
        + [f"{minutes} min"] * bool(minutes or not (days or hours))
    )
    return " ".join(parts) + " late"
