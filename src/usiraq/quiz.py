"""Widgets that ask a question and answer at once.

The widgets only wire things up: the question, its accepted answer and its
hints are declared in ``usiraq.checking.declarations`` and judged by ``usiraq.checking``,
which is tested on its own.  The verdict is kept on the kernel side in
``widget.feedback.value`` so that tests (and a notebook run without a browser)
can read it; nothing is printed.

Every widget also has ``.answer`` (read or set the current answer) and
``.submit()`` (judge it, as the Check button does), so a solution notebook can
fill a widget and check it without a mouse.
"""

from __future__ import annotations

import html

import ipywidgets as widgets

from .checking.judging import check
from .checking.kinds import Choice, Number, Sequence, Text
from .checking.registry import exercise
from .checking.verdict import Verdict, box, icon
from .checking.words import Invalid, number_from_text, show

PLACEHOLDER = "(choose)"


class Question(widgets.VBox):
    """An input, a Check button and a feedback line for one declared exercise."""

    def __init__(self, exercise_id: str, control: widgets.Widget, button_text: str = "Check"):
        self.exercise_id = exercise_id
        self.control = control
        self.button = widgets.Button(
            description=button_text,
            button_style="primary",
            tooltip="Check your answer",
            icon="check",
        )
        self.feedback = widgets.HTML(value="")
        self.verdict: Verdict | None = None
        self.button.on_click(lambda _button: self.submit())
        super().__init__([control, widgets.HBox([self.button]), self.feedback])

    @property
    def answer(self):
        return self.control.value

    @answer.setter
    def answer(self, value) -> None:
        self.control.value = value

    def submit(self) -> Verdict:
        """Judge the current answer and show the verdict under the widget.

        An empty widget is "not answered yet" in a widget's words (check()'s
        own message speaks of replacing None in a code cell), and spends no hint.
        """
        value = self._value_for_check()
        if value is None:
            self.verdict = Verdict(
                self.exercise_id,
                "unanswered",
                "not answered yet. Type or choose an answer above, then press the button.",
            )
        else:
            self.verdict = check(self.exercise_id, value)
        self.feedback.value = self.verdict._repr_html_()
        return self.verdict

    def _value_for_check(self):
        return self.control.value


class ChoiceQuestion(Question):
    """Radio buttons, one per option."""

    def __init__(self, exercise_id: str):
        ex = exercise(exercise_id)
        options = [(f"{letter}. {text}", letter) for letter, text in ex.options.items()]
        control = widgets.RadioButtons(
            options=options, value=None, layout=widgets.Layout(width="max-content")
        )
        super().__init__(exercise_id, control)


class NumberQuestion(Question):
    """A box for a number.

    A text box, not a number box: a number box shows 0 before anything is
    typed, and pressing Check would then use up a hint on an answer nobody gave.
    What is typed is read as a number ('171,000' and ' 2500 ' too); an empty
    box is "not answered yet", and text that is no number gets the checker's
    message.
    """

    def __init__(self, exercise_id: str):
        ex = exercise(exercise_id)
        control = widgets.Text(
            value="",
            description=ex.unit or "Answer",
            placeholder="a number",
            style={"description_width": "initial"},
        )
        super().__init__(exercise_id, control)

    @property
    def answer(self):
        return number_from_text(self.control.value)

    @answer.setter
    def answer(self, value) -> None:
        self.control.value = "" if value is None else str(value)

    def submit(self) -> Verdict:
        """A box that holds no readable number gets a widget's message, not the code one, and no hint."""
        value = self._value_for_check()
        if isinstance(value, str):
            self.verdict = Verdict(
                self.exercise_id,
                "invalid",
                f"{self.control.value.strip()[:40]!r} is not a number: type digits only, "
                "with a point for decimals, like 2500 or 12.5.",
            )
            self.feedback.value = self.verdict._repr_html_()
            return self.verdict
        return super().submit()

    def _value_for_check(self):
        return self.answer


class TextQuestion(Question):
    """A box for a short text."""

    def __init__(self, exercise_id: str):
        ex = exercise(exercise_id)
        control = widgets.Text(value="", placeholder=ex.example or "your answer")
        super().__init__(exercise_id, control)

    def _value_for_check(self):
        return self.control.value.strip() or None


