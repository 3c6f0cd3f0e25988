"""What every reporter shares: the options of a report, the protocol of a writer, and
repository-relative paths. A leaf of the reporters package (each format imports it;
nothing here imports a format)."""

from __future__ import annotations

import os.path
from collections.abc import Callable
from typing import Protocol

from ..core.escape import slashed
from ..core.model import FileReport, Summary
from ..core.records import NamedTuple

Write = Callable[[str], None]


class Options(NamedTuple):
    color: bool = False
    checklist: bool | None = None  # None: only for public apps
    cwd: str | None = None  # absolute paths under it are reported relative (CI formats)
    quiet: bool = False  # text: findings only, no checklist and no summary


class Writer(Protocol):
    """A format written file by file: ``add`` each report as it arrives, then ``close``
    with the totals. Each format module defines a class ``Writer`` built as
    ``Writer(options, write, version)``."""

    def add(self, file: FileReport) -> None: ...

    def close(self, summary: Summary) -> None: ...


WriterClass = Callable[[Options, Write, str], Writer]


def repo_path(path: str, options: Options) -> str:
    """``path`` with / separators, relative to ``options.cwd`` when it is absolute and
    inside it (CI consumers want repository-relative paths)."""
    path = slashed(path).removeprefix("./")
    if options.cwd and os.path.isabs(path):
        relative = slashed(os.path.relpath(path, options.cwd))
        if not relative.startswith("../"):
            return relative
    return path
