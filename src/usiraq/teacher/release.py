"""Build the student edition: the module without its answers.

Students receive the repository through an nbgitpuller link, so whatever the
link's repository holds, they hold.  ``make release OUT=DIR`` writes a folder
that is ready to be the content of a student repository (or branch):

- it keeps what students work with: the lecture notebooks (with their stored
  outputs), the exercise notebooks (generated from the solutions, without
  answers), ``data/``, the helper package, ``environment.yml``, ``postBuild``,
  the lock ``requirements.txt`` (what a hub installs), the licences, the
  glossary and a README for students with the links of their repository;
- the checks come frozen (``usiraq.checking.frozen``): the edition's
  ``declarations`` package holds the values a check needs, not the functions
  that compute the answers nor the rubrics of the written tasks;
- it leaves out ``solutions/``, the teacher's guide (it walks through every
  answer), ``tests/`` (they hold expected values), ``tools/`` (the site builder
  renders the solutions) and the teacher's sub-package of the helpers (``usiraq.teacher``:
  the grader, this builder, the exercise generator);
- links from the notebooks to the solutions and to the teacher's guide become
  plain text, so that no link points at a file that is not there.

What stays on purpose, and why, is in the teacher's guide ("A graded week").

A folder that already holds a release (it has the marker file) or only a git
checkout is emptied first, except its ``.git``, so that a re-release also
removes files that left the module.  Any other non-empty folder is refused:
nothing of the teacher's is ever deleted by mistake.

Usage: ``python -m usiraq.teacher.release OUT``
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import nbformat

from ..checking import frozen, registry
from .repo import ROOT

MARKER = ".usiraq-student-edition"
COPY = [
    "notebooks",
    "exercises",
    "data",
    "environment.yml",
    "requirements.txt",
    "postBuild",
    "LICENSE",
    "LICENSE-content.md",
    "CITATION.cff",
    "docs/glossary.md",
    "tests/nbval_sanitize.cfg",
    ".gitignore",
]
HIDDEN_LINK = re.compile(
    r"\[([^\]]*)\]\((?:\.\./)?(?:solutions/[^)]*|docs/teachers_guide\.md[^)]*)\)"
)
README = """\
# The US military presence in Iraq, taught through one paper: student edition

