"""Test set-up for the whole suite: tests/ and the notebooks nbval collects.

Every notebook (notebooks/, solutions/, exercises/) is executed once per test
run, by nbval, and that one execution serves every check that needs a run:

- its kernel is set up as a student's (charts drawn inline, the data found by
  the package's own search) plus the suite's guards: deprecation warnings are
  errors, and ``tests/kernel_site/sitecustomize.py`` blocks the network and logs
  every file the kernel writes;
- ``USIRAQ_CHECK_LOG`` is set, so every ``check()`` verdict is logged;
- after the notebook's last cell, items added to the same notebook (same file,
  so the same xdist worker with ``--dist loadfile``, and the same kernel) check
  what the run left: the lecture notebooks run again from the repository root
  and from an empty folder (``from the repository root``, ``from an empty
  folder``), no cell tried the network or wrote outside temporary and
  git-ignored folders (``offline and tidy``), and in a solution notebook every
  exercise is checked and reported correct (``every check reports correct``).

Each kernel gets its own logs and its own IPython and matplotlib folders in a
temporary folder of the test process.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
KERNEL_SITE = ROOT / "tests" / "kernel_site"
BLOCKED = "network access is blocked for this test"  # as in tests/kernel_site/sitecustomize.py
CELL_TIMEOUT = 120

# Kernels inherit this process's environment: a notebook that triggers a
# deprecation warning fails its run instead of printing a warning nobody reads.
os.environ["PYTHONWARNINGS"] = (
    "error::DeprecationWarning,error::FutureWarning,error::PendingDeprecationWarning"
)
os.environ["MPLBACKEND"] = "Agg"  # charts the tests themselves draw; notebook kernels draw inline


def git(*args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=ROOT, capture_output=True, text=True, check=True, timeout=60
    ).stdout


def worktree_state() -> dict[str, int]:
    """Modification time of every file git sees: tracked, and untracked but not ignored.

    Comparing this before and after a run is ``git status`` plus the tracked
    files' mtimes, without being thrown off by a commit made in the meantime.
    """
    files = git("ls-files", "-z", "--cached", "--others", "--exclude-standard").split("\0")
    return {f: (ROOT / f).stat().st_mtime_ns for f in files if f and (ROOT / f).exists()}


def writes_allowed(paths: list[str]) -> set[str]:
    """The paths that are in a temporary folder, or git-ignored inside the repository."""
    temp = Path(tempfile.gettempdir()).resolve()
    ok, inside = set(), []
    for path in paths:
        resolved = Path(path).resolve()
        if (
            resolved == ROOT or ROOT in resolved.parents
        ):  # first: the checkout may itself be under /tmp
            inside.append(path)
        elif resolved == temp or temp in resolved.parents or resolved.parts[1:2] == ("dev",):
            ok.add(path)
    if inside:
        ignored = subprocess.run(
            ["git", "check-ignore", "--stdin"],
            cwd=ROOT,
            input="\n".join(inside),
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout.splitlines()
        ok |= set(ignored)
    return ok


def records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


class KernelPlaces:
    """This test process's temporary folder for notebook kernels: logs, settings, an empty folder."""

    def __init__(self):
        self.base = Path(tempfile.mkdtemp(prefix="usiraq-kernels-"))
        self.logs = self.base / "logs"
        self.elsewhere = (
            self.base / "elsewhere"
        )  # an empty working directory outside the repository
        for folder in (self.logs, self.elsewhere, self.base / "ipython", self.base / "matplotlib"):
            folder.mkdir()
        # A fresh matplotlib folder would rebuild the font list in the first kernel;
        # a copy of the user's list (read-only use) saves that.
        cache = Path(os.environ.get("MPLCONFIGDIR") or Path.home() / ".cache" / "matplotlib")
        for font_list in cache.glob("fontlist-*.json"):
            shutil.copy(font_list, self.base / "matplotlib")
        self.count = 0

    def env(self, stem: str) -> tuple[dict, dict[str, Path]]:
        """A kernel's environment and its logs: network blocked, writes and checks logged.

        Charts use the notebook backend and the data is found by the package's
        own search, as for a student: MPLBACKEND and USIRAQ_DATA are not passed on.
        """
        self.count += 1
        slug = f"{self.count:03d}-{re.sub(r'[^A-Za-z0-9]+', '-', stem)}"
        logs = {kind: self.logs / f"{slug}-{kind}.jsonl" for kind in ("net", "writes", "checks")}
        env = {k: v for k, v in os.environ.items() if k not in ("MPLBACKEND", "USIRAQ_DATA")}
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(KERNEL_SITE), env.get("PYTHONPATH")]))
        env["IPYTHONDIR"] = str(self.base / "ipython")
        env["MPLCONFIGDIR"] = str(self.base / "matplotlib")
        env["USIRAQ_TEST_NET_LOG"] = str(logs["net"])
        env["USIRAQ_TEST_WRITE_LOG"] = str(logs["writes"])
        env["USIRAQ_CHECK_LOG"] = str(logs["checks"])
        return env, logs


