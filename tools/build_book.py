"""Build the reading edition of the module: a static website, and a PDF handout per lecture.

Sphinx with myst-nb and sphinx-book-theme renders the stored notebooks as they
are (no notebook is run again): a left navigation in course order,
previous/next links, search, dark mode, and on every lecture page a launch
button to Binder and to a JupyterHub (addresses in book/conf.py). Every script,
style and font is served from the site itself. Then Chromium prints each lecture
page to a PDF handout beside it.

    OUT/index.html                      the lectures in order, with titles and times
    OUT/notebooks/NN_name.html, .pdf    one page and one handout per lecture
    OUT/solutions/                      the worked solutions, for teachers
    OUT/exercises/index.html            the exercise notebooks, to download
    OUT/docs/, OUT/data/README.html     the teacher's guide, glossary and data dictionary

The build writes a stamp file into the folder it makes, and refuses to delete a
folder without one: ``--out .`` never deletes the repository.

Usage: ``python tools/build_book.py [--out _site] [--no-pdf]`` (or ``make site``).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
STAMP = ".usiraq-site"  # marks a folder this script made, so it may delete it
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PDF_TIMEOUT_MS = 60_000


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


def stage(src: Path) -> None:
    """Lay out the book's sources: the repository's notebooks and pages, plus the contents pages."""
    for folder in ("notebooks", "solutions", "exercises", "docs", "data"):
        shutil.copytree(
            ROOT / folder,
            src / folder,
            ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"),
        )
    for item in BOOK.iterdir():
        if item.suffix == ".py" or item.name in ("_static", "_templates"):
            (shutil.copytree if item.is_dir() else shutil.copy2)(item, src / item.name)
    lectures = sorted((ROOT / "notebooks").glob("*.ipynb"))
    solutions = sorted((ROOT / "solutions").glob("*.ipynb"))
    exercises = sorted((ROOT / "exercises").glob("*.ipynb"))
    fill(
        BOOK / "index.md",
        src / "index.md",
        lectures=contents_table(lectures, "notebooks/"),
        lecture_docs="\n".join(f"notebooks/{p.stem}" for p in lectures),
    )
    fill(
        BOOK / "teachers.md",
        src / "solutions" / "index.md",
        solutions=contents_table(solutions, ""),
        solution_docs="\n".join(p.stem for p in solutions),
    )
    fill(
        BOOK / "exercises.md",
        src / "exercises" / "index.md",
        exercises="\n".join(f"- {{download}}`{header(p)[0]} <{p.name}>`" for p in exercises),
    )


def check_out(out: Path) -> None:
    """Refuse an output folder that holds the repository or that this script did not make."""
    if out == ROOT or out in ROOT.parents:
        raise BuildError(f"{out} holds the repository: choose a folder of its own, such as _site")
    if out.exists() and not out.is_dir():
        raise BuildError(f"{out} is a file, not a folder")
    if out.exists() and any(out.iterdir()) and not (out / STAMP).is_file():
        raise BuildError(
            f"{out} exists and was not made by this build (no {STAMP} in it): "
            "remove it yourself or choose another folder"
        )


def build_html(out: Path) -> None:
    """Run Sphinx in a temporary folder (myst-nb writes beside its output) and move the pages to out."""
    with tempfile.TemporaryDirectory(prefix="usiraq-book-") as tmp:
        src, html = Path(tmp) / "src", Path(tmp) / "build" / "html"
        src.mkdir()
        stage(src)
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


def print_handouts(out: Path) -> list[Path]:
    """Print each lecture page to a PDF beside it, in Chromium, with the network closed."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).is_file():
        raise BuildError(
            f"the PDF handouts need Debian's Chromium at {CHROMIUM} (apt-get install chromium); "
            "or build without them: --no-pdf"
        )
    pages = sorted((out / "notebooks").glob("*.html"))
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
            for html in pages:
                page.goto(html.as_uri(), wait_until="load", timeout=PDF_TIMEOUT_MS)
                pdf = html.with_suffix(".pdf")
                page.pdf(
                    path=str(pdf),
                    format="A4",
                    print_background=True,
                    outline=True,
                    tagged=True,
                    margin={"top": "15mm", "bottom": "15mm", "left": "14mm", "right": "14mm"},
                )
                written.append(pdf)
        finally:
            browser.close()
    return written


def build(out: Path, pdf: bool = True) -> None:
    out = out.resolve()
    check_out(out)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / STAMP).write_text(
        "Made by tools/build_book.py; `make site` deletes and rebuilds this folder.\n"
    )
    started = time.perf_counter()
    build_html(out)
    print(
        f"site: {len(list(out.rglob('*.html')))} pages in {out} ({time.perf_counter() - started:.0f} s)"
    )
    if pdf:
        started = time.perf_counter()
        handouts = print_handouts(out)
        print(f"site: {len(handouts)} PDF handouts ({time.perf_counter() - started:.0f} s)")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--out", type=Path, default=ROOT / "_site", help="output folder (default: _site)"
    )
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF handouts")
    args = parser.parse_args(argv)
    try:
        build(args.out, pdf=not args.no_pdf)
    except BuildError as error:
        print(f"site: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
