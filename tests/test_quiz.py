"""The widgets only wire things up: a set answer plus Check gives the checker's verdict."""

import pytest

from usiraq import quiz
from usiraq.checking import ladder, registry
from usiraq.checking.kinds import Choice, Number, Sequence, Text
from usiraq.checking.registry import exercise

WIDGET_IDS = sorted(
    i
    for i, ex in registry.exercises().items()
    if isinstance(ex, (Choice, Number, Sequence, Text)) and getattr(ex, "rows", None) is None
)


@pytest.fixture(autouse=True)
def fresh_tries():
    ladder.reset()


@pytest.mark.parametrize("exercise_id", WIDGET_IDS)
def test_widget_reports_correct_for_the_expected_answer(exercise_id):
    ex = exercise(exercise_id)
    question = quiz.ask(exercise_id)
    expected = ex.expected()
    question.answer = (
        expected if not isinstance(ex, Text) or isinstance(expected, str) else sorted(expected)[0]
    )
    question.button.click()
    assert question.verdict.status == "correct"
    assert (
        "<strong>Correct</strong>" in question.feedback.value and "<svg" in question.feedback.value
    )


def test_choice_widget_says_not_answered_before_a_choice():
    question = quiz.ask("00.q1")
    question.submit()
    assert question.verdict.status == "unanswered"


def test_choice_widget_gives_a_hint_for_a_wrong_choice():
    question = quiz.ask("00.q1")
    question.answer = "A"
    question.submit()
    assert question.verdict.status == "wrong" and "Hint" in question.feedback.value


def test_prediction_reveals_the_data():
    prediction = quiz.predict("00.q2", 0, 100)
    prediction.answer = 10
    prediction.submit()
    assert "The data say" in prediction.feedback.value
    assert exercise("00.q2").reveal() in prediction.feedback.value


def test_order_question_needs_a_sequence_exercise():
    ordered = Sequence(
        id="t.order", title="t", expected=lambda: ["b", "a", "c"], hints=("x", "y"), success="s"
    )
    registry.register(ordered)
    try:
        question = quiz.ask("t.order")
        assert question.submit().status == "unanswered"
        question.answer = ["b", "a", "c"]
        assert question.submit().status == "correct"
        question.answer = ["a", "b", "c"]
        assert question.submit().status == "wrong"
    finally:
        del registry.EXERCISES["t.order"]


def test_an_exercise_that_needs_its_rows_has_no_widget():
    with pytest.raises(TypeError, match="check"):
        quiz.ask("01.1")


def test_widget_check_follows_the_slider():
    box = quiz.widgets_work()
    slider, echo = box.children[1], box.children[2]
    slider.value = 7
    assert echo.value == "Value: 7"


@pytest.mark.parametrize("exercise_id", ["00.q2", "03.q1", "04.q2", "05.q2"])
def test_an_untouched_number_box_is_not_answered_and_uses_no_hint(exercise_id):
    question = quiz.ask(exercise_id)
    verdict = question.submit()
    assert verdict.status == "unanswered" and "not answered yet" in verdict.message
    question.answer = 10**6
    assert question.submit().hint_level == 1  # the first hint is still there to use


def test_a_number_box_reads_what_a_student_types():
    question = quiz.ask("00.q2")
    expected = exercise("00.q2").expected()
    question.control.value = f" {expected:,} "
    assert question.submit().status == "correct"
    question.control.value = "thirty"
    verdict = question.submit()
    assert verdict.status == "invalid" and "number" in verdict.message
    question.control.value = "0"
    assert question.submit().status == "wrong"


def test_after_reveal_the_prediction_shows_only_the_comparison():
    prediction = quiz.predict("01.q1", 0, 300000, 5000)
    prediction.answer = 10000
    prediction.submit()
    shown = prediction.feedback.value
    assert "The data say" in shown and exercise("01.q1").reveal() in shown
    for word in ("Not yet", "Hint", "hint"):
        assert word not in shown


def order_question():
    ordered = Sequence(
        id="t.order2", title="t", expected=lambda: ["b", "a", "c"], hints=("x", "y"), success="s"
    )
    registry.register(ordered)
    return quiz.ask("t.order2")


@pytest.fixture
def order():
    yield order_question()
    del registry.EXERCISES["t.order2"]


def test_order_item_chosen_twice_is_named(order):
    order.answer = ["b", "b", "c"]
    verdict = order.submit()
    assert verdict.status == "invalid" and "'b'" in verdict.message and "twice" in verdict.message


def test_order_empty_slot_is_named(order):
    order.answer = ["b", quiz.PLACEHOLDER, "c"]
    verdict = order.submit()
    assert verdict.status == "invalid" and "Slot 2 is empty" in verdict.message
    order.answer = [quiz.PLACEHOLDER, quiz.PLACEHOLDER, "c"]
    assert "Slots 1 and 2 are empty" in order.submit().message


def test_widget_feedback_is_a_live_region():
    question = quiz.ask("00.q1")
    question.answer = "D"
    question.submit()
    assert 'aria-live="polite"' in question.feedback.value


def test_empty_widgets_speak_of_the_widget_not_of_code():
    """No 'Replace None ... run the cell' under a widget, and no hint spent."""
    for widget in (quiz.ask("00.q1"), quiz.ask("00.q2")):
        verdict = widget.submit()
        assert (
            verdict.status == "unanswered"
            and "None" not in verdict.message
            and "cell" not in verdict.message
        )


def test_a_number_box_with_no_readable_number_says_how_to_type_one():
    box = quiz.ask("00.q2")
    box.control.value = "1,6"
    verdict = box.submit()
    assert (
        verdict.status == "invalid"
        and "without quotes" not in verdict.message
        and "digits" in verdict.message
    )


def test_a_text_box_of_spaces_is_not_answered_and_spends_no_hint():
    box = quiz.TextQuestion("02.4")
    box.control.value = "   "
    assert box.submit().status == "unanswered"
