"""One chart style for the whole module.

Charts are read on a projector at the back of a room, by students with colour
vision deficiency, and as text by screen readers.  So: large type, the
Okabe-Ito palette (safe for the common forms of colour blindness), a marker and
a line style for every series so that nothing depends on colour alone, a title
that states the finding, labelled axes with units, and a source line on the
figure itself.  The text description that follows each chart lives in the
notebook, in a markdown cell that starts with ``**Chart description.**``.
"""

from __future__ import annotations

import io
from itertools import cycle

import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd
from cycler import cycler

# Okabe & Ito (2008), "Color Universal Design"; black moved last so lines stay light.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]
LINESTYLES = ["-", "--", "-.", ":", (0, (5, 1)), (0, (3, 1, 1, 1, 1, 1)), (0, (1, 1)), (0, (8, 2))]
HATCHES = ["", "//", "..", "xx", "\\\\", "++", "oo", "--"]
SHADES = ["#F2F2F2", "#DDDDDD"]
DESCRIPTION_PREFIX = "**Chart description.**"


def use() -> None:
    """Apply the module's chart style to every chart drawn after this call."""
    mpl.rcParams.update(
        {
            "figure.figsize": (11, 5.5),
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "font.size": 14,
            "axes.titlesize": 17,
            "axes.titleweight": "bold",
            "axes.titlelocation": "left",
            "axes.titlepad": 24,
            "axes.labelsize": 15,
            "xtick.labelsize": 13,
            "ytick.labelsize": 13,
            "legend.fontsize": 13,
            "legend.frameon": False,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.color": "#DDDDDD",
            "grid.linewidth": 0.8,
            "lines.linewidth": 2.5,
            "lines.markersize": 8,
            "axes.prop_cycle": cycler(color=PALETTE)
            + cycler(marker=MARKERS)
            + cycler(linestyle=LINESTYLES),
            "figure.constrained_layout.use": True,
        }
    )


def chart(title: str, xlabel: str, ylabel: str, source: str, figsize: tuple | None = None):
    """A new figure and axes with the finding as title, labelled axes and a source line.

    ``title`` should state what the chart shows ("Troops fell by three quarters
    between 2007 and 2011"), not what it is ("Troop levels").
    """
    fig, ax = plt.subplots(figsize=figsize)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    add_source(fig, source)
    return fig, ax


def add_source(fig, source: str) -> None:
    """Write the source line at the bottom left of the figure."""
    text = source if source.lower().startswith("source") else f"Source: {source}"
    fig.supxlabel(text, x=0.01, ha="left", fontsize=11, color="#444444")


def to_png(fig) -> bytes:
    """The figure as PNG bytes, for an image widget; the figure is closed.

    Explorers show their charts in an image widget rather than in captured
    output, so they behave the same in JupyterLab and in a notebook run
    without a browser.
    """
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()


def cite(frame: pd.DataFrame, column: str = "source_id", table: str | None = None) -> str:
    """A short source line for a chart drawn from ``frame``.

    One source is named; several are counted and the reader is pointed to the
    table's source column, where every row names its own.
    """
    ids = frame[column].dropna().unique()
    where = f"data/{table}.csv" if table else "the data"
    if len(ids) == 1:
        return f"{ids[0]} ({where})"
    return f"{len(ids)} sources, one per row in {where}, column {column}"


def series_styles(names) -> dict:
    """A fixed colour, marker and line style for each name, in order."""
    styles = zip(cycle(PALETTE), cycle(MARKERS), cycle(LINESTYLES))
    return {name: dict(color=c, marker=m, linestyle=ls) for name, (c, m, ls) in zip(names, styles)}


def shade_spans(
    ax, spans: pd.DataFrame, start: str = "start", end: str = "end", label: str = "name"
) -> None:
    """Shade alternating time spans (e.g. phases) and name each one at the top."""
    for i, row in enumerate(spans.itertuples(index=False)):
        left, right = getattr(row, start), getattr(row, end)
        ax.axvspan(left, right, color=SHADES[i % 2], zorder=0, linewidth=0)
        middle = left + (right - left) / 2
        ax.annotate(
            getattr(row, label),
            xy=(middle, 1.0),
            xycoords=("data", "axes fraction"),
            ha="center",
            va="bottom",
            fontsize=10,
            rotation=0,
            color="#333333",
            annotation_clip=False,
        )


def mark_dates(ax, dates, labels, y: float = 0.97) -> None:
    """Draw a thin vertical line at each date with a short label beside it."""
    for i, (when, text) in enumerate(zip(dates, labels)):
        ax.axvline(when, color="#555555", linewidth=1, linestyle=":", zorder=1)
        ax.annotate(
            text,
            xy=(when, y - 0.07 * (i % 4)),
            xycoords=("data", "axes fraction"),
            xytext=(3, 0),
            textcoords="offset points",
            fontsize=10,
            va="top",
            color="#222222",
        )
