"""One environment: the locks are complete and agree, .venv holds exactly them, and Binder reads the same list."""

import ast
import importlib.metadata as md
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from pins import pip_pins  # noqa: E402

STUDENT_LOCK = ROOT / "requirements.txt"
TEST_LOCK = ROOT / "requirements-test.txt"
# Installed in every venv by pip or by `pip install -e .`, never resolved into a lock.
NOT_LOCKED = {"pip", "setuptools", "wheel", "usiraq"}


def lock(path):
    """The Requirements of a lock file (one name may appear twice, with exclusive markers)."""
    lines = [
        s
        for s in path.read_text(encoding="utf-8").splitlines()
        if s.strip() and not s.startswith("#")
    ]
    return [Requirement(line) for line in lines]


def applies(req):
    return req.marker is None or req.marker.evaluate()


def pinned_version(req):
    (spec,) = req.specifier
    assert spec.operator == "==", f"{req} is not pinned exactly"
    return spec.version


def environment():
    return yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))


def environment_pip_list():
    return next(d["pip"] for d in environment()["dependencies"] if isinstance(d, dict))


def test_environment_declares_python_311_and_pip():
    deps = environment()["dependencies"]
    assert "python=3.11" in deps and "pip" in deps


def test_binder_and_make_setup_install_the_same_complete_lock():
    """environment.yml's pip: list (Binder), what `make setup` reads from it, and requirements.txt agree."""
    student = [str(r) for r in lock(STUDENT_LOCK)]
    binder = [str(Requirement(pin)) for pin in environment_pip_list()]
    setup = [
        str(Requirement(pin))
        for pin in pip_pins((ROOT / "environment.yml").read_text(encoding="utf-8"))
    ]
    assert binder == student, "environment.yml and requirements.txt differ: run `make lock`"
    assert setup == binder


def test_every_lock_line_is_an_exact_pin():
    for path in (STUDENT_LOCK, TEST_LOCK):
        for req in lock(path):
            assert re.fullmatch(r"[\w.]+", pinned_version(req)), f"{path.name}: {req}"


def test_binder_keeps_its_cache_layer():
    """repo2docker installs environment.yml before copying the repository, unless a pip: line is local.

    Its `is_local_pip_requirement` treats `-r`, `-c`, `file://` and paths starting with `.` as local;
    then every commit would rebuild the whole environment.
    """
    for line in environment_pip_list():
        assert not line.startswith(("-", ".")) and "file://" not in line, line


def locked_versions(paths):
    """{name: version} of the lines of `paths` that apply here; fails if two locks disagree."""
    versions = {}
    for path in paths:
        for req in filter(applies, lock(path)):
            name, version = canonicalize_name(req.name), pinned_version(req)
            assert versions.setdefault(name, version) == version, f"{name}: the locks disagree"
    return versions


def test_installed_versions_are_the_locked_ones():
    """.venv against the locks, version for version, both ways.

    The student and test locks must be installed exactly; an optional lock (requirements-dev.txt, ...)
    may be installed or not, but only at its versions; nothing may be installed that no lock lists.
    """
    optional = sorted(set(ROOT.glob("requirements-*.txt")) - {TEST_LOCK})
    required = locked_versions([STUDENT_LOCK, TEST_LOCK])
    every = locked_versions([STUDENT_LOCK, TEST_LOCK, *optional])
    installed = {canonicalize_name(d.metadata["Name"]): d.version for d in md.distributions()}
    missing = sorted(set(required) - set(installed))
    assert not missing, f"locked but not installed: {missing}; run `make test` again"
    wrong = {
        n: (installed[n], v)
        for n, v in every.items()
        if n in installed and Version(installed[n]) != Version(v)
    }
    assert not wrong, f"installed vs locked: {wrong}; run `make setup` and `make test` again"
    unlocked = set(installed) - set(every) - NOT_LOCKED
    assert not unlocked, (
        f"installed but in no lock: {sorted(unlocked)}; add them to requirements/*.in and run "
        "`make lock` (or `make clean test` for a stale .venv)"
    )


