"""check_chart() judges a student's chart like check() judges an answer, and never raises."""

import json

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from usiraq import check_chart
from usiraq.checking import (
    charts,
    judging,
    registry,
)
from usiraq.checking.verdict import Verdict

registry.load()  # declare every chart task
CHART_IDS = sorted(registry.CHARTS)
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]
HATCHES = ["//", "..", "xx", "\\\\", "++", "oo", "--", "||"]


@pytest.fixture(autouse=True)
def fresh():
    judging.reset_tries()
    yield
    plt.close("all")


def good_chart(
    task, drop_point=False, legend=True, same_look=False, title="A title that states the finding"
):
    """A chart that meets the task's specification, drawn from its expected data (with faults on request)."""
    fig, ax = plt.subplots()
    expected = task.expected()
    if task.kind == "map":
        ax.plot([40, 45], [30, 35], linestyle="none", marker="^")
        for number, (name, date) in enumerate(expected["labels"]):
            ax.annotate(f"{name}, {date:%d %b}", (40 + number, 33))
        ax.legend(handles=ax.get_lines())
    else:
        for number, (name, values) in enumerate(expected.items()):
            values = values[:-1] if drop_point and number == 0 else values
            if task.kind == "points":
                x = np.arange(len(values))
                ax.plot(
                    x,
                    values,
                    linestyle="none",
                    marker="o" if same_look else MARKERS[number],
                    label=name,
                )
                if task.label_points:
                    for xi, yi in zip(x, values):
                        ax.annotate(f"{yi:.0f}", (xi, yi))
            else:
                x = np.arange(len(values)) + number * 0.3
                ax.bar(x, values, width=0.3, label=name, hatch="" if same_look else HATCHES[number])
        if legend:
            ax.legend()
    ax.set_title(title)
    ax.set_xlabel("x (unit)")
    ax.set_ylabel(task.ylabel or "y (unit)")
    return fig, ax


@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_a_chart_to_specification_is_correct(chart_id):
    fig, ax = good_chart(registry.CHARTS[chart_id])
    assert check_chart(chart_id, fig).status == "correct"
    assert check_chart(chart_id, ax).status == "correct"
    assert check_chart(chart_id, (fig, ax)).status == "correct"


def test_all_five_chart_tasks_are_declared():
    assert CHART_IDS == ["01.3", "02.6", "03.6", "04.4", "05.6"]


@pytest.mark.parametrize("chart_id", [i for i in CHART_IDS if registry.CHARTS[i].kind != "map"])
def test_a_missing_point_or_bar_is_wrong(chart_id):
    fig, _ = good_chart(registry.CHARTS[chart_id], drop_point=True)
    verdict = check_chart(chart_id, fig)
    assert verdict.status == "wrong" and "Hint:" in verdict.message


@pytest.mark.parametrize("chart_id", [i for i in CHART_IDS if registry.CHARTS[i].kind != "map"])
def test_several_series_need_a_legend_and_more_than_colour(chart_id):
    task = registry.CHARTS[chart_id]
    if len(task.expected()) < 2:
        raise AssertionError(
            f"{chart_id}: a chart task with one series cannot test the legend rule"
        )
    fig, _ = good_chart(task, legend=False)
    assert "legend" in check_chart(chart_id, fig).message
    fig, _ = good_chart(task, same_look=True)
    assert "only by colour" in check_chart(chart_id, fig).message


@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_a_chart_without_title_is_wrong(chart_id):
    fig, _ = good_chart(registry.CHARTS[chart_id], title="")
    verdict = check_chart(chart_id, fig)
    assert verdict.status == "wrong" and "title" in verdict.message


def test_the_hints_get_stronger():
    task = registry.CHARTS["03.6"]
    first = check_chart("03.6", good_chart(task, drop_point=True)[0])
    second = check_chart("03.6", good_chart(task, drop_point=True)[0])
    assert task.hints[0] in first.message and "Hint:" in first.message
    assert task.hints[1] in second.message and "Stronger hint:" in second.message


def test_a_bar_chart_is_not_taken_for_markers():
    fig, ax = plt.subplots()
    ax.bar([1, 2, 3], [4, 5, 6])
    assert check_chart("01.3", fig).status == "wrong"


ODD = [None, "a string", ["a", "list"], 42, {"a": 1}, np.arange(3), pd.Series([1, 2]), object()]


