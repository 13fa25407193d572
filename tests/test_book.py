"""The reading edition's changes to a notebook (book/usiraq_book.py) and its handouts
(tools/build_book.py), on small notebooks made here.

tests/test_site.py checks the built editions; these check the rules one at a time,
including the cases the stored notebooks do not have today.
"""

from __future__ import annotations

import base64
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "book"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
import build_book
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


def test_links_to_folders_and_exercises_become_index_pages():
    """An exercise notebook alone cannot find the helpers or the data: its link goes to the
    exercises page, which opens it where the whole module is."""
    text = (
        "[solutions](../solutions/) [ex](../exercises/01_emergence.ipynb) [lecture](02_bases.ipynb) "
        "[web](https://example.org/) [here](#top) [ex folder](../exercises/)"
    )
    assert book.link_folders(text) == (
        "[solutions](../solutions/index.md) [ex](../exercises/index.md) "
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


# -- the handouts and the editions (tools/build_book.py) ---------------------------------------

HEADER = """# 07 · A lecture: with a subtitle

| | |
|---|---|
| **Covers** | Section 7 of the paper |
| **Time** | 20 min |
| **Prerequisites** | [00 · Start here](00_start_here.ipynb) |
| **Data used** | `bases`, `events` |

**Learning objectives.** By the end of this notebook you can:

1. **list** the [bases](../docs/glossary.md#bases);
2. **explain** the handovers.
"""

CLOSING = """### For discussion

1. Why? See [the guide](../docs/teachers_guide.md).
2. Why not?

## Key points

- One point.
- Another, with a [link](02_bases.ipynb).

### Key points of the whole module

- A third.

---
**Next:** [08](08_x.ipynb)
"""


def lecture(*cells):
    return new_notebook(cells=[new_markdown_cell(HEADER), *cells, new_markdown_cell(CLOSING)])


def tagged(cell):
    cell.metadata["tags"] = [build_book.HANDOUT_TAG]
    return cell


def test_a_handout_takes_its_parts_from_the_lecture(tmp_path):
    path = tmp_path / "07_lecture.ipynb"
    nbformat.write(
        lecture(
            chart(), tagged(chart()), new_markdown_cell("**Chart description.** The main one.")
        ),
        path,
    )
    handout = build_book.handout_of(path, {"paper"})
    assert handout.title == "07 · A lecture: with a subtitle"
    assert handout.covers == "Section 7 of the paper"
    assert handout.data_used == "`bases`, `events`"
    assert handout.objectives.startswith("By the end") and "2. **explain**" in handout.objectives
    assert handout.discussion.splitlines()[0].startswith("1. Why?")
    assert (
        "Key points of the whole module" in handout.key_points
        and "**Next:**" not in handout.key_points
    )
    assert handout.chart == base64.b64decode(PNG) and handout.description == "The main one."
    page = build_book.handout_markdown(
        handout,
        {"paper": {"author": "A. B.", "date": "2022", "title": "T", "publisher": "J", "url": "u"}},
    )
    assert page.startswith("---\norphan: true\nnosearch: true\n---")
    assert "# 07 · A lecture: with a subtitle (handout)" in page
    assert ":alt: The main one." in page and "07_lecture-handout.png" in page
    assert "](" not in page.replace("](../data/README.md)", ""), "a link the handout does not need"
    assert (
        page.index("## Key points")
        < page.index("## The main chart")
        < page.index("## For discussion")
    )


def test_a_lecture_without_a_tagged_chart_has_a_handout_without_a_chart(tmp_path):
    path = tmp_path / "00_start.ipynb"
    nbformat.write(lecture(chart(), new_markdown_cell("**Chart description.** Not main.")), path)
    handout = build_book.handout_of(path, set())
    assert handout.chart is None
    assert "## The main chart" not in build_book.handout_markdown(
        handout, {"paper": dict.fromkeys(("author", "date", "title", "publisher", "url"), "")}
    )


@pytest.mark.parametrize(
    "cells",
    [
        [tagged(chart()), new_markdown_cell("**Chart description.** A."), tagged(chart())],
        [tagged(table())],
        [tagged(chart()), table(), new_markdown_cell("**Chart description.** Of another.")],
    ],
    ids=["two tagged", "a table tagged", "no description"],
)
def test_a_main_chart_that_is_not_one_described_chart_stops_the_build(tmp_path, cells):
    path = tmp_path / "07_lecture.ipynb"
    nbformat.write(lecture(*cells), path)
    with pytest.raises(build_book.BuildError, match="07_lecture"):
        build_book.handout_of(path, set())


def test_a_handout_lists_the_sources_a_lecture_cites_while_they_are_few():
    def source(n):
        return {"author": "", "title": f"Report {n}", "publisher": "Agency", "date": "", "url": ""}

    sources = {"paper": {**source(0), "author": "A.", "date": "2022"}} | {
        f"s{n}": source(n) for n in range(1, 20)
    }
    few = build_book.Handout("07_x", "T", "", "", "", "", "", None, None, ["s1", "s2"])
    text = build_book.sources_markdown(few, sources)
    assert "| Report 1 | Agency | `s1` |" in text and "| Report 2 |" in text
    many = build_book.Handout(
        "07_x", "T", "", "", "", "", "", None, None, [f"s{n}" for n in range(1, 12)]
    )
    text = build_book.sources_markdown(many, sources)
    assert "11 more sources" in text and "| Report" not in text


def test_the_cited_sources_are_read_from_the_outputs():
    nb = new_notebook(
        cells=[
            new_code_cell(
                "df",
                outputs=[
                    new_output(
                        "execute_result",
                        data={"text/html": "<td>pub-a</td><td>not-an-id</td><td>pub-b</td>"},
                        execution_count=1,
                    ),
                    new_output("stream", name="stdout", text="E1  2020  pub-a\nE2  2021  pub-c\n"),
                ],
            ),
            new_markdown_cell("The prose names pub-d, which no table shows."),
        ]
    )
    assert build_book.cited_sources(nb, {"pub-a", "pub-b", "pub-c", "pub-d"}) == [
        "pub-a",
        "pub-b",
        "pub-c",
    ]


def test_launch_links_take_the_form_of_the_theme_s_buttons():
    conf = {
        "usiraq_repositories": {
            "students": "https://github.com/me/iraq-students",
            "teachers": "https://github.com/me/iraq",
        },
        "html_theme_options": {
            "repository_branch": "main",
            "launch_buttons": {
                "binderhub_url": "https://mybinder.org",
                "jupyterhub_url": "https://hub.example.org/",
                "notebook_interface": "jupyterlab",
            },
        },
    }
    binder, hub = build_book.launch_links(conf, "students", "exercises/01_x.ipynb")
    assert binder == (
        "https://mybinder.org/v2/gh/me/iraq-students/main?urlpath=lab/tree/exercises/01_x.ipynb"
    )
    assert hub == (
        "https://hub.example.org/hub/user-redirect/git-pull?repo=https%3A//github.com/me/"
        "iraq-students&urlpath=lab/tree/iraq-students/exercises/01_x.ipynb&branch=main"
    )
    assert "/me/iraq/" in build_book.launch_links(conf, "teachers", "x.ipynb")[0]


def test_a_wide_table_printed_as_text_gets_its_width_and_prose_does_not():
    def output(text):
        return f'<div class="output stream highlight-myst-ansi notranslate"><div class="highlight"><pre>{text}</pre></div>'

    wide = "\n".join(["  id   " + "x" * 60 + "   value   " + "y" * 50] * 3)
    prose = "\n".join(["why:    " + "a long sentence " * 10] * 3)
    narrow = "a  b  c\nd  e  f\n"
    marked = book.mark_text_tables(output(wide) + output(prose) + output(narrow))
    assert marked.count(book.TEXT_TABLE_CLASS) == 1
    assert f'style="--usiraq-columns: {len(wide.splitlines()[0])}"' in marked
