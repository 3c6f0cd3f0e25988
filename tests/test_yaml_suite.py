"""The 402 inputs of the official YAML test suite, linted as manifests (SPEC §9).

Every input gets its own entry with findings; an input libyaml rejects gets a
parse-level code (CA001/CA004/CA005); where libyaml parses, no parse error is invented.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from closeapp_lint.commands.cli import main
from closeapp_lint.core.model import RunReport
from closeapp_lint.judge.engine import lint
from closeapp_lint.reporters import FORMATS, render

from .conftest import DATA

SUITE = DATA / "yaml-test-suite" / "cases"
CASES = sorted(SUITE.glob("*.yaml"))
PARSE_LEVEL = {"CA001", "CA004", "CA005"}


def libyaml_verdict(raw: bytes) -> str | None:
    """What the C loader itself says: None when it composes every document."""
    try:
        list(yaml.compose_all(raw, Loader=yaml.CSafeLoader))
    except yaml.YAMLError as exc:
        return type(exc).__name__
    return None


def test_the_suite_is_all_here() -> None:
    assert len(CASES) == 402
    index = json.loads((DATA / "yaml-test-suite" / "index.json").read_text())
    assert {p.stem for p in CASES} == set(index)


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_suite_input(path: Path) -> None:
    raw = path.read_bytes()
    report = lint(raw, path.name)
    codes = {f.code for f in report.findings}
    assert codes, "every input must end in findings"
    rejected = libyaml_verdict(raw)
    if rejected:
        assert codes & PARSE_LEVEL, f"libyaml says {rejected}, we say {codes}"
    else:
        assert "CA001" not in codes, "a parse error was invented where libyaml parses"
    for f in report.findings:
        assert 1 <= f.span.line and 1 <= f.span.column
        assert (f.span.end_line, f.span.end_column) >= (f.span.line, f.span.column)
    for fmt in FORMATS:
        render(fmt, RunReport((report,), "1"))


def test_suite_in_one_call() -> None:
    result = CliRunner().invoke(main, ["--format", "json", *map(str, CASES)], catch_exceptions=False)
    assert result.exit_code == 1, result.stderr
    files = json.loads(result.stdout)["files"]
    assert len(files) == 402
    assert all(f["findings"] and "error" not in f for f in files)
