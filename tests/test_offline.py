"""Offline, from anywhere, and tidy: the notebooks need no network, find their
data from any working directory, and write nothing into the repository.

Every notebook (notebooks/, solutions/, exercises/) is executed in a kernel
that cannot reach the network: a ``sitecustomize`` module, put first on the
kernel's PYTHONPATH, makes every connection to a non-loopback address and every
name lookup of a non-local name raise, and logs the attempt (so a notebook that
swallowed the error still fails here). ``test_the_network_block_works`` proves
the block with a small notebook that must fail to connect.

The lecture notebooks are also run from two more working directories (the
repository root, and an empty temporary folder), as a student who opens a
notebook from elsewhere, or a script with a different cwd, would; the data must
still be found (in these two runs charts are drawn with the Agg backend, not
rendered for display, which saves a quarter of the time). The solutions and
exercises run from their own folder only, to keep the suite's time down.

The same ``sitecustomize`` adds an audit hook that logs every file a kernel
opens for writing, renames or removes. Nothing may be written outside a
temporary folder, except git-ignored paths inside the repository (such as
``__pycache__``); and the files git sees (tracked, and untracked but not
ignored: ``git status``) must be the same, with the same modification times,
after all the runs as before.
"""
from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import tempfile
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbformat.v4 import new_code_cell, new_notebook

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
LECTURES = sorted((ROOT / "notebooks").glob("*.ipynb"))
OTHERS = sorted((ROOT / "solutions").glob("*.ipynb")) + sorted((ROOT / "exercises").glob("*.ipynb"))
ALL = LECTURES + OTHERS
CELL_TIMEOUT = 120
KERNELS = 2  # notebooks executed at the same time (the machines have two cores)
BLOCKED = "network access is blocked for this test"

SITECUSTOMIZE = r'''
"""Loaded by test kernels only (tests/test_offline.py): no network, and a log of writes."""
import ipaddress
import json
import os
import socket
import sys
import threading

_NET_LOG = os.environ.get("USIRAQ_TEST_NET_LOG")
_WRITE_LOG = os.environ.get("USIRAQ_TEST_WRITE_LOG")
_BLOCKED = "%(blocked)s"
_guard = threading.local()


def _log(path, record):
    if not path or getattr(_guard, "busy", False):
        return
    _guard.busy = True
    try:
        with open(path, "a", encoding="utf-8") as log:
            log.write(json.dumps(record) + "\n")
    finally:
        _guard.busy = False


def _local_name(host):
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if host is None or host in ("", "localhost", "localhost.localdomain", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%%")[0]).is_loopback
    except ValueError:
        return False


def _refuse(what):
    _log(_NET_LOG, {"blocked": str(what)})
    raise OSError(101, f"{_BLOCKED}: {what}")


_connect, _connect_ex, _getaddrinfo = socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo


def connect(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _local_name(address[0]):
        _refuse(address)
    return _connect(self, address)


def connect_ex(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _local_name(address[0]):
        _refuse(address)
    return _connect_ex(self, address)


def getaddrinfo(host, *args, **kwargs):
    if not _local_name(host):
        _log(_NET_LOG, {"blocked": f"name lookup {host}"})
        raise socket.gaierror(socket.EAI_NONAME, f"{_BLOCKED}: name lookup {host}")
    return _getaddrinfo(host, *args, **kwargs)


socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo = connect, connect_ex, getaddrinfo

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC


def _path(value):
    if isinstance(value, int) or value is None:
        return None
    try:
        return os.path.abspath(os.fsdecode(value))
    except (TypeError, ValueError):
        return None


def _audit(event, args):
    if getattr(_guard, "busy", False):
        return
    paths = []
    if event == "open":
        path, mode, flags = args
        if (isinstance(mode, str) and any(c in mode for c in "wax+")) or (flags or 0) & _WRITE_FLAGS:
            paths = [path]
    elif event in ("os.remove", "os.rmdir", "os.mkdir", "os.truncate", "shutil.rmtree"):
        paths = [args[0]]
    elif event in ("os.rename", "shutil.move"):
        paths = [args[0], args[1]]
    elif event in ("shutil.copyfile", "shutil.copytree"):
        paths = [args[1]]
    elif event == "sqlite3.connect" and args[0] not in (":memory:", b":memory:", ""):
        paths = [args[0]]
    for path in filter(None, map(_path, paths)):
        if path != _WRITE_LOG and path != _NET_LOG:
            _log(_WRITE_LOG, {"event": event, "path": path})


if _WRITE_LOG:
    sys.addaudithook(_audit)
''' % {"blocked": BLOCKED}

