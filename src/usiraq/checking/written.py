"""Written tasks: what a good answer does, declared once.

A written answer cannot be checked by code, but a student can check it against
a short list of what a good answer does, and a teacher can mark it with the
same list.  A "choose and defend" question asks which of several figures to
compare or quote, and why; it declares its question and one rubric line.
Each task declares its text here (through ``register``, from its
notebook's file in ``usiraq.answers``); ``usiraq.workload`` writes it into the
exercise notebook and into the teacher's guide, so the two always agree.
"""
from __future__ import annotations

from dataclasses import dataclass

from .feedback import declare


@dataclass(frozen=True)
class Written:
    """A written task: its id, its title, the minutes it takes and its checklist.

    ``minutes`` is 0 when the task's time is already declared with a checked
    exercise of the same id (03.7 asks for a paragraph and then a letter).
    """

    id: str
    title: str
    checklist: tuple[str, ...]
    minutes: int = 0

    def __post_init__(self):
        if not 3 <= len(self.checklist) <= 5:
            raise ValueError(f"{self.id}: a checklist has 3-5 points, not {len(self.checklist)}")


WRITTEN: dict[str, Written] = {}


def register(*tasks: Written) -> None:
    """Declare written tasks; an id may be declared only once."""
    declare(WRITTEN, tasks, "Written task")


@dataclass(frozen=True)
class Comparison:
    """A "choose and defend" question: which figure to compare or quote, and why (one rubric line)."""

    id: str
    question: str
    rubric: str


COMPARISONS: dict[str, Comparison] = {}


def register_comparison(*questions: Comparison) -> None:
    """Declare choose-and-defend questions, at most one per exercise."""
    declare(COMPARISONS, questions, "Comparison")


def comparison_markdown(exercise_id: str) -> str:
    """The question as the exercise notebook shows it."""
    from . import answers  # noqa: F401

    return f"**Choose and defend.** {COMPARISONS[exercise_id].question}"


def task(task_id: str) -> Written:
    """The declared written task with this id (KeyError if there is none)."""
    from . import answers  # noqa: F401  (declares every task on first use)

    return WRITTEN[task_id]


def checklist_markdown(task_id: str) -> str:
    """The checklist as the exercise notebook and the guide show it."""
    points = "\n".join(f"- [ ] {point}" for point in task(task_id).checklist)
    return f"**Check your answer. A good answer:**\n\n{points}"
