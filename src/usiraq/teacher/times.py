"""How long the module takes, written everywhere from one model.

Each exercise's minutes are an **estimate** from the written model of
``usiraq.teacher.estimate`` (reading, steps, writing), computed from its
solution notebook, never typed.  Each exercise is marked **Core** or
**Stretch** on its label line (``*Core · Medium · 12 min · Skill: ... *``):
the core exercises of a set are what a beginner does in one sitting
(``CORE_MINUTES`` at most); the stretch ones are for students who want more.
From those this module writes:

- in each solution notebook (and so, through ``make exercises``, in each
  exercise notebook): the header's Time row, the minutes of each exercise's
  label line, and the checklist of each written task;
- in each lecture notebook: the header's Time row;
- in ``notebooks/00_start_here.ipynb``: the time column of the module map;
- in ``docs/teachers_guide.md``: the model, the exercise table of each
  notebook, the exercises of the lesson plans (core to set, stretch for
  later), the checklists for marking written answers and the rubric lines of
  the "choose and defend" questions, each between ``BEGIN GENERATED`` and
  ``END GENERATED`` comments.

Only that generated text is touched; everything else is left as it is.  A
notebook that was fresh before (its fingerprint matched) gets its fingerprint
refreshed, since no output depends on this text.

Usage: ``python -m usiraq.teacher.times`` writes; ``--check`` lists stale files;
``--measured GRADEBOOK.csv`` prints the estimated minutes of each graded
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
from . import estimate
from .execute import METADATA_KEY, source_fingerprint
from .repo import ROOT

# Minutes to read a lecture notebook, running every cell (measured: about 30 each;
# 00 is a short introduction with two quick questions).
LECTURE_MINUTES = {"00": 15, "01": 30, "02": 30, "03": 30, "04": 30, "05": 30}

HEADING = re.compile(r"^### Exercise (\d\d\.\d+) · (.+)$", re.M)
LABEL = re.compile(
    r"^\*(Core|Stretch) · (Easy|Medium|Harder) · (\d+) min · Skill: (.+?) · Paper: .+\*$", re.M
)
CORE_MINUTES = 60  # a set's core exercises: one sitting for a beginner
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
    1: "one",
    2: "two",
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
    """One exercise as its solution notebook states it, with its estimated minutes."""

    id: str
    title: str
    core: bool
    level: str
    skill: str
    minutes: int


@dataclass(frozen=True)
class Session:
    """One taught session: the notebooks whose exercises follow it as homework."""

    name: str
    notebooks: tuple[str, ...]
    later: tuple[str, ...] = ()  # notebooks whose core exercises make follow-up homework


# The guide's plans.  Each session is all teaching and quick questions (its table
# says so minute by minute), so the exercises are set as homework: the core
# exercises of its notebooks, and the stretch ones for students who want more.
# The single session skips notebook 02 in class and sets its core as homework.
PLANS = {
    "plan-90": (Session("The 90-minute session", ("02",), later=("01", "03", "04", "05")),),
    "plan-3x45": (
        Session("Session 1", ("01", "02")),
        Session("Session 2", ("03", "04")),
        Session("Session 3", ("05",)),
    ),
}


def estimated_minutes(exercise_id: str, root: Path = ROOT) -> int:
    """The model's minutes for an exercise (``estimate``), from its solution notebook.

    (The minutes a class took are measured elsewhere: ``timing.measured_minutes``.)
    """
    found = {i.id: i for i in items(exercise_id[:2], root)}
    if exercise_id not in found:
        raise KeyError(exercise_id)
    return found[exercise_id].minutes


def solution_path(number: str, root: Path = ROOT) -> Path:
    return next((root / "solutions").glob(f"{number}_*.ipynb"))


def items(number: str, root: Path = ROOT) -> list[Item]:
    """The exercises of one solution notebook, in order, from their label lines and the model."""
    nb = nbformat.read(solution_path(number, root), as_version=4)
    counted = estimate.work(nb)
    found = []
    for cell in nb.cells:
        for heading in HEADING.finditer(cell.source):
            label = LABEL.search(cell.source, heading.end())
            if not label:
                raise ValueError(
                    f"exercise {heading.group(1)} has no label line "
                    "'*Core or Stretch · Level · N min · Skill: ... · Paper: ...*'"
                )
            found.append(
                Item(
                    heading.group(1),
                    heading.group(2).strip(),
                    label.group(1) == "Core",
                    label.group(2).lower(),
                    label.group(4),
                    counted[heading.group(1)].minutes,
                )
            )
    return found


def total(number: str, root: Path = ROOT, core: bool | None = None) -> int:
    """Minutes of a set's exercises: all, or only the core (True) or stretch (False) ones."""
    return sum(i.minutes for i in items(number, root) if core is None or i.core == core)


