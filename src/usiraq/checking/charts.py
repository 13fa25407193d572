"""Feedback on charts: ``check_chart("04.4", fig)`` says how a student's chart stands.

A chart task asks for a chart to a specification and then for a reading of
it; without a look at the chart, the reading can be found without drawing
anything.  This module looks at the matplotlib figure itself and checks the
whole specification, in the order a teacher would:

1. the right kind of chart (markers, bars or a labelled map), and on a map
   the places it should draw and no others;
2. the number of series and of bars or points, the data drawn (within a
   tolerance), one series per group the task names, and hollow markers where
   the task asks for them;
3. bars stacked (``bottom=``) or side by side, as the task says, and wide
   enough to read;
4. on a map, a label for every place, with the right date where it needs one;
5. a title that states a finding (a sentence, not a label), both axis labels
   saying what they measure with their unit, and a source line;
6. no title, label or source line running off the figure or over another;
7. a legend when there are several series;
8. series told apart by more than colour (markers, fills or hatches);
9. a value beside every point, where the task asks for it.

The first flaw found is reported, with a hint from the ladder
(``usiraq.checking.ladder``): the same flaw again climbs from the concept to
the tool to the code; a different flaw starts again.  The verdict is the
same ``Verdict`` that ``check()`` returns, and a check never raises: whatever
it is given, it answers with a message.

Each chart task declares what it expects with ``register(ChartSpec(...))`` in
its notebook's file of ``usiraq.checking.declarations``, with the data computed
from ``data/``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, ClassVar

import pandas as pd

from . import chartview, judging, ladder, registry
from .verdict import Verdict
from .words import kind_of

CHART_KINDS = ("points", "bars", "map")


@dataclass(frozen=True)
class ChartSpec:
    """What a chart task expects.

    ``expected`` returns the data the chart should show: for ``points``, one
    list of y values per series; for ``bars``, one list of bar heights per
    series, in the order of the x axis (stacked bars: the height of each part,
    not its top); for ``map``, ``labels`` (each a name, or a (name, date) pair
    when the label must give a date too), ``places`` (the (lon, lat) of every
    place the map must mark) and ``not_places`` (places it must not mark).
    ``hints`` are the three rungs of the ladder: concept, tool, code.

    ``xlabel`` and ``ylabel`` are words one of which each axis label must hold
    (what it measures, or its unit); ``stacked`` asks for stacked bars rather
    than bars side by side; ``hollow`` names the series whose markers must be
    hollow; ``label_points`` asks for a text beside every point;
    ``most_labels`` (maps) is the most places the map may label; ``source``
    asks for a source line.
    """

    declared_as: ClassVar[str] = "chart task"
    id: str
    kind: str
    expected: Callable[[], dict[str, list]]
    hints: tuple[str, ...]
    success: str
    tolerance: float = 0.5
    xlabel: tuple[str, ...] = ()
    ylabel: tuple[str, ...] = ()
    stacked: bool = False
    hollow: tuple[str, ...] = ()
    label_points: bool = False
    most_labels: int | None = None
    source: bool = True
    points: float = 2  # a chart earns more than one checked answer: it is several steps

    def __post_init__(self):
        if self.kind not in CHART_KINDS:
            raise ValueError(f"{self.id}: kind must be one of {CHART_KINDS}, not {self.kind!r}")


FINDING_WORDS = 5  # "Troop levels 2014-2021" names a subject; a finding takes a sentence
READABLE_WIDTH = 0.25  # a bar at least a quarter of the gap between neighbouring bars


class Flaw(Exception):
    """What is wrong with the chart, in words for the student; ``name`` tells one flaw from another."""

    def __init__(self, name: str, message: str):
        super().__init__(message)
        self.name = name


def check_chart(exercise_id: Any, fig_or_ax: Any, show: bool = False) -> Verdict:
    """Judge a student's chart and return a verdict that the notebook shows.  Never raises.

    ``show=True`` adds the code hint, as ``check(..., show=True)`` does.
    """
    try:
        try:
            view = None if fig_or_ax is None else chartview.snapshot(fig_or_ax)
        except chartview.NotAChart as err:
            view = err
        verdict = _check(exercise_id, view)
        if show is True and verdict.status != "error":
            verdict = judging.shown(verdict, registry.chart_task(exercise_id).hints)
        return _log(verdict)
    except Exception as err:  # a checker must never show a traceback to a student
        return _log(_broken(exercise_id, err))


def check_view(exercise_id: str, view: Any) -> Verdict:
    """Judge a chart recorded as plain data (``chartview.snapshot``), as the grader does.  Never raises.

    The data come from a student's kernel, so anything unexpected in them is an
    error verdict, never a crash.
    """
    try:
        if not chartview.well_formed(view):
            raise TypeError("not a recorded chart")
        return _check(exercise_id, view)
    except Exception as err:
        return _broken(exercise_id, err)


def _broken(exercise_id: Any, err: Exception) -> Verdict:
    return Verdict(
        exercise_id=judging.id_text(exercise_id),
        status="error",
        message=f"the chart checker could not look at this chart ({type(err).__name__}). "
        "Your chart may be fine; ask your teacher to look at it.",
    )


def _check(exercise_id: Any, view: Any) -> Verdict:
    """The verdict on a chart's view (None: no chart yet; a NotAChart: not a chart at all)."""
    if not isinstance(exercise_id, str):
        return Verdict(
            exercise_id=judging.id_text(exercise_id),
            status="error",
            message='the chart task id is a text in quotes, like check_chart("04.4", fig); '
            f"you gave {kind_of(exercise_id)}.",
        )
    try:
        task = registry.chart_task(exercise_id)
    except KeyError:
        return Verdict(
            exercise_id=judging.id_text(exercise_id),
            status="error",
            message="there is no chart task with this id. Check the id in the check_chart(...) call.",
        )
    if view is None:
        return Verdict(
            exercise_id=task.id,
            status="unanswered",
            message="no chart yet. Draw it with fig, ax = style.chart(...), then run "
            f'check_chart("{task.id}", fig).',
        )
    if isinstance(view, chartview.NotAChart):
        return Verdict(exercise_id=task.id, status="invalid", message=str(view))
    if not view["drawn"]:
        return Verdict(
            exercise_id=task.id,
            status="invalid",
            message="these axes have nothing drawn on them yet. Draw (ax.plot, ax.bar...) before "
            "checking.",
        )
    try:
        _inspect(task, view)
    except Flaw as err:
        rungs = len(task.hints)
        level = ladder.climb(("chart", task.id), err.name, rungs)
        return Verdict(
            exercise_id=task.id,
            status="wrong",
            message=f"Not yet: {err} {ladder.label(level, rungs)}: {task.hints[level - 1]}",
            hint_level=level,
            diagnosis=err.name,
            credit=PRESENTATION_CREDIT if err.name in PRESENTATION else 0.0,
            credit_note="the data drawn are right; the flaw is in how the chart presents them"
            if err.name in PRESENTATION
            else "",
        )
    ladder.forget(("chart", task.id))
    return Verdict(
        exercise_id=task.id,
        status="correct",
        message=f"Your chart meets the specification. {task.success}",
        credit=1.0,
    )


