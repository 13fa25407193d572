"""check_chart() judges a student's chart against its whole specification, and never raises.

Every chart task has a battery of wrong charts (the ones students and testers
drew among them), each of which must be judged "wrong" with a message that
names the first thing to fix; a chart drawn to the specification is "correct".
"""

import json

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from usiraq import bases, check_chart, data, style
from usiraq.checking import charts, chartview, ladder, registry
from usiraq.checking.verdict import Verdict

registry.load()  # declare every chart task
CHART_IDS = sorted(registry.CHARTS)
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]
HATCHES = ["//", "..", "xx", "\\\\", "++", "oo", "--", "||"]
TITLE = "A title that states the finding in a sentence"


@pytest.fixture(autouse=True)
def fresh():
    ladder.reset()
    yield
    plt.close("all")


def label_for(words):
    """An axis label the specification accepts: its first word, with a unit."""
    return f"{words[0]} (unit)" if words else "what it measures (unit)"


def frame(task, title=TITLE, xlabel=None, ylabel=None, source="Source: data/table.csv"):
    fig, ax = plt.subplots(figsize=(11, 10) if task.kind == "map" else None)
    ax.set_title(title)
    ax.set_xlabel(label_for(task.xlabel) if xlabel is None else xlabel)
    ax.set_ylabel(label_for(task.ylabel) if ylabel is None else ylabel)
    if source:
        style.add_source(fig, source)
    return fig, ax


def good_chart(
    task,
    drop_point=False,
    legend=True,
    same_look=False,
    shift=0.0,
    stacked=None,
    width=0.3,
    **words,
):
    """A chart that meets the task's specification, drawn from its expected data (with faults on request)."""
    fig, ax = frame(task, **words)
    expected = task.expected()
    if task.kind == "map":
        places = expected["places"]
        ax.plot([p[0] for p in places], [p[1] for p in places], linestyle="none", marker="^")
        for (lon, lat), (name, date) in zip(places, expected["labels"]):
            ax.annotate(f"{name}, {date:%d %b}", (lon, lat))
        ax.legend(handles=ax.get_lines())
        return fig, ax
    stacked = task.stacked if stacked is None else stacked
    bottom = None
    for number, (name, values) in enumerate(expected.items()):
        values = [v + shift for v in values]
        values = values[:-1] if drop_point and number == 0 else values
        x = np.arange(len(values))
        if task.kind == "points":
            hollow = name in task.hollow and not same_look
            ax.plot(
                x,
                values,
                linestyle="none",
                marker="o" if same_look else MARKERS[number],
                markerfacecolor="white" if hollow else None,
                label=name,
            )
            if task.label_points:
                for xi, yi in zip(x, values):
                    ax.annotate(f"{yi:.0f}", (xi, yi))
        elif stacked:
            if bottom is None:
                bottom = np.zeros(max(len(v) for v in expected.values()))
            ax.bar(x, values, width=width, bottom=bottom[: len(values)], label=name,
                   hatch="" if same_look else HATCHES[number])  # fmt: skip
            bottom[: len(values)] += np.array(values)
        else:
            ax.bar(x + number * width, values, width=width, label=name,
                   hatch="" if same_look else HATCHES[number])  # fmt: skip
    if legend:
        ax.legend()
    return fig, ax


@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_a_chart_to_specification_is_correct(chart_id):
    fig, ax = good_chart(registry.CHARTS[chart_id])
    assert check_chart(chart_id, fig).status == "correct", check_chart(chart_id, fig).message
    assert check_chart(chart_id, ax).status == "correct"
    assert check_chart(chart_id, (fig, ax)).status == "correct"


def test_all_five_chart_tasks_are_declared():
    assert CHART_IDS == ["01.3", "02.6", "03.6", "04.4", "05.6"]


# --- The battery: wrong charts, each with what the message must name ---------------------------------


def real_map(handed=True, label=None, source=None, xlabel=None, ylabel=None, legend=True):
    """The 02.6 map as the solution draws it: bases.draw_map, then a label per base."""
    task = registry.CHARTS["02.6"]
    all_bases = data.bases()
    shown = all_bases.dropna(subset=["handover_date"]) if handed else all_bases
    capital = data.places().query("kind == 'capital'")
    fig, ax = frame(task, xlabel=xlabel, ylabel=ylabel,
                    source=bases.MAP_SOURCE if source is None else source)  # fmt: skip
    bases.draw_map(ax, shown, capital, data.map_outline(), labels=False)
    label = label or (lambda row: f"{bases.SHORT_NAMES[row.base_id]}, {row.handover_date:%d %b}")
    for row in all_bases.dropna(subset=["handover_date"]).itertuples():
        ax.annotate(label(row), (row.lon, row.lat))
    if legend:
        ax.legend(handles=bases.map_legend_handles(cities=False))
    return fig


