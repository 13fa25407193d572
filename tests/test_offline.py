"""Offline, from anywhere, and tidy: the notebooks need no network, find their
data from any working directory, and write nothing into the repository.

These checks ride on nbval's one execution of every notebook (see the root
conftest.py): each kernel has ``tests/kernel_site/sitecustomize.py`` loaded,
which makes every connection to a non-loopback address and every lookup of a
non-local name raise and logs the attempt, and logs every file the kernel opens
for writing, renames or removes.  After the notebook's last cell, the lecture
notebooks run again in the same kernel from the repository root and from an
empty folder, and ``offline and tidy`` fails on any network attempt, any write
outside temporary and git-ignored folders, and any change to the files git sees.

Here: the block and the audit work (``test_the_network_block_works``), writes
are judged by place, and those after-run checks fail on a notebook that
deserves it.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbformat.v4 import new_code_cell, new_notebook

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
CELL_TIMEOUT = 120
BLOCKED = "network access is blocked for this test"

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


def run(nb: nbformat.NotebookNode, cwd: Path, env: dict) -> str | None:
    """Execute a copy of ``nb`` in a guarded kernel in ``cwd``; return its error or None."""
    client = NotebookClient(
        nbformat.from_dict(nb),
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(cwd)}},
    )
    try:
        client.execute(env=env, stderr=subprocess.DEVNULL)  # the kernel's start-up notices
    except CellExecutionError as err:
        return re.sub(r"\x1b\[[0-9;]*m", "", str(err))[-3000:]
    return None


def records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_the_network_block_works(kernel_env, elsewhere):
    env, logs = kernel_env("network-proof")
    nb = new_notebook(cells=[new_code_cell(source.strip()) for source in PROOF_CELLS])
    error = run(nb, elsewhere, env)
    assert error is None, error
    net, writes = records(logs["net"]), records(logs["writes"])
    blocked = " ".join(r["blocked"] for r in net)
    assert "93.184.215.14" in blocked and "example.org" in blocked and "doi.org" in blocked, net
    assert any(r.get("event") == "loaded" for r in writes), "the audit hook is not installed"
    scratch = [r["path"] for r in writes if r.get("path", "").endswith("-offline-proof.txt")]
    assert len(scratch) >= 2, f"the audit hook missed the proof's writes: {writes}"


def test_writes_are_judged_by_place(writes_allowed):
    tracked = [
        str(ROOT / f)
        for f in subprocess.run(
            ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.split()[:3]
    ]
    assert tracked
    ignored = str(ROOT / "src" / "usiraq" / "__pycache__" / "x.cpython-311.pyc")
    temporary = str(Path(tempfile.gettempdir()) / "anything.txt")
    home = str(Path.home() / ".usiraq-test-never-written")
    assert writes_allowed(tracked + [ignored, temporary, home]) == {ignored, temporary}


# A solution notebook that swallows a blocked connection, writes into the home
# folder (then removes the file) and leaves its exercise unanswered.
BAD_CELLS = [
    """
import socket
try:
    socket.create_connection(("93.184.215.14", 80), timeout=2)
except OSError:
    pass
""",
    """
import os
scratch = os.path.expanduser("~/.usiraq-offline-probe-{token}")
with open(scratch, "w") as f:
    f.write("x")
os.remove(scratch)
""",
    """
from usiraq import check
check("01.1", None)
""",
]


def test_the_checks_after_a_run_catch_a_bad_notebook(tmp_path):
    """nbval's run of a notebook that misbehaves passes cell by cell, and the checks added after it fail."""
    token = tmp_path.name
    folder = (
        ROOT / "artifacts" / f"offline-probe-{token}" / "solutions"
    )  # git-ignored, inside the checkout
    folder.mkdir(parents=True)
    try:
        path = folder / "01_probe.ipynb"
        nbformat.write(
            new_notebook(
                cells=[new_code_cell(c.strip().replace("{token}", token)) for c in BAD_CELLS]
            ),
            path,
        )
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-p",
                "no:xdist",
                "-q",
                "-rf",
                "--no-header",
                str(path.relative_to(ROOT)),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        shutil.rmtree(folder.parent, ignore_errors=True)
    out = result.stdout
    assert result.returncode == 1, out[-3000:]
    assert "3 passed" in out and "2 failed" in out, out[-3000:]
    assert re.search(r"FAILED \S+::offline and tidy", out) and "tried to use the network" in out, (
        out[-3000:]
    )
    assert (
        re.search(r"FAILED \S+::every check reports correct", out)
        and "do not report correct" in out
    ), out[-3000:]
