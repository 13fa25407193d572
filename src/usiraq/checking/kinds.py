"""The kinds of answer an exercise can ask for, and how each is compared with the expected one.

Each kind (``Number``, ``Choice``, ``Text``, ``Date``, ``Sequence``, ``Table``)
turns a student's answer into a comparable value (``coerce``: equivalent forms
are accepted, forms that would hide a mistake raise ``Invalid``) and compares
it with the expected value, which is computed from ``data/`` when the check
runs.  ``Rows`` lets a check see the rows an answer came from, for tasks whose
answer comes out the same without the step they teach (an exercise's ``rows``).
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
import numbers
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from .words import Invalid, NoAnswer, is_nat, kind_of, number_in_text, plural, show, single


@dataclass(frozen=True)
class Mistake:
    """A wrong answer students give, and the misunderstanding it shows.

    ``answer`` computes, from ``data/`` as ``expected`` does, the answer a
    student gets by making this mistake (the wrong rows, the wrong column, a
    step left out); an answer the exercise's own comparison finds equal to it
    is this mistake.  ``says`` is the first hint for it: what the student
    probably did, in a sentence or two, without giving the answer.
    """

    name: str
    answer: Callable[[], Any]
    says: str


@dataclass
class Exercise:
    """What every exercise has; subclasses say how an answer is compared.

    ``hints`` are the rungs of the hint ladder (``usiraq.checking.ladder``):
    concept, tool and code for an exercise, two for a quick question.
    ``mistakes`` are the wrong answers students give, each with its diagnosis.
    ``rows`` (a ``Rows`` or the like) asks for the rows the answer came from, where
    the answer alone cannot show the step the exercise teaches.  ``points`` is
    what a right answer earns when a class is graded.
    """

    declared_as: ClassVar[str] = "exercise"
    id: str
    title: str
    expected: Callable[[], Any]
    hints: tuple[str, ...]
    success: str
    skill: str = ""
    section: str = ""
    mistakes: tuple[Mistake, ...] = ()
    rows: Any = None
    points: float = 1  # what a right answer earns in a graded week (``usiraq.teacher.grade``)

    def judge(self, answer: Any) -> tuple[str, str]:
        """Return (status, extra message) for an answer that is not None."""
        value = self.coerce(answer)
        return ("correct", "") if self.matches(value, self.expected()) else ("wrong", "")

    def coerce(self, answer: Any) -> Any:
        return answer

    def matches(self, value: Any, expected: Any) -> bool:
        return value == expected

    def partial(self, answer: Any) -> tuple[float, str]:
        """The share of the points a wrong answer still earns, and why (none by default)."""
        return 0.0, ""

    def diagnose(self, answer: Any) -> Mistake | None:
        """The declared mistake this (wrong) answer is, if any."""
        if not self.mistakes:
            return None
        value = self.coerce(answer)
        for mistake in self.mistakes:
            if self.matches(value, mistake.answer()):
                return mistake
        return None

    def reveal(self) -> str:
        """The expected answer as text, for 'predict then reveal' widgets."""
        return str(self.expected())


@dataclass
class Rows:
    """The rows a number must come from, for exercises whose number comes out the same without the filter.

    A student's rows pass when they include every row of ``needed()`` and no row outside
    ``allowed()``; rows are told apart by their ``key`` column (``row_id`` by default), or
    else by their index.
    """

    needed: Callable[[], pd.DataFrame]
    allowed: Callable[[], pd.DataFrame]
    name: str  # the variable the task builds, used in the message: rows=public
    filter_text: str  # what the filter keeps, e.g. "only the figures from public documents"
    outside_text: (
        str  # what a row outside the filter is, e.g. "from sources that are not public documents"
    )
    key: str = "row_id"

    def right(self) -> pd.DataFrame:
        """A set of rows the check accepts (every method check has one, for tests and widgets)."""
        return self.allowed()

    def freeze(self, constant) -> Rows:
        """The same check, with the rows computed once (see ``usiraq.checking.frozen``)."""
        return replace(self, needed=constant(self.needed()), allowed=constant(self.allowed()))

    def judge(self, exercise_id: str, rows: Any) -> tuple[str, str]:
        if rows is None:
            raise Invalid(
                f"The answer is right; now set {self.name} to the rows you kept ({self.filter_text}), "
                "so the check can see that step: the same answer comes out without it."
            )
        if isinstance(rows, NoAnswer):
            raise Invalid(
                f"The answer is right, but the same answer comes out without keeping "
                f"{self.filter_text}, so the check needs your rows too: "
                f"check('{exercise_id}', answer, rows={self.name})."
            )
        if not isinstance(rows, pd.DataFrame):
            raise Invalid(
                f"rows= needs the table (DataFrame) of the rows you kept, like {self.name}; "
                f"you gave {kind_of(rows)}."
            )
        allowed, needed = self.allowed(), self.needed()
        if self.key in rows.columns:
            given, known, must = set(rows[self.key]), set(allowed[self.key]), set(needed[self.key])
        elif isinstance(rows.index, pd.RangeIndex) and not rows.index.equals(allowed.index):
            raise Invalid(
                f"The check tells rows apart by their {self.key} column or their original index: "
                "keep one of them in the rows you give (no .reset_index(drop=True))."
            )
        else:
            given, known, must = set(rows.index), set(allowed.index), set(needed.index)
        if not given:
            return (
                "wrong",
                f"Your rows are an empty table: the filter kept nothing. Keep {self.filter_text}.",
            )
        outside, missing = len(given - known), len(must - given)
        if outside:
            return (
                "wrong",
                f"{plural(outside, 'row')} of yours {'is' if outside == 1 else 'are'} {self.outside_text}.",
            )
        if missing:
            return "wrong", f"Your rows leave out {plural(missing, 'row')} the task needs."
        return "correct", ""


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


CLOSE = 5  # a number within five times its tolerance earns part of the points


@dataclass
class Number(Exercise):
    """A single number, compared within a stated tolerance."""

    tolerance: float = 0.0
    unit: str = ""
    minimum: float | None = None

    def coerce(self, answer):
        value = single(answer, "a single number")
        if isinstance(value, str):
            raise number_in_text(value)
        if is_nat(value):
            raise Invalid(
                "Your answer is a missing date (NaT), not a number: a date could not be read or a "
                "selection was empty. Check the rows you selected."
            )
        if isinstance(value, (pd.Timedelta, dt.timedelta, np.timedelta64)):
            raise Invalid(
                "This needs a number of days, but you gave a time difference. Use its .days."
            )
        if value is pd.NA:
            raise Invalid(
                "Your answer is a missing value (pd.NA): a selection was empty or a cell is blank. "
                "Check the rows you selected, e.g. with .isna()."
            )
        if isinstance(value, np.generic) and not isinstance(value, (np.bool_, np.datetime64)):
            value = value.item()
        if isinstance(value, decimal.Decimal):
            value = float(value) if value.is_finite() or value.is_infinite() else math.nan
        if isinstance(value, (bool, np.bool_)) or not _is_number(value):
            raise Invalid(f"This needs a single number, but you gave {kind_of(value)}.")
        try:
            number = float(value)
        except OverflowError:  # a whole number too large for a float
            number = math.inf if value > 0 else -math.inf
        if math.isnan(number):
            raise Invalid(
                "Your answer is NaN (not a number): a missing value crept into the calculation. "
                "Check for empty cells, e.g. with .dropna() or .isna()."
            )
        if math.isinf(number):
            raise Invalid("Your answer is infinite: a division by zero? Check what you divide by.")
        if self.minimum is not None and number < self.minimum:
            raise Invalid(
                f"This cannot be below {self.minimum:g}: what the exercise asks for is never negative. "
                "Check the order of a subtraction (later minus earlier, larger minus smaller)."
            )
        return number

    def judge(self, answer):
        """As any exercise, with one near miss named: a share given as a fraction, not in percent."""
        status, extra = super().judge(answer)
        if status == "wrong" and self.unit in ("%", "percent"):
            value, expected = self.coerce(answer), float(self.expected())
            if expected and 0 < abs(value) <= 1 and self.matches(value * 100, expected):
                extra = "Your answer looks like a fraction of 1: multiply it by 100 to give it in percent."
        return status, extra

    def matches(self, value, expected):
        return abs(value - float(expected)) <= self.tolerance

    def partial(self, answer):
        """Half the points for a number close to the answer, or the right share given as a fraction."""
        value, expected = self.coerce(answer), float(self.expected())
        if self.tolerance and abs(value - expected) <= CLOSE * self.tolerance:
            return 0.5, f"close: within {CLOSE} times the accepted margin of the answer"
        if self.unit in ("%", "percent") and expected and self.matches(value * 100, expected):
            return 0.5, "the right share, given as a fraction of 1 instead of in percent"
        return 0.0, ""

    def tolerance_text(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        return (
            f"(accepted within ±{self.tolerance:g}{unit})"
            if self.tolerance
            else "(the answer must be exact)"
        )

    def reveal(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        return f"{float(self.expected()):,.{self.decimals()}f}{unit}"

    def decimals(self) -> int:
        if self.tolerance == 0:
            return 0 if float(self.expected()).is_integer() else 2
        return 0 if self.tolerance >= 1 else 1 if self.tolerance >= 0.1 else 2


@dataclass
class Choice(Exercise):
    """One option out of several, answered by its letter or the option's full text.

    The letter may be written 'D', 'd', 'D.', 'D)', 'D:' or '(D)', and may be followed by the option's
    text (as the widget shows it: 'D. How many ...').
    """

    options: dict[str, str] = field(default_factory=dict)

    def coerce(self, answer):
        value = single(answer, f"one letter in quotes, one of {self._letters()}")
        if not isinstance(value, str):
            raise Invalid(
                f"Answer with one letter in quotes, one of {self._letters()}, e.g. 'A'; "
                f"you gave {kind_of(value)}."
            )
        typed = _normal(value)
        by_text = {_normal(text): letter for letter, text in self.options.items()}
        if typed in by_text:
            return by_text[typed]
        found = re.fullmatch(r"(?:\(([a-z])\)|([a-z])[.):]?)(?:\s+(.*))?", typed, re.S)
        if found:
            letter, rest = (found.group(1) or found.group(2)).upper(), found.group(3)
            if letter in self.options and (rest is None or rest == _normal(self.options[letter])):
                return letter
        raise Invalid(
            f"{show(value)} is not one of the options {self._letters()}. Answer with the letter, e.g. 'A'."
        )

    def _letters(self) -> str:
        return ", ".join(self.options)

    def reveal(self) -> str:
        letter = self.expected()
        return f"{letter}: {self.options[letter]}"


def _normal(text: str) -> str:
    return " ".join(text.strip().casefold().split())


@dataclass
class Text(Exercise):
    """A short text (a name, an id, a month), compared after ``normalise`` (by default: without case or extra spaces).

    ``expected`` returns one accepted answer or a collection of them.
    """

    example: str = ""
    normalise: Callable[[str], str] = _normal

    def coerce(self, answer):
        value = single(answer, f"a short text in quotes{self._example()}")
        if not isinstance(value, str):
            raise Invalid(
                f"This needs a short text in quotes{self._example()}, but you gave {kind_of(value)}."
            )
        return self.normalise(value)

    def _example(self) -> str:
        return f", like {self.example!r}" if self.example else ""

    def matches(self, value, expected):
        accepted = [expected] if isinstance(expected, str) else list(expected)
        return value in {self.normalise(a) for a in accepted}

    def reveal(self) -> str:
        expected = self.expected()
        return expected if isinstance(expected, str) else " / ".join(expected)


@dataclass
class Date(Exercise):
    """A calendar date: 'YYYY-MM-DD' text, a date, a pandas Timestamp or a numpy datetime64."""

    def coerce(self, answer):
        value = single(answer, "one date")
        if is_nat(value):
            raise Invalid(
                "Your answer is a missing date (NaT): a date could not be read, or the rows you "
                "selected were empty. Check the selection."
            )
        if isinstance(value, np.datetime64):
            return pd.Timestamp(value).date()
        if isinstance(value, (pd.Timestamp, dt.datetime)):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, pd.Period):
            if value.freqstr == "D":
                return value.start_time.date()
            raise Invalid(
                "You gave a period (a month or a year); this needs one day. A date known only to the "
                "month goes on its first day: use the period's .start_time."
            )
        if isinstance(value, str):
            typed = value.strip()
            midnight = re.fullmatch(r"(\d{4}-\d{2}-\d{2})(?:[ T]00:00(?::00(?:\.0+)?)?)?", typed)
            try:
                return (
                    dt.date.fromisoformat(midnight.group(1))
                    if midnight
                    else dt.date.fromisoformat(typed)
                )
            except ValueError:
                raise Invalid(
                    f"{show(value)} is not a date in the form 'YYYY-MM-DD' (year, month, day)."
                ) from None
        raise Invalid(
            f"This needs a date, as text in the form 'YYYY-MM-DD' or a pandas Timestamp, but you gave {kind_of(value)}."
        )

    def matches(self, value, expected):
        return value == pd.Timestamp(expected).date()


@dataclass
class Sequence(Exercise):
    """A list of texts; ``ordered`` says whether their order counts.

    ``item_pattern`` (a regular expression) and ``item_format`` say what each
    item must look like, when the task asks for a form such as 'YYYY-MM'.
    """

    ordered: bool = True
    item_pattern: str = ""
    item_format: str = ""

    def coerce(self, answer):
        if isinstance(answer, (set, frozenset)):
            if self.ordered:
                raise Invalid(
                    "A set (curly brackets) has no order, and this answer needs one: "
                    "give a list in square brackets, like ['a', 'b']."
                )
            answer = sorted(answer, key=str)
        if isinstance(answer, np.ndarray) and answer.ndim != 1:
            raise Invalid(
                f"This needs a flat list of texts, but you gave a table of values ({answer.ndim} dimensions)."
            )
        if isinstance(answer, (pd.Series, pd.Index, np.ndarray)):
            answer = list(answer)
        if isinstance(answer, str):
            raise Invalid(
                f"This needs a list in square brackets, like ['a', 'b'], but you gave a text. "
                f"Even one item goes in a list: [{show(answer)}]."
            )
        if not isinstance(answer, (list, tuple)):
            raise Invalid(
                f"This needs a list in square brackets, like ['a', 'b'], but you gave {kind_of(answer)}."
            )
        if not answer:
            raise Invalid("Your list is empty: put the items in it, like ['a', 'b'].")
        for place, item in enumerate(answer, start=1):
            if not isinstance(item, str):
                form = f" Write each item as {self.item_format}." if self.item_format else ""
                raise Invalid(
                    f"Every item of the list should be a text in quotes; item {place} is "
                    f"{kind_of(item)}.{form}"
                )
            if self.item_pattern and not re.fullmatch(self.item_pattern, item.strip()):
                raise Invalid(
                    f"Write each item as {self.item_format}; {show(item)} is not in that form."
                )
        items = [_normal(x) for x in answer]
        twice = [item for item, count in Counter(items).items() if count > 1]
        if twice:
            raise Invalid(f"{show(twice[0])} is in your list twice; each item goes in once.")
        return items

    def judge(self, answer):
        value = self.coerce(answer)
        expected = [_normal(x) for x in self.expected()]
        if len(value) != len(expected):
            return (
                "wrong",
                f"Your list has {plural(len(value), 'item')}; the answer has {len(expected)}.",
            )
        if Counter(value) != Counter(expected):
            # compared as written, in the form coerce() gives (a set comes sorted, so the student's order is gone)
            strays = [item for item in value if item not in expected]
            if not strays:
                return "wrong", "Some items in your list are not in the answer."
            return "wrong", (
                f"{plural(len(strays), 'item')} of your list {'is' if len(strays) == 1 else 'are'} "
                f"not in the answer, for example {show(strays[0])}"
                + ("." if self.item_pattern else ": check its spelling against the labels shown.")
            )
        if self.ordered and value != expected:
            right = sum(a == b for a, b in zip(value, expected))
            return (
                "wrong",
                f"The right items, but only {right} of {len(expected)} are in the right place.",
            )
        return "correct", ""

    def partial(self, answer):
        """Part of the points for the right items in an order with some of them in place."""
        value = self.coerce(answer)
        expected = [_normal(x) for x in self.expected()]
        if not self.ordered or Counter(value) != Counter(expected):
            return 0.0, ""
        right = sum(a == b for a, b in zip(value, expected))
        return round(
            0.5 * right / len(expected), 2
        ), f"the right items, {right} of {len(expected)} in place"

    def matches(self, value, expected):
        """A coerced list against a list as ``expected`` gives it (used to recognise a mistake)."""
        other = [_normal(x) for x in expected]
        return value == other if self.ordered else Counter(value) == Counter(other)

    def reveal(self) -> str:
        return ", ".join(self.expected())


@dataclass
class Table(Exercise):
    """A pandas Series or DataFrame, compared value by value.

    The index order does not matter (both sides are sorted by index); numbers
    are compared within ``tolerance``; a missing value (NaN, pd.NA) never
    stands for a value.  A ``reset_index()`` table, extra columns and a
    dictionary of label: value are accepted as the same answer.
    """

    tolerance: float = 0.0

    def coerce(self, answer):
        expected = self.expected()
        wanted = (
            "table (DataFrame)"
            if isinstance(expected, pd.DataFrame)
            else "Series (values with labels)"
        )
        if isinstance(answer, dict) and isinstance(expected, pd.Series):
            if any(
                isinstance(v, (list, tuple, dict, set, pd.Series, pd.DataFrame, np.ndarray))
                for v in answer.values()
            ):
                raise Invalid(
                    "This needs one value for each label; your dictionary holds lists or tables as values."
                )
            answer = pd.Series(answer, dtype="object" if not answer else None)
        if not isinstance(answer, (pd.Series, pd.DataFrame)):
            raise Invalid(f"This needs a pandas {wanted}, but you gave {kind_of(answer)}.")
        if isinstance(expected, pd.DataFrame) and isinstance(answer, pd.Series):
            raise Invalid(
                "This needs a DataFrame (a table with named columns); you gave a Series. "
                "Try .reset_index() or .to_frame()."
            )
        label = expected.index.name
        if (
            isinstance(answer, pd.DataFrame)
            and label is not None
            and label in answer.columns
            and label not in getattr(expected, "columns", [])
        ):
            answer = answer.set_index(label)
        if isinstance(expected, pd.Series) and isinstance(answer, pd.DataFrame):
            return self._one_column(answer, expected)
        if isinstance(expected, pd.DataFrame):
            missing = [c for c in expected.columns if c not in answer.columns]
            if missing:
                raise Invalid(
                    f"Your table has columns {show(list(answer.columns))}; it needs {list(expected.columns)}."
                )
            return answer[list(expected.columns)]
        return answer

    @staticmethod
    def _one_column(answer: pd.DataFrame, expected: pd.Series) -> pd.Series:
        if answer.shape[1] == 1:
            return answer.iloc[:, 0]
        if expected.name in answer.columns:
            return answer[expected.name]
        numeric = [c for c in answer.columns if pd.api.types.is_numeric_dtype(answer[c])]
        if len(numeric) == 1:
            return answer[numeric[0]]
        raise Invalid(
            "This needs a Series (one column of values with labels); you gave a table "
            f"with columns {show(list(answer.columns))}. Pick the column, e.g. table['column']."
        )

    def judge(self, answer):
        value = self.coerce(answer)
        expected = self.expected()
        frames = _as_frames(value, expected)
        for (_, mine), (_, theirs) in zip(*frames):
            if pd.api.types.is_numeric_dtype(theirs) and not pd.api.types.is_numeric_dtype(mine):
                odd = [
                    x for x in mine if not (isinstance(x, (numbers.Real, np.number)) or pd.isna(x))
                ]
                if odd:
                    raise Invalid(
                        f"Your values should be numbers, but one is {kind_of(odd[0])}. "
                        "Count with .size() or .value_counts(), or make texts numbers with .astype(int)."
                    )
        gaps = int(
            sum(mine.isna().sum() for _, mine in frames[0])
            - sum(theirs.isna().sum() for _, theirs in frames[1])
        )
        if len(value) != len(expected):
            return (
                "wrong",
                f"Yours has {plural(len(value), 'row')}; the answer has {len(expected)}.",
            )
        if not self.matches(value, expected):
            return "wrong", (
                f"{plural(gaps, 'value')} of yours {'is' if gaps == 1 else 'are'} missing (NaN)."
                if gaps > 0
                else ""
            )
        return "correct", ""

    def matches(self, value, expected):
        try:
            return self._same(value, expected)
        except (
            TypeError,
            ValueError,
        ):  # labels or values that cannot be compared are not the answer
            return False

    def _same(self, value, expected):
        if len(value) != len(expected):
            return False
        left = value.sort_index()
        right = expected.sort_index()
        if not left.index.equals(right.index):
            return False
        for (_, a), (_, b) in zip(*_as_frames(left, right)):
            if not a.isna().reset_index(drop=True).equals(b.isna().reset_index(drop=True)):
                return False
            a, b = a[b.notna().to_numpy()], b[b.notna()]
            if pd.api.types.is_numeric_dtype(a) and pd.api.types.is_numeric_dtype(b):
                gap = np.abs(a.astype("float64").to_numpy() - b.astype("float64").to_numpy())
                if (gap > self.tolerance).any():
                    return False
            elif (
                not a.astype("string")
                .reset_index(drop=True)
                .equals(b.astype("string").reset_index(drop=True))
            ):
                return False
        return True

    def reveal(self) -> str:
        return self.expected().to_string()


def _as_frames(value, expected):
    """Both sides as lists of columns (a Series is one column)."""

    def columns(x):
        return list(x.to_frame().items()) if isinstance(x, pd.Series) else list(x.items())

    return columns(value), columns(expected)
