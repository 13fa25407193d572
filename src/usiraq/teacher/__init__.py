"""The teacher's tools, left out of the student edition (``make release``).

- ``grade`` (with ``gradekernel`` and ``gradereport``): grade a class's
  exercise notebooks (``make grade``), with ``timing`` measuring the minutes
  each exercise took from the times JupyterLab kept;
- ``release``: write the student edition (``make release``);
- ``execute`` and ``exercisegen``: run the lecture and solution notebooks, and
  make the exercise notebooks from the solutions (``make notebooks``);
- ``times``: write the declared minutes of the exercises, the checklists and the
  guide's generated tables (``make times``);
- ``repo``: where the teacher's repository is.
"""
