"""The GitHub Action (action.yml at the root), checked against the metadata rules and
executed step by step the way the runner would (tests/actions_runner.py), for a
repository that passes and one that fails.

The one step not executed is `actions/setup-python` (it downloads a Python): the
stand-in answers its `python-path` output with the interpreter running the tests. The
install step runs for real: a fresh venv and `pip install` of this checkout, the
action's `github.action_path`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft4Validator, Draft202012Validator

from .actions_runner import INPUT_ID, Context, StepResult, run_step, run_steps
from .conftest import EXAMPLES, ROOT, VALID

CONSUMERS = Path(__file__).parent / "consumers"
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))


def test_metadata_follows_the_action_rules() -> None:
    """What GitHub checks in action.yml, as far as it can be checked offline."""
    assert set(ACTION) <= {"name", "author", "description", "inputs", "outputs", "runs", "branding"}
    assert isinstance(ACTION["name"], str) and ACTION["name"]
    assert isinstance(ACTION["description"], str) and ACTION["description"]
    assert set(ACTION["inputs"]) == {"paths", "args", "sarif-file", "summary", "plan", "fail-on", "python-version"}
    for name, spec in ACTION["inputs"].items():
        assert INPUT_ID.fullmatch(name), name
        assert set(spec) <= {"description", "required", "default", "deprecationMessage"} and spec["description"]
        assert spec.get("required") is False and isinstance(spec.get("default"), str)  # every input optional, a string default
    assert set(ACTION["outputs"]) == {"errors", "warnings", "ready", "pending"}
    for name, spec in ACTION["outputs"].items():
        assert INPUT_ID.fullmatch(name) and spec["description"]
        assert spec["value"].startswith("${{ steps.")  # a composite action's outputs must name their value
    runs = ACTION["runs"]
    assert runs["using"] == "composite" and set(runs) == {"using", "steps"}
    ids = [step["id"] for step in runs["steps"] if "id" in step]
    assert len(ids) == len(set(ids))
    for step in runs["steps"]:
        assert ("run" in step) != ("uses" in step), step
        if "run" in step:
            assert step["shell"] == "bash"  # required for run steps of a composite action
            assert "${{" not in step["run"], "expressions go through env:, never into the script (script injection)"
        else:
            assert "@" in step["uses"]  # pinned to a version
    assert ACTION["branding"]["color"] in {"white", "black", "yellow", "blue", "green", "orange", "red", "purple", "gray-dark"}


def _uses(cache_hit: str = "false") -> Any:
    """The two `uses:` steps, answered as the runner would: setup-python with the Python
    running the tests (it would download one), actions/cache with a miss or a hit."""

    def answer(step: dict[str, Any], context: Context) -> dict[str, str]:
        if step["uses"].startswith("actions/setup-python@"):
            assert context.expand(step["with"]["python-version"]) == "3.12"
            return {"python-path": sys.executable}
        assert step["uses"].startswith("actions/cache@")
        assert context.expand(step["with"]["path"]) == context.steps["key"]["venv"]
        assert context.expand(step["with"]["key"]) == context.steps["key"]["key"]
        return {"cache-hit": cache_hit}

    return answer


def run_action(workspace: Path, temp: Path, **inputs: str) -> tuple[list[StepResult], dict[str, str]]:
    """All steps of the action; (step results, the action's outputs)."""
    values = {name: spec["default"] for name, spec in ACTION["inputs"].items()} | inputs
    context = Context(values, {"action_path": str(ROOT), "workspace": str(workspace)}, {})
    temp.mkdir(exist_ok=True)
    results = run_steps(ACTION["runs"]["steps"], context, workspace, temp, uses=_uses())
    outputs = {name: context.expand(spec["value"]) for name, spec in ACTION["outputs"].items()}
    return results, outputs


def _step(results: list[StepResult], step_id: str) -> StepResult:
    return next(r for r in results if r.id == step_id)


def _lint_again(installed: list[StepResult], workspace: Path, temp: Path, **inputs: str) -> StepResult:
    """Only the lint step, with the venv the install step made (the same job, another input)."""
    values = {name: spec["default"] for name, spec in ACTION["inputs"].items()} | inputs
    steps = {step.get("id"): step for step in ACTION["runs"]["steps"]}
    context = Context(values, {"action_path": str(ROOT)}, {"install": _step(installed, "install").outputs})
    return run_step(steps["lint"], context, workspace, temp, dict(os.environ), 99)


def _sarif_is_valid(path: Path) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    assert list(Draft4Validator(json.loads((CONSUMERS / "sarif-schema-2.1.0.json").read_text())).iter_errors(doc)) == []
    assert list(Draft202012Validator(json.loads((CONSUMERS / "codeql-action-sarif-schema-2.1.0.json").read_text())).iter_errors(doc)) == []
    return doc


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[StepResult], dict[str, str]]:
    repo = tmp_path_factory.mktemp("good-repo")
    shutil.copy(EXAMPLES / "public.closeapp.yaml", repo / "closeapp.yaml")
    temp = tmp_path_factory.mktemp("good-runner-temp")
    results, outputs = run_action(repo, temp, **{"sarif-file": "closeapp-lint.sarif"})
    return repo, temp, results, outputs


