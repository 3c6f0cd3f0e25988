"""The report formats, in one table: each is a module with a ``Writer`` class (the
protocol in :mod:`.base`) that writes the format file by file; ``render`` is that
writer run over a whole report. A format's module is imported only when chosen.

A new format is one module and one row here (mypy checks the row's class against the
protocol through the ``TYPE_CHECKING`` list below).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from ..core.model import RunReport
from ..core.records import NamedTuple
from .base import Options, Write, Writer, WriterClass, repo_path

__all__ = ["CHECKLIST_FORMATS", "FORMATS", "Options", "Write", "Writer", "render", "render_checklist", "repo_path", "writer"]


class Format(NamedTuple):
    module: str  # closeapp_lint.reporters.<module>, which defines ``Writer``
    checklist: bool  # can write ``closeapp-lint checklist`` (``render_checklist``)


FORMATS: dict[str, Format] = {
    "text": Format("text", checklist=True),
    "concise": Format("concise", checklist=False),
    "json": Format("json_format", checklist=True),
    "markdown": Format("markdown", checklist=True),
    "sarif": Format("sarif", checklist=False),
    "junit": Format("junit", checklist=False),
    "github": Format("github", checklist=False),
    "gitlab": Format("gitlab", checklist=False),
}
CHECKLIST_FORMATS = [name for name, f in FORMATS.items() if f.checklist]

if TYPE_CHECKING:  # every row's class is a Writer (checked by mypy, imported by nobody at run time)
    from . import concise, github, gitlab, json_format, junit, markdown, sarif, text

    _CLASSES: tuple[WriterClass, ...] = (
        text.Writer,
        concise.Writer,
        json_format.Writer,
        markdown.Writer,
        sarif.Writer,
        junit.Writer,
        github.Writer,
        gitlab.Writer,
    )


def writer(fmt: str, options: Options, write: Write, version: str) -> Writer:
    """The writer of ``fmt``."""
    made: WriterClass = importlib.import_module(f"{__name__}.{FORMATS[fmt].module}").Writer
    return made(options, write, version)


_DEFAULT_OPTIONS = Options()


def render(fmt: str, report: RunReport, options: Options = _DEFAULT_OPTIONS) -> str:
    """The whole report in ``fmt``, through the same writer a run streams through."""
    parts: list[str] = []
    out = writer(fmt, options, parts.append, report.tool_version)
    for file in report.files:
        out.add(file)
    out.close(report.summary)
    return "".join(parts)


def render_checklist(fmt: str, report: RunReport, options: Options = _DEFAULT_OPTIONS) -> str:
    """``closeapp-lint checklist`` in ``fmt`` (one of CHECKLIST_FORMATS)."""
    text: str = importlib.import_module(f"{__name__}.{FORMATS[fmt].module}").render_checklist(report, options)
    return text
