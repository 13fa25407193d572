"""check_chart() judges a student's chart like check() judges an answer, and never raises."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from usiraq import chartcheck, check_chart  # noqa: E402
from usiraq.chartcheck import SPECS, spec  # noqa: E402
from usiraq.feedback import Verdict  # noqa: E402

spec("01.3")  # declares every chart task
CHART_IDS = sorted(SPECS)
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]
HATCHES = ["//", "..", "xx", "\\\\", "++", "oo", "--", "||"]


@pytest.fixture(autouse=True)
def fresh():
    chartcheck.reset_tries()
    yield
    plt.close("all")


def good_chart(task, drop_point=False, legend=True, same_look=False, title="A title that states the finding"):
    """A chart that meets the task's specification, drawn from its expected data (with faults on request)."""
    fig, ax = plt.subplots()
    expected = task.expected()
    if task.kind == "map":
        ax.plot([40, 45], [30, 35], linestyle="none", marker="^")
        for number, label in enumerate(expected["labels"]):
            ax.annotate(f"{label}, 1 Apr", (40 + number, 33))
        ax.legend(handles=ax.get_lines())
    else:
        for number, (name, values) in enumerate(expected.items()):
            values = values[:-1] if drop_point and number == 0 else values
            if task.kind == "points":
                x = np.arange(len(values))
                ax.plot(x, values, linestyle="none", marker="o" if same_look else MARKERS[number], label=name)
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
    ax.set_ylabel("y (unit)")
    return fig, ax


@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_a_chart_to_specification_is_correct(chart_id):
    fig, ax = good_chart(SPECS[chart_id])
    assert check_chart(chart_id, fig).status == "correct"
    assert check_chart(chart_id, ax).status == "correct"
    assert check_chart(chart_id, (fig, ax)).status == "correct"


def test_all_five_chart_tasks_are_declared():
    assert CHART_IDS == ["01.3", "02.6", "03.6", "04.4", "05.6"]


@pytest.mark.parametrize("chart_id", [i for i in CHART_IDS if SPECS[i].kind != "map"])
def test_a_missing_point_or_bar_is_wrong(chart_id):
    fig, _ = good_chart(SPECS[chart_id], drop_point=True)
    verdict = check_chart(chart_id, fig)
    assert verdict.status == "wrong" and "Hint:" in verdict.message


@pytest.mark.parametrize("chart_id", [i for i in CHART_IDS if SPECS[i].kind != "map"])
def test_several_series_need_a_legend_and_more_than_colour(chart_id):
    task = SPECS[chart_id]
    if len(task.expected()) < 2:
        raise AssertionError(f"{chart_id}: a chart task with one series cannot test the legend rule")
    fig, _ = good_chart(task, legend=False)
    assert "legend" in check_chart(chart_id, fig).message
    fig, _ = good_chart(task, same_look=True)
    assert "only by colour" in check_chart(chart_id, fig).message


@pytest.mark.parametrize("chart_id", CHART_IDS)
def test_a_chart_without_title_is_wrong(chart_id):
    fig, _ = good_chart(SPECS[chart_id], title="")
    verdict = check_chart(chart_id, fig)
    assert verdict.status == "wrong" and "title" in verdict.message


def test_the_hints_get_stronger():
    task = SPECS["03.6"]
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
    monkeypatch.setitem(SPECS, "01.3", chartcheck.ChartSpec("01.3", "points", broken, ("a", "b"), "ok"))
    assert check_chart("01.3", good_chart(SPECS["05.6"])[0]).status == "error"
