"""Feedback on exercises: ``check("01.3", answer)`` says how an answer stands.

Every exercise is declared once, in ``usiraq.answers``, with the way its
expected answer is computed from ``data/`` (never typed by hand where it can be
computed), the tolerance for numbers, two hints (a gentle one, then a stronger
one) and a line on why the result matters.

A check never raises into a student's face, whatever it is given, and never
runs student text as code.  It answers with one of five verdicts:

- ``unanswered``: the placeholder ``None`` is still there (or no answer at all);
- ``correct``: a short confirmation and why it matters;
- ``wrong``: a hint on method; from the second wrong try, a stronger hint;
- ``invalid``: the answer has the wrong type or shape (text for a number,
  a list for a table, NaN, a negative count...), with what to change;
  an invalid answer uses up no hint;
- ``error``: the checker itself failed or the exercise id is unknown.

Equivalent forms of a right answer are accepted where they carry the same
value (a one-element list for a number, a numpy date for a date, a
``reset_index()`` table); forms that would hide a mistake get an ``invalid``
message that says what to write instead.  Values a student gave are echoed
cut to ``ECHO_LIMIT`` characters, and named in plain words by ``kind_of``.

If the environment variable ``USIRAQ_CHECK_LOG`` names a file, each verdict is
appended to it as a JSON line; the test suite uses this to prove that every
check in the solution notebooks reports ``correct``.
"""
from __future__ import annotations

import datetime as dt
import decimal
import html
import json
import math
import numbers
import os
import re
import types
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
import pandas as pd

LOG_VAR = "USIRAQ_CHECK_LOG"
ECHO_LIMIT = 60
ICONS = {"unanswered": "✍️", "correct": "✅", "wrong": "❌", "invalid": "⚠️", "error": "⛔"}
# Text and background of the verdict box.  The box brings its own background, so the contrast
# (at least 4.5:1, WCAG AA) is the same on JupyterLab's light and dark themes.
COLOURS = {"unanswered": ("#333333", "#F2F2F2"), "correct": ("#00572F", "#E6F4EA"),
           "wrong": ("#9B001B", "#FDECEE"), "invalid": ("#6B4500", "#FFF4DC"), "error": ("#9B001B", "#FDECEE")}


class _Missing:
    """The default of ``check``'s answer: the call gave no answer at all."""

    def __repr__(self) -> str:
        return "no answer"


MISSING = _Missing()


@dataclass
class Verdict:
    """The outcome of one check, shown as a coloured line in a notebook.

    ``hint_level`` tells a class grader how much help was shown: 0 none,
    1 the first hint, 2 the stronger hint.
    """

    exercise_id: str
    status: str
    message: str
    hint_level: int = 0

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
        return box(html.escape(self.text), self.status)


def box(inner_html: str, status: str) -> str:
    """A verdict line: its own colours, and a live region so screen readers announce it."""
    colour, background = COLOURS[status]
    return (f'<div role="status" aria-live="polite" aria-atomic="true" style="color:{colour};'
            f'background-color:{background};border-left:4px solid {colour};font-size:1.05em;'
            f'padding:4px 8px;margin:2px 0">{inner_html}</div>')


class Invalid(Exception):
    """The answer has the wrong type or shape; the message says what was expected."""


# --- naming a student's value in plain words ---------------------------------------------------

def show(value: Any) -> str:
    """A student's value as it would be typed, cut to ECHO_LIMIT characters (a 10 MB text stays short)."""
    if isinstance(value, str) and len(value) > ECHO_LIMIT:
        value = value[:ECHO_LIMIT]
    try:
        text = repr(value)
    except Exception:  # a broken __repr__ must not break the check
        text = kind_of(value)
    return cut(text)


def cut(text: str) -> str:
    """Text cut to ECHO_LIMIT characters, with an ellipsis where it was cut."""
    return text if len(text) <= ECHO_LIMIT else text[:ECHO_LIMIT - 1] + "…"


