"""The reading edition (tools/build_book.py, `make site`): complete, offline, accessible, printable.

The edition is built once, with its PDF handouts, into a temporary folder from
the stored notebooks. Its pages are read as HTML for what they hold (every chart
with its description as alt text, widgets as a note, navigation in course order,
launch links of the right form, nothing loaded from another address), then served
on the loopback interface and opened in Debian's Chromium with every other
address blocked: no page may log a console error or fail a request, axe-core may
report no serious or critical violation in light or dark mode, and search must
find a base in notebook 02. Each handout must carry its lecture's title and every
chart. The build must refuse to delete a folder it did not make.
"""

from __future__ import annotations

import ast
import functools
import http.server
import posixpath
import re
import subprocess
import sys
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import nbformat
import pytest

pytestmark = (
    pytest.mark.slow
)  # the build renders every notebook and prints the handouts (about a minute)

ROOT = Path(__file__).resolve().parents[1]
LECTURES = sorted((ROOT / "notebooks").glob("*.ipynb"))
SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))
NOTEBOOKS = LECTURES + SOLUTIONS
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
DESCRIPTION = "**Chart description.**"
AXE = ROOT / ".venv" / "node" / "node_modules" / "axe-core" / "axe.min.js"
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
BUILD_TIMEOUT = 900
# Dark mode changes colours only, not the page's structure: there axe runs its colour rules.
AXE_OPTIONS = {
    "light": {"resultTypes": ["violations"]},
    "dark": {
        "resultTypes": ["violations"],
        "runOnly": {"type": "rule", "values": ["color-contrast", "link-in-text-block"]},
    },
}
STAMP = ".usiraq-site"


def conf_value(name: str) -> str:
    """A string setting of book/conf.py (the addresses a copy of the module changes)."""
    for node in ast.parse((ROOT / "book" / "conf.py").read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == name:
            return ast.literal_eval(node.value)
    raise KeyError(name)


def page_of(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}.html"


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


class Page(HTMLParser):
    """The parts of a built page the tests look at."""

    def __init__(self, text: str):
        super().__init__()
        self.urls: list[tuple[str, str, dict]] = []  # (tag, url, attributes)
        self.images: list[dict] = []
        self.links: list[dict] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = {k: (v or "") for k, v in attrs}
        for name in ("href", "src"):
            if attrs.get(name):
                self.urls.append((tag, attrs[name], attrs))
        if tag == "img":
            self.images.append(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs)


@functools.cache
def parsed(site: Path, page: str) -> Page:
    return Page((site / page).read_text(encoding="utf-8"))


def charts(nb) -> list[str]:
    """The description of each chart in a notebook, in order (None where one is missing)."""
    found = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and any("image/png" in o.get("data", {}) for o in cell.outputs):
            later = [c for c in nb.cells[index + 1 :] if c.cell_type == "markdown"]
            text = later[0].source.strip() if later else ""
            found.append(text[len(DESCRIPTION) :].strip() if text.startswith(DESCRIPTION) else None)
    return found


def plain(markdown: str) -> str:
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    return " ".join(re.sub(r"[*_`]+", "", text).split())


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site") / "_site"
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_book.py"), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
    )
    assert result.returncode == 0, f"the site build failed:\n{result.stdout}\n{result.stderr}"
    assert "WARNING" not in result.stderr and "ERROR" not in result.stderr, result.stderr
    return out


# -- the build ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["a folder with someone's files", "the repository itself"])
def test_build_refuses_to_delete_a_folder_it_did_not_make(tmp_path, kind):
    if kind == "the repository itself":
        out, keep = ROOT, ROOT / "README.md"
    else:
        out, keep = tmp_path, tmp_path / "thesis.txt"
        keep.write_text("years of work")
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_book.py"), "--out", str(out), "--no-pdf"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "site:" in result.stderr and str(out) in result.stderr, result.stderr
    assert keep.is_file(), f"the build deleted {keep}"


def test_the_build_marks_its_folder_and_writes_nothing_else(site):
    assert (site / STAMP).is_file()
    assert not (site / ".doctrees").exists() and not (site / ".buildinfo").exists()
    assert [p.name for p in site.parent.iterdir()] == [site.name], (
        "the build wrote beside its folder"
    )


