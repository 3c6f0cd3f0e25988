"""Counts that are true: every finding is counted, also past the per-file cap; a
checklist of an empty folder is an error, not an empty verdict."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from closeapp_lint.commands.cli import main

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


def test_a_summary_adds_every_count_to_its_own_field() -> None:
    """Each field of a file's counts goes to the summary's field of the same name (a field
    added to one and not the other fails here)."""
    from closeapp_lint.core.model import Counts, Summary

    counts = Counts(*range(1, len(Counts._fields) + 1))
    total = Summary(0, 0, 0, 0).plus(counts).plus(counts)
    assert Summary._fields == ("files", *Counts._fields)
    assert total == Summary(2, *(2 * c for c in counts))


def test_a_files_counts_take_its_findings_and_those_past_the_cap(chdir_tmp: Path) -> None:
    from closeapp_lint.judge import engine
    from closeapp_lint.load.config import DEFAULT

    report = engine.lint(MANY.encode() + b"redirect_url: http://x.dev/cb\n", "closeapp.yaml", DEFAULT._replace(max_findings=10))
    counts = report.counts()
    shown = [f.severity for f in report.findings]
    assert counts.errors == shown.count("error") + report.omitted_by[0]
    assert counts.warnings == shown.count("warning") + report.omitted_by[1]
    assert counts.infos == shown.count("info") + report.omitted_by[2]
    assert counts.omitted == report.omitted > 0
    assert counts.fixable == sum(f.fixable for f in report.findings)
    assert counts.not_ready == 1
