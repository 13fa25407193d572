"""Checking the exercises: answers, charts and written tasks.

- ``judging``: ``check(exercise_id, answer)`` judges an answer and counts wrong tries;
- ``charts``: ``check_chart(exercise_id, fig)`` judges a chart against its specification;
- ``kinds``: the kinds of answer (a number, a choice, a date, a list, a table...)
  and how each is compared;
- ``words`` and ``verdict``: a student's value named in plain words, and the
  coloured line a check shows;
- ``written``: the checklists of written tasks and the choose-and-defend questions;
- ``ladder``: the hints, from the concept to the code, by mistake;
- ``special``: checks shaped by one topic (a list of bases, a join);
- ``registry``: every task by id; ``registry.load()`` is the one place that
  imports ``declarations``, the file of each notebook's exercises (in the
  student edition, the same checks frozen as values: ``frozen``).
"""

from .charts import check_chart
from .judging import check

__all__ = ["check", "check_chart"]
