"""Helpers for the teaching module on the US military presence in Iraq.

Notebooks import what they need from the modules here:

- ``usiraq.data``: the tables in ``data/``, checked (``schema``) and typed;
- ``usiraq.style``: the module's chart style;
- ``usiraq.quiz``: widgets for quick questions with instant feedback;
- ``check(exercise_id, answer)`` and ``check_chart(exercise_id, fig)`` for the
  exercises (the checking engine is the sub-package ``usiraq.checking``);
- topic modules, one per notebook (``troops``, ``bases``, ``tasks``,
  ``challenges``, ``claims``): the logic behind each notebook's tables and explorer.

The teacher's tools (grading, the student edition, building the notebooks,
exercise times) are the sub-package ``usiraq.teacher``, which the student
edition leaves out.
"""

from .checking import check, check_chart

__all__ = ["check", "check_chart"]
__version__ = "0.1.0"
