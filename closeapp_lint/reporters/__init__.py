"""Reporters: pure functions ``render(report, options) -> str``, found by format name.

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
    if fmt in STREAMING and not checklist_only:  # a streaming format is its files' parts and an end
        return "".join(render_file(fmt, options, f) for f in report.files) + render_end(fmt, options, report.summary)
    module = importlib.import_module(f"{__name__}.{FORMATS[fmt]}")
    text: str = (module.render_checklist if checklist_only else module.render)(report, options)
    return text
