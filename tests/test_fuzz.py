"""Crashes the fuzzer found, replayed forever; and a short smoke run of the harness."""

from __future__ import annotations

import platform
import subprocess
import sys
from pathlib import Path

import pytest

from closeapp_lint.core.model import RunReport
from closeapp_lint.judge.engine import lint
from closeapp_lint.reporters import FORMATS, Options, render

from .conftest import DATA, ROOT
from .hostile_shapes import shapes

REGRESSIONS = sorted((DATA / "fuzz-regressions").iterdir())


@pytest.mark.parametrize("path", REGRESSIONS, ids=lambda p: p.name)
def test_fuzz_regression(path: Path) -> None:
    report = lint(path.read_bytes(), "closeapp.yaml")
    assert report.findings
    for fmt in FORMATS:
        render(fmt, RunReport((report,), "1"), Options(checklist=True))


def test_explicit_bool_tag_on_non_boolean() -> None:
    report = lint(b"name: !!bool fals b\n", "closeapp.yaml")
    assert [(f.code, f.message) for f in report.findings] == [("CA001", "'fals b' cannot be read as !!bool")]


@pytest.mark.slow
@pytest.mark.skipif(not (sys.platform.startswith("linux") and platform.machine() == "x86_64"), reason="atheris ships wheels for Linux x86-64 only")
@pytest.mark.parametrize("target", ["lint", "loader"])
def test_fuzz_harness_smoke(tmp_path: Path, target: str) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in shapes(scale=0.001).items():  # the round-3 hostile shapes, small
        (corpus / f"{name}.closeapp.yaml").write_text(text, encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "fuzz" / "fuzz_lint.py"),
            target,
            "-runs=3000",
            "-timeout=10",
            "-rss_limit_mb=2048",
            f"-artifact_prefix={tmp_path}/",
            str(corpus),
            str(ROOT / "examples" / "failing"),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Done 3000 runs" in done.stderr
    assert not list(tmp_path.glob("crash-*"))
