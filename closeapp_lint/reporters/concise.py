"""One line per finding — for many files, editors and pre-commit."""

from __future__ import annotations

from ..core.escape import safe
from ..core.model import FileReport
from .base import Options
from .text import Painter, headline, render_end
from .writers import Parts


def render_file(f: FileReport, options: Options) -> str:
    paint = Painter(options.color)
    lines = [f"{safe(f.path)}: internal error: {safe(f.error)}"] if f.error else []
    lines.extend(headline(f.path, finding, paint) for finding in f.findings)
    if f.omitted:
        lines.append(f"{safe(f.path)}: … and {f.omitted} more findings")
    return "".join(line + "\n" for line in lines)


class Writer(Parts):
    part = staticmethod(render_file)
    end = staticmethod(render_end)  # text's summary line
