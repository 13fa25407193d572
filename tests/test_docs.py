"""The documents around the notebooks: glossary, teacher's guide, README, contributor guide, citation.

The notebooks link the first use of each term to an entry of ``docs/glossary.md``
(``../docs/glossary.md#sofa``).  GitHub turns every heading into an anchor, so a
renamed heading silently breaks those links; these tests compute the anchors
the way GitHub does and check every link against them.  They also check that
every relative link in the Markdown documents resolves, that the headings go
down one level at a time, and that ``CITATION.cff`` parses and names the paper.
"""

import json
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = ROOT / "docs" / "glossary.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
MARKDOWN = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", ROOT / "LICENSE-content.md"] + DOCS
NOTEBOOKS = sorted(
    p for folder in ("notebooks", "exercises", "solutions") for p in (ROOT / folder).glob("*.ipynb")
)
PAPER_DOI = "10.55384/2790-4237.1088"

# The anchors the notebooks link to (the shared brief for notebook authors lists them).
REQUIRED_ANCHORS = [
    "sofa",
    "sfa",
    "unscr-1483",
    "cjtf-oir",
    "operation-inherent-resolve",
    "coalition",
    "centcom",
    "usf-i",
    "isis",
    "pmf",
    "irgc",
    "quds-force",
    "kataib-hezbollah",
    "asaib-ahl-al-haq",
    "nujaba",
    "kataib-sayyid-al-shuhada",
    "badr-organization",
    "sadrist-movement",
    "saraya-al-salam",
    "islamic-resistance-in-iraq",
    "katyusha",
    "ied",
    "ballistic-missile",
    "tbi",
    "patriot",
    "green-zone",
    "council-of-representatives",
    "higher-military-commission",
    "incident",
]

LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$", re.M)


def rel(path):
    return str(path.relative_to(ROOT))


def without_code(text):
    """Markdown text with fenced code blocks and inline code removed (links there are not links)."""
    text = re.sub(r"^(```|~~~).*?^\1", "", text, flags=re.S | re.M)
    return re.sub(r"`[^`\n]*`", "", text)


def github_anchor(heading):
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link keeps only its text
    text = re.sub(r"<[^>]+>", "", text)  # inline HTML tags
    text = text.replace("`", "").strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)  # keeps letters, digits, _ and -
    return text.replace(" ", "-")


def anchors_of(markdown):
    """Every heading anchor of a Markdown text, with GitHub's -1, -2 suffixes for repeats."""
    seen, anchors = {}, []
    for _hashes, title in HEADING.findall(without_code(markdown)):
        base = github_anchor(title)
        count = seen.get(base, 0)
        anchors.append(base if count == 0 else f"{base}-{count}")
        seen[base] = count + 1
    return anchors


def markdown_of(path):
    """The Markdown a reader sees: a .md file, or the markdown cells of a notebook."""
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        return "\n\n".join(
            "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in cells
            if c["cell_type"] == "markdown"
        )
    return path.read_text(encoding="utf-8")


def links_of(path):
    return LINK.findall(without_code(markdown_of(path)))


def is_external(target):
    return re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I) is not None


def glossary_anchors():
    return anchors_of(GLOSSARY.read_text(encoding="utf-8"))


# --- the glossary itself ---------------------------------------------------------------------


def test_glossary_exists():
    assert GLOSSARY.exists(), "docs/glossary.md is missing"


@pytest.mark.parametrize("anchor", REQUIRED_ANCHORS)
def test_glossary_has_every_anchor_the_notebooks_use(anchor):
    assert anchor in glossary_anchors(), (
        f"docs/glossary.md has no heading whose anchor is #{anchor}: "
        "the notebooks link to it (make the heading text produce exactly this anchor)"
    )


def test_glossary_anchors_are_unique():
    anchors = glossary_anchors()
    repeated = sorted({a for a in anchors if anchors.count(a) > 1})
    assert not repeated, (
        f"docs/glossary.md repeats headings {repeated}: GitHub would number the second one"
    )


