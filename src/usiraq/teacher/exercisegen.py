"""Make the exercise notebooks from the solution notebooks.

The solution notebook is the one source.  Answer regions are marked the way
nbgrader marks them, and this module removes them:

- in a code cell, the lines from ``### BEGIN SOLUTION`` to ``### END SOLUTION``
  become ``# YOUR CODE HERE`` (at the same indentation).  Write the placeholder
  before the region (``answer = None``) so the exercise still runs;
- in a markdown cell, the text from ``<!-- BEGIN SOLUTION -->`` to
  ``<!-- END SOLUTION -->`` becomes ``*Write your answer here.*``, whether the
  markers stand on their own lines or inside a line;
- a cell whose first line is ``### SOLUTION CELL`` (code) or
  ``<!-- SOLUTION CELL -->`` (markdown) is left out of the exercises entirely.

Outputs, execution counts and execution metadata are stripped.  Malformed
markers (an END without BEGIN, a BEGIN inside a region, a region left open)
stop the generator with the notebook and cell named.

Usage: ``python -m usiraq.teacher.exercisegen solutions exercises [01_emergence.ipynb ...]``
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat

CODE_BEGIN, CODE_END, CODE_CELL = "### BEGIN SOLUTION", "### END SOLUTION", "### SOLUTION CELL"
MD_BEGIN, MD_END, MD_CELL = (
    "<!-- BEGIN SOLUTION -->",
    "<!-- END SOLUTION -->",
    "<!-- SOLUTION CELL -->",
)
CODE_PLACEHOLDER = "# YOUR CODE HERE"
MD_PLACEHOLDER = "*Write your answer here.*"
METADATA_KEY = "usiraq"


class MarkerError(ValueError):
    """The solution markers in a notebook are malformed."""


def strip_regions(source: str, begin: str, end: str, placeholder: str, where: str) -> str:
    """Replace every marked region in one cell's source by the placeholder."""
    out, inside = [], False
    for number, line in enumerate(source.split("\n"), 1):
        stripped = line.strip()
        if stripped == begin:
            if inside:
                raise MarkerError(
                    f"{where}, line {number}: '{begin}' inside a region that is already open "
                    "(regions cannot be nested)"
                )
            inside = True
            indent = line[: len(line) - len(line.lstrip())]
            out.append(indent + placeholder)
        elif stripped == end:
            if not inside:
                raise MarkerError(f"{where}, line {number}: '{end}' without a '{begin}' before it")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise MarkerError(f"{where}: '{begin}' is never closed with '{end}'")
    return "\n".join(out)


def strip_inline_regions(source: str, begin: str, end: str, placeholder: str, where: str) -> str:
    """Replace every marked region in a markdown cell, wherever the markers stand.

    Markers may stand on their own lines or inside a line ("**Chart
    description.** <!-- BEGIN SOLUTION -->A model...<!-- END SOLUTION -->");
    either way nothing between them reaches the exercise notebook.
    """
    out, position, inside_from = [], 0, None
    for marker in re.finditer(f"{re.escape(begin)}|{re.escape(end)}", source):
        line = source.count("\n", 0, marker.start()) + 1
        if marker.group(0) == begin:
            if inside_from is not None:
                raise MarkerError(
                    f"{where}, line {line}: '{begin}' inside a region that is already open "
                    "(regions cannot be nested)"
                )
            out.append(source[position : marker.start()] + placeholder)
            inside_from = marker.end()
        else:
            if inside_from is None:
                raise MarkerError(f"{where}, line {line}: '{end}' without a '{begin}' before it")
            inside_from = None
        position = marker.end()
    if inside_from is not None:
        raise MarkerError(f"{where}: '{begin}' is never closed with '{end}'")
    out.append(source[position:])
    return "".join(out)


def exercise_notebook(solution: nbformat.NotebookNode, name: str) -> nbformat.NotebookNode:
    """The exercise version of a solution notebook (a new object; the input is unchanged)."""
    nb = nbformat.from_dict(solution)
    cells = []
    for index, cell in enumerate(nb.cells, 1):
        where = f"{name}, cell {index}"
        first = cell.source.lstrip().split("\n", 1)[0].strip()
        if first in (CODE_CELL, MD_CELL):
            continue
        if cell.cell_type == "code":
            cell.source = strip_regions(cell.source, CODE_BEGIN, CODE_END, CODE_PLACEHOLDER, where)
            cell.outputs = []
            cell.execution_count = None
            cell.metadata.pop("execution", None)
        elif cell.cell_type == "markdown":
            cell.source = strip_inline_regions(cell.source, MD_BEGIN, MD_END, MD_PLACEHOLDER, where)
        cells.append(cell)
    nb.cells = cells
    nb.metadata.pop(METADATA_KEY, None)
    nb.metadata.pop("widgets", None)
    return nb


def generate(solutions: Path, exercises: Path, names: list[str] | None = None) -> list[Path]:
    """Write an exercise notebook for each solution notebook (or only the named ones)."""
    exercises.mkdir(parents=True, exist_ok=True)
    written = []
    paths = [solutions / n for n in names] if names else sorted(solutions.glob("*.ipynb"))
    for path in paths:
        solution = nbformat.read(path, as_version=4)
        target = exercises / path.name
        nbformat.write(exercise_notebook(solution, path.name), target)
        written.append(target)
    return written


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(
            "usage: python -m usiraq.teacher.exercisegen SOLUTIONS_DIR EXERCISES_DIR [NOTEBOOK_NAME ...]",
            file=sys.stderr,
        )
        return 2
    try:
        written = generate(Path(argv[0]), Path(argv[1]), argv[2:])
    except MarkerError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(f"wrote {len(written)} exercise notebooks to {argv[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
