"""Binder as it really builds: repo2docker's base, then environment.yml, then postBuild (tools/binder_check.py)."""

import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import binder_check  # noqa: E402


@pytest.mark.slow
def test_binder_build_is_consistent_and_serves_lab_and_tree(tmp_path):
    """`make binder-check` as a test: a throwaway venv, built and checked as Binder builds it."""
    start = time.monotonic()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    bin_dir, repo = binder_check.build(tmp_path)
    binder_check.check(bin_dir, repo, elsewhere)
    print(f"Binder build and checks: {time.monotonic() - start:.0f} s")


def test_base_list_names_its_origin_and_holds_binders_jupyter():
    text = binder_check.BASE.read_text(encoding="utf-8")
    assert "jupyterhub/repo2docker" in text and "environment.py-3.11-linux-64.lock" in text
    pins = dict(line.split("==") for line in text.splitlines() if line and not line.startswith("#"))
    assert pins["jupyterlab"] == "4.4.9" and pins["notebook"] == "7.4.7"
    assert "jupyter-offlinenotebook" in pins and "jupyterhub" in pins


def test_extension_listing_failures_are_caught():
    ok = """Config dir: /etc/jupyter
    jupyter_lsp enabled
    - Validating jupyter_lsp...
      jupyter_lsp 2.3.0 OK
    notebook enabled
    - Validating notebook...
      notebook 7.6.5 OK"""
    assert binder_check.failed_extensions(ok) == []
    broken = (
        ok
        + "\n    jupyter_resource_usage enabled\n    - Validating jupyter_resource_usage...\n      X is jupyter_resource_usage importable?"
    )
    assert binder_check.failed_extensions(broken) == ["X is jupyter_resource_usage importable?"]
