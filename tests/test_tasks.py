"""The tasks helpers: dates shown as precisely as their source, tasks without events said out loud."""

import pandas as pd
import pytest

from usiraq import data, tasks


def test_date_basis_separates_the_paper_from_the_module():
    assert (
        tasks.date_basis("the module's reading: the paper gives no date for this task")
        == "the module's reading"
    )
    assert (
        tasks.date_basis("the paper: the return came after ISIS seized provinces in June 2014")
        == "the paper"
    )


def test_task_table_has_the_five_tasks_in_the_papers_order():
    table = tasks.task_table()
    assert list(table["No."]) == sorted(data.tasks()["number"])
    assert set(table["dated by"]) <= {"the paper", "the module's reading"}
    assert table["prominent from"].str.fullmatch(r"\d{4}-\d{2}").all()


def test_task_events_are_sorted_and_name_their_source():
    events = tasks.task_events("counter-iran")
    assert len(events) > 0
    assert (events["task_id"] == "counter-iran").all()
    assert events["when"].is_monotonic_increasing
    assert events["source"].isin(["the paper", "public record", "companion text"]).all()


def test_task_events_for_all_tasks_leave_out_untagged_rows():
    everything = tasks.task_events()
    assert len(everything) == data.events()["task_id"].notna().sum()


def test_events_per_task_keeps_tasks_without_events():
    table = tasks.events_per_task()
    assert len(table) == len(data.tasks())
    counted = table["all sources"].sum()
    assert counted == data.events()["task_id"].notna().sum()
    empty = table[table["all sources"] == 0]
    assert (empty["first event"] == "none").all()
    both = table["paper"] + table["public record"]
    assert (both <= table["all sources"]).all()


def test_task_card_with_events_shows_them_in_order():
    card = tasks.task_card("counter-iran")
    assert card.has_events
    assert list(card.events.columns) == ["date", "event", "source", "section", "event_id"]
    assert "Task 5" in card.title
    assert "<table" in card.html() and card.empty_note not in card.html()


def test_task_card_without_events_says_so_instead_of_an_empty_table():
    events_free = [
        t for t in data.tasks()["task_id"] if t not in set(data.events()["task_id"].dropna())
    ]
    assert events_free, "the data has no task without events; this test needs one"
    card = tasks.task_card(events_free[0])
    assert not card.has_events
    assert "No dated event" in card.text
    assert "<table" not in card.html() and "No dated event" in card.html()
    assert dict(card.summary)["Dated events in the data"] == "none"


def test_task_card_with_a_single_event():
    events = data.events()
    one = events[events["event_id"] == "E044"]
    card = tasks.task_card(one["task_id"].iloc[0], events=one)
    assert len(card.events) == 1
    assert "1 (1 from the paper, 0 from other sources)" in card.text


def test_task_card_rejects_an_unknown_task():
    with pytest.raises(ValueError, match="Unknown task"):
        tasks.task_card("not-a-task")


def test_task_card_escapes_html():
    events = data.events().head(1).assign(task_id="counter-isis", event="<script>x</script>")
    assert "<script>" not in tasks.task_card("counter-isis", events=events).html()


def test_options_and_lanes_follow_the_papers_numbers():
    options = tasks.task_options()
    assert [label.split(".")[0] for label, _ in options] == ["1", "2", "3", "4", "5"]
    lanes = tasks.lanes()
    first = options[0][1]
    assert lanes[first] == max(lanes.values()) and sorted(lanes.values()) == [1, 2, 3, 4, 5]


def test_latest_paper_date_is_a_paper_event():
    latest = tasks.latest_paper_date()
    events = data.events()
    assert (events.loc[events["source_id"] == "paper", "date"] <= latest).all()


def test_strike_reports_keep_every_report_of_one_strike():
    december = tasks.strike_reports("2019-12-29-kh")
    assert len(december) == (data.strikes()["incident_id"] == "2019-12-29-kh").sum()
    assert set(december["source"]) >= {"the paper", "public record"}
    assert tasks.strike_reports("no-such-strike").empty


def test_escalation_mixes_attacks_and_us_moves_in_date_order():
    window = tasks.escalation("2019-12-01", "2020-01-31")
    assert set(window["what"]) == {
        "attack on US forces or sites",
        "US move against Iran or its allies",
    }
    assert window["date"].map(pd.Timestamp).is_monotonic_increasing
    assert window.loc[window["what"] != "attack on US forces or sites", "US killed"].isna().all()


def test_escalation_of_an_empty_window_is_empty():
    assert tasks.escalation("1990-01-01", "1990-12-31").empty


def test_show_gives_html_without_the_index_and_readable_text():
    shown = tasks.show(pd.DataFrame({"a": ["long <b>text</b>", None]}, index=[7, 8]))
    html = shown._repr_html_()
    assert "long &lt;b&gt;text&lt;/b&gt;" in html and "<b>" not in html  # escaped
    assert ">7<" not in html and "NaN" not in html and "None" not in html and "<NA>" not in html
    assert "text-align: left" in html
    assert repr(shown).splitlines()[1].strip() == "long <b>text</b>" and "Styler" not in repr(shown)


def test_answers_to_deadly_attacks_pair_each_deadly_attack_with_the_next_dated_move():
    answers = tasks.answers_to_deadly_attacks("2019-01-01", "2020-03-31")
    assert (answers["US killed"] > 0).all()
    assert (answers["days later"].dropna() > 0).all()
    assert (answers["next US move"].str.len().isin([0, 10])).all()


def test_answers_to_deadly_attacks_with_no_move_in_the_window():
    answers = tasks.answers_to_deadly_attacks("2020-03-10", "2020-03-12")
    assert len(answers) == 1 and answers["days later"].isna().all()
    assert answers["what the US did"].iloc[0] == "none in the window"


def test_answers_to_deadly_attacks_of_an_empty_window():
    assert tasks.answers_to_deadly_attacks("1990-01-01", "1990-12-31").empty


def test_casualties_in_the_escalation_are_shown_for_both_sides():
    window = tasks.escalation("2019-12-01", "2020-03-31")
    assert {"US killed", "Iraqi killed"} <= set(window.columns)
    answers = tasks.answers_to_deadly_attacks("2019-12-01", "2020-03-31")
    assert {"US killed", "Iraqi killed"} <= set(answers.columns)
