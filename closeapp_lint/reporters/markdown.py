"""GitHub-flavoured Markdown: a findings table per file and each file's checklist,
for ``$GITHUB_STEP_SUMMARY`` and pull-request comments."""

from __future__ import annotations

from ..core.escape import inert_mentions, safe
from ..core.model import FileReport, Readiness, RunReport, Summary
from .base import Options, Write
from .text import Painter, summary, verdict
from .writers import Spooled

_STATUS = {"pass": "✅", "fail": "❌", "warn": "⚠️", "n/a": "➖"}
_ESCAPES = {"\\": "\\\\", "|": "\\|", "*": "\\*", "_": "\\_", "`": "\\`", "[": "\\[", "]": "\\]", "<": "&lt;", ">": "&gt;", "&": "&amp;"}


def cell(text: str) -> str:
    """Text safe inside a table cell: no pipes, markup, HTML or live @mention, one line."""
    escaped = "".join(_ESCAPES.get(ch, ch) for ch in text)
    escaped = inert_mentions(escaped)
    return safe("<br>".join(escaped.splitlines())) or " "


def _findings(f: FileReport) -> list[str]:
    if f.error:
        return [f"Internal error: {cell(f.error)}", ""]
    if not f.findings:
        return ["No findings.", ""]
    rows = ["| Line | Column | Code | Severity | Message |", "|---:|---:|---|---|---|"]
    for x in f.findings:
        rows.append(f"| {x.span.line} | {x.span.column} | {x.code} {cell(x.slug)} | {x.severity} | {cell(x.message)} |")
    if f.omitted:
        rows.append(f"| | | | | … and {f.omitted} more findings |")
    return [*rows, ""]


def checklist(r: Readiness, *, public: bool = True) -> list[str]:
    text, style = verdict(r, public)
    mark = "➖" if r.stays_private else "✅" if style == "pass" else "❌" if public else "📝"
    rows = [f"**Publish readiness: {mark} {text}**", "", "| | Item | Codes | Detail |", "|---|---|---|---|"]
    for item in r.items:
        rows.append(f"| {_STATUS[item.status]} | {cell(item.id)} | {cell(' '.join(item.codes))} | {cell(item.detail)} |")
    return [*rows, ""]


def _heading(s: Summary) -> list[str]:
    return ["## closeapp-lint", "", summary(s, Painter(False)), ""]


def _section(f: FileReport, options: Options) -> str:
    lines = [f"### {cell(f.path)}", ""]
    lines.extend(_findings(f))
    if f.readiness is not None and options.checklist is not False:
        lines.extend(checklist(f.readiness, public=f.public))
    return "\n" + "\n".join(lines)


class Writer(Spooled):
    """Sections go to a spool: the heading's totals come first."""

    def __init__(self, options: Options, write: Write, version: str) -> None:
        super().__init__(write, lambda f: _section(f, options), lambda s: "\n".join(_heading(s)), "")


def render_checklist(report: RunReport, options: Options) -> str:
    lines = ["## Publish readiness", ""]
    for f in report.files:
        lines.extend([f"### {cell(f.path)}", ""])
        lines.extend(checklist(f.readiness, public=f.public) if f.readiness is not None else ["❌ the manifest could not be read; run closeapp-lint check", ""])
    return "\n".join(lines)