@pytest.mark.parametrize("chart_id", CHART_IDS + ["99.9", None, 3.5])
@pytest.mark.parametrize("odd", range(len(ODD) + 3))
def test_odd_input_gets_a_message_never_a_traceback(chart_id, odd):
    if odd < len(ODD):
        given = ODD[odd]
    elif odd == len(ODD):
        given = plt.figure()  # a figure with no axes
    elif odd == len(ODD) + 1:
        given = plt.subplots()[1]  # empty axes
    else:
        given = plt.subplots()[0]  # a figure with empty axes
    verdict = check_chart(chart_id, given)
    assert isinstance(verdict, Verdict)
    assert verdict.status in ("unanswered", "invalid", "wrong", "error")
    assert verdict.message and "Traceback" not in verdict.message and len(verdict.message) < 600


def test_none_means_not_drawn_yet_and_a_string_is_invalid():
    assert check_chart("04.4", None).status == "unanswered"
    assert check_chart("04.4", "my chart").status == "invalid"
    assert check_chart("04.4", plt.figure()).status == "invalid"
    assert check_chart("99.9", plt.figure()).status == "error"


def test_a_failing_expectation_is_an_error_not_a_traceback(monkeypatch):
    def broken():
        raise RuntimeError("boom")

    monkeypatch.setitem(
        registry.CHARTS, "01.3", charts.ChartSpec("01.3", "points", broken, ("a", "b"), "ok")
    )
    assert check_chart("01.3", good_chart(registry.CHARTS["05.6"])[0]).status == "error"


# --- series are counted one by one, and only series of points count --------------------------------


def points_chart(task, draw):
    """A chart to the task's specification, each series drawn by draw(ax, number, x, values, name)."""
    fig, ax = plt.subplots()
    for number, (name, values) in enumerate(task.expected().items()):
        x = np.arange(len(values))
        draw(ax, number, x, values, name)
        if task.label_points:
            for xi, yi in zip(x, values):
                ax.annotate(f"{yi:.0f}", (xi, yi))
    ax.legend()
    ax.set_title("A title that states the finding")
    ax.set_xlabel("x (unit)")
    ax.set_ylabel(task.ylabel or "y (unit)")
    return fig, ax


POINT_IDS = [i for i in CHART_IDS if registry.CHARTS[i].kind == "points"]


@pytest.mark.parametrize("chart_id", POINT_IDS)
def test_series_with_the_same_label_are_not_merged(chart_id):
    fig, _ = points_chart(
        registry.CHARTS[chart_id],
        lambda ax, n, x, values, name: ax.plot(
            x, values, linestyle="none", marker=MARKERS[n], label="figures"
        ),
    )
    assert check_chart(chart_id, fig).status == "correct"


@pytest.mark.parametrize("chart_id", POINT_IDS)
def test_errorbar_series_count_once_each(chart_id):
    fig, _ = points_chart(
        registry.CHARTS[chart_id],
        lambda ax, n, x, values, name: ax.errorbar(
            x, values, yerr=1, fmt=MARKERS[n], capsize=3, label=name
        ),
    )
    verdict = check_chart(chart_id, fig)
    assert verdict.status == "correct", verdict.message


@pytest.mark.parametrize("chart_id", POINT_IDS)
def test_a_shaded_period_or_a_reference_line_is_not_a_series(chart_id):
    fig, ax = good_chart(registry.CHARTS[chart_id])
    ax.fill_between([0, 2], 0, 1, alpha=0.2, label="a period")
    ax.axvspan(0, 1, alpha=0.1)
    ax.axhline(1, linestyle="--")
    verdict = check_chart(chart_id, fig)
    assert verdict.status == "correct", verdict.message


def test_an_extra_series_of_points_is_still_counted():
    task = registry.CHARTS["01.3"]
    fig, ax = good_chart(task)
    ax.scatter([0, 1], [5, 6], marker="x", label="extra")
    verdict = check_chart("01.3", fig)
    assert verdict.status == "wrong"
    assert f"{len(task.expected()) + 1} series" in verdict.message


# --- scatter series are told apart by more than colour too ---------------------------------------


@pytest.mark.parametrize("chart_id", POINT_IDS)
def test_scatter_series_with_their_own_markers_are_correct(chart_id):
    fig, _ = points_chart(
        registry.CHARTS[chart_id],
        lambda ax, n, x, values, name: ax.scatter(x, values, marker=MARKERS[n], label=name),
    )
    verdict = check_chart(chart_id, fig)
    assert verdict.status == "correct", verdict.message


