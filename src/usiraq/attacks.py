"""Attacks on US forces: from reports to incidents, and the filters behind the explorer."""
from __future__ import annotations

import pandas as pd

from . import data

# When several sources report one attack, the one shown for the incident is the
# most precise: a public report dated to the day, then the paper, then the rest.
_PREFERENCE = {"public": 0, "paper": 1, "seed": 2}


def incidents(attacks: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per attack (incident), taken from its most precise report.

    ``reports`` counts the sources that tell of the attack and ``sources``
    lists them, so a reader can see where the row came from.
    """
    attacks = data.attacks() if attacks is None else attacks
    kinds = data.sources().set_index("source_id")["kind"]
    ranked = attacks.assign(
        _kind=attacks["source_id"].map(kinds).map(_PREFERENCE).fillna(3),
        _precise=(attacks["date_precision"] != "day").astype(int),
    ).sort_values(["incident_id", "_precise", "_kind", "attack_id"])
    chosen = ranked.drop_duplicates("incident_id").drop(columns=["_kind", "_precise"])
    counts = attacks.groupby("incident_id").agg(reports=("attack_id", "size"),
                                                sources=("source_id", lambda s: "; ".join(s)))
    return chosen.merge(counts, on="incident_id").sort_values("date").reset_index(drop=True)
