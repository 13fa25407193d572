"""Record each table's row count, size and hash in data/datapackage.json (`make data-stamp`).

The loader compares every table with these figures, so a file cut short at a
row boundary, or cut to its header, is caught even though each remaining row is
valid.  After an intended edit of a table, run this to record the new figures.
It first checks the data (everything but the figures themselves) and refuses to
stamp data that has problems.  Only the properties ``bytes``, ``hash``,
``x-rows`` of each resource and the package's ``created`` date are written;
``created`` moves to today only when a figure changed.

Usage: ``python tools/data_stamp.py [DATA_FOLDER]`` (default: data/ beside tools/).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from usiraq import schema  # noqa: E402

STAMP = ("bytes", "hash", schema.ROWS)


def with_stamp(res: dict, stamp: dict) -> dict:
    """The resource with the stamp placed after 'encoding' (or at the end), other keys untouched."""
    out, placed = {}, False
    for key, value in res.items():
        if key in STAMP:
            continue
        out[key] = value
        if key == "encoding":
            out.update(stamp)
            placed = True
    if not placed:
        out.update(stamp)
    return out


def refresh(folder: Path, write: bool = True) -> list[str]:
    """Stamp every table of the folder's package; return the names of the tables whose stamp changed.

    Raises DataError, and writes nothing, when the data has problems.
    With ``write=False`` only reports what would change.
    """
    folder = Path(folder)
    path = folder / "datapackage.json"
    original = path.read_text(encoding="utf-8")
    package = json.loads(original)
    if (
        schema.package_date(package) is None and write
    ):  # the date no table may pass, before the tables
        rest = {k: v for k, v in package.items() if k not in ("created", "resources")}
        package = {**rest, "created": today(), "resources": package["resources"]}
        path.write_text(dump(package), encoding="utf-8")
    try:
        schema.validate_package(folder, check_stamps=False)
    except schema.DataError:
        path.write_text(original, encoding="utf-8")  # broken data: leave the descriptor as it was
        raise
    changed, resources = [], []
    for res in package["resources"]:
        stamp = schema.file_stamp(folder, res)
        if any(res.get(k) != v for k, v in stamp.items()):
            changed.append(res["name"])
        resources.append(with_stamp(res, stamp))
    if write and changed:
        package["created"] = today()
        package["resources"] = resources
        path.write_text(dump(package), encoding="utf-8")
    return changed


def today() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def dump(package: dict) -> str:
    """The descriptor as the repository stores it: two-space indent, no trailing newline."""
    return json.dumps(package, indent=2, ensure_ascii=False)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "data"
    try:
        tables = refresh(target)
    except schema.DataError as err:
        sys.exit(f"Not stamped: fix these first.\n{err}")
    print(
        f"Recorded new row counts and hashes for: {', '.join(tables)}."
        if tables
        else "Row counts and hashes were already up to date."
    )
