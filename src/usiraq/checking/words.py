"""A student's value named in plain words, and answers refused for their type or shape.

A check echoes what a student gave (cut to ``ECHO_LIMIT`` characters, so a
10 MB text stays short) and names it in words a student knows (``kind_of``:
"a table", "a missing date"), never in Python's type names.  ``Invalid`` is
raised for an answer of the wrong type or shape, with what to write instead.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import re
import types
from typing import Any

import numpy as np
import pandas as pd

ECHO_LIMIT = 60


class NoAnswer:
    """The default of ``check``'s answer: the call gave no answer at all."""

    def __repr__(self) -> str:
        return "no answer"


MISSING = NoAnswer()


class Invalid(Exception):
    """The answer has the wrong type or shape; the message says what was expected."""


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
    return text if len(text) <= ECHO_LIMIT else text[: ECHO_LIMIT - 1] + "…"


def plural(count: int, noun: str) -> str:
    """'1 item', '2 items'."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def is_nat(value: Any) -> bool:
    return value is pd.NaT or (
        isinstance(value, (np.datetime64, np.timedelta64)) and np.isnat(value)
    )


def kind_of(value: Any) -> str:
    """What a value is, in the words a student knows (never NAType, ndarray or Index)."""
    if value is None:
        return "nothing (None)"
    if isinstance(value, NoAnswer):
        return "no answer"
    if is_nat(value):
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
        return (
            "a missing number (NaN)"
            if math.isnan(number)
            else "an infinite number"
            if math.isinf(number)
            else "a number"
        )
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


def values_text(count: int) -> str:
    return plural(count, "value")


def single(answer: Any, wanted: str) -> Any:
    """Unwrap a one-element list, tuple, array or Series; refuse several values."""
    for _ in range(3):
        if isinstance(answer, (pd.Series, pd.DataFrame, pd.Index, np.ndarray)):
            size = answer.size
            if size == 1:
                answer = (
                    answer.to_numpy().reshape(-1)[0]
                    if not isinstance(answer, np.ndarray)
                    else answer.reshape(-1)[0]
                )
                continue
            if (
                size
                and isinstance(answer, (pd.Series, pd.DataFrame))
                and bool(answer.isna().to_numpy().all())
            ):
                raise Invalid(
                    f"This needs {wanted}, but you gave {kind_of(answer)} with {values_text(size)}, all "
                    "empty (NaN or NaT). Arithmetic between two tables or columns lines their rows up "
                    "by index label, and rows with different labels give empty results: take the one "
                    "value out of each first, e.g. with .iloc[0], then compute."
                )
            raise Invalid(
                f"This needs {wanted}, but you gave {kind_of(answer)} with {values_text(size)}. "
                "Pick the one value, e.g. with .iloc[0], .max() or .sum()."
            )
        if isinstance(answer, (list, tuple)):
            if len(answer) == 1:
                answer = answer[0]
                continue
            comma = ""
            if (
                isinstance(answer, tuple)
                and len(answer) >= 2
                and all(type(x) is int for x in answer)
                and all(0 <= x <= 999 for x in answer[1:])
            ):  # 12,500 typed in code is the tuple (12, 500)
                typed = ",".join([str(answer[0])] + [f"{x:03d}" for x in answer[1:]])
                comma = (
                    f" If you typed a number with commas, like {cut(typed)}, write it without them: "
                    f"{cut(typed.replace(',', ''))}."
                )
            raise Invalid(
                f"This needs {wanted}, but you gave {kind_of(answer)} of {values_text(len(answer))}.{comma}"
            )
        break
    return answer


def number_in_text(text: str) -> Invalid:
    """What to say about a number given as text: write it without quotes (and without a comma)."""
    typed = text.strip()
    if re.fullmatch(r"[-+]?\d{1,3}(,\d{3})+(\.\d+)?", typed):
        return Invalid(
            f"You gave the text {show(text)}. Write the number without quotes and without the comma: "
            f"{cut(typed.replace(',', ''))}."
        )
    if re.fullmatch(r"[-+]?\d+,\d+", typed):
        return Invalid(
            f"You gave the text {show(text)}. Write the number without quotes, with a point for "
            f"decimals: {cut(typed.replace(',', '.'))}."
        )
    try:
        finite = math.isfinite(float(typed))
    except ValueError:
        finite = False
    if not finite:
        return Invalid(f"This needs a number, but you gave the text {show(text)}.")
    return Invalid(
        f"You gave the text {show(text)}. Write the number without quotes: {cut(typed)}."
    )


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