# Flaws found once the data drawn are right: the chart earns part of its points.
PRESENTATION = {"title", "axis label", "source", "text off the figure", "legend", "colour alone",
                "value labels", "hollow", "thin bars", "label dates", "labels"}  # fmt: skip
PRESENTATION_CREDIT = 0.5


def _inspect(task: ChartSpec, view: dict) -> None:
    """Raise the first flaw of the chart, in the order of the module's docstring."""
    expected = task.expected()
    if task.kind == "map":
        _check_map(task, view, expected)
    else:
        drawn = _points(view) if task.kind == "points" else _bars(view)
        _compare(task, expected, [values for _, values in drawn])
        if task.kind == "points":
            _check_hollow(task, expected, drawn)
        else:
            _check_bar_layout(task, drawn)
    _check_words(task, view)
    _text_fits(view)
    if task.kind == "map":
        if view["legend"] is None:
            raise Flaw("legend", "the map has no legend. Add the legend the task gives.")
    elif len(expected) > 1:
        if not view["legend"]:
            raise Flaw(
                "legend",
                "there are several series but no legend. Add ax.legend() (give each series a label=).",
            )
        _not_colour_alone(task, view)
    needed = sum(len(values) for values in expected.values()) if task.label_points else 0
    labelled = sum(1 for text in view["texts"] if text["text"].strip())
    if labelled < needed:
        raise Flaw(
            "value labels",
            f"the chart has {labelled} value labels; label each of the {needed} points with "
            "ax.annotate(...).",
        )


