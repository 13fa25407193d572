"""Build the module's environment the way Binder does, in a throwaway venv, and check it (`make binder-check`).

repo2docker (github.com/jupyterhub/repo2docker, see tests/repo2docker-py311-base.txt for the commit)
builds a Binder image in three steps, repeated here with pip:
  1. its base environment for Python 3.11, installed by conda: here `uv pip install --no-deps` of the
     same packages at the same versions (conda installs exactly what its lock lists; which installer
     lays down the base does not matter, and uv does it in a fraction of pip's time);
  2. `mamba env update --file environment.yml`, whose pip: list mamba runs as
     `python -m pip install -U -r <file> --no-input`;
  3. ./postBuild, run from the copy of the repository.
Then it fails on: any conflict `pip check` reports; a Jupyter server extension or the save buttons'
JupyterLab extension that does not load; `import usiraq` failing from a folder outside the
repository; JupyterLab's overrides.json not setting recordTiming (usiraq.labsettings); JupyterLab not
answering /lab or /tree (Notebook 7's page, which Binder's base has).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "tests" / "repo2docker-py311-base.txt"
sys.path.insert(0, str(ROOT / "tools"))
from pins import pip_pins  # noqa: E402

COPY_IGNORE = shutil.ignore_patterns(
    ".venv",
    ".git",
    "_site",
    "artifacts",
    "__pycache__",
    "*.egg-info",
    ".ipynb_checkpoints",
    ".pytest_cache",
)


def clean_env(**extra: str) -> dict:
    """This process's environment as Binder would have it: without the warnings-as-errors the test suite sets."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONWARNINGS"}
    env.update(extra)
    return env


class BinderCheckError(AssertionError):
    """One check failed; the message says which and shows the tool's own output."""


def run(cmd: list[str], *, cwd: Path, env: dict | None = None, timeout: int = 900) -> str:
    """Run a build step; on failure raise with its output, so the log shows why."""
    print("$", " ".join(str(c) for c in cmd), flush=True)
    done = subprocess.run(
        [str(c) for c in cmd],
        cwd=cwd,
        env=env or clean_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        raise BinderCheckError(
            f"{' '.join(map(str, cmd))} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
        )
    return done.stdout + done.stderr


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def lab_answers(
    jupyter: Path,
    root_dir: Path,
    paths: list[str],
    *,
    args: tuple = (),
    timeout: float = 90,
    set_root: bool = True,
) -> dict:
    """Start `jupyter lab [args]` in ``root_dir`` on 127.0.0.1 for a moment; the HTTP status of each
    path, and the log.  With ``set_root=False`` the server's root is what ``args`` make it, as for a
    user who types the command there.

    The server runs in its own process group with private settings, runtime and config folders, and is
    stopped (then killed if need be) on every path out of this function. Its log is attached to any error.
    """
    port, token = free_port(), "binder-check"
    scratch = Path(tempfile.mkdtemp(prefix="lab-"))
    env = clean_env(
        JUPYTERLAB_SETTINGS_DIR=str(scratch / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(scratch / "workspaces"),
        JUPYTER_RUNTIME_DIR=str(scratch / "runtime"),
        JUPYTER_CONFIG_DIR=str(scratch / "config"),
    )
    cmd = [
        str(jupyter),
        "lab",
        *args,
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        f"--IdentityProvider.token={token}",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if set_root:
        cmd.append(f"--ServerApp.root_dir={root_dir}")
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    log_path = scratch / "server.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            cmd, cwd=root_dir, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise BinderCheckError(
                    f"jupyter lab exited ({proc.returncode}):\n{log_path.read_text()}"
                )
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=5):
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
                if time.monotonic() > deadline:
                    raise BinderCheckError(
                        f"jupyter lab did not answer in {timeout} s:\n{log_path.read_text()}"
                    ) from error
                time.sleep(0.5)
        statuses = {}
        for path in paths:
            try:
                with urllib.request.urlopen(f"{base}{path}?token={token}", timeout=30) as response:
                    statuses[path] = response.status
            except urllib.error.HTTPError as error:
                statuses[path] = error.code
        statuses["log"] = log_path.read_text()
        return statuses
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=15)
        shutil.rmtree(scratch, ignore_errors=True)


