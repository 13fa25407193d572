"""Checks shaped by one topic: a list of bases named any way, and a join checked row by row.

They hold no answer: what they compare against is computed by the declarations
(or frozen into the student edition), as for every other kind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import pandas as pd

from .. import bases, data
from .kinds import Sequence
from .words import Invalid, NoAnswer, kind_of, show


@dataclass
class BaseOrder(Sequence):
    """A list of bases in order, each written with any name the notebook shows for it.

    'al-Qaim', 'Al-Qaim base' and 'al-qaim' are one base (full name, short name,
    base_id, spelling), so the check compares base_ids. A name that is no base's
    is named in the message, so the student fixes the name instead of doubting
    the order.
    """

    def coerce(self, answer):
        typed = super().coerce(answer)  # a list of texts, each in once
        owner = bases.owners()
        ids = []
        for original, item in zip(list(answer), typed):
            base_id = owner.get(bases.normalise(item))
            if base_id is None:
                raise Invalid(
                    f"{show(original)} is not a name of a base in data.bases(). Write each base as "
                    "the notebook does: its name, its short name (bases.SHORT_NAMES) or its base_id."
                )
            if base_id in ids:
                raise Invalid(
                    f"{show(original)} names a base that is already in your list; each base goes in once."
                )
            ids.append(base_id)
        return ids

    def matches(self, value, expected):
        owner = bases.owners()
        return value == [owner[bases.normalise(name)] for name in expected]

    def partial(self, answer):
        """Part of the points for the right bases with some of them in place."""
        given = self.coerce(answer)
        owner = bases.owners()
        expected = [owner[bases.normalise(name)] for name in self.expected()]
        if sorted(given) != sorted(expected):
            return 0.0, ""
        right = sum(a == b for a, b in zip(given, expected))
        return round(
            0.5 * right / len(expected), 2
        ), f"the right bases, {right} of {len(expected)} in place"

    def judge(self, answer):
        given = self.coerce(answer)
        owner = bases.owners()
        expected = [owner[bases.normalise(name)] for name in self.expected()]
        other = [base_id for base_id in given if base_id not in expected]
        if other:
            name = data.bases().set_index("base_id").loc[other[0], "name"]
            more = f" (and {len(other) - 1} more)" if len(other) > 1 else ""
            return "wrong", f"{name}{more} was not handed over in March-April 2020."
        if len(given) != len(expected):
            return "wrong", f"Your list has {len(given)} of the {len(expected)} bases handed over."
        if given != expected:
            right = sum(a == b for a, b in zip(given, expected))
            return (
                "wrong",
                f"The right bases, but only {right} of {len(expected)} are in the right place.",
            )
        return "correct", ""


@dataclass(frozen=True)
class JoinedRows:
    """A join the check looks at row by row, where the counts it leads to come out the same without it.

    ``wanted`` gives the rows a right join has: the ``key`` column (what was
    joined) and the ``found`` column (what the join found for it).
    """

    wanted: Callable[[], pd.DataFrame]
    key: str
    found: str
    name: str = "joined"

    def right(self) -> pd.DataFrame:
        """A joined table the check accepts."""
        return self.wanted()

    def freeze(self, constant) -> JoinedRows:
        return replace(self, wanted=constant(self.wanted()))

    def judge(self, exercise_id: str, rows) -> tuple[str, str]:
        how = f"check('{exercise_id}', answer, rows={self.name})"
        if rows is None or isinstance(rows, NoAnswer):
            raise Invalid(
                "The counts are right, but they come out the same without the join this exercise "
                f"teaches, so the check needs your joined table too: {how}, where {self.name} is "
                "your table after the merge."
            )
        if not isinstance(rows, pd.DataFrame) or not {self.key, self.found} <= set(rows.columns):
            raise Invalid(
                f"rows= needs your joined table (a DataFrame with the columns {self.key!r} and "
                f"{self.found!r}), like {self.name}; you gave {kind_of(rows)}."
            )
        wanted = self.wanted()
        if len(rows) != len(wanted):
            return "wrong", (
                f"Your joined table has {len(rows)} rows for the {len(wanted)} names: a join "
                "should keep one row per name (a lookup key that two rows share doubles a row)."
            )
        missing = int(rows[self.found].isna().sum())
        if missing:
            return "wrong", f"{missing} of the names found nothing in your join: clean both sides."
        mine = sorted(zip(rows[self.key].astype(str), rows[self.found].astype(str)))
        if mine != sorted(zip(wanted[self.key], wanted[self.found])):
            return "wrong", "Some names are joined to the wrong row: check the key you built."
        return "correct", ""