def _check_words(task: ChartSpec, view: dict) -> None:
    """The title states a finding; each axis says what it measures, with its unit; a source line."""
    title = view["title"]
    if not title:
        raise Flaw("title", "the chart has no title. Give it a title that states what it shows.")
    if len(re.findall(r"\w+", title)) < FINDING_WORDS:
        raise Flaw(
            "title",
            f"the title {title!r} names the chart's subject. State what the chart shows, as a sentence "
            f"of {FINDING_WORDS} words or more: what rises, falls, leads or stands out.",
        )
    for axis, text, words in (
        ("x", view["xlabel"], task.xlabel),
        ("y", view["ylabel"], task.ylabel),
    ):
        if not text.strip():
            raise Flaw("axis label", f"the {axis} axis has no label. Label both axes, with units.")
        if words and not any(word.casefold() in text.casefold() for word in words):
            wanted = " or ".join(repr(word) for word in words)
            raise Flaw(
                "axis label",
                f"the {axis} label {text!r} does not say what the axis measures: the specification "
                f"asks for a label with {wanted} in it.",
            )
        if len(re.findall(r"\w+", text)) < 2 and not words:
            raise Flaw(
                "axis label",
                f"the {axis} label {text!r} does not give a unit: say what the axis measures and in "
                "what, e.g. 'US troops (people)'.",
            )
    if task.source and len(re.sub(r"(?i)^source:?", "", view["source"].strip()).strip()) < 3:
        raise Flaw(
            "source",
            "the chart has no source line. Pass source= to style.chart(...) (style.cite(...) "
            "writes one from your rows).",
        )


def _text_fits(view: dict) -> None:
    """Titles, axis labels and the source line lie inside the figure, and the y label clear of the
    source line (as ``chartview`` measured them, laid out as shown)."""
    if view["off_figure"]:
        raise Flaw(
            "text off the figure",
            f"the {view['off_figure'][0]} runs off the edge of the figure. Shorten it, or break it "
            "into two lines with \\n, or make the figure wider with figsize=.",
        )
    if view["ylabel_meets_source"]:
        raise Flaw(
            "text off the figure",
            "the y label runs into the source line. Shorten the y label (or break it with \\n).",
        )


def _point_series(view: dict) -> list[tuple[str, list[float]]]:
    """Each series of points with its look, one by one (two series with one label stay two).

    A series of points is a line of markers with no line between them (``ax.plot(...,
    linestyle="none", marker=...)``, ``ax.errorbar(..., fmt="o")``) or a set of scatter points;
    the caps of error bars (left out of the view), reference lines, shaded periods and bands are not.
    """
    series = [
        (line["look"], line["y"])
        for line in view["lines"]
        if line["y"] and line["markers"] and not line["joined"]
    ]
    return series + [(scatter["look"], scatter["y"]) for scatter in view["scatters"]]


def _points(view: dict) -> list[tuple[str, list[float]]]:
    """Each series of markers (markers without a line, or scatter points), with its look."""
    if any(len(line["y"]) > 1 and line["markers"] and line["joined"] for line in view["lines"]):
        raise Flaw(
            "kind",
            "the markers are joined by a line. Draw the markers alone, with "
            'ax.plot(..., linestyle="none", marker=...) or ax.scatter.',
        )
    series = _point_series(view)
    if not series:
        raise Flaw(
            "kind",
            'the chart shows no markers. Draw one marker per figure (ax.plot(..., linestyle="none", '
            "marker=...) or ax.scatter).",
        )
    return series


def _bars(view: dict) -> list[tuple[list, list[float]]]:
    """Each series of bars, as its bars (in the order of the x axis) and their heights."""
    if not view["bars"]:
        raise Flaw("kind", "the chart shows no bars. Draw them with ax.bar(...).")
    return [(bars, [bar["height"] for bar in bars]) for bars in view["bars"]]


