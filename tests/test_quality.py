"""The project's own gates, run by the test command: ruff check, ruff format --check,
mypy (strict) and the import contracts (import-linter), as configured in pyproject.toml.
They run at once (separate processes), on this working tree."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GATES = {
    "ruff check": [sys.executable, "-m", "ruff", "check", "--no-cache", "."],
    "ruff format --check": [sys.executable, "-m", "ruff", "format", "--check", "--no-cache", "."],
    "mypy --strict": [sys.executable, "-m", "mypy"],  # files and strictness from pyproject.toml
    "lint-imports": [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command as main; sys.exit(main())"],
}
# The working tree's package, not an installed copy, is what the import contracts read.
_HERE = {**os.environ, "PYTHONPATH": str(ROOT)}

# Strongly connected components of the import graph with more than one module: a circle.
_CIRCLES = """
import sys, grimp
graph = grimp.build_graph("closeapp_lint")
index, low, stack, on, circles = {}, {}, [], set(), []
def visit(module):
    index[module] = low[module] = len(index)
    stack.append(module)
    on.add(module)
    for other in graph.find_modules_directly_imported_by(module):
        if other not in index:
            visit(other)
            low[module] = min(low[module], low[other])
        elif other in on:
            low[module] = min(low[module], index[other])
    if low[module] == index[module]:
        part = []
        while True:
            other = stack.pop()
            on.discard(other)
            part.append(other)
            if other == module:
                break
        if len(part) > 1:
            circles.append(sorted(part))
for module in sorted(graph.modules):
    if module not in index:
        visit(module)
print(circles)
sys.exit(1 if circles else 0)
"""


@pytest.mark.slow
def test_ruff_and_mypy_pass() -> None:
    started = {
        name: subprocess.Popen(command, cwd=ROOT, env=_HERE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for name, command in GATES.items()
    }
    failures = []
    for name, process in started.items():
        output, _ = process.communicate(timeout=600)
        if process.returncode != 0:
            failures.append(f"{name} (exit {process.returncode}):\n{output[-4000:]}")
    assert not failures, "\n\n".join(failures)


def test_no_import_circles() -> None:
    """No module reaches itself through imports (annotation-only ones included): the
    layers contract checks the listed layers, this checks every module."""
    done = subprocess.run([sys.executable, "-c", _CIRCLES], check=False, cwd=ROOT, env=_HERE, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() == "[]"
