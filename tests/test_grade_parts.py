"""Parts of the grader that need no kernel: finding submissions, reading answers back, page names."""

from __future__ import annotations

import io
import os
import pickle

import pandas as pd
import pytest

from usiraq import data
from usiraq.teacher.grade import _DataOnly, judge, match, student_files, teacher_notebooks
from usiraq.teacher.gradereport import _cell, file_names

NB = "01_emergence.ipynb"


def test_the_nbgrader_folder_layout_is_found(tmp_path):
    for student in ["ann", "ben"]:
        folder = tmp_path / "submitted" / student / "ps1"
        folder.mkdir(parents=True)
        (folder / NB).write_text("{}")
        (folder / ".ipynb_checkpoints").mkdir()
        (folder / ".ipynb_checkpoints" / "01_emergence-checkpoint.ipynb").write_text("{}")
    found = student_files(tmp_path)
    assert {s: [p.name for p in files] for s, files in found.items()} == {"ann": [NB], "ben": [NB]}


def test_a_renamed_notebook_is_matched_by_the_exercises_it_checks(tmp_path):
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('check("02.4", answer)')])
    nbformat.write(nb, tmp_path / "Untitled.ipynb")
    (tmp_path / "broken.ipynb").write_text("not json")
    paired, notes = match(sorted(tmp_path.iterdir()), teacher_notebooks())
    assert paired == {"02_bases.ipynb": tmp_path / "Untitled.ipynb"}
    assert any("broken.ipynb is not a readable notebook" in n for n in notes)
    assert any("Untitled.ipynb was graded as 02_bases.ipynb (renamed)" in n for n in notes)


def unpickle(obj):
    return _DataOnly(io.BytesIO(pickle.dumps(obj, protocol=4))).load()


@pytest.mark.parametrize(
    "obj", [1.5, "A", ["a", "b"], None, pd.Timestamp("2020-01-08"), pd.NA, pd.Timedelta(days=2)]
)
def test_plain_answers_are_read_back(obj):
    assert repr(unpickle(obj)) == repr(obj)


def test_tables_are_read_back():
    frame = data.troop_levels()
    pd.testing.assert_frame_equal(unpickle(frame), frame)


class Always(str):
    """An answer rigged to equal anything."""

    def __eq__(self, other):
        return True

    __hash__ = str.__hash__


@pytest.mark.parametrize("obj", [Always("A"), os.system, eval])
def test_a_rigged_answer_or_a_function_is_refused(obj):
    with pytest.raises(pickle.UnpicklingError, match="not plain data"):
        unpickle(obj)


def test_a_rigged_answer_is_graded_invalid_not_correct():
    status, _, message = judge(
        {"id": "01.3", "answer": pickle.dumps(Always("A")), "type": "Always"}
    )
    assert status == "invalid" and "not plain data" in message
    assert judge({"id": "01.3", "answer": pickle.dumps("A"), "type": "str"})[0] == "correct"


def test_each_student_gets_a_distinct_safe_page_name():
    names = file_names(["Ann Lee", "ann_lee", "../etc", "Zoë"])
    assert len(set(names.values())) == 4
    assert all("/" not in n and not n.startswith(".") for n in names.values())


@pytest.mark.parametrize(
    "text, cell",
    [
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("+1", "'+1"),
        ("@A1", "'@A1"),
        ("-cmd", "'-cmd"),
        ("-3.5", "-3.5"),
        ("'A'", "'A'"),
        (None, ""),
    ],
)
def test_a_gradebook_cell_never_becomes_a_spreadsheet_formula(text, cell):
    assert _cell(text) == cell


def test_a_missing_folder_or_an_unknown_notebook_is_a_clear_error(tmp_path, capsys):
    from usiraq.teacher.grade import main, plan

    with pytest.raises(SystemExit) as info:
        main([str(tmp_path / "nowhere"), "--out", str(tmp_path / "out")])
    assert info.value.code == 2 and "is not a folder" in capsys.readouterr().err
    with pytest.raises(SystemExit, match="no exercise notebook named 09_nothing.ipynb"):
        plan(tmp_path, ["09_nothing"])
    (tmp_path / "ann").mkdir()
    jobs, wanted, notes = plan(tmp_path, ["01_emergence"])
    assert [(j.student, j.notebook, j.path) for j in jobs] == [("ann", "01_emergence.ipynb", None)]
    assert wanted["01_emergence.ipynb"][0] == "01.1" and notes == {"ann": []}
