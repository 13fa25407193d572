"""Times, plans and checklists come from one model and one declaration, and are written everywhere."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from usiraq.checking import registry, written
from usiraq.teacher import estimate, times

ROOT = Path(__file__).resolve().parents[1]
NUMBERS = ("01", "02", "03", "04", "05")


def test_generated_text_is_up_to_date():
    """Headers, labels, checklists, the module map and the guide match the model and declarations."""
    assert times.stale() == [], (
        "run `make times` after changing an exercise, the model or a checklist"
    )


def test_a_changed_model_makes_the_text_stale(tmp_path, monkeypatch):
    for folder in ("solutions", "notebooks", "docs"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    assert times.stale(tmp_path) == []
    monkeypatch.setitem(estimate.MINUTES_PER_STEP, "easy", estimate.MINUTES_PER_STEP["easy"] + 3)
    old = {p.relative_to(tmp_path).as_posix() for p in times.stale(tmp_path)}
    assert {"solutions/01_emergence.ipynb", "docs/teachers_guide.md"} <= old


def test_a_longer_task_is_estimated_longer(tmp_path):
    for folder in ("solutions", "notebooks", "docs"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    before = times.estimated_minutes("01.2", tmp_path)
    path = times.solution_path("01", tmp_path)
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if c.source.startswith("### Exercise 01.2"))
    cell.source += "\n\n" + " ".join(["word"] * 1000)
    nbformat.write(nb, path)
    assert times.estimated_minutes("01.2", tmp_path) == before + 5  # 1000 words at 200 a minute


def test_the_model_counts_reading_steps_and_sentences():
    work = estimate.Work("medium", words=400, steps=3, sentences=2)
    assert work.minutes == 2 + 2 + 3 * 2 + 2 * 2
    assert estimate.steps("a = 1\nfor x in y:\n    b = x\n") == 3
    assert estimate.sentences("One two three. Four five six! No. Seven eight nine?") == 3


@pytest.mark.parametrize("number", NUMBERS)
def test_every_exercise_is_core_or_stretch_with_an_estimate(number):
    listed = times.items(number)
    assert listed, f"no exercise headings found in solutions/{number}"
    assert {i.core for i in listed} == {True, False}, "a set has core and stretch exercises"
    for item in listed:
        assert item.minutes > 0


@pytest.mark.parametrize("number", NUMBERS)
def test_the_core_of_a_set_fits_one_sitting_and_holds_its_written_task(number):
    listed = times.items(number)
    assert times.total(number, core=True) <= times.CORE_MINUTES
    for item in listed:
        if item.id in registry.written_tasks() and item.id not in registry.exercises():
            assert item.core, f"{item.id}: a written task is core (the rubric marks it)"


def test_a_label_without_core_or_stretch_is_refused(tmp_path):
    for folder in ("solutions",):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    path = times.solution_path("01", tmp_path)
    path.write_text(
        path.read_text(encoding="utf-8").replace("*Core · Easy", "*Easy", 1), encoding="utf-8"
    )
    with pytest.raises(ValueError, match="Core or Stretch"):
        times.items("01", tmp_path)


@pytest.mark.parametrize("number", NUMBERS)
def test_exercise_header_and_labels_state_the_estimates(number):
    nb = nbformat.read(times.solution_path(number), as_version=4)
    header = nb.cells[0].source
    assert f"core: about {times.total(number, core=True)} min" in header
    assert f"stretch: about {times.total(number, core=False)} min more" in header
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for item in times.items(number):
        label = re.search(
            rf"### Exercise {re.escape(item.id)} · .*\n\n\*(\w+) · \w+ · (\d+) min", text
        )
        assert label and int(label.group(2)) == item.minutes, item.id
        assert label.group(1) == ("Core" if item.core else "Stretch"), item.id


def test_the_plans_set_the_core_and_leave_the_stretch_for_later():
    for sessions in times.PLANS.values():
        for session in sessions:
            core, stretch = times.homework(session)
            every = {i.id for n in session.notebooks for i in times.items(n)}
            assert {i.id for i in core} | {i.id for i in stretch} == every
            assert all(i.core for i in core) and not any(i.core for i in stretch)


def test_the_guide_states_the_model_the_code_uses():
    guide = (ROOT / "docs" / "teachers_guide.md").read_text(encoding="utf-8")
    assert estimate.model_text() in guide
    assert f"{estimate.READING_WORDS_PER_MINUTE} words a minute" in guide


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


GRADEBOOK = """\ufeffstudent,notebook,item,status,answer,hint_seen,minutes,message
a,01_emergence.ipynb,01.1 check,correct,1,,4.0,
b,01_emergence.ipynb,01.1 check,wrong,2,,10.0,
c,01_emergence.ipynb,01.1 check,correct,1,,8.0,
a,01_emergence.ipynb,01.2 check,correct,1,,6.5,
b,01_emergence.ipynb,01.2 check,unanswered,,,,
a,01_emergence.ipynb,01.3 check,not-run,,,,
a,01_emergence.ipynb,01.3 chart,correct,,,,
a,02_bases.ipynb,02.1 check,correct,1,,3.5,
"""


def test_measured_minutes_are_compared_with_the_estimates(tmp_path):
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
    assert rows["01.1"] == [str(times.estimated_minutes("01.1")), "8.0", "3"]
    assert rows["01.2"] == [
        str(times.estimated_minutes("01.2")),
        "6.5",
        "1",
    ]  # one student kept no times
    assert rows["01.3"] == [str(times.estimated_minutes("01.3")), "0"]  # nobody measured: no value
    totals = [line for line in done.stdout.splitlines() if line.startswith("set total")]
    estimated_01 = sum(times.estimated_minutes(i) for i in ("01.1", "01.2", "01.3"))
    assert totals[0].split()[2:4] == [str(estimated_01), "14.5"]
    assert (
        f"measured on 2 of 3 exercises, estimated at {times.estimated_minutes('01.1') + times.estimated_minutes('01.2')} min"
        in totals[0]
    )
    assert totals[1].split()[2:4] == [str(times.estimated_minutes("02.1")), "3.5"]
    assert {
        p: p.read_text(encoding="utf-8") for p in times.updates()
    } == before  # it rewrites nothing


@pytest.mark.parametrize(
    "text, message",
    [
        (
            "student,notebook,item,status\na,01_emergence.ipynb,01.1 check,correct\n",
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
        "notebook,item,minutes\n01,01.1 check,\xe9\n".encode("latin-1")
    )
    with pytest.raises(SystemExit, match="not UTF-8"):
        times.read_measured(tmp_path / "latin.csv")
