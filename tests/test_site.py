"""The static site (tools/build_site.py, `make site`): complete, linked, and readable without a kernel.

The site is built once into a temporary folder from the stored notebooks. Every
lecture and solution notebook must have its page; every chart stored in a
notebook must be an image in its page; every relative link and image in every
page must resolve inside the site; the lecture pages must be chained by
previous/next links in order; and widgets, which cannot run on a static page,
must have become a note instead of breaking the page.
"""
from __future__ import annotations

import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import pytest

pytestmark = pytest.mark.slow  # the build renders every notebook (10-20 s)

ROOT = Path(__file__).resolve().parents[1]
LECTURES = sorted((ROOT / "notebooks").glob("*.ipynb"))
SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))
PAGES = [(p, p.stem + ".html") for p in LECTURES] + [(p, f"teachers/{p.stem}.html") for p in SOLUTIONS]
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
BUILD_TIMEOUT = 600


class Links(HTMLParser):
    """Collect the href/src attributes of a page, and its rel=prev/next links."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.rel: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("href", "src"):
            if attrs.get(name):
                self.urls.append(attrs[name])
        if tag == "a" and attrs.get("rel") and attrs.get("href"):
            self.rel.setdefault(attrs["rel"], []).append(attrs["href"])


def links(page: Path) -> Links:
    parser = Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site") / "_site"
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "build_site.py"), "--out", str(out)],
                            cwd=ROOT, capture_output=True, text=True, timeout=BUILD_TIMEOUT)
    assert result.returncode == 0, f"the site build failed:\n{result.stdout}\n{result.stderr}"
    assert "warning" not in result.stderr, result.stderr
    return out


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("path, page", PAGES, ids=[rel(p) for p, _ in PAGES])
def test_every_notebook_has_a_page_with_its_charts(site, path, page):
    html = (site / page).read_text(encoding="utf-8")
    nb = nbformat.read(path, as_version=4)
    charts = [o["data"]["image/png"] for c in nb.cells if c.cell_type == "code"
              for o in c.outputs if "image/png" in o.get("data", {})]
    for number, png in enumerate(charts, 1):
        data = "".join(png.split())
        assert f'src="data:image/png;base64,{data[:120]}' in html, f"{page}: chart {number} of {len(charts)} is missing"
    assert html.count("<img") >= len(charts)


@pytest.mark.parametrize("path, page", PAGES, ids=[rel(p) for p, _ in PAGES])
def test_widgets_become_a_note(site, path, page):
    html = (site / page).read_text(encoding="utf-8")
    nb = nbformat.read(path, as_version=4)
    widgets = sum(WIDGET_MIME in o.get("data", {}) for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert WIDGET_MIME not in html, f"{page} still tries to show a live widget"
    assert html.count('class="usiraq-widget-note"') == widgets, f"{page}: {widgets} widgets, not all turned into a note"


def test_indexes_list_the_notebooks_in_order(site):
    for index, pages in (("index.html", [p for _, p in PAGES[:len(LECTURES)]]),
                         ("teachers/index.html", [p for _, p in PAGES[len(LECTURES):]])):
        here = os.path.dirname(index)
        listed = [os.path.normpath(os.path.join(here, u)) for u in links(site / index).urls if u.endswith(".html")]
        in_order = [p for p in listed if p in pages]
        assert in_order == pages, f"{index} lists {in_order}, expected {pages}"
    text = (site / "index.html").read_text(encoding="utf-8")
    for path in LECTURES:
        title = nbformat.read(path, as_version=4).cells[0].source.splitlines()[0].lstrip("# ").replace("*", "")
        assert title.split(":")[0].strip() in text, f"index.html lacks the title of {path.name}"
    assert " min" in text, "index.html shows no times"


@pytest.mark.parametrize("kind, count", [("lectures", len(LECTURES)), ("solutions", len(SOLUTIONS))])
def test_pages_are_chained_by_previous_and_next(site, kind, count):
    pages = [site / p for _, p in (PAGES[:len(LECTURES)] if kind == "lectures" else PAGES[len(LECTURES):])]
    for i, page in enumerate(pages):
        rels = links(page).rel
        expected_prev = {pages[i - 1].name} if i > 0 else set()
        expected_next = {pages[i + 1].name} if i + 1 < len(pages) else set()
        assert set(rels.get("prev", [])) == expected_prev, f"{page.name}: previous link {rels.get('prev')}"
        assert set(rels.get("next", [])) == expected_next, f"{page.name}: next link {rels.get('next')}"


def test_every_internal_link_resolves(site):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) >= len(PAGES) + 1
    broken = []
    for page in pages:
        for url in links(page).urls:
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or not parts.path:   # external, data: or a #fragment on the page
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            if site.resolve() not in target.parents or not target.is_file():
                broken.append(f"{page.relative_to(site)}: {url}")
    assert not broken, "links that do not resolve inside the site:\n" + "\n".join(broken)
