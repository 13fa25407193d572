"""A chart as plain data: what ``check_chart`` reads of a matplotlib figure.

``snapshot(fig)`` turns the one axes that holds something drawn, and the
figure around it, into a dictionary of numbers, texts and flags: the series of
markers, the bars, the texts, the title, the axis labels, the source line, the
legend and the layout facts the checks need (what runs off the figure).  The
checks of ``usiraq.checking.charts`` read only that dictionary, so a chart is
judged the same way in the student's kernel and, from the dictionary recorded
there, in the grader's own process (``usiraq.teacher.grade``), where no student
object is ever loaded.
"""

from __future__ import annotations

import hashlib
from typing import Any

import matplotlib.colors as mcolors
import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.container import BarContainer, ErrorbarContainer
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.markers import MarkerStyle
from matplotlib.text import Annotation

from .words import kind_of

EDGE = 2  # pixels a text may pass the figure's edge before it counts as running off


SHAPE = {
    "drawn": bool,
    "lines": list,
    "scatters": list,
    "bars": list,
    "bar_hatches": list,
    "texts": list,
    "title": str,
    "xlabel": str,
    "ylabel": str,
    "source": str,
    "legend": (list, type(None)),
    "off_figure": list,
    "ylabel_meets_source": bool,
}  # what snapshot() returns, key by key: a recording from a student's kernel is held to it


def well_formed(view: Any) -> bool:
    """Whether a recording has the shape ``snapshot`` gives (every key, each of its type)."""
    return isinstance(view, dict) and all(
        isinstance(view.get(key), kind) for key, kind in SHAPE.items()
    )


class NotAChart(Exception):
    """The thing given is not a figure or axes at all, or nothing is drawn on it."""


def axes_of(fig_or_ax: Any) -> Axes:
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


def snapshot(fig_or_ax: Any) -> dict:
    """The chart as plain data (see the module's docstring).  Raises NotAChart."""
    ax = axes_of(fig_or_ax)
    caps = {
        id(cap)
        for container in ax.containers
        if isinstance(container, ErrorbarContainer)
        for cap in container[1]
    }
    lines = [_line(line) for line in ax.get_lines() if id(line) not in caps]
    scatters = [
        _scatter(c)
        for c in ax.collections
        if isinstance(c, PathCollection) and len(c.get_offsets())
    ]
    bars = [
        [
            {
                "x": float(bar.get_x()),
                "y": float(bar.get_y()),
                "width": float(bar.get_width()),
                "height": float(bar.get_height()),
            }
            for bar in sorted(container.patches, key=lambda bar: bar.get_x())
        ]
        for container in ax.containers
        if isinstance(container, BarContainer) and container.patches
    ]
    hatches = [
        container.patches[0].get_hatch() or ""
        for container in ax.containers
        if isinstance(container, BarContainer) and container.patches
    ]
    legend = ax.get_legend()
    source = getattr(ax.figure, "_supxlabel", None)
    return {
        "drawn": bool(ax.lines or ax.patches or ax.collections),
        "lines": lines,
        "scatters": scatters,
        "bars": bars,
        "bar_hatches": hatches,
        "texts": [
            {"text": t.get_text(), "annotation": isinstance(t, Annotation)} for t in ax.texts
        ],
        "title": " ".join(ax.get_title(loc=loc) for loc in ("left", "center", "right")).strip(),
        "xlabel": ax.get_xlabel(),
        "ylabel": ax.get_ylabel(),
        "source": source.get_text() if source is not None else "",
        "legend": [t.get_text() for t in legend.get_texts()] if legend is not None else None,
        **_layout(ax),
    }


def _line(line: Line2D) -> dict:
    xy = line.get_xydata()
    markers = line.get_marker() not in (None, "", "None", "none", " ")
    return {
        "x": [float(x) for x, _ in xy],
        "y": [float(y) for _, y in xy],
        "markers": markers,
        "joined": not (
            line.get_linestyle() in ("None", "none", "", " ") or not line.get_linewidth()
        ),
        "look": _line_look(line) if markers else "",
    }


def _scatter(collection: PathCollection) -> dict:
    offsets = collection.get_offsets()
    return {
        "x": [float(x) for x, _ in offsets],
        "y": [float(y) for _, y in offsets],
        "look": _scatter_look(collection),
    }


def _line_look(line: Line2D) -> str:
    """What tells a series of markers apart without colour: the marker's shape and its fill."""
    marker = MarkerStyle(line.get_marker())
    shape = _shape(marker.get_path().transformed(marker.get_transform()))
    face = line.get_markerfacecolor()
    hollow = (
        face is None
        or (isinstance(face, str) and face.lower() == "none")
        or mcolors.to_hex(face) == "#ffffff"
    )
    return _key(shape, "hollow" if hollow else line.get_fillstyle(), "")


def _scatter_look(collection: PathCollection) -> str:
    faces = collection.get_facecolor()
    hollow = collection.get_array() is None and (
        len(faces) == 0 or all(mcolors.to_hex(face) == "#ffffff" for face in faces)
    )
    shapes = tuple(_shape(path) for path in collection.get_paths())
    return _key(shapes, "hollow" if hollow else "full", collection.get_hatch() or "")


def _shape(path: Any) -> tuple:
    codes = None if path.codes is None else tuple(int(code) for code in path.codes)
    return tuple(np.round(path.vertices, 3).ravel().tolist()), codes


def _key(shape: Any, fill: str, hatch: str) -> str:
    """A look as a short text: 'hollow' or 'full' (or a fill style), the shape's digest, the hatch."""
    digest = hashlib.sha256(repr(shape).encode()).hexdigest()[:12]
    return f"{fill}|{digest}|{hatch}"


def _layout(ax: Axes) -> dict:
    """Which titles, labels and source line run off the figure, or into each other, as shown.

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
    texts = [("title", t) for t in titles if t is not None] + [
        ("x label", ax.xaxis.label),
        ("y label", ax.yaxis.label),
        ("source line", getattr(fig, "_supxlabel", None)),
    ]
    extents, off = {}, []
    for name, text in texts:
        if text is None or not text.get_visible() or not text.get_text().strip():
            continue
        box = text.get_window_extent(renderer)
        extents[name] = box
        if (
            box.x0 < fig.bbox.x0 - EDGE
            or box.x1 > fig.bbox.x1 + EDGE
            or box.y0 < fig.bbox.y0 - EDGE
            or box.y1 > fig.bbox.y1 + EDGE
        ) and name not in off:
            off.append(name)
    crossed = (
        "y label" in extents
        and "source line" in extents
        and bool(extents["y label"].overlaps(extents["source line"]))
    )
    return {"off_figure": off, "ylabel_meets_source": crossed}
