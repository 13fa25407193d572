"""The student edition (``make release``) holds no answers, and its notebooks run from it.

A solution's text is every line inside its answer regions (code and markdown,
regions on lines of their own and inside a line) and every line of a solution
cell.  None may appear in any file of the release, in a cell's source or in a
stored output.  Some code lines are exempt, because they are not the answer
and the teacher's guide ("A graded week") keeps them on purpose: a line that
the lecture notebooks show (a worked example of the technique, such as a chart
call), a line the exercise itself gives outside its regions, and a line of the
package's own checking code.  An ``answer = ...``
line and any written (markdown) answer are never exempt, and no whole region
may appear anywhere.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from usiraq import check, check_chart
from usiraq.checking import frozen, ladder, registry
from usiraq.teacher import exercisegen as eg
from usiraq.teacher.release import MARKER, ReleaseError, build, unlink_hidden

ROOT = Path(__file__).resolve().parents[1]
CODE_REGION = re.compile(
    r"^[ \t]*### BEGIN SOLUTION[ \t]*\n(.*?)^[ \t]*### END SOLUTION", re.S | re.M
)
MD_REGION = re.compile(re.escape(eg.MD_BEGIN) + r"(.*?)" + re.escape(eg.MD_END), re.S)


def solution_regions() -> list[tuple[str, str, str]]:
    """(notebook, kind, text) of every answer region and solution cell of solutions/."""
    regions = []
    for path in sorted((ROOT / "solutions").glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            first, _, rest = cell.source.lstrip().partition("\n")
            if first.strip() in (eg.CODE_CELL, eg.MD_CELL):
                regions.append(
                    (path.name, "code" if cell.cell_type == "code" else "markdown", rest)
                )
            elif cell.cell_type == "code":
                regions += [
                    (path.name, "code", m.group(1)) for m in CODE_REGION.finditer(cell.source)
                ]
            else:
                regions += [
                    (path.name, "markdown", m.group(1)) for m in MD_REGION.finditer(cell.source)
                ]
    return regions


def notebook_text(path: Path) -> str:
    """Every cell source and every textual output of a notebook, decoded."""
    parts = []
    for cell in nbformat.read(path, as_version=4).cells:
        parts.append(cell.source)
        for output in cell.get("outputs", []):
            parts.append(output.get("text", ""))
            for kind, value in output.get("data", {}).items():
                if not kind.startswith("image/"):
                    parts.append(value if isinstance(value, str) else json.dumps(value))
    return "\n".join(parts)


def strings(value) -> list[str]:
    """Every text inside a frozen item (its hints, messages, expected values...), recursively."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, frozen.Constant):
        return strings(value.value)
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in strings(k) + strings(v)]
    if isinstance(value, (list, tuple, set)):
        return [s for v in value for s in strings(v)]
    if hasattr(value, "__dataclass_fields__"):
        return [s for name in value.__dataclass_fields__ for s in strings(getattr(value, name))]
    if hasattr(value, "to_dict"):  # a Series or DataFrame
        return strings(value.astype(str).to_dict()) + [str(i) for i in value.index]
    return []


def file_text(path: Path) -> str:
    if path.suffix == ".ipynb":
        return notebook_text(path)
    if path.suffix == ".pickle":
        return "\n".join(strings(frozen.loads(path.read_bytes())))
    return path.read_text(encoding="utf-8")


def text_of(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): file_text(path)
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and ".git" not in p.parts)
    }


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    out = tmp_path_factory.mktemp("student") / "edition"
    build(out)
    return out


def test_the_edition_holds_what_students_need(release):
    for name in [
        "notebooks/00_start_here.ipynb",
        "exercises/01_emergence.ipynb",
        "data/datapackage.json",
        "src/usiraq/checking/judging.py",
        "src/usiraq/checking/declarations/__init__.py",
        "src/usiraq/checking/declarations/frozen.pickle",
        "environment.yml",
        "requirements.txt",
        "postBuild",
        "pyproject.toml",
        "README.md",
        "docs/glossary.md",
    ]:
        assert (release / name).is_file(), name
    for name in [
        "solutions",
        "docs/teachers_guide.md",
        "tests/conftest.py",
        "tools",
        "src/usiraq/teacher",
        "CONTRIBUTING.md",
    ]:
        assert not (release / name).exists(), name


