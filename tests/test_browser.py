"""The lecture notebooks as a student meets them: in JupyterLab, in a real browser.

One JupyterLab server runs on a temporary copy of notebooks/ and data/ (so that
autosave can never write into the repository), with temporary settings,
workspaces and runtime folders.  For every lecture notebook, Chromium opens it,
runs all cells from the Run menu and waits until the kernel is idle and every
code cell shows an execution count.  Then the page must show what a student
should see: every cell ran in order, no traceback or error output, no "Error
displaying widget", a rendered view for every widget output, and at least as
many chart images per cell as the stored notebook has.  Saved from the File
menu, every code cell of the file must carry its run times (JupyterLab's
recordTiming, set for the environment by usiraq.labsettings).  A full-length
screenshot of each notebook goes to artifacts/screenshots/.

Chromium is Debian's (/usr/bin/chromium, driven by Playwright; no browser is
ever downloaded).  Without it the tests skip and say why.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import pytest

from usiraq import labsettings
from usiraq.checking import verdict
from usiraq.teacher import timing
from usiraq.teacher.chromium import CHROMIUM, CHROMIUM_ARGS

# Emoji and their variation selector: a browser without an emoji font draws them as empty boxes.
EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f]")

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
LECTURES = sorted((ROOT / "notebooks").glob("*.ipynb"))
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
MAX_SHOT_HEIGHT = 16_000  # px; Chromium cannot capture much taller pages
SERVER_START_TIMEOUT = 90  # seconds until /api/status must answer
OPEN_TIMEOUT = 90_000  # ms until the notebook is shown and its kernel idle
RUN_TIMEOUT = 600_000  # ms for "run all" to finish (cells have 120 s each under nbval)
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
STDERR_MIME = "application/vnd.jupyter.stderr"
# The news toast would cover part of every screenshot, and with windowing off
# every cell is attached to the page, so every output can be counted.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Lab:
    """A running JupyterLab server: its address, token and content folder."""

    def __init__(self, url: str, token: str, root: Path, log: Path):
        self.url, self.token, self.root, self.log = url, token, root, log

    def api(self, path: str, method: str = "GET"):
        request = urllib.request.Request(
            f"{self.url}{path}", method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self) -> None:
        """End every session, so each notebook starts with a fresh kernel and frees memory."""
        for session in self.api("/api/sessions"):
            self.api(f"/api/sessions/{session['id']}", method="DELETE")

    def log_tail(self, chars: int = 3000) -> str:
        return self.log.read_text(errors="replace")[-chars:] if self.log.exists() else ""


def stop(proc: subprocess.Popen, runtime: Path | None = None) -> None:
    """SIGTERM the server's process group (it shuts its kernels down), then SIGKILL if need be.

    Kernels run in sessions of their own: any still alive afterwards (found by
    the server's runtime folder on their command line) are killed too.
    """
    if proc.poll() is None:
        for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                break
            try:
                proc.wait(timeout=wait)
                break
            except subprocess.TimeoutExpired:
                continue
    for pid in lab_processes(proc.pid, runtime) if runtime else []:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


# Servers started by this process, stopped on SIGTERM (what a CI timeout sends):
# without this, pytest would die at once and leave them and their kernels running.
_running: dict[int, tuple[subprocess.Popen, Path]] = {}


def _stop_all_then_die(signum, frame):
    for proc, runtime in list(_running.values()):
        stop(proc, runtime)
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def _die_with_parent() -> None:
    """In the server's process: get SIGTERM when pytest dies, however it dies (Linux)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


@contextlib.contextmanager
def running_lab(base: Path):
    """JupyterLab on a copy of notebooks/ and data/ in ``base``, stopped on leaving."""
    root = base / "course"
    shutil.copytree(
        ROOT / "notebooks", root / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints")
    )
    shutil.copytree(ROOT / "data", root / "data")
    settings = base / "settings"
    for name, value in LAB_SETTINGS.items():
        (settings / name).parent.mkdir(parents=True, exist_ok=True)
        (settings / name).write_text(json.dumps(value))
    env = dict(
        os.environ,
        JUPYTERLAB_SETTINGS_DIR=str(settings),
        JUPYTERLAB_WORKSPACES_DIR=str(base / "workspaces"),
        JUPYTER_RUNTIME_DIR=str(base / "runtime"),
        JUPYTER_CONFIG_DIR=str(base / "config"),
        IPYTHONDIR=str(base / "ipython"),
    )
    # The kernel should be the one a student gets: inline charts, default warnings,
    # and the data folder found next to the notebooks (the copy), not set from outside.
    for name in ("MPLBACKEND", "PYTHONWARNINGS", "USIRAQ_DATA"):
        env.pop(name, None)
    port, token = free_port(), secrets.token_hex(16)
    log = base / "server.log"
    with open(log, "wb") as log_file:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "jupyterlab",
                "--no-browser",
                "--allow-root",
                "--ip",
                "127.0.0.1",
                "--port",
                str(port),
                f"--IdentityProvider.token={token}",
                f"--ServerApp.root_dir={root}",
                "--LabApp.news_url=None",
                "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            ],
            cwd=root,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
    server = Lab(f"http://127.0.0.1:{port}", token, root, log)
    server.pid, server.runtime = proc.pid, base / "runtime"
    _running[proc.pid] = (proc, server.runtime)
    previous = (
        signal.signal(signal.SIGTERM, _stop_all_then_die)
        if threading.current_thread() is threading.main_thread()
        else None
    )
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            if proc.poll() is not None:
                pytest.fail(f"JupyterLab exited with code {proc.returncode}:\n{server.log_tail()}")
            try:
                server.api("/api/status")
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    pytest.fail(
                        f"JupyterLab did not answer within {SERVER_START_TIMEOUT} s:\n{server.log_tail()}"
                    )
                time.sleep(0.25)
        yield server
    finally:
        stop(proc, server.runtime)
        _running.pop(proc.pid, None)
        if previous is not None and not _running:
            signal.signal(signal.SIGTERM, previous)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.skip(
            f"Debian's Chromium is not installed at {CHROMIUM} "
            "(apt-get install chromium); the browser test needs it"
        )
    pytest.importorskip(
        "playwright",
        reason="Playwright is not installed (`make test` installs requirements-test.txt)",
    )
    if not LECTURES:
        pytest.skip("no lecture notebooks yet")
    with running_lab(tmp_path_factory.mktemp("lab")) as server:
        yield server


@pytest.fixture(scope="module")
def browser(lab):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=60_000
        )
        try:
            yield chromium
        finally:
            chromium.close()


