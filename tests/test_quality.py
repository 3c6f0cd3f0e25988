"""The project's own gates, run by the test command: ruff check, ruff format --check and
mypy (strict), as configured in pyproject.toml. The three run at once (separate processes)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GATES = {
    "ruff check": [sys.executable, "-m", "ruff", "check", "--no-cache", "."],
    "ruff format --check": [sys.executable, "-m", "ruff", "format", "--check", "--no-cache", "."],
    "mypy --strict": [sys.executable, "-m", "mypy"],  # files and strictness from pyproject.toml
}


@pytest.mark.slow
def test_ruff_and_mypy_pass() -> None:
    started = {name: subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for name, command in GATES.items()}
    failures = []
    for name, process in started.items():
        output, _ = process.communicate(timeout=600)
        if process.returncode != 0:
            failures.append(f"{name} (exit {process.returncode}):\n{output[-4000:]}")
    assert not failures, "\n\n".join(failures)