def test_every_module_the_edition_ships_imports_from_the_edition(release):
    """A teacher tool left in the package would fail to import once its helpers are left out."""
    modules = sorted(
        "usiraq." + ".".join(p.relative_to(release / "src" / "usiraq").with_suffix("").parts)
        for p in (release / "src" / "usiraq").rglob("*.py")
        if p.name != "__init__.py"
    )
    code = "import importlib, sys\nfor m in sys.argv[1:]:\n    importlib.import_module(m)\n"
    env = {**os.environ, "PYTHONPATH": str(release / "src"), "USIRAQ_DATA": str(release / "data")}
    result = subprocess.run(
        [sys.executable, "-c", code, *modules],
        cwd=release,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]


def test_no_notebook_sends_students_to_the_solutions_folder(release):
    for path in sorted(release.rglob("*.ipynb")):
        text = "\n".join(
            c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown"
        )
        assert "solutions/" not in text, path.relative_to(release)


def test_no_solution_text_appears_anywhere_in_the_release(release):
    regions = solution_regions()
    assert len(regions) >= 40 and any(kind == "markdown" for _, kind, _ in regions)
    taught = "\n".join(
        [notebook_text(p) for p in sorted((ROOT / "notebooks").glob("*.ipynb"))]
        + [
            cell.source
            for p in sorted((ROOT / "solutions").glob("*.ipynb"))
            for cell in eg.exercise_notebook(nbformat.read(p, as_version=4), p.name).cells
        ]
    )
    texts = text_of(release)
    package = "\n".join(text for rel, text in texts.items() if rel.startswith("src/"))
    leaks = []
    for notebook, kind, region in regions:
        whole = " ".join(region.split())
        for rel, text in texts.items():
            if whole and whole in " ".join(text.split()):
                leaks.append((notebook, "whole region", rel))
        for line in filter(None, (raw.strip() for raw in region.split("\n"))):
            exempt = (
                kind == "code"
                and not line.startswith("answer =")
                and (line in taught or line in package)
            )
            leaks += [
                (notebook, line, rel) for rel, text in texts.items() if not exempt and line in text
            ]
    assert leaks == []


def test_no_link_points_at_a_file_left_out(release):
    for path in list((release / "notebooks").glob("*.ipynb")) + list(
        (release / "exercises").glob("*.ipynb")
    ):
        text = notebook_text(path)
        assert "](../solutions/" not in text and "teachers_guide.md)" not in text, path.name
    assert "solutions/01_emergence.ipynb" in notebook_text(
        ROOT / "notebooks" / "01_emergence.ipynb"
    )


def test_a_link_to_the_solutions_keeps_its_text():
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell(
                "Solutions: [solutions/01.ipynb](../solutions/01.ipynb) · [guide](../docs/teachers_guide.md#x) · [ok](a.md)"
            )
        ]
    )
    assert unlink_hidden(nb) == 2
    assert nb.cells[0].source == "Solutions: solutions/01.ipynb · guide · [ok](a.md)"


def test_a_folder_with_other_work_is_refused_and_a_release_is_replaced(tmp_path):
    (tmp_path / "mine.txt").write_text("keep me")
    with pytest.raises(ReleaseError, match="not empty"):
        build(tmp_path)
    assert (tmp_path / "mine.txt").read_text() == "keep me"
    out = tmp_path / "edition"
    (out / ".git").mkdir(parents=True)
    (out / ".git" / "HEAD").write_text("ref")
    build(out)
    (out / "notebooks" / "stale.ipynb").write_text("{}")
    build(out)
    assert (out / MARKER).is_file() and not (out / "notebooks" / "stale.ipynb").exists()
    assert (out / ".git" / "HEAD").read_text() == "ref"
    with pytest.raises(ReleaseError, match="teacher's repository"):
        build(ROOT)


