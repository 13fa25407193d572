"""Skills before use: every function an exercise's solution calls is shown first.

A student who knows a first pandas tutorial should meet each pandas, numpy or
matplotlib function in a lecture notebook (this one or an earlier one), or in
a code cell of the exercise notebook that comes before the exercise (a
"toolbox" cell with a tiny example, or code the task gives).  A student's own
code in another exercise does not count: it is what they are learning.  The
module's own helpers (``style.chart``, ``bases.draw_map``...) are named in the
tasks and documented in the package, so they are left out, as are Python's
built-in functions.
"""

import ast
import builtins
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))
LECTURES = sorted((ROOT / "notebooks").glob("*.ipynb"))
REGION = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", re.S)
HEADING = re.compile(r"^### Exercise (\d\d\.\d+)", re.M)


def package_names(code):
    """Names that stand for the module's own code: its modules and what is imported from them."""
    names = {"usiraq"}
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return names
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("usiraq"):
            names |= {alias.asname or alias.name for alias in node.names}
    return names


# Options that are a tool of their own: a student who has seen ax.bar has not yet seen what
# width= does on a date axis, nor merge's suffixes=.
KEYWORD_TOOLS = {
    ("bar", "width"),
    ("bar", "bottom"),
    ("merge", "suffixes"),
    ("reindex", "fill_value"),
}
ACCESSORS = {"dt", "str"}


def calls(code, package):
    """The tools a piece of code uses, by name: each function or method it calls (``df.groupby(...)``
    gives 'groupby'), the options of KEYWORD_TOOLS it passes ('bar(width=)'), and what it reaches
    through ``.dt`` or ``.str`` ('dt.days', 'str.split')."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return set()
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute):
            if node.value.attr in ACCESSORS:
                found.add(f"{node.value.attr}.{node.attr}")
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id not in package:
            found.add(func.id)
        elif isinstance(func, ast.Attribute):
            if isinstance(func.value, ast.Name) and func.value.id in package:
                continue
            found.add(func.attr)
            found |= {
                f"{func.attr}({kw.arg}=)"
                for kw in node.keywords
                if (func.attr, kw.arg) in KEYWORD_TOOLS
            }
    return found - set(dir(builtins))


def code_cells(path):
    return [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


def shown_in_lectures(number):
    shown = set()
    for path in LECTURES:
        if path.name[:2] <= number:
            cells = code_cells(path)
            package = package_names("\n".join(c.source for c in cells))
            shown |= set().union(*(calls(c.source, package) for c in cells))
    return shown


def unshown_calls(path, shown_before=frozenset()):
    """For each exercise of a solution notebook, the calls of its solution not shown before it."""
    nb = nbformat.read(path, as_version=4)
    package = package_names("\n".join(c.source for c in nb.cells if c.cell_type == "code"))
    shown = set(shown_before) | shown_in_lectures(path.name[:2])
    missing, current = {}, None
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            heading = HEADING.search(cell.source)
            current = heading.group(1) if heading else current
            continue
        if cell.source.lstrip().startswith("### SOLUTION CELL"):
            continue
        shown |= calls(REGION.sub("", cell.source), package)
        needed = set().union(*(calls(region, package) for region in REGION.findall(cell.source)))
        if current and needed - shown:
            missing.setdefault(current, set()).update(needed - shown)
    return missing, shown


def given_code_of_earlier_exercises(number):
    shown = set()
    for path in SOLUTIONS:
        if path.name[:2] < number:
            cells = code_cells(path)
            package = package_names("\n".join(c.source for c in cells))
            shown |= set().union(
                *(
                    calls(REGION.sub("", c.source), package)
                    for c in cells
                    if not c.source.lstrip().startswith("### SOLUTION CELL")
                )
            )
    return shown


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.name)
def test_every_function_a_solution_needs_is_shown_before(path):
    missing, _ = unshown_calls(path, given_code_of_earlier_exercises(path.name[:2]))
    listing = "; ".join(
        f"{ex}: {', '.join(sorted(names))}" for ex, names in sorted(missing.items())
    )
    assert not missing, (
        f"{path.name}: show these in a lecture or in a toolbox cell before the exercise: {listing}"
    )


def test_the_check_finds_a_function_nobody_showed(tmp_path):
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("### Exercise 09.1 · x"),
            nbformat.v4.new_code_cell(
                "answer = None\n### BEGIN SOLUTION\nanswer = frame.never_shown_anywhere()\n"
                "### END SOLUTION\ncheck('09.1', answer)"
            ),
        ]
    )
    path = tmp_path / "09_x.ipynb"
    nbformat.write(nb, path)
    missing, _ = unshown_calls(path)
    assert missing == {"09.1": {"never_shown_anywhere"}}


@pytest.mark.parametrize(
    ("code", "tool"),
    [
        ("a.merge(b, on='k', suffixes=('_paper', '_record'))", "merge(suffixes=)"),
        ("gap = (later - earlier).dt.days", "dt.days"),
        ("ax.bar(months, counts, width=27)", "bar(width=)"),
        ("ax.bar(months, counts, bottom=below)", "bar(bottom=)"),
        ("pd.crosstab(years, tasks)", "crosstab"),
        ("t.reindex(range(2014, 2025), fill_value=0)", "reindex"),
        ("t.reindex(range(2014, 2025), fill_value=0)", "reindex(fill_value=)"),
        ("t['spelling'].str.split(';')", "str.split"),
        ("t.explode('spelling')", "explode"),
        ("np.radians(lat)", "radians"),
    ],
)
def test_the_check_sees_each_tool_a_beginner_must_be_shown(code, tool):
    assert tool in calls(code, package_names(code))