# The proof: connections and lookups beyond this machine fail with the block's
# message, and a connection to a loopback address still works.
PROOF_CELLS = [
    f"""
import socket, urllib.request, urllib.error
BLOCKED = {BLOCKED!r}
try:
    socket.create_connection(("93.184.215.14", 80), timeout=5)
except OSError as error:
    assert BLOCKED in str(error), error
else:
    raise AssertionError("a connection to a public address was not blocked")
""",
    """
try:
    socket.getaddrinfo("example.org", 443)
except socket.gaierror as error:
    assert BLOCKED in str(error), error
else:
    raise AssertionError("a name lookup was not blocked")
try:
    urllib.request.urlopen("https://doi.org/10.55384/2790-4237.1088", timeout=5)
except urllib.error.URLError as error:
    assert BLOCKED in str(error.reason), error
else:
    raise AssertionError("an HTTP request was not blocked")
""",
    """
import os, tempfile
handle, scratch = tempfile.mkstemp(suffix="-offline-proof.txt")
with os.fdopen(handle, "w") as f:
    f.write("a write the audit hook must log")
with open(scratch, "a") as f:
    f.write(" and an append")
os.remove(scratch)
print(scratch)
""",
    """
server = socket.socket()
server.bind(("127.0.0.1", 0))
server.listen(1)
client = socket.create_connection(server.getsockname(), timeout=5)
client.close(); server.close()
print("loopback works")
""",
]


def git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True, timeout=60).stdout


class Runner:
    """Executes notebooks in a network-blocked kernel, with a log per run."""

    def __init__(self, base: Path):
        self.base = base
        site = base / "site"
        site.mkdir()
        (site / "sitecustomize.py").write_text(SITECUSTOMIZE)
        self.logs = base / "logs"
        self.logs.mkdir()
        self.elsewhere = base / "elsewhere"   # an empty working directory outside the repository
        self.elsewhere.mkdir()
        env = dict(os.environ)
        # The data is found by the package's own search, not set from outside; charts
        # use the notebook backend, as for a student.
        for name in ("USIRAQ_DATA", "MPLBACKEND"):
            env.pop(name, None)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(site), env.get("PYTHONPATH")]))
        env["IPYTHONDIR"] = str(base / "ipython")
        env["MPLCONFIGDIR"] = str(base / "matplotlib")
        self.env = env
        self.count = 0

    async def run_async(self, nb: nbformat.NotebookNode, cwd: Path, draw: bool = True) -> dict:
        """Execute a copy of ``nb`` with the kernel in ``cwd``; return the error and the logs.

        With ``draw=False`` charts are made but not rendered for display (the Agg
        backend), which saves a quarter of the time of runs that only check paths.
        """
        self.count += 1
        net_log, write_log = self.logs / f"net-{self.count}.jsonl", self.logs / f"writes-{self.count}.jsonl"
        env = dict(self.env, USIRAQ_TEST_NET_LOG=str(net_log), USIRAQ_TEST_WRITE_LOG=str(write_log))
        if not draw:
            env["MPLBACKEND"] = "Agg"
        client = NotebookClient(nbformat.from_dict(nb), timeout=CELL_TIMEOUT, kernel_name="python3",
                                resources={"metadata": {"path": str(cwd)}})
        error = None
        try:
            await client.async_execute(env=env, stderr=subprocess.DEVNULL)  # the kernel's start-up notices
        except CellExecutionError as err:
            error = re.sub(r"\x1b\[[0-9;]*m", "", str(err))[-3000:]

        def records(path):
            return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []

        return {"error": error, "net": records(net_log), "writes": records(write_log), "hook": write_log.exists()}

    def run(self, nb: nbformat.NotebookNode, cwd: Path) -> dict:
        return asyncio.run(self.run_async(nb, cwd))

    def run_many(self, jobs: list[tuple[object, nbformat.NotebookNode, Path, bool]]) -> dict:
        """Run (key, notebook, cwd, draw) jobs, KERNELS at a time; return {key: result}."""
        async def main():
            slots = asyncio.Semaphore(KERNELS)

            async def one(nb, cwd, draw):
                async with slots:
                    return await self.run_async(nb, cwd, draw)

            results = await asyncio.gather(*(one(nb, cwd, draw) for _, nb, cwd, draw in jobs))
            return {key: result for (key, *_), result in zip(jobs, results)}

        return asyncio.run(main())


@pytest.fixture(scope="module")
def runner(tmp_path_factory):
    return Runner(tmp_path_factory.mktemp("offline"))


