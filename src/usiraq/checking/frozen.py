"""Declarations frozen: what a check needs, as values, without the code that computes them.

The teacher's copy computes each expected answer from ``data/`` when a check
runs (``usiraq.checking.declarations``).  The student edition carries instead
what ``freeze`` makes of each exercise and chart task: the same object, with
every computed part (the expected answer, the answers of the declared
mistakes, the rows a method check accepts, a chart's data) replaced by a
``Constant`` holding its value.  ``make release`` pickles them into the
edition's ``declarations`` package; the functions that compute the answers,
the written tasks' rubrics and the worked solutions stay with the teacher.

What a determined student can still read there is what a check must know to
answer in their own kernel: the expected values, the hints and the success
lines.  That is why the checked exercises count for practice, and the grader
re-judges every answer with the teacher's copy.
"""

from __future__ import annotations

import copy
import pickle
from dataclasses import fields, is_dataclass, replace
from typing import Any

FILE = "frozen.pickle"


class Constant:
    """A callable that gives back (a copy of) one value: a computed part, frozen."""

    def __init__(self, value: Any):
        self.value = value

    def __call__(self) -> Any:
        return copy.deepcopy(self.value)

    def __repr__(self) -> str:
        return f"Constant({type(self.value).__name__})"


def freeze(item: Any) -> Any:
    """A copy of a declared exercise or chart task whose computed parts are constants."""
    changes = {}
    names = {f.name for f in fields(item)} if is_dataclass(item) else set()
    if "expected" in names:
        changes["expected"] = Constant(item.expected())
    if getattr(item, "mistakes", ()):
        changes["mistakes"] = tuple(replace(m, answer=Constant(m.answer())) for m in item.mistakes)
    if getattr(item, "rows", None) is not None:
        changes["rows"] = item.rows.freeze(Constant)
    return replace(item, **changes)


def dumps(items: list) -> bytes:
    """The frozen items, as the student edition stores them."""
    return pickle.dumps([freeze(item) for item in items], protocol=pickle.HIGHEST_PROTOCOL)


def loads(blob: bytes) -> list:
    return pickle.loads(blob)
