"""Times, plans and checklists are declared once and written everywhere from there."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from usiraq.checking import registry, written
from usiraq.teacher import times

ROOT = Path(__file__).resolve().parents[1]
NUMBERS = ("01", "02", "03", "04", "05")


def test_generated_text_is_up_to_date():
    """Headers, labels, checklists, the module map and the guide match the declarations."""
    assert times.stale() == [], (
        "run `make times` after changing minutes or checklists in usiraq.checking.declarations"
    )


def test_a_changed_declaration_makes_the_text_stale(tmp_path, monkeypatch):
    for folder in ("solutions", "notebooks", "docs"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    assert times.stale(tmp_path) == []
    monkeypatch.setattr(
        registry.EXERCISES["01.2"], "minutes", registry.EXERCISES["01.2"].minutes + 3
    )
    old = {p.relative_to(tmp_path).as_posix() for p in times.stale(tmp_path)}
    assert {"solutions/01_emergence.ipynb", "docs/teachers_guide.md"} <= old


@pytest.mark.parametrize("number", NUMBERS)
def test_every_exercise_declares_its_minutes_once(number):
    listed = times.items(number)
    assert listed, f"no exercise headings found in solutions/{number}"
    for item in listed:
        assert times.declared_minutes(item.id) > 0


def test_a_second_declaration_of_minutes_is_refused(monkeypatch):
    monkeypatch.setitem(
        registry.WRITTEN, "01.2", written.Written("01.2", "x", ("a", "b", "c"), minutes=4)
    )
    with pytest.raises(ValueError, match="exactly once"):
        times.declared_minutes("01.2")


@pytest.mark.parametrize("number", NUMBERS)
def test_exercise_header_and_labels_state_the_declared_times(number):
    nb = nbformat.read(times.solution_path(number), as_version=4)
    header = nb.cells[0].source
    assert f"about {times.total(number)} min for all" in header
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for item in times.items(number):
        label = re.search(rf"### Exercise {re.escape(item.id)} · .*\n\n\*\w+ · (\d+) min", text)
        assert label and int(label.group(1)) == item.minutes, item.id


def test_the_plans_fit_their_homework_time_and_leave_nothing_out():
    for sessions in times.PLANS.values():
        for session in sessions:
            chosen, left = times.homework(session)
            assert sum(i.minutes for i in chosen) <= session.homework_minutes
            every = {i.id for n in session.notebooks for i in times.items(n)}
            assert {i.id for i in chosen} | {i.id for i in left} == every
            assert not {i.id for i in chosen} & {i.id for i in left}


def test_every_written_task_shows_its_checklist_in_the_exercises():
    text = "\n".join(
        c.source
        for p in sorted((ROOT / "exercises").glob("*.ipynb"))
        for c in nbformat.read(p, as_version=4).cells
    )
    guide = (ROOT / "docs" / "teachers_guide.md").read_text(encoding="utf-8")
    assert registry.written_tasks()
    for task in registry.written_tasks().values():
        for point in task.checklist:
            assert f"- [ ] {point}" in text, (
                f"{task.id}: checklist point missing from the exercises"
            )
            assert f"- {point}" in guide, f"{task.id}: checklist point missing from the guide"


def test_a_checklist_has_three_to_five_points():
    with pytest.raises(ValueError, match="3-5"):
        written.Written("09.9", "x", ("only one",))


def test_every_set_has_a_choose_and_defend_question_shown_and_in_the_guide():
    registry.load()
    guide = (ROOT / "docs" / "teachers_guide.md").read_text(encoding="utf-8")
    assert {q.id[:2] for q in registry.comparisons().values()} == set(NUMBERS)
    for question in registry.comparisons().values():
        name = times.solution_path(question.id[:2]).name
        text = "\n".join(
            c.source for c in nbformat.read(ROOT / "exercises" / name, as_version=4).cells
        )
        assert f"**Choose and defend.** {question.question}" in text, question.id
        assert question.rubric in guide, question.id


GRADEBOOK = """student,notebook,exercise_id,status,answer,hint_seen,minutes,message
a,01_emergence.ipynb,01.1,correct,1,,4.0,
b,01_emergence.ipynb,01.1,wrong,2,,10.0,
c,01_emergence.ipynb,01.1,correct,1,,8.0,
a,01_emergence.ipynb,01.2,correct,1,,6.5,
b,01_emergence.ipynb,01.2,unanswered,,,,
a,01_emergence.ipynb,01.3,not-run,,,,
a,02_bases.ipynb,02.1,correct,1,,3.5,
"""


def test_measured_minutes_are_compared_with_the_declared_ones(tmp_path):
    path = tmp_path / "gradebook.csv"
    path.write_text(GRADEBOOK)
    before = {p: p.read_text(encoding="utf-8") for p in times.updates()}
    done = subprocess.run(
        [sys.executable, "-m", "usiraq.teacher.times", "--measured", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    rows = {line.split()[0]: line.split()[1:] for line in done.stdout.splitlines() if line.strip()}
    assert rows["01.1"] == [str(times.declared_minutes("01.1")), "8.0", "3"]
    assert rows["01.2"] == [
        str(times.declared_minutes("01.2")),
        "6.5",
        "1",
    ]  # one student kept no times
    assert rows["01.3"] == [str(times.declared_minutes("01.3")), "0"]  # nobody measured: no value
    totals = [line for line in done.stdout.splitlines() if line.startswith("set total")]
    declared_01 = sum(times.declared_minutes(i) for i in ("01.1", "01.2", "01.3"))
    assert totals[0].split()[2:4] == [str(declared_01), "14.5"]
    assert (
        f"measured on 2 of 3 exercises, which declare {times.declared_minutes('01.1') + times.declared_minutes('01.2')} min"
        in totals[0]
    )
    assert totals[1].split()[2:4] == [str(times.declared_minutes("02.1")), "3.5"]
    assert {
        p: p.read_text(encoding="utf-8") for p in times.updates()
    } == before  # it rewrites nothing


@pytest.mark.parametrize(
    "text, message",
    [
        (
            "student,notebook,exercise_id,status\na,01_emergence.ipynb,01.1,correct\n",
            "no minutes column",
        ),
        (GRADEBOOK.replace(",8.0,", ",eight,"), "row 4, column minutes: 'eight'"),
        (GRADEBOOK.replace(",8.0,", ",-3,"), "row 4, column minutes: '-3'"),
    ],
)
def test_a_bad_gradebook_gets_a_clear_error(tmp_path, text, message):
    path = tmp_path / "gradebook.csv"
    path.write_text(text)
    with pytest.raises(SystemExit, match=re.escape(message)):
        times.read_measured(path)
    with pytest.raises(SystemExit, match="cannot read"):
        times.read_measured(tmp_path / "missing.csv")
    (tmp_path / "latin.csv").write_bytes(
        "notebook,exercise_id,minutes\n01,01.1,\xe9\n".encode("latin-1")
    )
    with pytest.raises(SystemExit, match="not UTF-8"):
        times.read_measured(tmp_path / "latin.csv")
