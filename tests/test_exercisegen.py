"""Exercises are generated from the solutions, and can never drift from them."""

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from usiraq.teacher.exercisegen import MarkerError, exercise_notebook, generate

ROOT = Path(__file__).resolve().parents[1]


def notebook(*cells):
    return new_notebook(cells=list(cells))


def test_code_region_becomes_a_runnable_placeholder():
    cell = new_code_cell(
        "answer = None\n### BEGIN SOLUTION\nanswer = 42\n### END SOLUTION\ncheck('01.1', answer)"
    )
    cell.outputs = [new_output("stream", name="stdout", text="42")]
    cell.execution_count = 3
    out = exercise_notebook(notebook(cell), "x.ipynb").cells[0]
    assert out.source == "answer = None\n# YOUR CODE HERE\ncheck('01.1', answer)"
    assert out.outputs == [] and out.execution_count is None


def test_indentation_is_kept():
    cell = new_code_cell("def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION")
    assert (
        exercise_notebook(notebook(cell), "x.ipynb").cells[0].source
        == "def f():\n    # YOUR CODE HERE"
    )


def test_markdown_region_becomes_a_prompt():
    cell = new_markdown_cell(
        "**Your answer:**\n<!-- BEGIN SOLUTION -->\nThe model answer.\n<!-- END SOLUTION -->"
    )
    assert (
        exercise_notebook(notebook(cell), "x.ipynb").cells[0].source
        == "**Your answer:**\n*Write your answer here.*"
    )


def test_a_markdown_region_inside_a_line_becomes_a_prompt():
    cell = new_markdown_cell(
        "**Chart description.** <!-- BEGIN SOLUTION -->A bar chart.<!-- END SOLUTION --> Then read it.\n"
        "Two: <!-- BEGIN SOLUTION -->x<!-- END SOLUTION --> and <!-- BEGIN SOLUTION -->y<!-- END SOLUTION -->"
    )
    assert exercise_notebook(notebook(cell), "x.ipynb").cells[0].source == (
        "**Chart description.** *Write your answer here.* Then read it.\n"
        "Two: *Write your answer here.* and *Write your answer here.*"
    )


def test_a_markdown_region_opened_inside_a_line_and_closed_later_is_stripped_whole():
    cell = new_markdown_cell(
        "**Chart description.** <!-- BEGIN SOLUTION -->A bar\nchart.<!-- END SOLUTION --> Next."
    )
    text = exercise_notebook(notebook(cell), "x.ipynb").cells[0].source
    assert "bar" not in text and "chart." not in text and text.endswith("Next.")


def test_solution_cells_are_left_out():
    nb = notebook(
        new_markdown_cell("<!-- SOLUTION CELL -->\nTeacher note"),
        new_code_cell("### SOLUTION CELL\nx = 1"),
        new_markdown_cell("kept"),
    )
    assert [c.source for c in exercise_notebook(nb, "x.ipynb").cells] == ["kept"]


def test_the_solution_notebook_is_not_changed():
    cell = new_code_cell("### BEGIN SOLUTION\nx = 1\n### END SOLUTION")
    nb = notebook(cell)
    exercise_notebook(nb, "x.ipynb")
    assert "x = 1" in nb.cells[0].source


@pytest.mark.parametrize(
    "source, says",
    [
        ("### BEGIN SOLUTION\nx = 1", "is never closed"),
        ("x = 1\n### END SOLUTION", "without a '### BEGIN SOLUTION'"),
        (
            "### BEGIN SOLUTION\n### BEGIN SOLUTION\nx\n### END SOLUTION\n### END SOLUTION",
            "cannot be nested",
        ),
    ],
)
def test_malformed_markers_name_the_notebook_and_cell(source, says):
    nb = notebook(new_markdown_cell("intro"), new_code_cell(source))
    with pytest.raises(MarkerError, match=says) as info:
        exercise_notebook(nb, "03_tasks.ipynb")
    assert "03_tasks.ipynb, cell 2" in str(info.value)


def test_generator_command_reports_malformed_markers(tmp_path):
    (tmp_path / "sol").mkdir()
    nbformat.write(notebook(new_code_cell("### BEGIN SOLUTION")), tmp_path / "sol" / "01_x.ipynb")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "usiraq.teacher.exercisegen",
            str(tmp_path / "sol"),
            str(tmp_path / "ex"),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "01_x.ipynb, cell 1" in result.stderr and "Traceback" not in result.stderr


def test_committed_exercises_match_the_solutions(tmp_path):
    """Regenerate every exercise notebook and compare with what is committed."""
    written = generate(ROOT / "solutions", tmp_path)
    committed = sorted(p.name for p in (ROOT / "exercises").glob("*.ipynb"))
    assert sorted(p.name for p in written) == committed
    for path in written:
        assert path.read_text(encoding="utf-8") == (ROOT / "exercises" / path.name).read_text(
            encoding="utf-8"
        ), (
            f"exercises/{path.name} differs from what solutions/{path.name} generates: run `make exercises`"
        )


