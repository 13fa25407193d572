"""The bookkeeping behind notebook 05: claims by kind and verdict, claim cards, what came after, the debate."""

import pandas as pd
import pytest

from usiraq import claims, data


@pytest.fixture(scope="module")
def table():
    return data.claims()


def test_summary_counts_every_statement_once(table):
    counts = claims.summary(table)
    assert counts.to_numpy().sum() == table["statement_id"].nunique() < len(table)
    assert list(counts.index) == claims.KINDS and list(counts.columns) == claims.VERDICTS


def test_summary_of_an_empty_selection_is_all_zeros(table):
    counts = claims.summary(table.iloc[0:0])
    assert counts.shape == (len(claims.KINDS), len(claims.VERDICTS))
    assert counts.to_numpy().sum() == 0


def test_summary_of_one_claim(table):
    one = table[table["claim_id"] == "C28"]
    counts = claims.summary(one, totals=True)
    assert counts.loc["arithmetic", "inconsistent"] == 1
    assert counts.loc["total", "total"] == 1


def test_summary_totals_add_up(table):
    counts = claims.summary(table, totals=True)
    statements = claims.statements(table)
    assert counts.loc["total", "total"] == len(statements)
    assert counts.loc["total", "agrees"] == (statements["verdict"] == "agrees").sum()


def test_a_statement_checked_twice_is_counted_once(table):
    """The paper's ten missiles are checked against three counts: one statement, three rows."""
    missiles = table[table["statement_id"] == "C01"]
    assert len(missiles) == 3
    assert claims.summary(missiles).to_numpy().sum() == 1
    row = claims.statements(missiles).iloc[0]
    assert row["rows"] == 3 and row["claim_ids"] == "C01, C02, C58"


def test_by_author_counts_statements_for_each_author_with_the_paper_first(table):
    tally = claims.by_author(table)
    assert tally.index[0] == claims.AUTHORS["paper"]
    assert list(tally.columns) == claims.VERDICTS + ["total", "rows"]
    assert tally["total"].sum() == table["statement_id"].nunique()
    assert tally["rows"].sum() == len(table)
    paper = table[table["claim_source"] == "paper"]
    assert tally.loc[claims.AUTHORS["paper"], "total"] == paper["statement_id"].nunique()
    assert tally.loc[claims.AUTHORS["paper"], "rows"] == len(paper)
    # Al-Hashimi's statements are his, not the paper's
    assert (
        tally.loc[claims.AUTHORS["seed-hashimi"], "total"]
        == (table["claim_source"] == "seed-hashimi").sum()
        > 0
    )


@pytest.mark.parametrize(
    "verdicts, expected",
    [
        (["agrees"], "agrees"),
        (["partly agrees", "agrees", "partly agrees"], "agrees"),
        (["partly agrees", "disagrees"], "partly agrees"),
        (["disagrees", "unverifiable"], "disagrees"),
        (["unverifiable"], "unverifiable"),
        (["partly agrees", "inconsistent"], "inconsistent"),
        (["agrees", "inconsistent"], "inconsistent"),
    ],
)
def test_a_statement_takes_its_most_favourable_verdict_unless_the_author_contradicts_itself(
    verdicts, expected
):
    assert claims.statement_verdict(verdicts) == expected


def test_the_rows_of_one_statement_check_the_same_words(table):
    for statement_id, rows in table.groupby("statement_id"):
        assert statement_id == rows["claim_id"].min(), statement_id
        for column in ("claim_source", "kind", "claim_value", "claim_section"):
            assert rows[column].nunique(dropna=False) == 1, (statement_id, column)


def test_every_verdict_short_of_agreement_records_the_search_for_the_claimant(table):
    """No verdict against an author stands without a search for a source of the time on the author's side."""
    open_rows = table[table["verdict"] != "agrees"]
    assert len(open_rows) > 0
    for column in ("support_note", "review_note"):
        missing = open_rows.loc[open_rows[column].fillna("").str.strip() == "", "claim_id"]
        assert missing.empty, f"rows without a {column}: {list(missing)}"


def test_a_row_without_the_search_is_refused_by_the_test_above(table):
    """The check above can fail: a new 'disagrees' row with no notes is caught."""
    new = table.iloc[[0]].assign(
        claim_id="C99",
        statement_id="C99",
        verdict="disagrees",
        support_note=pd.NA,
        review_note=pd.NA,
    )
    with pytest.raises(AssertionError, match="C99"):
        test_every_verdict_short_of_agreement_records_the_search_for_the_claimant(
            pd.concat([table, new])
        )


def test_disagrees_only_where_the_search_found_no_support(table):
    """A source of the time on the claimant's side turns 'disagrees' into 'partly agrees' at worst."""
    disagree = table[table["verdict"] == "disagrees"]
    assert disagree["support_source"].isna().all(), list(
        disagree.loc[disagree["support_source"].notna(), "claim_id"]
    )


def test_the_worked_example_has_been_searched_and_still_disagrees(table):
    example = table.set_index("claim_id").loc[claims.WORKED_EXAMPLE]
    assert example["verdict"] == "disagrees"
    assert example["support_note"] and pd.isna(example["support_source"])


