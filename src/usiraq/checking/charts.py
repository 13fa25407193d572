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

import matplotlib.colors as mcolors
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.container import BarContainer, ErrorbarContainer
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.markers import MarkerStyle
from matplotlib.text import Annotation

from . import judging, ladder, registry
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


class NotAChart(Exception):
    """The thing given is not a figure or axes at all."""


def check_chart(exercise_id: Any, fig_or_ax: Any, show: bool = False) -> Verdict:
    """Judge a student's chart and return a verdict that the notebook shows.  Never raises.

    ``show=True`` adds the code hint, as ``check(..., show=True)`` does.
    """
    try:
        verdict = _check(exercise_id, fig_or_ax)
        if show is True and verdict.status != "error":
            verdict = judging.shown(verdict, registry.chart_task(exercise_id).hints)
        return _log(verdict)
    except Exception as err:  # a checker must never show a traceback to a student
        return _log(
            Verdict(
                exercise_id=judging.id_text(exercise_id),
                status="error",
                message=f"the chart checker could not look at this chart ({type(err).__name__}). "
                "Your chart may be fine; ask your teacher to look at it.",
            )
        )


def _check(exercise_id: Any, fig_or_ax: Any) -> Verdict:
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
    if fig_or_ax is None:
        return Verdict(
            exercise_id=task.id,
            status="unanswered",
            message="no chart yet. Draw it with fig, ax = style.chart(...), then run "
            f'check_chart("{task.id}", fig).',
        )
    try:
        ax = _axes(fig_or_ax)
        _inspect(task, ax)
    except NotAChart as err:
        return Verdict(exercise_id=task.id, status="invalid", message=str(err))
    except Flaw as err:
        rungs = len(task.hints)
        level = ladder.climb(("chart", task.id), err.name, rungs)
        return Verdict(
            exercise_id=task.id,
            status="wrong",
            message=f"Not yet: {err} {ladder.label(level, rungs)}: {task.hints[level - 1]}",
            hint_level=level,
        )
    ladder.forget(("chart", task.id))
    return Verdict(
        exercise_id=task.id,
        status="correct",
        message=f"Your chart meets the specification. {task.success}",
    )


def _axes(fig_or_ax: Any) -> Axes:
    """The one axes to inspect: the axes given, or the axes of a figure that hold something drawn."""
    if isinstance(fig_or_ax, tuple) and len(fig_or_ax) == 2 and isinstance(fig_or_ax[0], Figure):
        fig_or_ax = fig_or_ax[0]  # what style.chart(...) returns: (fig, ax)
    if isinstance(fig_or_ax, Axes):
        return fig_or_ax
    if isinstance(fig_or_ax, Figure):
        drawn = [ax for ax in fig_or_ax.get_axes() if ax.lines or ax.patches or ax.collections]
        if not drawn:
            raise NotAChart(
                "this figure has nothing drawn on it yet. Draw on its axes (ax.plot, ax.bar...) "
                "before checking."
            )
        return drawn[0]
    raise NotAChart(
        f"check_chart needs the figure (fig) or the axes (ax) of your chart, but you gave "
        f"{kind_of(fig_or_ax)}. Make the chart with fig, ax = style.chart(...) and pass fig."
    )


def _inspect(task: ChartSpec, ax: Axes) -> None:
    """Raise the first flaw of the chart, in the order of the module's docstring."""
    expected = task.expected()
    if task.kind == "map":
        _check_map(task, ax, expected)
    else:
        drawn = _points(ax) if task.kind == "points" else _bars(ax)
        _compare(task, expected, [values for _, values in drawn])
        if task.kind == "points":
            _check_hollow(task, expected, drawn)
        else:
            _check_bar_layout(task, drawn)
    _check_words(task, ax)
    _text_fits(ax)
    if task.kind == "map":
        if ax.get_legend() is None:
            raise Flaw("legend", "the map has no legend. Add the legend the task gives.")
    elif len(expected) > 1:
        legend = ax.get_legend()
        if legend is None or not legend.get_texts():
            raise Flaw(
                "legend",
                "there are several series but no legend. Add ax.legend() (give each series a label=).",
            )
        _not_colour_alone(task, ax)
    needed = sum(len(values) for values in expected.values()) if task.label_points else 0
    labelled = sum(1 for text in ax.texts if text.get_text().strip())
    if labelled < needed:
        raise Flaw(
            "value labels",
            f"the chart has {labelled} value labels; label each of the {needed} points with "
            "ax.annotate(...).",
        )