# -- what the pages hold -----------------------------------------------------------------------


@pytest.mark.parametrize("path", NOTEBOOKS, ids=rel)
def test_every_chart_is_shown_with_its_description_as_alt_text(site, path):
    page = page_of(path)
    assert (site / page).is_file(), f"{page} was not built"
    nb = nbformat.read(path, as_version=4)
    expected = charts(nb)
    assert None not in expected, f"{rel(path)}: a chart has no '{DESCRIPTION}' cell after it"
    shown = [
        img
        for img in parsed(site, page).images
        if img.get("src", "").endswith(".png") and "_images/" in img["src"]
    ]
    assert len(shown) == len(expected), (
        f"{page}: {len(shown)} charts, the notebook has {len(expected)}"
    )
    for number, (img, description) in enumerate(zip(shown, expected), 1):
        assert (site / page).parent.joinpath(unquote(img["src"])).resolve().is_file(), img["src"]
        assert img.get("alt") == plain(description), (
            f"{page}: chart {number} has alt text {img.get('alt')!r}"
        )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=rel)
def test_widgets_become_a_note(site, path):
    html = (site / page_of(path)).read_text(encoding="utf-8")
    nb = nbformat.read(path, as_version=4)
    widgets = sum(
        WIDGET_MIME in o.get("data", {})
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
    )
    assert WIDGET_MIME not in html and "require.js" not in html, (
        f"{page_of(path)} still tries to show a live widget"
    )
    assert html.count('class="usiraq-widget-note"') == widgets, (
        f"{page_of(path)}: {widgets} widgets, not all a note"
    )


def nav_pages(site: Path, page: str, caption: str) -> list[str]:
    """The pages listed under one caption of the left navigation, as paths from the site root."""
    html = (site / page).read_text(encoding="utf-8")
    nav = html[html.index("bd-docs-nav") :]
    section = re.search(
        rf'<p aria-level="2" class="caption" role="heading"><span class="caption-text">'
        rf"{re.escape(caption)}</span></p>\s*<ul[^>]*>(.*?)</ul>\s*(<p|</div)",
        nav,
        re.S,
    )
    assert section, f"{page}: no '{caption}' section in the navigation"
    hrefs = re.findall(
        r'<a class="(?:current )?reference internal" href="([^"]*)"', section.group(1)
    )
    return [
        page if href == "#" else posixpath.normpath(posixpath.join(posixpath.dirname(page), href))
        for href in hrefs
    ]


def test_navigation_lists_the_lectures_in_course_order_and_the_solutions_apart(site):
    lectures = [page_of(p) for p in LECTURES]
    for page in ("index.html", lectures[2], page_of(SOLUTIONS[0])):
        assert nav_pages(site, page, "Lectures") == lectures, page
        teachers = nav_pages(site, page, "For teachers")
        assert teachers[0] == "solutions/index.html" and "docs/teachers_guide.html" in teachers, (
            teachers
        )
    solutions_index = Page((site / "solutions/index.html").read_text(encoding="utf-8"))
    listed = [
        a["href"] for a in solutions_index.links if re.fullmatch(r"\d\d_\w+\.html", a["href"])
    ]
    assert list(dict.fromkeys(listed)) == [p.stem + ".html" for p in SOLUTIONS]


def test_lecture_pages_are_chained_by_previous_and_next(site):
    lectures = [page_of(p) for p in LECTURES]
    for i, page in enumerate(lectures):
        links = parsed(site, page).links
        prev = [a["href"] for a in links if "left-prev" in a.get("class", "")]
        nxt = [a["href"] for a in links if "right-next" in a.get("class", "")]
        if i > 0:
            assert prev == [Path(lectures[i - 1]).name], f"{page}: previous {prev}"
        if i + 1 < len(lectures):
            assert nxt == [Path(lectures[i + 1]).name], f"{page}: next {nxt}"