def _compare(task: ChartSpec, expected: dict[str, list], drawn: list[list[float]]) -> None:
    unit = "bars" if task.kind == "bars" else "points"
    if len(drawn) != len(expected):
        raise Flaw(
            "series",
            f"the chart has {len(drawn)} series of {unit}; the specification asks for {len(expected)}.",
        )
    want = sum(len(v) for v in expected.values())
    have = sum(len(v) for v in drawn)
    if have != want and task.kind == "bars" and len(expected) > 1:
        each = len(next(iter(expected.values())))
        raise Flaw(
            "count",
            f"the chart has {have} bars in its {len(drawn)} series; the specification gives {want}: "
            f"{len(expected)} series of {each} bars, one for every x value, with the empty ones drawn "
            "at height 0.",
        )
    if have != want:
        raise Flaw(
            "count",
            f"the chart has {have} {unit}; the specification gives {want}. Check the rows you kept "
            "(and, for a time axis, the empty months or years).",
        )
    mine = sorted(y for values in drawn for y in values)
    theirs = sorted(float(y) for values in expected.values() for y in values)
    off = sum(abs(a - b) > task.tolerance for a, b in zip(mine, theirs))
    if off:
        raise Flaw(
            "values",
            f"{off} of the {len(theirs)} values drawn differ from the data. Check the filter and the count.",
        )
    if task.kind == "bars":
        if sorted(len(v) for v in drawn) != sorted(len(v) for v in expected.values()):
            raise Flaw(
                "count",
                "the series have the wrong numbers of bars. Every series needs a bar for every x "
                "value, even an empty one (height 0).",
            )
        if _groups(drawn, task.tolerance, ordered=True) != _groups(
            expected.values(), task.tolerance, ordered=True
        ):
            raise Flaw(
                "series",
                "the values are right but sit in the wrong series or the wrong places on the x axis: "
                "draw one series per group the task names, in the order of the x axis.",
            )
    elif _groups(drawn, task.tolerance) != _groups(expected.values(), task.tolerance):
        raise Flaw(
            "series",
            "the values are right but grouped into the wrong series: draw one series per group "
            "the task names (e.g. one per kind), each with its own label.",
        )


def _groups(series, tolerance: float, ordered: bool = False) -> list[tuple]:
    """The series as comparable groups: their values rounded to the tolerance, in order or sorted."""
    step = max(tolerance, 1e-9) * 2

    def key(values):
        rounded = [round(float(y) / step) for y in values]
        return tuple(rounded if ordered else sorted(rounded))

    return sorted(key(values) for values in series)


def _check_hollow(task: ChartSpec, expected: dict[str, list], drawn: list) -> None:
    """The series the task names as hollow have hollow markers, and the others filled ones."""
    if not task.hollow:
        return
    by_values = {_groups([values], task.tolerance)[0]: name for name, values in expected.items()}
    for look, values in drawn:
        name = by_values.get(_groups([values], task.tolerance)[0])
        hollow = look.startswith("hollow|")
        if name in task.hollow and not hollow:
            raise Flaw(
                "hollow",
                f"the markers of the {name!r} series are filled; the specification draws them "
                "hollow (markerfacecolor='white'), so a reader sees which counts are floors.",
            )
        if name is not None and name not in task.hollow and hollow:
            raise Flaw(
                "hollow",
                f"the markers of the {name!r} series are hollow; only the "
                f"{' and '.join(repr(h) for h in task.hollow)} series should be.",
            )


def _check_bar_layout(task: ChartSpec, drawn: list[tuple[list, list[float]]]) -> None:
    """Stacked or side by side, as the task says, and bars wide enough to read."""
    tops: dict[float, float] = {}
    for bars, _ in drawn:
        for bar in bars:
            centre = round(bar["x"] + bar["width"] / 2, 6)
            bottom = bar["y"]
            if task.stacked:
                below = tops.get(centre, 0.0)
                if abs(bottom - below) > 1e-6:
                    raise Flaw(
                        "not stacked",
                        "the bars are not stacked: each series should start where the ones before "
                        "it end. Keep a running total and pass it as bottom=.",
                    )
                tops[centre] = below + bar["height"]
            elif abs(bottom) > 1e-6:
                raise Flaw(
                    "stacked",
                    "the bars are stacked; the specification puts the series side by side, each "
                    "bar starting at 0, shifted left or right by part of a bar's width.",
                )
    if not task.stacked:
        spans = sorted((bar["x"], bar["x"] + bar["width"]) for bars, _ in drawn for bar in bars)
        if any(b0 < a1 - 1e-6 for (_, a1), (b0, _) in zip(spans, spans[1:])):
            raise Flaw(
                "overlap",
                "the bars of different series sit on top of each other. Shift each series left or "
                "right by part of a bar's width (x + offset), so they stand side by side.",
            )
    for bars, _ in drawn:
        centres = sorted({bar["x"] + bar["width"] / 2 for bar in bars})
        gaps = [b - a for a, b in zip(centres, centres[1:]) if b - a > 1e-9]
        width = min(bar["width"] for bar in bars)
        if gaps and width < READABLE_WIDTH * min(gaps):
            raise Flaw(
                "thin bars",
                f"the bars are too thin to read: {width:g} wide, where neighbouring bars stand "
                f"{min(gaps):g} apart. Give ax.bar a width= close to that gap (on a date axis the "
                "width is in days).",
            )


