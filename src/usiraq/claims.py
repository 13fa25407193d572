"""The paper against the record, what came after it, and the debate about withdrawal.

Notebook 05 asks students to judge a source.  The functions here do the
bookkeeping so the notebook can stay short: group the checks into the
statements they check (one statement can be checked against several sources),
count statements by kind and verdict, and by whose statement they are (the
paper's own tally first: a companion's error is not the paper's), put a claim
side by side with the record, the search for the claimant's side and both full
citations, list the events after the paper was written, and lay out the
competing explanations of why Iraqi officials call for a withdrawal, each with
the rows of the data that bear on it.
"""

from __future__ import annotations

import pandas as pd

from . import data

# The order in which kinds and verdicts are shown everywhere, so that tables
# and charts line up and a kind with no claims still appears (with zero).
KINDS = ["date", "count", "distance", "place", "citation", "arithmetic", "attribution", "wording"]
VERDICTS = ["agrees", "partly agrees", "disagrees", "inconsistent", "unverifiable"]
ALL = "all"

# What each kind of statement is, in plain words, for the static table.
KIND_MEANING = {
    "date": "when something happened, or a date that gives away when the text was written",
    "count": "a number of troops, bases, missiles, attacks or deaths",
    "distance": "how far a base lies from a city",
    "place": "where something happened, or in what setting",
    "citation": "whether a reference can support what it is cited for",
    "arithmetic": "figures that must fit together (shares of one whole)",
    "attribution": "which weapon or which actor",
    "wording": "a phrase that can be read two ways, or one thing given two names",
}

# The check notebook 05 walks through step by step.  It was chosen because its
# verdict survived the search for a source of the time on the paper's side
# (tests/test_claims.py holds it to that).
WORKED_EXAMPLE = "C06"

# Whose statements are checked, in the order the tallies show them: the paper first.
AUTHORS = {
    "paper": "the paper (Maree, Khader & Khalaf)",
    "seed-hashimi": "Al-Hashimi (2020)",
    "seed-ap-quoted": "AP, quoted in the Stack Exchange question",
}


# ---------------------------------------------------------------- citations


def _raw_dates() -> pd.Series:
    """Source dates exactly as written (``2011-10`` stays a month, not 1 October)."""
    return data.as_written("sources").set_index("source_id")["date"].fillna("")


def citation(source_id: str | None, sources: pd.DataFrame | None = None) -> str:
    """The full citation of one source: author (date). Title. Publisher. Address.

    Parts the source lacks are left out rather than invented; a missing date is
    written "n.d." (no date) so the reader sees that it is missing.
    """
    if source_id is None or pd.isna(source_id) or source_id == "":
        return "no checked source"
    sources = data.sources() if sources is None else sources
    rows = sources[sources["source_id"] == source_id]
    if rows.empty:
        return f"{source_id} (not in sources.csv)"
    row = rows.iloc[0]
    date = _raw_dates().get(source_id, "") or "n.d."
    parts = []
    author = row["author"] if pd.notna(row["author"]) else None
    parts.append(f"{author} ({date})." if author else f"({date}).")
    parts.append(f"{row['title']}.")
    if pd.notna(row["publisher"]):
        parts.append(f"{row['publisher']}.")
    if pd.notna(row["url"]):
        parts.append(str(row["url"]))
    elif pd.notna(row["seed_file"]):
        parts.append(f"[seed file {row['seed_file']}]")
    return " ".join(parts)


# ---------------------------------------------------------------- counting

# From the most to the least favourable to the claimant.  A statement checked
# against several sources takes the most favourable verdict of its rows (each
# row's verdict already weighs the sources of its time that conflict), unless a
# row finds the author contradicting itself.  The rule is written in the claims
# table's description in datapackage.json.
FAVOUR = ["agrees", "partly agrees", "disagrees", "unverifiable"]


def statement_verdict(verdicts) -> str:
    """The verdict of one statement from the verdicts of the rows that check it."""
    verdicts = set(verdicts)
    if "inconsistent" in verdicts:
        return "inconsistent"
    return next(v for v in FAVOUR if v in verdicts)