@pytest.mark.slow
def test_a_passing_repository(good: tuple[Path, Path, list[StepResult], dict[str, str]]) -> None:
    repo, _, results, outputs = good
    assert [r.status for r in results] == [0, 0, 0], [r.stderr for r in results]
    assert _step(results, "install").outputs["installed"] == "pip"  # a cache miss: installed once
    assert outputs == {"errors": "0", "warnings": "0", "ready": "true", "pending": ""}  # no plan asked for
    lint = results[-1]
    assert "::error" not in lint.stdout
    assert lint.summary.startswith("## closeapp-lint") and "closeapp.yaml" in lint.summary
    doc = _sarif_is_valid(repo / "closeapp-lint.sarif")
    assert doc["runs"][0]["results"] == []


@pytest.mark.slow
def test_a_failing_repository(tmp_path: Path) -> None:
    (tmp_path / "apps").mkdir()
    shutil.copy(EXAMPLES / "failing" / "CA201.closeapp.yaml", tmp_path / "apps" / "billing.closeapp.yaml")
    (tmp_path / "closeapp.yaml").write_text(VALID)
    results, outputs = run_action(tmp_path, tmp_path / "runner-temp", paths="apps\ncloseapp.yaml", **{"sarif-file": "out/lint.sarif", "summary": "true"})
    assert results[-1].status == 1, results[-1].stderr  # the step fails: an error-severity finding
    assert int(outputs["errors"]) >= 1 and outputs["ready"] == "false"
    lint = results[-1]
    assert "::error file=apps/billing.closeapp.yaml" in lint.stdout  # an annotation on the pull request
    assert "CA201" in lint.summary
    doc = _sarif_is_valid(tmp_path / "out" / "lint.sarif")  # its folder made by the action
    assert {r["ruleId"] for r in doc["runs"][0]["results"]} == {"CA201"}
    assert doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "apps/billing.closeapp.yaml"


@pytest.mark.slow
def test_fail_on_and_inputs(good: tuple[Path, Path, list[StepResult], dict[str, str]], tmp_path: Path) -> None:
    """Pass or fail is closeapp-lint's own exit code: fail-on maps onto its flags, and
    `args` may add them too; the outputs are its JSON report's summary."""
    _, temp, installed, _ = good
    (tmp_path / "closeapp.yaml").write_text(VALID.replace("https://app", "http://app"))  # CA201: an error
    never = _lint_again(installed, tmp_path, temp, **{"fail-on": "never", "summary": "false"})
    assert never.status == 0 and never.outputs["errors"] == "1" and never.summary == ""
    errors = _lint_again(installed, tmp_path, temp)
    assert errors.status == 1 and "::error" in errors.stdout
    exit_zero = _lint_again(installed, tmp_path, temp, args="--exit-zero")
    assert exit_zero.status == 0 and exit_zero.outputs["errors"] == "1"
    (tmp_path / "closeapp.yaml").write_text(VALID + "scopes: [all.full_access]\n")  # CA402: a warning only
    assert _lint_again(installed, tmp_path, temp).status == 0
    warned = _lint_again(installed, tmp_path, temp, **{"fail-on": "warning"})
    assert warned.status == 1 and warned.outputs == {"errors": "0", "warnings": "1", "ready": "false"}
    strict = _lint_again(installed, tmp_path, temp, args="--strict")  # the README's example
    assert strict.status == 1 and strict.outputs["warnings"] == "1"
    relaxed = _lint_again(installed, tmp_path, temp, **{"fail-on": "warning", "args": "--exit-zero"})
    assert relaxed.status == 0
    selected = _lint_again(installed, tmp_path, temp, **{"fail-on": "warning", "args": "--ignore CA402"})
    assert selected.status == 0 and selected.outputs["warnings"] == "0"
    bad_input = _lint_again(installed, tmp_path, temp, **{"fail-on": "sometimes"})
    assert bad_input.status == 2 and "fail-on must be error, warning or never" in bad_input.stdout
    usage = _lint_again(installed, tmp_path, temp, args="--no-such-flag")
    assert usage.status == 2 and "could not lint (exit 2)" in usage.stdout and usage.outputs == {}