def plural(count: int, noun: str) -> str:
    """'1 item', '2 items'."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _is_nat(value: Any) -> bool:
    return value is pd.NaT or (isinstance(value, (np.datetime64, np.timedelta64)) and np.isnat(value))


def kind_of(value: Any) -> str:
    """What a value is, in the words a student knows (never NAType, ndarray or Index)."""
    if value is None:
        return "nothing (None)"
    if isinstance(value, _Missing):
        return "no answer"
    if _is_nat(value):
        return "a missing date (NaT)"
    if value is pd.NA:
        return "a missing value (pd.NA)"
    if isinstance(value, (bool, np.bool_)):
        return "True or False"
    if isinstance(value, str):
        return "a text"
    if isinstance(value, (pd.Timedelta, dt.timedelta, np.timedelta64)):
        return "a time difference"
    if isinstance(value, (pd.Timestamp, dt.date, np.datetime64)):
        return "a date"
    if isinstance(value, pd.Period):
        return "a period (a month or a year)"
    if isinstance(value, (numbers.Number, np.number)):
        if isinstance(value, (complex, np.complexfloating)):
            return "a complex number"
        try:
            number = float(value)
        except (ValueError, TypeError, OverflowError):  # Decimal('sNaN'), a huge Fraction
            return "a number"
        return "a missing number (NaN)" if math.isnan(number) else "an infinite number" if math.isinf(number) \
            else "a number"
    if isinstance(value, pd.DataFrame):
        return "a table (DataFrame)"
    if isinstance(value, pd.Series):
        return "a Series (a column of values with labels)"
    if isinstance(value, pd.Index):
        return "a list of row labels"
    if isinstance(value, np.ndarray):
        return "an array of values"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, tuple):
        return "a tuple (values in round brackets)"
    if isinstance(value, dict):
        return "a dictionary"
    if isinstance(value, (set, frozenset)):
        return "a set (values in curly brackets)"
    if isinstance(value, (bytes, bytearray)):
        return "bytes"
    if isinstance(value, type):
        return "a type, not a value"
    if isinstance(value, types.ModuleType):
        return "a module"
    if callable(value):
        return "a function: did you forget the brackets, as in .max()?"
    return "a value of another kind"


def _values(count: int) -> str:
    return plural(count, "value")


def _single(answer: Any, wanted: str) -> Any:
    """Unwrap a one-element list, tuple, array or Series; refuse several values."""
    for _ in range(3):
        if isinstance(answer, (pd.Series, pd.DataFrame, pd.Index, np.ndarray)):
            size = answer.size
            if size == 1:
                answer = answer.to_numpy().reshape(-1)[0] if not isinstance(answer, np.ndarray) \
                    else answer.reshape(-1)[0]
                continue
            if size and isinstance(answer, (pd.Series, pd.DataFrame)) and bool(answer.isna().to_numpy().all()):
                raise Invalid(f"This needs {wanted}, but you gave {kind_of(answer)} with {_values(size)}, all "
                              "empty (NaN or NaT). Arithmetic between two tables or columns lines their rows up "
                              "by index label, and rows with different labels give empty results: take the one "
                              "value out of each first, e.g. with .iloc[0], then compute.")
            raise Invalid(f"This needs {wanted}, but you gave {kind_of(answer)} with {_values(size)}. "
                          "Pick the one value, e.g. with .iloc[0], .max() or .sum().")
        if isinstance(answer, (list, tuple)):
            if len(answer) == 1:
                answer = answer[0]
                continue
            comma = ""
            if isinstance(answer, tuple) and len(answer) >= 2 and all(type(x) is int for x in answer) \
                    and all(0 <= x <= 999 for x in answer[1:]):   # 12,500 typed in code is the tuple (12, 500)
                typed = ",".join([str(answer[0])] + [f"{x:03d}" for x in answer[1:]])
                comma = (f" If you typed a number with commas, like {cut(typed)}, write it without them: "
                         f"{cut(typed.replace(',', ''))}.")
            raise Invalid(f"This needs {wanted}, but you gave {kind_of(answer)} of {_values(len(answer))}.{comma}")
        break
    return answer


def _number_in_text(text: str) -> Invalid:
    """What to say about a number given as text: write it without quotes (and without a comma)."""
    typed = text.strip()
    if re.fullmatch(r"[-+]?\d{1,3}(,\d{3})+(\.\d+)?", typed):
        return Invalid(f"You gave the text {show(text)}. Write the number without quotes and without the comma: "
                       f"{cut(typed.replace(',', ''))}.")
    if re.fullmatch(r"[-+]?\d+,\d+", typed):
        return Invalid(f"You gave the text {show(text)}. Write the number without quotes, with a point for "
                       f"decimals: {cut(typed.replace(',', '.'))}.")
    try:
        finite = math.isfinite(float(typed))
    except ValueError:
        finite = False
    if not finite:
        return Invalid(f"This needs a number, but you gave the text {show(text)}.")
    return Invalid(f"You gave the text {show(text)}. Write the number without quotes: {cut(typed)}.")


def number_from_text(text: str) -> Any:
    """A number typed in a widget box ('171,000', ' 2500 ', '1.5'); None if empty; the text if unreadable."""
    typed = text.strip().replace(" ", "")
    if not typed:
        return None
    if re.fullmatch(r"[-+]?\d{1,3}(,\d{3})+(\.\d+)?", typed):
        typed = typed.replace(",", "")
    try:
        number = float(typed)
    except ValueError:
        return text
    return number if math.isfinite(number) else text


# --- exercises ----------------------------------------------------------------------------------

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


@dataclass
class Rows:
    """The rows a number must come from, for exercises whose number comes out the same without the filter.

    A student's rows pass when they include every row of ``needed()`` and no row outside
    ``allowed()``; rows are told apart by their ``row_id`` column, or else by their index.
    """

    needed: Callable[[], pd.DataFrame]
    allowed: Callable[[], pd.DataFrame]
    name: str          # the variable the task builds, used in the message: rows=public
    filter_text: str   # what the filter keeps, e.g. "only the figures from public documents"
    outside_text: str  # what a row outside the filter is, e.g. "from sources that are not public documents"

    def judge(self, exercise_id: str, rows: Any) -> tuple[str, str]:
        if rows is None:
            raise Invalid(f"The number is right; now set {self.name} to the rows you kept ({self.filter_text}), "
                          "so the check can see the filter: the same number comes out without it.")
        if isinstance(rows, _Missing):
            raise Invalid(f"The number is right, but the same number comes out without keeping "
                          f"{self.filter_text}, so the check needs your rows too: "
                          f"check('{exercise_id}', answer, rows={self.name}).")
        if not isinstance(rows, pd.DataFrame):
            raise Invalid(f"rows= needs the table (DataFrame) of the rows you kept, like {self.name}; "
                          f"you gave {kind_of(rows)}.")
        allowed, needed = self.allowed(), self.needed()
        if "row_id" in rows.columns:
            given, known, must = set(rows["row_id"]), set(allowed["row_id"]), set(needed["row_id"])
        elif isinstance(rows.index, pd.RangeIndex) and not rows.index.equals(allowed.index):
            raise Invalid("The check tells rows apart by their row_id column or their original index: "
                          "keep one of them in the rows you give (no .reset_index(drop=True)).")
        else:
            given, known, must = set(rows.index), set(allowed.index), set(needed.index)
        if not given:
            return "wrong", f"Your rows are an empty table: the filter kept nothing. Keep {self.filter_text}."
        outside, missing = len(given - known), len(must - given)
        if outside:
            return "wrong", f"{plural(outside, 'row')} of yours {'is' if outside == 1 else 'are'} {self.outside_text}."
        if missing:
            return "wrong", f"Your rows leave out {plural(missing, 'row')} the task needs."
        return "correct", ""


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


@dataclass
class Number(Exercise):
    """A single number, compared within a stated tolerance.

    ``rows`` (optional) also asks for the rows the number comes from, where the
    number alone cannot show the filter the exercise teaches.
    """

    tolerance: float = 0.0
    unit: str = ""
    minimum: float | None = None
    rows: Rows | None = None

    def coerce(self, answer):
        value = _single(answer, "a single number")
        if isinstance(value, str):
            raise _number_in_text(value)
        if _is_nat(value):
            raise Invalid("Your answer is a missing date (NaT), not a number: a date could not be read or a "
                          "selection was empty. Check the rows you selected.")
        if isinstance(value, (pd.Timedelta, dt.timedelta, np.timedelta64)):
            raise Invalid("This needs a number of days, but you gave a time difference. Use its .days.")
        if value is pd.NA:
            raise Invalid("Your answer is a missing value (pd.NA): a selection was empty or a cell is blank. "
                          "Check the rows you selected, e.g. with .isna().")
        if isinstance(value, np.generic) and not isinstance(value, (np.bool_, np.datetime64)):
            value = value.item()
        if isinstance(value, decimal.Decimal):
            value = float(value) if value.is_finite() or value.is_infinite() else math.nan
        if isinstance(value, (bool, np.bool_)) or not _is_number(value):
            raise Invalid(f"This needs a single number, but you gave {kind_of(value)}.")
        try:
            number = float(value)
        except OverflowError:   # a whole number too large for a float
            number = math.inf if value > 0 else -math.inf
        if math.isnan(number):
            raise Invalid("Your answer is NaN (not a number): a missing value crept into the calculation. "
                          "Check for empty cells, e.g. with .dropna() or .isna().")
        if math.isinf(number):
            raise Invalid("Your answer is infinite: a division by zero? Check what you divide by.")
        if self.minimum is not None and number < self.minimum:
            raise Invalid(f"This cannot be below {self.minimum:g}: what the exercise asks for is never negative. "
                          "Check the order of a subtraction (later minus earlier, larger minus smaller).")
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
    """One option out of several, answered by its letter or the option's full text.

    The letter may be written 'D', 'd', 'D.', 'D)', 'D:' or '(D)', and may be followed by the option's
    text (as the widget shows it: 'D. How many ...').
    """

    options: dict[str, str] = field(default_factory=dict)

    def coerce(self, answer):
        value = _single(answer, f"one letter in quotes, one of {self._letters()}")
        if not isinstance(value, str):
            raise Invalid(f"Answer with one letter in quotes, one of {self._letters()}, e.g. 'A'; "
                          f"you gave {kind_of(value)}.")
        typed = _normal(value)
        by_text = {_normal(text): letter for letter, text in self.options.items()}
        if typed in by_text:
            return by_text[typed]
        found = re.fullmatch(r"(?:\(([a-z])\)|([a-z])[.):]?)(?:\s+(.*))?", typed, re.S)
        if found:
            letter, rest = (found.group(1) or found.group(2)).upper(), found.group(3)
            if letter in self.options and (rest is None or rest == _normal(self.options[letter])):
                return letter
        raise Invalid(f"{show(value)} is not one of the options {self._letters()}. Answer with the letter, e.g. 'A'.")

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
        value = _single(answer, f"a short text in quotes{self._example()}")
        if not isinstance(value, str):
            raise Invalid(f"This needs a short text in quotes{self._example()}, but you gave {kind_of(value)}.")
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
        value = _single(answer, "one date")
        if _is_nat(value):
            raise Invalid("Your answer is a missing date (NaT): a date could not be read, or the rows you "
                          "selected were empty. Check the selection.")
        if isinstance(value, np.datetime64):
            return pd.Timestamp(value).date()
        if isinstance(value, (pd.Timestamp, dt.datetime)):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, pd.Period):
            if value.freqstr == "D":
                return value.start_time.date()
            raise Invalid("You gave a period (a month or a year); this needs one day. A date known only to the "
                          "month goes on its first day: use the period's .start_time.")
        if isinstance(value, str):
            typed = value.strip()
            midnight = re.fullmatch(r"(\d{4}-\d{2}-\d{2})(?:[ T]00:00(?::00(?:\.0+)?)?)?", typed)
            try:
                return dt.date.fromisoformat(midnight.group(1)) if midnight else dt.date.fromisoformat(typed)
            except ValueError:
                raise Invalid(f"{show(value)} is not a date in the form 'YYYY-MM-DD' (year, month, day).") from None
        raise Invalid(f"This needs a date, as text in the form 'YYYY-MM-DD' or a pandas Timestamp, but you gave {kind_of(value)}.")

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
                raise Invalid("A set (curly brackets) has no order, and this answer needs one: "
                              "give a list in square brackets, like ['a', 'b'].")
            answer = sorted(answer, key=str)
        if isinstance(answer, np.ndarray) and answer.ndim != 1:
            raise Invalid(f"This needs a flat list of texts, but you gave a table of values ({answer.ndim} dimensions).")
        if isinstance(answer, (pd.Series, pd.Index, np.ndarray)):
            answer = list(answer)
        if isinstance(answer, str):
            raise Invalid(f"This needs a list in square brackets, like ['a', 'b'], but you gave a text. "
                          f"Even one item goes in a list: [{show(answer)}].")
        if not isinstance(answer, (list, tuple)):
            raise Invalid(f"This needs a list in square brackets, like ['a', 'b'], but you gave {kind_of(answer)}.")
        if not answer:
            raise Invalid("Your list is empty: put the items in it, like ['a', 'b'].")
        for place, item in enumerate(answer, start=1):
            if not isinstance(item, str):
                form = f" Write each item as {self.item_format}." if self.item_format else ""
                raise Invalid(f"Every item of the list should be a text in quotes; item {place} is "
                              f"{kind_of(item)}.{form}")
            if self.item_pattern and not re.fullmatch(self.item_pattern, item.strip()):
                raise Invalid(f"Write each item as {self.item_format}; {show(item)} is not in that form.")
        items = [_normal(x) for x in answer]
        twice = [item for item, count in Counter(items).items() if count > 1]
        if twice:
            raise Invalid(f"{show(twice[0])} is in your list twice; each item goes in once.")
        return items

    def judge(self, answer):
        value = self.coerce(answer)
        expected = [_normal(x) for x in self.expected()]
        if len(value) != len(expected):
            return "wrong", f"Your list has {plural(len(value), 'item')}; the answer has {len(expected)}."
        if Counter(value) != Counter(expected):
            # compared as written, in the form coerce() gives (a set comes sorted, so the student's order is gone)
            strays = [item for item in value if item not in expected]
            if not strays:
                return "wrong", "Some items in your list are not in the answer."
            return "wrong", (f"{plural(len(strays), 'item')} of your list {'is' if len(strays) == 1 else 'are'} "
                             f"not in the answer, for example {show(strays[0])}"
                             + ("." if self.item_pattern else ": check its spelling against the labels shown."))
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
    are compared within ``tolerance``; a missing value (NaN, pd.NA) never
    stands for a value.  A ``reset_index()`` table, extra columns and a
    dictionary of label: value are accepted as the same answer.
    """

    tolerance: float = 0.0

    def coerce(self, answer):
        expected = self.expected()
        wanted = "table (DataFrame)" if isinstance(expected, pd.DataFrame) else "Series (values with labels)"
        if isinstance(answer, dict) and isinstance(expected, pd.Series):
            if any(isinstance(v, (list, tuple, dict, set, pd.Series, pd.DataFrame, np.ndarray)) for v in answer.values()):
                raise Invalid("This needs one value for each label; your dictionary holds lists or tables as values.")
            answer = pd.Series(answer, dtype="object" if not answer else None)
        if not isinstance(answer, (pd.Series, pd.DataFrame)):
            raise Invalid(f"This needs a pandas {wanted}, but you gave {kind_of(answer)}.")
        if isinstance(expected, pd.DataFrame) and isinstance(answer, pd.Series):
            raise Invalid("This needs a DataFrame (a table with named columns); you gave a Series. "
                          "Try .reset_index() or .to_frame().")
        label = expected.index.name
        if isinstance(answer, pd.DataFrame) and label is not None and label in answer.columns \
                and label not in getattr(expected, "columns", []):
            answer = answer.set_index(label)
        if isinstance(expected, pd.Series) and isinstance(answer, pd.DataFrame):
            return self._one_column(answer, expected)
        if isinstance(expected, pd.DataFrame):
            missing = [c for c in expected.columns if c not in answer.columns]
            if missing:
                raise Invalid(f"Your table has columns {show(list(answer.columns))}; it needs {list(expected.columns)}.")
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
        raise Invalid("This needs a Series (one column of values with labels); you gave a table "
                      f"with columns {show(list(answer.columns))}. Pick the column, e.g. table['column'].")

    def judge(self, answer):
        value = self.coerce(answer)
        expected = self.expected()
        frames = _as_frames(value, expected)
        for (_, mine), (_, theirs) in zip(*frames):
            if pd.api.types.is_numeric_dtype(theirs) and not pd.api.types.is_numeric_dtype(mine):
                odd = [x for x in mine if not (isinstance(x, (numbers.Real, np.number)) or pd.isna(x))]
                if odd:
                    raise Invalid(f"Your values should be numbers, but one is {kind_of(odd[0])}. "
                                  "Count with .size() or .value_counts(), or make texts numbers with .astype(int).")
        gaps = int(sum(mine.isna().sum() for _, mine in frames[0]) - sum(theirs.isna().sum() for _, theirs in frames[1]))
        if len(value) != len(expected):
            return "wrong", f"Yours has {plural(len(value), 'row')}; the answer has {len(expected)}."
        if not self.matches(value, expected):
            return "wrong", (f"{plural(gaps, 'value')} of yours {'is' if gaps == 1 else 'are'} missing (NaN)."
                             if gaps > 0 else "")
        return "correct", ""

    def matches(self, value, expected):
        try:
            return self._same(value, expected)
        except (TypeError, ValueError):  # labels or values that cannot be compared are not the answer
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
            elif not a.astype("string").reset_index(drop=True).equals(b.astype("string").reset_index(drop=True)):
                return False
        return True

    def reveal(self) -> str:
        return self.expected().to_string()


