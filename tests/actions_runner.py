"""A small stand-in for the GitHub Actions runner, enough to execute our composite action
and the README's workflow recipe offline: it expands the ``${{ … }}`` expressions they
use, runs each ``run:`` step with ``bash --noprofile --norc -eo pipefail`` (GitHub's
``shell: bash``) and a fresh ``GITHUB_OUTPUT`` and ``GITHUB_STEP_SUMMARY`` per step, in
``GITHUB_WORKSPACE``, and collects step outputs. An expression it does not know fails the
test instead of expanding to nothing."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
INPUT_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


class StepResult(NamedTuple):
    id: str
    status: int
    stdout: str
    stderr: str
    outputs: dict[str, str]
    summary: str


class Context(NamedTuple):
    inputs: Mapping[str, str]
    github: Mapping[str, str]
    steps: dict[str, dict[str, str]]  # step id -> outputs

    def value(self, expression: str) -> str:
        parts = expression.split(".")
        if parts[0] == "inputs" and len(parts) == 2 and parts[1] in self.inputs:
            return self.inputs[parts[1]]
        if parts[0] == "github" and len(parts) == 2 and parts[1] in self.github:
            return self.github[parts[1]]
        if parts[0] == "steps" and len(parts) == 4 and parts[2] == "outputs":
            return self.steps.get(parts[1], {}).get(parts[3], "")  # GitHub: an unset output is empty
        raise AssertionError(f"the runner stand-in does not know the expression ${{{{ {expression} }}}}")

    def expand(self, text: str) -> str:
        return EXPRESSION.sub(lambda m: self.value(m.group(1)), text)


def read_outputs(path: Path) -> dict[str, str]:
    """``name=value`` lines and ``name<<DELIMITER`` blocks, as the runner reads them."""
    outputs: dict[str, str] = {}
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    index = 0
    while index < len(lines):
        line = lines[index]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            end = lines.index(delimiter, index + 1)
            outputs[name] = "\n".join(lines[index + 1 : end])
            index = end + 1
            continue
        name, _, value = line.partition("=")
        outputs[name] = value
        index += 1
    return outputs


def run_step(step: dict[str, Any], context: Context, workspace: Path, temp: Path, env: Mapping[str, str], number: int) -> StepResult:
    assert step.get("shell") == "bash", f"step {step.get('name')}: composite run steps must name their shell"
    step_id = step.get("id", f"__step{number}")
    output_file, summary_file = temp / f"output-{number}", temp / f"summary-{number}"
    output_file.write_text("")
    summary_file.write_text("")
    script = temp / f"step-{number}.sh"
    script.write_text(context.expand(step["run"]))
    environment = {
        **env,
        **{name: context.expand(str(value)) for name, value in step.get("env", {}).items()},
        "GITHUB_OUTPUT": str(output_file),
        "GITHUB_STEP_SUMMARY": str(summary_file),
        "GITHUB_WORKSPACE": str(workspace),
        "GITHUB_ACTIONS": "true",
        "RUNNER_TEMP": str(temp),
    }
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=workspace, env=environment, capture_output=True, text=True, check=False
    )
    outputs = read_outputs(output_file)
    context.steps[step_id] = outputs
    return StepResult(step_id, done.returncode, done.stdout, done.stderr, outputs, summary_file.read_text(encoding="utf-8"))


UsesHandler = Callable[[dict[str, Any], Context], dict[str, str]]  # a `uses:` step -> its outputs


def run_steps(
    steps: list[dict[str, Any]], context: Context, workspace: Path, temp: Path, *, uses: UsesHandler, env: Mapping[str, str] | None = None
) -> list[StepResult]:
    """Every step in order until one fails (as the runner does without ``if: always()``)."""
    results = []
    base = dict(env if env is not None else os.environ)
    for number, step in enumerate(steps):
        if "uses" in step:
            context.steps[step.get("id", f"__step{number}")] = uses(step, context)
            continue
        result = run_step(step, context, workspace, temp, base, number)
        results.append(result)
        if result.status != 0:
            break
    return results