@pytest.mark.parametrize("chart_id", POINT_IDS)
def test_scatter_series_that_differ_only_by_colour_are_wrong(chart_id):
    fig, _ = points_chart(
        registry.CHARTS[chart_id],
        lambda ax, n, x, values, name: ax.scatter(x, values, marker="o", label=name),
    )
    verdict = check_chart(chart_id, fig)
    assert verdict.status == "wrong" and "only by colour" in verdict.message


def test_a_scatter_series_and_a_line_series_with_the_same_marker_differ_only_by_colour():
    fig, _ = points_chart(
        registry.CHARTS["05.6"],
        lambda ax, n, x, values, name: (
            ax.plot(x, values, linestyle="none", marker="o", label=name)
            if n == 0
            else ax.scatter(x, values, marker="o", label=name)
        ),
    )
    assert "only by colour" in check_chart("05.6", fig).message


def test_hollow_or_hatched_scatter_markers_tell_series_apart():
    hollow = points_chart(
        registry.CHARTS["05.6"],
        lambda ax, n, x, values, name: ax.scatter(
            x, values, marker="o", label=name, facecolors="none" if n else None, edgecolors="black"
        ),
    )[0]
    hatched = points_chart(
        registry.CHARTS["05.6"],
        lambda ax, n, x, values, name: ax.scatter(
            x, values, marker="o", s=200, label=name, hatch="//" if n else None
        ),
    )[0]
    assert check_chart("05.6", hollow).status == "correct"
    assert check_chart("05.6", hatched).status == "correct"


# --- the same verdict plumbing as check() --------------------------------------------------------


def test_an_unwritable_check_log_does_not_stop_the_check(monkeypatch, tmp_path):
    monkeypatch.setenv("USIRAQ_CHECK_LOG", str(tmp_path))  # a folder: opening it to append fails
    assert check_chart("03.6", good_chart(registry.CHARTS["03.6"])[0]).status == "correct"
    assert check_chart("03.6", None).status == "unanswered"
    assert check_chart("99.9", None).status == "error"


def test_verdicts_are_logged_under_the_chart_id(monkeypatch, tmp_path):
    log = tmp_path / "checks.jsonl"
    monkeypatch.setenv("USIRAQ_CHECK_LOG", str(log))
    verdict = check_chart("03.6", good_chart(registry.CHARTS["03.6"])[0])
    assert verdict.exercise_id == "03.6"
    assert [json.loads(line) for line in log.read_text().splitlines()] == [
        {"id": "03.6 chart", "status": "correct"}
    ]


def test_wrong_verdicts_carry_the_hint_level():
    task = registry.CHARTS["03.6"]
    levels = [
        check_chart("03.6", good_chart(task, drop_point=True)[0]).hint_level for _ in range(3)
    ]
    assert levels == [1, 2, 2]
    assert check_chart("03.6", good_chart(task)[0]).hint_level == 0
    assert check_chart("03.6", good_chart(task, drop_point=True)[0]).hint_level == 1
    assert check_chart("03.6", None).hint_level == 0
    assert check_chart("03.6", "my chart").hint_level == 0


class Unprintable:
    def __str__(self):
        raise RuntimeError("no text")

    def __repr__(self):
        raise RuntimeError("no text")


def test_an_id_that_cannot_be_printed_gets_a_message():
    verdict = check_chart(Unprintable(), None)
    assert isinstance(verdict, Verdict) and verdict.status == "error" and verdict.message
    assert str(verdict)


def test_odd_values_are_named_in_plain_words():
    message = check_chart("04.4", np.arange(3)).message
    assert "an array of values" in message and "ndarray" not in message
    assert "a table (DataFrame)" in check_chart("04.4", pd.DataFrame({"a": [1]})).message


def test_markers_joined_by_a_line_are_not_a_series_of_points():
    fig, _ = points_chart(
        registry.CHARTS["05.6"],
        lambda ax, n, x, values, name: ax.plot(x, values, marker=MARKERS[n], label=name),
    )
    verdict = check_chart("05.6", fig)
    assert verdict.status == "wrong" and "joined by a line" in verdict.message


def test_a_hollow_marker_given_as_an_array_of_colours_is_told_apart():
    fig, _ = points_chart(
        registry.CHARTS["05.6"],
        lambda ax, n, x, values, name: ax.plot(
            x,
            values,
            linestyle="none",
            marker="o",
            label=name,
            markerfacecolor=np.array([1.0, 1.0, 1.0]) if n else np.array([0.0, 0.0, 0.0]),
        ),
    )
    assert check_chart("05.6", fig).status == "correct"


