"""The stable, versioned JSON report (SPEC §8)."""

from __future__ import annotations

import json
from typing import Any

from ..core.escape import safe
from ..core.model import MANIFEST, FileReport, Finding, Readiness, RunReport, Summary
from .base import Options, Write
from .writers import MARKER, JsonList

VERSION = 1


def finding(f: Finding) -> dict[str, Any]:
    entry = {
        "code": f.code,
        "slug": f.slug,
        "severity": f.severity,
        "message": f.message,
        "line": f.span.line,
        "column": f.span.column,
        "end_line": f.span.end_line,
        "end_column": f.span.end_column,
        "pointer": f.pointer,
        "fixable": f.fixable,
    }
    if f.inherited_by:
        entry["inherited_by"] = [safe(p) for p in f.inherited_by]  # a base's finding: the manifests it is about
    return entry


def readiness(r: Readiness | None) -> dict[str, Any] | None:
    if r is None:
        return None
    return {
        "ready": r.ready,
        **({"stays_private": True} if r.stays_private else {}),  # a development app: in no publication verdict (SPEC §5)
        "items": [{"id": i.id, "status": i.status, "codes": list(i.codes), "detail": i.detail} for i in r.items],
    }


def file_entry(f: FileReport) -> dict[str, Any]:
    entry: dict[str, Any] = {"path": safe(f.path), "findings": [finding(x) for x in f.findings], "readiness": readiness(f.readiness)}
    if f.kind != MANIFEST:
        entry["kind"] = f.kind  # an applied record or a base: no checklist of its own
    if f.omitted:
        entry["omitted_findings"] = f.omitted
    if f.error:
        entry["error"] = f.error
    return entry


def _shell(version: str, files: list[Any], s: Summary | None) -> dict[str, Any]:
    s = s or Summary(0, 0, 0, 0)
    return {
        "version": VERSION,
        "tool": {"name": "closeapp-lint", "version": version},
        "files": files,
        "summary": {
            "files": s.files,
            "errors": s.errors,
            "warnings": s.warnings,
            "infos": s.infos,
            **({"omitted": s.omitted} if s.omitted else {}),
            "ready": s.ready,
        },
    }


class Writer:
    def __init__(self, options: Options, write: Write, version: str) -> None:
        self._list = JsonList(write, lambda s: _shell(version, [MARKER], s))

    def add(self, file: FileReport) -> None:
        self._list.item(file_entry(file))

    def close(self, summary: Summary) -> None:
        self._list.close(summary)


def render_checklist(report: RunReport, options: Options) -> str:
    files = [{"path": safe(f.path), "readiness": readiness(f.readiness)} for f in report.files]
    body = {"version": VERSION, "tool": {"name": "closeapp-lint", "version": report.tool_version}, "files": files}
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"
