"""One line per finding — for many files, editors and pre-commit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import RunReport
from .text import Painter, headline, summary

if TYPE_CHECKING:
    from . import Options


def render(report: RunReport, options: Options) -> str:
    paint = Painter(options.color)
    lines = []
    for f in report.files:
        if f.error:
            lines.append(f"{f.path}: internal error: {f.error}")
        lines.extend(headline(f.path, finding, paint) for finding in f.findings)
        if f.omitted:
            lines.append(f"{f.path}: … and {f.omitted} more findings")
    lines.append(summary(report, paint))
    return "\n".join(lines) + "\n"
