"""Shared test set-up.

Kernels started by nbval inherit this process's environment: turning
deprecation warnings into errors there makes a notebook that triggers one fail
its run, instead of printing a warning nobody reads.
"""
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"

os.environ["PYTHONWARNINGS"] = "error::DeprecationWarning,error::FutureWarning,error::PendingDeprecationWarning"
os.environ["MPLBACKEND"] = "Agg"


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A private copy of data/, in use through USIRAQ_DATA, for tests that break files."""
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    monkeypatch.setenv("USIRAQ_DATA", str(copy))
    return copy
