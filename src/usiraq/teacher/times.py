"""How long the module takes, written everywhere from one declaration.

Each exercise declares its minutes once, in ``usiraq.checking.declarations`` (``minutes=``
of a checked exercise, or of a ``Written`` task).  The minutes are estimates:
one timed walkthrough of every set, by a reader working as a second-year
political-science student who knows a first pandas tutorial, gave the total of
each set (57 to 88 minutes) and about 30 minutes to read a lecture; the totals
were then raised for the steps added since (toolbox cells, checklists, second
parts), and split across a set's exercises by level and by the steps each
asks for.  No single exercise has been timed on its own.
From those declarations this module writes:

- in each solution notebook (and so, through ``make exercises``, in each
  exercise notebook): the header's Time row, the minutes of each exercise's
  label line, and the checklist of each written task;
- in ``notebooks/00_start_here.ipynb``: the time column of the module map;
- in ``docs/teachers_guide.md``: the exercise table of each notebook, the
  exercises of the lesson plans (what is set, what is left for later), the
  checklists for marking written answers and the rubric lines of the "choose
  and defend" questions, each between ``BEGIN GENERATED`` and
  ``END GENERATED`` comments.

Only that generated text is touched; everything else is left as it is.  A
notebook that was fresh before (its fingerprint matched) gets its fingerprint
refreshed, since no output depends on this text.

Usage: ``python -m usiraq.teacher.times`` writes; ``--check`` lists stale files;
``--measured GRADEBOOK.csv`` prints the declared minutes of each graded
exercise beside the minutes measured in the students' notebooks (the
grader's ``minutes`` column, ``usiraq.teacher.timing``): a report for the teacher,
which rewrites nothing.
"""

from __future__ import annotations

import csv
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

from .. import claims
from ..checking import registry, written
from .execute import METADATA_KEY, source_fingerprint
from .repo import ROOT

# Minutes to read a lecture notebook, running every cell (measured: about 30 each;
# 00 is a short introduction with two quick questions).
LECTURE_MINUTES = {"00": 15, "01": 30, "02": 30, "03": 30, "04": 30, "05": 30}

HEADING = re.compile(r"^### Exercise (\d\d\.\d+) · (.+)$", re.M)
LABEL = re.compile(r"^\*(Easy|Medium|Harder) · (\d+) min · Skill: (.+?) · Paper: .+\*$", re.M)
TIME_ROW = re.compile(r"^\| \*\*Time\*\* \|.*\|$", re.M)
CHECKLIST = re.compile(
    r"(<!-- BEGIN CHECKLIST (\d\d\.\d+) -->\n).*?(\n<!-- END CHECKLIST -->)", re.S
)
COMPARISON = re.compile(
    r"(<!-- BEGIN COMPARISON (\d\d\.\d+) -->\n).*?(\n<!-- END COMPARISON -->)", re.S
)
GENERATED = re.compile(
    r"(<!-- BEGIN GENERATED: ([\w-]+) -->\n).*?(\n<!-- END GENERATED: \2 -->)", re.S
)
NUMBER_WORDS = {
    3: "three",
    4: "four",
    5: "five",
    6: "six",
    7: "seven",
    8: "eight",
    9: "nine",
    10: "ten",
}


@dataclass(frozen=True)
class Item:
    """One exercise as its solution notebook states it."""

    id: str
    title: str
    level: str
    skill: str

    @property
    def minutes(self) -> int:
        return declared_minutes(self.id)


@dataclass(frozen=True)
class Session:
    """One taught session: the notebooks it covers and the homework time it leaves."""

    name: str
    notebooks: tuple[str, ...]
    homework_minutes: int


# The guide's plans.  Each session is all teaching and quick questions (its table
# says so minute by minute), so the exercises are set as homework: those that fit
# the homework time, in the notebooks' order, and the rest for later.
PLANS = {
    "plan-90": (Session("The 90-minute session", ("01", "02", "03", "04", "05"), 150),),
    "plan-3x45": (
        Session("Session 1", ("01", "02"), 90),
        Session("Session 2", ("03", "04"), 90),
        Session("Session 3", ("05",), 60),
    ),
}


def declared_minutes(exercise_id: str) -> int:
    """The minutes declared for an exercise: by its checked exercise or its written task, exactly once.

    (The minutes a class took are measured elsewhere: ``timing.measured_minutes``.)
    """
    declared = []
    try:
        declared.append(registry.exercise(exercise_id).minutes)
    except KeyError:
        pass
    try:
        declared.append(registry.written_task(exercise_id).minutes)
    except KeyError:
        pass
    given = [m for m in declared if m]
    if len(given) != 1:
        raise ValueError(
            f"exercise {exercise_id} must declare its minutes exactly once in "
            f"usiraq.checking.declarations (found {len(given)})"
        )
    return given[0]


