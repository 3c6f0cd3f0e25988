"""Frozen records shared by every stage: spans, findings, checklists and reports."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

ERROR = "error"
WARNING = "warning"
INFO = "info"
SEVERITIES = (ERROR, WARNING, INFO)
# Rule levels that depend on the manifest's visibility (SPEC §3).
PUBLISH = "publish"
WARNING_TO_ERROR = "warning→error"
LEVELS = (*SEVERITIES, PUBLISH, WARNING_TO_ERROR)


@dataclass(frozen=True, order=True)
class Span:
    """A region of the source: 1-based lines and columns, end column exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int

    @classmethod
    def point(cls, line: int, column: int) -> Span:
        return cls(line, column, line, column + 1)


START = Span(1, 1, 1, 1)


@dataclass(frozen=True)
class Finding:
    """One problem at one place. ``severity`` is a level until the engine resolves it."""

    code: str
    slug: str
    severity: str
    message: str
    span: Span
    pointer: str = ""
    fixable: bool = False

    @property
    def sort_key(self) -> tuple[int, int, str, str]:
        return (self.span.line, self.span.column, self.code, self.message)


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    status: str  # pass | warn | fail | n/a
    codes: tuple[str, ...]
    detail: str


@dataclass(frozen=True)
class Readiness:
    ready: bool
    items: tuple[ChecklistItem, ...]


@dataclass(frozen=True)
class Frame:
    """Source for a code frame: a line (secrets masked), or the part of a very long
    line around its findings; ``offset`` characters of the line come before ``text``."""

    text: str
    offset: int = 0
    length: int = -1  # the whole line's length; -1: ``text`` is the whole line

    @property
    def cut_after(self) -> bool:
        return self.length > self.offset + len(self.text)


@dataclass(frozen=True)
class FileReport:
    """Everything a reporter needs about one file; ``frames`` holds only the
    (already redacted) source lines that findings point at, so reports stay small."""

    path: str
    findings: tuple[Finding, ...]
    readiness: Readiness | None = None
    public: bool = False
    frames: Mapping[int, Frame] = field(default_factory=lambda: MappingProxyType({}))
    omitted: int = 0  # findings beyond the per-file cap, shown as "N more"
    error: str | None = None  # an internal failure for this file, one line

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)


@dataclass(frozen=True)
class Summary:
    files: int
    errors: int
    warnings: int
    infos: int


@dataclass(frozen=True)
class RunReport:
    files: tuple[FileReport, ...]
    tool_version: str

    @property
    def summary(self) -> Summary:
        return Summary(
            files=len(self.files),
            errors=sum(f.count(ERROR) for f in self.files),
            warnings=sum(f.count(WARNING) for f in self.files),
            infos=sum(f.count(INFO) for f in self.files),
        )