_places: KernelPlaces | None = None


def kernel_places() -> KernelPlaces:
    global _places
    if _places is None:
        _places = KernelPlaces()
    return _places


def pytest_unconfigure(config):
    if _places is not None:
        shutil.rmtree(_places.base, ignore_errors=True)


@pytest.fixture(scope="session")
def kernel_env():
    """``kernel_env(name) -> (env, logs)``: the environment of a guarded test kernel, as nbval's get."""
    return kernel_places().env


@pytest.fixture(scope="session", name="writes_allowed")
def writes_allowed_fixture():
    """``writes_allowed(paths)``: those of the paths a notebook may write."""
    return writes_allowed


@pytest.fixture(scope="session")
def elsewhere() -> Path:
    """An empty folder outside the repository."""
    return kernel_places().elsewhere


# ---------------------------------------------------------------- nbval's kernels


def _notebook_file(node):
    try:
        from nbval.plugin import IPyNbFile
    except ImportError:
        return None
    return node if isinstance(node, IPyNbFile) else None


def rel(path) -> str:
    path = Path(path)
    return str(path.relative_to(ROOT)) if ROOT in path.parents else str(path)


class NotebookRun:
    """What one notebook's nbval kernel was given, and the state of the checkout before it ran."""

    def __init__(self, path: Path):
        self.path = path
        self.env, self.logs = kernel_places().env(rel(path))
        self.before = worktree_state()
        self.places: list[str] = [str(path.parent)]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    """Start each notebook's kernel with the guarded environment (and only that kernel)."""
    notebook = _notebook_file(item.parent)
    if notebook is None or notebook.kernel is not None:
        yield
        return
    notebook.usiraq_run = NotebookRun(Path(notebook.path))
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(notebook.usiraq_run.env)
    try:
        yield  # nbval starts the kernel while the first cell is set up
    finally:
        os.environ.clear()
        os.environ.update(saved)


def execute(kernel, code: str) -> str | None:
    """Run ``code`` in nbval's kernel; return its error (traceback text) or None."""
    errors = []

    def output(msg):
        if msg["msg_type"] == "error":
            errors.append("\n".join(msg["content"]["traceback"]))

    reply = kernel.kc.execute_interactive(
        code,
        timeout=CELL_TIMEOUT,
        output_hook=output,
        store_history=False,
        allow_stdin=False,
        stop_on_error=True,
    )
    content = reply["content"]
    if content["status"] != "ok" and not errors:
        errors.append(f"{content.get('ename')}: {content.get('evalue')}")
    return re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(errors))[-3000:] if errors else None


# Start the notebook again in the same kernel, from another working directory:
# a clean namespace and the package imported afresh (so nothing it found from
# the first folder is reused); charts are made but not rendered (Agg), since
# only the paths are in question here.
RESTART_IN = """
%reset -f
import os as _os, sys as _sys
_os.chdir({place!r})
[_sys.modules.pop(_m) for _m in list(_sys.modules) if _m == "usiraq" or _m.startswith("usiraq.")]
import matplotlib.pyplot as _plt
_plt.close("all")
_plt.switch_backend("agg")
del _os, _sys, _plt
"""