def _in_words(count: int) -> str:
    return NUMBER_WORDS.get(count, str(count))


# --- text written into the notebooks ----------------------------------------------------------


def _split(number: str, root: Path = ROOT) -> str:
    """'core about 41 min (5 exercises), stretch about 52 min more (2)'."""
    listed = items(number, root)
    core = [i for i in listed if i.core]
    return (
        f"core: about {total(number, root, True)} min ({_in_words(len(core))} exercises); "
        f"stretch: about {total(number, root, False)} min more ({_in_words(len(listed) - len(core))})"
    )


def time_row(number: str, root: Path = ROOT) -> str:
    return (
        f"| **Time** | {_split(number, root)}. Each exercise names its minutes, an estimate for a "
        "beginner ([how they are estimated](../docs/teachers_guide.md#how-long-the-exercises-take)) |"
    )


def _relabel(source: str, root: Path = ROOT) -> str:
    """Put the model's minutes into each exercise's label line."""
    out, position = [], 0
    for heading in HEADING.finditer(source):
        label = LABEL.search(source, heading.end())
        if not label:
            continue
        start, end = label.span(3)
        out.append(source[position:start] + str(estimated_minutes(heading.group(1), root)))
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
        cell.source = _checklists(_relabel(source, root))


def lecture_time_row(number: str, root: Path = ROOT) -> str:
    return (
        f"| **Time** | about {LECTURE_MINUTES[number]} min to read · exercises: {_split(number, root)} "
        "(the teacher's guide's lesson plans say which to set) |"
    )


def lecture_header(number: str, nb: nbformat.NotebookNode, root: Path = ROOT) -> None:
    """Write the Time row of a lecture notebook's header (in memory), from the same estimated minutes."""
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
        return (
            f"{match.group(1)}{reading} min / {total(number, root, True)} min "
            f"(+ {total(number, root, False)} min){match.group(3)}"
        )

    for cell in nb.cells:
        if cell.cell_type == "markdown" and header.search(cell.source):
            cell.source = row.sub(
                time,
                header.sub(r"\1Reading the lecture / core exercises (+ stretch)\2", cell.source),
            )


# --- text written into the teacher's guide ----------------------------------------------------


def exercise_table(number: str, root: Path = ROOT) -> str:
    listed = items(number, root)
    name = solution_path(number, root).name
    lines = [
        f"**Exercises** ([exercises/{name}](../exercises/{name})): {_split(number, root)}, estimates "
        "(see [how long the exercises take](#how-long-the-exercises-take)):",
        "",
        "| Exercise | Core or stretch · level · time | Skill |",
        "|---|---|---|",
    ]
    for item in listed:
        kind = (
            " (written)"
            if item.id in registry.written_tasks() and item.id not in registry.exercises()
            else ""
        )
        part = "core" if item.core else "stretch"
        lines.append(
            f"| {item.id} {item.title} | {part} · {item.level} · {item.minutes} min | "
            f"{item.skill}{kind} |"
        )
    return "\n".join(lines)


def homework(session: Session, root: Path = ROOT) -> tuple[list[Item], list[Item]]:
    """The session's exercises: the core ones to set, and the stretch ones for later."""
    listed = [item for number in session.notebooks for item in items(number, root)]
    return [i for i in listed if i.core], [i for i in listed if not i.core]


