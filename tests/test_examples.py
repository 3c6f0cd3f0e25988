"""The shipped examples: valid apps are clean, each failing example emits exactly its code,
and the JSON report of every example matches the golden file (codes and positions)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from closeapp_lint.core.model import RunReport
from closeapp_lint.judge.engine import lint
from closeapp_lint.reporters import render

from .conftest import EXAMPLES, assert_golden

FAILING = sorted((EXAMPLES / "failing").glob("*.closeapp.yaml"))
# Codes about applied records: the failing file and what is beside it, in failing/records/.
RECORDS = EXAMPLES / "failing" / "records"
# Codes about a manifest among others (SPEC §11): in failing/environments/, each beside what it is compared with.
ENVIRONMENT_EXAMPLES = sorted((EXAMPLES / "failing" / "environments").glob("*.closeapp.yaml"))
ENVIRONMENT_CODES = sorted({p.name.split(".")[0].split("-")[0] for p in ENVIRONMENT_EXAMPLES})
RECORD_EXAMPLES = {"CA601": "CA601.closeapp.yaml", "CA602": "CA602.closeapp.applied.json", "CA603": "CA603.closeapp.applied.json"}


def lint_file(path: os.PathLike[str]) -> dict[str, object]:
    rel = os.path.relpath(path, EXAMPLES.parent).replace(os.sep, "/")
    with open(path, "rb") as fh:
        report = RunReport((lint(fh.read(), rel),), "test")
    entry: dict[str, object] = json.loads(render("json", report))["files"][0]
    return entry


@pytest.mark.parametrize("name", ["closeapp.yaml", "public.closeapp.yaml"])
def test_valid_examples_are_clean(name: str) -> None:
    entry = lint_file(EXAMPLES / name)
    assert entry["findings"] == []
    if name.startswith("public"):
        assert entry["readiness"]["ready"] is True  # type: ignore[index]


@pytest.mark.parametrize("path", FAILING, ids=lambda p: p.name)
def test_failing_example_emits_exactly_its_code(path: os.PathLike[str]) -> None:
    code = os.path.basename(path).split(".")[0]
    assert {f["code"] for f in lint_file(path)["findings"]} == {code}  # type: ignore[attr-defined]


def test_one_failing_example_per_code() -> None:
    from closeapp_lint.rules.registry import all_rules

    offline = [r.code for r in all_rules() if not r.code.startswith("CA5")]  # CA5xx need --check-urls and a server
    assert sorted([p.name.split(".")[0] for p in FAILING] + sorted(RECORD_EXAMPLES) + sorted(ENVIRONMENT_CODES)) == offline


@pytest.mark.parametrize("path", ENVIRONMENT_EXAMPLES, ids=lambda p: p.name)
def test_environment_examples_emit_exactly_their_code(path: Path) -> None:
    """Through the pipeline, as a run in this repository reads them: each beside the copy
    it is compared with (CA421–CA423), or with the base it names (CA009)."""
    from closeapp_lint.load.config import DEFAULT
    from closeapp_lint.run import pipeline

    code = path.name.split(".")[0].split("-")[0]
    [report] = pipeline.reports(pipeline.Input([str(path)], DEFAULT))
    assert {f.code for f in report.findings} == {code}


def test_the_environments_example_is_clean_and_production_is_ready() -> None:
    from closeapp_lint.load.config import DEFAULT
    from closeapp_lint.run import pipeline

    folder = EXAMPLES / "environments"
    found = {os.path.basename(r.path): r for r in pipeline.reports(pipeline.Input(sorted(str(p) for p in folder.iterdir()), DEFAULT))}
    assert sorted(found) == ["development.closeapp.yaml", "production.closeapp.yaml", "shared.closeapp-base.yaml", "staging.closeapp.yaml"]
    assert all(r.findings == () for r in found.values())
    assert found["production.closeapp.yaml"].ready and found["production.closeapp.yaml"].public
    assert found["shared.closeapp-base.yaml"].kind == "base"


@pytest.mark.parametrize("code", sorted(RECORD_EXAMPLES))
def test_record_examples_emit_exactly_their_code(code: str) -> None:
    """Through the pipeline, as a run reads them (the record beside the manifest)."""
    from closeapp_lint.load.config import build
    from closeapp_lint.run import pipeline

    cfg = build({"extend-select": ["CA601"]}, "test")  # CA601 is opt-in
    path = str(RECORDS / RECORD_EXAMPLES[code])
    [report] = pipeline.reports(pipeline.Input([path], cfg))
    assert {f.code for f in report.findings} == {code}


def test_examples_match_golden_json() -> None:
    paths = [EXAMPLES / "closeapp.yaml", EXAMPLES / "public.closeapp.yaml", *FAILING]
    got = {}
    for path in paths:
        entry = lint_file(path)
        got[entry["path"]] = [f"{f['code']} {f['line']}:{f['column']}-{f['end_line']}:{f['end_column']} {f['pointer']}".rstrip() for f in entry["findings"]]  # type: ignore[attr-defined]
    assert_golden("examples.json", json.dumps(got, indent=1, ensure_ascii=False) + "\n")