def test_the_index_gives_each_lecture_with_its_time(site):
    text = (site / "index.html").read_text(encoding="utf-8")
    for path in LECTURES:
        title = (
            nbformat.read(path, as_version=4)
            .cells[0]
            .source.splitlines()[0]
            .lstrip("# ")
            .replace("*", "")
        )
        assert title.split(":")[0].strip() in text, f"index.html lacks the title of {path.name}"
    assert text.count(" min") >= len(LECTURES), "index.html shows no times"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=rel)
def test_launch_links_open_the_notebook_on_binder_and_the_hub(site, path):
    repo_url, hub = conf_value("REPOSITORY_URL"), conf_value("JUPYTERHUB_URL").rstrip("/")
    owner, repo = urlsplit(repo_url).path.strip("/").split("/")
    notebook = f"{path.parent.name}/{path.name}"
    hrefs = [a["href"] for a in parsed(site, page_of(path)).links]
    binder = [h for h in hrefs if h.startswith("https://mybinder.org/")]
    assert binder == [
        f"https://mybinder.org/v2/gh/{owner}/{repo}/main?urlpath=lab/tree/{notebook}"
    ], binder
    pulls = [h for h in hrefs if h.startswith(hub + "/")]
    assert len(pulls) == 1, pulls
    parts = urlsplit(pulls[0])
    assert parts.path == "/hub/user-redirect/git-pull", pulls[0]
    assert parse_qs(parts.query) == {
        "repo": [repo_url],
        "branch": ["main"],
        "urlpath": [f"lab/tree/{repo}/{notebook}"],
    }, pulls[0]


def test_nothing_is_loaded_from_another_address(site):
    outside = []
    for page in sorted(site.rglob("*.html")):
        for tag, url, attrs in Page(page.read_text(encoding="utf-8")).urls:
            loads = tag in ("script", "img", "iframe", "source") or (
                tag == "link" and attrs.get("rel") not in ("canonical",)
            )
            if loads and re.match(r"^(https?:)?//", url):
                outside.append(f"{page.relative_to(site)}: <{tag}> {url}")
    for css in sorted(site.rglob("*.css")):
        for url in re.findall(
            r"url\(\s*['\"]?((?:https?:)?//[^'\")]+)", css.read_text(encoding="utf-8")
        ):
            outside.append(f"{css.relative_to(site)}: {url}")
    assert not outside, "assets from other addresses:\n" + "\n".join(outside)


def test_every_internal_link_resolves(site):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) >= len(NOTEBOOKS) + 3
    broken = []
    for page in pages:
        for _, url, _ in Page(page.read_text(encoding="utf-8")).urls:
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or not parts.path:
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            if site.resolve() not in target.parents or not target.is_file():
                broken.append(f"{page.relative_to(site)}: {url}")
    assert not broken, "links that do not resolve inside the site:\n" + "\n".join(broken)


# -- the handouts --------------------------------------------------------------------------------


@pytest.mark.parametrize("path", LECTURES, ids=rel)
def test_each_lecture_has_a_linked_handout_with_its_title_and_charts(site, path):
    from pypdf import PdfReader

    pdf = site / "notebooks" / f"{path.stem}.pdf"
    assert pdf.is_file(), f"no handout {pdf.name}"
    assert f"{path.stem}.pdf" in [a["href"] for a in parsed(site, page_of(path)).links], (
        "the page does not link it"
    )
    reader = PdfReader(pdf)
    title = nbformat.read(path, as_version=4).cells[0].source.splitlines()[0].lstrip("# ").strip()
    first = " ".join(reader.pages[0].extract_text().split())
    assert title in first, f"{pdf.name}: the first page does not show {title!r}"
    images = sum(len(page.images) for page in reader.pages)
    assert images == len(charts(nbformat.read(path, as_version=4))), f"{pdf.name}: {images} images"