def solution_path(number: str, root: Path = ROOT) -> Path:
    return next((root / "solutions").glob(f"{number}_*.ipynb"))


def items(number: str, root: Path = ROOT) -> list[Item]:
    """The exercises of one solution notebook, in order, with level and skill from their label lines."""
    nb = nbformat.read(solution_path(number, root), as_version=4)
    found = []
    for cell in nb.cells:
        for heading in HEADING.finditer(cell.source):
            label = LABEL.search(cell.source, heading.end())
            if not label:
                raise ValueError(
                    f"exercise {heading.group(1)} has no label line '*Level · N min · Skill: ... · Paper: ...*'"
                )
            found.append(
                Item(
                    heading.group(1),
                    heading.group(2).strip(),
                    label.group(1).lower(),
                    label.group(3),
                )
            )
    return found


def total(number: str, root: Path = ROOT) -> int:
    return sum(item.minutes for item in items(number, root))


def _in_words(count: int) -> str:
    return NUMBER_WORDS.get(count, str(count))


# --- text written into the notebooks ----------------------------------------------------------


def time_row(number: str, root: Path = ROOT) -> str:
    listed = items(number, root)
    return (
        f"| **Time** | about {total(number, root)} min for all {_in_words(len(listed))} exercises (each "
        f"names its minutes); the [teacher's guide](../docs/teachers_guide.md#lesson-plans) says which to set "
        f"when time is short |"
    )


def _relabel(source: str) -> str:
    """Put the declared minutes into each exercise's label line."""
    out, position = [], 0
    for heading in HEADING.finditer(source):
        label = LABEL.search(source, heading.end())
        if not label:
            continue
        start, end = label.span(2)
        out.append(source[position:start] + str(declared_minutes(heading.group(1))))
        position = end
    out.append(source[position:])
    return "".join(out)


def _checklists(source: str) -> str:
    source = CHECKLIST.sub(
        lambda m: m.group(1) + written.checklist_markdown(m.group(2)) + m.group(3), source
    )
    return COMPARISON.sub(
        lambda m: m.group(1) + written.comparison_markdown(m.group(2)) + m.group(3), source
    )


def solution_text(number: str, nb: nbformat.NotebookNode, root: Path = ROOT) -> None:
    """Write the generated text into a solution notebook (in memory)."""
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        source = cell.source
        if index == 0:
            source = TIME_ROW.sub(lambda _: time_row(number, root), source)
        cell.source = _checklists(_relabel(source))


def lecture_time_row(number: str, root: Path = ROOT) -> str:
    return (
        f"| **Time** | about {LECTURE_MINUTES[number]} min to read · about {total(number, root)} min for all the "
        f"exercises (the teacher's guide's lesson plans say which to set) |"
    )


def lecture_header(number: str, nb: nbformat.NotebookNode, root: Path = ROOT) -> None:
    """Write the Time row of a lecture notebook's header (in memory), from the same declared minutes."""
    nb.cells[0].source = TIME_ROW.sub(lambda _: lecture_time_row(number, root), nb.cells[0].source)


def map_cell(nb: nbformat.NotebookNode, root: Path = ROOT) -> None:
    """Write the time column of the module map in 00 (in memory)."""
    row = re.compile(r"^(\| \[(\d\d) [^|]*\|[^|]*\|[^|]*\| )[^|]*( \|)$", re.M)
    header = re.compile(r"^(\| Notebook \| Paper \| What you learn \| )[^|]*( \|)$", re.M)

    def time(match):
        number = match.group(2)
        reading = LECTURE_MINUTES[number]
        if number == "00":
            return f"{match.group(1)}{reading} min / two quick questions{match.group(3)}"
        return f"{match.group(1)}{reading} min / {total(number, root)} min{match.group(3)}"

    for cell in nb.cells:
        if cell.cell_type == "markdown" and header.search(cell.source):
            cell.source = row.sub(
                time, header.sub(r"\1Reading the lecture / doing all exercises\2", cell.source)
            )


# --- text written into the teacher's guide ----------------------------------------------------


def exercise_table(number: str, root: Path = ROOT) -> str:
    listed = items(number, root)
    name = solution_path(number, root).name
    lines = [
        f"**Exercises** ([exercises/{name}](../exercises/{name}), about {total(number, root)} minutes in all, "
        f"an estimate (see [how long the exercises take](#how-long-the-exercises-take)); the [lesson plans]"
        f"(#lesson-plans) say which to set):",
        "",
        "| Exercise | Level · time | Skill |",
        "|---|---|---|",
    ]
    for item in listed:
        kind = (
            " (written)"
            if item.id in registry.written_tasks() and item.id not in registry.exercises()
            else ""
        )
        lines.append(
            f"| {item.id} {item.title} | {item.level} · {item.minutes} min | {item.skill}{kind} |"
        )
    return "\n".join(lines)


