"""Helpers for the teaching module on the US military presence in Iraq.

Notebooks import what they need from the small modules here:

- ``usiraq.data``: the tables in ``data/``, checked and typed;
- ``usiraq.style``: the module's chart style;
- ``usiraq.feedback``: ``check(exercise_id, answer)`` for the exercises;
- ``usiraq.chartcheck``: ``check_chart(exercise_id, fig)`` for the charts students draw;
- ``usiraq.quiz``: widgets for quick questions with instant feedback;
- topic modules (``troops``, ``bases``, ``tasks``, ``attacks``, ``claims``):
  the logic behind each notebook's explorer.

For the teacher (left out of the student edition): ``usiraq.release`` writes
the student edition, ``usiraq.grade`` grades collected notebooks (with
``gradekernel`` and ``gradereport``), ``exercisegen`` and ``execute`` build
the notebooks.
"""
from .chartcheck import check_chart
from .feedback import check

__all__ = ["check", "check_chart"]
__version__ = "0.1.0"
