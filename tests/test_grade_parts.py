"""Parts of the grader that need no kernel: finding submissions, reading answers back, page names."""

from __future__ import annotations

import csv
import io
import os
import pickle
import re
from datetime import UTC, datetime

import nbformat
import pandas as pd
import pytest

from usiraq import data
from usiraq.teacher import gradebook, integrity, marks, sandbox
from usiraq.teacher.grade import Progress, _DataOnly, grade, judge, points
from usiraq.teacher.gradebook import Row, unsafe
from usiraq.teacher.gradebook import safe as _cell
from usiraq.teacher.gradereport import file_names
from usiraq.teacher.repo import ROOT
from usiraq.teacher.submissions import items_of, lateness, match, student_files, teacher_notebooks

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
    status, _, verdict = judge(
        {"id": "01.3", "answer": pickle.dumps(Always("A")), "type": "Always"}
    )
    assert status == "invalid" and verdict is None
    status, _, verdict = judge({"id": "01.3", "answer": pickle.dumps("A"), "type": "str"})
    assert status == "correct" and verdict.credit == 1.0


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
    assert unsafe(_cell(text)) == ("" if text is None else text)


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
    assert wanted["01_emergence.ipynb"][0] == "01.1 check" and notes == {"ann": []}


# --- items, points, scores and the LMS files ------------------------------------------------------


def test_a_notebook_holds_checks_charts_and_written_items():
    nb = nbformat.read(f"exercises/{NB}", as_version=4)
    found = items_of(nb)
    assert found[:3] == ["01.1 check", "01.2 check", "01.3 chart"]
    assert {"01.1 defend", "01.6 written"} <= set(found) and "01.3 check" in found
    assert points("01.3 chart") == 2 and points("01.1 check") == 1 and points("01.6 written") == 3


def rows_of(student, scores, notebook=NB):
    return [
        Row(student, notebook, f"01.{n} check", "correct", 1, s) for n, s in enumerate(scores, 1)
    ]


def test_scores_list_every_roster_student_and_zero_for_those_who_handed_in_nothing(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "\ufeffStudent,ID,SIS User ID,SIS Login ID,Section\n"
        "    Points Possible,,,,\n"
        "Ann Lee,101,s101,ann,A\nBen Ode,102,s102,ben,A\nCai Ng,103,s103,cai,B\n",
        encoding="utf-8",
    )
    rows = rows_of("ann", [1, 1, 0.5]) + rows_of("ben", [1, 0, 0])
    book = gradebook.read_roster(roster, ["ann", "ben"])
    assert (
        book.key == "SIS Login ID" and len(book.rows) == 3
    )  # the Points Possible row is no student
    header, table = gradebook.score_table(rows, [NB], book, {"ben": "01_emergence.ipynb: 1 h late"})
    assert header[-3:] == ["01_emergence", "total", "note"]
    assert [r[-3:] for r in table] == [
        [2.5, 2.5, ""],
        [1.0, 1.0, "01_emergence.ipynb: 1 h late"],
        [0.0, 0.0, "not handed in"],
    ]


