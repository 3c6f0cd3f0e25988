"""The app (SPEC §11.1): one manifest linted as Close judges it — with every base of its
``extends`` chain (``project.Project`` reads them once per run), the manifests of its
repository it is compared with (CA421–CA424), and the applied record beside it (CA601);
and one base judged through the apps whose chain holds it. Every way of running lints a
file through here: the pipeline (many files, in order), its workers, --fix, the language
server. An internal failure becomes the report's ``error``; nothing here prints.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import suppress
from typing import TYPE_CHECKING

from ..core.document import Document
from ..core.escape import error_text, slashed
from ..core.model import RECORD, FileReport, Finding
from ..core.records import NamedTuple
from ..judge.engine import ExtraFindings, Merge, base_report, judged, lint_with_document, unreadable_report
from ..load import files
from ..load.config import Config
from ..load.project import Project
from ..load.source import LoadResult, load
from ..rules.environments import Sibling, Siblings, across, sibling

if TYPE_CHECKING:
    from ..judge.applied import Record
    from .netcheck import Settings

ReadStdin = Callable[[int], bytes]  # (size limit) -> bytes


class Input(NamedTuple):
    """What a run reads: the discovered paths ("-" is standard input) and the config."""

    paths: list[str]
    cfg: Config
    stdin_name: str | None = None  # the name to report standard input under
    read_stdin: ReadStdin | None = None


class Options(NamedTuple):
    """How a run goes (one frozen value, built once from the flags)."""

    jobs: int = 0  # processes that lint (this one and helpers); 0: one per core, when the measured work pays
    urls: Settings | None = None  # --check-urls
    fix: bool = False  # fix in place; the reports are of what remains
    diff: bool = False  # --diff: each report carries the diff --fix would make
    root: str = "."  # --fix never writes through a symlink that leads outside it
    write_stdin: Callable[[bytes], None] | None = None  # --fix of standard input: the fixed bytes


class Source(NamedTuple):
    path: str  # on disk, or "-"
    name: str  # as reported
    raw: bytes | FileReport  # the bytes, or the report of a file that cannot be read


def guarded_read(path: str, cfg: Config, project: Project | None = None) -> bytes | Finding | FileReport:
    try:
        return project.raw(path) if project is not None else files.read(path, cfg.max_file_size)
    except Exception as exc:  # noqa: BLE001 - one bad file must not take the others down
        return failed(path, exc)


def failed(name: str, exc: BaseException) -> FileReport:
    return FileReport(path=slashed(name), findings=(), error=error_text(exc))


def guarded(name: str, work: Callable[[], FileReport]) -> FileReport:
    """``work``'s report; an internal failure becomes the report's ``error``."""
    try:
        return work()
    except Exception as exc:  # noqa: BLE001 - one bad file must not take the others down
        return failed(name, exc)


def lint_source(source: Source, cfg: Config, project: Project, extra: ExtraFindings | None = None, loaded: LoadResult | None = None) -> FileReport:
    if not isinstance(source.raw, bytes):
        return source.raw
    raw = source.raw
    where = source.name if source.path == "-" else source.path  # on disk: what is beside it
    if files.is_record_name(os.path.basename(where)):
        return guarded(source.name, lambda: _record(raw, source.name, where, cfg))
    return guarded(
        source.name,
        lambda: lint_with_document(
            raw, source.name, cfg, extra=compared(drift(extra, where, cfg), where, cfg, project), loaded=loaded, merge=merging(where, project)
        )[0],
    )


def merging(where: str, project: Project) -> Merge:
    """How a manifest at ``where`` that says ``extends`` is merged with its bases."""
    if where == "-":
        from ..load.extends import unresolved

        return lambda own: unresolved(own, "standard input has no folder to find its base in; name it with --stdin-filename PATH")
    return lambda own: project.merge(where, own)


_ACROSS = frozenset({"CA421", "CA422", "CA423", "CA424"})


def compares(where: str, cfg: Config) -> bool:
    """Whether the manifest at ``where`` is compared with its repository (CA421–CA424 on)."""
    return where != "-" and not _ACROSS.isdisjoint(cfg.enabled(slashed(where)))


def compared(extra: ExtraFindings | None, where: str, cfg: Config, project: Project) -> ExtraFindings | None:
    """With any of CA421–CA424 on, the manifest is compared with every manifest of its
    repository (the scan is made once per run)."""
    if not compares(where, cfg):
        return extra
    shown = project.shown(where)

    def both(doc: Document) -> list[Finding]:
        scanned = project.scan(where)
        found: list[Finding] = []
        if scanned is not None and project.pending:  # the repository is not fully known yet: judged when it is (in_order)
            me = sibling(shown, doc.data)
            project.settle(shown, me)
            project.provisional[shown] = Provisional(me, doc.data.get("visibility"), scanned.siblings)
        elif scanned is not None:
            found = list(across(doc, shown, scanned.siblings))
        return [*(extra(doc) if extra is not None else ()), *found]

    return both


def _beside(record: str) -> frozenset[str]:
    """The names of the manifests a record may belong to that exist beside it."""
    folder = os.path.dirname(record)
    return frozenset(os.path.basename(p) for p in files.present(tuple(os.path.join(folder, n) for n in files.manifests_of(os.path.basename(record)))))


def _record(raw: bytes, name: str, where: str, cfg: Config) -> FileReport:
    """An applied record (SPEC §10): CA602, CA603, and CA411/CA008 like any file."""
    from ..judge import applied

    return judged(name, applied.lint(raw, name, beside=_beside(where)), cfg, kind=RECORD)


class Beside(NamedTuple):
    """The applied record beside a manifest, as read."""

    path: str
    exists: bool
    record: Record | None  # None: absent, unreadable or invalid
    problems: tuple[Finding, ...]  # why it is unreadable or invalid (CA005, CA602)


def record_beside(manifest: str, cfg: Config) -> Beside:
    """Read and check the applied record beside ``manifest`` (one ``stat`` when there is none)."""
    from ..judge import applied

    path = files.record_of(manifest)
    if not os.path.lexists(path):
        return Beside(path, False, None, ())
    raw = files.read(path, cfg.max_file_size)
    if not isinstance(raw, bytes):
        return Beside(path, True, None, (raw,))
    record, found = applied.read(raw, path, beside=_beside(path))
    return Beside(path, True, record, tuple(f for f in found if f.code in ("CA602", "CA005")))


def drift(extra: ExtraFindings | None, manifest: str, cfg: Config, beside: Beside | None = None) -> ExtraFindings | None:
    """With CA601 selected (it is not by default), the manifest is compared with the
    applied record beside it (read here unless ``beside`` is that record, already read):
    one ``stat``, and a read when there is a record."""
    if "CA601" not in cfg.enabled(slashed(manifest)):
        return extra
    from ..judge import applied

    found = beside if beside is not None else record_beside(manifest, cfg)
    record = found.record
    if record is None:
        return extra

    def both(doc: Document) -> list[Finding]:
        return [*(extra(doc) if extra is not None else ()), *applied.drift(doc, record, os.path.basename(found.path))]

    return both


def lint_path(path: str, cfg: Config, project: Project) -> FileReport:
    if compares(path, cfg):
        with suppress(Exception):  # the scan first, so that its read serves this file; a failing scan is this file's error below
            project.scan(path)
    raw = guarded_read(path, cfg, project)
    report = lint_source(Source(path, path, raw if isinstance(raw, (bytes, FileReport)) else unreadable_report(path, raw)), cfg, project)
    if project.pending and isinstance(raw, bytes):
        project.settle_read(path, raw)  # its lint gave no keys (a no-op when it did)
    return report


class Provisional(NamedTuple):
    """A manifest linted before its repository was fully known: what CA421–CA424 need."""

    me: Sibling
    visibility: object
    siblings: Siblings


_RANK = {"error": 0, "warning": 1, "info": 2}


class Inherited:
    """The findings manifests made about values their bases set, gathered by base: each
    once (by code, place and message), with the manifests it affects and the most severe
    level among them."""

    def __init__(self, *, keep: bool = False) -> None:
        self.by_base: dict[str, dict[tuple[str, object, str, str], _Gathered]] = {}  # a base's real path -> (code, span, pointer, message) -> …
        self.shown: dict[str, str] = {}  # a base's real path -> its path as shown
        self.linted: set[str] = set()  # the manifests linted (as shown)
        self.keep = keep  # keep the reports of the manifests linted for a base (an editor shows their verdicts)
        self.reports: list[FileReport] = []

    def add(self, report: FileReport, *, extends: bool = True) -> None:
        """Gather ``report``'s findings about its bases' values; ``extends``: whether any
        manifest of the run extends a base (only then is it remembered as linted, for the
        bases reported at the end)."""
        if extends:
            self.linted.add(files.shown(report.path))
        if report.unreadable_base is not None:  # the base that broke its chain: its own report says why
            key = os.path.realpath(report.unreadable_base)
            self.shown.setdefault(key, report.unreadable_base)
            self.by_base.setdefault(key, {})
        for base, f in (*report.inherited, *report.kept_out_in_bases) if report.kept_out_in_bases else report.inherited:
            key = os.path.realpath(base)
            self.shown.setdefault(key, base)
            found = self.by_base.setdefault(key, {})
            same = (f.code, f.span, f.pointer, f.message)
            gathered = found.get(same)
            if gathered is None:
                found[same] = _Gathered(f, report.path)
            else:
                gathered.add(f, report.path)

    def of(self, base: str) -> list[Finding]:
        """The findings gathered for the base at real path ``base``, each naming its manifests."""
        return [g.finding._replace(inherited_by=tuple(g.paths)) for g in self.by_base.get(base, {}).values()]


class _Gathered:
    """One finding about a base's value, at the most severe level among the manifests it is
    about (their paths appended, never copied: thousands of manifests stay linear)."""

    __slots__ = ("finding", "paths")

    def __init__(self, finding: Finding, path: str) -> None:
        self.finding, self.paths = finding, [path]

    def add(self, finding: Finding, path: str) -> None:
        self.paths.append(path)
        before = self.finding
        if _RANK[finding.severity] < _RANK[before.severity] or (finding.fixable and not before.fixable):
            worst = min(before.severity, finding.severity, key=_RANK.__getitem__)
            self.finding = before._replace(severity=worst, fixable=before.fixable or finding.fixable)


def lint_base(raw: bytes, path: str, cfg: Config, *, project: Project | None = None, limit: int | None = None) -> FileReport:
    """One base an editor holds (SPEC §11): checked on its own and through the manifests
    of the repository that extend it (an editor's open buffers before the disk) — at most
    ``limit`` of them, so that one base with thousands of manifests never holds up the
    editor's other documents (the report's notice says how many were judged)."""
    project = project if project is not None else Project(cfg)
    inherited = Inherited(keep=True)

    def run() -> FileReport:
        children = project.children(path)
        found = through_children(path, os.path.realpath(path), inherited, project, children[:limit] if limit is not None else children)
        report = base_report(path, load(raw, max_size=cfg.max_file_size), cfg, inherited=found, merge=merging(path, project))
        report = report._replace(apps=tuple(inherited.reports))
        if limit is not None and len(children) > limit:
            report = report._replace(notice=f"judged through the first {limit} of the {len(children):,} manifests that extend it; run closeapp-lint for all")
        return report

    return guarded(path, run)


def through_children(path: str, real: str, inherited: Inherited, project: Project, children: list[str] | None = None) -> list[Finding]:
    """What the manifests extending the base at ``path`` (or ``children`` of them) found in
    it (each manifest not linted yet in this run is linted now, for that, and not reported)."""
    for child in project.children(path) if children is None else children:
        if files.shown(child) not in inherited.linted:
            report = lint_path(child, project.cfg, project)
            inherited.add(report)
            if inherited.keep:
                inherited.reports.append(report)
    return inherited.of(real)
