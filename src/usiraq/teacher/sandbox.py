"""Each submission sealed off: its kernel sees only what a student's notebook needs.

With Debian's ``bubblewrap`` (``bwrap``), every kernel the grader starts runs
in a sandbox of its own:

- the system, the Python environment, the student edition of the helper
  package and the data are there read-only;
- the submission's scratch folder (its working folder, the data copy it may
  change, the file its answers are recorded in, its home and temporary
  folder) is the only place it can write: everything else is read-only;
- nothing else of the machine exists for it: no other submission, no teacher's
  repository (so no answers, no solutions), no output folder, no home folder;
- it has no network at all (a network namespace of its own), and talks to the
  grader over sockets in a folder, not over TCP.

Where ``bwrap`` is missing or cannot run (no user namespaces), the grader says
so once, loudly, and runs the kernels as before: they are then only as
contained as the user who grades (the teacher's guide says what that means).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

BWRAP = "bwrap"
KERNEL = "usiraq-sandbox"
WARNING = (
    "WARNING: no sandbox (bubblewrap is missing or cannot run here). Student code runs with your "
    "rights and can read any file you can. Install bubblewrap (apt-get install bubblewrap) or grade "
    "untrusted work in a container; see the teacher's guide, 'A graded week'."
)


def available() -> bool:
    """Whether bubblewrap is installed and can make a sandbox here."""
    if shutil.which(BWRAP) is None:
        return False
    try:
        probe = subprocess.run(
            [BWRAP, "--ro-bind", "/", "/", "--unshare-net", "--unshare-ipc", "true"],
            capture_output=True,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0


def readable_system() -> list[str]:
    """What every kernel may read: the system's programs and libraries, and this Python."""
    paths = ["/usr", "/etc"]
    for path in {sys.prefix, sys.base_prefix, str(Path(sys.executable).resolve().parent.parent)}:
        if not any(Path(path).is_relative_to(p) for p in paths):
            paths.append(path)
    return paths


def kernel_spec(folder: Path, readable: list[Path], writable: list[Path]) -> Path:
    """Write a kernel spec into ``folder/kernels`` whose kernel runs inside a sandbox; return ``folder``.

    ``readable`` are bound read-only, ``writable`` read-write, at the same paths.
    """
    argv = [BWRAP, "--die-with-parent", "--unshare-net", "--unshare-ipc", "--unshare-uts",
            "--unshare-cgroup-try", "--tmpfs", "/tmp", "--proc", "/proc", "--dev", "/dev"]  # fmt: skip
    for path in readable_system():
        argv += ["--ro-bind", path, path]
    for link in ("lib", "lib64", "bin", "sbin"):
        if Path("/usr", link).exists() and Path("/", link).is_symlink():
            argv += ["--symlink", f"usr/{link}", f"/{link}"]
    for path in readable:
        argv += ["--ro-bind", str(path), str(path)]
    for path in writable:
        argv += ["--bind", str(path), str(path)]
    home = writable[0] / "home"
    home.mkdir(parents=True, exist_ok=True)
    argv += ["--remount-ro", "/tmp"]  # the folders made to hold the binds are no place to write
    for name in ("HOME", "MPLCONFIGDIR", "TMPDIR"):
        argv += ["--setenv", name, str(home)]
    argv += [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    spec = folder / "kernels" / KERNEL
    spec.mkdir(parents=True, exist_ok=True)
    (spec / "kernel.json").write_text(
        # interrupts go as messages: a signal would reach bubblewrap, not the kernel inside it
        json.dumps(
            {
                "argv": argv,
                "display_name": "Python 3 (sandbox)",
                "language": "python",
                "interrupt_mode": "message",
            }
        ),  # fmt: skip
        encoding="utf-8",
    )
    return folder
