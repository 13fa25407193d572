"""Build a static website of the module, for reading without a kernel.

The lecture notebooks are committed freshly executed, so their stored outputs
(tables, charts) are rendered as they are, with nbconvert's HTMLExporter: no
notebook is run again. Charts are embedded in the pages. Widgets cannot run on
a static page: each widget output becomes a short note saying where to use it
(the notebooks keep a table or chart beside every widget).

    _site/index.html             the lectures in order, with titles and times
    _site/00_start_here.html ... one page per lecture, with previous/next links
    _site/teachers/index.html    the solution notebooks, for teachers
    _site/teachers/01_....html   one page per solution notebook
    _site/docs/*.html, data/README.html   the Markdown pages the notebooks link to
    _site/exercises/*.ipynb      the exercise notebooks, to download

Links between notebooks are rewritten to the pages; a link to a Markdown file
goes to its rendered page; any other linked file of the repository is copied.

Usage: ``python tools/build_site.py [--out _site]`` (or ``make site``).
"""
from __future__ import annotations

import argparse
import html
import os
import re
import shutil
import sys
from pathlib import Path
from urllib.parse import unquote

import nbformat
from nbconvert import HTMLExporter
from nbformat.v4 import new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
WIDGET_NOTE_CLASS = "usiraq-widget-note"
WIDGET_NOTE = (f'<p class="{WIDGET_NOTE_CLASS}"><em>An interactive widget is here in the notebook. '
               "Open the notebook in JupyterLab (or on Binder) to use it; the table or chart beside it "
               "shows the same content.</em></p>")
STYLE = """<style>
nav.usiraq-nav { font: 15px/1.5 system-ui, sans-serif; padding: 8px 16px; background: #f2f2f2;
  border-bottom: 1px solid #ddd; display: flex; gap: 1.5em; flex-wrap: wrap; }
nav.usiraq-nav.bottom { border-top: 1px solid #ddd; border-bottom: none; margin-top: 2em; }
nav.usiraq-nav a { color: #0b5cad; }
.usiraq-index { font: 16px/1.5 system-ui, sans-serif; max-width: 60em; margin: 2em auto; padding: 0 1em; }
.usiraq-index table { border-collapse: collapse; width: 100%; }
.usiraq-index th, .usiraq-index td { text-align: left; padding: 6px 10px; border-bottom: 1px solid #ddd; }
.usiraq-widget-note { background: #fff8e1; border-left: 4px solid #e69f00; padding: 6px 10px; }
</style>"""


class Page:
    """One notebook and the page it becomes."""

    def __init__(self, source: Path, target: str):
        self.source = source          # the notebook in the repository
        self.target = target          # its page, relative to the site root
        nb = nbformat.read(source, as_version=4)
        header = nb.cells[0].source if nb.cells else ""
        heading = re.search(r"^#\s+(.+)$", header, re.M)
        self.title = re.sub(r"[*`]", "", heading.group(1)).strip() if heading else source.stem
        time = re.search(r"\*\*Time\*\*\s*\|\s*([^|\n]+)", header)
        self.time = time.group(1).strip() if time else ""
        self.nb = nb


def degrade_widgets(nb: nbformat.NotebookNode) -> int:
    """Replace every widget output by a note (its live state is not stored); return how many."""
    count = 0
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_MIME in data:
                output["data"] = {"text/html": WIDGET_NOTE, "text/plain": data.get("text/plain", "")}
                count += 1
    nb.metadata.pop("widgets", None)
    return count


def github_slug(text: str) -> str:
    """The anchor GitHub gives a heading, which the notebooks' links use."""
    text = re.sub(r"<[^>]+>", "", html.unescape(text)).strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def add_github_anchors(body: str) -> str:
    """nbconvert's heading ids keep case and punctuation; add GitHub's as well."""
    def anchor(match):
        slug = github_slug(re.sub(r'<a class="anchor-link".*?</a>', "", match.group(3), flags=re.S))
        extra = f'<a id="{slug}"></a>' if slug and slug != match.group(2) else ""
        return extra + match.group(0)
    return re.sub(r'<h([1-6]) id="([^"]*)">(.*?)</h\1>', anchor, body, flags=re.S)


