"""The hint ladder: help that teaches before it tells.

An exercise declares three hints: the **concept** (what idea the task needs),
the **tool** (which pandas or matplotlib tool does it, named but not written
out) and the **code** (a line that would do it).  A quick question declares
two, the concept and a stronger pointer; it needs no code.

Each wrong try climbs one rung, but only while the student makes the same
mistake: a different mistake starts again at the first rung, where the hint
fits the new mistake.  A mistake is the declared ``Mistake`` the answer
matches (its diagnosis is then the first hint), or for a chart the first flaw
found; every other wrong answer counts as one unnamed mistake.  So the code
appears on the third try of the same mistake, or when the student asks for it
(``check(..., show=True)``), which the verdict records for the grader.
"""

from __future__ import annotations

from typing import Any

# The label of each rung, by the number of hints the task declares.
LABELS = {3: ("Hint", "Tool", "Code"), 2: ("Hint", "Stronger hint")}
ASKED = "Code, as you asked"
UNNAMED = "(another mistake)"

# task key -> (the mistake of the last wrong try, how many times in a row)
_tries: dict[Any, tuple[str, int]] = {}


def climb(task: Any, mistake: str, rungs: int) -> int:
    """Count a wrong try and return its rung: 1, 2, ... up to ``rungs``, restarting on a new mistake."""
    last, count = _tries.get(task, (None, 0))
    count = count + 1 if mistake == last else 1
    _tries[task] = (mistake, count)
    return min(count, rungs)


def label(level: int, rungs: int) -> str:
    """What the message calls the hint of this rung: Hint, Tool, Code (or Hint, Stronger hint)."""
    return LABELS.get(rungs, LABELS[3])[level - 1]


def forget(task: Any) -> None:
    """Start a task's ladder again (after a right answer)."""
    _tries.pop(task, None)


def reset() -> None:
    """Forget every ladder (used by tests and by 'start again')."""
    _tries.clear()


# What a verdict's text shows, weakest first, as a grader records it, and the label that says it.
SEEN = {
    "hint": "Hint:",
    "stronger hint": "Stronger hint:",
    "tool": "Tool:",
    "code": "Code:",
    "code (asked)": f"{ASKED}:",
}
SEEN_ORDER = ["", *SEEN]


def seen(text: str) -> str:
    """The strongest help a verdict's text shows: '' (none) to 'code (asked)'.

    Reads the labels this module writes, so a grader can tell from a saved
    output what the student saw, whatever their kernel counted.
    """
    return next((name for name in reversed(SEEN) if SEEN[name] in text), "")
