"""The reading edition (tools/build_book.py): two editions, complete, offline, accessible, printable.

Both editions are built once from the stored notebooks into temporary folders:
the students' edition (``make site``) with its PDFs, the teachers' edition
(``--teachers``) without them. The students' edition must hold no teachers' page
and no link to one, and no solution text: every distinctive line (25 characters
or more, compared as words) of the solutions' answer regions and solution cells,
of the choose-and-defend rubrics and of the teacher's guide's headings is looked
for in every page, in the search index and in every PDF. The teachers' edition
must hold the solutions and the guide, show its banner on every page, and find
every one of those lines (which shows the comparison can see them).

The pages are read as HTML for what they hold (every chart with its description
as alt text, widgets as a note, navigation in course order, launch links of the
right form, nothing loaded from another address, every internal link resolving),
then the students' edition is served on the loopback interface and opened in
Debian's Chromium with every other address blocked: no page may log a console
error or fail a request, axe-core may report no serious or critical violation in
light or dark mode, printed lectures must fit the page (no table wider than its
container, no word broken inside a table cell), and search must find a base in
notebook 02. Each lecture's PDF must carry its title and every chart, and start
with its objectives; each handout (A4 and US Letter) must have two to four pages,
the title, and the main chart. The build must refuse to delete a folder it did
not make, or the other edition's folder.
"""

from __future__ import annotations

import ast
import functools
import html as htmllib
import http.server
import json
import posixpath
import re
import subprocess
import sys
import threading
import unicodedata
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import nbformat
import pytest
from test_release import notebook_text

from usiraq.checking.registry import comparisons
from usiraq.teacher import exercisegen as eg
from usiraq.teacher.chromium import CHROMIUM, CHROMIUM_ARGS

pytestmark = (
    pytest.mark.slow
)  # the builds render every notebook twice and print the PDFs (about a minute)

ROOT = Path(__file__).resolve().parents[1]
LECTURES = sorted((ROOT / "notebooks").glob("*.ipynb"))
SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))
EXERCISES = sorted((ROOT / "exercises").glob("*.ipynb"))
NOTEBOOKS = LECTURES + SOLUTIONS
GUIDE = ROOT / "docs" / "teachers_guide.md"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
DESCRIPTION = "**Chart description.**"
HANDOUT_TAG = "handout"
AXE = ROOT / ".venv" / "node" / "node_modules" / "axe-core" / "axe.min.js"
BUILD_TIMEOUT = 900
# Dark mode changes colours only, not the page's structure: there axe runs its colour rules.
AXE_OPTIONS = {
    "light": {"resultTypes": ["violations"]},
    "dark": {
        "resultTypes": ["violations"],
        "runOnly": {"type": "rule", "values": ["color-contrast", "link-in-text-block"]},
    },
}
STAMPS = {"students": ".usiraq-site", "teachers": ".usiraq-site-teachers"}
BANNER = "usiraq-teachers-banner"
TEACHERS_ONLY = ("solutions/", "docs/teachers_guide.html")  # pages of the teachers' edition alone
DISTINCTIVE = 25  # characters: a line of solution text this long is looked for in the edition
PAPER_POINTS = {"a4": (595, 842), "letter": (612, 792)}  # page sizes in PDF points


