"""Build the reading edition of the module: a static website, with handouts to print.

Sphinx with myst-nb and sphinx-book-theme renders the stored notebooks as they
are (no notebook is run again): a left navigation in course order,
previous/next links, search, dark mode, and on every lecture page a launch
button to Binder and to a JupyterHub (addresses in book/conf.py). Every script,
style and font is served from the site itself. Then Chromium prints, beside each
lecture page, the whole lecture to a PDF and its handout (a summary of two to
four pages) to a PDF in A4 and one in US Letter.

There are two editions, each in its own folder:

- **the students' edition** (the default, ``make site``, into ``_site/``), to
  publish: the lectures, the exercises page, the glossary and the data
  dictionary. It holds no worked solution and no teacher's guide, and nothing
  links to them: the lectures' links to them become plain text, as in the
  student release (``usiraq.teacher.release.unlink_hidden``). Its launch
  buttons open ``STUDENT_REPOSITORY_URL``.
- **the teachers' edition** (``--teachers``, ``make site-teachers``, into
  ``_site_teachers/``): the same, plus the worked solutions and the teacher's
  guide, with a banner on every page saying that it is not for students and how
  to keep it private. Never publish it.

    OUT/index.html                          the lectures in order, with titles and times
    OUT/notebooks/NN_name.html, .pdf        each lecture, as a page and as a PDF (A4)
    OUT/notebooks/NN_name-handout.html      its handout: objectives, key points, the main
    OUT/notebooks/NN_name-handout-a4.pdf        chart (the cell tagged ``handout``),
    OUT/notebooks/NN_name-handout-letter.pdf    questions for discussion, data and sources
    OUT/exercises/index.html                the exercise notebooks, opened on Binder or the hub
    OUT/docs/glossary.html, OUT/data/README.html    the glossary and the data dictionary
    OUT/solutions/, OUT/docs/teachers_guide.html    the teachers' edition only

The build writes a stamp file (one name per edition) into the folder it makes,
and refuses to delete a folder without its edition's stamp: ``--out .`` never
deletes the repository, and neither edition replaces the other.

Usage: ``python tools/build_book.py [--teachers] [--out DIR] [--no-pdf]``
(``make site``, ``make site-teachers``).
"""

from __future__ import annotations

import argparse
import base64
import csv
import os
import re
import runpy
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import nbformat

from usiraq.teacher.chromium import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
sys.path.insert(0, str(BOOK))
import usiraq_book as book  # noqa: E402  (the edition's Sphinx extension, in book/)

# Each edition: the stamp that marks a folder it made, and its default folder.
STAMPS = {"students": ".usiraq-site", "teachers": ".usiraq-site-teachers"}
DEFAULT_OUT = {"students": ROOT / "_site", "teachers": ROOT / "_site_teachers"}
HANDOUT_TAG = "handout"  # the cell tag of each lecture's main chart
SHORT_SOURCES = 8  # a handout lists the sources a lecture cites when there are no more than this
PDF_TIMEOUT_MS = 60_000
PDF_MARGIN = {"top": "15mm", "bottom": "15mm", "left": "14mm", "right": "14mm"}
PAPERS = {"a4": "A4", "letter": "Letter"}
# What the teachers' edition adds to the contents page (book/index.md); the students' has none of it.
TEACHERS_INDEX = {
    "teachers_line": (
        " The worked solutions and the teacher's guide are under [For teachers](solutions/index.md)."
    ),
    "teachers_toc": (
        "\n```{toctree}\n:caption: For teachers\n:hidden:\n\nsolutions/index\ndocs/teachers_guide\n```\n"
    ),
}


class BuildError(Exception):
    """The edition cannot be built as asked; the message says why."""


def header(path: Path) -> tuple[str, str]:
    """A notebook's title (its first heading) and its time (the header table's Time row)."""
    nb = nbformat.read(path, as_version=4)
    first = nb.cells[0].source if nb.cells else ""
    heading = re.search(r"^#\s+(.+)$", first, re.M)
    title = re.sub(r"[*`]", "", heading.group(1)).strip() if heading else path.stem
    found = re.search(r"\*\*Time\*\*\s*\|\s*([^|\n]+)", first)
    return title, found.group(1).strip() if found else ""


def contents_table(paths: list[Path], folder: str) -> str:
    """A Markdown table of notebooks, linked, with their times."""
    rows = ["| Notebook | Time |", "|---|---|"]
    for path in paths:
        title, duration = header(path)
        rows.append(f"| [{title}]({folder}{path.name}) | {duration} |")
    return "\n".join(rows)


