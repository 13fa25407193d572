"""``check(exercise_id, answer)``: judge a student's answer and say how it stands.

A check never raises into a student's face, whatever it is given, and never
runs student text as code.  It answers with one of five verdicts:

- ``unanswered``: the placeholder ``None`` is still there (or no answer at all);
- ``correct``: a short confirmation and why it matters;
- ``wrong``: a hint from the ladder (``ladder``): the concept, then the tool,
  then code on the third try of the same mistake;
- ``invalid``: the answer has the wrong type or shape (text for a number,
  a list for a table, NaN, a negative count...), with what to change;
  an invalid answer uses up no hint;
- ``error``: the checker itself failed or the exercise id is unknown.

``check(..., show=True)`` shows the code hint at once, whatever the answer,
and the verdict says so (``hint_level`` 3, ``asked``), so a grader knows.
If the environment variable ``USIRAQ_CHECK_LOG`` names a file, each verdict
is appended to it as a JSON line; the test suite uses this to prove that
every check in the solution notebooks reports ``correct``.
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
from typing import Any

from . import ladder, registry
from .kinds import Exercise, Number
from .verdict import Verdict
from .words import MISSING, Invalid, NoAnswer, kind_of
from .words import show as show_value

LOG_VAR = "USIRAQ_CHECK_LOG"


def check(
    exercise_id: str, answer: Any = MISSING, rows: Any = MISSING, show: bool = False
) -> Verdict:
    """Judge an answer and return a verdict that the notebook shows.  Never raises.

    ``rows`` is asked for only by the exercises whose number cannot show the
    step they teach (their message says so).  ``show=True`` adds the code hint.
    """
    try:
        verdict = _judge(exercise_id, answer, rows)
        if show is True and verdict.status != "error":
            verdict = shown(verdict, registry.exercise(exercise_id).hints)
        return log(verdict)
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
        else show_value(exercise_id)
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
        credit, note = (0.0, "") if status == "correct" else ex.partial(answer)
        if status == "correct" and ex.rows is not None:
            status, extra = ex.rows.judge(ex.id, rows)
            if status != "correct":
                credit, note = (
                    ROWS_CREDIT,
                    "the answer is right, but not from the rows the task asks for",
                )
    except Invalid as err:
        return Verdict(ex.id, "invalid", str(err))
    except Exception as err:  # the checker must never show a traceback to a student
        return Verdict(
            ex.id,
            "error",
            f"the checker could not judge this answer ({type(err).__name__}). "
            "Your answer may be fine; ask your teacher to look at it.",
        )
    message, level, mistake = _message(ex, status, extra, answer)
    if status == "correct":
        return Verdict(ex.id, status, message, level, credit=1.0)
    if mistake is not None:  # a declared mistake shows a misunderstanding: no part of the points
        return Verdict(ex.id, status, message, level, diagnosis=mistake.name)
    return Verdict(ex.id, status, message, level, credit=credit, credit_note=note)


ROWS_CREDIT = 0.5  # the right answer from the wrong rows: half the points


def _message(ex: Exercise, status: str, extra: str, answer: Any):
    """The verdict's text, its rung on the hint ladder (0 for a right answer) and its mistake, if declared."""
    tolerance = f" {ex.tolerance_text()}" if isinstance(ex, Number) else ""
    if status == "correct":
        ladder.forget(("check", ex.id))
        within = tolerance if isinstance(ex, Number) and ex.tolerance else ""
        return f"Correct{within}. {ex.success}", 0, None
    mistake = _diagnosis(ex, answer) if status == "wrong" else None
    if (
        mistake is not None
    ):  # the diagnosis says more than the kind's general note ("0 of 6 in place")
        extra = ""
    rungs = len(ex.hints)
    level = ladder.climb(("check", ex.id), mistake.name if mistake else ladder.UNNAMED, rungs)
    hint = mistake.says if mistake is not None and level == 1 else ex.hints[level - 1]
    lead = f"Not yet{tolerance}. " + (f"{extra} " if extra else "")
    return f"{lead}{ladder.label(level, rungs)}: {hint}", level, mistake


def _diagnosis(ex: Exercise, answer: Any):
    """The declared mistake the answer is; None if none is, or if recognising it fails."""
    try:
        return ex.diagnose(answer)
    except Exception:  # a diagnosis is help, never a reason to fail the check
        return None


def shown(verdict: Verdict, hints: tuple[str, ...]) -> Verdict:
    """The verdict with the last hint added, as the student asked (``show=True``); a right answer needs none."""
    if verdict.status in ("correct", "error") or verdict.hint_level == len(hints):
        return replace(verdict, asked=verdict.status not in ("correct", "error"))
    message = f"{verdict.message} {ladder.ASKED}: {hints[-1]}"
    return replace(verdict, message=message, hint_level=len(hints), asked=True)


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