def test_inline_markdown_region_is_stripped():
    cell = new_markdown_cell(
        "**Chart description.** <!-- BEGIN SOLUTION -->A model text.<!-- END SOLUTION --> Then read it."
    )
    out = exercise_notebook(notebook(cell), "x.ipynb").cells[0].source
    assert out == "**Chart description.** *Write your answer here.* Then read it."


@pytest.mark.parametrize(
    "source, says",
    [
        ("a <!-- BEGIN SOLUTION --> b", "is never closed"),
        ("a <!-- END SOLUTION --> b", "without a '<!-- BEGIN SOLUTION -->'"),
        (
            "<!-- BEGIN SOLUTION --> <!-- BEGIN SOLUTION --> x <!-- END SOLUTION -->",
            "cannot be nested",
        ),
    ],
)
def test_malformed_inline_markers_are_reported(source, says):
    with pytest.raises(MarkerError, match=says):
        exercise_notebook(notebook(new_markdown_cell(source)), "05_x.ipynb")


def solution_lines(nb):
    """Every line of text inside a solution region or solution cell, long enough to be telling."""
    found = []
    for cell in nb.cells:
        source = cell.source
        first = source.lstrip().split("\n", 1)[0].strip()
        if first in ("### SOLUTION CELL", "<!-- SOLUTION CELL -->"):
            pieces = [source]
        elif cell.cell_type == "code":
            pieces = re.findall(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", source, re.S)
        else:
            pieces = re.findall(r"<!-- BEGIN SOLUTION -->(.*?)<!-- END SOLUTION -->", source, re.S)
        for piece in pieces:
            for line in piece.split("\n"):
                for part in re.split(r"(?<=[.;:!?])\s+", line.strip()):
                    if len(part) >= 30 and "SOLUTION" not in part:
                        found.append(part)
    return found


def outside_regions(nb):
    """The text of a solution notebook that students are meant to see (a task may quote a line of code)."""
    kept = []
    for cell in nb.cells:
        if cell.source.lstrip().split("\n", 1)[0].strip() in (
            "### SOLUTION CELL",
            "<!-- SOLUTION CELL -->",
        ):
            continue
        text = re.sub(r"### BEGIN SOLUTION\n.*?### END SOLUTION", "", cell.source, flags=re.S)
        kept.append(
            re.sub(r"<!-- BEGIN SOLUTION -->.*?<!-- END SOLUTION -->", "", text, flags=re.S)
        )
    return "\n".join(kept)


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "solutions").glob("*.ipynb")))
def test_no_solution_text_reaches_the_exercises(name):
    solution = nbformat.read(ROOT / "solutions" / name, as_version=4)
    exercise_text = "\n".join(
        c.source for c in nbformat.read(ROOT / "exercises" / name, as_version=4).cells
    )
    given = outside_regions(solution)
    lines = solution_lines(solution)
    assert lines, f"solutions/{name} has no solution region"
    leaked = [line for line in lines if line in exercise_text and line not in given]
    assert not leaked, f"exercises/{name} shows text of a solution region: {leaked[:3]}"


def test_the_leak_test_can_see_a_leak():
    leaky = notebook(
        new_markdown_cell(
            "x <!-- BEGIN SOLUTION -->A model chart description, long enough to count."
            "<!-- END SOLUTION -->"
        )
    )
    assert solution_lines(leaky) == ["A model chart description, long enough to count."]


DECLARATIONS_IMPORT = re.compile(
    r"\busiraq\.checking\.declarations\b|^\s*from\s+usiraq\.checking\s+import\s+[^\n]*"
    r"\bdeclarations\b",
    re.M,
)


def declaration_imports(nb):
    """The code cells of a notebook that name the declarations (where the expected answers are computed)."""
    return [
        i
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "code" and DECLARATIONS_IMPORT.search(cell.source)
    ]


@pytest.mark.parametrize(
    "path",
    sorted(ROOT.glob("notebooks/*.ipynb")) + sorted(ROOT.glob("exercises/*.ipynb")),
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_no_student_notebook_imports_the_declarations(path):
    """A student sees every cell of these notebooks: an import of the declarations there invites a look inside."""
    cells = declaration_imports(nbformat.read(path, as_version=4))
    assert not cells, (
        f"{path.parent.name}/{path.name}, cells {[i + 1 for i in cells]}: imports the declarations"
    )


def test_the_declarations_import_test_sees_every_form():
    for code in [
        "from usiraq.checking.declarations.n03_tasks import LABELS",
        "import usiraq.checking.declarations",
        "x = usiraq.checking.declarations.n01",
        "from usiraq.checking import judging, declarations",
    ]:
        assert declaration_imports(notebook(new_code_cell(code))) == [0], code
    assert (
        declaration_imports(
            notebook(
                new_code_cell("tasks.answers_to_deadly_attacks(a, b)"),
                new_markdown_cell("from usiraq.checking.declarations import x"),
            )
        )
        == []
    )