@pytest.mark.slow
def test_ready_is_closeapp_lints_readiness(good: tuple[Path, Path, list[StepResult], dict[str, str]], tmp_path: Path) -> None:
    """A comment that suppresses an error passes the lint, but Close still sees it."""
    _, temp, installed, _ = good
    text = (EXAMPLES / "public.closeapp.yaml").read_text()
    redirect = next(line for line in text.splitlines() if line.startswith("redirect_url:"))
    (tmp_path / "closeapp.yaml").write_text(text.replace(redirect, "redirect_url: https://localhost:8443/cb  # closeapp-lint: disable=CA203"))
    lint = _lint_again(installed, tmp_path, temp)
    assert lint.status == 0 and lint.outputs == {"errors": "0", "warnings": "0", "ready": "false"}


def _key(action_path: Path, temp: Path, python: str) -> str:
    steps = {step.get("id"): step for step in ACTION["runs"]["steps"]}
    context = Context({}, {"action_path": str(action_path)}, {"python": {"python-path": python}})
    result = run_step(steps["key"], context, temp, temp, dict(os.environ), 1)
    assert result.status == 0, result.stderr
    assert result.outputs["venv"] == str(temp / "closeapp-lint-venv")
    return result.outputs["key"]


def test_the_cache_key_is_the_actions_content_and_the_python(tmp_path: Path) -> None:
    copy = tmp_path / "action"
    for part in ("closeapp_lint", "schemas"):
        shutil.copytree(ROOT / part, copy / part, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    temp = tmp_path / "temp"
    temp.mkdir()
    first = _key(copy, temp, sys.executable)
    assert first.startswith("closeapp-lint-venv-") and f"{sys.version_info[0]}.{sys.version_info[1]}." in first
    assert _key(copy, temp, sys.executable) == first  # the same revision and Python: the same key
    (copy / "closeapp_lint" / "__pycache__").mkdir(exist_ok=True)
    (copy / "closeapp_lint" / "__pycache__" / "x.pyc").write_bytes(b"compiled")
    assert _key(copy, temp, sys.executable) == first  # byte code is not the revision
    other = tmp_path / "python"
    other.write_text('#!/bin/sh\necho "CPython3.99.0-$(uname -m)"\n')
    other.chmod(0o755)
    assert _key(copy, temp, str(other)) != first  # another Python: another environment
    (copy / "closeapp_lint" / "rules" / "scopes.py").write_text((copy / "closeapp_lint" / "rules" / "scopes.py").read_text() + "\n# changed\n")
    assert _key(copy, temp, sys.executable) != first  # another revision of the action


@pytest.mark.slow
def test_a_cache_hit_skips_pip(good: tuple[Path, Path, list[StepResult], dict[str, str]], tmp_path: Path) -> None:
    _, temp, installed, _ = good
    steps = {step.get("id"): step for step in ACTION["runs"]["steps"]}
    key = _step(installed, "key").outputs
    context = Context({}, {"action_path": str(ROOT)}, {"python": {"python-path": sys.executable}, "key": key, "cache": {"cache-hit": "true"}})
    result = run_step(steps["install"], context, tmp_path, temp, dict(os.environ), 7)
    assert result.status == 0 and result.outputs["installed"] == "cached", result.stderr  # the environment restored: no pip
    assert result.outputs["bin"] == _step(installed, "install").outputs["bin"]


def test_the_action_installs_nothing_from_outside_its_checkout() -> None:
    install = next(step for step in ACTION["runs"]["steps"] if step.get("id") == "install")
    assert "$ACTION_PATH" in install["run"] and install["env"]["ACTION_PATH"] == "${{ github.action_path }}"
    assert "closeapp-lint==" not in install["run"] and "git+" not in install["run"]
    assert subprocess.run(["bash", "-n", "-c", install["run"]], check=False).returncode == 0


@pytest.mark.slow
def test_the_plan_goes_to_the_job_summary(good: tuple[Path, Path, list[StepResult], dict[str, str]], tmp_path: Path) -> None:
    """plan: true appends closeapp-lint's own plan (markdown) and says whether anything is pending."""
    _, temp, installed, _ = good
    shutil.copy(EXAMPLES / "public.closeapp.yaml", tmp_path / "closeapp.yaml")
    lint = _lint_again(installed, tmp_path, temp, plan="true")
    assert lint.status == 0 and lint.outputs["pending"] == "true"  # never recorded: the app is "not recorded"
    assert "## closeapp-lint plan" in lint.summary and "Close itself was not read." in lint.summary
    done = subprocess.run(
        [str(Path(_step(installed, "install").outputs["bin"]) / "closeapp-lint"), "applied", "--yes", "--import", "closeapp.yaml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lint = _lint_again(installed, tmp_path, temp, plan="true")
    assert lint.status == 0 and lint.outputs["pending"] == "true"  # the listing is still to request
    assert "Integrations Directory listing" in lint.summary
    quiet = _lint_again(installed, tmp_path, temp)
    assert "pending" not in quiet.outputs and "closeapp-lint plan" not in quiet.summary
