"""Every declared exercise answers correctly, wrongly, to a wrong type and to None.

The tests are generated from the registry, so an exercise added later is
tested the moment it is declared.  A "wrong" answer is made from the expected
one (a number outside the tolerance, another option, a reversed list...).
"""
import datetime as dt

import pandas as pd
import pytest

from usiraq import feedback
from usiraq.feedback import Choice, Date, Number, Sequence, Table, Text, check, exercise

feedback.exercise("00.q1")  # declare every exercise
IDS = sorted(feedback.REGISTRY)


@pytest.fixture(autouse=True)
def fresh_tries():
    feedback.reset_tries()
    yield
    feedback.reset_tries()


def correct_answer(ex):
    expected = ex.expected()
    if isinstance(ex, Text) and not isinstance(expected, str):
        return sorted(expected)[0]
    return expected


def wrong_answer(ex):
    expected = ex.expected()
    if isinstance(ex, Number):
        return float(expected) + 2 * ex.tolerance + 1
    if isinstance(ex, Choice):
        return next(k for k in ex.options if k != expected)
    if isinstance(ex, Text):
        return "certainly not this"
    if isinstance(ex, Date):
        return (pd.Timestamp(expected) + pd.Timedelta(days=400)).date().isoformat()
    if isinstance(ex, Sequence):
        items = list(expected)
        return items[::-1] if ex.ordered and len(items) > 1 else items[:-1] + ["something else"]
    if isinstance(ex, Table):
        changed = expected.copy()
        return changed.iloc[:-1] if len(changed) > 1 else changed.iloc[0:0]
    raise AssertionError(f"no wrong answer defined for {type(ex).__name__}")


def wrongly_typed_answer(ex):
    if isinstance(ex, (Number, Date)):
        return ["not", "a", "number"]
    if isinstance(ex, (Choice, Text)):
        return 42
    if isinstance(ex, Sequence):
        return "one string, not a list"
    if isinstance(ex, Table):
        return [1, 2, 3]
    raise AssertionError(type(ex).__name__)


def test_there_are_exercises():
    assert len(IDS) >= 2


@pytest.mark.parametrize("exercise_id", IDS)
def test_correct_answer_is_accepted(exercise_id):
    verdict = check(exercise_id, correct_answer(exercise(exercise_id)))
    assert verdict.status == "correct", verdict.text
    assert verdict.text.startswith("✅")


@pytest.mark.parametrize("exercise_id", IDS)
def test_wrong_answer_gets_a_hint_then_a_stronger_hint(exercise_id):
    ex = exercise(exercise_id)
    first = check(exercise_id, wrong_answer(ex))
    second = check(exercise_id, wrong_answer(ex))
    assert first.status == second.status == "wrong", (first.text, second.text)
    assert ex.hints[0] in first.message and "Hint" in first.message
    assert ex.hints[1] in second.message and "Stronger hint" in second.message


@pytest.mark.parametrize("exercise_id", IDS)
def test_wrongly_typed_answer_says_what_is_expected(exercise_id):
    verdict = check(exercise_id, wrongly_typed_answer(exercise(exercise_id)))
    assert verdict.status == "invalid", verdict.text
    assert "Traceback" not in verdict.text


@pytest.mark.parametrize("exercise_id", IDS)
def test_missing_answer_is_not_answered_yet(exercise_id):
    verdict = check(exercise_id, None)
    assert verdict.status == "unanswered"
    assert "not answered yet" in verdict.message


@pytest.mark.parametrize("exercise_id", IDS)
def test_every_exercise_says_why_it_matters_and_has_two_hints(exercise_id):
    ex = exercise(exercise_id)
    assert ex.title and ex.success and len(ex.hints) == 2 and all(ex.hints)
    assert ex.hints[0] != ex.hints[1]


def test_unknown_exercise_is_an_error_not_a_traceback():
    verdict = check("99.9", 1)
    assert verdict.status == "error" and "no exercise" in verdict.message


def numbers():
    return Number(id="t.n", title="t", expected=lambda: 41.6, hints=("h1", "h2"), success="s",
                  tolerance=0.5, unit="%", minimum=0)


def test_number_tolerance_is_stated_and_applied():
    ex = numbers()
    assert ex.judge(42.0)[0] == "correct"
    assert ex.judge(42.2)[0] == "wrong"
    assert "±0.5 %" in ex.tolerance_text()


@pytest.mark.parametrize("answer, says", [
    ("41.6", "without quotes"),
    ("forty", "needs a number"),
    (float("nan"), "NaN"),
    (-3, "cannot be below 0"),
    (True, "single number"),
    ([41.6], "single number"),
])
def test_number_rejects_bad_types_kindly(answer, says):
    with pytest.raises(feedback.Invalid, match=says):
        numbers().coerce(answer)


def test_number_accepts_numpy_and_one_cell_series():
    import numpy as np

    ex = numbers()
    assert ex.judge(np.float64(41.6))[0] == "correct"
    assert ex.judge(pd.Series([41.6]))[0] == "correct"


def test_text_is_compared_without_case_or_spaces():
    ex = Text(id="t.t", title="t", expected=lambda: ["Ain al-Asad", "ain-al-asad"], hints=("a", "b"), success="s")
    assert ex.judge("  AIN   al-asad ")[0] == "correct"
    assert ex.judge("balad")[0] == "wrong"


def test_date_accepts_text_date_and_timestamp():
    ex = Date(id="t.d", title="t", expected=lambda: pd.Timestamp("2020-01-08"), hints=("a", "b"), success="s")
    for answer in ["2020-01-08", dt.date(2020, 1, 8), pd.Timestamp("2020-01-08")]:
        assert ex.judge(answer)[0] == "correct"
    with pytest.raises(feedback.Invalid, match="YYYY-MM-DD"):
        ex.judge("8 January 2020")


def test_sequence_says_how_many_are_in_place():
    ex = Sequence(id="t.s", title="t", expected=lambda: ["a", "b", "c"], hints=("x", "y"), success="s")
    status, extra = ex.judge(["a", "c", "b"])
    assert status == "wrong" and "only 1 of 3" in extra
    assert ex.judge(["A", "b", "c"])[0] == "correct"


def test_table_checks_kind_columns_and_values():
    expected = pd.DataFrame({"base": ["k1", "taji"], "attacks": [2, 4]}).set_index("base")
    ex = Table(id="t.tab", title="t", expected=lambda: expected, hints=("x", "y"), success="s")
    assert ex.judge(expected.iloc[::-1])[0] == "correct"
    with pytest.raises(feedback.Invalid, match="needs \\['attacks'\\]"):
        ex.judge(expected.rename(columns={"attacks": "n"}))
    with pytest.raises(feedback.Invalid, match="DataFrame"):
        ex.judge(expected["attacks"])
    assert ex.judge(expected.assign(attacks=[2, 5]))[0] == "wrong"


def test_a_checker_failure_is_reported_not_raised():
    def broken():
        raise RuntimeError("boom")
    feedback.register(Number(id="t.broken", title="t", expected=broken, hints=("a", "b"), success="s"))
    try:
        verdict = check("t.broken", 3)
        assert verdict.status == "error" and "RuntimeError" in verdict.message
    finally:
        del feedback.REGISTRY["t.broken"]


def test_checks_are_logged_when_asked(tmp_path, monkeypatch):
    log = tmp_path / "log.jsonl"
    monkeypatch.setenv(feedback.LOG_VAR, str(log))
    check("00.q1", "D")
    check("00.q1", None)
    assert log.read_text().splitlines() == ['{"id": "00.q1", "status": "correct"}',
                                            '{"id": "00.q1", "status": "unanswered"}']