def homework(session: Session, root: Path = ROOT) -> tuple[list[Item], list[Item]]:
    """Split the session's exercises into those set (they fit its homework time) and those left for later.

    The time is shared equally between the session's notebooks.  In each, the
    written task comes first (it practises the argument the notebook builds up
    to, and the guide's rubric marks it), then the other exercises in order,
    skipping one that would not fit.
    """
    share = session.homework_minutes // len(session.notebooks)
    chosen, left = [], []
    for number in session.notebooks:
        listed = items(number, root)
        used = 0
        for item in sorted(listed, key=lambda i: i.id not in registry.written_tasks()):
            if used + item.minutes <= share:
                chosen.append(item)
                used += item.minutes
            else:
                left.append(item)
    return sorted(chosen, key=listed_order), sorted(left, key=listed_order)


def listed_order(item: Item) -> tuple[int, int]:
    number, k = item.id.split(".")
    return int(number), int(k)


def _listing(found: list[Item]) -> str:
    return ", ".join(f"{item.id} ({item.minutes} min)" for item in found)


def plan_text(name: str, root: Path = ROOT) -> str:
    lines = [
        "**Exercises.** Every minute of the session above is teaching and quick questions, so no exercise "
        "fits in class: the exercises are homework. Times are per exercise, as a student needs them."
    ]
    for session in PLANS[name]:
        chosen, left = homework(session, root)
        notebooks = ", ".join(session.notebooks)
        lines += [
            "",
            f"- *{session.name}* (notebooks {notebooks}): set {_listing(chosen)}, about "
            f"{sum(i.minutes for i in chosen)} min, to fit a homework time of about "
            f"{session.homework_minutes} min. Leave for later: {_listing(left) or 'nothing'} "
            f"(about {sum(i.minutes for i in left)} min more).",
        ]
    return "\n".join(lines)


def rubric_text(root: Path = ROOT) -> str:
    lines = [
        "The points a good answer makes, for each written task: students see the same list under the task "
        "in their exercise notebook. Use them as the content of the *Evidence* criterion."
    ]
    for task_id in sorted(registry.written_tasks()):
        task = registry.written_task(task_id)
        stop = "" if task.title.endswith(("?", ".")) else "."
        lines += ["", f"*{task.id} {task.title}{stop}* A good answer:"]
        lines += [f"- {point}" for point in task.checklist]
    return "\n".join(lines)


def comparison_text() -> str:
    lines = [
        "Each exercise notebook has at least one question that asks students to choose which figure to "
        "compare or quote, and to defend the choice. There is no single right answer; mark the defence. "
        "A good answer:"
    ]
    for exercise_id in sorted(registry.comparisons()):
        question = registry.comparison(exercise_id)
        lines += ["", f"- *{question.id}* ({question.question}) {question.rubric}"]
    return "\n".join(lines)


def guide_blocks(root: Path = ROOT) -> dict[str, str]:
    blocks = {f"exercises-{n}": exercise_table(n, root) for n in ("01", "02", "03", "04", "05")}
    blocks |= {name: plan_text(name, root) for name in PLANS}
    blocks["written-checklists"] = rubric_text(root)
    blocks["comparisons"] = comparison_text()
    blocks["claims-tally"] = claims.tally_markdown()
    blocks["claim-cards"] = claims.cards_markdown()
    return blocks


def guide_text(text: str, root: Path = ROOT) -> str:
    blocks = guide_blocks(root)

    def fill(match):
        name = match.group(2)
        if name not in blocks:
            raise ValueError(f"docs/teachers_guide.md: no generated text is called {name!r}")
        return match.group(1) + blocks[name] + match.group(3)

    text = GENERATED.sub(fill, text)
    header = re.compile(r"^(\| Notebook \| Paper \| )[^|]*( \|.*)$", re.M)
    row = re.compile(r"^(\| \[(\d\d) [^|]*\]\(\.\./notebooks/[^|]*\|[^|]*\| )[^|]*( \|.*)$", re.M)

    def time(match):
        number = match.group(2)
        if number == "00":
            return f"{match.group(1)}{LECTURE_MINUTES[number]} min / two quick questions{match.group(3)}"
        return (
            f"{match.group(1)}{LECTURE_MINUTES[number]} / {total(number, root)} min{match.group(3)}"
        )

    return row.sub(time, header.sub(r"\1Reading / all exercises\2", text))


# --- applying it --------------------------------------------------------------------------------


