"""Reporters, found by format name: each writes its format file by file
(``writers.writer``); ``render(fmt, report)`` is that writer run over a whole report.

The table below feeds ``--format``; a reporter module is imported only when chosen.
"""

from __future__ import annotations

import importlib
from typing import NamedTuple

from ..model import FileReport, RunReport, Summary

FORMATS: dict[str, str] = {
    "text": "text",
    "concise": "concise",
    "json": "json_format",
    "markdown": "markdown",
    "sarif": "sarif",
    "junit": "junit",
    "github": "github",
    "gitlab": "gitlab",
}


class Options(NamedTuple):
    color: bool = False
    checklist: bool | None = None  # None: only for public apps
    cwd: str | None = None  # absolute paths under it are reported relative (CI formats)
    quiet: bool = False  # text: findings only, no checklist and no summary


def repo_path(path: str, options: Options) -> str:
    """``path`` with / separators, relative to ``options.cwd`` when it is absolute and
    inside it (CI consumers want repository-relative paths)."""
    import os.path

    path = path.replace("\\", "/").removeprefix("./")
    if options.cwd and os.path.isabs(path):
        relative = os.path.relpath(path, options.cwd).replace("\\", "/")
        if not relative.startswith("../"):
            return relative
    return path


# Formats that can be written file by file as results arrive (memory stays flat).
STREAMING = frozenset({"text", "concise", "github"})


def render_file(fmt: str, options: Options, file: FileReport) -> str:
    """One file's part of a streaming format."""
    text: str = importlib.import_module(f"{__name__}.{FORMATS[fmt]}").render_file(file, options)
    return text


def render_end(fmt: str, options: Options, summary: Summary) -> str:
    """What a streaming format writes after the last file."""
    text: str = importlib.import_module(f"{__name__}.{FORMATS[fmt]}").render_end(summary, options)
    return text


_DEFAULT_OPTIONS = Options()


def render(fmt: str, report: RunReport, options: Options = _DEFAULT_OPTIONS, *, checklist_only: bool = False) -> str:
    """The report in ``fmt``; ``checklist_only`` for ``closeapp-lint checklist``."""
    if checklist_only:
        text: str = importlib.import_module(f"{__name__}.{FORMATS[fmt]}").render_checklist(report, options)
        return text
    from .writers import writer

    parts: list[str] = []
    out = writer(fmt, options, parts.append, report.tool_version)  # the same writer a run streams through
    for file in report.files:
        out.add(file)
    out.close(report.summary)
    return "".join(parts)
