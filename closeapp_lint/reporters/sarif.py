"""SARIF 2.1.0 for GitHub code scanning and other SARIF consumers."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from .. import HOMEPAGE
from ..model import ERROR, INFO, WARNING, RunReport
from ..registry import Rule, get
from .docs import explain_markdown, explain_text
from .fingerprint import fingerprints

if TYPE_CHECKING:
    from . import Options
from . import repo_path

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
_LEVEL = {ERROR: "error", WARNING: "warning", INFO: "note", "publish": "error", "warning→error": "warning"}
_MAX_DESCRIPTION = 1000  # GitHub rejects descriptions over 1024 characters


def artifact_uri(path: str) -> str:
    """A URI reference with / separators for a repository-relative path (an absolute
    path outside the working folder becomes a file URI)."""
    if path.startswith("/"):
        return "file://" + quote(path)
    return quote(path, safe="/")


def _rule(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.code,
        "name": rule.slug,
        "shortDescription": {"text": rule.summary[:_MAX_DESCRIPTION]},
        "fullDescription": {"text": rule.docs.what[:_MAX_DESCRIPTION]},
        "help": {"text": explain_text(rule), "markdown": explain_markdown(rule)},
        "helpUri": f"{HOMEPAGE}#rules",
        "defaultConfiguration": {"level": _LEVEL[rule.level]},
        "properties": {"tags": ["closeapp", rule.slug]},
    }


def document(report: RunReport, options: Options) -> dict[str, Any]:
    codes = sorted({f.code for file in report.files for f in file.findings})
    rules = [r for code in codes if (r := get(code)) is not None]
    index = {r.code: i for i, r in enumerate(rules)}
    results = []
    for file in report.files:
        for finding, fingerprint in fingerprints(file, with_path=False):
            span = finding.span
            results.append(
                {
                    "ruleId": finding.code,
                    "ruleIndex": index[finding.code],
                    "level": _LEVEL[finding.severity],
                    "message": {"text": finding.message},
                    "locations": [
                        {
                            "physicalLocation": {
                                "artifactLocation": {"uri": artifact_uri(repo_path(file.path, options)), "uriBaseId": "%SRCROOT%"},
                                "region": {"startLine": span.line, "startColumn": span.column, "endLine": span.end_line, "endColumn": max(span.end_column, 1)},
                            }
                        }
                    ],
                    "partialFingerprints": {"primaryLocationLineHash": fingerprint},
                }
            )
    notifications = [
        {
            "level": "error",
            "message": {"text": f"internal error while linting {f.path}: {f.error}"},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": artifact_uri(repo_path(f.path, options)), "uriBaseId": "%SRCROOT%"}}}],
        }
        for f in report.files
        if f.error
    ]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "closeapp-lint",
                "version": report.tool_version,
                "semanticVersion": report.tool_version,
                "informationUri": HOMEPAGE,
                "rules": [_rule(r) for r in rules],
            }
        },
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    if notifications:
        run["invocations"] = [{"executionSuccessful": False, "toolExecutionNotifications": notifications}]
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def render(report: RunReport, options: Options) -> str:
    return json.dumps(document(report, options), indent=2, ensure_ascii=False) + "\n"