def stored_counts(path: Path) -> list[dict]:
    """Per code cell of the stored notebook: its number of chart images and widget views."""
    nb = nbformat.read(path, as_version=4)
    counts = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        data = [o.get("data", {}) for o in cell.outputs]
        counts.append(
            {
                "images": sum("image/png" in d for d in data),
                "widgets": sum(WIDGET_MIME in d for d in data),
            }
        )
    return counts


# Read the page once everything ran: one record per code cell, in order.
READ_CELLS = """
() => [...document.querySelectorAll('.jp-NotebookPanel .jp-Notebook .jp-Cell.jp-CodeCell')].map(cell => {
  const outputs = [...cell.querySelectorAll('.jp-OutputArea-output')];
  // The widget renderer's output node carries no data-mime-type; a widget shown
  // as its text fallback (no widget manager) carries text/plain and is not counted.
  const widgetOutputs = outputs.filter(o => !o.dataset.mimeType || o.dataset.mimeType === '%(widget)s');
  return {
    prompt: (cell.querySelector('.jp-InputArea-prompt') || {}).textContent || '',
    stderr: outputs.filter(o => o.dataset.mimeType === '%(stderr)s').map(o => o.textContent),
    widgetOutputs: widgetOutputs.length,
    widgetViews: widgetOutputs.filter(o => o.querySelector('.jupyter-widgets')).length,
    widgetErrors: outputs.filter(o => /Error displaying widget/.test(o.textContent)).map(o => o.textContent),
    images: outputs.filter(o => o.dataset.mimeType === 'image/png')
                   .map(o => o.querySelector('img')).filter(img => img && img.complete && img.naturalWidth > 0).length,
    // Each verdict line: its text, and whether its icon was drawn (an SVG with a size on screen).
    verdicts: [...cell.querySelectorAll('.jp-OutputArea-output [role="status"]')].map(box => ({
      text: box.textContent,
      icon: [...box.querySelectorAll('svg')].some(svg => {
        const r = svg.getBoundingClientRect(); return r.width > 4 && r.height > 4;
      }),
    })),
  };
})
""" % {"widget": WIDGET_MIME, "stderr": STDERR_MIME}

