"""One environment: what .venv has is what environment.yml declares, and Binder reads it as is."""
import importlib.metadata as md
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from pins import pip_pins  # noqa: E402


def declared():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    return env, dict(line.split("==") for line in pip_section)


def test_environment_declares_python_311_and_exact_pins():
    env, pins = declared()
    assert "python=3.11" in env["dependencies"]
    assert {"jupyterlab", "pandas", "matplotlib", "ipywidgets", "nbval", "pytest"} <= set(pins)
    assert all(re.fullmatch(r"[\w.]+", v) for v in pins.values())


def test_installed_versions_are_the_declared_ones():
    _, pins = declared()
    for name, version in pins.items():
        assert md.version(name) == version, f"{name}: installed {md.version(name)}, environment.yml pins {version}"


def test_the_local_install_reads_the_same_pins_as_binder():
    _, pins = declared()
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    assert dict(p.split("==") for p in pip_pins(text)) == pins


def test_running_python_is_311():
    assert sys.version_info[:2] == (3, 11)


def test_no_binder_folder_hides_the_root_files():
    assert not (ROOT / "binder").exists() and not (ROOT / ".binder").exists()


def test_binder_installs_the_helper_package():
    post_build = (ROOT / "postBuild").read_text(encoding="utf-8")
    assert "pip install --no-deps -e ." in post_build
    assert (ROOT / "postBuild").stat().st_mode & 0o111, "postBuild must be executable"


@pytest.mark.parametrize("requirements", ["requirements-test.txt", "requirements-docs.txt"])
def test_test_tools_are_pinned_and_kept_out_of_the_binder_environment(requirements):
    _, pins = declared()
    lines = [l for l in (ROOT / requirements).read_text().splitlines() if l and not l.startswith("#")]
    assert all("==" in l for l in lines)
    test_tools = {canonicalize_name(l.split("==")[0]) for l in lines}
    assert not test_tools & {canonicalize_name(p) for p in pins}


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make test" in readme and "make lab" in readme
    assert re.search(r"^timeout \d+ make test$", (ROOT / ".ci" / "run").read_text(), re.M)


def test_pins_tool_prints_a_requirements_list():
    out = subprocess.run([sys.executable, str(ROOT / "tools" / "pins.py"), str(ROOT / "environment.yml")],
                         capture_output=True, text=True, check=True).stdout.split()
    _, pins = declared()
    assert out == [f"{k}=={v}" for k, v in pins.items()]


def test_data_dictionary_is_up_to_date():
    out = subprocess.run([sys.executable, str(ROOT / "tools" / "data_dictionary.py")],
                         capture_output=True, text=True, check=True).stdout
    assert out == (ROOT / "data" / "README.md").read_text(encoding="utf-8"), "run `make dictionary`"
