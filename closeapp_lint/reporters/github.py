"""GitHub Actions workflow commands: one annotation per finding, then a summary line."""

from __future__ import annotations

from ..core.escape import safe
from ..core.model import ERROR, INFO, WARNING, FileReport, Summary
from .base import Options, repo_path
from .text import Painter, summary
from .writers import Parts

COMMAND = {ERROR: "error", WARNING: "warning", INFO: "notice"}


def escape_data(text: str) -> str:
    """GitHub's escaping of %, CR and LF; every other control, separator or bidi
    character shown as an escape, so nothing raw reaches the log."""
    escaped = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return escaped if escaped.isascii() and escaped.isprintable() else safe(escaped)


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_file(file: FileReport, options: Options) -> str:
    lines = []
    path = repo_path(file.path, options)
    if file.error:
        lines.append(f"::error file={escape_property(path)},title=closeapp-lint internal error::{escape_data(file.error)}")
    for f in file.findings:
        props = [f"file={escape_property(path)}", f"line={f.span.line}"]
        same_line = f.span.line == f.span.end_line
        if same_line:
            props.append(f"col={f.span.column}")
        props.append(f"endLine={f.span.end_line}")
        if same_line:
            props.append(f"endColumn={f.span.end_column}")
        props.append(f"title={escape_property(f'{f.code} {f.slug}')}")
        lines.append(f"::{COMMAND[f.severity]} {','.join(props)}::{escape_data(f.message)}")
    return "".join(line + "\n" for line in lines)


def render_end(s: Summary, options: Options) -> str:
    return summary(s, Painter(False)) + "\n"


class Writer(Parts):
    part = staticmethod(render_file)
    end = staticmethod(render_end)