def _as_frames(value, expected):
    """Both sides as lists of columns (a Series is one column)."""
    def columns(x):
        return list(x.to_frame().items()) if isinstance(x, pd.Series) else list(x.items())
    return columns(value), columns(expected)


REGISTRY: dict[str, Exercise] = {}
_wrong_tries: Counter = Counter()


def declare(registry: dict, items, what: str) -> None:
    """Add items to a registry by their id; declaring one id twice (with another item) is an error.

    The exercises here, the chart tasks and the written tasks are all declared
    this way, so a copy-pasted declaration fails at import, not in class.
    """
    for item in items:
        if item.id in registry and registry[item.id] is not item and registry[item.id] != item:
            raise ValueError(f"{what} {item.id} is declared twice.")
        registry[item.id] = item


def register(*exercises: Exercise) -> None:
    """Add exercises to the registry; an id may be declared only once."""
    declare(REGISTRY, exercises, "Exercise id")


def exercise(exercise_id: str) -> Exercise:
    """The declared exercise with this id (KeyError if there is none)."""
    from . import answers  # noqa: F401  (declares every exercise on first use)

    if not isinstance(exercise_id, str):
        raise KeyError(exercise_id)
    return REGISTRY[exercise_id]


def check(exercise_id: str, answer: Any = MISSING, rows: Any = MISSING) -> Verdict:
    """Judge an answer and return a verdict that the notebook shows.  Never raises.

    ``rows`` is asked for only by the exercises whose number cannot show the
    filter they teach (their message says so).
    """
    try:
        return _log(_judge(exercise_id, answer, rows))
    except Exception as err:  # the checker must never show a traceback to a student
        return Verdict(_id_text(exercise_id), "error", f"the checker could not judge this answer "
                       f"({type(err).__name__}). Your answer may be fine; ask your teacher to look at it.")


