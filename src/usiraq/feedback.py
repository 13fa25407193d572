"""Feedback on exercises: ``check("01.3", answer)`` says how an answer stands.

Every exercise is declared once, in ``usiraq.answers``, with the way its
expected answer is computed from ``data/`` (never typed by hand where it can be
computed), the tolerance for numbers, two hints (a gentle one, then a stronger
one) and a line on why the result matters.

A check never raises into a student's face and never runs student text as
code.  It answers with one of five verdicts:

- ``unanswered``: the placeholder ``None`` is still there;
- ``correct``: a short confirmation and why it matters;
- ``wrong``: a hint on method; from the second wrong try, a stronger hint;
- ``invalid``: the answer has the wrong type or shape (text for a number,
  a list for a table, NaN, a negative count...), with what was expected;
- ``error``: the checker itself failed or the exercise id is unknown.

If the environment variable ``USIRAQ_CHECK_LOG`` names a file, each verdict is
appended to it as a JSON line; the test suite uses this to prove that every
check in the solution notebooks reports ``correct``.
"""
from __future__ import annotations

import datetime as dt
import html
import json
import math
import numbers
import os
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable

import pandas as pd

LOG_VAR = "USIRAQ_CHECK_LOG"
ICONS = {"unanswered": "✍️", "correct": "✅", "wrong": "❌", "invalid": "⚠️", "error": "⛔"}
COLOURS = {"unanswered": "#555555", "correct": "#006B3C", "wrong": "#B00020", "invalid": "#8A5A00", "error": "#B00020"}


@dataclass
class Verdict:
    """The outcome of one check, shown as a coloured line in a notebook."""

    exercise_id: str
    status: str
    message: str

    @property
    def correct(self) -> bool:
        return self.status == "correct"

    @property
    def text(self) -> str:
        return f"{ICONS[self.status]} {self.exercise_id}: {self.message}"

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text

    def _repr_html_(self) -> str:
        return (f'<div style="color:{COLOURS[self.status]};font-size:1.05em;padding:2px 0">'
                f"{html.escape(self.text)}</div>")


class Invalid(Exception):
    """The answer has the wrong type or shape; the message says what was expected."""


@dataclass
class Exercise:
    """What every exercise has; subclasses say how an answer is compared."""

    id: str
    title: str
    expected: Callable[[], Any]
    hints: tuple[str, str]
    success: str
    skill: str = ""
    minutes: int = 0
    section: str = ""

    def judge(self, answer: Any) -> tuple[str, str]:
        """Return (status, extra message) for an answer that is not None."""
        value = self.coerce(answer)
        return ("correct", "") if self.matches(value, self.expected()) else ("wrong", "")

    def coerce(self, answer: Any) -> Any:
        return answer

    def matches(self, value: Any, expected: Any) -> bool:
        return value == expected

    def reveal(self) -> str:
        """The expected answer as text, for 'predict then reveal' widgets."""
        return str(self.expected())


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