def map_chart(label, places=0):
    """The 02.6 map with each base labelled by ``label(name, date)``, plus ``places`` extra labelled places."""
    fig, ax = good_chart(registry.CHARTS["02.6"])
    for text in list(ax.texts):
        text.remove()
    for number, (name, date) in enumerate(registry.CHARTS["02.6"].expected()["labels"]):
        ax.annotate(label(name, date), (40 + number, 33))
    ax.text(42.5, 30.0, "Saudi Arabia")  # country names are plain texts, not labelled places
    for number in range(places):
        ax.annotate(f"City {number}", (44, 30 + number))
    return fig


def test_a_map_label_needs_the_date_in_any_usual_form():
    for form in (
        "{name}, {date:%d %b}",
        "{name} ({date.day} {date:%B})",
        "{name}: {date:%Y-%m-%d}",
    ):
        fig = map_chart(lambda name, date, form=form: form.format(name=name, date=date))
        assert check_chart("02.6", fig).status == "correct", form
    verdict = check_chart("02.6", map_chart(lambda name, date: name))
    assert verdict.status == "wrong" and "give no date" in verdict.message


def test_a_map_of_more_places_than_asked_is_wrong():
    allowed = registry.CHARTS["02.6"].most_labels
    assert (
        allowed == len(registry.CHARTS["02.6"].expected()["labels"]) + 1
    )  # the bases and the capital
    assert (
        check_chart("02.6", map_chart(lambda n, d: f"{n}, {d:%d %b}", places=1)).status == "correct"
    )
    verdict = check_chart("02.6", map_chart(lambda n, d: f"{n}, {d:%d %b}", places=3))
    assert verdict.status == "wrong" and f"the specification gives {allowed}" in verdict.message


@pytest.mark.parametrize("title", ["Troop levels 2014-2021", "Map", "Attacks per month"])
def test_a_title_that_only_names_the_subject_is_wrong(title):
    verdict = check_chart("01.3", good_chart(registry.CHARTS["01.3"], title=title)[0])
    assert verdict.status == "wrong" and "sentence" in verdict.message


def test_a_title_or_label_running_off_the_figure_is_wrong():
    long_title = "This title goes on and on " * 6
    verdict = check_chart("01.3", good_chart(registry.CHARTS["01.3"], title=long_title)[0])
    assert verdict.status == "wrong" and "title runs off the edge" in verdict.message
    fig, ax = good_chart(registry.CHARTS["01.3"])
    ax.set_ylabel("a y label far too long for the height of this small figure, by a mile or two")
    verdict = check_chart("01.3", fig)
    assert verdict.status == "wrong" and "y label" in verdict.message


def test_a_y_label_that_runs_into_the_source_line_is_wrong():
    from usiraq import style

    style.use()
    fig, ax = style.chart(
        title="A title that states the finding",
        xlabel="x (unit)",
        ylabel="attacks since mid-October 2023\n(cumulative number)",
        source="Source: a source line",
    )
    task = registry.CHARTS["01.3"]
    for number, (name, values) in enumerate(task.expected().items()):
        ax.plot(
            np.arange(len(values)), values, linestyle="none", marker=MARKERS[number], label=name
        )
    ax.legend()
    assert check_chart("01.3", fig).status == "correct"
    ax.set_ylabel("attacks since mid-October 2023 (cumulative number of attacks counted)")
    verdict = check_chart("01.3", fig)
    assert verdict.status == "wrong" and "y label" in verdict.message
    plt.rcdefaults()


def test_a_y_label_the_task_fixes_is_checked():
    task = registry.CHARTS["03.6"]
    assert task.ylabel
    fig, ax = good_chart(task)
    ax.set_ylabel(task.ylabel)
    assert check_chart("03.6", fig).status == "correct"
    ax.set_ylabel("Count")
    verdict = check_chart("03.6", fig)
    assert verdict.status == "wrong" and task.ylabel in verdict.message


def test_stacked_bars_missing_empty_months_say_how_the_count_is_made():
    task = registry.CHARTS["04.4"]
    expected = task.expected()
    fig, ax = plt.subplots()
    for number, (name, values) in enumerate(expected.items()):
        kept = [v for v in values if v] or values[:1]
        ax.bar(np.arange(len(kept)), kept, label=name, hatch=HATCHES[number])
    ax.legend()
    ax.set_title("A title that states the finding")
    ax.set_xlabel("month")
    ax.set_ylabel("attacks")
    verdict = check_chart("04.4", fig)
    each = len(next(iter(expected.values())))
    assert verdict.status == "wrong" and f"{len(expected)} series of {each} bars" in verdict.message
