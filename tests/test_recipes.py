"""The README's CI recipes, run for real so they cannot rot, install line included:
every command runs against a sample repository (the install from this checkout, where
the recipe would install from the package index) and the outputs go to the consumers'
schemas."""

from __future__ import annotations

import json
import os
import re
import shlex
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


INSTALL = "pip install closeapp-lint"


@pytest.fixture
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv for one recipe: its install line installs into it."""
    folder = tmp_path_factory.mktemp("recipe-venv")
    subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
    return folder / "bin"


def run_commands(commands: list[str], cwd: Path, env: dict[str, str]) -> list[int]:
    """Each command in bash; the recipe's install line installs this checkout where the
    recipe would install from the package index (not published yet), and must succeed."""
    codes = []
    for command in commands:
        if command.strip() == INSTALL:
            command = f"pip install --quiet --disable-pip-version-check {shlex.quote(str(ROOT))}"
        done = subprocess.run(["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, check=False)
        assert "Traceback" not in done.stderr, done.stderr
        if command.startswith("pip install"):
            assert done.returncode == 0, done.stderr[-3000:]
            continue
        codes.append(done.returncode)
    return codes


def environment(bindir: Path, extra: dict[str, str]) -> dict[str, str]:
    """The venv first on PATH (as `python -m venv` + activate, or setup-python, would put it)."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["PATH"] = str(bindir) + os.pathsep + env.get("PATH", "")
    env.update(extra)
    return env


def _sarif_checked(doc: Any) -> list[str]:
    assert list(Draft4Validator(json.loads((CONSUMERS / "sarif-schema-2.1.0.json").read_text())).iter_errors(doc)) == []
    assert list(Draft202012Validator(json.loads((CONSUMERS / "codeql-action-sarif-schema-2.1.0.json").read_text())).iter_errors(doc)) == []
    return [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in doc["runs"][0]["results"]]


@pytest.mark.slow
def test_github_actions_recipe_with_the_action(repo: Path, tmp_path: Path) -> None:
    """The workflow's `uses: closeapp-lint/closeapp-lint@…` step runs this checkout's action."""
    from .test_action import run_action

    steps = recipe("github")["jobs"]["closeapp-lint"]["steps"]
    ours = [s for s in steps if s.get("uses", "").startswith("closeapp-lint/closeapp-lint@")]
    assert len(ours) == 1 and ours[0]["uses"].split("@")[1] == "v0"
    assert {s["uses"].split("@")[0] for s in steps} == {"actions/checkout", "closeapp-lint/closeapp-lint", "github/codeql-action/upload-sarif"}
    results, outputs = run_action(repo, tmp_path / "runner-temp", **ours[0]["with"])
    assert results[-1].status == 1  # the job fails on the error
    assert outputs == {"errors": "1", "warnings": "0", "ready": "false", "pending": ""}
    assert "| 4 | 15 | CA201 redirect-not-https | error |" in results[-1].summary
    sarif_file = next(s["with"]["sarif_file"] for s in steps if "upload-sarif" in s.get("uses", ""))
    assert _sarif_checked(json.loads((repo / sarif_file).read_text())) == ["apps/billing/closeapp.yaml"]


@pytest.mark.slow
def test_github_actions_recipe_with_pip(repo: Path, venv: Path) -> None:
    steps = recipe("github-pip")["jobs"]["closeapp-lint"]["steps"]
    commands = [s["run"] for s in steps if "run" in s]
    assert commands[0] == INSTALL
    summary = repo / "step-summary.md"
    codes = run_commands(commands, repo, environment(venv, {"GITHUB_STEP_SUMMARY": str(summary), "GITHUB_ACTIONS": "true"}))
    assert codes == [1]  # one run: annotations fail the job on the error, and the summary and SARIF are written too
    assert "| 4 | 15 | CA201 redirect-not-https | error |" in summary.read_text()
    sarif_file = next(s["with"]["sarif_file"] for s in steps if "upload-sarif" in s.get("uses", ""))
    assert _sarif_checked(json.loads((repo / sarif_file).read_text())) == ["apps/billing/closeapp.yaml"]


@pytest.mark.slow
def test_gitlab_ci_recipe(repo: Path, venv: Path) -> None:
    job = recipe("gitlab")["closeapp-lint"]
    assert job["script"][0] == INSTALL
    codes = run_commands(job["script"], repo, environment(venv, {"GITLAB_CI": "true"}))
    assert codes == [1]  # one run: the log and the Code Quality report
    report = repo / job["artifacts"]["reports"]["codequality"]
    raw = report.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    items = json.loads(raw)
    assert list(Draft202012Validator(json.loads((CONSUMERS / "gitlab-codequality.schema.json").read_text())).iter_errors(items)) == []
    assert [(i["check_name"], i["location"]["path"], i["severity"]) for i in items] == [("CA201", "apps/billing/closeapp.yaml", "major")]


@pytest.mark.slow
def test_github_plan_recipe(repo: Path, venv: Path) -> None:
    """The plan gate of "From green to live": a merged change not yet made in Close fails
    the last step (exit 1); once recorded, it passes; the summary holds the plan."""
    steps = recipe("github-plan")["jobs"]["plan"]["steps"]
    commands = [s["run"] for s in steps if "run" in s]
    assert commands[0] == INSTALL
    (repo / "apps" / "billing" / "closeapp.yaml").write_text(VALID)
    summary = repo / "step-summary.md"
    env = environment(venv, {"GITHUB_STEP_SUMMARY": str(summary)})
    assert run_commands(commands[:1], repo, env) == []  # installed
    record = [str(venv / "closeapp-lint"), "applied", "--yes", "--import", "apps/billing", "closeapp.yaml"]
    (repo / "closeapp.yaml").write_text(VALID + "client_id: oa2client_0123456789abcdefABCDEF\n")
    (repo / "apps" / "billing" / "closeapp.yaml").write_text(VALID + "client_id: oa2client_ZYXWVUTSRQPONMLKJIHGFEDC\n")
    subprocess.run(record, cwd=repo, env=env, check=True, capture_output=True)
    assert run_commands(commands[1:], repo, env) == [0, 0]  # recorded: nothing pending
    (repo / "closeapp.yaml").write_text(VALID.replace("Tidewater", "Harbor") + "client_id: oa2client_0123456789abcdefABCDEF\n")
    assert run_commands(commands[1:], repo, env) == [0, 1]  # merged, not yet made in Close
    assert "## closeapp-lint plan" in summary.read_text() and "App Name" in summary.read_text()
