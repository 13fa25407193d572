"""The outcome of a check, as a coloured line a notebook shows.

Five statuses: ``unanswered``, ``correct``, ``wrong``, ``invalid`` (the
answer's type or shape is wrong; no hint is used up) and ``error`` (the
checker failed, or the id is unknown).  The line brings its own colours and is
a live region, so it reads the same on JupyterLab's light and dark themes and
screen readers announce it.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

ICONS = {"unanswered": "✍️", "correct": "✅", "wrong": "❌", "invalid": "⚠️", "error": "⛔"}
# Text and background of the verdict box.  The box brings its own background, so the contrast
# (at least 4.5:1, WCAG AA) is the same on JupyterLab's light and dark themes.
COLOURS = {
    "unanswered": ("#333333", "#F2F2F2"),
    "correct": ("#00572F", "#E6F4EA"),
    "wrong": ("#9B001B", "#FDECEE"),
    "invalid": ("#6B4500", "#FFF4DC"),
    "error": ("#9B001B", "#FDECEE"),
}


@dataclass
class Verdict:
    """The outcome of one check, shown as a coloured line in a notebook.

    ``hint_level`` tells a class grader how much help was shown: 0 none, then
    the rung of the hint ladder (1 the concept, 2 the tool, 3 the code);
    ``asked`` is true when the student asked for the code (``show=True``).
    """

    exercise_id: str
    status: str
    message: str
    hint_level: int = 0
    asked: bool = False

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
    return (
        f'<div role="status" aria-live="polite" aria-atomic="true" style="color:{colour};'
        f"background-color:{background};border-left:4px solid {colour};font-size:1.05em;"
        f'padding:4px 8px;margin:2px 0">{inner_html}</div>'
    )
