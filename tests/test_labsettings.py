"""JupyterLab's default for recording cell times is merged into overrides.json (usiraq.labsettings)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from usiraq import labsettings

KEY = labsettings.PLUGIN


def test_creates_the_file_and_its_folders(tmp_path):
    path = tmp_path / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert labsettings.write(path) is True
    assert json.loads(path.read_text()) == {KEY: {"recordTiming": True}}


def test_merge_keeps_every_other_setting(tmp_path):
    path = tmp_path / "overrides.json"
    theirs = {
        "@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"},
        KEY: {"windowingMode": "none", "recordTiming": False},
    }
    path.write_text(json.dumps(theirs))
    labsettings.write(path)
    assert json.loads(path.read_text()) == {
        "@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"},
        KEY: {"windowingMode": "none", "recordTiming": True},
    }


def test_a_second_run_changes_nothing(tmp_path):
    path = tmp_path / "overrides.json"
    path.write_text(json.dumps({"a:b": {"c": 1}}))
    assert labsettings.write(path) is True
    text = path.read_text()
    assert labsettings.write(path) is False and path.read_text() == text


def test_a_file_that_is_not_json_is_left_as_it_is(tmp_path):
    path = tmp_path / "overrides.json"
    path.write_text("{not json")
    with pytest.raises(SystemExit, match="not valid JSON"):
        labsettings.write(path)
    assert path.read_text() == "{not json"


def test_the_environment_has_the_setting_in_the_file_jupyterlab_reads():
    """`make setup` ran the module: this environment's JupyterLab records cell times."""
    from jupyterlab.commands import get_app_dir
    from jupyterlab_server.settings_utils import (
        _get_overrides,  # the function the settings API uses
    )

    folder = labsettings.overrides_path().parent
    assert folder == Path(get_app_dir()).resolve() / "settings"  # where this JupyterLab looks
    overrides, error = _get_overrides(str(folder))
    assert not error and overrides[KEY]["recordTiming"] is True, (
        "run `make setup` (or python -m usiraq.labsettings)"
    )


def test_the_command_line_names_the_file(tmp_path):
    path = tmp_path / "overrides.json"
    done = subprocess.run(
        [sys.executable, "-m", "usiraq.labsettings", str(path)], capture_output=True, text=True
    )
    assert done.returncode == 0 and str(path) in done.stdout and path.exists()
