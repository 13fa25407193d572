"""Written tasks: what a good answer does, declared once.

A written answer cannot be checked by code, but a student can check it against
a short list of what a good answer does, and a teacher can mark it with the
same list.  A "choose and defend" question asks which of several figures to
compare or quote, and why; it declares its question and one rubric line.
Each task is declared once (with ``registry.register``, in its notebook's
file of ``usiraq.checking.declarations``); ``usiraq.teacher.times`` writes it
into the exercise notebook and into the teacher's guide, so the two always agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from . import registry


@dataclass(frozen=True)
class Written:
    """A written task: its id, its title and its checklist (its minutes are estimated, not declared)."""

    declared_as: ClassVar[str] = "written task"
    id: str
    title: str
    checklist: tuple[str, ...]
    points: float = 3  # the teacher marks it out of these, with the checklist

    def __post_init__(self):
        if not 3 <= len(self.checklist) <= 5:
            raise ValueError(f"{self.id}: a checklist has 3-5 points, not {len(self.checklist)}")


@dataclass(frozen=True)
class Comparison:
    """A "choose and defend" question: which figure to compare or quote, and why (one rubric line)."""

    declared_as: ClassVar[str] = "comparison"
    id: str
    question: str
    rubric: str
    points: float = 2  # the teacher marks the defence out of these


def comparison_markdown(exercise_id: str) -> str:
    """The question as the exercise notebook shows it."""
    return f"**Choose and defend.** {registry.comparison(exercise_id).question}"


def checklist_markdown(task_id: str) -> str:
    """The checklist as the exercise notebook and the guide show it."""
    points = "\n".join(f"- [ ] {point}" for point in registry.written_task(task_id).checklist)
    return f"**Check your answer. A good answer:**\n\n{points}"