class Site:
    def __init__(self, out: Path):
        self.out = out
        self.exporter = HTMLExporter(template_name="lab", embed_images=True)
        self.lectures = [Page(p, f"{p.stem}.html") for p in sorted((ROOT / "notebooks").glob("*.ipynb"))]
        self.solutions = [Page(p, f"teachers/{p.stem}.html") for p in sorted((ROOT / "solutions").glob("*.ipynb"))]
        self.by_source = {p.source.resolve(): p.target for p in self.lectures + self.solutions}
        self.folders = {ROOT / "notebooks": "index.html", ROOT / "solutions": "teachers/index.html",
                        ROOT / "exercises": "exercises/index.html"}
        self.markdown: dict[Path, str] = {}   # Markdown files linked from pages -> their page
        self.copies: dict[Path, str] = {}     # other linked files -> their copy
        self.unresolved: list[str] = []

    # -- links -----------------------------------------------------------------------------
    def site_path(self, target: Path) -> str | None:
        """Where a repository file or folder a page links to lives in the site."""
        target = target.resolve()
        if target in self.by_source:
            return self.by_source[target]
        if target in self.folders:
            return self.folders[target]
        if not target.exists() or ROOT not in target.parents:
            return None
        relative = target.relative_to(ROOT).as_posix()
        if target.is_dir():
            return None
        if target.suffix == ".md":
            self.markdown[target] = str(Path(relative).with_suffix(".html"))
            return self.markdown[target]
        self.copies[target] = relative
        return relative

    def rewrite_links(self, body: str, source_dir: Path, page: str) -> str:
        page_dir = os.path.dirname(page) or "."

        def rewrite(match):
            attr, url = match.group(1), html.unescape(match.group(2))
            if re.match(r"^([a-z][a-z0-9+.\-]*:|#|//)", url, re.I):
                return match.group(0)
            path, _, fragment = url.partition("#")
            target = self.site_path(source_dir / unquote(path)) if path else None
            if target is None:
                if path:
                    self.unresolved.append(f"{page}: {url}")
                return match.group(0)
            new = os.path.relpath(target, page_dir) + (f"#{fragment}" if fragment else "")
            return f'{attr}="{html.escape(new)}"'

        return re.sub(r'(href|src)="([^"]*)"', rewrite, body)

    # -- pages -----------------------------------------------------------------------------
    def nav(self, page: str, pages: list[Page], index: str, where: str) -> str:
        here = os.path.dirname(page) or "."
        links = [f'<a href="{os.path.relpath(index, here)}">Contents</a>']
        i = [p.target for p in pages].index(page)
        if i > 0:
            prev = pages[i - 1]
            links.append(f'<a rel="prev" href="{os.path.relpath(prev.target, here)}">← {html.escape(prev.title)}</a>')
        if i + 1 < len(pages):
            nxt = pages[i + 1]
            links.append(f'<a rel="next" href="{os.path.relpath(nxt.target, here)}">{html.escape(nxt.title)} →</a>')
        return f'<nav class="usiraq-nav {where}">{" ".join(links)}</nav>'

    def write(self, relative: str, text: str) -> None:
        path = self.out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def render(self, nb: nbformat.NotebookNode, source_dir: Path, page: str, top: str = "", bottom: str = "") -> str:
        body, _ = self.exporter.from_notebook_node(nb, resources={"metadata": {"path": str(source_dir)}})
        body = self.rewrite_links(body, source_dir, page)
        body = body.replace("</head>", f"{STYLE}\n</head>", 1)
        body = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + top, body, count=1)
        return body.replace("</body>", f"{bottom}</body>", 1)

    def notebook_pages(self, pages: list[Page], index: str) -> None:
        for page in pages:
            nb = nbformat.from_dict(page.nb)
            degrade_widgets(nb)
            self.write(page.target, self.render(nb, page.source.parent, page.target,
                                                self.nav(page.target, pages, index, "top"),
                                                self.nav(page.target, pages, index, "bottom")))

    def index(self, relative: str, title: str, intro: str, pages: list[Page], extra: str = "") -> None:
        here = os.path.dirname(relative) or "."
        rows = "\n".join(
            f'<tr><td><a href="{os.path.relpath(p.target, here)}">{html.escape(p.title)}</a></td>'
            f"<td>{html.escape(p.time)}</td></tr>" for p in pages)
        self.write(relative, f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>{STYLE}</head>
<body><main class="usiraq-index">
<h1>{html.escape(title)}</h1>
{intro}
<table><thead><tr><th>Notebook</th><th>Time</th></tr></thead><tbody>
{rows}
</tbody></table>
{extra}
</main></body></html>
""")

    def exercises_index(self) -> None:
        items = []
        for path in sorted((ROOT / "exercises").glob("*.ipynb")):
            self.copies[path.resolve()] = f"exercises/{path.name}"
            items.append(f'<tr><td><a href="{path.name}" download>{html.escape(path.name)}</a></td><td></td></tr>')
        self.write("exercises/index.html", f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Exercise notebooks</title>{STYLE}</head>
<body><main class="usiraq-index"><h1>Exercise notebooks</h1>
<p>Download a notebook and open it in JupyterLab, or use the module on Binder. <a href="../index.html">Contents</a></p>
<table><tbody>{"".join(items)}</tbody></table></main></body></html>
""")

    def markdown_pages(self) -> None:
        done: set[Path] = set()
        while set(self.markdown) - done:       # a Markdown page may link to another one
            for source in sorted(set(self.markdown) - done):
                done.add(source)
                page = self.markdown[source]
                nb = new_notebook(cells=[new_markdown_cell(source.read_text(encoding="utf-8"))])
                top = f'<nav class="usiraq-nav top"><a href="{os.path.relpath("index.html", os.path.dirname(page))}">Contents</a></nav>'
                self.write(page, add_github_anchors(self.render(nb, source.parent, page, top)))

    def build(self) -> None:
        if self.out.exists():
            shutil.rmtree(self.out)
        self.out.mkdir(parents=True)
        self.notebook_pages(self.lectures, "index.html")
        self.notebook_pages(self.solutions, "teachers/index.html")
        self.exercises_index()
        self.markdown_pages()
        for source, relative in self.copies.items():
            (self.out / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, self.out / relative)
        self.index("index.html", "The US military presence in Iraq, taught through one paper",
                   "<p>The lecture notebooks, as stored with their outputs: read them here, or run them in "
                   "JupyterLab or on Binder to use the widgets and do the exercises. Start at the top.</p>",
                   self.lectures,
                   '<p><a href="exercises/index.html">Exercise notebooks</a> (to download) · '
                   '<a href="teachers/index.html">For teachers: the worked solutions</a></p>')
        self.index("teachers/index.html", "For teachers: the worked solutions",
                   '<p>The exercise notebooks with worked answers, as stored. '
                   '<a href="../index.html">Back to the lectures</a></p>', self.solutions)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "_site", help="output folder (default: _site)")
    args = parser.parse_args(argv)
    site = Site(args.out.resolve())
    site.build()
    for link in site.unresolved:
        print(f"warning: link left as it is (no such file in the repository): {link}", file=sys.stderr)
    print(f"wrote {len(site.lectures)} lecture pages, {len(site.solutions)} teacher pages "
          f"and {len(site.markdown)} other pages to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
