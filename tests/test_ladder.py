"""The hint ladder: concept, then tool, then code, and code only on the third try of one mistake.

Every exercise declares three hints and every quick question two; the first
rungs name ideas and tools but write no code that answers the task. Declared
mistakes are wrong answers students give: each is judged wrong, and its
diagnosis is the first hint it gets.
"""

import re

import pytest

from usiraq import check
from usiraq.checking import ladder, registry
from usiraq.checking.kinds import Choice, Mistake, Number

EXERCISES = registry.exercises()
CHARTS = registry.charts()
TASK_IDS = sorted(i for i in EXERCISES if ".q" not in i)
QUICK_IDS = sorted(i for i in EXERCISES if ".q" in i)
# Code that does the work: a call with arguments, a subscript, or an assignment.
CODE = re.compile(r"[A-Za-z_][\w.]*\(\s*[^)\s][^)]*\)|\w\[|\s=\s")
NEEDS_MISTAKES = [i for i in TASK_IDS if not isinstance(EXERCISES[i], Choice)]


@pytest.fixture(autouse=True)
def fresh():
    ladder.reset()
    yield
    ladder.reset()


@pytest.mark.parametrize("task_id", TASK_IDS)
def test_an_exercise_has_three_rungs_and_only_the_last_writes_code(task_id):
    hints = EXERCISES[task_id].hints
    assert len(hints) == 3, f"{task_id}: concept, tool, code"
    for level, hint in enumerate(hints[:2], start=1):
        found = CODE.search(hint)
        assert not found, f"{task_id}, rung {level} writes code: {found.group(0)!r} in {hint!r}"
    assert CODE.search(hints[2]), f"{task_id}: the third rung is the code"
    assert len(set(hints)) == 3


@pytest.mark.parametrize("chart_id", sorted(CHARTS))
def test_a_chart_task_has_three_rungs_without_code_before_the_third(chart_id):
    hints = CHARTS[chart_id].hints
    assert len(hints) == 3
    for hint in hints[:2]:
        assert not CODE.search(hint), f"{chart_id}: {hint!r}"
    assert CODE.search(hints[2])


@pytest.mark.parametrize("task_id", QUICK_IDS)
def test_a_quick_question_has_two_hints_and_no_code(task_id):
    hints = EXERCISES[task_id].hints
    assert len(hints) == 2
    for hint in hints:
        assert not CODE.search(hint), f"{task_id}: {hint!r}"


def test_the_code_pattern_sees_code_and_passes_prose():
    assert CODE.search("counts = incidents.groupby('base_id').size()")
    assert CODE.search("use incidents['base_id']")
    assert CODE.search(".reindex(range(2014, 2025), fill_value=0)")
    assert not CODE.search("Count the rows per base with groupby and .size() (see the toolbox).")
    assert not CODE.search("Use .dt.year, then .value_counts; data.bases() holds the dates.")


@pytest.mark.parametrize("task_id", NEEDS_MISTAKES)
def test_a_numeric_or_list_exercise_declares_two_mistakes_or_more(task_id):
    mistakes = EXERCISES[task_id].mistakes
    assert len(mistakes) >= 2, f"{task_id}: declare the wrong answers students give"
    assert len({m.name for m in mistakes}) == len(mistakes)


MISTAKES = [(i, m.name) for i in sorted(EXERCISES) for m in EXERCISES[i].mistakes]


@pytest.mark.parametrize(("task_id", "name"), MISTAKES, ids=[f"{i}: {n}" for i, n in MISTAKES])
def test_a_declared_mistake_is_wrong_and_its_diagnosis_comes_first(task_id, name):
    exercise = EXERCISES[task_id]
    mistake = next(m for m in exercise.mistakes if m.name == name)
    verdict = check(task_id, mistake.answer())
    assert verdict.status == "wrong", f"{task_id} {name}: {verdict.message}"
    assert mistake.says in verdict.message and "Hint:" in verdict.message
    assert not CODE.search(mistake.says), (
        f"{task_id} {name}: a diagnosis names the idea, not the code"
    )
    others = [m for m in exercise.mistakes if m.name != name]
    assert all(exercise.diagnose(mistake.answer()) is not o for o in others)


def test_the_same_mistake_climbs_and_a_different_one_starts_again():
    exercise = EXERCISES["01.2"]
    wrong = 50.0
    levels = [check("01.2", wrong).hint_level for _ in range(4)]
    assert levels == [1, 2, 3, 3]
    messages = [check("01.2", wrong).message for _ in range(1)]
    assert "Code:" in messages[0] and exercise.hints[2] in messages[0]
    mistake = exercise.mistakes[0]
    first = check("01.2", mistake.answer())
    assert first.hint_level == 1 and mistake.says in first.message
    assert check("01.2", mistake.answer()).hint_level == 2
    assert check("01.2", wrong).hint_level == 1, "another mistake starts the ladder again"


def test_a_right_answer_resets_the_ladder():
    right = EXERCISES["01.2"].expected()
    check("01.2", 50.0)
    check("01.2", 50.0)
    assert check("01.2", right).hint_level == 0
    assert check("01.2", 50.0).hint_level == 1


def test_the_code_is_shown_when_asked_and_the_verdict_says_so():
    exercise = EXERCISES["01.2"]
    asked = check("01.2", None, show=True)
    assert asked.status == "unanswered" and asked.asked and asked.hint_level == 3
    assert f"{ladder.ASKED}: {exercise.hints[2]}" in asked.message
    wrong = check("01.2", 50.0, show=True)
    assert wrong.status == "wrong" and wrong.asked and exercise.hints[2] in wrong.message
    right = check("01.2", exercise.expected(), show=True)
    assert right.status == "correct" and not right.asked and exercise.hints[2] not in right.message
    assert not check("01.2", 50.0, show="yes").asked, "only show=True asks"
    assert check("99.9", 1, show=True).status == "error"


def test_what_a_grader_reads_from_a_saved_verdict():
    assert ladder.seen("") == ""
    assert ladder.seen("❌ 01.2: Not yet. Hint: think") == "hint"
    assert ladder.seen("❌ 01.2: Not yet. Tool: .size") == "tool"
    assert ladder.seen("Hint: a ... Code: x = 1") == "code"
    assert ladder.seen(f"Not yet. Hint: a {ladder.ASKED}: x = 1") == "code (asked)"
    assert ladder.SEEN_ORDER.index("code (asked)") > ladder.SEEN_ORDER.index("code")


def test_a_mistake_that_cannot_be_recognised_leaves_the_check_standing(monkeypatch):
    exercise = EXERCISES["01.2"]

    def broken():
        raise RuntimeError("boom")

    monkeypatch.setattr(exercise, "mistakes", (Mistake("broken", broken, "never shown"),))
    verdict = check("01.2", 50.0)
    assert verdict.status == "wrong" and "never shown" not in verdict.message


def test_a_number_mistake_is_recognised_within_the_tolerance():
    exercise = next(
        e for e in EXERCISES.values() if isinstance(e, Number) and e.tolerance and e.mistakes
    )
    mistake = exercise.mistakes[0]
    near = float(mistake.answer()) + exercise.tolerance / 2
    assert not exercise.matches(near, exercise.expected()), (
        "a mistake lies well outside the answer's tolerance"
    )
    assert mistake.says in check(exercise.id, near).message
