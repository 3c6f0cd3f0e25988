"""GitLab Code Quality (artifacts:reports:codequality): one JSON array, no BOM."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..model import ERROR, INFO, WARNING, RunReport
from .fingerprint import fingerprints

if TYPE_CHECKING:
    from . import Options
from . import repo_path

SEVERITY = {ERROR: "major", WARNING: "minor", INFO: "info"}


def items(report: RunReport, options: Options) -> list[dict[str, Any]]:
    out = []
    for file in report.files:
        path = repo_path(file.path, options)
        for finding, fingerprint in fingerprints(file, with_path=True):
            out.append(
                {
                    "description": f"{finding.code} {finding.slug}: {finding.message}",
                    "check_name": finding.code,
                    "fingerprint": fingerprint,
                    "severity": SEVERITY[finding.severity],
                    "location": {
                        "path": path,
                        "lines": {"begin": finding.span.line, "end": finding.span.end_line},
                        "positions": {
                            "begin": {"line": finding.span.line, "column": finding.span.column},
                            "end": {"line": finding.span.end_line, "column": finding.span.end_column},
                        },
                    },
                }
            )
        if file.error:
            out.append(
                {
                    "description": f"internal error while linting: {file.error}",
                    "check_name": "internal-error",
                    "fingerprint": f"internal-error:{path}",
                    "severity": "blocker",
                    "location": {"path": path, "lines": {"begin": 1}},
                }
            )
    return out


def render(report: RunReport, options: Options) -> str:
    return json.dumps(items(report, options), indent=2, ensure_ascii=False) + "\n"
