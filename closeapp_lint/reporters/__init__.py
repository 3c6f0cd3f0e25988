"""Reporters: pure functions ``render(report, options) -> str``, found by format name.

The table below feeds ``--format``; a reporter module is imported only when chosen.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from ..model import RunReport

FORMATS: dict[str, str] = {
    "text": "text",
    "concise": "concise",
    "json": "json_format",
    "markdown": "markdown",
}


@dataclass(frozen=True)
class Options:
    color: bool = False
    checklist: bool | None = None  # None: only for public apps


def render(fmt: str, report: RunReport, options: Options = Options(), *, checklist_only: bool = False) -> str:
    """The report in ``fmt``; ``checklist_only`` for ``closeapp-lint checklist``."""
    module = importlib.import_module(f"{__name__}.{FORMATS[fmt]}")
    text: str = (module.render_checklist if checklist_only else module.render)(report, options)
    return text
