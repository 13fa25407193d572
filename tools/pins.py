"""Print the pip pins of environment.yml as a requirements list.

environment.yml is the one list of pins.  Binder reads it directly; on a laptop
or in CI, conda's channels cannot be reached, so `make setup` installs the same
pins with pip.  This reads only the file's `pip:` list, so it needs nothing but
the standard library (PyYAML is not installed yet when it runs).
"""
import re
import sys
from pathlib import Path

PIN = re.compile(r"^\s+-\s+([A-Za-z0-9_.\-\[\]]+==[A-Za-z0-9_.\-+]+)\s*(#.*)?$")


def pip_pins(text: str) -> list[str]:
    """The `name==version` lines under `- pip:`, in file order."""
    pins, in_pip = [], False
    for line in text.splitlines():
        if re.match(r"^\s+-\s+pip:\s*$", line):
            in_pip = True
            continue
        if in_pip:
            match = PIN.match(line)
            if match:
                pins.append(match.group(1))
            elif line.strip() and not line.strip().startswith("#"):
                in_pip = False
    return pins


if __name__ == "__main__":
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "environment.yml")
    pins = pip_pins(path.read_text(encoding="utf-8"))
    if not pins:
        sys.exit(f"{path}: no pinned packages found under 'pip:'")
    print("\n".join(pins))
