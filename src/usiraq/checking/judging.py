"""``check(exercise_id, answer)``: judge a student's answer and say how it stands.

A check never raises into a student's face, whatever it is given, and never
runs student text as code.  It answers with one of five verdicts:

- ``unanswered``: the placeholder ``None`` is still there (or no answer at all);
- ``correct``: a short confirmation and why it matters;
- ``wrong``: a hint on method; from the second wrong try, a stronger hint;
- ``invalid``: the answer has the wrong type or shape (text for a number,
  a list for a table, NaN, a negative count...), with what to change;
  an invalid answer uses up no hint;
- ``error``: the checker itself failed or the exercise id is unknown.

The wrong tries of each task are counted here, for ``check`` and for
``check_chart`` alike.  If the environment variable ``USIRAQ_CHECK_LOG`` names
a file, each verdict is appended to it as a JSON line; the test suite uses
this to prove that every check in the solution notebooks reports ``correct``.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from typing import Any

from . import registry
from .kinds import Exercise, Number
from .verdict import Verdict
from .words import MISSING, Invalid, NoAnswer, kind_of, show

LOG_VAR = "USIRAQ_CHECK_LOG"
_wrong_tries: Counter = Counter()


def check(exercise_id: str, answer: Any = MISSING, rows: Any = MISSING) -> Verdict:
    """Judge an answer and return a verdict that the notebook shows.  Never raises.

    ``rows`` is asked for only by the exercises whose number cannot show the
    filter they teach (their message says so).
    """
    try:
        return log(_judge(exercise_id, answer, rows))
    except Exception as err:  # the checker must never show a traceback to a student
        return Verdict(
            id_text(exercise_id),
            "error",
            f"the checker could not judge this answer "
            f"({type(err).__name__}). Your answer may be fine; ask your teacher to look at it.",
        )


def id_text(exercise_id: Any) -> str:
    """The id as a verdict shows it: as given if it is a short text, else the value cut short."""
    return (
        exercise_id
        if isinstance(exercise_id, str) and len(exercise_id) <= 12
        else show(exercise_id)
    )


def _judge(exercise_id: Any, answer: Any, rows: Any) -> Verdict:
    if not isinstance(exercise_id, str):
        return Verdict(
            id_text(exercise_id),
            "error",
            "the exercise id is a text in quotes, like "
            f"check('01.1', answer); you gave {kind_of(exercise_id)}.",
        )
    try:
        ex = registry.exercise(exercise_id)
    except KeyError:
        return Verdict(
            id_text(exercise_id),
            "error",
            "there is no exercise with this id. Check the id in the check(...) call.",
        )
    if answer is None or isinstance(answer, NoAnswer):
        how = (
            f" Give it after the id: check('{ex.id}', answer)."
            if isinstance(answer, NoAnswer)
            else " Replace None with your answer and run the cell again."
        )
        return Verdict(ex.id, "unanswered", "not answered yet." + how)
    try:
        status, extra = ex.judge(answer)
        if status == "correct" and getattr(ex, "rows", None) is not None:
            status, extra = ex.rows.judge(ex.id, rows)
    except Invalid as err:
        return Verdict(ex.id, "invalid", str(err))
    except Exception as err:  # the checker must never show a traceback to a student
        return Verdict(
            ex.id,
            "error",
            f"the checker could not judge this answer ({type(err).__name__}). "
            "Your answer may be fine; ask your teacher to look at it.",
        )
    message, level = _message(ex, status, extra)
    return Verdict(ex.id, status, message, level)


def _message(ex: Exercise, status: str, extra: str) -> tuple[str, int]:
    """The verdict's text and its hint level (0 none, 1 first hint, 2 stronger hint)."""
    tolerance = f" {ex.tolerance_text()}" if isinstance(ex, Number) else ""
    if status == "correct":
        forget_tries(("check", ex.id))
        within = tolerance if isinstance(ex, Number) and ex.tolerance else ""
        return f"Correct{within}. {ex.success}", 0
    level = next_hint_level(("check", ex.id))
    hint = ex.hints[level - 1]
    label = "Hint" if level == 1 else "Stronger hint"
    lead = f"Not yet{tolerance}. " + (f"{extra} " if extra else "")
    return f"{lead}{label}: {hint}", level


def log(verdict: Verdict) -> Verdict:
    """Append the verdict to the file named by USIRAQ_CHECK_LOG, if any (the tests read it)."""
    path = os.environ.get(LOG_VAR)
    if path:
        try:
            with open(path, "a", encoding="utf-8") as log:
                log.write(json.dumps({"id": verdict.exercise_id, "status": verdict.status}) + "\n")
        except OSError:  # a log that cannot be written must not stop the student
            pass
    return verdict


def next_hint_level(key) -> int:
    """Count one more wrong try of a task and return its hint level: 1 the first time, then 2."""
    _wrong_tries[key] += 1
    return 1 if _wrong_tries[key] == 1 else 2


def forget_tries(key) -> None:
    """Start a task's hint ladder again (after a right answer)."""
    _wrong_tries[key] = 0


def reset_tries() -> None:
    """Forget every count of wrong tries (used by tests and by 'start again')."""
    _wrong_tries.clear()