def _id_text(exercise_id: Any) -> str:
    return exercise_id if isinstance(exercise_id, str) and len(exercise_id) <= 12 else show(exercise_id)


def _judge(exercise_id: Any, answer: Any, rows: Any) -> Verdict:
    if not isinstance(exercise_id, str):
        return Verdict(_id_text(exercise_id), "error", "the exercise id is a text in quotes, like "
                       f"check('01.1', answer); you gave {kind_of(exercise_id)}.")
    try:
        ex = exercise(exercise_id)
    except KeyError:
        return Verdict(_id_text(exercise_id), "error",
                       "there is no exercise with this id. Check the id in the check(...) call.")
    if answer is None or isinstance(answer, _Missing):
        how = f" Give it after the id: check('{ex.id}', answer)." if isinstance(answer, _Missing) else \
            " Replace None with your answer and run the cell again."
        return Verdict(ex.id, "unanswered", "not answered yet." + how)
    try:
        status, extra = ex.judge(answer)
        if status == "correct" and getattr(ex, "rows", None) is not None:
            status, extra = ex.rows.judge(ex.id, rows)
    except Invalid as err:
        return Verdict(ex.id, "invalid", str(err))
    except Exception as err:  # the checker must never show a traceback to a student
        return Verdict(ex.id, "error", f"the checker could not judge this answer ({type(err).__name__}). "
                                       "Your answer may be fine; ask your teacher to look at it.")
    message, level = _message(ex, status, extra)
    return Verdict(ex.id, status, message, level)


