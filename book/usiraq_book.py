"""What the reading edition changes on its way from the notebooks to the pages.

- A widget cannot run on a static page: each widget output becomes a short note
  saying where to use it (the notebooks keep a table or chart beside every widget).
- Every chart keeps its description: the Markdown cell after a chart starts with
  ``**Chart description.**``; its text becomes the chart's alt text, and the
  paragraph moves into the chart's output, under it, so print keeps them together.
- A link to a folder goes to that folder's index page, one to an exercise notebook
  goes to the exercises page (a notebook downloaded alone cannot find the helpers
  or the data; that page opens it where the whole module is), and a link from a
  Markdown page to a file the edition does not hold goes to the file in the
  edition's repository. In the students' edition a Markdown page's link to the
  solutions or the teacher's guide becomes its text (tools/build_book.py does the
  same to the notebooks, with the student release's ``unlink_hidden``).
- Each lecture page links its handout (a summary of two to four pages, as a page
  and as PDFs in A4 and US Letter) and the whole lecture as a PDF.
- A wide table that a cell prints as text (``df.to_string()``) is marked with its
  width, so that print shrinks its font to fit the page rather than wrap its rows.
- The navigation's section toggles get a name that screen readers can say.
- The edition (``-D usiraq_edition=students`` or ``teachers``, set by
  tools/build_book.py) chooses the repository the launch buttons open; the
  teachers' edition says on every page, in a banner, that it is not for students
  and how to keep it private, and asks search engines not to index it.
"""

from __future__ import annotations

import posixpath
import re
from html import unescape
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
HANDOUT_PAGE_CLASS = "usiraq-handout-page"
HANDOUT_SUFFIX = "-handout"  # notebooks/NN_name-handout: the lecture's summary for print
EDITIONS = ("students", "teachers")
BANNER_CLASS = "usiraq-teachers-banner"
TEACHERS_BANNER = (
    f'<div class="{BANNER_CLASS}"><strong>Teachers\' edition: not for students.</strong> '
    "It holds the worked solutions, the model answers and the teacher's guide. "
    "Keep it private: do not publish it on a public web server or on public GitHub Pages; "
    "keep it on a private host, or open it on your own computer with "
    "<code>python -m http.server -d _site_teachers</code>. "
    "Students get the students' edition (<code>make site</code>).</div>"
)
# Pages only teachers may see: a students' edition holds none and links to none.
TEACHERS_ONLY = re.compile(r"^(solutions/|docs/teachers_guide\.md)")
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


def is_chart(cell) -> bool:
    """A code cell whose output is an image."""
    return cell.cell_type == "code" and any(
        mime in output.get("data", {}) for output in cell.get("outputs", []) for mime in IMAGE_MIMES
    )


def chart_description(nb: nbformat.NotebookNode, index: int) -> str | None:
    """The Markdown of the description after the chart in cell ``index`` (without its label),
    or None if the next chart or table comes first."""
    for later in nb.cells[index + 1 :]:
        if later.cell_type == "markdown" and later.source.lstrip().startswith(DESCRIPTION):
            return later.source.lstrip()[len(DESCRIPTION) :].strip()
        if later.cell_type == "code" and later.get("outputs"):
            return None  # the next chart or table came first
    return None


def describe_charts(nb: nbformat.NotebookNode) -> list[int]:
    """Give each chart the description that follows it as alt text; return the cells left without one."""
    missing = []
    for index, cell in enumerate(nb.cells):
        if not is_chart(cell):
            continue
        description = chart_description(nb, index)
        if description:
            description = plain_text(description)
            cell.metadata.setdefault("mystnb", {}).setdefault("image", {})["alt"] = description
        else:
            missing.append(index)
    return missing


def link_folders(markdown: str) -> str:
    """A relative link to a folder (``../solutions/``) goes to its index page; one to an
    exercise notebook goes to the exercises page, which opens it on Binder or the hub
    (exercises are notebooks to work in, where the helpers and the data are, not pages)."""

    def rewrite(match):
        target = match.group(2)
        if re.match(r"^[a-z][a-z0-9+.\-]*:|^#", target, re.I):
            return match.group(0)
        if target.endswith("/"):
            target += "index.md"
        else:
            target = re.sub(r"(^|/)exercises/[^/#]+\.ipynb$", r"\1exercises/index.md", target)
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


LINK_WITH_TEXT = re.compile(r"(?<!!)\[([^\]]*)\]\(([^)\s]+)\)")


def link_out_of_edition(app, docname: str, source: list[str]) -> None:
    """In a Markdown page, point links to files outside the edition at the repository; in the
    students' edition a link to the solutions or the teacher's guide keeps only its text."""
    if not app.env.doc2path(docname).suffix == ".md":
        return
    here = posixpath.dirname(docname)
    srcdir = app.srcdir

    def hide(match):
        target = match.group(2)
        if re.match(r"^[a-z][a-z0-9+.\-]*:|^#", target, re.I):
            return match.group(0)
        inside = posixpath.normpath(posixpath.join(here, target.partition("#")[0]))
        return match.group(1) if TEACHERS_ONLY.match(inside) else match.group(0)

    def rewrite(match):
        target = match.group(2)
        if re.match(r"^[a-z][a-z0-9+.\-]*:|^#", target, re.I):
            return match.group(0)
        path, hash_, fragment = target.partition("#")
        inside = posixpath.normpath(posixpath.join(here, path))
        if (srcdir / inside).exists() or inside.startswith(".."):
            return match.group(0)
        return f"{match.group(1)}{app.config.repository_blob}/{inside}{hash_}{fragment}{match.group(3)}"

    text = source[0]
    if app.config.usiraq_edition == "students":
        text = LINK_WITH_TEXT.sub(hide, text)
    source[0] = LINK.sub(rewrite, link_folders(text))