NO_COUNTS = """
() => [...document.querySelectorAll('.jp-NotebookPanel .jp-Notebook .jp-CodeCell .jp-InputArea-prompt')]
  .every(p => !/\\d/.test(p.textContent))
  && document.querySelectorAll('.jp-NotebookPanel .jp-OutputArea-output').length === 0
"""


def menu(page, title: str, command: str) -> None:
    """Open a menu of the menu bar and click one of its commands once it is enabled."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{title}$")).click()
    page.locator(f".lm-Menu-item[data-command='{command}']:not(.lm-mod-disabled)").click()


# Run-all is over when the kernel is idle and no cell is queued ([*]); every cell
# then shows its execution count, unless one failed and the rest were skipped.
RUN_ALL_OVER = """
() => {
  const status = [...document.querySelectorAll('.jp-StatusBar-Widget')].map(w => w.textContent).join(' ');
  if (!/Idle/.test(status)) return false;
  const prompts = [...document.querySelectorAll('.jp-NotebookPanel .jp-Notebook .jp-CodeCell .jp-InputArea-prompt')]
    .map(p => p.textContent);
  if (prompts.length === 0 || prompts.some(p => p.includes('*'))) return false;
  const failed = [...document.querySelectorAll('.jp-NotebookPanel .jp-OutputArea-output[data-mime-type="%(stderr)s"]')]
    .some(o => /Traceback|Error/.test(o.textContent));
  return failed || prompts.every(p => /\\[\\d+\\]/.test(p));
}
""" % {"stderr": STDERR_MIME}


# Widget views and images appear just after their cell finishes.
SETTLED = """
() => [...document.querySelectorAll('.jp-NotebookPanel .jp-OutputArea-output')].every(o =>
  (o.dataset.mimeType && o.dataset.mimeType !== '%(widget)s')
    ? (o.dataset.mimeType !== 'image/png' || [...o.querySelectorAll('img')].every(img => img.complete))
    : (o.querySelector('.jupyter-widgets') || /Error displaying widget/.test(o.textContent)))
""" % {"widget": WIDGET_MIME}


# Saving is over when the notebook's tab no longer shows unsaved changes.
SAVED = "() => document.querySelectorAll('.lm-TabBar-tab.jp-mod-dirty').length === 0"


def settle(page) -> None:
    """Give late widget views and images a moment; what is still missing then is reported by the asserts."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(SETTLED, timeout=30_000, polling=250)
    except PlaywrightTimeout:
        pass


