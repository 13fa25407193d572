"""Load the module's tables as typed pandas DataFrames.

Every table is checked against ``data/datapackage.json`` before it is handed
out, so a notebook never meets a half-broken table: it gets either clean data
or a ``DataError`` that says which file, line and column to fix.

Types follow the schema: whole numbers become nullable integers (``Int64``),
dates become ``datetime64`` (a date given only to the month or year is placed on
the first day of that period, and its ``date_precision`` column says so),
true/false columns become ``boolean``, and text stays text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from . import paths, schema


def data_dir() -> Path:
    """The data folder in use (see ``usiraq.paths.data_dir``)."""
    return paths.data_dir()


def _stamp(folder: Path) -> tuple:
    """Names, sizes and modification times of the folder's files (the descriptor too),
    so an edited table or datapackage.json is read again."""
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        return ()
    return tuple(
        (p.name, s.st_mtime_ns, s.st_size) for p in entries if p.is_file() for s in [p.stat()]
    )


@dataclass
class _Checked:
    """The outcome of one check of the folder: the package and row counts, or the problems."""

    folder: Path
    package: dict | None = None
    counts: dict = field(default_factory=dict)
    error: schema.DataError | None = None
    frames: dict = field(default_factory=dict)

    def raise_if_broken(self) -> None:
        if self.error is not None:  # a fresh exception each time: the cached one stays clean
            raise schema.DataError(
                self.error.problems, self.error.folder, self.error.more
            ) from None


@lru_cache(maxsize=4)
def _checked_at(folder: Path, stamp: tuple) -> _Checked:
    """Checked once per state of the folder; a failed check is remembered too."""
    checked = _Checked(folder)
    try:
        checked.package = schema.read_package(folder)
        checked.counts = schema.validate_package(folder)
    except schema.DataError as err:
        checked.error = err
    return checked


def _checked() -> _Checked:
    folder = data_dir()
    return _checked_at(folder, _stamp(folder))


def validate() -> dict[str, int]:
    """Check every table; return the number of rows of each.  Raises DataError."""
    checked = _checked()
    checked.raise_if_broken()
    return dict(checked.counts)


def table(name: str) -> pd.DataFrame:
    """One table as a typed DataFrame, by its name in datapackage.json.

    The frame is built once per state of the data and handed out as a copy,
    so a notebook that changes its frame does not change the next one.
    """
    return _frame(name, as_written=False)


def as_written(name: str) -> pd.DataFrame:
    """One table with every cell as its file writes it (text; <NA> where empty), after the same check.

    A date given only to the month reads '2011-10' here, where ``table`` puts it
    on the 1st: a citation shows the date its source gives, no more precise.
    """
    return _frame(name, as_written=True)


def _frame(name: str, as_written: bool) -> pd.DataFrame:
    """A table the descriptor declares, from a folder that passed its check (DataError otherwise)."""
    checked = _checked()
    if checked.package is not None:  # an undeclared name is refused by name, before anything else
        fields = schema.resource(checked.package, name, checked.folder)["schema"]["fields"]
    checked.raise_if_broken()
    key = (name, as_written)
    if key not in checked.frames:
        columns = schema.read_table(checked.folder, checked.package, name, as_written)
        checked.frames[key] = (
            pd.DataFrame({c: pd.array(v, dtype="string") for c, v in columns.items()})
            if as_written
            else _typed(columns, fields)
        )
    return checked.frames[key].copy()


def coverage(name: str) -> dict:
    """What a table's ``x-coverage`` in datapackage.json says about the period it covers ({} if nothing).

    Read from the checked descriptor, so a chart or an exercise that stops where
    a table stops being a series takes the period from the data, not from a
    date typed into a notebook.
    """
    checked = _checked()
    checked.raise_if_broken()
    return dict(schema.resource(checked.package, name, checked.folder).get("x-coverage", {}))


def _typed(columns: dict[str, list], fields: list[dict]) -> pd.DataFrame:
    """A frame from the values the schema's parsers produced (None where a cell is empty)."""
    return pd.DataFrame({f["name"]: _convert(columns[f["name"]], f) for f in fields})