def _check_map(task: ChartSpec, view: dict, expected: dict) -> None:
    """The places the map must mark, and no others; then a label for each, with its date."""
    if not view["lines"] and not view["scatters"]:
        raise Flaw("kind", "the map shows no places. Draw it with bases.draw_map(...).")
    marked = _marked(view)
    missing = [p for p in expected.get("places", []) if not _near(p, marked)]
    extra = [p for p in expected.get("not_places", []) if _near(p, marked)]
    if missing:
        raise Flaw(
            "places",
            f"{len(missing)} of the {len(expected['places'])} places the task asks for are not on "
            "the map. Draw the rows you kept with bases.draw_map(...).",
        )
    if extra:
        raise Flaw(
            "places",
            f"the map marks {len(extra)} more places than the task asks for: draw only the "
            f"{len(expected['places'])} rows it names (filter them first).",
        )
    labels = [text["text"] for text in view["texts"] if text["text"].strip()]
    _compare_map(expected["labels"], labels)
    if (
        task.most_labels is not None
    ):  # places are labelled with annotations; country names are plain texts
        places = sum(1 for text in view["texts"] if text["annotation"] and text["text"].strip())
        if places > task.most_labels:
            raise Flaw(
                "places",
                f"the map labels {places} places; the specification gives {task.most_labels}. "
                "Draw only the places it asks for.",
            )


def _marked(view: dict) -> list[tuple[float, float]]:
    """Every point the map marks with a marker (lines of markers and scatter points)."""
    points = []
    for series in view["lines"] + view["scatters"]:
        if series.get("markers", True):
            points += list(zip(series["x"], series["y"]))
    return points


def _near(place: tuple[float, float], points: list[tuple[float, float]]) -> bool:
    return any(abs(place[0] - x) < 1e-3 and abs(place[1] - y) < 1e-3 for x, y in points)


DATE_IN_TEXT = re.compile(
    r"\b\d{1,2}\s*(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*\d{1,2}\b"
    r"|\d{4}-\d{2}-\d{2}|\b\d{1,2}/\d{1,2}\b",
    re.I,
)


def _date_forms(date: Any) -> list[str]:
    """The ways a label may write a date: 26 Mar, 26 March, Mar 26, 2020-03-26, 26/03."""
    d = pd.Timestamp(date)
    return [
        f"{d.day} {d:%b}",
        f"{d:%d %b}",
        f"{d.day} {d:%B}",
        f"{d:%d %B}",
        f"{d:%b} {d.day}",
        f"{d:%B} {d.day}",
        f"{d:%Y-%m-%d}",
        f"{d.day}/{d.month}",
        f"{d:%d/%m}",
    ]


def _compare_map(wanted: list, labels: list[str]) -> None:
    named = [(want, None) if isinstance(want, str) else want for want in wanted]
    missing, undated, misdated = [], [], []
    for name, date in named:
        mine = [text for text in labels if name.casefold() in text.casefold()]
        if not mine:
            missing.append(name)
        elif date is not None and not any(
            form.casefold() in text.casefold() for text in mine for form in _date_forms(date)
        ):
            (misdated if any(DATE_IN_TEXT.search(text) for text in mine) else undated).append(name)
    if missing:
        raise Flaw(
            "labels",
            f"{len(missing)} of the {len(named)} points have no label naming them "
            f"(for example {missing[0]!r}). Label each with ax.annotate(...).",
        )
    if misdated:
        raise Flaw(
            "label dates",
            f"{len(misdated)} of the {len(named)} labels give a date that is not the one in the data "
            f"(for example {misdated[0]!r}). Take each label's date from its own row.",
        )
    if undated:
        raise Flaw(
            "label dates",
            f"{len(undated)} of the {len(named)} labels give no date (for example {undated[0]!r}). "
            "Write the date in each label too, e.g. 26 Mar.",
        )


def _not_colour_alone(task: ChartSpec, view: dict) -> None:
    if task.kind == "bars":
        hatches = view["bar_hatches"]
        if len(set(hatches)) < len(hatches):
            raise Flaw(
                "colour alone",
                "the series differ only by colour. Give each its own hatch=, so the chart "
                "can be read without colour.",
            )
        return
    looks = [look for look, _ in _point_series(view)]
    if len(set(looks)) < len(looks):
        raise Flaw(
            "colour alone",
            "the series differ only by colour. Give each its own marker (or make one hollow), so the "
            "chart can be read without colour.",
        )


def _log(verdict: Verdict) -> Verdict:
    """Append the verdict to the check log as check() does (a log that cannot be written is skipped),
    under the id 'NN.k chart' that the tests read."""
    judging.log(replace(verdict, exercise_id=f"{verdict.exercise_id} chart"))
    return verdict
