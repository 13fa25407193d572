"""The outcome of a check, as a coloured line a notebook shows.

Five statuses: ``unanswered``, ``correct``, ``wrong``, ``invalid`` (the
answer's type or shape is wrong; no hint is used up) and ``error`` (the
checker failed, or the id is unknown).  The line says its verdict in words
(``WORDS``, in bold) and draws its icon as a small inline SVG, so it reads the
same in a browser with no emoji font, on JupyterLab's light and dark themes
(the box brings its own colours) and to screen readers (it is a live region,
and the icon is hidden from them: the words say it all).
"""

from __future__ import annotations

import html
from dataclasses import dataclass

# What each status says first, in words.
WORDS = {
    "unanswered": "Not answered yet",
    "correct": "Correct",
    "wrong": "Not yet",
    "invalid": "Check the form of your answer",
    "error": "Checker problem",
}
# Text and background of the verdict box.  The box brings its own background, so the contrast
# (at least 4.5:1, WCAG AA) is the same on JupyterLab's light and dark themes.
COLOURS = {
    "unanswered": ("#333333", "#F2F2F2"),
    "correct": ("#00572F", "#E6F4EA"),
    "wrong": ("#9B001B", "#FDECEE"),
    "invalid": ("#6B4500", "#FFF4DC"),
    "error": ("#9B001B", "#FDECEE"),
}
# The mark inside each icon, drawn in a 16 x 16 box: a tick, a cross, an exclamation mark,
# a dash (nothing yet) and a bar (stop).
MARKS = {
    "correct": '<path d="M4.5 8.3l2.3 2.3 4.7-5" fill="none" stroke="#fff" stroke-width="2"/>',
    "wrong": '<path d="M5.2 5.2l5.6 5.6M10.8 5.2l-5.6 5.6" stroke="#fff" stroke-width="2"/>',
    "invalid": '<path d="M8 4v5.2" stroke="#fff" stroke-width="2"/><circle cx="8" cy="11.6" r="1.1" fill="#fff"/>',
    "unanswered": '<path d="M4.5 8h7" stroke="#fff" stroke-width="2"/>',
    "error": '<path d="M4.5 8h7" stroke="#fff" stroke-width="2.6"/>',
}


def icon(status: str) -> str:
    """The status's icon: a filled circle (a square for an error) in its colour, with its mark."""
    colour = COLOURS[status][0]
    shape = (
        f'<rect x="1" y="1" width="14" height="14" rx="3" fill="{colour}"/>'
        if status == "error"
        else f'<circle cx="8" cy="8" r="7" fill="{colour}"/>'
    )
    return (
        '<svg width="1.1em" height="1.1em" viewBox="0 0 16 16" aria-hidden="true" focusable="false" '
        f'style="vertical-align:-0.2em;margin-right:0.35em">{shape}{MARKS[status]}</svg>'
    )


@dataclass
class Verdict:
    """The outcome of one check, shown as a coloured line in a notebook.

    ``hint_level`` tells a class grader how much help was shown: 0 none, then
    the rung of the hint ladder (1 the concept, 2 the tool, 3 the code);
    ``asked`` is true when the student asked for the code (``show=True``).
    ``credit`` is the share of the points the answer earns (1 when right, part
    of it where the check knows a partial state, said in ``credit_note``), and
    ``diagnosis`` names the declared mistake (or the chart's flaw) it shows.
    """

    exercise_id: str
    status: str
    message: str
    hint_level: int = 0
    asked: bool = False
    credit: float = 0.0
    credit_note: str = ""
    diagnosis: str = ""

    @property
    def correct(self) -> bool:
        return self.status == "correct"

    @property
    def says(self) -> tuple[str, str]:
        """The verdict's words and the rest of the message: ('Not yet', '. Hint: ...').

        A message that starts with its status's words keeps them where they are;
        any other is led by them ('Check the form of your answer: This needs...').
        """
        word = WORDS[self.status]
        if self.message[: len(word)].casefold() == word.casefold():
            return self.message[: len(word)], self.message[len(word) :]
        return word, f": {self.message}"

    @property
    def text(self) -> str:
        word, rest = self.says
        return f"{self.exercise_id}: {word}{rest}"

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text

    def _repr_html_(self) -> str:
        word, rest = self.says
        inner = (
            f"{icon(self.status)}{html.escape(self.exercise_id)}: "
            f"<strong>{html.escape(word)}</strong>{html.escape(rest)}"
        )
        return box(inner, self.status)


def box(inner_html: str, status: str) -> str:
    """A verdict line: its own colours, and a live region so screen readers announce it."""
    colour, background = COLOURS[status]
    return (
        f'<div role="status" aria-live="polite" aria-atomic="true" style="color:{colour};'
        f"background-color:{background};border-left:4px solid {colour};font-size:1.05em;"
        f'padding:4px 8px;margin:2px 0">{inner_html}</div>'
    )