def _listing(found: list[Item]) -> str:
    return ", ".join(f"{item.id} ({item.minutes} min)" for item in found)


def plan_text(name: str, root: Path = ROOT) -> str:
    lines = [
        "**Exercises.** Every minute of the session above is teaching and quick questions, so the "
        "exercises are homework: set the core ones; the stretch ones are for students who want more "
        "(chart tasks among them, the longest for a beginner). Times are estimates for a beginner."
    ]
    for session in PLANS[name]:
        core, stretch = homework(session, root)
        notebooks = ", ".join(session.notebooks)
        lines += [
            "",
            f"- *{session.name}* (notebook{'s' if len(session.notebooks) > 1 else ''} {notebooks}): set "
            f"{_listing(core)}, about {sum(i.minutes for i in core)} min. Stretch: "
            f"{_listing(stretch) or 'nothing'} (about {sum(i.minutes for i in stretch)} min more).",
        ]
        for number in session.later:
            lines.append(
                f"  Follow-up, a sitting each: the core of {number}, about {total(number, root, True)} "
                "min (its exercise table below lists them)."
            )
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
    blocks["estimate-model"] = estimate.model_text()
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
            f"{match.group(1)}{LECTURE_MINUTES[number]} / {total(number, root, True)} "
            f"(+ {total(number, root, False)}) min{match.group(3)}"
        )

    return row.sub(time, header.sub(r"\1Reading / core (+ stretch) exercises\2", text))


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


# --- estimated against measured ----------------------------------------------------------------


def read_measured(path: Path) -> dict[str, dict[str, list[float]]]:
    """The measured minutes of a grader's gradebook.csv: per notebook, per exercise id, one value per student.

    Rows with an empty ``minutes`` cell (no run times kept) are left out; a
    cell that is not a number is an error naming the file, row and column.
    """
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            missing = {"notebook", "item", "minutes"} - set(reader.fieldnames or [])
            if missing:
                raise SystemExit(
                    f"error: {path} has no {', '.join(sorted(missing))} column "
                    "(is it a gradebook.csv written by usiraq.teacher.grade?)"
                )
            found: dict[str, dict[str, list[float]]] = {}
            for line, row in enumerate(reader, 2):
                if not row["item"].endswith(" check"):
                    continue  # the minutes are measured for the checked answers
                per_notebook = found.setdefault(row["notebook"], {})
                values = per_notebook.setdefault(row["item"].split(" ")[0], [])
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
    """Per exercise of the gradebook: estimated minutes, measured median and how many students were measured."""
    from statistics import median

    def estimated(exercise_id):
        try:
            return estimated_minutes(exercise_id)
        except (KeyError, StopIteration, ValueError):
            return None

    lines = [
        f"Estimated and measured minutes per exercise ({path})",
        "measured: the median over the students whose notebook kept its run times (usiraq.teacher.timing)",
        "",
        f"{'exercise':<10}{'estimated':>10}{'measured':>10}{'students':>10}",
    ]
    for notebook, per_exercise in sorted(read_measured(path).items()):
        lines.append(notebook)
        sum_estimated = sum_measured = 0.0
        for exercise_id, values in per_exercise.items():  # in the gradebook's order
            own = estimated(exercise_id)
            middle = median(values) if values else None
            lines.append(
                f"{exercise_id:<10}{'' if own is None else own:>10}"
                f"{'' if middle is None else f'{middle:.1f}':>10}{len(values):>10}"
            )
            if own is not None and middle is not None:
                sum_estimated += own
                sum_measured += middle
        both = sum(bool(v) and estimated(i) is not None for i, v in per_exercise.items())
        all_estimated = sum(estimated(i) or 0 for i in per_exercise)
        lines += [
            f"{'set total':<10}{all_estimated:>10}{sum_measured:>10.1f}    measured on {both} of "
            f"{len(per_exercise)} exercises, estimated at {sum_estimated:.0f} min",
            "",
        ]
    lines.append(
        "This compares; it changes nothing. The estimates come from the model in usiraq.teacher.estimate; "
        "where a class measured otherwise, change the model (or the exercise) and run `make times`."
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