def fill(template: Path, target: Path, **parts: str) -> None:
    text = template.read_text(encoding="utf-8")
    for name, value in parts.items():
        text = text.replace("{" + name + "}", value)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


# -- launch links ------------------------------------------------------------------------------


def settings() -> dict:
    """The settings of book/conf.py (the addresses a copy of the module changes)."""
    return runpy.run_path(str(BOOK / "conf.py"))


def launch_links(conf: dict, edition: str, path: str) -> tuple[str, str]:
    """The Binder and JupyterHub links that open ``path`` (from the repository's root) in the
    edition's repository, in the form of the theme's launch buttons."""
    repository = conf["usiraq_repositories"][edition]
    options = conf["html_theme_options"]
    buttons = options["launch_buttons"]
    branch = options.get("repository_branch", "main")
    ui = {"classic": "tree", "jupyterlab": "lab/tree"}[buttons.get("notebook_interface", "classic")]
    parts = urlsplit(repository)
    owner, repo = parts.path.strip("/").split("/")[:2]
    binderhub = buttons["binderhub_url"].rstrip("/")
    if parts.netloc == "github.com":
        binder = f"{binderhub}/v2/gh/{owner}/{repo}/{branch}"
    else:
        binder = f"{binderhub}/v2/git/{quote(repository, safe='')}/{branch}"
    query = urlencode(
        {"repo": repository, "urlpath": f"{ui}/{repo}/{path}", "branch": branch}, safe="/"
    )
    hub = f"{buttons['jupyterhub_url'].rstrip('/')}/hub/user-redirect/git-pull?{query}"
    return f"{binder}?urlpath={ui}/{path}", hub


def exercises_page(conf: dict, edition: str, exercises: list[Path]) -> dict[str, str]:
    """The parts of the exercises page: a row of launch links per exercise notebook, and where
    to get the whole module."""
    rows = [
        "| Exercises | On Binder | On your course's JupyterHub |",
        "|---|---|---|",
    ]
    for path in exercises:
        binder, hub = launch_links(conf, edition, f"exercises/{path.name}")
        number = path.stem.split("_")[0]
        rows.append(
            f"| {header(path)[0]} (`exercises/{path.name}`) | [open {number} on Binder]({binder}) "
            f"| [open {number} on the hub]({hub}) |"
        )
    repository = conf["usiraq_repositories"][edition]
    branch = conf["html_theme_options"].get("repository_branch", "main")
    get = (
        f"get the whole module ([download it as a ZIP file]({repository}/archive/refs/heads/"
        f"{branch}.zip), or `git clone {repository}`)"
    )
    return {"exercises": "\n".join(rows), "get_module": get}


# -- handouts ----------------------------------------------------------------------------------


@dataclass
class Handout:
    """What a lecture's handout shows, taken from its stored notebook."""

    stem: str
    title: str
    covers: str
    objectives: str
    key_points: str
    discussion: str
    data_used: str
    chart: bytes | None  # the PNG of the cell tagged `handout`
    description: str | None  # its chart description (Markdown)
    cited: list[str]  # the source_id of every source the notebook's outputs cite


def without_links(markdown: str) -> str:
    """Markdown with each link replaced by its text (a handout is read on paper)."""
    return re.sub(r"(?<!!)\[([^\]]*)\]\([^)\s]*\)", r"\1", markdown)


def header_row(text: str, name: str) -> str:
    found = re.search(rf"^\|\s*\*\*{re.escape(name)}\*\*\s*\|\s*(.*?)\s*\|\s*$", text, re.M)
    return found.group(1) if found else ""


def section(nb: nbformat.NotebookNode, heading: str) -> str:
    """The Markdown under a heading, up to the next heading of its level or above, or a rule."""
    pattern = re.compile(rf"^(#+)\s+{re.escape(heading)}\s*$", re.M)
    for cell in nb.cells:
        found = pattern.search(cell.source) if cell.cell_type == "markdown" else None
        if found:
            level = len(found.group(1))
            rest = cell.source[found.end() :]
            end = re.search(rf"^(#{{1,{level}}}\s|---\s*$)", rest, re.M)
            return (rest[: end.start()] if end else rest).strip()
    return ""


