"""Counts that are true: every finding is counted, also past the per-file cap; a
checklist of an empty folder is an error, not an empty verdict."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from closeapp_lint.cli import main

from .conftest import VALID

MANY = VALID + "".join(f"k{i}: 1\n" for i in range(250)) + "scopes: [all.full_access]\n"  # 250 CA102 errors and a CA402 warning


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_summary_counts_findings_past_the_cap(chdir_tmp: Path) -> None:
    (chdir_tmp / "closeapp.yaml").write_text(MANY)
    _, out, _ = invoke("--format", "json", "closeapp.yaml")
    report = json.loads(out)
    assert report["summary"] == {"files": 1, "errors": 250, "warnings": 1, "infos": 0, "omitted": 51, "ready": False}
    assert len(report["files"][0]["findings"]) == 200 and report["files"][0]["omitted_findings"] == 51
    for fmt in ("text", "concise"):
        _, out, _ = invoke("--format", fmt, "closeapp.yaml")
        assert out.rstrip().endswith("Found 250 errors, 1 warning, 0 info in 1 file (51 of them over the per-file limit, not shown).")


def test_checklist_of_a_folder_without_manifests_is_exit_2(chdir_tmp: Path) -> None:
    (chdir_tmp / "other.yaml").write_text(VALID)
    code, out, err = invoke("checklist", ".")
    assert (code, out) == (2, "")
    assert err == "closeapp-lint: error: no manifests found in . (closeapp.yaml, *.closeapp.yaml, …); no checklist to show\n"