def _message(ex: Exercise, status: str, extra: str) -> tuple[str, int]:
    """The verdict's text and its hint level (0 none, 1 first hint, 2 stronger hint)."""
    tolerance = f" {ex.tolerance_text()}" if isinstance(ex, Number) else ""
    if status == "correct":
        _wrong_tries[ex.id] = 0
        within = tolerance if isinstance(ex, Number) and ex.tolerance else ""
        return f"Correct{within}. {ex.success}", 0
    _wrong_tries[ex.id] += 1
    level = 1 if _wrong_tries[ex.id] == 1 else 2
    hint = ex.hints[level - 1]
    label = "Hint" if level == 1 else "Stronger hint"
    lead = f"Not yet{tolerance}. " + (f"{extra} " if extra else "")
    return f"{lead}{label}: {hint}", level


def _log(verdict: Verdict) -> Verdict:
    path = os.environ.get(LOG_VAR)
    if path:
        try:
            with open(path, "a", encoding="utf-8") as log:
                log.write(json.dumps({"id": verdict.exercise_id, "status": verdict.status}) + "\n")
        except OSError:  # a log that cannot be written must not stop the student
            pass
    return verdict


def reset_tries() -> None:
    """Forget the count of wrong tries (used by tests and by 'start again')."""
    _wrong_tries.clear()