def monthly_bars(width=None, stacked=True):
    """04.4 as a student draws it on a date axis: one ax.bar per weapon, on the first day of each month."""
    task = registry.CHARTS["04.4"]
    months = pd.date_range("2019-01-01", "2020-03-01", freq="MS")
    fig, ax = frame(task)
    bottom = np.zeros(len(months))
    for number, (weapon, counts) in enumerate(task.expected().items()):
        extra = {} if width is None else {"width": width, "align": "edge"}
        ax.bar(months, counts, bottom=bottom if stacked else None, hatch=HATCHES[number],
               label=weapon, **extra)  # fmt: skip
        bottom = bottom + np.array(counts)
    ax.legend()
    return fig


def drawn_as(kind):
    """The task's data drawn as the other kind of chart: bars for markers, markers for bars."""

    def chart(task):
        fig, ax = frame(task)
        for number, (name, values) in enumerate(task.expected().items()):
            x = np.arange(len(values)) + number * 0.3
            if kind == "bars":
                ax.bar(x, values, width=0.3, label=name, hatch=HATCHES[number])
            else:
                ax.plot(x, values, linestyle="none", marker=MARKERS[number], label=name)
        ax.legend()
        return fig

    return chart


def regrouped(task):
    """The right values, one moved from the first series to the second."""
    fig, ax = frame(task)
    groups = [list(v) for v in task.expected().values()]
    groups[1].append(groups[0].pop())
    for number, values in enumerate(groups):
        ax.plot(np.arange(len(values)), values, linestyle="none", marker=MARKERS[number],
                label=str(number))  # fmt: skip
        if task.label_points:
            for xi, yi in enumerate(values):
                ax.annotate(f"{yi:.0f}", (xi, yi))
    ax.legend()
    return fig


def long_title(task):
    return good_chart(task, title="This title goes on and on " * 6)[0]


GENERIC = {
    "no title": (lambda t: good_chart(t, title="")[0], "no title"),
    "a title that names the subject": (
        lambda t: good_chart(t, title="Troop levels")[0],
        "sentence",
    ),
    "no x label": (lambda t: good_chart(t, xlabel="")[0], "x axis has no label"),
    "an x label 'x'": (lambda t: good_chart(t, xlabel="x")[0], "x label 'x'"),
    "no y label": (lambda t: good_chart(t, ylabel="")[0], "y axis has no label"),
    "a y label 'y'": (lambda t: good_chart(t, ylabel="y")[0], "y label 'y'"),
    "no source line": (lambda t: good_chart(t, source="")[0], "no source line"),
    "an empty source line": (lambda t: good_chart(t, source="Source: ")[0], "no source line"),
    "a title off the figure": (long_title, "title runs off the edge"),
}
SERIES = {
    "a missing point or bar": (lambda t: good_chart(t, drop_point=True)[0], "specification gives"),
    "values off the data": (lambda t: good_chart(t, shift=5)[0], "differ from the data"),
    "no legend": (lambda t: good_chart(t, legend=False)[0], "no legend"),
    "series told apart by colour alone": (
        lambda t: good_chart(t, same_look=True)[0],
        "only by colour",
    ),
}
SPECIFIC = {
    "01.3": {
        "bars where markers were asked": (drawn_as("bars"), "no markers"),
        "markers joined by a line": (
            lambda t: (lambda fig, ax: (ax.lines[0].set_linestyle("-"), fig)[1])(*good_chart(t)),
            "joined by a line",
        ),
        "values grouped in the wrong series": (regrouped, "wrong series"),
    },
    "02.6": {
        "all 16 bases drawn": (lambda t: real_map(handed=False), "more places than the task asks"),
        "axis labels 'x' and 'y'": (lambda t: real_map(xlabel="x", ylabel="y"), "x label 'x'"),
        "an empty source line": (lambda t: real_map(source="Source:"), "no source line"),
        "a wrong date in the labels": (
            lambda t: real_map(label=lambda row: f"{bases.SHORT_NAMES[row.base_id]} 01 Jan"),
            "give a date that is not the one in the data",
        ),
        "labels without dates": (
            lambda t: real_map(label=lambda row: bases.SHORT_NAMES[row.base_id]),
            "give no date",
        ),
        "no legend": (lambda t: real_map(legend=False), "no legend"),
        "a base left off": (
            lambda t: (lambda fig: (fig.axes[0].lines[-1].remove(), fig)[1])(real_map()),
            "not on the map",
        ),
    },
    "03.6": {
        "markers where bars were asked": (drawn_as("points"), "no bars"),
        "bars stacked where side by side was asked": (
            lambda t: good_chart(t, stacked=True)[0],
            "stacked",
        ),
        "bars of two series on top of each other": (
            lambda t: good_chart(t, width=0.0)[0] if False else overlapping(t),
            "on top of each other",
        ),
    },
    "04.4": {
        "one-pixel bars on a date axis (no width=)": (lambda t: monthly_bars(), "too thin to read"),
        "bars side by side where stacked was asked": (
            lambda t: monthly_bars(width=27, stacked=False),
            "not stacked",
        ),
        "markers where bars were asked": (drawn_as("points"), "no bars"),
        "thin bars": (lambda t: good_chart(t, width=0.05)[0], "too thin to read"),
    },
    "05.6": {
        "'or more' markers filled": (
            lambda t: (lambda fig, ax: (ax.lines[1].set_markerfacecolor("C1"), fig)[1])(
                *good_chart(t)
            ),
            "hollow",
        ),
        "no value labels": (
            lambda t: (lambda fig, ax: ([x.remove() for x in list(ax.texts)], fig)[1])(
                *good_chart(t)
            ),
            "value labels",
        ),
        "bars where markers were asked": (drawn_as("bars"), "no markers"),
        "values grouped in the wrong series": (regrouped, "wrong series"),
    },
}