def conf_value(name: str) -> str:
    """A string setting of book/conf.py (the addresses a copy of the module changes)."""
    for node in ast.parse((ROOT / "book" / "conf.py").read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == name:
            return ast.literal_eval(node.value)
    raise KeyError(name)


def page_of(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}.html"


def handout_of(path: Path) -> str:
    return f"notebooks/{path.stem}-handout.html"


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def title_of(path: Path) -> str:
    return read(path).cells[0].source.splitlines()[0].lstrip("# ").strip()


@functools.cache
def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


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
            found.append(description_after(nb, index))
    return found


def description_after(nb, index: int) -> str | None:
    later = [c for c in nb.cells[index + 1 :] if c.cell_type == "markdown"]
    text = later[0].source.strip() if later else ""
    return text[len(DESCRIPTION) :].strip() if text.startswith(DESCRIPTION) else None


def plain(markdown: str) -> str:
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    return " ".join(re.sub(r"[*_`]+", "", text).split())


def words(text: str) -> str:
    """Text as its words, lower case, one space apart: HTML entities, quotes, markup, code
    highlighting and a PDF's ligatures ("ﬁ") do not hide a line from the comparison."""
    text = unicodedata.normalize("NFKC", htmllib.unescape(text))
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return " ".join(re.sub(r"[\W_]+", " ", text.lower()).split())


def page_words(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S | re.I)
    return words(re.sub(r"<[^>]+>", " ", text))


@functools.cache
def pdf_text(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]


def build(out: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_book.py"), "--out", str(out), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The students' edition, with its PDFs."""
    out = tmp_path_factory.mktemp("site") / "_site"
    result = build(out)
    assert result.returncode == 0, f"the site build failed:\n{result.stdout}\n{result.stderr}"
    assert "WARNING" not in result.stderr and "ERROR" not in result.stderr, result.stderr
    return out


@pytest.fixture(scope="module")
def teachers_site(tmp_path_factory):
    """The teachers' edition, without PDFs (they are printed as the students' are)."""
    out = tmp_path_factory.mktemp("teachers") / "_site_teachers"
    result = build(out, "--teachers", "--no-pdf")
    assert result.returncode == 0, f"the teachers' build failed:\n{result.stdout}\n{result.stderr}"
    assert "WARNING" not in result.stderr and "ERROR" not in result.stderr, result.stderr
    assert "private" in result.stdout, "the teachers' build does not say to keep it private"
    return out


def site_for(path: Path, site: Path, teachers_site: Path) -> Path:
    """The edition that shows a notebook: lectures in the students', solutions in the teachers'."""
    return site if path in LECTURES else teachers_site


# -- the build ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind",
    [
        "a folder with someone's files",
        "the repository itself",
        "the students' edition, for the teachers'",
        "the teachers' edition, for the students'",
    ],
)
def test_build_refuses_to_delete_a_folder_it_did_not_make(tmp_path, kind):
    args = ["--no-pdf"]
    if kind == "the repository itself":
        out, keep = ROOT, ROOT / "README.md"
    elif kind.startswith("the "):
        other = "students" if kind.startswith("the students'") else "teachers"
        out, keep = tmp_path / "edition", tmp_path / "edition" / "index.html"
        out.mkdir()
        keep.write_text("a published edition")
        (out / STAMPS[other]).write_text("made by the build")
        args += ["--teachers"] if other == "students" else []
    else:
        out, keep = tmp_path, tmp_path / "thesis.txt"
        keep.write_text("years of work")
    result = build(out, *args)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "site:" in result.stderr and str(out) in result.stderr, result.stderr
    assert keep.is_file(), f"the build deleted {keep}"


@pytest.mark.parametrize("edition", ["students", "teachers"])
def test_each_edition_marks_its_own_folder_and_writes_nothing_else(site, teachers_site, edition):
    out = site if edition == "students" else teachers_site
    assert (out / STAMPS[edition]).is_file()
    assert not any((out / stamp).exists() for e, stamp in STAMPS.items() if e != edition)
    assert not (out / ".doctrees").exists() and not (out / ".buildinfo").exists()
    assert [p.name for p in out.parent.iterdir()] == [out.name], "the build wrote beside its folder"


# -- the students' edition holds nothing for teachers -----------------------------------------

CODE_REGION = re.compile(
    r"^[ \t]*### BEGIN SOLUTION[ \t]*\n(.*?)^[ \t]*### END SOLUTION", re.S | re.M
)
MD_REGION = re.compile(re.escape(eg.MD_BEGIN) + r"(.*?)" + re.escape(eg.MD_END), re.S)


def solution_texts() -> list[tuple[str, str, str]]:
    """(kind, where, text) of everything only teachers may read: the answer regions and solution
    cells of solutions/, the choose-and-defend rubrics, the teacher's guide's headings."""
    texts = []
    for path in SOLUTIONS:
        for cell in read(path).cells:
            first, _, rest = cell.source.lstrip().partition("\n")
            if first.strip() in (eg.CODE_CELL, eg.MD_CELL):
                texts.append(("code" if cell.cell_type == "code" else "answer", path.name, rest))
            elif cell.cell_type == "code":
                texts += [
                    ("code", path.name, m.group(1)) for m in CODE_REGION.finditer(cell.source)
                ]
            else:
                texts += [
                    ("answer", path.name, m.group(1)) for m in MD_REGION.finditer(cell.source)
                ]
    texts += [("rubric", exercise, c.rubric) for exercise, c in comparisons().items()]
    guide = re.sub(r"^```.*?^```", "", GUIDE.read_text(encoding="utf-8"), flags=re.S | re.M)
    texts += [("guide heading", GUIDE.name, h) for h in re.findall(r"^#{1,6}\s+(.+)$", guide, re.M)]
    return texts


@functools.cache
def taught() -> str:
    """The words of what the students' edition shows on purpose: the lecture notebooks (sources
    and outputs), the glossary and the data dictionary."""
    parts = [notebook_text(path) for path in LECTURES]
    for path in (ROOT / "docs" / "glossary.md", ROOT / "data" / "README.md"):
        parts.append(path.read_text(encoding="utf-8"))
    return words("\n".join(parts))


@functools.cache
def secret_lines() -> list[tuple[str, str, str, str]]:
    """(kind, where, line, its words) of every distinctive line only teachers may read. A line of
    code or a guide heading that the lectures show too (a chart call, a lecture's title) is the
    lectures'; a model answer or a rubric never is."""
    lines = []
    for kind, where, text in solution_texts():
        for raw in text.splitlines():
            said = words(raw)
            if len(said) < DISTINCTIVE:
                continue
            if kind in ("code", "guide heading") and said in taught():
                continue
            lines.append((kind, where, raw.strip(), said))
    return lines


def test_the_secret_lines_cover_every_kind_of_teachers_text():
    kinds = {kind for kind, *_ in secret_lines()}
    assert kinds == {"code", "answer", "rubric", "guide heading"}, kinds
    assert len(secret_lines()) >= 100


def test_the_students_edition_has_no_page_for_teachers_and_no_link_to_one(site):
    assert (
        not (site / "solutions").exists() and not (site / "docs" / "teachers_guide.html").exists()
    )
    pointing = []
    for page in sorted(site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        if "For teachers" in text:
            pointing.append(f"{page.relative_to(site)}: a 'For teachers' entry")
        for _, url, _ in Page(text).urls:
            if re.search(r"(^|/)solutions(/|$)|teachers_guide", urlsplit(url).path):
                pointing.append(f"{page.relative_to(site)}: {url}")
    assert not pointing, "\n".join(pointing)


def test_no_solution_text_reaches_the_students_edition(site):
    texts = {str(p.relative_to(site)): page_words(p) for p in sorted(site.rglob("*.html"))}
    texts["searchindex.js"] = words((site / "searchindex.js").read_text(encoding="utf-8"))
    pdfs = sorted(site.rglob("*.pdf"))
    assert len(pdfs) == 3 * len(LECTURES), [p.name for p in pdfs]
    texts |= {str(p.relative_to(site)): words(" ".join(pdf_text(p))) for p in pdfs}
    leaks = [
        f"{where} ({kind}): {line!r} in {name}"
        for kind, where, line, said in secret_lines()
        for name, text in texts.items()
        if said in text
    ]
    assert not leaks, "teachers' text in the students' edition:\n" + "\n".join(leaks)


def test_the_teachers_edition_holds_the_solutions_and_the_guide(teachers_site):
    for path in SOLUTIONS:
        assert (teachers_site / page_of(path)).is_file(), page_of(path)
    assert (teachers_site / "docs" / "teachers_guide.html").is_file()
    text = " ".join(page_words(p) for p in sorted(teachers_site.rglob("*.html")))
    missing = [
        f"{where} ({kind}): {line!r}"
        for kind, where, line, said in secret_lines()
        if said not in text
    ]
    assert not missing, "not found in the teachers' edition:\n" + "\n".join(missing)


def test_every_page_of_the_teachers_edition_says_it_is_not_for_students(teachers_site):
    pages = sorted(teachers_site.rglob("*.html"))
    assert len(pages) >= len(NOTEBOOKS) + len(LECTURES) + 4
    for page in pages:
        text = page.read_text(encoding="utf-8")
        banner = re.search(rf'<div class="{BANNER}">(.*?)</div>', text, re.S)
        assert banner, f"{page.relative_to(teachers_site)} has no banner"
        said = " ".join(re.sub(r"<[^>]+>", "", banner.group(1)).split())
        for phrase in ("not for students", "public web server", "GitHub Pages", "http.server"):
            assert phrase in said, f"{page.relative_to(teachers_site)}: the banner lacks {phrase!r}"
        assert '<meta name="robots" content="noindex, nofollow">' in text, page


# -- what the pages hold -----------------------------------------------------------------------


@pytest.mark.parametrize("path", NOTEBOOKS, ids=rel)
def test_every_chart_is_shown_with_its_description_as_alt_text(site, teachers_site, path):
    edition, page = site_for(path, site, teachers_site), page_of(path)
    assert (edition / page).is_file(), f"{page} was not built"
    expected = charts(read(path))
    assert None not in expected, f"{rel(path)}: a chart has no '{DESCRIPTION}' cell after it"
    shown = [
        img
        for img in parsed(edition, page).images
        if img.get("src", "").endswith(".png") and "_images/" in img["src"]
    ]
    assert len(shown) == len(expected), (
        f"{page}: {len(shown)} charts, the notebook has {len(expected)}"
    )
    for number, (img, description) in enumerate(zip(shown, expected), 1):
        assert (edition / page).parent.joinpath(unquote(img["src"])).resolve().is_file(), img["src"]
        assert img.get("alt") == plain(description), (
            f"{page}: chart {number} has alt text {img.get('alt')!r}"
        )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=rel)
def test_widgets_become_a_note(site, teachers_site, path):
    html = (site_for(path, site, teachers_site) / page_of(path)).read_text(encoding="utf-8")
    widgets = sum(
        WIDGET_MIME in o.get("data", {})
        for c in read(path).cells
        if c.cell_type == "code"
        for o in c.outputs
    )
    assert WIDGET_MIME not in html and "require.js" not in html, (
        f"{page_of(path)} still tries to show a live widget"
    )
    assert html.count('class="usiraq-widget-note"') == widgets, (
        f"{page_of(path)}: {widgets} widgets, not all a note"
    )


def nav_captions(site: Path, page: str) -> list[str]:
    html = (site / page).read_text(encoding="utf-8")
    nav = html[html.index("bd-docs-nav") :]
    return re.findall(r'<span class="caption-text">([^<]*)</span>', nav)


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


def test_navigation_lists_the_lectures_in_course_order_and_nothing_for_teachers(site):
    lectures = [page_of(p) for p in LECTURES]
    for page in ("index.html", lectures[2], "exercises/index.html", handout_of(LECTURES[1])):
        assert nav_captions(site, page) == ["Lectures", "Exercises", "Reference"], page
        assert nav_pages(site, page, "Lectures") == lectures, page
        assert nav_pages(site, page, "Reference") == ["docs/glossary.html", "data/README.html"]


def test_the_teachers_edition_lists_the_solutions_apart(teachers_site):
    lectures = [page_of(p) for p in LECTURES]
    for page in ("index.html", lectures[2], page_of(SOLUTIONS[0])):
        assert nav_pages(teachers_site, page, "Lectures") == lectures, page
        teachers = nav_pages(teachers_site, page, "For teachers")
        assert teachers[0] == "solutions/index.html" and "docs/teachers_guide.html" in teachers, (
            teachers
        )
    solutions_index = parsed(teachers_site, "solutions/index.html")
    listed = [
        a["href"] for a in solutions_index.links if re.fullmatch(r"\d\d_\w+\.html", a["href"])
    ]
    assert list(dict.fromkeys(listed)) == [p.stem + ".html" for p in SOLUTIONS]


def test_pages_are_chained_by_previous_and_next_without_leaving_the_edition(site):
    chain = ["index.html", *[page_of(p) for p in LECTURES], "exercises/index.html"]
    chain += ["docs/glossary.html", "data/README.html"]
    for i, page in enumerate(chain):
        links = parsed(site, page).links
        prev = [a["href"] for a in links if "left-prev" in a.get("class", "")]
        nxt = [a["href"] for a in links if "right-next" in a.get("class", "")]
        here = posixpath.dirname(page)
        if i > 0:
            assert prev == [posixpath.relpath(chain[i - 1], here or ".")], (
                f"{page}: previous {prev}"
            )
        if i + 1 < len(chain):
            assert nxt == [posixpath.relpath(chain[i + 1], here or ".")], f"{page}: next {nxt}"
        else:
            assert nxt == [], f"{page}: next {nxt}"


def test_the_index_gives_each_lecture_with_its_time(site):
    text = (site / "index.html").read_text(encoding="utf-8")
    for path in LECTURES:
        title = title_of(path).replace("*", "")
        assert title.split(":")[0].strip() in text, f"index.html lacks the title of {path.name}"
    assert text.count(" min") >= len(LECTURES), "index.html shows no times"


def assert_launch_links(hrefs: list[str], repo_url: str, notebook: str, count: int = 1) -> None:
    hub = conf_value("JUPYTERHUB_URL").rstrip("/")
    owner, repo = urlsplit(repo_url).path.strip("/").split("/")
    binder = [h for h in hrefs if h.startswith("https://mybinder.org/")]
    assert (
        binder
        == [f"https://mybinder.org/v2/gh/{owner}/{repo}/main?urlpath=lab/tree/{notebook}"] * count
    ), binder
    pulls = [h for h in hrefs if h.startswith(hub + "/")]
    assert len(pulls) == count, pulls
    for pull in pulls:
        parts = urlsplit(pull)
        assert parts.path == "/hub/user-redirect/git-pull", pull
        assert parse_qs(parts.query) == {
            "repo": [repo_url],
            "branch": ["main"],
            "urlpath": [f"lab/tree/{repo}/{notebook}"],
        }, pull


@pytest.mark.parametrize("path", NOTEBOOKS, ids=rel)
def test_launch_links_open_the_notebook_on_binder_and_the_hub(site, teachers_site, path):
    edition = site_for(path, site, teachers_site)
    repo_url = conf_value("STUDENT_REPOSITORY_URL" if edition == site else "REPOSITORY_URL")
    hrefs = [a["href"] for a in parsed(edition, page_of(path)).links]
    assert_launch_links(hrefs, repo_url, f"{path.parent.name}/{path.name}")


def test_the_teachers_edition_launches_the_teachers_repository(teachers_site):
    path = LECTURES[1]
    hrefs = [a["href"] for a in parsed(teachers_site, page_of(path)).links]
    assert_launch_links(hrefs, conf_value("REPOSITORY_URL"), f"notebooks/{path.name}")


@pytest.mark.parametrize("edition", ["students", "teachers"])
def test_the_exercises_page_opens_each_exercise_where_the_whole_module_is(
    site, teachers_site, edition
):
    out = site if edition == "students" else teachers_site
    repo_url = conf_value("STUDENT_REPOSITORY_URL" if edition == "students" else "REPOSITORY_URL")
    page = parsed(out, "exercises/index.html")
    hrefs = [a["href"] for a in page.links]
    for path in EXERCISES:
        notebook = f"exercises/{path.name}"
        assert_launch_links([h for h in hrefs if notebook in unquote(h)], repo_url, notebook)
    assert f"{repo_url}/archive/refs/heads/main.zip" in hrefs, "no way to get the whole module"
    assert not [h for h in hrefs if h.endswith(".ipynb") and "urlpath=" not in h], (
        "a lone notebook to download, which cannot find the helpers or the data"
    )
    text = " ".join(re.sub(r"<[^>]+>", " ", (out / "exercises/index.html").read_text()).split())
    assert "Download one and open it" not in text and "whole module" in text
    for lecture in LECTURES[1:]:  # the lectures' links to their exercises lead to this page
        links = [a["href"] for a in parsed(out, page_of(lecture)).links]
        assert "../exercises/index.html" in links, lecture.name
        assert not [h for h in links if "exercises/" in h and h.endswith(".ipynb")], lecture.name


def test_nothing_is_loaded_from_another_address(site, teachers_site):
    outside = []
    for edition in (site, teachers_site):
        for page in sorted(edition.rglob("*.html")):
            for tag, url, attrs in Page(page.read_text(encoding="utf-8")).urls:
                loads = tag in ("script", "img", "iframe", "source") or (
                    tag == "link" and attrs.get("rel") not in ("canonical",)
                )
                if loads and re.match(r"^(https?:)?//", url):
                    outside.append(f"{page.relative_to(edition.parent)}: <{tag}> {url}")
        for css in sorted(edition.rglob("*.css")):
            for url in re.findall(
                r"url\(\s*['\"]?((?:https?:)?//[^'\")]+)", css.read_text(encoding="utf-8")
            ):
                outside.append(f"{css.relative_to(edition.parent)}: {url}")
    assert not outside, "assets from other addresses:\n" + "\n".join(outside)


@pytest.mark.parametrize("edition", ["students", "teachers"])
def test_every_internal_link_resolves(site, teachers_site, edition):
    out = site if edition == "students" else teachers_site
    pages = sorted(out.rglob("*.html"))
    expected = 2 * len(LECTURES) + (len(SOLUTIONS) + 2 if edition == "teachers" else 0)
    assert len(pages) >= expected + 4
    broken = []
    for page in pages:
        for _, url, _ in Page(page.read_text(encoding="utf-8")).urls:
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or not parts.path:
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            if out.resolve() not in target.parents or not target.is_file():
                broken.append(f"{page.relative_to(out)}: {url}")
    assert not broken, "links that do not resolve inside the site:\n" + "\n".join(broken)


# -- the PDFs and the handouts -------------------------------------------------------------------


def test_each_lecture_notebook_tags_one_main_chart_for_its_handout():
    for path in LECTURES:
        tagged = [c for c in read(path).cells if HANDOUT_TAG in c.metadata.get("tags", [])]
        if path.name.startswith("00_"):
            assert not tagged and not charts(read(path)), f"{path.name} has no chart to tag"
            continue
        assert len(tagged) == 1, f"{path.name}: {len(tagged)} cells tagged {HANDOUT_TAG!r}"
        assert any("image/png" in o.get("data", {}) for o in tagged[0].outputs), path.name


@pytest.mark.parametrize("path", LECTURES, ids=rel)
def test_each_lecture_page_links_its_handouts_and_its_pdf(site, path):
    links = [a["href"] for a in parsed(site, page_of(path)).links]
    for name in (
        f"{path.stem}-handout-a4.pdf",
        f"{path.stem}-handout-letter.pdf",
        f"{path.stem}.pdf",
    ):
        assert name in links, f"{page_of(path)} does not link {name}"
        assert (site / "notebooks" / name).is_file(), f"no {name}"
    assert f"{path.stem}-handout.html" in links
    assert "Printable handout (PDF)" not in (site / page_of(path)).read_text(encoding="utf-8")


@pytest.mark.parametrize("path", LECTURES, ids=rel)
def test_the_whole_lecture_pdf_starts_with_its_title_and_objectives_and_has_every_chart(site, path):
    from pypdf import PdfReader

    pdf = site / "notebooks" / f"{path.stem}.pdf"
    first = pdf_text(pdf)[0]
    assert title_of(path) in first, f"{pdf.name}: the first page does not show the title"
    assert "Learning objectives." in first and "Prerequisites" in first, (
        f"{pdf.name}: the header and the objectives are not on the first page"
    )
    images = sum(len(page.images) for page in PdfReader(pdf).pages)
    assert images == len(charts(read(path))), f"{pdf.name}: {images} images"


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("path", LECTURES, ids=rel)
def test_each_handout_is_two_to_four_pages_with_the_title_and_the_main_chart(site, path, paper):
    from pypdf import PdfReader

    pdf = site / "notebooks" / f"{path.stem}-handout-{paper}.pdf"
    reader = PdfReader(pdf)
    assert 2 <= len(reader.pages) <= 4, f"{pdf.name}: {len(reader.pages)} pages"
    box = reader.pages[0].mediabox
    width, height = PAPER_POINTS[paper]
    assert abs(float(box.width) - width) < 2 and abs(float(box.height) - height) < 2, box
    text = pdf_text(pdf)
    assert title_of(path) in text[0], f"{pdf.name}: the first page does not show the title"
    images = sum(len(page.images) for page in reader.pages)
    assert images == (0 if path.name.startswith("00_") else 1), f"{pdf.name}: {images} images"
    everything = words(" ".join(text))
    for question in re.findall(r"^\d+\.\s+(.+)$", section_of(path, "For discussion"), re.M):
        assert words(question) in everything, f"{pdf.name} lacks the question {question!r}"


def section_of(path: Path, heading: str) -> str:
    for cell in read(path).cells:
        found = re.search(rf"^(#+)\s+{re.escape(heading)}\s*$", cell.source, re.M)
        if found and cell.cell_type == "markdown":
            rest = cell.source[found.end() :]
            end = re.search(rf"^(#{{1,{len(found.group(1))}}}\s|---\s*$)", rest, re.M)
            return rest[: end.start()] if end else rest
    raise AssertionError(f"{path.name} has no '{heading}' section")


@pytest.mark.parametrize("path", LECTURES, ids=rel)
def test_each_handout_page_holds_the_lectures_summary(site, path):
    page = handout_of(path)
    text = page_words(site / page)
    nb = read(path)
    header = nb.cells[0].source
    objectives = re.findall(
        r"^\d+\.\s+(.+)$", header.partition("**Learning objectives.**")[2], re.M
    )
    points = re.findall(r"^- (.+)$", section_of(path, "Key points"), re.M)
    questions = re.findall(r"^\d+\.\s+(.+)$", section_of(path, "For discussion"), re.M)
    data_used = re.search(r"^\|\s*\*\*Data used\*\*\s*\|\s*(.*?)\s*\|\s*$", header, re.M).group(1)
    assert objectives and points and questions
    for part in [title_of(path), *objectives, *points, *questions, data_used]:
        assert words(part) in text, f"{page} lacks {part!r}"
    assert "maree" in text and "2790 4237 1088" in text, f"{page} does not cite the paper"
    images = [i for i in parsed(site, page).images if "_images/" in i.get("src", "")]
    tagged = [i for i, c in enumerate(nb.cells) if HANDOUT_TAG in c.metadata.get("tags", [])]
    if not tagged:
        assert images == [], f"{page}: {len(images)} charts, 00 has none"
    else:
        assert len(images) == 1, f"{page}: {len(images)} charts"
        assert images[0].get("alt") == plain(description_after(nb, tagged[0])), page
    assert "noindex" not in (site / page).read_text(encoding="utf-8")


def test_the_handouts_stay_out_of_the_navigation_and_the_search(site):
    for page in sorted(site.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        start = html.find("bd-docs-nav")
        nav = html[start : html.index("</nav>", start)] if start >= 0 else ""
        assert "-handout.html" not in nav, f"{page.relative_to(site)} lists a handout"
    index = (site / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(index[index.index("(") + 1 : index.rindex(")")])
    handouts = {i for i, name in enumerate(index["docnames"]) if name.endswith("-handout")}
    assert len(handouts) == len(LECTURES)
    found = [
        term
        for term, where in index["terms"].items()
        if handouts & set(where if isinstance(where, list) else [where])
    ]
    assert not found, f"search finds the handouts for {found[:10]}"


# -- in the browser ------------------------------------------------------------------------------


def serve(folder: Path):
    """A folder over HTTP on the loopback interface; yields its base address."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def served(site):
    """The students' edition over HTTP; yields its base address."""
    yield from serve(site)


@pytest.fixture(scope="module")
def served_teachers(teachers_site):
    """The teachers' edition over HTTP; yields its base address."""
    yield from serve(teachers_site)


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


@pytest.mark.parametrize("edition", ["students", "teachers"])
def test_every_page_renders_in_chromium_without_errors_and_passes_axe_in_both_modes(
    request, browser, edition
):
    assert AXE.is_file(), f"{AXE} is missing: run `make axe` (make test does)"
    if edition == "students":
        site, served = request.getfixturevalue("site"), request.getfixturevalue("served")
        pages = site_pages(site)
    else:  # the pages only teachers have, and a lecture and the index with the banner
        site = request.getfixturevalue("teachers_site")
        served = request.getfixturevalue("served_teachers")
        pages = [p for p in site_pages(site) if p.startswith(TEACHERS_ONLY)]
        pages += ["index.html", page_of(LECTURES[1])]
        assert len(pages) == len(SOLUTIONS) + 4, pages
    problems = []
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme)
        for page in pages:
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


PRINT_WIDTH_PX = 688  # A4 less the PDFs' margins of 14 mm on each side, at 96 CSS pixels per inch
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('.bd-article img, .bd-article table, .bd-article pre')]
    .filter(e => e.getBoundingClientRect().right > width + 1 || e.scrollWidth > e.clientWidth + 1)
    .map(e => `${e.tagName} ${Math.round(e.getBoundingClientRect().right)}px wide, content ${e.scrollWidth}px`);
  const tables = [...document.querySelectorAll('.bd-article table')]
    .filter(t => t.scrollWidth > t.parentElement.clientWidth + 1)
    .map(t => `a table ${t.scrollWidth}px wide in ${t.parentElement.clientWidth}px`);
  return wide.concat(tables);
}"""
# A word of a table cell laid out on two lines was broken inside it ("Prerequisi-tes"); words
# here are runs of two or more characters between spaces, hyphens, dashes and slashes.
BROKEN_WORDS = r"""() => {
  const broken = [];
  for (const cell of document.querySelectorAll('.bd-article th, .bd-article td')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.data.matchAll(/[^\s\-\u2010-\u2015\/]{2,}/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        if (lines.size > 1) broken.push(m[0]);
      }
    }
  }
  return broken;
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
        for page in (page_of(path), handout_of(path)):
            visit = Visit(context, served + page)
            try:
                visit.page.emulate_media(media="print")
                problems += [f"{page}: {e}" for e in visit.page.evaluate(OVERFLOWING)]
                problems += [
                    f"{page}: {w!r} is broken across lines in a table"
                    for w in visit.page.evaluate(BROKEN_WORDS)
                ]
                if page == handout_of(path):
                    continue
                under = visit.page.evaluate(DESCRIPTIONS_UNDER_CHARTS)
                assert len(under) == len(charts(read(path))), path.name
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
