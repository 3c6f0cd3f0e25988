"""Immutable records shared by every stage: spans, findings, checklists and reports.

NamedTuples (flake8's ``Violation`` is the model): immutable, compared field by field
(message included), and about six times cheaper to define than frozen dataclasses,
which matters when pre-commit starts a process per commit."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from .records import NamedTuple

ERROR = "error"
WARNING = "warning"
INFO = "info"
SEVERITIES = (ERROR, WARNING, INFO)
# Rule levels that depend on the manifest's visibility (SPEC §3).
PUBLISH = "publish"
WARNING_TO_ERROR = "warning→error"
LEVELS = (*SEVERITIES, PUBLISH, WARNING_TO_ERROR)


class Span(NamedTuple):
    """A region of the source: 1-based lines and columns, end column exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int


class Edit(NamedTuple):
    """Replace ``text[start:end]`` (character offsets in the decoded text): what a fix is made of."""

    start: int
    end: int
    replacement: str


class Finding(NamedTuple):
    """One problem at one place. ``severity`` is a level until the engine resolves it."""

    code: str
    slug: str
    severity: str
    message: str
    span: Span
    pointer: str = ""
    fixable: bool = False
    inherited_by: tuple[str, ...] = ()  # on a base: the manifests whose merged values it is about (SPEC §11)

    @property
    def sort_key(self) -> tuple[int, int, str, str]:
        return (self.span.line, self.span.column, self.code, self.message)


class ChecklistItem(NamedTuple):
    id: str
    status: str  # pass | warn | fail | n/a
    codes: tuple[str, ...]
    detail: str


class Readiness(NamedTuple):
    ready: bool
    items: tuple[ChecklistItem, ...]
    # An app of a development or staging environment stays private by design (SPEC §5,
    # round 4): its checklist is shown, and it is left out of every publication verdict.
    stays_private: bool = False

    @property
    def judged(self) -> bool:
        """Whether this app counts for a run's publication verdict."""
        return not self.stays_private


class Frame(NamedTuple):
    """Source for a code frame: a line (secrets masked), or the part of a very long
    line around its findings; ``offset`` characters of the line come before ``text``."""

    text: str
    offset: int = 0
    length: int = -1  # the whole line's length; -1: ``text`` is the whole line

    @property
    def cut_after(self) -> bool:
        return self.length > self.offset + len(self.text)


MANIFEST = "manifest"
RECORD = "record"
BASE = "base"  # a *.closeapp-base.yaml that manifests extend (SPEC §11)


class FileReport(NamedTuple):
    """Everything a reporter needs about one file; ``frames`` holds only the
    (already redacted) source lines that findings point at, so reports stay small."""

    path: str
    findings: tuple[Finding, ...]
    readiness: Readiness | None = None
    public: bool = False
    frames: Mapping[int, Frame] = MappingProxyType({})
    omitted: int = 0  # findings beyond the per-file cap, shown as "N more"
    error: str | None = None  # an internal failure for this file, one line
    omitted_by: tuple[int, int, int] = (0, 0, 0)  # of those: errors, warnings, infos
    fixed: int = 0  # --fix: fixes applied to the file; --diff: fixes the diff would apply
    diff: str = ""  # --diff: the unified diff --fix would make
    notice: str | None = None  # one line for the user about the run, not a finding (a fix refused)
    kind: str = MANIFEST  # MANIFEST; RECORD or BASE: no checklist, not counted for readiness
    # A manifest's findings about values a base set: (the base's path, the finding at this
    # manifest's level). The run reports each once, on the base, with ``inherited_by``.
    inherited: tuple[tuple[str, Finding], ...] = ()
    # Of the findings about its bases, those a comment in the base kept out: the base's
    # report applies its comments again, and so knows they were used.
    kept_out_in_bases: tuple[tuple[str, Finding], ...] = ()
    unreadable_base: str | None = None  # the base of its chain that cannot be read: reported with it (SPEC §11.1)
    # A base an editor holds: the reports of the apps whose chain holds it, as judged with
    # it (a base stands for its apps, SPEC §11.1 — what its change removed shows there).
    apps: tuple[FileReport, ...] = ()

    def counts(self) -> Counts:
        """What this file adds to a :class:`Summary`: its findings by severity (shown or
        beyond the per-file cap), those left out, the fixable ones, whether it is not ready.
        One pass over the findings (this runs for every file of a run)."""
        not_ready = int(not self.ready) if self.kind == MANIFEST and (self.readiness is None or self.readiness.judged) else 0
        errors, warnings, infos = self.omitted_by if self.omitted else (0, 0, 0)
        fixable = 0
        for f in self.findings:
            if f.severity == ERROR:
                errors += 1
            elif f.severity == WARNING:
                warnings += 1
            elif f.severity == INFO:
                infos += 1
            fixable += f.fixable
        return Counts(errors, warnings, infos, self.omitted, fixable, not_ready)

    @property
    def app_errors(self) -> int:
        """The error-level findings of the app this manifest is (SPEC §11.1): its own and
        those its lint found in the bases of its chain (reported on them), however many."""
        return self.counts().errors + sum(1 for _, f in self.inherited if f.severity == ERROR)

    @property
    def ready(self) -> bool:
        """Whether the checklist of this file says ready to publish (a file that could not
        be read has none, so it is not)."""
        return self.readiness is not None and self.readiness.ready and self.error is None


class Counts(NamedTuple):
    errors: int
    warnings: int
    infos: int
    omitted: int
    fixable: int
    not_ready: int


class Summary(NamedTuple):
    files: int
    errors: int
    warnings: int
    infos: int
    omitted: int = 0  # of those, beyond the per-file cap (counted, not shown)
    fixable: int = 0  # shown findings that --fix can fix
    not_ready: int = 0  # files whose checklist is not ready (or that have none)

    @property
    def ready(self) -> bool:
        """The one definition of a run's readiness (the checklist command's exit code, the
        JSON summary, the Action's output): at least one manifest, and every one ready."""
        return self.files > 0 and self.not_ready == 0

    def plus(self, counts: Counts) -> Summary:
        """This summary with one more file."""
        return Summary(
            self.files + 1,
            self.errors + counts.errors,
            self.warnings + counts.warnings,
            self.infos + counts.infos,
            self.omitted + counts.omitted,
            self.fixable + counts.fixable,
            self.not_ready + counts.not_ready,
        )


class RunReport(NamedTuple):
    files: tuple[FileReport, ...]
    tool_version: str

    @property
    def summary(self) -> Summary:
        total = Summary(0, 0, 0, 0)
        for f in self.files:
            total = total.plus(f.counts())
        return total