def _check_words(task: ChartSpec, ax: Axes) -> None:
    """The title states a finding; each axis says what it measures, with its unit; a source line."""
    title = " ".join(ax.get_title(loc=loc) for loc in ("left", "center", "right")).strip()
    if not title:
        raise Flaw("title", "the chart has no title. Give it a title that states what it shows.")
    if len(re.findall(r"\w+", title)) < FINDING_WORDS:
        raise Flaw(
            "title",
            f"the title {title!r} names the chart's subject. State what the chart shows, as a sentence "
            f"of {FINDING_WORDS} words or more: what rises, falls, leads or stands out.",
        )
    for axis, text, words in (
        ("x", ax.get_xlabel(), task.xlabel),
        ("y", ax.get_ylabel(), task.ylabel),
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
    if task.source:
        source = getattr(ax.figure, "_supxlabel", None)
        said = source.get_text().strip() if source is not None else ""
        if len(re.sub(r"(?i)^source:?", "", said).strip()) < 3:
            raise Flaw(
                "source",
                "the chart has no source line. Pass source= to style.chart(...) (style.cite(...) "
                "writes one from your rows).",
            )


def _text_fits(ax: Axes) -> None:
    """Titles, axis labels and the source line lie inside the figure, and the y label clear of the source line.

    Laid out as the figure will be shown (``draw_without_rendering`` runs the
    layout), so a title too long for the figure is caught before a projector
    cuts it off.
    """
    fig = ax.figure
    fig.draw_without_rendering()
    renderer = (
        fig._get_renderer()
    )  # works after plt.show(), which leaves the figure a canvas without one
    titles = [getattr(ax, name, None) for name in ("_left_title", "title", "_right_title")]
    source = getattr(fig, "_supxlabel", None)
    texts = [("title", t) for t in titles if t is not None] + [
        ("x label", ax.xaxis.label),
        ("y label", ax.yaxis.label),
        ("source line", source),
    ]
    extents = {}
    for name, text in texts:
        if text is None or not text.get_visible() or not text.get_text().strip():
            continue
        box = text.get_window_extent(renderer)
        extents[name] = box
        if (
            box.x0 < fig.bbox.x0 - 2
            or box.x1 > fig.bbox.x1 + 2
            or box.y0 < fig.bbox.y0 - 2
            or box.y1 > fig.bbox.y1 + 2
        ):
            raise Flaw(
                "text off the figure",
                f"the {name} runs off the edge of the figure. Shorten it, or break it into two lines "
                "with \\n, or make the figure wider with figsize=.",
            )
    if (
        "y label" in extents
        and "source line" in extents
        and extents["y label"].overlaps(extents["source line"])
    ):
        raise Flaw(
            "text off the figure",
            "the y label runs into the source line. Shorten the y label (or break it with \\n).",
        )


def _point_series(ax: Axes) -> list[tuple[Any, list[float]]]:
    """Each series of points with its artist, one by one (two series with one label stay two).

    A series of points is a line of markers with no line between them (``ax.plot(...,
    linestyle="none", marker=...)``, ``ax.errorbar(..., fmt="o")``) or a set of scatter points;
    the caps of error bars, reference lines, shaded periods (``fill_between``) and bands are not.
    """
    caps = {
        id(cap)
        for container in ax.containers
        if isinstance(container, ErrorbarContainer)
        for cap in container[1]
    }
    series = []
    for line in ax.get_lines():
        xy = line.get_xydata()
        if len(xy) and id(line) not in caps and _has_markers(line) and _no_line(line):
            series.append((line, [float(y) for _, y in xy]))
    for collection in ax.collections:
        if isinstance(collection, PathCollection):
            offsets = collection.get_offsets()
            if len(offsets):
                series.append((collection, [float(y) for _, y in offsets]))
    return series


def _has_markers(line: Line2D) -> bool:
    return line.get_marker() not in (None, "", "None", "none", " ")


def _no_line(line: Line2D) -> bool:
    return line.get_linestyle() in ("None", "none", "", " ") or not line.get_linewidth()


def _points(ax: Axes) -> list[tuple[Any, list[float]]]:
    """Each series of markers (markers without a line, or scatter points), with its artist."""
    series = _point_series(ax)
    if any(len(line.get_xydata()) > 1 and _has_markers(line) and not _no_line(line)
           for line in ax.get_lines()):  # fmt: skip
        raise Flaw(
            "kind",
            "the markers are joined by a line. Draw the markers alone, with "
            'ax.plot(..., linestyle="none", marker=...) or ax.scatter.',
        )
    if not series:
        raise Flaw(
            "kind",
            'the chart shows no markers. Draw one marker per figure (ax.plot(..., linestyle="none", '
            "marker=...) or ax.scatter).",
        )
    return series


def _bars(ax: Axes) -> list[tuple[list, list[float]]]:
    """Each series of bars, as its bars (in the order of the x axis) and their heights."""
    series = []
    for container in ax.containers:
        if not isinstance(container, BarContainer) or not container.patches:
            continue
        bars = sorted(container.patches, key=lambda bar: bar.get_x())
        series.append((bars, [float(bar.get_height()) for bar in bars]))
    if not series:
        raise Flaw("kind", "the chart shows no bars. Draw them with ax.bar(...).")
    return series


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
    for artist, values in drawn:
        name = by_values.get(_groups([values], task.tolerance)[0])
        hollow = _look(artist)[1] == "hollow"
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
            centre = round(bar.get_x() + bar.get_width() / 2, 6)
            bottom = float(bar.get_y())
            if task.stacked:
                below = tops.get(centre, 0.0)
                if abs(bottom - below) > 1e-6:
                    raise Flaw(
                        "not stacked",
                        "the bars are not stacked: each series should start where the ones before "
                        "it end. Keep a running total and pass it as bottom=.",
                    )
                tops[centre] = below + float(bar.get_height())
            elif abs(bottom) > 1e-6:
                raise Flaw(
                    "stacked",
                    "the bars are stacked; the specification puts the series side by side, each "
                    "bar starting at 0, shifted left or right by part of a bar's width.",
                )
    if not task.stacked:
        lefts = [(bar.get_x(), bar.get_x() + bar.get_width()) for bars, _ in drawn for bar in bars]
        lefts.sort()
        if any(b0 < a1 - 1e-6 for (_, a1), (b0, _) in zip(lefts, lefts[1:])):
            raise Flaw(
                "overlap",
                "the bars of different series sit on top of each other. Shift each series left or "
                "right by part of a bar's width (x + offset), so they stand side by side.",
            )
    for bars, _ in drawn:
        centres = sorted({bar.get_x() + bar.get_width() / 2 for bar in bars})
        gaps = [b - a for a, b in zip(centres, centres[1:]) if b - a > 1e-9]
        if gaps and min(bar.get_width() for bar in bars) < READABLE_WIDTH * min(gaps):
            width, gap = min(bar.get_width() for bar in bars), min(gaps)
            raise Flaw(
                "thin bars",
                f"the bars are too thin to read: {width:g} wide, where neighbouring bars stand "
                f"{gap:g} apart. Give ax.bar a width= close to that gap (on a date axis the width "
                "is in days).",
            )


def _check_map(task: ChartSpec, ax: Axes, expected: dict) -> None:
    """The places the map must mark, and no others; then a label for each, with its date."""
    if not ax.lines and not ax.collections:
        raise Flaw("kind", "the map shows no places. Draw it with bases.draw_map(...).")
    marked = _marked(ax)
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
    labels = [text.get_text() for text in ax.texts if text.get_text().strip()]
    _compare_map(expected["labels"], labels)
    if (
        task.most_labels is not None
    ):  # places are labelled with annotations; country names are plain texts
        places = sum(
            1 for text in ax.texts if isinstance(text, Annotation) and text.get_text().strip()
        )
        if places > task.most_labels:
            raise Flaw(
                "places",
                f"the map labels {places} places; the specification gives {task.most_labels}. "
                "Draw only the places it asks for.",
            )


def _marked(ax: Axes) -> list[tuple[float, float]]:
    """Every point the map marks with a marker (lines of markers and scatter points)."""
    points = []
    for line in ax.get_lines():
        if _has_markers(line):
            points += [(float(x), float(y)) for x, y in line.get_xydata()]
    for collection in ax.collections:
        if isinstance(collection, PathCollection):
            points += [(float(x), float(y)) for x, y in collection.get_offsets()]
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


def _not_colour_alone(task: ChartSpec, ax: Axes) -> None:
    if task.kind == "bars":
        hatches = [
            container.patches[0].get_hatch() or ""
            for container in ax.containers
            if isinstance(container, BarContainer) and container.patches
        ]
        if len(set(hatches)) < len(hatches):
            raise Flaw(
                "colour alone",
                "the series differ only by colour. Give each its own hatch=, so the chart "
                "can be read without colour.",
            )
        return
    looks = [_look(artist) for artist, _ in _point_series(ax)]
    if len(set(looks)) < len(looks):
        raise Flaw(
            "colour alone",
            "the series differ only by colour. Give each its own marker (or make one hollow), so the "
            "chart can be read without colour.",
        )


def _look(artist: Any) -> tuple:
    """What tells a series of points apart without colour: the marker's shape, its fill and its hatch."""
    if isinstance(artist, Line2D):
        marker = MarkerStyle(artist.get_marker())
        shape = (_shape(marker.get_path().transformed(marker.get_transform())),)
        face = artist.get_markerfacecolor()
        hollow = (
            face is None
            or (isinstance(face, str) and face.lower() == "none")
            or mcolors.to_hex(face) == "#ffffff"
        )
        return shape, "hollow" if hollow else artist.get_fillstyle(), ""
    faces = artist.get_facecolor()
    hollow = artist.get_array() is None and (
        len(faces) == 0 or all(mcolors.to_hex(face) == "#ffffff" for face in faces)
    )
    return (
        tuple(_shape(path) for path in artist.get_paths()),
        "hollow" if hollow else "full",
        artist.get_hatch() or "",
    )


def _shape(path: Any) -> tuple:
    codes = None if path.codes is None else tuple(int(code) for code in path.codes)
    return tuple(np.round(path.vertices, 3).ravel().tolist()), codes


def _log(verdict: Verdict) -> Verdict:
    """Append the verdict to the check log as check() does (a log that cannot be written is skipped),
    under the id 'NN.k chart' that the tests read."""
    judging.log(replace(verdict, exercise_id=f"{verdict.exercise_id} chart"))
    return verdict