def _convert(values: list, field: dict) -> pd.Series:
    kind = field.get("type", "string")
    if kind == "integer":
        return pd.Series(pd.array(values, dtype="Int64"))
    if kind == "number":
        return pd.Series(pd.array(values, dtype="Float64"))
    if kind == "boolean":
        return pd.Series(pd.array(values, dtype="boolean"))
    if kind == "date" or field.get(schema.PARTIAL_DATE):
        return pd.to_datetime(pd.Series(values, dtype="object"))
    return pd.Series(pd.array(values, dtype="string"))


# When several sources tell of one thing, the module shows the public record
# first (it can be checked), then the paper, then its companions.
SOURCE_PREFERENCE = {"public": 0, "paper": 1, "seed": 2, "dataset": 3}


def source_kinds() -> pd.Series:
    """The kind of each source (paper, seed, public, dataset), indexed by source_id."""
    return sources().set_index("source_id")["kind"]


def source_rank(source_ids: pd.Series) -> pd.Series:
    """Each source's place in SOURCE_PREFERENCE: 0 for the public record, then the paper, then the rest."""
    return source_ids.map(source_kinds()).map(SOURCE_PREFERENCE).fillna(len(SOURCE_PREFERENCE))


DATE_FORMATS = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}


def date_text(date, precision: str) -> str:
    """A date written only as precisely as its source gives it: '2007', '2007-10' or '2007-06-15'.

    The loader puts a month-only date on the 1st of the month; printing it as
    '2007-10-01' would claim a precision the source never gave.
    """
    if pd.isna(date):
        return ""
    return pd.Timestamp(date).strftime(DATE_FORMATS.get(precision, "%Y-%m-%d"))


def dated(frame: pd.DataFrame) -> pd.DataFrame:
    """The table with a ``when`` column: each date written at its own precision, for display."""
    return frame.assign(
        when=[date_text(d, p) for d, p in zip(frame["date"], frame["date_precision"])]
    )


def troop_levels() -> pd.DataFrame:
    """US troops in Iraq, one row per figure per source, sorted by date."""
    return table("troop_levels")


def attacks() -> pd.DataFrame:
    """Attacks on US forces, one row per report; ``incident_id`` groups reports of one attack."""
    return table("attacks")


def strikes() -> pd.DataFrame:
    """US strikes, one row per report."""
    return table("strikes")


def bases() -> pd.DataFrame:
    """Bases named in the paper and in the record, with spellings and coordinates."""
    return table("bases")


def events() -> pd.DataFrame:
    """Timeline of the presence, with each event's phase."""
    return table("events")


def phases() -> pd.DataFrame:
    """Phases of the presence, in order."""
    return table("phases").sort_values("order").reset_index(drop=True)


def tasks() -> pd.DataFrame:
    """The five tasks of the paper's section 3."""
    return table("tasks")


def actors() -> pd.DataFrame:
    """Political forces and armed factions, one row per actor per source."""
    return table("actors")


def claims() -> pd.DataFrame:
    """Where the sources and the record disagree."""
    return table("claims")


def figures() -> pd.DataFrame:
    """Other figures: base counts, distances, money, shares, attack counts."""
    return table("figures")


def sources() -> pd.DataFrame:
    """Full citations for every source_id used in the tables."""
    return table("sources")


def places() -> pd.DataFrame:
    """Cities for the map."""
    return table("places")


def map_outline() -> pd.DataFrame:
    """Country outlines for the map (Natural Earth, public domain)."""
    return table("map_outline")


def overview() -> pd.DataFrame:
    """One row per table: rows, years covered and the sources it cites."""
    checked = _checked()
    checked.raise_if_broken()
    rows = []
    for res in checked.package["resources"]:
        frame = table(res["name"])
        years = (
            frame["date"].dt.year if "date" in frame and frame["date"].dtype.kind == "M" else None
        )
        source_cols = [c for c in ("source_id", "claim_source") if c in frame]
        cited = frame[source_cols[0]].nunique() if source_cols else None
        rows.append(
            {
                "table": res["name"],
                "what it holds": res["title"],
                "rows": len(frame),
                "first year": years.min() if years is not None else pd.NA,
                "last year": years.max() if years is not None else pd.NA,
                "sources cited": cited if cited is not None else pd.NA,
            }
        )
    out = pd.DataFrame(rows)
    for col in ("first year", "last year", "sources cited"):
        out[col] = out[col].astype("Int64")
    return out