def cited_sources(nb: nbformat.NotebookNode, known: set[str]) -> list[str]:
    """The sources (``source_id``) that the notebook's tables and printed text cite."""
    found: dict[str, None] = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            texts = [output.get("text", ""), data.get("text/plain", ""), data.get("text/html", "")]
            for text in texts:
                text = "".join(text) if isinstance(text, list) else text
                for token in re.split(r"[\s,;()\[\]'\"<>|]+", re.sub(r"<[^>]+>", " ", text)):
                    if token in known:
                        found[token] = None
    return list(found)


def handout_of(path: Path, known_sources: set[str]) -> Handout:
    """The handout's parts from a lecture notebook; BuildError if its main chart is ambiguous."""
    nb = nbformat.read(path, as_version=4)
    first = nb.cells[0].source
    tagged = [i for i, c in enumerate(nb.cells) if HANDOUT_TAG in c.metadata.get("tags", [])]
    if len(tagged) > 1:
        raise BuildError(f"{path.name}: {len(tagged)} cells are tagged {HANDOUT_TAG!r}, not one")
    chart = description = None
    if tagged:
        index = tagged[0]
        images = [
            o["data"]["image/png"]
            for o in nb.cells[index].get("outputs", [])
            if "image/png" in o.get("data", {})
        ]
        description = book.chart_description(nb, index)
        if not images or not description:
            raise BuildError(
                f"{path.name}: the cell tagged {HANDOUT_TAG!r} (cell {index}) is not a chart "
                f"followed by its '{book.DESCRIPTION}' cell"
            )
        chart = base64.b64decode(images[0])
    objectives = first.partition("**Learning objectives.**")[2].strip()
    return Handout(
        stem=path.stem,
        title=header(path)[0],
        covers=header_row(first, "Covers"),
        objectives=objectives,
        key_points=section(nb, "Key points"),
        discussion=section(nb, "For discussion"),
        data_used=header_row(first, "Data used"),
        chart=chart,
        description=description,
        cited=[s for s in cited_sources(nb, known_sources) if s != "paper"],
    )


def cell_text(text: str) -> str:
    return " ".join(text.replace("|", "/").split())


def sources_markdown(handout: Handout, sources: dict[str, dict]) -> str:
    paper = sources["paper"]
    lines = [
        f"**The paper:** {paper['author']} ({paper['date']}). {paper['title']}. "
        f"*{paper['publisher']}*. {paper['url']}",
        "",
    ]
    if not handout.cited:
        return "\n".join(lines)
    if len(handout.cited) <= SHORT_SOURCES:
        lines += [
            "**Other sources** the lecture's tables cite (`data/sources.csv` gives their addresses):",
            "",
            "| Source | Publisher | `source_id` |",
            "|---|---|---|",
        ]
        for source_id in handout.cited:
            row = sources[source_id]
            author = f"{cell_text(row['author'])}: " if row["author"].strip() else ""
            date = f" ({cell_text(row['date'])})" if row["date"].strip() else ""
            lines.append(
                f"| {author}{cell_text(row['title'])}{date} | {cell_text(row['publisher'])} "
                f"| `{source_id}` |"
            )
    else:
        lines.append(
            f"**Other sources:** the lecture's tables cite {len(handout.cited)} more sources "
            "(reports, official statements and studies). Every row of the data names its source "
            "in its `source_id` column; `data/sources.csv` lists them all, with their addresses "
            "(see the [data dictionary](../data/README.md))."
        )
    return "\n".join(lines)


def handout_markdown(handout: Handout, sources: dict[str, dict]) -> str:
    """The handout as a MyST page: out of the navigation and of search, for print."""
    parts = [
        "---",
        "orphan: true",
        "nosearch: true",
        "---",
        "",
        f"# {handout.title} (handout)",
        "",
        f"**Covers:** {without_links(handout.covers)}",
        "",
        "## Learning objectives",
        "",
        without_links(handout.objectives),
        "",
        "## Key points",
        "",
        without_links(handout.key_points),
        "",
    ]
    if handout.chart is not None:
        parts += [
            "## The main chart",
            "",
            f"```{{image}} {handout.stem}{book.HANDOUT_SUFFIX}.png",
            f":alt: {book.plain_text(handout.description)}",
            ":class: usiraq-handout-chart",
            "```",
            "",
            f"{book.DESCRIPTION} {without_links(handout.description)}",
            "",
        ]
    parts += [
        "## For discussion",
        "",
        without_links(handout.discussion),
        "",
        "## Data and sources",
        "",
        f"**Data used:** {without_links(handout.data_used)}: tables of the module's `data/` "
        "folder, described in the [data dictionary](../data/README.md).",
        "",
        sources_markdown(handout, sources),
        "",
    ]
    return "\n".join(parts)