def worktree_state() -> dict[str, int]:
    """Modification time of every file git sees: tracked, and untracked but not ignored.

    Comparing this before and after is ``git status`` plus the tracked files'
    mtimes, without being thrown off by a commit made in the meantime.
    """
    files = git("ls-files", "-z", "--cached", "--others", "--exclude-standard").split("\0")
    return {f: (ROOT / f).stat().st_mtime_ns for f in files if f and (ROOT / f).exists()}


@pytest.fixture(scope="module")
def runs(runner):
    """Run every notebook once (the lectures from three places); keep what each run saw."""
    before = worktree_state()
    jobs = []
    for path in ALL:
        nb = nbformat.read(path, as_version=4)
        # In its own folder, as a student runs it; the lectures also from the repository
        # root and from an empty folder elsewhere, where only the paths are in question.
        jobs.append(((path, str(path.parent)), nb, path.parent, True))
        if path in LECTURES:
            jobs += [((path, str(place)), nb, place, False) for place in (ROOT, runner.elsewhere)]
    results = {}
    for (path, place), result in runner.run_many(jobs).items():
        results.setdefault(path, {})[place] = result
    return {"results": results, "before": before, "after": worktree_state()}


def test_the_network_block_works(runner):
    nb = new_notebook(cells=[new_code_cell(source.strip()) for source in PROOF_CELLS])
    result = runner.run(nb, runner.elsewhere)
    assert result["error"] is None, result["error"]
    blocked = " ".join(r["blocked"] for r in result["net"])
    assert "93.184.215.14" in blocked and "example.org" in blocked and "doi.org" in blocked, result["net"]
    assert result["hook"], "the write log was never created: the audit hook is not installed"
    scratch = [r["path"] for r in result["writes"] if r["path"].endswith("-offline-proof.txt")]
    assert len(scratch) >= 2, f"the audit hook missed the proof's writes: {result['writes']}"


def test_writes_are_judged_by_place():
    tracked = [str(ROOT / f) for f in git("ls-files").split()[:3]]
    assert tracked
    ignored = str(ROOT / "src" / "usiraq" / "__pycache__" / "x.cpython-311.pyc")
    temporary = str(Path(tempfile.gettempdir()) / "anything.txt")
    home = str(Path.home() / ".usiraq-test-never-written")
    assert allowed(tracked + [ignored, temporary, home]) == {ignored, temporary}


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("path", ALL, ids=rel)
def test_notebook_runs_offline_from_anywhere(runs, path):
    for place, result in runs["results"][path].items():
        where = f"{rel(path)} with the kernel in {place}"
        assert result["error"] is None, f"{where} failed:\n{result['error']}"
        assert not result["net"], f"{where} tried to use the network: {result['net']}"


def allowed(paths: list[str]) -> set[str]:
    """The paths that are in a temporary folder, or git-ignored inside the repository."""
    temp = Path(tempfile.gettempdir()).resolve()
    ok, inside = set(), []
    for path in paths:
        resolved = Path(path).resolve()
        if resolved == ROOT or ROOT in resolved.parents:  # first: the checkout may itself be under /tmp
            inside.append(path)
        elif resolved == temp or temp in resolved.parents or resolved.parts[1:2] == ("dev",):
            ok.add(path)
    if inside:
        ignored = subprocess.run(["git", "check-ignore", "--stdin"], cwd=ROOT, input="\n".join(inside),
                                 capture_output=True, text=True, timeout=60).stdout.splitlines()
        ok |= set(ignored)
    return ok


def test_no_cell_writes_outside_temporary_or_ignored_folders(runs):
    if not ALL:
        pytest.skip("no notebooks yet")
    written: dict[str, set[str]] = {}
    for path, by_place in runs["results"].items():
        for place, result in by_place.items():
            assert result["hook"], f"{rel(path)}: the write log was never created"
            for record in result["writes"]:
                written.setdefault(record["path"], set()).add(f"{rel(path)} (kernel in {place})")
    outside = {p: sorted(who) for p, who in written.items() if p not in allowed(list(written))}
    assert not outside, f"notebooks wrote outside temporary and git-ignored folders: {json.dumps(outside, indent=1)}"

    # Whatever the hook may have missed (a write by a program a cell started, say)
    # still shows in the working tree.  A change no kernel logged may also come from
    # another program editing the checkout during the run; the message says which.
    before, after = runs["before"], runs["after"]
    changes = {"new": sorted(set(after) - set(before)), "deleted": sorted(set(before) - set(after)),
               "modified": sorted(f for f in set(before) & set(after) if after[f] != before[f])}

    def who(files):
        return {f: sorted(written.get(str(ROOT / f), [])) or "no kernel logged a write to it" for f in files}

    for kind, files in changes.items():
        assert not files, f"files were {kind} in the repository while the notebooks ran: {json.dumps(who(files), indent=1)}"
