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

from functools import lru_cache
from pathlib import Path

import pandas as pd

from . import paths, schema


def data_dir() -> Path:
    """The data folder in use (see ``usiraq.paths.data_dir``)."""
    return paths.data_dir()


def _stamp(folder: Path) -> tuple:
    """File names and modification times, so an edited file is read again."""
    return tuple(sorted((p.name, p.stat().st_mtime_ns) for p in folder.glob("*.csv")))


@lru_cache(maxsize=4)
def _checked(folder: Path, stamp: tuple) -> tuple[dict, dict]:
    package = schema.read_package(folder)
    return package, schema.validate_package(folder)


def validate() -> dict[str, int]:
    """Check every table; return the number of rows of each.  Raises DataError."""
    folder = data_dir()
    _, tables = _checked(folder, _stamp(folder))
    return {name: len(rows) for name, rows in tables.items()}


def table(name: str) -> pd.DataFrame:
    """One table as a typed DataFrame, by its name in datapackage.json."""
    folder = data_dir()
    package, tables = _checked(folder, _stamp(folder))
    fields = schema.resource(package, name)["schema"]["fields"]
    return _typed(tables[name], fields)


def _typed(rows: list[dict], fields: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=[f["name"] for f in fields])
    for field in fields:
        col = field["name"]
        frame[col] = _convert(frame[col], field)
    return frame


def _convert(column: pd.Series, field: dict) -> pd.Series:
    empty = column == ""
    kind = field.get("type", "string")
    if kind == "integer":
        return pd.to_numeric(column.mask(empty)).astype("Int64")
    if kind == "number":
        return pd.to_numeric(column.mask(empty)).astype("Float64")
    if kind == "boolean":
        return column.mask(empty).map({"true": True, "false": False}).astype("boolean")
    if kind == "date" or field.get(schema.PARTIAL_DATE):
        values = [schema.parse_value(v, field) if v else None for v in column]
        return pd.to_datetime(pd.Series(values, index=column.index, dtype="object"))
    return column.mask(empty).astype("string")


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
    return frame.assign(when=[date_text(d, p) for d, p in zip(frame["date"], frame["date_precision"])])


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
    folder = data_dir()
    package, _ = _checked(folder, _stamp(folder))
    rows = []
    for res in package["resources"]:
        frame = table(res["name"])
        years = frame["date"].dt.year if "date" in frame and frame["date"].dtype.kind == "M" else None
        source_cols = [c for c in ("source_id", "claim_source") if c in frame]
        cited = frame[source_cols[0]].nunique() if source_cols else None
        rows.append({
            "table": res["name"],
            "what it holds": res["title"],
            "rows": len(frame),
            "first year": years.min() if years is not None else pd.NA,
            "last year": years.max() if years is not None else pd.NA,
            "sources cited": cited if cited is not None else pd.NA,
        })
    out = pd.DataFrame(rows)
    for col in ("first year", "last year", "sources cited"):
        out[col] = out[col].astype("Int64")
    return out
