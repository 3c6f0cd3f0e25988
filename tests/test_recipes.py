"""The README's CI recipes, run for real so they cannot rot: every command but the
`pip install` runs against a sample repository and the outputs go to the consumers'
schemas."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft4Validator, Draft202012Validator

from .conftest import ROOT, VALID

CONSUMERS = Path(__file__).parent / "consumers"


def recipe(name: str) -> Any:
    readme = (ROOT / "README.md").read_text()
    match = re.search(rf"<!-- recipe: {name} -->\n```yaml\n(.*?)```", readme, re.DOTALL)
    assert match, f"README has no {name} recipe"
    return yaml.safe_load(match.group(1))


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "apps" / "billing").mkdir(parents=True)
    (tmp_path / "apps" / "billing" / "closeapp.yaml").write_text(VALID.replace("https://app", "http://app"))
    (tmp_path / "closeapp.yaml").write_text(VALID)
    return tmp_path


def run_commands(commands: list[str], cwd: Path, env: dict[str, str]) -> list[int]:
    codes = []
    for command in commands:
        if command.startswith("pip install"):
            continue  # the package under test is already installed
        done = subprocess.run(["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, check=False)
        assert "Traceback" not in done.stderr, done.stderr
        codes.append(done.returncode)
    return codes


def environment(extra: dict[str, str]) -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env.update(extra)
    return env


def test_github_actions_recipe(repo: Path) -> None:
    steps = recipe("github")["jobs"]["closeapp-lint"]["steps"]
    commands = [s["run"] for s in steps if "run" in s]
    summary = repo / "step-summary.md"
    codes = run_commands(commands, repo, environment({"GITHUB_STEP_SUMMARY": str(summary), "GITHUB_ACTIONS": "true"}))
    assert codes == [1]  # one run: annotations fail the job on the error, and the summary and SARIF are written too
    assert "| 4 | 15 | CA201 redirect-not-https | error |" in summary.read_text()
    sarif_file = next(s["with"]["sarif_file"] for s in steps if "upload-sarif" in s.get("uses", ""))
    doc = json.loads((repo / sarif_file).read_text())
    assert list(Draft4Validator(json.loads((CONSUMERS / "sarif-schema-2.1.0.json").read_text())).iter_errors(doc)) == []
    assert list(Draft202012Validator(json.loads((CONSUMERS / "codeql-action-sarif-schema-2.1.0.json").read_text())).iter_errors(doc)) == []
    assert [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in doc["runs"][0]["results"]] == ["apps/billing/closeapp.yaml"]


def test_gitlab_ci_recipe(repo: Path) -> None:
    job = recipe("gitlab")["closeapp-lint"]
    codes = run_commands(job["script"], repo, environment({"GITLAB_CI": "true"}))
    assert codes == [1]  # one run: the log and the Code Quality report
    report = repo / job["artifacts"]["reports"]["codequality"]
    raw = report.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    items = json.loads(raw)
    assert list(Draft202012Validator(json.loads((CONSUMERS / "gitlab-codequality.schema.json").read_text())).iter_errors(items)) == []
    assert [(i["check_name"], i["location"]["path"], i["severity"]) for i in items] == [("CA201", "apps/billing/closeapp.yaml", "major")]
