"""The teacher's repository: the folder that holds notebooks/, solutions/, data/ and src/.

The teacher's tools work on the repository this package was installed from
(editable, with ``pip install -e .``, as ``make setup`` and Binder do).  One
helper finds it, so no tool counts its own way up from its file.
"""

from __future__ import annotations

from pathlib import Path

# src/usiraq/teacher/repo.py -> the repository root
ROOT = Path(__file__).resolve().parents[3]