def rerun_from(where: str):
    def check(notebook):
        place = ROOT if where == "root" else kernel_places().elsewhere
        kernel = notebook.kernel
        assert kernel is not None and kernel.is_alive(), (
            f"{rel(notebook.path)}: its kernel is not running"
        )
        notebook.usiraq_run.places.append(str(place))
        error = execute(kernel, RESTART_IN.format(place=str(place)))
        assert error is None, f"could not restart {rel(notebook.path)} in {place}:\n{error}"
        code = [c for c in notebook.nb.cells if c.cell_type == "code"]
        for number, cell in enumerate(code):
            error = execute(kernel, cell.source)
            assert error is None, (
                f"{rel(notebook.path)} with the kernel in {place}, "
                f"code cell {number} failed:\n{error}"
            )

    return check


PROBE = f"""
import socket as _socket
try:
    _socket.create_connection(("93.184.215.14", 80), timeout=5)
except OSError as _error:
    assert {BLOCKED!r} in str(_error), _error
else:
    raise AssertionError("a connection to a public address was not blocked in this kernel")
del _socket
"""


def offline_and_tidy(notebook):
    run = notebook.usiraq_run
    name = rel(notebook.path)
    net, writes = records(run.logs["net"]), records(run.logs["writes"])
    assert any(r.get("event") == "loaded" for r in writes), (
        f"{name}: the network block and write audit were not loaded into its kernel"
    )
    where = f"{name} (kernel in {', '.join(run.places)})"
    assert not net, f"{where} tried to use the network: {net}"
    written = sorted({r["path"] for r in writes if "path" in r})
    outside = sorted(set(written) - writes_allowed(written))
    assert not outside, f"{where} wrote outside temporary and git-ignored folders: {outside}"
    # Whatever the hook may have missed (a write by a program a cell started, say)
    # still shows in the working tree.  A change may also come from another program
    # editing the checkout during the run; the message says which files changed.
    after = worktree_state()
    before = run.before
    changes = {
        "new": sorted(set(after) - set(before)),
        "deleted": sorted(set(before) - set(after)),
        "modified": sorted(f for f in set(before) & set(after) if after[f] != before[f]),
    }
    for kind, files in changes.items():
        assert not files, f"files were {kind} in the repository while {where} ran: {files}"
    # And the block was really active in this kernel.
    if notebook.kernel is not None and notebook.kernel.is_alive():
        error = execute(notebook.kernel, PROBE)
        assert error is None, f"{name}: {error}"


def check_ids(nb) -> set[str]:
    """The exercise and question ids a notebook's code cells check, ask or predict; 'NN.k chart' for check_chart."""
    ids = set()
    for cell in nb.cells:
        if cell.cell_type == "code":
            ids |= set(
                re.findall(r"""(?:check|ask|predict)\(\s*["'](\d\d\.q?\d+)["']""", cell.source)
            )
            ids |= set(re.findall(r"""Question\(\s*["'](\d\d\.q?\d+)["']""", cell.source))
            ids |= {
                f"{i} chart"
                for i in re.findall(r"""check_chart\(\s*["'](\d\d\.\d+)["']""", cell.source)
            }
    return ids


def every_check_reports_correct(notebook):
    """Every exercise a solution notebook checks was checked in its run, and the last verdict is correct."""
    name = rel(notebook.path)
    results = records(notebook.usiraq_run.logs["checks"])
    checked = {r["id"] for r in results}
    exercises = {i for i in check_ids(notebook.nb) if ".q" not in i}
    assert exercises, f"{name} checks no exercise"
    assert exercises <= checked, f"{name}: never checked {sorted(exercises - checked)}"
    last = {r["id"]: r["status"] for r in results}
    wrong = {i: s for i, s in last.items() if i in exercises and s != "correct"}
    assert not wrong, f"{name}: these checks do not report correct: {wrong}"


class AfterRun(pytest.Item):
    """A check on what a notebook's nbval run left, run after its last cell, in its kernel's lifetime."""

    def __init__(self, *, check, **kwargs):
        super().__init__(**kwargs)
        self.check = check

    def runtest(self):
        if getattr(self.parent, "usiraq_run", None) is None:
            pytest.fail(f"{rel(self.parent.path)} was not run (its first cell was not set up)")
        self.check(self.parent)

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, AssertionError):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, None, f"{rel(self.path)}::{self.name}"