def write_handouts(notebooks: Path) -> list[Path]:
    """Write each lecture's handout page (and its chart) beside the lecture in the staged book."""
    with open(ROOT / "data" / "sources.csv", encoding="utf-8", newline="") as file:
        sources = {row["source_id"]: row for row in csv.DictReader(file)}
    written = []
    for path in sorted(notebooks.glob("*.ipynb")):
        handout = handout_of(path, set(sources))
        if handout.chart is not None:
            (notebooks / f"{path.stem}{book.HANDOUT_SUFFIX}.png").write_bytes(handout.chart)
        page = notebooks / f"{path.stem}{book.HANDOUT_SUFFIX}.md"
        page.write_text(handout_markdown(handout, sources), encoding="utf-8")
        written.append(page)
    return written


# -- the build ---------------------------------------------------------------------------------


def unlink_for_students(notebooks: Path) -> None:
    """Turn the lectures' links to the solutions and the teacher's guide into plain text, as the
    student release does (the same function)."""
    try:
        from usiraq.teacher.release import unlink_hidden
    except ImportError as error:  # the helper package is installed by `make setup`
        raise BuildError(f"the students' edition needs the usiraq package ({error})") from error
    for path in sorted(notebooks.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        if unlink_hidden(nb):
            nbformat.write(nb, path)


def stage(src: Path, edition: str) -> None:
    """Lay out the edition's sources: the repository's notebooks and pages, plus the contents pages
    and the handouts."""
    teachers = edition == "teachers"
    ignore = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__")
    for folder in ("notebooks", "data") + (("solutions", "docs") if teachers else ()):
        shutil.copytree(ROOT / folder, src / folder, ignore=ignore)
    if not teachers:
        (src / "docs").mkdir()
        shutil.copy2(ROOT / "docs" / "glossary.md", src / "docs" / "glossary.md")
        unlink_for_students(src / "notebooks")
    for item in BOOK.iterdir():
        if item.suffix == ".py" or item.name in ("_static", "_templates"):
            (shutil.copytree if item.is_dir() else shutil.copy2)(item, src / item.name)
    lectures = sorted((ROOT / "notebooks").glob("*.ipynb"))
    exercises = sorted((ROOT / "exercises").glob("*.ipynb"))
    fill(
        BOOK / "index.md",
        src / "index.md",
        lectures=contents_table(lectures, "notebooks/"),
        lecture_docs="\n".join(f"notebooks/{p.stem}" for p in lectures),
        **(TEACHERS_INDEX if teachers else dict.fromkeys(TEACHERS_INDEX, "")),
    )
    fill(
        BOOK / "exercises.md",
        src / "exercises" / "index.md",
        **exercises_page(settings(), edition, exercises),
    )
    if teachers:
        solutions = sorted((ROOT / "solutions").glob("*.ipynb"))
        fill(
            BOOK / "teachers.md",
            src / "solutions" / "index.md",
            solutions=contents_table(solutions, ""),
            solution_docs="\n".join(p.stem for p in solutions),
        )
    write_handouts(src / "notebooks")


def check_out(out: Path, edition: str) -> None:
    """Refuse an output folder that holds the repository or that this edition's build did not make."""
    if out == ROOT or out in ROOT.parents:
        raise BuildError(
            f"{out} holds the repository: choose a folder of its own, such as {DEFAULT_OUT[edition].name}"
        )
    if out.exists() and not out.is_dir():
        raise BuildError(f"{out} is a file, not a folder")
    if out.exists() and any(out.iterdir()) and not (out / STAMPS[edition]).is_file():
        other = [e for e, stamp in STAMPS.items() if (out / stamp).is_file()]
        why = (
            f"it holds the {other[0]}' edition; build each edition into its own folder"
            if other
            else f"it was not made by this build (no {STAMPS[edition]} in it)"
        )
        raise BuildError(f"{out} exists and {why}: remove it yourself or choose another folder")


def build_html(out: Path, edition: str, pdf: bool) -> None:
    """Run Sphinx in a temporary folder (myst-nb writes beside its output) and move the pages to out."""
    with tempfile.TemporaryDirectory(prefix="usiraq-book-") as tmp:
        src, html = Path(tmp) / "src", Path(tmp) / "build" / "html"
        src.mkdir()
        stage(src, edition)
        # The test suite turns deprecation warnings into errors for the kernels it starts; the
        # theme's calls to Sphinx APIs deprecated for Sphinx 11 are not ours to fix.
        env = {k: v for k, v in os.environ.items() if k != "PYTHONWARNINGS"}
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "sphinx",
                "-b",
                "html",
                "-q",
                "-j",
                "1",
                "-D",
                f"usiraq_edition={edition}",
                "-D",
                f"usiraq_pdf={int(pdf)}",
                "-d",
                str(Path(tmp) / "doctrees"),
                str(src),
                str(html),
            ],
            capture_output=True,
            text=True,
            env=env,
        )
        sys.stderr.write(result.stderr.replace(str(src) + "/", ""))
        if result.returncode:
            raise BuildError(f"sphinx-build failed (exit {result.returncode})")
        (html / ".buildinfo").unlink(missing_ok=True)
        for macros in (html / "_static").glob(
            "*webpack-macros.html"
        ):  # the themes' templates, not pages
            macros.unlink()
        for item in html.iterdir():
            if not (item.is_dir() and not any(item.iterdir())):  # no empty folders (_sources)
                shutil.move(item, out / item.name)


