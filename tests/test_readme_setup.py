"""The README's plain set-up commands (no make), run exactly as written in a fresh copy of the repository."""

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import binder_check  # noqa: E402


def readme_block(label: str, fence: str) -> list[str]:
    """The command lines of the README code block that follows the bold `label`."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(rf"\*\*{re.escape(label)}\*\*[^\n]*\n\n```{fence}\n(.*?)\n```", readme, re.S)
    assert match, f"README has no {fence} block after **{label}**"
    return match.group(1).splitlines()


def test_windows_commands_are_the_posix_ones_with_windows_paths():
    posix = readme_block("macOS and Linux", "bash")
    windows = readme_block("Windows", "powershell")
    assert windows[0] == "py -3.11 -m venv .venv" and posix[0] == "python3 -m venv .venv"
    assert [
        line.replace("\\", "/").replace(".venv/Scripts/", ".venv/bin/") for line in windows[1:]
    ] == posix[1:]


@pytest.mark.slow
def test_readme_commands_set_up_the_module_and_open_the_lab(tmp_path):
    """Every macOS/Linux line but the last runs as written; the last (`jupyter lab ...`) is started with
    server options added (no browser, 127.0.0.1, a token) and must serve the lab, notebook 00 and the
    folders it links to (a lab rooted in notebooks/ could not open the exercises)."""
    *setup, lab = readme_block("macOS and Linux", "bash")
    copy = tmp_path / "module"
    shutil.copytree(ROOT, copy, ignore=binder_check.COPY_IGNORE)
    for line in setup:
        done = subprocess.run(
            line,
            shell=True,
            cwd=copy,
            capture_output=True,
            text=True,
            timeout=900,
            env=binder_check.clean_env(),
        )
        assert done.returncode == 0, f"README line failed: {line}\n{done.stdout}\n{done.stderr}"
    version = subprocess.run(
        [
            copy / ".venv/bin/python",
            "-c",
            "import sys, usiraq; print(sys.version_info[:2] >= (3, 11), usiraq.__file__)",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
    ).stdout
    assert version.startswith("True") and str(copy) in version
    jupyter, subcommand, *args = shlex.split(lab)
    assert (jupyter, subcommand) == (".venv/bin/jupyter", "lab")
    answers = binder_check.lab_answers(
        copy / jupyter,
        copy,
        [
            "/lab",
            "/lab/tree/notebooks/00_start_here.ipynb",
            "/api/contents/notebooks/00_start_here.ipynb",
            "/api/contents/exercises/01_emergence.ipynb",  # notebook 00 links to ../exercises/
            "/api/contents/data/README.md",  # and to ../data/README.md
        ],
        args=args,
        set_root=False,  # the README's own command decides what the lab can reach
    )
    log = answers.pop("log")
    assert set(answers.values()) == {200}, f"{answers}\n{log}"