def failed_extensions(listing: str) -> list[str]:
    """Lines of `jupyter server/labextension list` that report an extension not loading."""
    return [
        line.strip()
        for line in listing.splitlines()
        if re.search(r"\bX\b|fail|error|not found|cannot|could not", line, re.I)
    ]


def build(workdir: Path) -> tuple[Path, Path]:
    """The three steps of a Binder build: base, environment.yml's pip: list, postBuild. Returns (bin, repo)."""
    repo = workdir / "repo"
    shutil.copytree(ROOT, repo, ignore=COPY_IGNORE)
    venv = workdir / "venv"
    run([sys.executable, "-m", "venv", venv], cwd=workdir)
    py = venv / "bin" / "python"
    uv = Path(sys.executable).with_name("uv")  # from the test tools (requirements-test.txt)
    run([uv, "pip", "install", "--quiet", "--no-deps", "--python", py, "-r", BASE], cwd=workdir)
    pins = (
        workdir / "environment-pip.txt"
    )  # mamba writes the pip: list to a file beside environment.yml
    pins.write_text(
        "\n".join(pip_pins((repo / "environment.yml").read_text(encoding="utf-8"))) + "\n"
    )
    run([py, "-m", "pip", "install", "--quiet", "-U", "-r", pins, "--no-input"], cwd=repo)
    env = clean_env(PATH=f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}")
    run(["bash", "./postBuild"], cwd=repo, env=env)
    return venv / "bin", repo


def check(bin_dir: Path, repo: Path, elsewhere: Path) -> None:
    """Every check of the built environment; raise BinderCheckError on the first failure."""
    py = bin_dir / "python"
    try:
        run([py, "-m", "pip", "check"], cwd=elsewhere)
    except BinderCheckError as error:
        raise BinderCheckError(
            f"pip check finds conflicts in the Binder environment:\n{error}"
        ) from None
    servers = run([bin_dir / "jupyter", "server", "extension", "list"], cwd=elsewhere)
    labs = run([bin_dir / "jupyter", "labextension", "list"], cwd=elsewhere)
    bad = failed_extensions(servers) + failed_extensions(labs)
    if bad:
        raise BinderCheckError(
            "extensions that do not load:\n" + "\n".join(bad) + f"\n\n{servers}\n{labs}"
        )
    if (
        "jupyter-offlinenotebook" not in labs
        or "jupyterlab" not in servers
        or "notebook" not in servers
    ):
        raise BinderCheckError(f"an expected extension is missing:\n{servers}\n{labs}")
    where = run(
        [py, "-c", "import usiraq, usiraq.data, jupyterhub.singleuser; print(usiraq.__file__)"],
        cwd=elsewhere,
    )
    if str(repo) not in where:
        raise BinderCheckError(
            f"usiraq imported from {where.strip()}, not from the built copy {repo}"
        )
    overrides = run(
        [
            py,
            "-c",
            "from usiraq.labsettings import overrides_path; print(overrides_path().read_text())",
        ],
        cwd=elsewhere,
    )
    if not re.search(r'"recordTiming": true', overrides):
        raise BinderCheckError(
            f"postBuild did not set JupyterLab's recordTiming default:\n{overrides}"
        )
    answers = lab_answers(
        bin_dir / "jupyter", repo, ["/lab", "/tree", "/lab/tree/notebooks/00_start_here.ipynb"]
    )
    log = answers.pop("log")
    if any(code != 200 for code in answers.values()):
        raise BinderCheckError(f"JupyterLab answered {answers}:\n{log}")
    if re.search(r"extension .*fail|failed to load|Traceback", log, re.I):
        raise BinderCheckError(f"the server logged a failure at start:\n{log}")


def main() -> None:
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="binder-check-") as tmp:
        workdir = Path(tmp)
        elsewhere = workdir / "elsewhere"
        elsewhere.mkdir()
        bin_dir, repo = build(workdir)
        check(bin_dir, repo, elsewhere)
    print(
        f"binder-check passed in {time.monotonic() - start:.0f} s: pip check clean, extensions load, "
        "usiraq imports from another folder, cell timing is recorded, /lab and /tree answer"
    )


if __name__ == "__main__":
    try:
        main()
    except BinderCheckError as error:
        sys.exit(f"binder-check FAILED: {error}")