def test_every_glossary_entry_says_where_it_is_used():
    text = GLOSSARY.read_text(encoding="utf-8")
    entries = re.split(r"^### ", text, flags=re.M)[1:]
    missing = [e.splitlines()[0] for e in entries if "Used in:" not in e]
    assert not missing, f"glossary entries without a 'Used in:' line: {missing}"


# --- links into the glossary, from notebooks and documents ------------------------------------


def glossary_links(path):
    """(target, fragment) of every link in a file that points into docs/glossary.md."""
    found = []
    for target in links_of(path):
        if is_external(target) or "#" not in target:
            continue
        file_part, fragment = target.split("#", 1)
        resolved = (path.parent / unquote(file_part)).resolve() if file_part else path.resolve()
        if resolved == GLOSSARY.resolve():
            found.append((target, fragment))
    return found


@pytest.mark.parametrize("path", NOTEBOOKS + MARKDOWN, ids=rel)
def test_glossary_links_point_to_an_entry(path):
    if not path.exists():
        pytest.skip(f"{rel(path)} does not exist yet")
    anchors = set(glossary_anchors())
    broken = [
        target for target, fragment in glossary_links(path) if unquote(fragment) not in anchors
    ]
    assert not broken, f"{rel(path)}: these links point to no heading of docs/glossary.md: {broken}"


# --- every relative link in the documents resolves -------------------------------------------


@pytest.mark.parametrize("path", MARKDOWN, ids=rel)
def test_relative_links_in_documents_resolve(path):
    assert path.exists(), f"{rel(path)} is missing"
    broken = []
    for target in links_of(path):
        if is_external(target):
            continue
        file_part, _, fragment = target.partition("#")
        destination = (path.parent / unquote(file_part)) if file_part else path
        if not destination.exists():
            broken.append(target)
        elif (
            fragment
            and destination.suffix == ".md"
            and unquote(fragment) not in anchors_of(destination.read_text(encoding="utf-8"))
        ):
            broken.append(target)
    assert not broken, f"{rel(path)}: these links do not resolve: {broken}"


@pytest.mark.parametrize("path", MARKDOWN, ids=rel)
def test_document_headings_go_down_one_level_at_a_time(path):
    level = 0
    for hashes, title in HEADING.findall(without_code(path.read_text(encoding="utf-8"))):
        assert len(hashes) <= level + 1, (
            f"{rel(path)}: heading '{title}' jumps from level {level} to {len(hashes)}"
        )
        level = len(hashes)


def test_readme_links_the_teachers_guide_and_the_glossary():
    targets = links_of(ROOT / "README.md")
    assert "docs/teachers_guide.md" in targets and "docs/glossary.md" in targets


# --- citation and licences -------------------------------------------------------------------


def citation():
    return yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def test_citation_file_parses_and_describes_the_module():
    cff = citation()
    assert str(cff["cff-version"]) == "1.2.0"
    for key in ("message", "title", "authors", "version", "date-released", "license"):
        assert cff.get(key), f"CITATION.cff lacks '{key}'"


def test_citation_file_names_the_paper_it_teaches():
    references = citation().get("references", [])
    papers = [r for r in references if str(r.get("doi", "")).lower() == PAPER_DOI]
    assert papers, f"CITATION.cff lists no reference with the paper's DOI {PAPER_DOI}"
    paper = papers[0]
    assert paper["type"] == "article" and paper["year"] == 2022
    assert [a["family-names"] for a in paper["authors"]] == ["Maree", "Khader", "Khalaf"]


def test_licences_exist_and_match_the_package():
    assert "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    content = (ROOT / "LICENSE-content.md").read_text(encoding="utf-8")
    assert "CC BY 4.0" in content and "creativecommons.org/licenses/by/4.0/legalcode" in content
    assert re.search(
        r'^license = "MIT"', (ROOT / "pyproject.toml").read_text(encoding="utf-8"), re.M
    )
    licences = citation()["license"]
    licences = licences if isinstance(licences, list) else [licences]
    assert set(licences) == {"MIT", "CC-BY-4.0"}