def print_links(app, pagename: str) -> str:
    """The links of a lecture page (or of its handout page) to what prints."""
    name = posixpath.basename(pagename).removesuffix(HANDOUT_SUFFIX)
    handout = f"{name}{HANDOUT_SUFFIX}"
    pdf = app.config.usiraq_pdf
    if pagename.endswith(HANDOUT_SUFFIX):
        pdfs = (
            f' (<a href="{handout}-a4.pdf" download>A4 PDF</a>, '
            f'<a href="{handout}-letter.pdf" download>US Letter PDF</a>)'
        )
        whole = f', or <a href="{name}.pdf" download>as a PDF (A4)</a>'
        return (
            f'<p class="{HANDOUT_CLASS}">A summary of the lecture to print, on two to four pages'
            f'{pdfs if pdf else ""}. The whole lecture: <a href="{name}.html">its page</a>'
            f"{whole if pdf else ''}.</p>\n"
        )
    links = [f'<a href="{handout}.html">as a page</a>']
    if pdf:
        links[:0] = [
            f'<a href="{handout}-a4.pdf" download>A4 PDF</a>',
            f'<a href="{handout}-letter.pdf" download>US Letter PDF</a>',
        ]
    whole = f'; the whole lecture (<a href="{name}.pdf" download>PDF, A4</a>)' if pdf else ""
    return (
        f'<p class="{HANDOUT_CLASS}"><strong>To print:</strong> the handout, a summary of two to '
        f"four pages ({', '.join(links)}){whole}.</p>\n"
    )


def handout_link(app, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Link each lecture page to its handout and to its PDF at the top; mark the handout pages,
    whose print rules differ; keep the teachers' edition out of search engines."""
    if app.config.usiraq_edition == "teachers":
        context["metatags"] = (
            context.get("metatags", "") + '\n<meta name="robots" content="noindex, nofollow">'
        )
    if not pagename.startswith("notebooks/") or "body" not in context:
        return
    body = print_links(app, pagename) + context["body"]
    if pagename.endswith(HANDOUT_SUFFIX):
        body = f'<div class="{HANDOUT_PAGE_CLASS}">\n{body}</div>\n'
    context["body"] = body


def choose_edition(app, config) -> None:
    """Point the launch buttons at the edition's repository; give the teachers' edition its banner."""
    edition = config.usiraq_edition
    if edition not in EDITIONS:
        raise ValueError(f"usiraq_edition must be one of {EDITIONS}, not {edition!r}")
    options = dict(config.html_theme_options)
    repository = config.usiraq_repositories.get(edition)
    if repository:
        options["repository_url"] = repository
        config.repository_blob = f"{repository}/blob/{options.get('repository_branch', 'main')}"
    if edition == "teachers":
        options["announcement"] = TEACHERS_BANNER
        config.html_title = f"{config.html_title} (teachers' edition)"
    config.html_theme_options = options


TEXT_OUTPUT = re.compile(
    r'(<div class="output stream[^"]*"><div class="highlight"><pre)>(.*?)(</pre>)', re.S
)
COLUMN_GAPS = re.compile(r"\S {2,}\S.*\S {2,}\S")  # a line of a table printed as text
TEXT_TABLE_CLASS = "usiraq-text-table"
TEXT_TABLE_COLUMNS = (100, 190)  # printed tables this wide shrink to the page; wider ones wrap


def mark_text_tables(html: str) -> str:
    """Give each wide table printed as text (``df.to_string()``) its width in characters, so that
    print shrinks its font to fit the page instead of wrapping its rows."""

    def mark(match):
        lines = unescape(re.sub(r"<[^>]+>", "", match.group(2))).splitlines()
        width = max((len(line) for line in lines), default=0)
        tabular = sum(bool(COLUMN_GAPS.search(line)) for line in lines) >= 2
        if not tabular or not TEXT_TABLE_COLUMNS[0] < width <= TEXT_TABLE_COLUMNS[1]:
            return match.group(0)
        return (
            f'{match.group(1)} class="{TEXT_TABLE_CLASS}" style="--usiraq-columns: {width}">'
            f"{match.group(2)}{match.group(3)}"
        )

    return TEXT_OUTPUT.sub(mark, html)


def name_section_toggles(app, exception) -> None:
    """Give the navigation's section toggles (a chevron alone) a name screen readers can say,
    and mark the wide tables printed as text (see mark_text_tables)."""
    if exception or app.builder.format != "html":
        return
    bare = '<summary><span class="toctree-toggle" role="presentation">'
    named = '<summary aria-label="Show or hide the pages of this section"><span class="toctree-toggle" role="presentation">'
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        changed = mark_text_tables(text.replace(bare, named))
        if changed != text:
            page.write_text(changed, encoding="utf-8")


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
    app.add_config_value("usiraq_edition", "students", "env", str)
    app.add_config_value("usiraq_repositories", {}, "env")
    app.add_config_value("usiraq_pdf", True, "env", bool)
    app.connect("config-inited", choose_edition)
    app.connect("source-read", link_out_of_edition)
    app.connect("html-page-context", handout_link)
    app.connect("doctree-read", mark_chart_descriptions)
    app.connect("build-finished", name_section_toggles)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
