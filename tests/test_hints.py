"""Every name a hint uses is one the student can see.

A hint such as "use tagged['date']" helps only if the notebook defines
``tagged``.  This test takes each hint of each exercise (and of each chart
task), picks out the names it uses as code (a name followed by ``[``, ``.``,
``(``, or a name with an underscore), and checks that each is defined in the
exercise notebook (a code cell assigns or imports it, or the task text shows
code that assigns it), is a column of the data, a Python built-in, or is assigned in the
hint itself ("months = ...").
"""

import ast
import builtins
import re
from pathlib import Path

import nbformat
import pytest

from usiraq import challenges, data
from usiraq.checking import registry

ROOT = Path(__file__).resolve().parents[1]
EXERCISES = sorted((ROOT / "exercises").glob("*.ipynb"))
TABLES = (
    "troop_levels",
    "events",
    "claims",
    "sources",
    "bases",
    "places",
    "figures",
    "attacks",
    "strikes",
    "tasks",
)
CALLED = re.compile(r"(?<![\w.'\"])([A-Za-z_]\w*)(?=\[|\.[A-Za-z_]|\()")
UNDERSCORED = re.compile(r"(?<![\w.'\"])([A-Za-z_]\w*_\w*)(?![\w'\"])")
ASSIGNED = re.compile(r"\b([A-Za-z_]\w*)\s*=(?!=)|for ([A-Za-z_]\w*)(?:, ([A-Za-z_]\w*))? in")


def names_used(hint):
    """The names a hint uses as code (not attributes, not text in quotes)."""
    without_eg = hint.replace("e.g.", "for example")
    return set(CALLED.findall(without_eg)) | set(UNDERSCORED.findall(without_eg))


def names_assigned(hint):
    return {name for match in ASSIGNED.findall(hint) for name in match if name}


def notebook_names(path):
    """Names defined by the exercise notebook's code, and names its task text shows as code."""
    names = set()
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "code":
            try:
                tree = ast.parse(cell.source)
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                    names.add(node.id)
                elif isinstance(node, (ast.Import, ast.ImportFrom)):
                    names |= {alias.asname or alias.name.split(".")[0] for alias in node.names}
        else:
            for span in re.findall(r"`([^`]+)`", cell.source):
                names |= assigned_in(span)
    return names


def assigned_in(code):
    """Names that a code span in the task text assigns, as in `fig, ax = style.chart(...)`.

    A table's name in backticks (`claims`) does not count: the text names the
    table, but the notebook may hold it under another name.
    """
    try:
        tree = ast.parse(code.replace("...", "None"))
    except SyntaxError:
        return set()
    return {
        node.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
    }


def data_columns():
    columns = set(challenges.incidents().columns)
    for name in TABLES:
        columns |= set(data.table(name).columns)
    return columns


def hints_of(number):
    found = [
        (i, h)
        for i, ex in registry.exercises().items()
        if i.startswith(f"{number}.") and ".q" not in i
        for h in ex.hints
    ]
    return found + [
        (i, h) for i, s in registry.charts().items() if i.startswith(f"{number}.") for h in s.hints
    ]


@pytest.mark.parametrize("path", EXERCISES, ids=lambda p: p.name)
def test_every_name_in_a_hint_is_defined(path):
    known = notebook_names(path) | data_columns() | set(dir(builtins))
    hints = hints_of(path.name[:2])
    assert hints, f"no hints found for {path.name}"
    unknown = {}
    for exercise_id, hint in hints:
        missing = names_used(hint) - known - names_assigned(hint)
        if missing:
            unknown.setdefault(exercise_id, set()).update(missing)
    assert not unknown, f"{path.name}: hints use names the notebook never defines: {unknown}"


def test_the_check_sees_an_undefined_name():
    assert names_used("Use tagged['date'].dt.year and report_date, e.g. here.") == {
        "tagged",
        "report_date",
    }
    assert names_assigned("months = x.value_counts(); for kind, rows in t.groupby('k')") == {
        "months",
        "kind",
        "rows",
    }
    assert assigned_in("fig, ax = style.chart(title=...)") == {"fig", "ax"}
    assert assigned_in("claims") == set() and assigned_in("not code (") == set()