def _notebook_update(path: Path, change) -> tuple[str, str]:
    """The notebook's text now and after the change (fingerprint refreshed if it was fresh)."""
    before = path.read_text(encoding="utf-8")
    nb = nbformat.reads(before, as_version=4)
    was_fresh = nb.metadata.get(METADATA_KEY, {}).get("source_sha256") == source_fingerprint(nb)
    change(nb)
    if was_fresh:
        nb.metadata[METADATA_KEY]["source_sha256"] = source_fingerprint(nb)
    after = nbformat.writes(nb)
    return before, after if after.endswith("\n") else after + "\n"


def updates(root: Path = ROOT) -> dict[Path, tuple[str, str]]:
    """Every file this module writes, as (current text, generated text)."""
    out = {}
    for number in ("01", "02", "03", "04", "05"):
        path = solution_path(number, root)
        out[path] = _notebook_update(path, lambda nb, n=number: solution_text(n, nb, root))
        lecture = root / "notebooks" / path.name
        out[lecture] = _notebook_update(lecture, lambda nb, n=number: lecture_header(n, nb, root))
    start = root / "notebooks" / "00_start_here.ipynb"
    out[start] = _notebook_update(start, lambda nb: map_cell(nb, root))
    guide = root / "docs" / "teachers_guide.md"
    text = guide.read_text(encoding="utf-8")
    out[guide] = (text, guide_text(text, root))
    return out


def stale(root: Path = ROOT) -> list[Path]:
    return [path for path, (now, generated) in updates(root).items() if now != generated]


# --- declared against measured ----------------------------------------------------------------


def read_measured(path: Path) -> dict[str, dict[str, list[float]]]:
    """The measured minutes of a grader's gradebook.csv: per notebook, per exercise id, one value per student.

    Rows with an empty ``minutes`` cell (no run times kept) are left out; a
    cell that is not a number is an error naming the file, row and column.
    """
    try:
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            missing = {"notebook", "exercise_id", "minutes"} - set(reader.fieldnames or [])
            if missing:
                raise SystemExit(
                    f"error: {path} has no {', '.join(sorted(missing))} column "
                    "(is it a gradebook.csv written by usiraq.teacher.grade?)"
                )
            found: dict[str, dict[str, list[float]]] = {}
            for line, row in enumerate(reader, 2):
                per_notebook = found.setdefault(row["notebook"], {})
                values = per_notebook.setdefault(row["exercise_id"], [])
                if (row["minutes"] or "").strip():
                    try:
                        value = float(row["minutes"])
                    except ValueError:
                        value = -1.0
                    if not value >= 0 or value == float("inf"):
                        raise SystemExit(
                            f"error: {path}, row {line}, column minutes: "
                            f"{row['minutes']!r} is not a number of minutes"
                        )
                    values.append(value)
    except OSError as err:
        raise SystemExit(f"error: cannot read {path} ({err.strerror})") from None
    except UnicodeDecodeError:
        raise SystemExit(
            f"error: {path} is not UTF-8 text (is it a gradebook.csv written by usiraq.teacher.grade?)"
        ) from None
    return found


def comparison(path: Path) -> str:
    """Per exercise of the gradebook: declared minutes, measured median and how many students were measured."""
    from statistics import median

    def declared(exercise_id):
        try:
            return declared_minutes(exercise_id)
        except ValueError:
            return None

    lines = [
        f"Declared and measured minutes per exercise ({path})",
        "measured: the median over the students whose notebook kept its run times (usiraq.teacher.timing)",
        "",
        f"{'exercise':<10}{'declared':>10}{'measured':>10}{'students':>10}",
    ]
    for notebook, per_exercise in sorted(read_measured(path).items()):
        lines.append(notebook)
        sum_declared = sum_measured = 0.0
        for exercise_id, values in per_exercise.items():  # in the gradebook's order
            own = declared(exercise_id)
            middle = median(values) if values else None
            lines.append(
                f"{exercise_id:<10}{'' if own is None else own:>10}"
                f"{'' if middle is None else f'{middle:.1f}':>10}{len(values):>10}"
            )
            if own is not None and middle is not None:
                sum_declared += own
                sum_measured += middle
        both = sum(bool(v) and declared(i) is not None for i, v in per_exercise.items())
        all_declared = sum(declared(i) or 0 for i in per_exercise)
        lines += [
            f"{'set total':<10}{all_declared:>10}{sum_measured:>10.1f}    measured on {both} of "
            f"{len(per_exercise)} exercises, which declare {sum_declared:.0f} min",
            "",
        ]
    lines.append(
        "This compares; it changes nothing. To change a time, edit its minutes= in usiraq.checking.declarations "
        "and run `make times`."
    )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "--measured":
        print(comparison(Path(argv[1])))
        return 0
    if argv == ["--check"]:
        old = stale()
        for path in old:
            print(f"stale: {path.relative_to(ROOT)} (run `make times`)")
        return 1 if old else 0
    for path, (now, generated) in updates().items():
        if now != generated:
            path.write_text(generated, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
