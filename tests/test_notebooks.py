"""The notebooks as readers meet them: fresh, complete, accessible, and checked.

nbval (configured in pyproject.toml) executes every notebook.  These tests
look at the committed files: lecture and solution notebooks are stored freshly
executed, exercise notebooks are stored clean, every chart is followed by its
text description, and every notebook has the module's frame.  That every check in a
solution notebook reports "correct" is checked after nbval's run of it (see the
root conftest.py, item ``every check reports correct``).
"""

import re
from pathlib import Path
from urllib.parse import unquote

import nbformat
import pytest

from usiraq.style import DESCRIPTION_PREFIX
from usiraq.teacher.execute import METADATA_KEY, source_fingerprint

ROOT = Path(__file__).resolve().parents[1]
LECTURES = sorted((ROOT / "notebooks").glob("*.ipynb"))
SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))
EXERCISES = sorted((ROOT / "exercises").glob("*.ipynb"))
EXECUTED = LECTURES + SOLUTIONS
ALL = EXECUTED + EXERCISES


def rel(path):
    return str(path.relative_to(ROOT))


def read(path):
    return nbformat.read(path, as_version=4)


def test_start_here_exists():
    assert (ROOT / "notebooks" / "00_start_here.ipynb").exists()


@pytest.mark.parametrize("path", LECTURES, ids=rel)
def test_every_lecture_has_exercises_and_solutions(path):
    if path.name.startswith("00_"):
        return
    assert (ROOT / "solutions" / path.name).exists() and (ROOT / "exercises" / path.name).exists()


@pytest.mark.parametrize("path", EXECUTED, ids=rel)
def test_executed_notebooks_are_fresh(path):
    """Run top to bottom once, after the last edit, with no errors or warnings."""
    nb = read(path)
    stored = nb.metadata.get(METADATA_KEY, {}).get("source_sha256")
    assert stored == source_fingerprint(nb), (
        f"{rel(path)} was edited after it was run: run `make notebooks`"
    )
    counts = [c.execution_count for c in nb.cells if c.cell_type == "code"]
    assert counts == list(range(1, len(counts) + 1)), (
        f"{rel(path)} was not run top to bottom in one go"
    )
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            assert out.output_type != "error", f"{rel(path)} has an error output"
            if out.output_type == "stream" and out.name == "stderr":
                assert "Warning" not in out.text, f"{rel(path)} prints a warning: {out.text[:200]}"


@pytest.mark.parametrize("path", EXERCISES, ids=rel)
def test_exercise_notebooks_are_stored_clean(path):
    for cell in read(path).cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None


def chart_cells(nb):
    """Indexes of code cells whose stored output includes an image."""
    return [
        i
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code"
        and any("image/png" in o.get("data", {}) for o in c.get("outputs", []))
    ]


@pytest.mark.parametrize("path", EXECUTED, ids=rel)
def test_every_chart_has_a_text_description(path):
    nb = read(path)
    for i in chart_cells(nb):
        following = nb.cells[i + 1] if i + 1 < len(nb.cells) else None
        assert (
            following is not None
            and following.cell_type == "markdown"
            and following.source.lstrip().startswith(DESCRIPTION_PREFIX)
        ), (
            f"{rel(path)}, cell {i + 1}: a chart must be followed by a markdown cell starting with {DESCRIPTION_PREFIX}"
        )
        assert len(following.source) > 120, (
            f"{rel(path)}, cell {i + 2}: the chart description is too short to help"
        )


@pytest.mark.parametrize("path", LECTURES, ids=rel)
def test_lecture_notebooks_have_the_frame(path):
    nb = read(path)
    header = nb.cells[0].source
    for part in ("Learning objectives", "Time", "Prerequisites", "Data used"):
        assert part in header, f"{rel(path)}: the header lacks '{part}'"
    objectives = re.findall(r"^\d\. \*\*\w+", header, re.M)
    assert 3 <= len(objectives) <= 5, f"{rel(path)}: 3-5 objectives, each starting with a bold verb"
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for part in ("## Check your understanding", "### For discussion", "## Key points", "**Next:**"):
        assert part in text, f"{rel(path)}: missing '{part}'"
    if not path.name.startswith("00_"):
        assert "**Previous:**" in text and f"exercises/{path.name}" in text


@pytest.mark.parametrize("path", ALL, ids=rel)
def test_headings_go_down_one_level_at_a_time(path):
    level = 0
    for cell in read(path).cells:
        if cell.cell_type != "markdown":
            continue
        for hashes in re.findall(
            r"^(#{1,6}) ", re.sub(r"```.*?```", "", cell.source, flags=re.S), re.M
        ):
            assert len(hashes) <= level + 1, (
                f"{rel(path)}: heading level jumps from {level} to {len(hashes)}"
            )
            level = len(hashes)


@pytest.mark.parametrize("path", ALL, ids=rel)
def test_relative_links_resolve(path):
    for cell in read(path).cells:
        if cell.cell_type != "markdown":
            continue
        for target in re.findall(r"\]\(([^)\s]+)\)", cell.source):
            if re.match(r"^(https?:|mailto:|#)", target):
                continue
            file_part = unquote(target.split("#")[0])
            assert (path.parent / file_part).exists(), (
                f"{rel(path)}: link to {target} does not resolve"
            )


@pytest.mark.parametrize("path", ALL, ids=rel)
def test_no_test_machinery_shows_in_a_notebook(path):
    """Outputs nbval compares are marked with a cell tag, which students do not see, not a comment."""
    for cell in read(path).cells:
        assert "NBVAL" not in cell.source.upper(), f"{rel(path)}: use the tag nbval-check-output"


@pytest.mark.parametrize("path", LECTURES, ids=rel)
def test_the_numbers_the_prose_quotes_are_compared_by_nbval(path):
    tagged = [c for c in read(path).cells if "nbval-check-output" in c.metadata.get("tags", [])]
    assert tagged, f"{rel(path)}: no cell's output is compared"
    assert all(c.cell_type == "code" and c.outputs for c in tagged)


def test_nbval_compares_a_tagged_cell_and_only_a_tagged_cell(tmp_path):
    """The tag works: a tagged cell whose stored output is not what it prints fails; untagged, it passes."""
    import subprocess
    import sys

    def notebook(tags):
        cell = nbformat.v4.new_code_cell(
            "print(6 * 7)",
            metadata={"tags": tags},
            outputs=[nbformat.v4.new_output("stream", name="stdout", text="41\n")],
            execution_count=1,
        )
        path = tmp_path / f"n{len(tags)}.ipynb"
        nbformat.write(nbformat.v4.new_notebook(cells=[cell]), path)
        return path

    def run(path):
        return subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval-lax",
             "--nbval-current-env", str(path)],
            cwd=tmp_path, capture_output=True, text=True, timeout=300,
        )  # fmt: skip

    assert run(notebook(["nbval-check-output"])).returncode == 1
    assert run(notebook([])).returncode == 0


EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f]")


@pytest.mark.parametrize("path", ALL, ids=rel)
def test_no_notebook_needs_an_emoji_font(path):
    """A browser without an emoji font draws an emoji as an empty box: say it in words."""
    for cell in read(path).cells:
        texts = [cell.source] + [
            str(o.get("text", "")) + str(o.get("data", {}).get("text/html", ""))
            for o in cell.get("outputs", [])
        ]
        found = [m for text in texts for m in EMOJI.findall(text)]
        assert not found, f"{rel(path)}: {found[:3]}"