def statements(claims: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per statement: whose, its kind, what it says, its verdict and the rows that check it.

    Counting rows would count a statement checked against two sources twice;
    the tallies count statements.  ``rows`` says how many checks each has and
    ``claim_ids`` which.
    """
    claims = data.claims() if claims is None else claims
    grouped = claims.sort_values("claim_id").groupby("statement_id", sort=True)
    out = grouped.agg(
        claim_source=("claim_source", "first"),
        kind=("kind", "first"),
        topic=("topic", "first"),
        claim_value=("claim_value", "first"),
        verdict=("verdict", statement_verdict),
        rows=("claim_id", "size"),
        claim_ids=("claim_id", ", ".join),
    )
    return out.reset_index()


def summary(claims: pd.DataFrame | None = None, totals: bool = False) -> pd.DataFrame:
    """Number of statements by kind (rows) and verdict (columns), zeros included.

    Every kind and verdict appears in a fixed order, even with no statements,
    so that two selections can be compared cell by cell.  ``totals=True`` adds
    a ``total`` column and row.
    """
    table = statements(claims)
    counts = (
        table.groupby(["kind", "verdict"])
        .size()
        .unstack(fill_value=0)
        .reindex(index=KINDS, columns=VERDICTS, fill_value=0)
        .astype(int)
    )
    counts.index.name, counts.columns.name = "kind", "verdict"
    if totals:
        counts["total"] = counts.sum(axis=1)
        counts.loc["total"] = counts.sum(axis=0)
    return counts


def by_author(claims: pd.DataFrame | None = None) -> pd.DataFrame:
    """Statements by whose they are (rows, the paper first) and verdict (columns), with totals and rows.

    A companion's error is not the paper's: counting them together would
    charge the authors with what others wrote.  ``rows`` is the number of
    checks behind the statements (some statements are checked twice or more).
    """
    claims = data.claims() if claims is None else claims
    table = statements(claims)
    present = set(table["claim_source"])
    order = [a for a in list(AUTHORS) + sorted(present - set(AUTHORS)) if a in present]
    counts = (
        table.groupby(["claim_source", "verdict"])
        .size()
        .unstack(fill_value=0)
        .reindex(index=order, columns=VERDICTS, fill_value=0)
        .astype(int)
    )
    counts["total"] = counts.sum(axis=1)
    counts["rows"] = table.groupby("claim_source")["rows"].sum().reindex(order).astype(int)
    counts.index = [AUTHORS.get(a, a) for a in counts.index]
    counts.index.name, counts.columns.name = "whose statement", "verdict"
    return counts


def share(claims: pd.DataFrame | None = None, verdict: str = "disagrees") -> float:
    """Percent of statements with this verdict; 0 for an empty table."""
    table = statements(claims)
    if len(table) == 0:
        return 0.0
    return 100 * float((table["verdict"] == verdict).sum()) / len(table)


def select(claims: pd.DataFrame | None = None, kind: str = ALL, verdict: str = ALL) -> pd.DataFrame:
    """The claims of one kind and/or one verdict ("all" keeps every value)."""
    claims = data.claims() if claims is None else claims
    keep = pd.Series(True, index=claims.index)
    if kind != ALL:
        keep &= claims["kind"] == kind
    if verdict != ALL:
        keep &= claims["verdict"] == verdict
    return claims[keep].sort_values("claim_id")


def options(
    claims: pd.DataFrame | None = None, kind: str = ALL, verdict: str = ALL
) -> list[tuple[str, str]]:
    """(label, claim_id) pairs for a drop-down list, e.g. ('C15 · Source cited for ...', 'C15')."""
    chosen = select(claims, kind, verdict)
    return [(f"{cid} · {topic}", cid) for cid, topic in zip(chosen["claim_id"], chosen["topic"])]


def by_kind(claims: pd.DataFrame | None = None) -> pd.DataFrame:
    """The whole claims table, grouped by kind (in KINDS order) then verdict: the static view."""
    claims = data.claims() if claims is None else claims
    order = {k: i for i, k in enumerate(KINDS)}
    verdict_order = {v: i for i, v in enumerate(VERDICTS)}
    out = claims.assign(
        _k=claims["kind"].map(order), _v=claims["verdict"].map(verdict_order)
    ).sort_values(["_k", "_v", "claim_id"])
    out = out[
        [
            "kind",
            "claim_id",
            "verdict",
            "topic",
            "claim_value",
            "claim_source",
            "record_value",
            "record_source",
        ]
    ]
    return out.set_index(["kind", "claim_id"])


# ---------------------------------------------------------------- for the teacher's guide

# The claim cards of the guide's activity: the rows of each card (one statement
# or a few about one subject) and what the card teaches.  The claim, the record
# and the verdict on each card are read from the data, so the cards cannot
# drift from it (``make times`` writes them into docs/teachers_guide.md).
CARDS = [
    (("C13",), "Much of what the paper says checks out."),
    (("C41", "C42"), "A check confirms as often as it refutes."),
    (("C10",), "A count with no date, and no source of the time found on the paper's side."),
    (
        ("C14", "C60", "C15"),
        "Compare like with like: the figure fits a plan announced in February 2019, not the "
        "move of October.",
    ),
    (
        ("C06", "C07"),
        "Right dates, wrong bases: a swap, with no source of the time on the paper's side.",
    ),
    (("C16",), 'One counter-example breaks a neat story ("every president visited").'),
    (
        ("C04", "C05"),
        "A text can contradict itself when it takes figures from reports of different days; early "
        "tolls rise.",
    ),
    (("C21",), "Read the author's own source: the cited report settles an ambiguous phrase."),
    (
        ("C01", "C02", "C58"),
        "What was counted, when, and by whom: neither government's count alone is the record.",
    ),
    (("C19",), "The report date is not the event date."),
    (("C24",), "Find the occasion the author means: Trump made the demand twice."),
    (("C18",), "Sources of the time conflict: keep both, and say which one the author follows."),
    (("C32",), "Date a text by its contents."),
    (("C28",), "Simple arithmetic can find an error without any other source."),
    (("C38",), '"Unverifiable" is an honest verdict, not a polite "false".'),
]


def _cell(text) -> str:
    return str(text).replace("|", "/").replace("\n", " ")


def cards_markdown(claims: pd.DataFrame | None = None) -> str:
    """The claim cards as a Markdown table, every claim, record and verdict read from the data."""
    claims = data.claims() if claims is None else claims
    table = claims.set_index("claim_id")
    verdicts = statements(claims).set_index("statement_id")["verdict"]
    lines = [
        "| Card | Claim | The source says | The record (or the source itself) says | Verdict · kind "
        "| What it teaches |",
        "|---|---|---|---|---|---|",
    ]
    for ids, lesson in CARDS:
        rows = table.loc[list(ids)]
        first = rows.iloc[0]
        where = (
            f"§{first['claim_section']}"
            if first["claim_source"] == "paper" and pd.notna(first["claim_section"])
            else AUTHORS.get(first["claim_source"], first["claim_source"])
        )
        topic = "; ".join(dict.fromkeys(rows["topic"]))
        said = "; ".join(dict.fromkeys(rows["claim_value"]))
        record = "; ".join(dict.fromkeys(rows["record_value"].fillna("no checked source")))
        verdict = ", ".join(dict.fromkeys(verdicts[rows["statement_id"]]))
        kind = ", ".join(dict.fromkeys(rows["kind"]))
        lines.append(
            f"| {', '.join(ids)} | {_cell(topic)}, {where} | {_cell(said)} | {_cell(record)} "
            f"| {verdict} · {kind} | {_cell(lesson)} |"
        )
    return "\n".join(lines)


def tally_markdown(claims: pd.DataFrame | None = None) -> str:
    """The tally of statements by author (notebook 05's table) as Markdown, for the teacher's guide."""
    tally = by_author(claims)
    columns = VERDICTS + ["total", "rows"]
    names = VERDICTS + ["statements", "checks (rows)"]
    lines = ["| whose statements | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]
    for who, row in tally.iterrows():
        lines.append(f"| {who} | " + " | ".join(str(int(row[c])) for c in columns) + " |")
    return "\n".join(lines)


# ---------------------------------------------------------------- one claim


def claim_card(
    claim_id: str | None, claims: pd.DataFrame | None = None, sources: pd.DataFrame | None = None
) -> dict | None:
    """Everything about one claim: what is said, what the record says, both citations, the lesson.

    Returns None for an unknown id (or None), so an explorer with an empty
    selection can say so instead of failing.
    """
    if claim_id is None:
        return None
    claims = data.claims() if claims is None else claims
    rows = claims[claims["claim_id"] == claim_id]
    if rows.empty:
        return None
    row = rows.iloc[0]
    sources = data.sources() if sources is None else sources

    def where(section):
        return f", section {section}" if pd.notna(section) else ""

    return {
        "claim_id": row["claim_id"],
        "topic": row["topic"],
        "kind": row["kind"],
        "verdict": row["verdict"],
        "claim": row["claim_value"],
        "claim_source": f"{row['claim_source']}{where(row['claim_section'])}",
        "claim_citation": citation(row["claim_source"], sources),
        "record": row["record_value"]
        if pd.notna(row["record_value"])
        else "(nothing found to check it against)",
        "record_source": (
            f"{row['record_source']}{where(row['record_section'])}"
            if pd.notna(row["record_source"])
            else "none"
        ),
        "record_citation": citation(row["record_source"], sources),
        "explanation": row["explanation"],
        "statement_id": row["statement_id"],
        "support_source": row["support_source"] if pd.notna(row["support_source"]) else None,
        "support_citation": citation(row["support_source"], sources)
        if pd.notna(row["support_source"])
        else None,
        "support_note": row["support_note"] if pd.notna(row["support_note"]) else None,
        "review_note": row["review_note"] if pd.notna(row["review_note"]) else None,
    }


def card_markdown(
    claim_id: str | None, claims: pd.DataFrame | None = None, sources: pd.DataFrame | None = None
) -> str:
    """The claim card as Markdown for the explorer; a short note when nothing is selected."""
    card = claim_card(claim_id, claims, sources)
    if card is None:
        return "*No claim matches this choice. Choose another kind or verdict.*"
    text = (
        f"**{card['claim_id']} · {card['topic']}**  \n"
        f"Kind: **{card['kind']}** · Verdict: **{card['verdict']}** · Statement: {card['statement_id']}\n\n"
        f"| | What it says | Where |\n|---|---|---|\n"
        f"| **Claim** | {card['claim']} | `{card['claim_source']}` |\n"
        f"| **Record** | {card['record']} | `{card['record_source']}` |\n\n"
        f"**Claim source:** {card['claim_citation']}  \n"
        f"**Record source:** {card['record_citation']}\n\n"
        f"**What it teaches:** {card['explanation']}"
    )
    if card["support_note"]:
        text += f"\n\n**The search for the claimant's side:** {card['support_note']}"
        if card["support_citation"]:
            text += f"  \n**Best source for the claimant:** {card['support_citation']}"
    if card["review_note"]:
        text += f"  \n**Second review:** {card['review_note']}"
    return text


# ---------------------------------------------------------------- after the paper


def after(since: str = "2022-10-27", events: pd.DataFrame | None = None) -> pd.DataFrame:
    """Events from ``since`` on, one row per event, in date order.

    Where a seed document and a public report tell the same event on the same
    day, only the public report is kept (it is the checkable one); the rows of
    a single source on one day are all kept.
    """
    events = data.events() if events is None else events
    late = events[events["date"] >= pd.Timestamp(since)].copy()
    late["_rank"] = data.source_rank(late["source_id"])
    best = late.groupby("date")["_rank"].transform("min")
    late = late[late["_rank"] == best].drop(columns="_rank")
    return data.dated(late).sort_values(["date", "event_id"]).reset_index(drop=True)


def latest_figure(
    troops: pd.DataFrame | None = None,
    before: str | None = None,
    exclude_kinds: tuple[str, ...] = ("announced", "cap"),
) -> pd.Series | None:
    """The most recent troop figure that counts or estimates troops present (not a plan or ceiling).

    ``before`` limits the search to figures dated on or before that day.
    Returns None when no figure qualifies.
    """
    troops = data.troop_levels() if troops is None else troops
    kept = troops[~troops["kind"].isin(exclude_kinds)]
    if before is not None:
        kept = kept[kept["date"] <= pd.Timestamp(before)]
    if kept.empty:
        return None
    return kept.sort_values(["date", "row_id"]).iloc[-1]


def attack_counts(figures: pd.DataFrame | None = None) -> pd.DataFrame:
    """The cumulative counts of attacks since October 2023, one row per counter and date.

    ``open_ended`` is True for a count given as "N or more" (no upper value).
    """
    figures = data.figures() if figures is None else figures
    counts = figures[
        figures["figure_id"].str.startswith("attack-count-")
        & figures["subject"].str.contains("cumulative since")
    ]
    counts = counts.assign(open_ended=counts["value_high"].isna())
    cols = ["figure_id", "date", "value_low", "open_ended", "subject", "source_id", "note"]
    return counts[cols].sort_values(["date", "figure_id"]).reset_index(drop=True)


# ---------------------------------------------------------------- the debate

# The positions in the Politics Stack Exchange discussion (2024) on why Iraqi
# officials call for withdrawal, each with who holds it there and elsewhere in
# the module's sources, and the rows of the data that bear on it (for or against).
POSITIONS = [
    {
        "position": "Sovereignty: foreign troops are unpopular and should leave",
        "held_in_discussion": "a commenter (foreign troops are unpopular unless a large majority welcomes them)",
        "held_elsewhere": "the Iraqi parliament (2020 vote); the Sadrist movement; Sudani's government (2024)",
        "events": ["E075", "E083", "E114"],
        "figures": [],
        "against": "R01",
    },
    {
        "position": "Iraq does not want to be dragged into a US-Iran war",
        "held_in_discussion": "a commenter (Rekesoft); Sudani, quoted in the answer: the relationship must not be "
        "'a target or justification' for anyone to tamper with stability",
        "held_elsewhere": "the paper's conclusion: Iraq as 'an arena for settling scores' between the US and Iran",
        "events": ["E072", "E078", "E111", "E120"],
        "figures": ["attack-count-2024-02-04"],
        "against": "E098",
    },
    {
        "position": "Iraq and Iran are neighbours with a troubled history, so Iraq may need a counterweight",
        "held_in_discussion": "the asker; a commenter (Joe W: past Iran-Iraq wars); disputed by two commenters "
        "(PhillS, Rekesoft: the two are on good terms now)",
        "held_elsewhere": "the paper: Shiite, Sunni and Kurdish blocs that want US forces to balance Iran",
        "events": ["E107"],
        "figures": [],
        "against": None,
        "against_note": "none in the data: the commenters' reply (the two governments cooperate, e.g. on border "
        "security) has no row, so it cannot be checked here",
    },
    {
        "position": "US forces are still needed against what is left of ISIS",
        "held_in_discussion": "the asker (Iraq may lack adequate forces); the answer ('a necessary evil')",
        "held_elsewhere": "the paper (section 3, task 1); Al-Hashimi (2020): training, intelligence, air power",
        "events": ["E058", "E064", "E126"],
        "figures": ["isis-reserves"],
        "against": "E051",
    },
    {
        "position": "The calls are partly a negotiation tactic",
        "held_in_discussion": "the answer: 'hard to say' whether the demand is serious or a tactic",
        "held_elsewhere": "the answer's quoted reporting: calls since 2020, but 'little has changed'",
        "events": ["E075", "E106", "E115"],
        "figures": [],
        "against": "E122",
    },
]


def _event_line(event_id: str, events: pd.DataFrame) -> str:
    row = events[events["event_id"] == event_id]
    if row.empty:
        return f"{event_id} (not in events.csv)"
    row = row.iloc[0]
    return f"{row['event_id']} {data.date_text(row['date'], row['date_precision'])}: {row['event']} [{row['source_id']}]"


def _figure_line(figure_id: str, figures: pd.DataFrame) -> str:
    row = figures[figures["figure_id"] == figure_id]
    if row.empty:
        return f"{figure_id} (not in figures.csv)"
    row = row.iloc[0]
    more = "+" if pd.isna(row["value_high"]) else ""
    return f"{row['figure_id']}: {row['value_low']:,.0f}{more} {row['unit']} ({row['subject']}) [{row['source_id']}]"


def _actor_line(row_id: str, actors: pd.DataFrame) -> str:
    row = actors[actors["row_id"] == row_id]
    if row.empty:
        return f"{row_id} (not in actors.csv)"
    row = row.iloc[0]
    return f"{row['row_id']} {row['name']}: {row['note']} [{row['source_id']}]"


def evidence_line(
    row_id: str,
    events: pd.DataFrame | None = None,
    figures: pd.DataFrame | None = None,
    actors: pd.DataFrame | None = None,
) -> str:
    """One line of evidence, read from the data by id: E... is an event, R... an actor row, else a figure."""
    if row_id.startswith("E") and row_id[1:].isdigit():
        return _event_line(row_id, data.events() if events is None else events)
    if row_id.startswith("R") and row_id[1:].isdigit():
        return _actor_line(row_id, data.actors() if actors is None else actors)
    return _figure_line(row_id, data.figures() if figures is None else figures)


def debate(
    events: pd.DataFrame | None = None,
    figures: pd.DataFrame | None = None,
    actors: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per position: who holds it, the data rows that support it, and one that cuts against it.

    The evidence is read from events.csv, figures.csv and actors.csv by id, so
    every date and number shown comes from the data with its source.
    """
    events = data.events() if events is None else events
    figures = data.figures() if figures is None else figures
    actors = data.actors() if actors is None else actors
    rows = []
    for number, p in enumerate(POSITIONS, 1):
        ids = p["events"] + p["figures"]
        evidence = [evidence_line(i, events, figures, actors) for i in ids]
        against = (
            evidence_line(p["against"], events, figures, actors)
            if p["against"]
            else f"({p.get('against_note', 'none in the data')})"
        )
        rows.append(
            {
                "position": f"{number}. {p['position']}",
                "held in the discussion by": p["held_in_discussion"],
                "held elsewhere by": p["held_elsewhere"],
                "evidence in the data": "; ".join(evidence),
                "a row that cuts against it": against,
            }
        )
    return pd.DataFrame(rows)
