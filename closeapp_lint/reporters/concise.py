"""One line per finding — for many files, editors and pre-commit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..escape import safe
from ..model import FileReport
from .text import Painter, headline, render_end

__all__ = ["render_end", "render_file"]  # render_end is text's summary line

if TYPE_CHECKING:
    from . import Options


def render_file(f: FileReport, options: Options) -> str:
    paint = Painter(options.color)
    lines = [f"{safe(f.path)}: internal error: {safe(f.error)}"] if f.error else []
    lines.extend(headline(f.path, finding, paint) for finding in f.findings)
    if f.omitted:
        lines.append(f"{safe(f.path)}: … and {f.omitted} more findings")
    return "".join(line + "\n" for line in lines)