def screenshot(page, folder: Path, stem: str) -> list[Path]:
    """The whole notebook, top to bottom, as <stem>.png (and <stem>-2.png, ... if it is very long).

    JupyterLab's page never scrolls, its notebook panel does, so a "full page"
    screenshot alone would show one screenful: the window grows until the panel
    shows the whole notebook, up to Chromium's height limit, and a longer
    notebook is taken in several parts.
    """
    panel = "document.querySelector('.jp-NotebookPanel .jp-WindowedPanel-outer')"
    # The content ends at the last cell (the panel adds "scroll past end" space below it).
    content = (
        f"(() => {{ const cells = {panel}.querySelectorAll('.jp-Cell'); "
        f"return cells[cells.length - 1].getBoundingClientRect().bottom "
        f"- {panel}.getBoundingClientRect().top + {panel}.scrollTop + 40; }})()"
    )
    height = page.evaluate(f"() => {content} + window.innerHeight - {panel}.clientHeight")
    page.set_viewport_size(
        {"width": 1280, "height": min(max(int(height) + 100, 900), MAX_SHOT_HEIGHT)}
    )
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob(f"{stem}*.png"):
        if re.fullmatch(rf"{re.escape(stem)}(-\d+|-FAILED)?\.png", old.name):
            old.unlink()
    shots, top = [], 0
    while True:
        page.evaluate(f"top => {{ {panel}.scrollTop = top; }}", top)
        page.wait_for_timeout(
            300
        )  # let the layout settle after resizing or scrolling (not an assertion)
        shots.append(folder / (f"{stem}.png" if not shots else f"{stem}-{len(shots) + 1}.png"))
        page.screenshot(path=str(shots[-1]), full_page=True)
        content_height, client_height = page.evaluate(f"() => [{content}, {panel}.clientHeight]")
        top += client_height
        if top >= content_height or len(shots) >= 10:
            return shots


@pytest.mark.parametrize("path", LECTURES, ids=lambda p: p.name)
def test_notebook_runs_in_jupyterlab(lab, browser, path):
    expected = stored_counts(path)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(OPEN_TIMEOUT)
    try:
        # A workspace of its own, so the previous notebook is not restored beside it.
        workspace = re.sub(r"\W", "-", path.stem)
        page.goto(
            f"{lab.url}/lab/workspaces/{workspace}/tree/notebooks/{path.name}?token={lab.token}"
        )
        page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell")
        page.locator(".jp-StatusBar-Widget", has_text="Idle").first.wait_for()
        page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").first.click()
        # The stored notebook shows outputs and counts already: clear them, so
        # that what is checked below can only come from this run.
        menu(page, "Edit", "editmenu:clear-all")
        page.wait_for_function(NO_COUNTS, polling=250)
        menu(page, "Run", "runmenu:run-all")
        page.wait_for_function(RUN_ALL_OVER, timeout=RUN_TIMEOUT, polling=500)
        settle(page)
        cells = page.evaluate(READ_CELLS)
        screenshot(page, SCREENSHOTS, path.stem)
        # Save, as a student does before handing in: the file must keep when each cell ran.
        menu(page, "File", "docmanager:save")
        page.wait_for_function(SAVED, polling=250)
        saved = nbformat.read(lab.root / "notebooks" / path.name, as_version=4)
    except Exception as error:
        try:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"{path.stem}-FAILED.png"))
        finally:
            raise AssertionError(
                f"{path.name}: {error}\n--- server log ---\n{lab.log_tail()}"
            ) from error
    finally:
        context.close()
        lab.shutdown_kernels()

    for number, cell in enumerate(cells, 1):
        for err in cell["stderr"]:
            assert not re.search(r"Traceback|Error|Warning", err), (
                f"{path.name}, code cell {number} shows an error or warning:\n{err[:1500]}"
            )
    assert len(cells) == len(expected), (
        f"{path.name}: {len(cells)} code cells on the page, {len(expected)} stored"
    )
    counts = [
        int(m.group(1)) if (m := re.search(r"\[(\d+)\]", c["prompt"])) else None for c in cells
    ]
    assert counts == list(range(1, len(cells) + 1)), (
        f"{path.name}: not every cell ran once, in order: {counts}"
    )
    for number, (cell, stored) in enumerate(zip(cells, expected), 1):
        where = f"{path.name}, code cell {number}"
        assert not cell["widgetErrors"], f"{where}: {cell['widgetErrors'][0][:500]}"
        assert cell["widgetOutputs"] >= stored["widgets"], (
            f"{where}: {cell['widgetOutputs']} widget outputs on the page, {stored['widgets']} stored"
        )
        assert cell["widgetViews"] == cell["widgetOutputs"], (
            f"{where}: only {cell['widgetViews']} of {cell['widgetOutputs']} widget outputs rendered a widget"
        )
        assert cell["images"] >= stored["images"], (
            f"{where}: {cell['images']} chart images on the page, {stored['images']} in the stored notebook"
        )
    # Every verdict line says its verdict in words and draws its icon, with no emoji font needed.
    verdicts = [v for cell in cells for v in cell["verdicts"]]
    if path.name.startswith("00_"):
        assert verdicts, f"{path.name}: the check of question 1 shows no verdict line"
    for shown in verdicts:
        assert shown["icon"], f"{path.name}: a verdict's icon was not drawn: {shown['text'][:80]}"
        assert not EMOJI.search(shown["text"]), f"{path.name}: an emoji in {shown['text'][:80]}"
        assert any(word.casefold() in shown["text"].casefold() for word in verdict.WORDS.values())
    # JupyterLab's recordTiming default (usiraq.labsettings, set by `make setup` and postBuild) reached
    # this JupyterLab: every code cell of the saved file has its run times, in the order Run All ran them.
    code = [c for c in saved.cells if c.cell_type == "code"]
    untimed = [
        n
        for n, c in enumerate(code, 1)
        if not {"iopub.execute_input", "shell.execute_reply"}
        <= set(c.metadata.get("execution", {}))
    ]
    assert not untimed, (
        f"{path.name}: code cells {untimed} were saved without run times; is recordTiming set "
        f"in {labsettings.overrides_path()}? (run `make setup` or python -m usiraq.labsettings)"
    )
    finished = [timing.run_time(c) for c in code]
    assert None not in finished and finished == sorted(finished), (
        f"{path.name}: run times unreadable or out of order"
    )