def after_run_checks(path: Path) -> list[tuple[str, object]]:
    checks = []
    if path.parent.name == "notebooks":
        checks += [
            ("from the repository root", rerun_from("root")),
            ("from an empty folder", rerun_from("elsewhere")),
        ]
    checks.append(("offline and tidy", offline_and_tidy))
    if path.parent.name == "solutions":
        checks.append(("every check reports correct", every_check_reports_correct))
    return checks


def pytest_collection_modifyitems(session, config, items):
    """After each notebook's last cell, add the checks on what its run left."""
    result, last_of = [], {}
    for item in items:
        result.append(item)
        notebook = _notebook_file(item.parent)
        if notebook is not None:
            last_of[notebook] = len(result)
    for notebook, position in sorted(last_of.items(), key=lambda kv: -kv[1]):
        added = [
            AfterRun.from_parent(notebook, name=name, check=check)
            for name, check in after_run_checks(Path(notebook.path))
        ]
        result[position:position] = added
    items[:] = result


# ---------------------------------------------------------------- where the time goes

_durations: dict[str, float] = {}


def _seconds_since_start() -> float:
    """Wall time since this process started (Linux), so pytest's own start-up counts too."""
    try:
        ticks = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19])
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return uptime - ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return time.perf_counter() - _IMPORTED


_IMPORTED = time.perf_counter()


def _kind(nodeid: str) -> str:
    if ".ipynb::Cell " in nodeid:
        return "nbval: notebook cells"
    if ".ipynb::" in nodeid:
        return "after each notebook's run"
    return nodeid.split("::")[0]


def pytest_runtest_logreport(report):
    kind = _kind(report.nodeid)
    _durations[kind] = _durations.get(kind, 0.0) + report.duration


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """A report, not a test: test-process seconds by kind, so nbval's share is seen in every run."""
    if not _durations or getattr(config, "workerinput", None) is not None:
        return
    wall = _seconds_since_start()
    total = sum(_durations.values())
    nbval = _durations.get("nbval: notebook cells", 0.0)
    workers = getattr(config.option, "numprocesses", None) or 1
    terminalreporter.section("where the time went (seconds in test processes)")
    for kind, seconds in sorted(_durations.items(), key=lambda kv: -kv[1])[:12]:
        terminalreporter.write_line(f"{seconds:7.1f}  {kind}")
    terminalreporter.write_line(
        f"{total:7.1f}  all items, on {workers} worker(s); wall time {wall:.1f} s"
    )
    if nbval:
        terminalreporter.write_line(
            f"nbval alone: {nbval:.1f} s, about {nbval / workers:.1f} s of wall time on {workers} worker(s); "
            f"the whole run took {wall / (nbval / workers):.2f}x that"
        )


# ---------------------------------------------------------------- xdist

BROWSER_TEST = re.compile(r"^tests/test_browser\.py::test_notebook_runs_in_jupyterlab\[(\d+)_")
# The files that take longest, longest first (from the report at the end of each run): handed out
# before the many short ones, so that the two workers end together.
HEAVY = ["tests/test_site.py", "tests/test_grade.py", "tests/test_binder.py",
         "tests/test_release.py", "tests/test_readme_setup.py"]  # fmt: skip


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """``--dist loadfile``, except that the browser test is split in two halves, one per worker.

    Each half starts its own JupyterLab (the ``lab`` fixture is per module and
    worker), and the halves are handed out first, then the other ``HEAVY``
    files, longest first: a long file handed out last would leave one worker
    idle while the other finishes it.
    """
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class BrowserSplitScheduling(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            match = BROWSER_TEST.match(nodeid)
            if match:
                return f"{nodeid.split('::', 1)[0]}::lab-{int(match.group(1)) % 2}"
            return super()._split_scope(nodeid)

        def _assign_work_unit(self, node) -> None:
            first = [s for s in self.workqueue if "::lab-" in s][:1]
            first += [s for s in HEAVY if s in self.workqueue]
            for scope in reversed(first):
                self.workqueue.move_to_end(scope, last=False)
            super()._assign_work_unit(node)

    return BrowserSplitScheduling(config, log)