@dataclass
class Number(Exercise):
    """A single number, compared within a stated tolerance."""

    tolerance: float = 0.0
    unit: str = ""
    minimum: float | None = None

    def coerce(self, answer):
        if isinstance(answer, (pd.Series, pd.DataFrame)) and answer.size == 1:
            answer = answer.squeeze()
        if hasattr(answer, "item") and not isinstance(answer, (list, tuple)):
            try:
                answer = answer.item()
            except (ValueError, AttributeError):
                pass
        if isinstance(answer, str):
            try:
                float(answer.replace(",", ""))
            except ValueError:
                raise Invalid(f"This needs a number, but you gave the text {answer!r}.") from None
            raise Invalid(f"You gave the text {answer!r}. Write the number without quotes.")
        if isinstance(answer, (pd.Timedelta, dt.timedelta)):
            raise Invalid("This needs a number of days, but you gave a time difference. Use its .days.")
        if isinstance(answer, bool) or not _is_number(answer):
            raise Invalid(f"This needs a single number, but you gave a {type(answer).__name__}.")
        if math.isnan(answer):
            raise Invalid("Your answer is NaN (not a number): a missing value crept into the calculation. "
                          "Check for empty cells, e.g. with .dropna() or .isna().")
        if self.minimum is not None and answer < self.minimum:
            raise Invalid(f"This cannot be below {self.minimum:g}; a count or size is never negative. "
                          "Check the order of a subtraction.")
        return float(answer)

    def matches(self, value, expected):
        return abs(value - float(expected)) <= self.tolerance

    def tolerance_text(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        return f"(accepted within ±{self.tolerance:g}{unit})" if self.tolerance else "(the answer must be exact)"

    def reveal(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        return f"{float(self.expected()):,.{self.decimals()}f}{unit}"

    def decimals(self) -> int:
        if self.tolerance == 0:
            return 0 if float(self.expected()).is_integer() else 2
        return 0 if self.tolerance >= 1 else 1 if self.tolerance >= 0.1 else 2


@dataclass
class Choice(Exercise):
    """One option out of several, answered by its letter."""

    options: dict[str, str] = field(default_factory=dict)

    def coerce(self, answer):
        if not isinstance(answer, str):
            raise Invalid(f"Answer with one letter in quotes, one of {self._letters()}, e.g. 'A'.")
        letter = answer.strip().upper()
        if letter not in self.options:
            raise Invalid(f"{answer!r} is not one of the options {self._letters()}.")
        return letter

    def _letters(self) -> str:
        return ", ".join(self.options)

    def reveal(self) -> str:
        letter = self.expected()
        return f"{letter}: {self.options[letter]}"


@dataclass
class Text(Exercise):
    """A short text (a name, an id, a month), compared without case or extra spaces.

    ``expected`` returns one accepted answer or a collection of them.
    """

    example: str = ""

    def coerce(self, answer):
        if isinstance(answer, (pd.Timestamp, dt.date)) or not isinstance(answer, str):
            raise Invalid(f"This needs a short text in quotes{self._example()}, but you gave a {type(answer).__name__}.")
        return _normal(answer)

    def _example(self) -> str:
        return f", like {self.example!r}" if self.example else ""

    def matches(self, value, expected):
        accepted = [expected] if isinstance(expected, str) else list(expected)
        return value in {_normal(a) for a in accepted}

    def reveal(self) -> str:
        expected = self.expected()
        return expected if isinstance(expected, str) else " / ".join(expected)


def _normal(text: str) -> str:
    return " ".join(text.strip().casefold().split())


@dataclass
class Date(Exercise):
    """A calendar date, given as 'YYYY-MM-DD' text, a date or a pandas Timestamp."""

    def coerce(self, answer):
        if isinstance(answer, pd.Timestamp):
            return answer.date()
        if isinstance(answer, dt.datetime):
            return answer.date()
        if isinstance(answer, dt.date):
            return answer
        if isinstance(answer, str):
            try:
                return dt.date.fromisoformat(answer.strip())
            except ValueError:
                raise Invalid(f"{answer!r} is not a date in the form 'YYYY-MM-DD', e.g. '2020-01-08'.") from None
        raise Invalid(f"This needs a date such as '2020-01-08', but you gave a {type(answer).__name__}.")

    def matches(self, value, expected):
        return value == pd.Timestamp(expected).date()


@dataclass
class Sequence(Exercise):
    """A list of items; ``ordered`` says whether their order counts."""

    ordered: bool = True

    def coerce(self, answer):
        if isinstance(answer, (pd.Series, pd.Index)):
            answer = list(answer)
        if isinstance(answer, str) or not isinstance(answer, (list, tuple)):
            raise Invalid(f"This needs a list in square brackets, like ['a', 'b'], but you gave a {type(answer).__name__}.")
        if not all(isinstance(x, str) for x in answer):
            raise Invalid("Every item of the list should be a text in quotes.")
        return [_normal(x) for x in answer]

    def judge(self, answer):
        value = self.coerce(answer)
        expected = [_normal(x) for x in self.expected()]
        if len(value) != len(expected):
            return "wrong", f"Your list has {len(value)} items; the answer has {len(expected)}."
        if Counter(value) != Counter(expected):
            return "wrong", "Some items in your list are not in the answer."
        if self.ordered and value != expected:
            right = sum(a == b for a, b in zip(value, expected))
            return "wrong", f"The right items, but only {right} of {len(expected)} are in the right place."
        return "correct", ""

    def reveal(self) -> str:
        return ", ".join(self.expected())


@dataclass
class Table(Exercise):
    """A pandas Series or DataFrame, compared value by value.

    The index order does not matter (both sides are sorted by index); numbers
    are compared within ``tolerance``.
    """

    tolerance: float = 0.0

    def coerce(self, answer):
        expected = self.expected()
        kind = type(expected).__name__
        if not isinstance(answer, (pd.Series, pd.DataFrame)):
            raise Invalid(f"This needs a pandas {kind}, but you gave a {type(answer).__name__}.")
        if isinstance(expected, pd.DataFrame) and isinstance(answer, pd.Series):
            raise Invalid("This needs a DataFrame (a table with named columns); you gave a Series. "
                          "Try .reset_index() or .to_frame().")
        if isinstance(expected, pd.Series) and isinstance(answer, pd.DataFrame):
            if answer.shape[1] == 1:
                return answer.iloc[:, 0]
            raise Invalid("This needs a Series (one column of values with an index); you gave a DataFrame "
                          f"with columns {list(answer.columns)}.")
        if isinstance(expected, pd.DataFrame):
            missing = [c for c in expected.columns if c not in answer.columns]
            if missing:
                raise Invalid(f"Your table has columns {list(answer.columns)}; it needs {list(expected.columns)}.")
            return answer[list(expected.columns)]
        return answer

    def matches(self, value, expected):
        if len(value) != len(expected):
            return False
        try:
            left = value.sort_index()
            right = expected.sort_index()
        except TypeError:
            return False
        if not left.index.equals(right.index):
            return False
        frames = (left.to_frame(), right.to_frame()) if isinstance(left, pd.Series) else (left, right)
        for col_left, col_right in zip(frames[0].items(), frames[1].items()):
            a, b = col_left[1], col_right[1]
            if pd.api.types.is_numeric_dtype(a) and pd.api.types.is_numeric_dtype(b):
                diff = (a.astype("float64") - b.astype("float64")).abs()
                if diff.isna().ne(a.isna() | b.isna()).any() or (diff.dropna() > self.tolerance).any():
                    return False
            elif not a.astype("string").fillna("").equals(b.astype("string").fillna("")):
                return False
        return True

    def reveal(self) -> str:
        return self.expected().to_string()


REGISTRY: dict[str, Exercise] = {}
_wrong_tries: Counter = Counter()


def register(*exercises: Exercise) -> None:
    """Add exercises to the registry; an id may be declared only once."""
    for ex in exercises:
        if ex.id in REGISTRY and REGISTRY[ex.id] is not ex:
            raise ValueError(f"Exercise id {ex.id} is declared twice.")
        REGISTRY[ex.id] = ex


def exercise(exercise_id: str) -> Exercise:
    """The declared exercise with this id (KeyError if there is none)."""
    from . import answers  # noqa: F401  (declares every exercise on first use)

    return REGISTRY[exercise_id]


def check(exercise_id: str, answer: Any) -> Verdict:
    """Judge an answer and return a verdict that the notebook shows.  Never raises."""
    try:
        ex = exercise(exercise_id)
    except KeyError:
        return _log(Verdict(str(exercise_id), "error",
                            "there is no exercise with this id. Check the id in the check(...) call."))
    if answer is None:
        return _log(Verdict(ex.id, "unanswered", "not answered yet. Replace None with your answer and run the cell again."))
    try:
        status, extra = ex.judge(answer)
    except Invalid as err:
        return _log(Verdict(ex.id, "invalid", str(err)))
    except Exception as err:  # the checker must never show a traceback to a student
        return _log(Verdict(ex.id, "error", f"the checker could not judge this answer ({type(err).__name__}). "
                                            "Your answer may be fine; ask your teacher to look at it."))
    return _log(Verdict(ex.id, status, _message(ex, status, extra)))


def _message(ex: Exercise, status: str, extra: str) -> str:
    tolerance = f" {ex.tolerance_text()}" if isinstance(ex, Number) else ""
    if status == "correct":
        _wrong_tries[ex.id] = 0
        within = tolerance if isinstance(ex, Number) and ex.tolerance else ""
        return f"Correct{within}. {ex.success}"
    _wrong_tries[ex.id] += 1
    hint = ex.hints[0] if _wrong_tries[ex.id] == 1 else ex.hints[1]
    label = "Hint" if _wrong_tries[ex.id] == 1 else "Stronger hint"
    lead = f"Not yet{tolerance}. " + (f"{extra} " if extra else "")
    return f"{lead}{label}: {hint}"


def _log(verdict: Verdict) -> Verdict:
    path = os.environ.get(LOG_VAR)
    if path:
        with open(path, "a", encoding="utf-8") as log:
            log.write(json.dumps({"id": verdict.exercise_id, "status": verdict.status}) + "\n")
    return verdict


def reset_tries() -> None:
    """Forget the count of wrong tries (used by tests and by 'start again')."""
    _wrong_tries.clear()
