"""What the reading edition changes on its way from the notebooks to the pages.

- A widget cannot run on a static page: each widget output becomes a short note
  saying where to use it (the notebooks keep a table or chart beside every widget).
- Every chart keeps its description: the Markdown cell after a chart starts with
  ``**Chart description.**``; its text becomes the chart's alt text, and the
  paragraph moves into the chart's output, under it, so print keeps them together.
- A link to a folder goes to that folder's index page, one to an exercise notebook
  downloads it, and a link from a Markdown page to a file the edition does not
  hold goes to the file in the repository.
- Each lecture page links its printable handout (the PDF printed beside it).
- The navigation's section toggles get a name that screen readers can say.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import nbformat
from docutils import nodes
from sphinx.util import logging

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
WIDGET_NOTE_CLASS = "usiraq-widget-note"
WIDGET_NOTE = (
    f'<p class="{WIDGET_NOTE_CLASS}"><em>An interactive widget is here in the notebook. '
    "Open the notebook in JupyterLab (or on Binder) to use it; the table or chart beside it "
    "shows the same content.</em></p>"
)
DESCRIPTION = "**Chart description.**"
DESCRIPTION_CLASS = "usiraq-chart-description"
HANDOUT_CLASS = "usiraq-handout"
IMAGE_MIMES = ("image/png", "image/jpeg", "image/svg+xml")
LINK = re.compile(r"(\]\()([^)\s]+)(\))")

logger = logging.getLogger(__name__)


def plain_text(markdown: str) -> str:
    """Markdown of a description as the plain sentence a screen reader should say."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)  # [text](url) -> text
    text = re.sub(r"[*_`]+", "", text)
    return " ".join(text.split())


def degrade_widgets(nb: nbformat.NotebookNode) -> int:
    """Replace every widget output by the note (its live state is not stored); return how many."""
    count = 0
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_MIME in data:
                output["data"] = {
                    "text/html": WIDGET_NOTE,
                    "text/plain": data.get("text/plain", ""),
                }
                count += 1
    nb.metadata.pop("widgets", None)
    return count


def describe_charts(nb: nbformat.NotebookNode) -> list[int]:
    """Give each chart the description that follows it as alt text; return the cells left without one."""
    missing = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or not any(
            mime in output.get("data", {})
            for output in cell.get("outputs", [])
            for mime in IMAGE_MIMES
        ):
            continue
        description = None
        for later in nb.cells[index + 1 :]:
            if later.cell_type == "markdown" and later.source.lstrip().startswith(DESCRIPTION):
                description = plain_text(later.source.lstrip()[len(DESCRIPTION) :])
                break
            if later.cell_type == "code" and later.get("outputs"):
                break  # the next chart or table came first
        if description:
            cell.metadata.setdefault("mystnb", {}).setdefault("image", {})["alt"] = description
        else:
            missing.append(index)
    return missing


def link_folders(markdown: str) -> str:
    """A relative link to a folder (``../solutions/``) goes to its index page; one to an
    exercise notebook downloads it (exercises are notebooks to work in, not pages)."""

    def rewrite(match):
        target = match.group(2)
        if re.match(r"^[a-z][a-z0-9+.\-]*:|^#", target, re.I):
            return match.group(0)
        if target.endswith("/"):
            target += "index.md"
        elif re.search(r"(^|/)exercises/[^/#]+\.ipynb$", target):
            target = "path:" + target
        return f"{match.group(1)}{target}{match.group(3)}"

    return LINK.sub(rewrite, markdown)


def read_notebook(text: str) -> nbformat.NotebookNode:
    """myst-nb's reader for .ipynb: the stored notebook, with widgets, charts and links made static."""
    nb = nbformat.reads(text, as_version=4)
    degrade_widgets(nb)
    missing = describe_charts(nb)
    for index in missing:
        title = nb.cells[0].source.splitlines()[0] if nb.cells else "a notebook"
        logger.warning(f"{title}: the chart in cell {index} has no '{DESCRIPTION}' cell after it")
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = link_folders(cell.source)
    return nb


def link_out_of_edition(app, docname: str, source: list[str]) -> None:
    """In a Markdown page, point links to files outside the edition at the repository."""
    if not app.env.doc2path(docname).suffix == ".md":
        return
    here = posixpath.dirname(docname)
    srcdir = app.srcdir

    def rewrite(match):
        target = match.group(2)
        if re.match(r"^[a-z][a-z0-9+.\-]*:|^#", target, re.I):
            return match.group(0)
        path, hash_, fragment = target.partition("#")
        inside = posixpath.normpath(posixpath.join(here, path))
        if (srcdir / inside).exists() or inside.startswith(".."):
            return match.group(0)
        return f"{match.group(1)}{app.config.repository_blob}/{inside}{hash_}{fragment}{match.group(3)}"

    source[0] = LINK.sub(rewrite, link_folders(source[0]))


def handout_link(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Put a link to the lecture's printable handout at the top of each lecture page."""
    if not pagename.startswith("notebooks/") or "body" not in context:
        return
    name = posixpath.basename(pagename)
    link = (
        f'<p class="{HANDOUT_CLASS}"><a href="{name}.pdf" download>'
        f"Printable handout (PDF)</a></p>\n"
    )
    context["body"] = link + context["body"]


def name_section_toggles(app, exception) -> None:
    """Give the navigation's section toggles (a chevron alone) a name screen readers can say."""
    if exception or app.builder.format != "html":
        return
    bare = '<summary><span class="toctree-toggle" role="presentation">'
    named = '<summary aria-label="Show or hide the pages of this section"><span class="toctree-toggle" role="presentation">'
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if bare in text:
            page.write_text(text.replace(bare, named), encoding="utf-8")


def mark_chart_descriptions(app, doctree) -> None:
    """Class each description paragraph and put it into its chart's output, just under the chart,
    so that print keeps the two together on one page."""
    label = DESCRIPTION.strip("*")
    for paragraph in list(doctree.findall(nodes.paragraph)):
        first = next(
            (c for c in paragraph.children if c.astext().strip()), None
        )  # myst-nb may lead with ""
        if not (isinstance(first, nodes.strong) and first.astext() == label):
            continue
        paragraph["classes"].append(DESCRIPTION_CLASS)
        before = paragraph.previous_sibling() if paragraph.parent is not None else None
        outputs = [
            c
            for c in getattr(before, "children", [])
            if isinstance(c, nodes.container)
            and "cell_output" in c["classes"]
            and any(c.findall(nodes.image))
        ]
        if outputs:
            paragraph.parent.remove(paragraph)
            outputs[-1].append(paragraph)


def setup(app):
    app.add_config_value("repository_blob", "", "env")
    app.connect("source-read", link_out_of_edition)
    app.connect("html-page-context", handout_link)
    app.connect("doctree-read", mark_chart_descriptions)
    app.connect("build-finished", name_section_toggles)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
