"""Fixtures for tests/.  The suite's environment and the notebook kernels' set-up
are in the repository's root conftest.py, which also applies to the notebooks."""

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A private copy of data/, in use through USIRAQ_DATA, for tests that break files."""
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    monkeypatch.setenv("USIRAQ_DATA", str(copy))
    return copy
