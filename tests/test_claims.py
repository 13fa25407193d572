"""The bookkeeping behind notebook 05: claims by kind and verdict, claim cards, what came after, the debate."""
import pandas as pd
import pytest

from usiraq import claims, data


@pytest.fixture(scope="module")
def table():
    return data.claims()


def test_summary_counts_every_claim_once(table):
    counts = claims.summary(table)
    assert counts.to_numpy().sum() == len(table)
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
    assert counts.loc["total", "total"] == len(table)
    assert counts.loc["total", "agrees"] == (table["verdict"] == "agrees").sum()


def test_by_author_counts_each_author_apart_with_the_paper_first(table):
    tally = claims.by_author(table)
    assert tally.index[0] == claims.AUTHORS["paper"]
    assert tally["total"].sum() == len(table)
    assert list(tally.columns) == claims.VERDICTS + ["total"]
    paper = table[table["claim_source"] == "paper"]
    assert tally.loc[claims.AUTHORS["paper"], "total"] == len(paper)
    assert tally.loc[claims.AUTHORS["paper"], "agrees"] == (paper["verdict"] == "agrees").sum()
    # Al-Hashimi's statements are his, not the paper's
    assert tally.loc[claims.AUTHORS["seed-hashimi"], "total"] == (table["claim_source"] == "seed-hashimi").sum() > 0


def test_every_claim_checks_a_source_against_another(table):
    """A comparison of two public counts is not a claim against the paper or its companions."""
    kinds = data.sources().set_index("source_id")["kind"]
    assert set(table["claim_source"].map(kinds)) <= {"paper", "seed"}


def test_share_is_a_percentage(table):
    assert claims.share(table, "disagrees") == pytest.approx(100 * (table["verdict"] == "disagrees").mean())
    assert claims.share(table.iloc[0:0]) == 0.0
    assert sum(claims.share(table, v) for v in claims.VERDICTS) == pytest.approx(100)


def test_select_and_options_follow_the_filters(table):
    agree = claims.select(table, verdict="agrees")
    assert set(agree["claim_id"]) == set(table.loc[table["verdict"] == "agrees", "claim_id"])
    assert {"C09", "C13", "C39"} <= set(agree["claim_id"])
    assert claims.options(table, kind="arithmetic") == [("C28 · Make-up of the Popular Mobilization Forces", "C28")]
    assert claims.options(table, kind="arithmetic", verdict="agrees") == []
    assert len(claims.options(table)) == len(table)


def test_by_kind_keeps_every_claim_grouped(table):
    static = claims.by_kind(table)
    assert len(static) == len(table)
    kinds = [k for k, _ in static.index]
    assert kinds == sorted(kinds, key=claims.KINDS.index)


def test_claim_card_has_both_sides_and_full_citations():
    card = claims.claim_card("C15")
    assert card["kind"] == "citation" and card["verdict"] == "disagrees"
    assert "Maree" in card["claim_citation"] and "doi.org" in card["claim_citation"]
    assert "stltoday.com" in card["record_citation"]
    assert card["claim_source"] == "paper, section 1"


def test_claim_card_of_an_unverifiable_claim_says_so():
    card = claims.claim_card("C36")
    assert card["record_citation"] == "no checked source"
    assert "nothing found" in card["record"]


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
