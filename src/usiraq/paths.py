"""Find the module's data folder from wherever a notebook or test runs.

A notebook's kernel starts in the notebook's own folder (``notebooks/``,
``exercises/`` or ``solutions/``), a test runs from the repository root, and a
student may copy a notebook elsewhere.  Relative paths such as ``../data`` break
in some of these places, so we look for the data folder by a marker file.
"""
from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "USIRAQ_DATA"
MARKER = "datapackage.json"


class DataDirNotFound(FileNotFoundError):
    """Raised when no data folder can be found; the message says how to fix it."""


def data_dir(start: Path | str | None = None) -> Path:
    """Return the folder that holds ``datapackage.json`` and the tables.

    Order: the ``USIRAQ_DATA`` environment variable; then ``data/`` in the
    start folder (default: the working directory) or any folder above it;
    then the ``data/`` folder of the repository this package was installed from.
    """
    override = os.environ.get(ENV_VAR)
    if override:
        path = Path(override).expanduser()
        if not (path / MARKER).is_file():
            raise DataDirNotFound(f"{ENV_VAR}={override} has no {MARKER} in it.")
        return path
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "data" / MARKER).is_file():
            return folder / "data"
    packaged = Path(__file__).resolve().parents[2] / "data"
    if (packaged / MARKER).is_file():
        return packaged
    raise DataDirNotFound(
        f"No data/{MARKER} found above {here}. Open the notebook from inside the "
        f"course folder, or set the environment variable {ENV_VAR} to its data folder."
    )
