"""What ruff users reach for: --statistics, --quiet, --silent, --show-files,
--show-settings, [*] on fixable findings, shell completion, and several reports from
one run (--output-format FORMAT=PATH)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import xmlschema
from click.testing import CliRunner
from jsonschema import Draft4Validator

from closeapp_lint.commands.cli import main

from .conftest import PUBLIC, VALID

CONSUMERS = Path(__file__).parent / "consumers"
BAD = VALID.replace("https://app", "http://app") + "colour: blue\nscopes: [all.full_access, offline_access, offline_access]\n"


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def repo(chdir_tmp: Path) -> Path:
    (chdir_tmp / "bad.closeapp.yaml").write_text(BAD)
    (chdir_tmp / "also.closeapp.yaml").write_text(BAD.replace("colour", "flavour"))
    (chdir_tmp / "good.closeapp.yaml").write_text(PUBLIC)
    (chdir_tmp / "vendor").mkdir()
    (chdir_tmp / "vendor" / "closeapp.yaml").write_text(BAD)
    (chdir_tmp / ".closeapp-lint.toml").write_text('exclude = ["vendor"]\nignore = ["CA402", "CA42"]\n')
    return chdir_tmp


def test_statistics(repo: Path) -> None:
    code, out, _ = invoke("--statistics", ".")
    assert code == 1
    assert out.splitlines() == ["     2  CA102  [ ]  unknown-field", "     2  CA201  [*]  redirect-not-https", "     2  CA401  [*]  unsupported-scope"]
    _, out, _ = invoke("--statistics", "--format", "json", ".")
    assert json.loads(out)[1] == {"code": "CA201", "slug": "redirect-not-https", "count": 2, "fixable": True, "fixable_count": 2}


def test_fixable_marker_and_count(repo: Path) -> None:
    _, out, _ = invoke("--format", "concise", "bad.closeapp.yaml")
    assert "bad.closeapp.yaml:4:15: CA201 [*] [error]" in out and "CA102 [error]" in out
    assert out.splitlines()[-1] == "Found 3 errors, 0 warnings, 0 info in 1 file. 2 fixable with `--fix`."


def test_quiet_and_silent(repo: Path) -> None:
    code, out, _ = invoke("-q", "bad.closeapp.yaml", "good.closeapp.yaml")
    assert code == 1 and "Found" not in out and "ready to publish" not in out and "CA201" in out
    code, out, _ = invoke("--quiet", "--checklist", "good.closeapp.yaml")
    assert (code, out) == (0, "")
    code, out, err = invoke("--silent", "bad.closeapp.yaml")
    assert (code, out, err) == (1, "", "")
    code, out, _ = invoke("--silent", "--format", "json", "--output", "r.json", "bad.closeapp.yaml")
    assert (code, out) == (1, "") and json.loads((repo / "r.json").read_text())["summary"]["errors"] == 3


def test_show_files(repo: Path) -> None:
    code, out, _ = invoke("--show-files", ".")
    assert code == 0 and out.splitlines() == ["also.closeapp.yaml", "bad.closeapp.yaml", "good.closeapp.yaml"]
    _, out, _ = invoke("--show-files", "--force-exclude", "vendor/closeapp.yaml", "bad.closeapp.yaml")
    assert out.splitlines() == ["bad.closeapp.yaml"]


def test_show_settings(repo: Path) -> None:
    code, out, _ = invoke("--show-settings", "--extend-select", "CA4")
    assert code == 0
    lines = dict(line.split(None, 1) for line in out.splitlines() if not line.startswith(("config file", "root for globs")))
    config_file = str(repo / ".closeapp-lint.toml")
    assert f"config file       {config_file}" in out
    assert lines["ignore"] == f"CA402, CA421, CA422, CA423, CA424  ({config_file})"
    assert lines["exclude"] == f"vendor  ({config_file})"
    assert lines["extend-select"] == "CA401, CA402, CA411, CA412, CA421, CA422, CA423, CA424  (the command line)"
    assert lines["select"] == "the default rule set (every rule but the opt-in CA601)  (default)"
    assert lines["max-file-size"] == "1,048,576 bytes  (default)"
    assert "config file       none (--isolated)" in invoke("--show-settings", "--isolated")[1]


def test_several_reports_from_one_run(repo: Path) -> None:
    code, out, _ = invoke("--format", "concise", "--output-format", "sarif=out/report.sarif", "--output-format", "junit=out/junit.xml", ".")
    assert code == 1 and "CA201" in out
    sarif = json.loads((repo / "out" / "report.sarif").read_text())
    assert list(Draft4Validator(json.loads((CONSUMERS / "sarif-schema-2.1.0.json").read_text())).iter_errors(sarif)) == []
    assert len(sarif["runs"][0]["results"]) == 6
    xmlschema.XMLSchema(str(CONSUMERS / "junit.xsd")).validate(str(repo / "out" / "junit.xml"))
    assert invoke("--output-format", "yaml=x.txt", ".")[0] == 2


def test_shell_completion_script() -> None:
    script = shutil.which("closeapp-lint", path=str(Path(sys.executable).parent))
    assert script
    done = subprocess.run([script], env={**os.environ, "_CLOSEAPP_LINT_COMPLETE": "bash_source"}, capture_output=True, text=True, check=False)
    assert done.returncode == 0 and "_closeapp_lint_completion" in done.stdout