def overlapping(task):
    """03.6's two series drawn at the same x positions, the second hiding the first."""
    fig, ax = frame(task)
    for number, (name, values) in enumerate(task.expected().items()):
        ax.bar(np.arange(len(values)), values, width=0.8, label=name, hatch=HATCHES[number])
    ax.legend()
    return fig


def battery(chart_id):
    task = registry.CHARTS[chart_id]
    cases = dict(GENERIC)
    if task.kind != "map":
        cases.update(SERIES)
    if task.hollow:  # one filled marker for every series breaks the hollow rule first
        cases["series told apart by colour alone"] = (
            SERIES["series told apart by colour alone"][0],
            "hollow",
        )
    cases.update(SPECIFIC.get(chart_id, {}))
    return cases


CASES = [(chart_id, name) for chart_id in CHART_IDS for name in battery(chart_id)]


@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_every_chart_task_has_a_battery_of_at_least_eight_wrong_charts(chart_id):
    assert len(battery(chart_id)) >= 8


@pytest.mark.parametrize(("chart_id", "name"), CASES, ids=[f"{c}: {n}" for c, n in CASES])
def test_a_wrong_chart_is_judged_wrong_and_told_what_to_fix(chart_id, name):
    draw, says = battery(chart_id)[name]
    verdict = judged_both_ways(chart_id, draw(registry.CHARTS[chart_id]))
    assert verdict.status == "wrong", f"{chart_id}, {name}: {verdict.message}"
    assert says in verdict.message, f"{chart_id}, {name}: {verdict.message}"


def test_the_real_map_to_specification_is_correct():
    verdict = judged_both_ways("02.6", real_map())
    assert verdict.status == "correct", verdict.message


def test_monthly_bars_with_a_width_and_stacked_are_correct():
    verdict = judged_both_ways("04.4", monthly_bars(width=27))
    assert verdict.status == "correct", verdict.message


def judged_both_ways(chart_id, fig):
    """The verdict on a figure, after checking that the grader, which judges the chart recorded as
    plain data in the student's kernel, reaches the same one."""
    ladder.reset()
    recorded = charts.check_view(chart_id, chartview.snapshot(fig))
    ladder.reset()
    direct = check_chart(chart_id, fig)
    plt.close(fig)
    assert (recorded.status, recorded.message, recorded.credit) == (
        direct.status,
        direct.message,
        direct.credit,
    )
    return direct


# --- The hint ladder --------------------------------------------------------------------------------


def test_the_same_flaw_climbs_the_ladder_and_a_new_one_starts_again():
    task = registry.CHARTS["03.6"]
    labels = [check_chart("03.6", good_chart(task, drop_point=True)[0]).message for _ in range(4)]
    assert "Hint:" in labels[0] and task.hints[0] in labels[0]
    assert "Tool:" in labels[1] and task.hints[1] in labels[1]
    assert "Code:" in labels[2] and task.hints[2] in labels[2]
    assert "Code:" in labels[3]
    other = check_chart("03.6", good_chart(task, title="")[0])
    assert other.hint_level == 1 and "Hint:" in other.message


