"""Every exercise, chart task and written task of the module, declared once and found by id.

The declarations live in ``usiraq.checking.declarations``, one file per
notebook; each file calls ``register`` with what its notebook asks (in the
student edition, that package registers the same items frozen: see
``usiraq.checking.frozen``).  ``load`` imports them, and it is the only place
that does: every lookup here calls it first, so a check finds its exercise
whichever module asked.

Declaring one id twice (with another item) is an error, so a copy-pasted
declaration fails at import, not in class.
"""

from __future__ import annotations

import importlib
from typing import Any

DECLARATIONS = "usiraq.checking.declarations"

# One book per kind of task, by the ``declared_as`` of its class.
EXERCISES: dict[str, Any] = {}
CHARTS: dict[str, Any] = {}
WRITTEN: dict[str, Any] = {}
COMPARISONS: dict[str, Any] = {}
BOOKS = {
    "exercise": EXERCISES,
    "chart task": CHARTS,
    "written task": WRITTEN,
    "comparison": COMPARISONS,
}


def register(*items: Any) -> None:
    """Put each declared item in the book of its kind; an id may be declared only once per kind."""
    for item in items:
        book = BOOKS[item.declared_as]
        known = book.get(item.id)
        if known is not None and known is not item and known != item:
            raise ValueError(f"{item.declared_as.capitalize()} {item.id} is declared twice.")
        book[item.id] = item


def load() -> None:
    """Import the declarations of every notebook (once; later calls cost nothing)."""
    importlib.import_module(DECLARATIONS)


def _find(book: dict, item_id: Any):
    load()
    if not isinstance(item_id, str):
        raise KeyError(item_id)
    return book[item_id]


def exercise(exercise_id: str):
    """The declared exercise with this id (KeyError if there is none)."""
    return _find(EXERCISES, exercise_id)


def chart_task(exercise_id: str):
    """The declared chart task with this id (KeyError if there is none)."""
    return _find(CHARTS, exercise_id)


def written_task(task_id: str):
    """The declared written task with this id (KeyError if there is none)."""
    return _find(WRITTEN, task_id)


def comparison(exercise_id: str):
    """The declared choose-and-defend question of this exercise (KeyError if there is none)."""
    return _find(COMPARISONS, exercise_id)


def exercises() -> dict:
    """Every declared exercise, by id."""
    load()
    return EXERCISES


def charts() -> dict:
    """Every declared chart task, by id."""
    load()
    return CHARTS


def written_tasks() -> dict:
    """Every declared written task, by id."""
    load()
    return WRITTEN


def comparisons() -> dict:
    """Every declared choose-and-defend question, by exercise id."""
    load()
    return COMPARISONS