# -- in the browser ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served(site):
    """The site over HTTP on the loopback interface; yields its base address."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Visit:
    """One page in Chromium with the network closed except for the loopback server."""

    def __init__(self, context, url: str):
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.page = context.new_page()
        self.page.route("**/*", self.route)
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("requestfailed", lambda r: self.errors.append(f"failed: {r.url}"))
        self.page.on(
            "response", lambda r: r.status >= 400 and self.errors.append(f"{r.status}: {r.url}")
        )
        self.page.goto(url, wait_until="load")

    def route(self, route):
        host = urlsplit(route.request.url).hostname
        if host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def close(self):
        self.page.close()


def site_pages(site: Path) -> list[str]:
    return sorted(str(p.relative_to(site)) for p in site.rglob("*.html"))


def test_every_page_renders_in_chromium_without_errors_and_passes_axe_in_both_modes(
    site, served, browser
):
    assert AXE.is_file(), f"{AXE} is missing: run `make axe` (make test does)"
    problems = []
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme)
        for page in site_pages(site):
            visit = Visit(context, served + page)
            try:
                theme = visit.page.evaluate("document.documentElement.dataset.theme")
                if theme != scheme:
                    problems.append(f"{page} ({scheme}): the page shows the {theme} theme")
                problems += [f"{page} ({scheme}): {e}" for e in visit.errors]
                problems += [f"{page} ({scheme}): asked for {u}" for u in visit.blocked]
                visit.page.add_script_tag(path=str(AXE))
                result = visit.page.evaluate(
                    "options => axe.run(document, options)", AXE_OPTIONS[scheme]
                )
                for v in result["violations"]:
                    if v["impact"] in ("serious", "critical"):
                        nodes = "; ".join(
                            n["target"][0] if isinstance(n["target"][0], str) else str(n["target"])
                            for n in v["nodes"][:3]
                        )
                        problems.append(
                            f"{page} ({scheme}): {v['id']} ({v['impact']}, {len(v['nodes'])} nodes: {nodes})"
                        )
            finally:
                visit.close()
        context.close()
    assert not problems, "\n".join(problems)


PRINT_WIDTH_PX = (
    688  # A4 less the handouts' margins of 14 mm on each side, at 96 CSS pixels per inch
)
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll('.bd-article img, .bd-article table, .bd-article pre')]
    .filter(e => e.getBoundingClientRect().right > width + 1 || e.scrollWidth > e.clientWidth + 1)
    .map(e => `${e.tagName} ${Math.round(e.getBoundingClientRect().right)}px wide, content ${e.scrollWidth}px`);
}"""
DESCRIPTIONS_UNDER_CHARTS = """() => [...document.querySelectorAll('.bd-article .cell_output img')].map(img => {
  const all = [...document.querySelectorAll('.bd-article img, .usiraq-chart-description')];
  const next = all[all.indexOf(img) + 1];
  return next && next.matches('.usiraq-chart-description')
    && next.getBoundingClientRect().top >= img.getBoundingClientRect().bottom;
})"""


def test_printed_lectures_fit_the_page_with_descriptions_under_charts(site, served, browser):
    context = browser.new_context(viewport={"width": PRINT_WIDTH_PX, "height": 1000})
    problems = []
    for path in LECTURES:
        visit = Visit(context, served + page_of(path))
        try:
            visit.page.emulate_media(media="print")
            problems += [f"{path.name}: {e}" for e in visit.page.evaluate(OVERFLOWING)]
            under = visit.page.evaluate(DESCRIPTIONS_UNDER_CHARTS)
            assert len(under) == len(charts(nbformat.read(path, as_version=4))), path.name
            problems += [
                f"{path.name}: chart {n} has no description under it"
                for n, ok in enumerate(under, 1)
                if not ok
            ]
        finally:
            visit.close()
    context.close()
    assert not problems, "in print, wider than the page or out of place:\n" + "\n".join(problems)


def test_search_finds_a_base_in_notebook_02(site, served, browser):
    context = browser.new_context()
    visit = Visit(context, served + "search.html?q=Ain+al-Asad")
    try:
        visit.page.wait_for_selector("#search-results ul.search li a", timeout=30_000)
        hits = visit.page.eval_on_selector_all(
            "#search-results ul.search li a", "els => els.map(e => e.href)"
        )
        assert any(urlsplit(h).path.endswith("/notebooks/02_bases.html") for h in hits), hits
        assert not visit.errors and not visit.blocked, visit.errors + visit.blocked
    finally:
        context.close()