def test_the_code_hint_is_shown_when_asked_and_says_so():
    task = registry.CHARTS["04.4"]
    verdict = check_chart("04.4", good_chart(task, title="")[0], show=True)
    assert verdict.asked and verdict.hint_level == 3
    assert task.hints[-1] in verdict.message and f"{ladder.ASKED}:" in verdict.message
    assert check_chart("04.4", None, show=True).asked
    right = check_chart("04.4", good_chart(task)[0], show=True)
    assert right.status == "correct" and not right.asked


def test_wrong_verdicts_carry_the_hint_level():
    task = registry.CHARTS["03.6"]
    levels = [
        check_chart("03.6", good_chart(task, drop_point=True)[0]).hint_level for _ in range(4)
    ]
    assert levels == [1, 2, 3, 3]
    assert check_chart("03.6", good_chart(task)[0]).hint_level == 0
    assert check_chart("03.6", good_chart(task, drop_point=True)[0]).hint_level == 1
    assert check_chart("03.6", None).hint_level == 0
    assert check_chart("03.6", "my chart").hint_level == 0


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
    fig, ax = frame(task)
    for number, (name, values) in enumerate(task.expected().items()):
        x = np.arange(len(values))
        draw(ax, number, x, values, name)
        if task.label_points:
            for xi, yi in zip(x, values):
                ax.annotate(f"{yi:.0f}", (xi, yi))
    ax.legend()
    return fig, ax


POINT_IDS = [
    i for i in CHART_IDS if registry.CHARTS[i].kind == "points" and not registry.CHARTS[i].hollow
]


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
        registry.CHARTS["01.3"],
        lambda ax, n, x, values, name: (
            ax.plot(x, values, linestyle="none", marker="o", label=name)
            if n == 0
            else ax.scatter(x, values, marker="o", label=name)
        ),
    )
    assert "only by colour" in check_chart("01.3", fig).message


def test_hollow_or_hatched_scatter_markers_tell_series_apart():
    hollow = points_chart(
        registry.CHARTS["05.6"],
        lambda ax, n, x, values, name: ax.scatter(
            x, values, marker="o", label=name, facecolors="none" if n else None, edgecolors="black"
        ),
    )[0]
    hatched = points_chart(
        registry.CHARTS["01.3"],
        lambda ax, n, x, values, name: ax.scatter(
            x, values, marker="o", s=200, label=name, hatch=HATCHES[n] if n else None
        ),
    )[0]
    assert check_chart("05.6", hollow).status == "correct"
    assert check_chart("01.3", hatched).status == "correct"


def test_the_series_the_task_draws_hollow_must_be_hollow_and_only_they():
    task = registry.CHARTS["05.6"]
    both = points_chart(
        task,
        lambda ax, n, x, values, name: ax.plot(
            x, values, linestyle="none", marker=MARKERS[n], markerfacecolor="white", label=name
        ),
    )[0]
    verdict = check_chart("05.6", both)
    assert verdict.status == "wrong" and "only the 'or more' series should be" in verdict.message


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
        xlabel="date (year)",
        ylabel="US troops in Iraq and Syria\n(people, all kinds)",
        source="Source: a source line",
    )
    task = registry.CHARTS["01.3"]
    for number, (name, values) in enumerate(task.expected().items()):
        ax.plot(
            np.arange(len(values)), values, linestyle="none", marker=MARKERS[number], label=name
        )
    ax.legend()
    assert check_chart("01.3", fig).status == "correct"
    ax.set_ylabel("US troops in Iraq and in Syria, counted by all sources (people, all kinds)")
    verdict = check_chart("01.3", fig)
    assert verdict.status == "wrong" and "y label" in verdict.message
    plt.rcdefaults()


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


def test_a_chart_with_the_right_data_earns_part_of_its_points():
    task = registry.CHARTS["03.6"]
    assert check_chart("03.6", good_chart(task)[0]).credit == 1.0
    untitled = check_chart("03.6", good_chart(task, title="")[0])
    assert untitled.credit == 0.5 and "data drawn are right" in untitled.credit_note
    wrong = check_chart("03.6", good_chart(task, shift=5)[0])
    assert wrong.credit == 0.0 and wrong.diagnosis == "values"


@pytest.mark.parametrize(
    "view",
    [None, {}, {"drawn": True}, "a chart", dict.fromkeys(chartview.SHAPE), {**chartview.SHAPE}],
)
def test_a_broken_recording_is_an_error_not_a_crash(view):
    verdict = charts.check_view("01.3", view)
    assert verdict.status in ("error", "unanswered") and verdict.message
