"""SARIF 2.1.0 for GitHub code scanning and other SARIF consumers."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from ..core import rule_urls as links
from ..core.escape import safe, uri_path
from ..core.model import ERROR, INFO, WARNING, FileReport, Finding, Summary
from ..core.rule_urls import rule_url
from ..rules.registry import Rule, get
from .base import Options, Write, repo_path
from .docs import explain_markdown, explain_text
from .fingerprint import fingerprints
from .writers import MARKER, JsonList, ruleindex_editor

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
_LEVEL = {ERROR: "error", WARNING: "warning", INFO: "note", "publish": "error", "warning→error": "warning"}
_MAX_DESCRIPTION = 1000  # GitHub rejects descriptions over 1024 characters


def artifact_uri(path: str) -> str:
    """A URI reference with / separators for a repository-relative path (an absolute
    path outside the working folder becomes a file URI)."""
    if path.startswith("/"):
        return "file://" + uri_path(path)
    return uri_path(path)


def _rule(rule: Rule, version: str) -> dict[str, Any]:
    url = rule_url(rule.code, rule.slug, version)  # known once installed: read from the package's metadata
    return {
        "id": rule.code,
        "name": rule.slug,
        "shortDescription": {"text": rule.summary[:_MAX_DESCRIPTION]},
        "fullDescription": {"text": rule.docs.what[:_MAX_DESCRIPTION]},
        "help": {"text": explain_text(rule), "markdown": explain_markdown(rule)},
        **({"helpUri": url} if url else {}),
        "defaultConfiguration": {"level": _LEVEL[rule.level]},
        "properties": {"tags": ["closeapp", rule.slug]},
    }


def file_results(file: FileReport, options: Options, index: Callable[[str], int | str]) -> list[dict[str, Any]]:
    """The results of one file; ``index`` gives a code's place in the rule table."""
    results = []
    uri = artifact_uri(repo_path(file.path, options))
    for finding, fingerprint in fingerprints(file, with_path=False):
        span = finding.span
        results.append(
            {
                "ruleId": finding.code,
                "ruleIndex": index(finding.code),
                "level": _LEVEL[finding.severity],
                "message": {"text": finding.message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"},
                            "region": {"startLine": span.line, "startColumn": span.column, "endLine": span.end_line, "endColumn": max(span.end_column, 1)},
                        }
                    }
                ],
                "partialFingerprints": {"primaryLocationLineHash": fingerprint},
                **_related(finding, options),
            }
        )
    return results


def _related(finding: Finding, options: Options) -> dict[str, Any]:
    """A base's finding names the manifests it is about (SPEC §11) as related locations."""
    if not finding.inherited_by:
        return {}
    related = [
        {
            "id": number,
            "physicalLocation": {"artifactLocation": {"uri": artifact_uri(repo_path(path, options)), "uriBaseId": "%SRCROOT%"}},
            "message": {"text": "inherits this value"},
        }
        for number, path in enumerate(finding.inherited_by)
    ]
    return {"relatedLocations": related}


def _notification(file: FileReport, options: Options) -> dict[str, Any]:
    return {
        "level": "error",
        "message": {"text": f"internal error while linting {safe(file.path)}: {file.error}"},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": artifact_uri(repo_path(file.path, options)), "uriBaseId": "%SRCROOT%"}}}],
    }


def _shell(version: str, codes: Iterable[str], results: list[Any], notifications: list[dict[str, Any]]) -> dict[str, Any]:
    rules = [r for code in sorted(codes) if (r := get(code)) is not None]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "closeapp-lint",
                "version": version,
                "semanticVersion": version,
                **({"informationUri": home} if (home := links.repository()) else {}),
                "rules": [_rule(r, version) for r in rules],
            }
        },
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    if notifications:
        run["invocations"] = [{"executionSuccessful": False, "toolExecutionNotifications": notifications}]
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def _index(codes: Iterable[str]) -> dict[str, int]:
    """Each code's place in the rule table: the known codes, sorted."""
    return {code: i for i, code in enumerate(sorted(c for c in codes if get(c) is not None))}


class Writer:
    """Results go to a spool with a placeholder index (the rule table, which comes
    first, is known only after the last file)."""

    def __init__(self, options: Options, write: Write, version: str) -> None:
        self._options, self._version = options, version
        self._codes: set[str] = set()
        self._notifications: list[dict[str, Any]] = []  # internal errors: one small entry per failed file
        self._list = JsonList(write, lambda s: _shell(version, self._codes, [MARKER], self._notifications), spool=True)

    def add(self, file: FileReport) -> None:
        self._codes.update(f.code for f in file.findings)
        for result in file_results(file, self._options, lambda code: f"\x00{code}"):
            self._list.item(result)
        if file.error:
            self._notifications.append(_notification(file, self._options))

    def close(self, summary: Summary) -> None:
        self._list.close(summary, ruleindex_editor(_index(self._codes)))
