"""Execute notebooks in place, so that they are committed freshly run.

Lecture and solution notebooks are stored with their outputs: a student on
GitHub or nbviewer, where widgets do not run, still sees every table and chart.
This runs each notebook top to bottom in a fresh kernel, in the notebook's own
folder, with a cell timeout (nbclient waits forever by default), and records a
fingerprint of the cell sources so a test can tell a stale notebook (edited
after it was run) from a fresh one.

Usage: ``python -m usiraq.teacher.execute notebooks/*.ipynb solutions/*.ipynb``
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

METADATA_KEY = "usiraq"
CELL_TIMEOUT = 120


def source_fingerprint(nb: nbformat.NotebookNode) -> str:
    """A hash of every cell's type and source, in order."""
    digest = hashlib.sha256()
    for cell in nb.cells:
        digest.update(cell.cell_type.encode())
        digest.update(b"\0")
        digest.update(cell.source.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def execute(path: Path) -> None:
    """Run one notebook in a fresh kernel and save it with its outputs."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent.resolve())}},
        store_widget_state=True,
    )
    client.execute()
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    # Widget state is needed while running (Output widgets rely on it) but not
    # in the file: it changes on every run and would only make noisy diffs.
    nb.metadata.pop("widgets", None)
    nb.metadata[METADATA_KEY] = {"source_sha256": source_fingerprint(nb)}
    nbformat.write(nb, path)


def main(argv: list[str]) -> int:
    for name in argv:
        print(f"executing {name}", flush=True)
        execute(Path(name))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