def lab_processes(lab_pid: int, runtime: Path) -> list[int]:
    """The server and its kernels still alive: the server's pid, and every process
    whose command line names a file in the server's runtime folder (its kernels')."""
    alive = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = next(
                (
                    line.split()[1]
                    for line in (entry / "status").read_text().splitlines()
                    if line.startswith("State:")
                ),
                "",
            )
        except OSError:
            continue
        if state != "Z" and (int(entry.name) == lab_pid or str(runtime) in cmdline):
            alive.append(int(entry.name))
    return alive


# A test that holds a JupyterLab with a running kernel until it is stopped.
HOLDING_TEST = """
import json, sys, time
sys.path.insert(0, {tests!r})
from test_browser import running_lab


def test_hold(tmp_path):
    with running_lab(tmp_path) as lab:
        kernel = lab.api("/api/kernels", method="POST")
        with open({ready!r}, "w") as ready:
            json.dump({{"server": lab.pid, "runtime": str(lab.runtime), "kernel": kernel["id"]}}, ready)
        time.sleep(600)
"""


def test_sigterm_to_pytest_stops_jupyterlab_and_its_kernels(tmp_path):
    """A CI timeout sends SIGTERM: the server and its kernels must not outlive the test run."""
    ready = tmp_path / "ready.json"
    (tmp_path / "test_holding.py").write_text(
        HOLDING_TEST.format(tests=str(Path(__file__).parent), ready=str(ready))
    )
    run = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:xdist",
            "test_holding.py",
        ],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    held = []
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT + 60
        while not ready.exists():
            assert run.poll() is None, (
                f"the holding test ended early:\n{run.stdout.read().decode()[-3000:]}"
            )
            assert time.monotonic() < deadline, "JupyterLab did not start in the holding test"
            time.sleep(0.2)
        time.sleep(0.2)  # the file is written in one go; let it be closed
        info = json.loads(ready.read_text())
        runtime = Path(info["runtime"])
        deadline = time.monotonic() + 60
        while (
            len(held := lab_processes(info["server"], runtime)) < 2 and time.monotonic() < deadline
        ):
            time.sleep(0.2)  # the kernel process is being started
        assert len(held) >= 2, f"expected the server and a kernel to be running, found {held}"

        run.send_signal(signal.SIGTERM)
        run.wait(timeout=60)
        deadline = time.monotonic() + 30
        while (left := lab_processes(info["server"], runtime)) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not left, f"still running after SIGTERM to pytest: {left} (server {info['server']})"
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
        run.stdout.close()
        for pid in held:  # whatever is left, so that a failure here leaves nothing behind
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
