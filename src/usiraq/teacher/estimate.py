"""How long an exercise takes a beginner, estimated by a written model until a class measures it.

The model, for a student at the level notebook 00 states (beginner's Python
and a first look at pandas):

- **reading**: every word of the task the student reads (its text, toolbox
  cells and the code it gives), at ``READING_WORDS_PER_MINUTE``;
- **steps**: every statement of the worked solution's code is one step the
  student writes, at ``MINUTES_PER_STEP`` for the exercise's level;
- **writing**: every sentence of the model answers (a reading of a chart, a
  choice defended, a written task) is one sentence the student writes, at
  ``MINUTES_PER_SENTENCE``;
- plus ``MINUTES_TO_START`` for each exercise: finding the cell, running the
  check, reading what it says.

The sum, rounded up to a whole minute, is the exercise's estimate. It was set
so that two exercise sets come out near what a beginner needed in a trial
(about 150 and 125 minutes for sets 02 and 04); the grader measures the real
minutes of a class (``usiraq.teacher.timing``), and ``make times
MEASURED=...`` sets them beside these estimates.
"""

from __future__ import annotations

import ast
import math
import re
from dataclasses import dataclass

import nbformat

READING_WORDS_PER_MINUTE = 200
MINUTES_PER_STEP = {"easy": 1.5, "medium": 2.0, "harder": 3.0}
MINUTES_PER_SENTENCE = 2.0
MINUTES_TO_START = 2.0

HEADING = re.compile(r"^### Exercise (\d\d\.\d+) · (.+)$", re.M)
LEVEL = re.compile(r"^\*(?:Core|Stretch) · (Easy|Medium|Harder) · ", re.M)
CODE_REGION = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", re.S)
TEXT_REGION = re.compile(r"<!-- BEGIN SOLUTION -->(.*?)<!-- END SOLUTION -->", re.S)
SOLUTION_CELL = ("### SOLUTION CELL", "<!-- SOLUTION CELL -->")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z*\"(])")


@dataclass
class Work:
    """What one exercise asks of a student, counted from its solution notebook."""

    level: str
    words: int = 0  # prose and given code the student reads
    steps: int = 0  # statements of the worked solution
    sentences: int = 0  # sentences of the model answers

    @property
    def minutes(self) -> int:
        return math.ceil(
            MINUTES_TO_START
            + self.words / READING_WORDS_PER_MINUTE
            + self.steps * MINUTES_PER_STEP[self.level]
            + self.sentences * MINUTES_PER_SENTENCE
        )


def steps(code: str) -> int:
    """The statements of a piece of code (a loop and each statement in it count)."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return len([line for line in code.splitlines() if line.strip()])
    return sum(isinstance(node, ast.stmt) for node in ast.walk(tree))


def sentences(text: str) -> int:
    """The sentences of a model answer (fragments of fewer than three words do not count)."""
    flat = " ".join(text.split())
    return sum(len(part.split()) >= 3 for part in SENTENCE_END.split(flat) if part)


def work(nb: nbformat.NotebookNode) -> dict[str, Work]:
    """Each exercise of a solution notebook, from its heading to the next, as the model counts it."""
    found: dict[str, Work] = {}
    current = None
    for cell in nb.cells:
        heading = HEADING.search(cell.source) if cell.cell_type == "markdown" else None
        if heading:
            level = LEVEL.search(cell.source, heading.end())
            if not level:
                raise ValueError(
                    f"exercise {heading.group(1)} has no label line "
                    "'*Core or Stretch · Level · N min · Skill: ... · Paper: ...*'"
                )
            current = found[heading.group(1)] = Work(level.group(1).lower())
        if current is None or cell.source.lstrip().startswith(SOLUTION_CELL):
            continue
        if cell.cell_type == "markdown":
            current.words += len(TEXT_REGION.sub("", cell.source).split())
            current.sentences += sum(
                sentences(region) for region in TEXT_REGION.findall(cell.source)
            )
        else:
            current.words += len(re.findall(r"\w+", CODE_REGION.sub("", cell.source)))
            current.steps += sum(steps(region) for region in CODE_REGION.findall(cell.source))
    return found


def model_text() -> str:
    """The model in a few lines, for the teacher's guide (written there by ``make times``)."""
    per_step = ", ".join(f"{level} {minutes:g}" for level, minutes in MINUTES_PER_STEP.items())
    return "\n".join(
        [
            "- **reading**: every word the task gives (its text, toolbox cells and the code it hands "
            f"over), at {READING_WORDS_PER_MINUTE} words a minute;",
            "- **steps**: every statement of the worked solution's code, at "
            f"{per_step} minutes a step by the exercise's level;",
            "- **writing**: every sentence of the model answers (a chart's reading or description, a "
            f"choice defended, a written task), at {MINUTES_PER_SENTENCE:g} minutes a sentence;",
            f"- **starting**: {MINUTES_TO_START:g} minutes per exercise to find the cell, run the check and "
            "read what it says.",
        ]
    )
