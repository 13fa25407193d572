"""Find the module's data folder from wherever a notebook or test runs.

A notebook's kernel starts in the notebook's own folder (``notebooks/``,
``exercises/`` or ``solutions/``), a test runs from the repository root, and a
student may copy a notebook elsewhere.  Relative paths such as ``../data`` break
in some of these places, so we look for the data folder by a marker file, and
take it only if the marker names this module's package: another project's
``data/datapackage.json`` in a folder above is passed over.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

ENV_VAR = "USIRAQ_DATA"
MARKER = "datapackage.json"
PACKAGE_NAME = "us-military-presence-iraq"


class DataDirNotFound(FileNotFoundError):
    """Raised when no data folder can be found; the message says how to fix it."""


def is_course_data(folder: Path) -> bool:
    """Whether the folder's datapackage.json is this module's (by the package's name)."""
    try:
        return json.loads((folder / MARKER).read_text(encoding="utf-8")).get("name") == PACKAGE_NAME
    except (OSError, ValueError, AttributeError):
        return False


def find(start: Path | str | None = None) -> tuple[Path, str]:
    """The data folder and how it was found (see ``data_dir``)."""
    override = os.environ.get(ENV_VAR)
    if override:
        path = Path(override).expanduser().resolve()
        if path.name == MARKER and path.is_file():
            path = path.parent
        if not (path / MARKER).is_file():
            raise DataDirNotFound(
                f"{ENV_VAR}={override} has no {MARKER} in it "
                f"(looked in {path}). Point it at the course's data folder."
            )
        return path, f"set by the environment variable {ENV_VAR}"
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if is_course_data(folder / "data"):
            return folder / "data", f"the first data/ folder of this course at or above {here}"
    packaged = Path(__file__).resolve().parents[2] / "data"
    if (packaged / MARKER).is_file():
        return packaged, "the data/ folder beside the installed usiraq package"
    raise DataDirNotFound(
        f"No data/{MARKER} of this course found above {here}. Open the notebook from inside the "
        f"course folder, or set the environment variable {ENV_VAR} to its data folder."
    )


def data_dir(start: Path | str | None = None) -> Path:
    """Return the folder that holds ``datapackage.json`` and the tables.

    Order: the ``USIRAQ_DATA`` environment variable (a folder, or the
    datapackage.json in it; a relative path counts from the working folder);
    then the first ``data/`` folder holding this course's package, in the start
    folder (default: the working directory) or above it; then the ``data/``
    folder of the repository this package was installed from.
    """
    return find(start)[0]


def describe(start: Path | str | None = None) -> str:
    """Which data folder is in use and why, in one sentence (to print when in doubt)."""
    folder, how = find(start)
    return f"Data folder: {folder} ({how})."
