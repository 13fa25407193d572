"""The widgets only wire things up: a set answer plus Check gives the checker's verdict."""
import pytest

from usiraq import feedback, quiz
from usiraq.feedback import Choice, Number, Sequence, Text, exercise

feedback.exercise("00.q1")
WIDGET_IDS = sorted(i for i, ex in feedback.REGISTRY.items() if isinstance(ex, (Choice, Number, Sequence, Text)))


@pytest.fixture(autouse=True)
def fresh_tries():
    feedback.reset_tries()


@pytest.mark.parametrize("exercise_id", WIDGET_IDS)
def test_widget_reports_correct_for_the_expected_answer(exercise_id):
    ex = exercise(exercise_id)
    question = quiz.ask(exercise_id)
    expected = ex.expected()
    question.answer = expected if not isinstance(ex, Text) or isinstance(expected, str) else sorted(expected)[0]
    question.button.click()
    assert question.verdict.status == "correct"
    assert "✅" in question.feedback.value


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
    ordered = Sequence(id="t.order", title="t", expected=lambda: ["b", "a", "c"], hints=("x", "y"), success="s")
    feedback.register(ordered)
    try:
        question = quiz.ask("t.order")
        assert question.submit().status == "unanswered"
        question.answer = ["b", "a", "c"]
        assert question.submit().status == "correct"
        question.answer = ["a", "b", "c"]
        assert question.submit().status == "wrong"
    finally:
        del feedback.REGISTRY["t.order"]


def test_widget_check_follows_the_slider():
    box = quiz.widgets_work()
    slider, echo = box.children[1], box.children[2]
    slider.value = 7
    assert echo.value == "Value: 7"