def test_venv_has_no_conflicts():
    env = {
        k: v for k, v in os.environ.items() if k != "PYTHONWARNINGS"
    }  # conftest's, meant for kernels, not pip
    done = subprocess.run(
        [sys.executable, "-m", "pip", "check"], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_test_lock_is_resolved_within_the_student_lock():
    student = {
        (canonicalize_name(r.name), str(r.marker)): pinned_version(r) for r in lock(STUDENT_LOCK)
    }
    for req in lock(TEST_LOCK):
        key = (canonicalize_name(req.name), str(req.marker))
        if key in student:
            assert pinned_version(req) == student[key], (
                f"{req.name}: tests {pinned_version(req)}, students {student[key]}"
            )


def in_file_requirements(name):
    lines = (ROOT / "requirements" / f"{name}.in").read_text(encoding="utf-8").splitlines()
    return [Requirement(line) for line in lines if line.strip() and not line.startswith(("#", "-"))]


@pytest.mark.parametrize(
    "source", sorted(p.stem for p in (ROOT / "requirements").glob("*.in") if p.stem != "binder")
)
def test_each_input_is_in_its_lock(source):
    """An edited requirements/*.in without `make lock` fails here."""
    output = STUDENT_LOCK if source == "student" else ROOT / f"requirements-{source}.txt"
    assert output.exists(), f"{output.name} missing: run `make lock`"
    locked = {canonicalize_name(r.name): pinned_version(r) for r in lock(output)}
    for req in in_file_requirements(source):
        name = canonicalize_name(req.name)
        assert name in locked, (
            f"{req.name} from {source}.in is not in {output.name}: run `make lock`"
        )
        assert req.specifier.contains(locked[name]), (
            f"{output.name} has {req.name}=={locked[name]}, {source}.in asks {req.specifier}"
        )


def test_binder_in_pins_base_packages_at_the_base_versions():
    base = dict(
        pin.split("==")
        for pin in (ROOT / "tests" / "repo2docker-py311-base.txt").read_text().splitlines()
        if pin and not pin.startswith("#")
    )
    base = {canonicalize_name(k): v for k, v in base.items()}
    for req in in_file_requirements("binder"):
        assert req.specifier.contains(base[canonicalize_name(req.name)]), (
            f"{req} is not Binder's {base[canonicalize_name(req.name)]}"
        )


def test_notebook_is_on_the_release_line_of_jupyterlab():
    """Binder's base brings Notebook 7; a Notebook for another JupyterLab line breaks /tree."""
    locked = {canonicalize_name(r.name): pinned_version(r) for r in lock(STUDENT_LOCK)}
    needs = next(
        Requirement(r) for r in md.requires("notebook") if Requirement(r).name == "jupyterlab"
    )
    assert needs.specifier.contains(locked["jupyterlab"]), (
        f"notebook {locked['notebook']} needs {needs}"
    )


def test_test_tools_stay_out_of_the_student_lock():
    student = {canonicalize_name(r.name) for r in lock(STUDENT_LOCK)}
    for tool in ("pytest", "nbval", "pytest-xdist", "playwright", "nbgitpuller", "uv"):
        assert tool not in student


def test_setuptools_floor_reads_a_licence_expression():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert isinstance(project["project"]["license"], str), "a PEP 639 licence expression"
    (setuptools,) = [
        Requirement(r) for r in project["build-system"]["requires"] if r.startswith("setuptools")
    ]
    assert not setuptools.specifier.contains("76.9") and setuptools.specifier.contains("77.0")
    assert md.metadata("usiraq")["License-Expression"] == "MIT"


def third_party_imports(paths):
    """The top-level third-party modules these Python files import."""
    imported = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                imported.add(node.module.split(".")[0])
    return {m for m in imported if m not in sys.stdlib_module_names and m != "usiraq"}


def undeclared(modules, requirements):
    declared = {canonicalize_name(Requirement(r).name) for r in requirements}
    dists = md.packages_distributions()
    return sorted(
        m for m in modules if not {canonicalize_name(d) for d in dists.get(m, [m])} & declared
    )


PACKAGE = ROOT / "src" / "usiraq"


def test_package_declares_what_it_imports():
    """What notebooks import needs only the dependencies; the teacher's tools may also need their extra."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    teacher = PACKAGE / "teacher"
    student = [p for p in PACKAGE.rglob("*.py") if teacher not in p.parents]
    assert not undeclared(third_party_imports(student), project["dependencies"])
    assert not undeclared(
        third_party_imports(teacher.rglob("*.py")),
        project["dependencies"] + project["optional-dependencies"]["teacher"],
    )


def test_the_teacher_tools_are_declared_as_theirs():
    """nbclient and nbformat run and generate notebooks: the teacher's extra, not the students' package."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = {canonicalize_name(Requirement(r).name) for r in project["dependencies"]}
    assert not names & {"nbclient", "nbformat"}
    assert undeclared({"nbclient"}, project["dependencies"]) == ["nbclient"], (
        "the check must see a missing one"
    )


def usiraq_imports(path):
    """The usiraq modules a file imports, by absolute name (relative imports resolved)."""
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(filter(None, [base, node.module]))
            names |= {module} | {f"{module}.{a.name}" for a in node.names}
    return {n for n in names if n.startswith("usiraq")}


def test_nothing_students_import_reaches_the_teacher_tools():
    teacher = PACKAGE / "teacher"
    reached = {
        str(p.relative_to(PACKAGE)): sorted(
            n for n in usiraq_imports(p) if n.startswith("usiraq.teacher")
        )
        for p in PACKAGE.rglob("*.py")
        if teacher not in p.parents
    }
    assert not {p: n for p, n in reached.items() if n}
    assert "usiraq.teacher.repo" in usiraq_imports(teacher / "grade.py"), (
        "the check must see an import"
    )


def test_no_binder_folder_hides_the_root_files():
    assert not (ROOT / "binder").exists() and not (ROOT / ".binder").exists()


def test_binder_installs_the_helper_package():
    post_build = (ROOT / "postBuild").read_text(encoding="utf-8")
    assert "pip install --no-deps -e ." in post_build
    assert (ROOT / "postBuild").stat().st_mode & 0o111, "postBuild must be executable"


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make test" in readme and "make lab" in readme
    assert re.search(r"^timeout \d+ make test$", (ROOT / ".ci" / "run").read_text(), re.M)


def test_pins_tool_prints_the_pip_list_with_markers():
    out = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "pins.py"), str(ROOT / "environment.yml")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert out == environment_pip_list()
    assert any(";" in line for line in out), "the universal lock carries platform markers"


def test_pins_tool_stops_at_the_end_of_the_pip_list():
    text = "dependencies:\n  - pip\n  - pip:\n      - a==1\n      # note\n      - \"b==2 ; os_name == 'nt'\"\nother:\n  - c==3\n"
    assert pip_pins(text) == ["a==1", "b==2 ; os_name == 'nt'"]


def test_data_dictionary_is_up_to_date():
    out = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "data_dictionary.py")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out == (ROOT / "data" / "README.md").read_text(encoding="utf-8"), "run `make dictionary`"


def test_generated_files_are_marked_for_github():
    out = subprocess.run(
        [
            "git",
            "check-attr",
            "linguist-generated",
            "exercises/01_emergence.ipynb",
            "notebooks/01_emergence.ipynb",
            "environment.yml",
            "requirements-test.txt",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert [line.rsplit(": ", 1)[1] for line in out] == ["true", "unspecified", "true", "true"]