def read_back(path):
    """A file as an LMS reads it: UTF-8 (with its byte-order mark), a header, one row per student."""
    import csv

    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_the_canvas_file_is_what_canvas_imports(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "Student,ID,SIS User ID,SIS Login ID,Section,Old quiz (12)\nAnn Lee,101,s101,ann,A,9\n"
        "Cai Ng,103,s103,cai,B,7\n"
    )
    book = gradebook.read_roster(roster, ["ann"])
    header, table = gradebook.lms_table("canvas", rows_of("ann", [1, 1]), [NB], book, "Iraq")
    gradebook.write_table(tmp_path / "canvas.csv", header, table)
    assert (tmp_path / "canvas.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    read = read_back(tmp_path / "canvas.csv")
    assert list(read[0]) == gradebook.CANVAS_IDS + [
        "Iraq 01_emergence"
    ]  # no other column: Canvas would add it
    assert [r["SIS Login ID"] for r in read] == ["ann", "cai"]  # one row per roster student
    assert [float(r["Iraq 01_emergence"]) for r in read] == [2.0, 0.0]  # numbers only


def test_the_moodle_file_is_what_moodle_imports(tmp_path):
    roster = tmp_path / "moodle.csv"
    roster.write_text(
        "First name,Surname,ID number,Email address\nAnn,Lee,s1,ann@x.edu\nBen,Ode,s2,ben@x.edu\n"
    )
    book = gradebook.read_roster(roster, ["ann@x.edu", "ben@x.edu"])
    assert book.key == "Email address"
    header, table = gradebook.lms_table("moodle", rows_of("ben@x.edu", [1]), [NB], book, "Iraq")
    gradebook.write_table(tmp_path / "moodle.csv", header, table)
    read = read_back(tmp_path / "moodle.csv")
    assert list(read[0]) == ["Email address", "Iraq 01_emergence"]
    assert [(r["Email address"], float(r["Iraq 01_emergence"])) for r in read] == [
        ("ann@x.edu", 0.0),
        ("ben@x.edu", 1.0),
    ]


@pytest.mark.parametrize(
    "text, message",
    [
        ("ID,Name\n,Ann\n", "row 2, column 'ID': no student named"),
        ("", "has no columns"),
    ],
)
def test_a_bad_roster_is_a_clear_error(tmp_path, text, message):
    roster = tmp_path / "roster.csv"
    roster.write_text(text)
    with pytest.raises(SystemExit, match=message):
        gradebook.read_roster(roster, ["ann"])


def test_a_roster_key_must_exist_and_name_the_class(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("Name,Email\nAnn Lee,ann@x.edu\n")
    with pytest.raises(SystemExit, match="no column 'Login'"):
        gradebook.read_roster(roster, ["ann"], "Login")
    with pytest.raises(SystemExit, match="names a student of this class.*--roster-key"):
        gradebook.read_roster(roster, ["ann"])  # folders are named ann, the roster has no ann
    assert gradebook.read_roster(roster, ["ann@x.edu"]).key == "Email"


@pytest.mark.parametrize(
    "args, message",
    [
        ({"lms": "canvas"}, "--lms needs --roster"),
        ({"roster": "missing.csv"}, "cannot read the roster"),
        ({"roster": "plain.csv", "lms": "canvas"}, "Canvas exports"),
    ],
)
def test_a_bad_roster_stops_the_grader_before_any_kernel_runs(tmp_path, args, message):
    (tmp_path / "class" / "ann").mkdir(parents=True)
    (tmp_path / "class" / "ann" / NB).write_bytes((ROOT / "exercises" / NB).read_bytes())
    (tmp_path / "plain.csv").write_text("Username\nann\n")
    if "roster" in args:
        args = {**args, "roster": tmp_path / args["roster"]}
    with pytest.raises(SystemExit, match=message):
        grade(tmp_path / "class", tmp_path / "out", echo=lambda *_: None, **args)
    assert not (tmp_path / "out" / "gradebook.csv").exists()
    assert not (tmp_path / "out" / "work").exists()  # no kernel was prepared


def test_a_canvas_file_needs_the_canvas_roster(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("Username\nann\n")
    book = gradebook.read_roster(roster, ["ann"])
    with pytest.raises(SystemExit, match="Canvas exports"):
        gradebook.lms_table("canvas", rows_of("ann", [1]), [NB], book, "Iraq")


def test_a_regrade_replaces_only_the_students_graded_again(tmp_path):
    old = rows_of("ann", [1, 0]) + rows_of("ben", [1, 1])
    gradebook.write_rows(tmp_path / "gradebook.csv", old)
    again = gradebook.read_rows(tmp_path / "gradebook.csv")
    assert again == old
    merged = gradebook.merge(again, rows_of("ann", [1, 1]))
    assert {(r.student, r.score) for r in merged} == {("ben", 1.0), ("ann", 1.0)}
    assert len(merged) == 4


# --- written answers and marks -------------------------------------------------------------------


def written_notebook(answer):
    nb = nbformat.read(f"exercises/{NB}", as_version=4)
    for cell in nb.cells:
        if "BEGIN COMPARISON 01.1" in cell.source:
            cell.source = cell.source.replace(marks.PLACEHOLDER, answer)
    return nb


def test_a_written_answer_is_collected_and_the_teachers_mark_is_kept(tmp_path):
    nb = written_notebook("I would use October 2011, before the withdrawal.")
    nb.cells.insert(10, nbformat.v4.new_markdown_cell("And a second paragraph of mine."))
    found = marks.answers(nb)
    assert found["01.1 defend"] == (
        "I would use October 2011, before the withdrawal. And a second paragraph of mine."
    )
    assert found["01.6 written"] == ""
    rubric, worth = marks.rubric("01.1", "defend")
    first = [marks.Mark("ann", "01.1 defend", found["01.1 defend"], rubric, worth)]
    marks.write(tmp_path / marks.FILE, marks.merged({}, first))
    text = (tmp_path / marks.FILE).read_text(encoding="utf-8-sig")
    (tmp_path / marks.FILE).write_text(
        text.replace(f",{worth:g},,,", f",{worth:g},1.5,clear,"), encoding="utf-8-sig"
    )
    kept = marks.merged(marks.read(tmp_path / marks.FILE), first)
    assert (kept[0].mark, kept[0].comment, kept[0].changed) == ("1.5", "clear", "")
    assert marks.score(kept[0]) == ("marked", 1.5, "clear")
    changed = [marks.Mark("ann", "01.1 defend", "Now I say December.", rubric, worth)]
    again = marks.merged(marks.read(tmp_path / marks.FILE), changed)
    assert (again[0].mark, again[0].changed) == ("1.5", "yes")


@pytest.mark.parametrize(
    "mark, status, note",
    [("", "to mark", ""), ("two", "to mark", "is not a number"), ("9", "to mark", "not between 0 and 2"),
     ("2", "marked", ""), ("1,5", "marked", "")],
)  # fmt: skip
def test_a_mark_is_checked_before_it_counts(mark, status, note):
    found = marks.score(marks.Mark("ann", "01.1 defend", "an answer", "", 2, mark))
    assert found[0] == status and note in found[2]


def test_a_bad_mark_names_its_row_and_column_in_the_file_as_written(tmp_path):
    rubric, worth = marks.rubric("01.1", "defend")
    sheet = [
        marks.Mark(s, "01.1 defend", "an answer", rubric, worth) for s in ("cai", "ann", "ben")
    ]
    marks.write(tmp_path / marks.FILE, sheet)
    again = marks.read(tmp_path / marks.FILE)
    again[("ben", "01.1 defend")].mark = "lots"
    marks.write(tmp_path / marks.FILE, list(again.values()))
    note = marks.score(again[("ben", "01.1 defend")])[2]
    row = int(re.search(r"row (\d+), column 'mark'", note).group(1))
    with (tmp_path / marks.FILE).open(encoding="utf-8-sig", newline="") as f:
        assert list(csv.reader(f))[row - 1][:2] == ["ben", "01.1 defend"]
    assert "'lots' is not a number" in note


# --- the sandbox, where it cannot be had -----------------------------------------------------------


@pytest.mark.parametrize("bwrap", ["missing", "refuses"])
def test_without_a_working_bubblewrap_there_is_no_sandbox(tmp_path, monkeypatch, bwrap):
    if bwrap == "refuses":  # as in a container that forbids user namespaces
        fake = tmp_path / "bwrap"
        fake.write_text(
            "#!/bin/sh\necho 'bwrap: No permissions to create new namespace' >&2\nexit 1\n"
        )
        fake.chmod(0o755)
        monkeypatch.setattr(sandbox, "BWRAP", str(fake))
    else:
        monkeypatch.setattr(sandbox, "BWRAP", str(tmp_path / "no-bwrap-here"))
    assert sandbox.available() is False


def test_an_unsealed_run_says_so_once_and_loudly(tmp_path, monkeypatch):
    monkeypatch.setattr(sandbox, "BWRAP", str(tmp_path / "no-bwrap-here"))
    (tmp_path / "class" / "ann").mkdir(parents=True)  # handed in nothing: no kernel starts
    (tmp_path / "class" / "ben").mkdir()
    said = []
    grade(tmp_path / "class", tmp_path / "out", ["01_emergence"], echo=said.append)
    assert said.count(sandbox.WARNING) == 1 and said[0] == sandbox.WARNING
    assert "no sandbox" in sandbox.WARNING and "guide" in sandbox.WARNING


# --- integrity, lateness, progress ---------------------------------------------------------------


@pytest.mark.parametrize(
    "code, flag",
    [
        ("def check(i, a):\n    print('Correct')", "redefined"),
        ("check = lambda *a: 'Correct'", "redefined"),
        ("from mytools import check", "redefined"),
        ("from usiraq.checking.declarations.n01_emergence import frames_in_order", "answers"),
        ("import usiraq.checking.frozen as f", "answers"),
        ("open('src/usiraq/checking/declarations/frozen.pickle', 'rb')", "answers"),
        ("import usiraq.checking.kinds as k\nk.Number.matches = lambda *a: True", "helper package"),
        (
            "from usiraq.checking import registry\nregistry.EXERCISES['01.1'] = None",
            "helper package",
        ),
        ("setattr(usiraq, 'x', 1)", "helper package"),
        ("open('/home/me/src/usiraq/checking/judging.py', 'w').write('')", "helper package"),
    ],
)
def test_integrity_flags_see_what_a_student_tried(code, flag):
    found = integrity.code_flags([code])
    assert len(found) == 1 and flag in found[0]


def test_ordinary_code_raises_no_flag():
    ordinary = [
        "from usiraq import data, style, check, check_chart\nanswer = data.attacks()['base_id'].value_counts()",
        "check('01.1', answer, rows=public)",
        "fig, ax = style.chart(title='t', xlabel='x', ylabel='y', source='s')\ncheck_chart('01.3', fig)",
    ]
    assert integrity.code_flags(ordinary) == []


def test_a_claimed_verdict_the_grader_did_not_give_is_flagged():
    claims = integrity.claimed("01.1: Correct (accepted...) ✅ 01.2: Correct. 01.3 chart: Correct.")
    assert claims == {"01.1", "01.2", "01.3"}
    rows = [Row("a", NB, "01.1 check", "wrong"), Row("a", NB, "01.2 check", "correct")]
    flags = integrity.claim_flags(claims, rows)
    assert len(flags) == 1 and "01.1" in flags[0]


def test_lateness_is_read_from_nbgraders_timestamp_or_the_file(tmp_path):
    path = tmp_path / NB
    path.write_text("{}")
    due = datetime(2026, 12, 11, 17, 0, tzinfo=UTC)
    (tmp_path / "timestamp.txt").write_text("2026-12-11 19:05:00.000000 UTC")
    assert lateness(path, due) == "2 h 5 min late"
    (tmp_path / "timestamp.txt").write_text("2026-12-11 16:59:00.000000 UTC")
    assert lateness(path, due) == ""
    (tmp_path / "timestamp.txt").unlink()
    os.utime(path, (due.timestamp() + 3 * 86400 + 60, due.timestamp() + 3 * 86400 + 60))
    assert lateness(path, due) == "3 d 1 min late"
    assert lateness(path, None) == "" and lateness(None, due) == ""


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_is_one_line_on_a_terminal_and_silent_elsewhere():
    screen, pipe = Terminal(), io.StringIO()
    for stream in (screen, pipe):
        progress = Progress(3, stream)
        for _ in range(3):
            progress.step()
    assert pipe.getvalue() == ""
    lines = screen.getvalue().split("\r")
    assert "graded 1 of 3 notebooks" in lines[1] and "left" in lines[1]
    assert screen.getvalue().endswith("\n") and screen.getvalue().count("\n") == 1