def check_students_edition(out: Path) -> None:
    """The students' edition holds no page for teachers and links to none."""
    found = [p for p in ("solutions", "docs/teachers_guide.html") if (out / p).exists()]
    for page in sorted(out.rglob("*.html")):
        for url in re.findall(r'href="([^"]*)"', page.read_text(encoding="utf-8")):
            if re.search(r"(^|/)solutions/|teachers_guide", urlsplit(url).path):
                found.append(f"{page.relative_to(out)} links to {url}")
    if found:
        raise BuildError("the students' edition holds teachers' pages: " + "; ".join(found))


def print_pdfs(out: Path) -> list[Path]:
    """Print each lecture page to a PDF beside it, and its handout to an A4 and a US Letter PDF,
    in Chromium, with the network closed."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).is_file():
        raise BuildError(
            f"the PDFs need Debian's Chromium at {CHROMIUM} (apt-get install chromium); "
            "or build without them: --no-pdf"
        )
    jobs = []
    for html in sorted((out / "notebooks").glob("*.html")):
        if html.stem.endswith(book.HANDOUT_SUFFIX):
            jobs += [(html, html.with_name(f"{html.stem}-{k}.pdf"), f) for k, f in PAPERS.items()]
        else:
            jobs.append((html, html.with_suffix(".pdf"), PAPERS["a4"]))
    written = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.route(
                "**/*",
                lambda route: (
                    route.continue_() if route.request.url.startswith("file:") else route.abort()
                ),
            )
            page.emulate_media(media="print", color_scheme="light")
            for html, pdf, paper in jobs:
                page.goto(html.as_uri(), wait_until="load", timeout=PDF_TIMEOUT_MS)
                page.pdf(
                    path=str(pdf),
                    format=paper,
                    print_background=True,
                    outline=True,
                    tagged=True,
                    margin=PDF_MARGIN,
                )
                written.append(pdf)
        finally:
            browser.close()
    return written


def build(out: Path, pdf: bool = True, edition: str = "students") -> None:
    out = out.resolve()
    check_out(out, edition)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / STAMPS[edition]).write_text(
        f"Made by tools/build_book.py (the {edition}' edition); the next build of that edition "
        "deletes and rebuilds this folder.\n"
    )
    started = time.perf_counter()
    build_html(out, edition, pdf)
    if edition == "students":
        check_students_edition(out)
    print(
        f"site: the {edition}' edition, {len(list(out.rglob('*.html')))} pages in {out} "
        f"({time.perf_counter() - started:.0f} s)"
    )
    if pdf:
        started = time.perf_counter()
        pdfs = print_pdfs(out)
        print(f"site: {len(pdfs)} PDFs ({time.perf_counter() - started:.0f} s)")
    if edition == "teachers":
        print(
            f"site: keep {out} private (not on a public web server or public GitHub Pages); "
            f"to read it: python -m http.server -d {out}"
        )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--teachers",
        action="store_true",
        help="build the teachers' edition (with the solutions and the guide; keep it private)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        help="output folder (default: _site, or _site_teachers with --teachers)",
    )
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDFs")
    args = parser.parse_args(argv)
    edition = "teachers" if args.teachers else "students"
    try:
        build(args.out or DEFAULT_OUT[edition], pdf=not args.no_pdf, edition=edition)
    except BuildError as error:
        print(f"site: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