@pytest.mark.slow
def test_the_release_notebooks_pass_nbval_from_the_release_folder(release):
    # The kernels import the release's own copy of the package (PYTHONPATH), as a student's would.
    env = {**os.environ, "PYTHONPATH": str(release / "src")}
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-v",
            "-n",
            "2",
            "--dist",
            "loadfile",
            "-p",
            "no:cacheprovider",
        ],
        cwd=release,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert f"rootdir: {release}" in run.stdout
    ran = {
        line.split("::")[0].split()[-1].removesuffix(".ipynb")
        for line in run.stdout.splitlines()
        if "::Cell" in line and "PASSED" in line
    }
    assert ran == {
        f"{folder}/{p.stem}"
        for folder in ("notebooks", "exercises")
        for p in (release / folder).glob("*.ipynb")
    }


def test_the_checks_come_frozen_without_the_code_that_computes_the_answers(release):
    shipped = release / "src" / "usiraq" / "checking" / "declarations"
    assert sorted(p.name for p in shipped.iterdir()) == ["__init__.py", frozen.FILE]
    code = "\n".join(p.read_text(encoding="utf-8") for p in (release / "src").rglob("*.py"))
    teacher = "\n".join(
        p.read_text(encoding="utf-8")
        for p in (ROOT / "src" / "usiraq" / "checking" / "declarations").glob("n*.py")
    )
    functions = set(re.findall(r"^def (\w+)\(", teacher, re.M))
    assert functions, "the declarations define the functions that compute the answers"
    assert not {f for f in functions if re.search(rf"\b{f}\b", code)}
    texts = text_of(release)
    for question in registry.comparisons().values():  # the teacher's rubric for each choice
        assert not [rel for rel, text in texts.items() if question.rubric in text], question.id


def battery(ex):
    """Answers to judge: right, wrong in several ways, the declared mistakes, odd and empty."""
    from test_checking import correct_answer, wrong_answers, wrongly_typed_answer

    answers = [correct_answer(ex), *wrong_answers(ex), wrongly_typed_answer(ex), None, "?"]
    return answers + [m.answer() for m in ex.mistakes]


def verdicts_of(items):
    """Each exercise's verdicts on its battery, and each chart task's on a chart, with these items."""
    import matplotlib.pyplot as plt
    from test_charts import good_chart

    saved = dict(registry.EXERCISES), dict(registry.CHARTS)
    try:
        for item in items:
            (registry.CHARTS if item.declared_as == "chart task" else registry.EXERCISES)[
                item.id
            ] = item
        found = {}
        for exercise_id, ex in sorted(registry.EXERCISES.items()):
            rows = ex.rows.right() if ex.rows is not None else None
            for number, answer in enumerate(battery(live[exercise_id])):
                ladder.reset()
                verdict = check(exercise_id, answer, **({"rows": rows} if rows is not None else {}))
                found[(exercise_id, number)] = (verdict.status, verdict.message, verdict.hint_level)
        for chart_id in sorted(registry.CHARTS):
            for fault in ({}, {"title": ""}, {"drop_point": True}):
                ladder.reset()
                fig = good_chart(live_charts[chart_id], **fault)[0]
                verdict = check_chart(chart_id, fig)
                plt.close(fig)
                found[(chart_id, str(fault))] = (verdict.status, verdict.message)
        return found
    finally:
        registry.EXERCISES.clear()
        registry.EXERCISES.update(saved[0])
        registry.CHARTS.clear()
        registry.CHARTS.update(saved[1])


live = registry.exercises()
live_charts = registry.charts()


def test_the_frozen_checks_give_the_teachers_verdicts_on_a_battery_of_answers():
    """What the edition carries judges every answer as the teacher's copy computing from data/ does."""
    import matplotlib

    matplotlib.use("Agg")
    items = [*live.values(), *live_charts.values()]
    teacher = verdicts_of(items)
    student = verdicts_of(frozen.loads(frozen.dumps(items)))
    assert teacher == student
    statuses = {v[0] for v in teacher.values()}
    assert {"correct", "wrong", "invalid", "unanswered"} <= statuses
