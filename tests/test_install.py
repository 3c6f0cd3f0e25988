"""A plain ``pip install .`` into a fresh virtual environment finds the bundled schema."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import EXAMPLES, ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    venv = tmp_path_factory.mktemp("fresh") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    pip = subprocess.run([str(bindir / "python"), "-m", "pip", "install", "--quiet", str(ROOT)], capture_output=True, text=True, check=False)
    assert pip.returncode == 0, pip.stderr[-2000:]
    return bindir


def test_schema_ships_inside_the_wheel(installed: Path, tmp_path: Path) -> None:
    where = subprocess.run(
        [str(installed / "python"), "-c", "from closeapp_lint.judge.schema import schema_path; print(schema_path())"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert "site-packages" in where and Path(where).name == "closeapp.schema.json"
    out = subprocess.run([str(installed / "closeapp-lint"), "schema"], cwd=tmp_path, capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == json.loads((ROOT / "schemas" / "closeapp.schema.json").read_text())


def test_installed_console_script_lints(installed: Path, tmp_path: Path) -> None:
    good = subprocess.run([str(installed / "closeapp-lint"), str(EXAMPLES / "public.closeapp.yaml")], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "ready to publish" in good.stdout
    bad = subprocess.run(
        [str(installed / "closeapp-lint"), str(EXAMPLES / "failing" / "CA201.closeapp.yaml")], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert bad.returncode == 1 and "CA201" in bad.stdout
