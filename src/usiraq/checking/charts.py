"""Feedback on charts: ``check_chart("04.4", fig)`` says how a student's chart stands.

A chart task asks for a chart to a specification and then for a reading of
it; without a look at the chart, the reading can be found without drawing
anything.  This module looks at the matplotlib figure itself, in the order a
teacher would:

1. the right kind of chart (markers, bars or a labelled map);
2. the number of series and of bars or points;
3. the data drawn, within a tolerance;
4. a title that states a finding (a sentence, not a label), both axis labels,
   and the y label the task fixes, if it fixes one;
5. no title, label or source line running off the figure or over another;
6. a legend when there are several series;
7. series told apart by more than colour (markers, line styles or hatches).

The first problem found is reported, with the exercise's gentle hint the first
time and its stronger hint from the second time on, as ``check()`` does.  The
verdict is the same ``Verdict`` that ``check()`` returns, and a check never
raises: whatever it is given, it answers with a message.

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

from . import judging, registry
from .verdict import Verdict
from .words import kind_of

CHART_KINDS = ("points", "bars", "map")


@dataclass(frozen=True)
class ChartSpec:
    """What a chart task expects.

    ``expected`` returns the data the chart should show: for ``points``, one
    list of y values per series (in any order); for ``bars``, one list of bar
    heights per series, in the order of the x axis (stacked bars: the height
    of each part, not its top); for ``map``, the labels the points should carry,
    each a name or a (name, date) pair when the label must give a date too.
    ``label_points`` asks for a text label beside every point; ``ylabel`` is a
    text the y label must contain when the task fixes it; ``most_labels`` (maps)
    is the most places the map may label, so that a map of every city fails a
    task that asks for the capital only.
    """

    declared_as: ClassVar[str] = "chart task"
    id: str
    kind: str
    expected: Callable[[], dict[str, list]]
    hints: tuple[str, str]
    success: str
    tolerance: float = 0.5
    label_points: bool = False
    ylabel: str = ""
    most_labels: int | None = None

    def __post_init__(self):
        if self.kind not in CHART_KINDS:
            raise ValueError(f"{self.id}: kind must be one of {CHART_KINDS}, not {self.kind!r}")


FINDING_WORDS = 5  # "Troop levels 2014-2021" names a subject; a finding takes a sentence


class Flaw(Exception):
    """What is wrong with the chart, in words for the student."""


class NotAChart(Exception):
    """The thing given is not a figure or axes at all."""


def check_chart(exercise_id: Any, fig_or_ax: Any) -> Verdict:
    """Judge a student's chart and return a verdict that the notebook shows.  Never raises."""
    try:
        return _check(exercise_id, fig_or_ax)
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
        return _log(
            Verdict(
                exercise_id=judging.id_text(exercise_id),
                status="error",
                message='the chart task id is a text in quotes, like check_chart("04.4", fig); '
                f"you gave {kind_of(exercise_id)}.",
            )
        )
    try:
        task = registry.chart_task(exercise_id)
    except KeyError:
        return _log(
            Verdict(
                exercise_id=judging.id_text(exercise_id),
                status="error",
                message="there is no chart task with this id. Check the id in the check_chart(...) call.",
            )
        )
    if fig_or_ax is None:
        return _log(
            Verdict(
                exercise_id=task.id,
                status="unanswered",
                message="no chart yet. Draw it with fig, ax = style.chart(...), then run "
                f'check_chart("{task.id}", fig).',
            )
        )
    try:
        ax = _axes(fig_or_ax)
        _inspect(task, ax)
    except NotAChart as err:
        return _log(Verdict(exercise_id=task.id, status="invalid", message=str(err)))
    except Flaw as err:
        level = judging.next_hint_level(("chart", task.id))  # 1 the first hint, 2 the stronger one
        label = "Hint" if level == 1 else "Stronger hint"
        return _log(
            Verdict(
                exercise_id=task.id,
                status="wrong",
                message=f"Not yet: {err} {label}: {task.hints[level - 1]}",
                hint_level=level,
            )
        )
    judging.forget_tries(("chart", task.id))
    return _log(
        Verdict(
            exercise_id=task.id,
            status="correct",
            message=f"Your chart meets the specification. {task.success}",
        )
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
    expected = task.expected()
    drawn = {"points": _points, "bars": _bars, "map": _map_labels}[task.kind](ax)
    _compare(task, expected, drawn)
    if (
        task.most_labels is not None
    ):  # places are labelled with annotations; country names are plain texts
        places = sum(
            1 for text in ax.texts if isinstance(text, Annotation) and text.get_text().strip()
        )
        if places > task.most_labels:
            raise Flaw(
                f"the map labels {places} places; the specification gives {task.most_labels}. "
                "Draw only the places it asks for."
            )
    title = " ".join(ax.get_title(loc=loc) for loc in ("left", "center", "right")).strip()
    if not title:
        raise Flaw("the chart has no title. Give it a title that states what it shows.")
    if len(re.findall(r"\w+", title)) < FINDING_WORDS:
        raise Flaw(
            f"the title {title!r} names the chart's subject. State what the chart shows, as a sentence "
            f"of {FINDING_WORDS} words or more: what rises, falls, leads or stands out."
        )
    if not ax.get_xlabel() or not ax.get_ylabel():
        raise Flaw("an axis has no label. Label both axes, with units.")
    if task.ylabel and task.ylabel.casefold() not in ax.get_ylabel().casefold():
        raise Flaw(f"the y label is {ax.get_ylabel()!r}; the specification gives {task.ylabel!r}.")
    _text_fits(ax)
    if task.kind != "map" and len(drawn) > 1:
        legend = ax.get_legend()
        if legend is None or not legend.get_texts():
            raise Flaw(
                "there are several series but no legend. Add ax.legend() (give each series a label=)."
            )
        _not_colour_alone(task, ax)
    if task.kind == "map" and ax.get_legend() is None:
        raise Flaw("the map has no legend. Add the legend the task gives.")
    needed = sum(len(values) for values in expected.values()) if task.label_points else 0
    labelled = sum(1 for text in ax.texts if text.get_text().strip())
    if labelled < needed:
        raise Flaw(
            f"the chart has {labelled} value labels; label each of the {needed} points with "
            "ax.annotate(...)."
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
                f"the {name} runs off the edge of the figure. Shorten it, or break it into two lines "
                "with \\n, or make the figure wider with figsize=."
            )
    if (
        "y label" in extents
        and "source line" in extents
        and extents["y label"].overlaps(extents["source line"])
    ):
        raise Flaw(
            "the y label runs into the source line. Shorten the y label (or break it with \\n)."
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


def _points(ax: Axes) -> list[list[float]]:
    """The y values of each series of markers (markers without a line, or scatter points)."""
    series = [values for _, values in _point_series(ax)]
    if not series:
        if any(len(line.get_xydata()) and _has_markers(line) for line in ax.get_lines()):
            raise Flaw(
                "the markers are joined by a line. Draw the markers alone, with "
                'ax.plot(..., linestyle="none", marker=...) or ax.scatter.'
            )
        raise Flaw(
            'the chart shows no markers. Draw one marker per figure (ax.plot(..., linestyle="none", '
            "marker=...) or ax.scatter)."
        )
    return series


def _bars(ax: Axes) -> list[list[float]]:
    """The heights of each series of bars, in the order of the x axis."""
    series = []
    for container in ax.containers:
        if not isinstance(container, BarContainer) or not container.patches:
            continue
        bars = sorted(container.patches, key=lambda bar: bar.get_x())
        series.append([float(bar.get_height()) for bar in bars])
    if not series:
        raise Flaw("the chart shows no bars. Draw them with ax.bar(...).")
    return series


def _map_labels(ax: Axes) -> list[str]:
    """The texts labelling places: annotations (country names are plain texts) and any other text."""
    if not ax.lines and not ax.collections:
        raise Flaw("the map shows no places. Draw it with bases.draw_map(...).")
    return [text.get_text() for text in ax.texts if text.get_text().strip()]


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


def _compare(task: ChartSpec, expected: dict[str, list], drawn: list) -> None:
    if task.kind == "map":
        _compare_map(task, expected["labels"], drawn)
        return
    unit = "bars" if task.kind == "bars" else "points"
    if len(drawn) != len(expected):
        raise Flaw(
            f"the chart has {len(drawn)} series of {unit}; the specification asks for {len(expected)}."
        )
    want = sum(len(v) for v in expected.values())
    have = sum(len(v) for v in drawn)
    if have != want and task.kind == "bars" and len(expected) > 1:
        each = len(next(iter(expected.values())))
        raise Flaw(
            f"the chart has {have} bars in its {len(drawn)} series; the specification gives {want}: "
            f"{len(expected)} series of {each} bars, one for every x value, with the empty ones drawn "
            "at height 0."
        )
    if have != want:
        raise Flaw(
            f"the chart has {have} {unit}; the specification gives {want}. Check the rows you kept "
            "(and, for a time axis, the empty months or years)."
        )
    if task.kind == "points":
        mine = sorted(y for values in drawn for y in values)
        theirs = sorted(float(y) for values in expected.values() for y in values)
    else:
        mine = sorted(tuple(values) for values in drawn)
        theirs = sorted(tuple(float(y) for y in values) for values in expected.values())
        if [len(v) for v in mine] != [len(v) for v in theirs]:
            raise Flaw(
                "the series have the wrong numbers of bars. Every series needs a bar for every x value, "
                "even an empty one (height 0)."
            )
        mine = [y for values in mine for y in values]
        theirs = [y for values in theirs for y in values]
    off = sum(abs(a - b) > task.tolerance for a, b in zip(mine, theirs))
    if off:
        raise Flaw(
            f"{off} of the {len(theirs)} values drawn differ from the data. Check the filter and the count."
        )


def _compare_map(task: ChartSpec, wanted: list, labels: list[str]) -> None:
    named = [(want, None) if isinstance(want, str) else want for want in wanted]
    missing, undated = [], []
    for name, date in named:
        mine = [text for text in labels if name.casefold() in text.casefold()]
        if not mine:
            missing.append(name)
        elif date is not None and not any(
            form.casefold() in text.casefold() for text in mine for form in _date_forms(date)
        ):
            undated.append(name)
    if missing:
        raise Flaw(
            f"{len(missing)} of the {len(named)} points have no label naming them "
            f"(for example {missing[0]!r}). Label each with ax.annotate(...)."
        )
    if undated:
        raise Flaw(
            f"{len(undated)} of the {len(named)} labels give no date (for example {undated[0]!r}). "
            "Write the date in each label too, e.g. 26 Mar."
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
                "the series differ only by colour. Give each its own hatch=, so the chart "
                "can be read without colour."
            )
        return
    looks = [_look(artist) for artist, _ in _point_series(ax)]
    if len(set(looks)) < len(looks):
        raise Flaw(
            "the series differ only by colour. Give each its own marker (or make one hollow), so the "
            "chart can be read without colour."
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