class OrderQuestion(Question):
    """One drop-down per position: put the items in order."""

    def __init__(self, exercise_id: str, items: list[str] | None = None):
        ex = exercise(exercise_id)
        choices = [PLACEHOLDER] + sorted(items or ex.expected())
        self.slots = [
            widgets.Dropdown(
                options=choices,
                value=PLACEHOLDER,
                description=f"{i}.",
                layout=widgets.Layout(width="max-content"),
            )
            for i in range(1, len(choices))
        ]
        super().__init__(exercise_id, widgets.VBox(self.slots))

    @property
    def answer(self):
        return [slot.value for slot in self.slots]

    @answer.setter
    def answer(self, values) -> None:
        for slot, value in zip(self.slots, values):
            slot.value = value

    def submit(self) -> Verdict:
        """Judge the order; an empty slot or an item chosen twice is named before any judging."""
        problem = self._slot_problem()
        if problem is None:
            return super().submit()
        self.verdict = Verdict(self.exercise_id, "invalid", problem)
        self.feedback.value = self.verdict._repr_html_()
        return self.verdict

    def _slot_problem(self) -> str | None:
        chosen = self.answer
        if all(v == PLACEHOLDER for v in chosen):
            return None  # nothing chosen yet: the checker says "not answered yet"
        empty = [str(i) for i, v in enumerate(chosen, start=1) if v == PLACEHOLDER]
        if len(empty) == 1:
            return f"Slot {empty[0]} is empty: choose an item for every slot."
        if empty:
            return f"Slots {', '.join(empty[:-1])} and {empty[-1]} are empty: choose an item for every slot."
        for item in dict.fromkeys(chosen):
            places = [str(i) for i, v in enumerate(chosen, start=1) if v == item]
            if len(places) > 1:
                return (
                    f"{show(item)} is chosen twice (slots {', '.join(places[:-1])} and {places[-1]}); "
                    "each item goes in one slot."
                )
        return None

    def _value_for_check(self):
        chosen = self.answer
        return None if all(v == PLACEHOLDER for v in chosen) else chosen


class Prediction(Question):
    """A slider to commit to a guess, then Reveal to compare it with the data."""

    def __init__(self, exercise_id: str, low: float, high: float, step: float = 1):
        ex = exercise(exercise_id)
        control = widgets.FloatSlider(
            value=low,
            min=low,
            max=high,
            step=step,
            description="Your guess",
            readout_format=",.0f",
            continuous_update=False,
            style={"description_width": "initial"},
            layout=widgets.Layout(width="600px"),
        )
        super().__init__(exercise_id, control, button_text="Reveal")
        self.unit = ex.unit

    def submit(self) -> Verdict:
        """Reveal the data beside the guess.  A guess is not an answer: no "Not yet", no hint."""
        ex = exercise(self.exercise_id)
        guess = float(self.control.value)
        try:
            status, _ = ex.judge(guess)
        except Invalid:  # a guess outside what the question allows (below its minimum)
            status = "invalid"
        close = " (within the range the question accepts)" if status == "correct" else ""
        text = f"The data say: <b>{html.escape(ex.reveal())}</b>. Your guess: {guess:,.0f}{close}."
        self.verdict = Verdict(
            self.exercise_id, status, f"The data say: {ex.reveal()}. Your guess: {guess:,.0f}."
        )
        self.feedback.value = box(text, "unanswered")
        return self.verdict


def ask(exercise_id: str) -> Question:
    """The right widget for a declared exercise: choice, number, text or order."""
    ex = exercise(exercise_id)
    if isinstance(ex, Choice):
        return ChoiceQuestion(exercise_id)
    if isinstance(ex, Number) and ex.rows is None:
        return NumberQuestion(exercise_id)
    if isinstance(ex, Sequence):
        return OrderQuestion(exercise_id)
    if isinstance(ex, Text):
        return TextQuestion(exercise_id)
    raise TypeError(
        f"Exercise {exercise_id} ({type(ex).__name__}) has no widget; check it with check()."
    )


def predict(exercise_id: str, low: float, high: float, step: float = 1) -> Prediction:
    """A 'predict, then reveal' slider for a Number exercise."""
    return Prediction(exercise_id, low, high, step)


def widgets_work() -> widgets.VBox:
    """A small widget that tells a student at once whether widgets run in their setup.

    If widgets work, the page shows a slider and a line that updates as it
    moves.  If they do not, the notebook shows only text (see the markdown
    around the call for what to do).
    """
    slider = widgets.IntSlider(value=3, min=0, max=10, description="Move me")
    status = widgets.HTML(
        value=f"{icon('correct')}<strong>Widgets work here</strong>: the number below follows the slider."
    )
    echo = widgets.Label(value="Value: 3")
    slider.observe(lambda change: setattr(echo, "value", f"Value: {change['new']}"), names="value")
    return widgets.VBox([status, slider, echo])