def test_iraqi_and_us_counts_of_the_missiles_sit_side_by_side(table):
    missiles = table[table["statement_id"] == "C01"]
    counts = missiles.set_index("claim_id")["record_number"]
    assert counts["C58"] == 22  # Iraq's military
    assert set(counts[["C01", "C02"]]) == {15, 16}  # the two US counts
    assert claims.statements(missiles).iloc[0]["verdict"] == "partly agrees"


def test_every_claim_checks_a_source_against_another(table):
    """A comparison of two public counts is not a claim against the paper or its companions."""
    kinds = data.sources().set_index("source_id")["kind"]
    assert set(table["claim_source"].map(kinds)) <= {"paper", "seed"}


def test_share_is_a_percentage_of_statements(table):
    statements = claims.statements(table)
    assert claims.share(table, "disagrees") == pytest.approx(
        100 * (statements["verdict"] == "disagrees").mean()
    )
    assert claims.share(table.iloc[0:0]) == 0.0
    assert sum(claims.share(table, v) for v in claims.VERDICTS) == pytest.approx(100)


def test_select_and_options_follow_the_filters(table):
    agree = claims.select(table, verdict="agrees")
    assert set(agree["claim_id"]) == set(table.loc[table["verdict"] == "agrees", "claim_id"])
    assert {"C13", "C39", "C59"} <= set(agree["claim_id"])
    assert claims.options(table, kind="arithmetic") == [
        ("C28 · Make-up of the Popular Mobilization Forces", "C28")
    ]
    assert claims.options(table, kind="arithmetic", verdict="agrees") == []
    assert len(claims.options(table)) == len(table)


def test_by_kind_keeps_every_claim_grouped(table):
    static = claims.by_kind(table)
    assert len(static) == len(table)
    kinds = [k for k, _ in static.index]
    assert kinds == sorted(kinds, key=claims.KINDS.index)


def test_claim_card_has_both_sides_the_search_and_full_citations():
    card = claims.claim_card("C15")
    assert card["kind"] == "citation" and card["verdict"] == "partly agrees"
    assert "Maree" in card["claim_citation"] and "doi.org" in card["claim_citation"]
    assert "rferl.org" in card["record_citation"]
    assert card["claim_source"] == "paper, section 1"
    assert card["support_note"] and card["review_note"] and "rferl.org" in card["support_citation"]
    text = claims.card_markdown("C15")
    assert "search for the claimant's side" in text and "Second review" in text


def test_claim_card_of_an_unverifiable_claim_says_so():
    card = claims.claim_card("C38")
    assert card["record_citation"] == "no checked source"
    assert "nothing found" in card["record"]
    assert card["support_citation"] is None and card["support_note"]


def test_claim_card_for_nothing_selected():
    assert claims.claim_card(None) is None
    assert claims.claim_card("C999") is None
    assert "No claim matches" in claims.card_markdown(None)


def test_card_markdown_shows_the_explanation():
    text = claims.card_markdown("C28")
    assert "110" in text and "What it teaches" in text


def test_citation_keeps_the_precision_of_the_date():
    assert "(2011-10)" in claims.citation("pub-only-20-bases-2011")
    assert "(2022)" in claims.citation("paper")
    assert claims.citation(None) == "no checked source"
    assert "not in sources.csv" in claims.citation("no-such-source")


def test_after_keeps_one_row_per_event_and_prefers_public_reports():
    late = claims.after("2022-10-27")
    assert late["date"].is_monotonic_increasing
    assert "E109" in set(late["event_id"]) and "E108" not in set(late["event_id"])
    assert late["date"].min() >= pd.Timestamp("2022-10-27")
    convoy = late[late["event_id"] == "E123"].iloc[0]
    assert convoy["when"] == "2025-08"


def test_after_a_date_with_no_events_is_empty():
    assert claims.after("2100-01-01").empty


def test_latest_figure_skips_plans_and_ceilings():
    troops = data.troop_levels()
    latest = claims.latest_figure(troops)
    assert latest["kind"] not in ("announced", "cap")
    counted = troops[~troops["kind"].isin(["announced", "cap"])]
    assert latest["date"] == counted["date"].max()
    assert claims.latest_figure(troops, before="2000-01-01") is None
    assert claims.latest_figure(troops, before="2011-12-31")["date"] <= pd.Timestamp("2011-12-31")


def test_attack_counts_are_the_cumulative_counters():
    counts = claims.attack_counts()
    assert counts["figure_id"].str.startswith("attack-count-").all()
    assert "attack-count-2021" not in set(counts["figure_id"])
    assert counts["date"].is_monotonic_increasing
    assert counts.loc[counts["value_low"].idxmax(), "open_ended"]


def test_debate_reads_every_piece_of_evidence_from_the_data():
    table = claims.debate()
    assert len(table) == len(claims.POSITIONS)
    text = " ".join(table["evidence in the data"]) + " ".join(table["a row that cuts against it"])
    assert "not in" not in text  # every id resolves to a row
    assert "2020-01-05" in text


def test_evidence_line_dispatches_on_the_id():
    assert claims.evidence_line("E075").startswith("E075 2020-01-05")
    assert claims.evidence_line("R01").startswith("R01 Iraqi parliament")
    assert claims.evidence_line("isis-reserves").startswith("isis-reserves: 300,000,000")
    assert "not in events.csv" in claims.evidence_line("E999")
