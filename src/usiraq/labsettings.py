"""JupyterLab defaults for the module's users: ``python -m usiraq.labsettings``.

One default is set: the notebook tracker's ``recordTiming``.  With it,
JupyterLab writes the times of each code cell's run into the cell's metadata
(``metadata.execution``: ``iopub.execute_input``, ``shell.execute_reply``, ...),
which the student's saved notebook keeps and the grader turns into measured
minutes per exercise (``usiraq.teacher.timing``).

The default goes into the environment's ``overrides.json``
(``{sys.prefix}/share/jupyter/lab/settings/overrides.json``, or under
``JUPYTERLAB_DIR`` when that is set),
which jupyterlab_server reads as the defaults of every user of that
environment; a user's own settings still win.  The key is merged into what the
file holds: any other setting in it is kept, and running this twice changes
nothing.  A file that is not JSON is left as it is, with an error naming it.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

PLUGIN = "@jupyterlab/notebook-extension:tracker"
DEFAULTS = {PLUGIN: {"recordTiming": True}}


def overrides_path() -> Path:
    """Where JupyterLab installed in this environment reads its default overrides.

    The same rule as ``jupyterlab.commands.get_app_dir`` for an environment
    (a venv, Binder's conda environment, a hub's user environment), written
    out so that the package does not need JupyterLab to import.  A JupyterLab
    installed elsewhere (``pip install --user``) reads another folder: pass
    its file on the command line.
    """
    app_dir = os.environ.get("JUPYTERLAB_DIR") or Path(sys.prefix) / "share" / "jupyter" / "lab"
    return Path(app_dir).resolve() / "settings" / "overrides.json"


def merged(current: dict, defaults: dict = DEFAULTS) -> dict:
    """``current`` with every plugin key of ``defaults`` set, other keys and plugins kept."""
    out = {
        plugin: dict(keys) if isinstance(keys, dict) else keys for plugin, keys in current.items()
    }
    for plugin, keys in defaults.items():
        if not isinstance(out.get(plugin), dict):
            out[plugin] = {}
        out[plugin].update(keys)
    return out


def write(path: Path, defaults: dict = DEFAULTS) -> bool:
    """Merge ``defaults`` into the overrides file at ``path`` (created if missing); True if it changed."""
    current = {}
    if path.exists():
        try:
            current = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as err:
            raise SystemExit(
                f"error: {path} is not valid JSON ({err}); it was left as it is"
            ) from None
        if not isinstance(current, dict):
            raise SystemExit(f"error: {path} does not hold a JSON object; it was left as it is")
    new = merged(current, defaults)
    if path.exists() and new == current:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(new, indent=2) + "\n", encoding="utf-8")
    return True


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else overrides_path()
    changed = write(path)
    print(f"{'wrote' if changed else 'already set in'} {path}: {PLUGIN} recordTiming = true")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
