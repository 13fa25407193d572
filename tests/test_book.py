"""The reading edition's changes to a notebook (book/usiraq_book.py), on small notebooks made here.

tests/test_site.py checks the built site; these check the rules one at a time,
including the cases the stored notebooks do not have today.
"""

from __future__ import annotations

import sys
from pathlib import Path

from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "book"))
import usiraq_book as book

PNG = "iVBORw0KGgo="


def chart(text="<Figure>"):
    return new_code_cell(
        "plot()", outputs=[new_output("display_data", data={"image/png": PNG, "text/plain": text})]
    )


def table():
    return new_code_cell(
        "df",
        outputs=[
            new_output("execute_result", data={"text/html": "<table></table>"}, execution_count=1)
        ],
    )


def alt(cell):
    return cell.metadata.get("mystnb", {}).get("image", {}).get("alt")


def test_a_chart_takes_the_description_after_it_as_plain_alt_text():
    nb = new_notebook(
        cells=[
            chart(),
            new_markdown_cell(
                "**Chart description.** Bars of *troops* by "
                "year; see [the table](x.ipynb) and `tasks`."
            ),
        ]
    )
    assert book.describe_charts(nb) == []
    assert alt(nb.cells[0]) == "Bars of troops by year; see the table and tasks."


def test_a_chart_without_its_own_description_is_reported_not_given_another():
    nb = new_notebook(
        cells=[
            chart(),
            new_markdown_cell("Some prose."),
            table(),
            new_markdown_cell("**Chart description.** Belongs to no chart above."),
            chart(),
            new_markdown_cell("No description here."),
        ]
    )
    assert book.describe_charts(nb) == [0, 4]
    assert alt(nb.cells[0]) is None and alt(nb.cells[4]) is None


def test_widgets_become_the_note_and_lose_their_state():
    widget = new_output(
        "display_data", data={book.WIDGET_MIME: {"model_id": "abc"}, "text/plain": "VBox()"}
    )
    nb = new_notebook(cells=[new_code_cell("w", outputs=[widget]), table()])
    nb.metadata["widgets"] = {"state": {}}
    assert book.degrade_widgets(nb) == 1
    assert nb.cells[0].outputs[0].data == {"text/html": book.WIDGET_NOTE, "text/plain": "VBox()"}
    assert "widgets" not in nb.metadata and book.WIDGET_MIME not in str(nb)


def test_links_to_folders_and_exercises_become_index_pages_and_downloads():
    text = (
        "[solutions](../solutions/) [ex](../exercises/01_emergence.ipynb) [lecture](02_bases.ipynb) "
        "[web](https://example.org/) [here](#top) [ex folder](../exercises/)"
    )
    assert book.link_folders(text) == (
        "[solutions](../solutions/index.md) [ex](path:../exercises/01_emergence.ipynb) "
        "[lecture](02_bases.ipynb) [web](https://example.org/) [here](#top) [ex folder](../exercises/index.md)"
    )


def test_a_description_moves_under_its_chart_even_after_an_empty_text_node():
    from docutils import nodes

    described = nodes.paragraph(
        "", "", nodes.Text(""), nodes.strong("", "Chart description."), nodes.Text(" A map.")
    )
    other = nodes.paragraph("", "", nodes.strong("", "Key points."), nodes.Text(" Not a chart."))
    output = nodes.container("", nodes.image(uri="chart.png"), classes=["cell_output"])
    doctree = nodes.section("", nodes.container("", output, classes=["cell"]), described, other)
    book.mark_chart_descriptions(None, doctree)
    assert described["classes"] == [book.DESCRIPTION_CLASS] and other["classes"] == []
    assert described.parent is output and other.parent is doctree, (
        "the description is not under its chart"
    )
