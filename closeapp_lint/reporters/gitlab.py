"""GitLab Code Quality (artifacts:reports:codequality): one JSON array, no BOM."""

from __future__ import annotations

from typing import Any

from ..core.escape import safe
from ..core.model import ERROR, INFO, WARNING, FileReport, RunReport, Summary
from .base import Options, Write, repo_path
from .fingerprint import fingerprints
from .writers import MARKER, JsonList

SEVERITY = {ERROR: "major", WARNING: "minor", INFO: "info"}


def items(report: RunReport, options: Options) -> list[dict[str, Any]]:
    """The whole report as one value (what the writer writes file by file)."""
    return [item for file in report.files for item in file_items(file, options)]


def file_items(file: FileReport, options: Options) -> list[dict[str, Any]]:
    out = []
    path = safe(repo_path(file.path, options))
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


class Writer:
    def __init__(self, options: Options, write: Write, version: str) -> None:
        self._options = options
        self._list = JsonList(write, lambda s: [MARKER])

    def add(self, file: FileReport) -> None:
        for item in file_items(file, self._options):
            self._list.item(item)

    def close(self, summary: Summary) -> None:
        self._list.close(summary)