[![Launch on Binder](https://mybinder.org/badge_logo.svg)](https://mybinder.org/v2/gh/OWNER/STUDENT-REPO/main?urlpath=lab/tree/notebooks/00_start_here.ipynb)

This is the course as your teacher hands it out: lectures, exercises that check your answers, and
the data. Start with `notebooks/00_start_here.ipynb`, then read each lecture notebook in
`notebooks/` and do its exercises in `exercises/`.

## Opening it

- **On Binder**, with nothing to install: the badge above. Binder keeps nothing: download your
  notebook before you close the tab (notebook 00 shows how).
- **On your course's JupyterHub**: the link your teacher sends. Your copy stays in your home folder.
- **On your own computer**, with Python 3.11 to 3.13: in a terminal, in this folder,

  ```bash
  python3 -m venv .venv
  .venv/bin/python -m pip install -r requirements.txt
  .venv/bin/python -m pip install --no-deps -e .
  .venv/bin/jupyter lab --notebook-dir=. notebooks/00_start_here.ipynb
  ```

  (on Windows: `py -3.11 -m venv .venv`, then `.venv\\Scripts\\python` and `.venv\\Scripts\\jupyter`).

Open the notebooks from inside this folder: a notebook copied out of it alone cannot find the
`data/` folder or the course's helper package.

## Working

- Each exercise ends with a line such as `check("01.1", answer)`: replace `None` with your
  answer and run the cell. A wrong answer gets a hint that grows while the mistake stays the same
  (the idea, then the tool, then a line of code); `check(..., show=True)` shows the code at once.
- **Core** exercises are the set to do; **Stretch** ones are for more practice.
- Worked solutions are not in this edition: your teacher discusses them after the class.
- Keep your work in these files. When your teacher updates the course and you click the link
  again, your answers stay and the new material arrives.
- `docs/glossary.md` explains the acronyms and names you will meet; `data/README.md` describes
  every table and where each row comes from.

Licences: code MIT (`LICENSE`), notebooks, prose and data CC BY 4.0 (`LICENSE-content.md`).
"""


class ReleaseError(RuntimeError):
    """The output folder cannot safely receive a release; the message says why."""


def prepare(out: Path) -> None:
    """Make ``out`` an empty folder (keeping a ``.git``), or refuse if it holds other work."""
    out = out.resolve()
    if out == ROOT or ROOT.is_relative_to(out):
        raise ReleaseError(f"{out} holds the teacher's repository; choose another folder.")
    if out.exists():
        if not out.is_dir():
            raise ReleaseError(f"{out} is a file, not a folder.")
        content = [p for p in out.iterdir() if p.name != ".git"]
        if content and not (out / MARKER).exists():
            raise ReleaseError(
                f"{out} is not empty and holds no earlier release; choose an empty folder."
            )
        for path in content:
            shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
    out.mkdir(parents=True, exist_ok=True)


# Phrases that point students to a folder the edition leaves out: dropped or reworded, not just unlinked.
STUDENT_WORDING = [
    (re.compile(r" · Solutions: \[[^\]]*\]\((?:\.\./)?solutions/[^)]*\)"), ""),
    (re.compile(r" The solutions are in \[[^\]]*\]\((?:\.\./)?solutions/[^)]*\): try first\."), ""),
    (re.compile(r" and in `solutions/` \(to check against\)"), ""),
    (re.compile(r", with worked solutions in \[`solutions/`\]\(\.\./solutions/\)"), ""),
    (re.compile(r" · Teachers: \[teacher's guide\]\(\.\./docs/teachers_guide\.md[^)]*\)"), ""),
    (re.compile(r" or the \[teacher's guide\]\(\.\./docs/teachers_guide\.md[^)]*\)"), ""),
]


def unlink_hidden(nb: nbformat.NotebookNode) -> int:
    """Drop pointers to the solutions, and turn links to the teacher's guide into plain text; return how many."""
    count = 0
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for pattern, replacement in STUDENT_WORDING:
                cell.source, n = pattern.subn(replacement, cell.source)
                count += n
            cell.source, n = HIDDEN_LINK.subn(r"\1", cell.source)
            count += n
    return count


# The student edition's declarations: the frozen checks, loaded from the file beside it.
FROZEN_LOADER = '''"""The exercises of this student edition, frozen by `make release`.

Each check finds here what it needs, as values: see usiraq.checking.frozen.
"""

from importlib.resources import files

from ..frozen import FILE, loads
from ..registry import register

register(*loads(files(__name__).joinpath(FILE).read_bytes()))
'''


def copy_package(out: Path) -> None:
    """The helper package without its teacher's sub-package, with its checks frozen, and its build file."""
    package = ROOT / "src" / "usiraq"
    teacher = package / Path(__file__).parent.name
    declarations = package / "checking" / "declarations"

    def left_out(folder: str, names: list[str]) -> list[str]:
        return [
            n
            for n in names
            if n == "__pycache__" or Path(folder, n) == teacher or Path(folder) == declarations
        ]

    shutil.copytree(package, out / "src" / "usiraq", ignore=left_out)
    registry.load()
    items = [*registry.exercises().values(), *registry.charts().values()]
    target = out / "src" / "usiraq" / "checking" / "declarations"
    (target / frozen.FILE).write_bytes(frozen.dumps(items))
    (target / "__init__.py").write_text(FROZEN_LOADER, encoding="utf-8")
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    testpaths = re.compile(r"^testpaths = \[.*\]$", re.M)
    if not testpaths.search(pyproject):
        raise ReleaseError(
            "pyproject.toml has no 'testpaths = [...]' line to point at the student folders."
        )
    pyproject = testpaths.sub('testpaths = ["notebooks", "exercises"]', pyproject)
    (out / "pyproject.toml").write_text(pyproject, encoding="utf-8")


def build(out: Path) -> list[Path]:
    """Write the student edition into ``out``; return the files written."""
    prepare(out)
    for name in COPY:
        source, target = ROOT / name, out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(
                source, target, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__")
            )
        else:
            shutil.copy2(source, target)
    for path in sorted((out / "notebooks").glob("*.ipynb")) + sorted(
        (out / "exercises").glob("*.ipynb")
    ):
        nb = nbformat.read(path, as_version=4)
        if unlink_hidden(nb):
            nbformat.write(nb, path)
    copy_package(out)
    (out / "README.md").write_text(README, encoding="utf-8")
    (out / MARKER).write_text(
        "Written by `make release`; the next release empties this folder (except .git).\n",
        encoding="utf-8",
    )
    return sorted(
        p for p in out.rglob("*") if p.is_file() and ".git" not in p.relative_to(out).parts
    )


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m usiraq.teacher.release OUT_DIR", file=sys.stderr)
        return 2
    try:
        written = build(Path(argv[0]))
    except ReleaseError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(f"wrote the student edition ({len(written)} files) to {argv[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
