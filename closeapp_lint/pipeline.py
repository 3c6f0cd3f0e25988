"""The one road from inputs to reports: every way of running closeapp-lint — the
command line, the language server, the Action through the command line — goes through
:func:`reports` (many inputs) or :func:`lint_document` (one document an editor holds).

Reading, worker processes, --check-urls, --fix and --diff are options of this road
(:class:`Options`, one frozen value); each input comes out as one :class:`FileReport`,
in order, as soon as it is ready. One bad file never stops the others: an internal
failure becomes that report's ``error``, and ``on_error`` gets it as one line
(:func:`escape.internal_error_line`), here and nowhere else. Nothing here prints.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import suppress
from functools import partial
from types import MappingProxyType
from typing import TYPE_CHECKING, TypeVar

from . import files
from .config import Config
from .document import Document
from .engine import ExtraFindings, Merge, base_report, judged, lint_with_document, unreadable_report
from .escape import error_text, internal_error_line, safe, slashed
from .model import BASE, RECORD, FileReport, Finding, Summary
from .project import Project, Scanned
from .rules.environments import Sibling, Siblings, across, breaks, sibling
from .source import LoadResult, decode, load
from .tuples import NamedTuple

if TYPE_CHECKING:
    from concurrent.futures import Future

    from .applied import Record
    from .netcheck import Outcome, Settings, Target
    from .reporters import Writer

ReadStdin = Callable[[int], bytes]  # (size limit) -> bytes
OnError = Callable[[str], None]  # one line for the user, about one file

PARALLEL_FROM = 256  # files, at least, before workers are considered
MEASURE_FOR = 0.02  # seconds of linting in this process before helpers are decided on (about 40 files: enough to know their cost)
FORK_COST = 0.03  # seconds of work a forked helper must save to pay for itself (the keys it needs read first, the pages it copies)
POOL_COST = 0.25  # the same for a pool of spawned workers (where a process cannot fork): each imports the package again
# How fast each of two of our processes running at once goes against one alone: 0.7–0.8
# measured on a 2-core virtual machine (two interpreters linting side by side, 0.47–0.54 ms
# a file each, against 0.33–0.41 ms alone: shared caches, or two threads of one core).
# Beside one busy process on two cores that leaves a helper about 4 % of the work, so it
# pays from about 0.8 s of work on (there, with a helper: 1,000 files ran 4–11 % slower,
# 10,000 from as fast to 11 % faster).
TOGETHER = 0.78
URL_WINDOW = 64  # files read ahead while their URLs are checked (bounds memory, keeps the checks busy)


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


def _ignore(line: str) -> None:
    """on_error for a caller that reads ``FileReport.error`` itself."""


_PLAIN = Options()


def reports(run: Input, options: Options = _PLAIN, *, on_error: OnError = _ignore) -> Iterator[FileReport]:
    """A report for every input, in order, as each is ready; then one for each base
    (SPEC §11) that was named, or that holds a value a linted manifest found a problem
    with — each base once, after the manifests. A base stands for its apps: every
    manifest whose chain holds a named base is judged too (SPEC §11.1).

    --fix fixes, then judges: the files are fixed first (bases included), then every
    report is made from the files as written."""
    if options.fix and not options.diff and "-" not in run.paths:
        done = {report.path: report for report in _reports(run, options, on_error=_ignore)}
        fixed_bases = [r.path for r in done.values() if r.kind == BASE and r.fixed and r.path not in run.paths]
        for report in _reports(run._replace(paths=[*run.paths, *fixed_bases]), options._replace(fix=False), on_error=_ignore):
            before = done.get(report.path)
            if before is not None:
                report = before if before.error else report._replace(fixed=before.fixed, notice=before.notice or report.notice)
            if report.error:
                on_error(internal_error_line(report.path, report.error))
            yield report
        return
    yield from _reports(run, options, on_error=on_error)


def _reports(run: Input, options: Options, *, on_error: OnError) -> Iterator[FileReport]:
    project = Project(run.cfg)
    named_bases = [p for p in run.paths if p != "-" and files.is_base_name(os.path.basename(p))]
    named = [p for p in run.paths if p == "-" or not files.is_base_name(os.path.basename(p))]
    manifests = run._replace(paths=named + _apps_of(named_bases, named, project))
    if options.fix or options.diff:
        found: Iterable[FileReport] = (_fixed(source, run.cfg, options, project) for source in _sources(manifests))
    elif options.urls is not None:
        found = _with_urls(manifests, options.urls, project)
    elif "-" in run.paths:
        found = (_lint(source, run.cfg, project) for source in _sources(manifests))
    else:
        found = _on_disk(manifests.paths, run.cfg, options.jobs, project)
    inherited = Inherited()
    for report in found:
        if report.error:
            on_error(internal_error_line(report.path, report.error))
        inherited.add(report, extends=project.extends_any())
        yield report
    for report in _base_reports(named_bases, inherited, project, options):
        if report.error:
            on_error(internal_error_line(report.path, report.error))
        yield report


def _apps_of(bases: list[str], named: list[str], project: Project) -> list[str]:
    """The manifests whose chain holds one of ``bases`` that are not named already, in the
    order the scan found them: a base stands for its apps."""
    if not bases:
        return []
    known = {os.path.realpath(p) for p in named if p != "-"}
    found: list[str] = []
    for base in bases:
        try:
            children = project.children(base)
        except Exception:  # noqa: BLE001 - a failing scan is the base's error, reported with it
            children = []
        for child in children:
            real = os.path.realpath(child)
            if real not in known:
                known.add(real)
                found.append(child)
    return found


def write(found: Iterable[FileReport], writers: list[Writer]) -> tuple[Summary, bool]:
    """Hand each report to every writer as it arrives, then close them with the totals:
    nothing is kept, so memory stays flat in the number of files. (totals, any error)"""
    summary, failed = Summary(0, 0, 0, 0), False
    for report in found:
        for out in writers:
            out.add(report)
        summary, failed = summary.plus(report.counts()), failed or bool(report.error)
    for out in writers:
        out.close(summary)
    return summary, failed


def lint_document(
    raw: bytes, path: str, cfg: Config, *, beside: Beside | None = None, project: Project | None = None, values: bool = True
) -> tuple[FileReport, Document | None]:
    """One document (an editor's buffer, the manifest of a publication request or a
    plan): its report and the loaded document — with ``values``, merged with the bases it
    extends (what Close is given: a packet, a plan); without, the file as written (an
    editor's fixes and comments). ``beside`` is the applied record already read by the
    caller (a plan), so it is not read again; ``project`` is the repository state to
    reuse (an editor's, which reads open buffers before the disk)."""
    loaded: list[LoadResult] = []
    project = project if project is not None else Project(cfg)

    def run() -> FileReport:
        report, result = lint_with_document(raw, path, cfg, extra=_across(_drift(None, path, cfg, beside), path, cfg, project), merge=_merging(path, project))
        loaded.append(result)
        return report

    report = _guarded(path, run)
    doc = loaded[0].document if loaded and report.error is None else None
    if values and doc is not None and "extends" in doc.data:
        doc = project.merge(path, doc).doc  # the bases are read already: no file is read again
    return report, doc


# -- reading ---------------------------------------------------------------------------


class _Source(NamedTuple):
    path: str  # on disk, or "-"
    name: str  # as reported
    raw: bytes | FileReport  # the bytes, or the report of a file that cannot be read


def _sources(run: Input) -> Iterator[_Source]:
    """Each input's bytes (standard input read once, here and nowhere else)."""
    for path in run.paths:
        if path == "-":
            name = run.stdin_name or "-"
            raw: bytes | Finding | FileReport = run.read_stdin(run.cfg.max_file_size) if run.read_stdin else b""
        else:
            name, raw = path, _guarded_read(path, run.cfg)
        yield _Source(path, name, raw if isinstance(raw, (bytes, FileReport)) else unreadable_report(name, raw))


def _guarded_read(path: str, cfg: Config, project: Project | None = None) -> bytes | Finding | FileReport:
    try:
        return project.raw(path) if project is not None else files.read(path, cfg.max_file_size)
    except Exception as exc:  # noqa: BLE001 - one bad file must not take the others down
        return _failed(path, exc)


def _failed(name: str, exc: BaseException) -> FileReport:
    return FileReport(path=slashed(name), findings=(), error=error_text(exc))


def _guarded(name: str, work: Callable[[], FileReport]) -> FileReport:
    """``work``'s report; an internal failure becomes the report's ``error``."""
    try:
        return work()
    except Exception as exc:  # noqa: BLE001 - one bad file must not take the others down
        return _failed(name, exc)


def _lint(source: _Source, cfg: Config, project: Project, extra: ExtraFindings | None = None, loaded: LoadResult | None = None) -> FileReport:
    if not isinstance(source.raw, bytes):
        return source.raw
    raw = source.raw
    where = source.name if source.path == "-" else source.path  # on disk: what is beside it
    if files.is_record_name(os.path.basename(where)):
        return _guarded(source.name, lambda: _record(raw, source.name, where, cfg))
    return _guarded(
        source.name,
        lambda: lint_with_document(
            raw, source.name, cfg, extra=_across(_drift(extra, where, cfg), where, cfg, project), loaded=loaded, merge=_merging(where, project)
        )[0],
    )


def _merging(where: str, project: Project) -> Merge:
    """How a manifest at ``where`` that says ``extends`` is merged with its bases."""
    if where == "-":
        from .extends import unresolved

        return lambda own: unresolved(own, "standard input has no folder to find its base in; name it with --stdin-filename PATH")
    return lambda own: project.merge(where, own)


_ACROSS = frozenset({"CA421", "CA422", "CA423", "CA424"})


def _compares(where: str, cfg: Config) -> bool:
    """Whether the manifest at ``where`` is compared with its repository (CA421–CA424 on)."""
    return where != "-" and not _ACROSS.isdisjoint(cfg.enabled(slashed(where)))


def _across(extra: ExtraFindings | None, where: str, cfg: Config, project: Project) -> ExtraFindings | None:
    """With any of CA421–CA424 on, the manifest is compared with every manifest of its
    repository (the scan is made once per run)."""
    if not _compares(where, cfg):
        return extra
    shown = project.shown(where)

    def both(doc: Document) -> list[Finding]:
        scanned = project.scan(where)
        found: list[Finding] = []
        if scanned is not None and project.pending:  # the repository is not fully known yet: judged when it is (_in_order)
            me = sibling(shown, doc.data)
            project.settle(shown, me)
            project.provisional[shown] = _Provisional(me, doc.data.get("visibility"), scanned.siblings)
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
    from . import applied

    return judged(name, applied.lint(raw, name, beside=_beside(where)), cfg, kind=RECORD)


class Beside(NamedTuple):
    """The applied record beside a manifest, as read."""

    path: str
    exists: bool
    record: Record | None  # None: absent, unreadable or invalid
    problems: tuple[Finding, ...]  # why it is unreadable or invalid (CA005, CA602)


def record_beside(manifest: str, cfg: Config) -> Beside:
    """Read and check the applied record beside ``manifest`` (one ``stat`` when there is none)."""
    from . import applied

    path = files.record_of(manifest)
    if not os.path.lexists(path):
        return Beside(path, False, None, ())
    raw = files.read(path, cfg.max_file_size)
    if not isinstance(raw, bytes):
        return Beside(path, True, None, (raw,))
    record, found = applied.read(raw, path, beside=_beside(path))
    return Beside(path, True, record, tuple(f for f in found if f.code in ("CA602", "CA005")))


def _drift(extra: ExtraFindings | None, manifest: str, cfg: Config, beside: Beside | None = None) -> ExtraFindings | None:
    """With CA601 selected (it is not by default), the manifest is compared with the
    applied record beside it (read here unless ``beside`` is that record, already read):
    one ``stat``, and a read when there is a record."""
    if "CA601" not in cfg.enabled(slashed(manifest)):
        return extra
    from . import applied

    found = beside if beside is not None else record_beside(manifest, cfg)
    record = found.record
    if record is None:
        return extra

    def both(doc: Document) -> list[Finding]:
        return [*(extra(doc) if extra is not None else ()), *applied.drift(doc, record, os.path.basename(found.path))]

    return both


def _lint_path(path: str, cfg: Config, project: Project) -> FileReport:
    if _compares(path, cfg):
        with suppress(Exception):  # the scan first, so that its read serves this file; a failing scan is this file's error below
            project.scan(path)
    raw = _guarded_read(path, cfg, project)
    report = _lint(_Source(path, path, raw if isinstance(raw, (bytes, FileReport)) else unreadable_report(path, raw)), cfg, project)
    if project.pending and isinstance(raw, bytes):
        project.settle_read(path, raw)  # its lint gave no keys (a no-op when it did)
    return report


class _Provisional(NamedTuple):
    """A manifest linted before its repository was fully known: what CA421–CA424 need."""

    me: Sibling
    visibility: object
    siblings: Siblings


QUEUED = 20_000  # reports at most held while the repository is not fully known
Held = list[tuple[str, FileReport, "_Provisional | None"]]  # reports linted before the repository was fully known


def _in_order(paths: list[str], cfg: Config, project: Project, stop: Callable[[int], bool] | None = None) -> Generator[FileReport, None, tuple[int, Held]]:
    """Reports for ``paths`` linted here, in order; how many were linted, and (when
    ``stop(count)`` ended the run early) the reports still held, for the caller to judge.
    The sibling scan left the keys of these manifests to their own lint
    (:meth:`Project.expect`), which parses them anyway: until the last of them is linted
    the repository is not fully known, so their reports are held, then each is judged by
    CA421–CA424 from its keys — and the few that break one are linted again, now with the
    whole repository. A report is only ever given out complete."""
    held: Held = []
    count = 0
    for path in paths:
        report = _lint_path(path, cfg, project)
        count += 1
        provisional = project.provisional.pop(project.shown(path), None) if project.provisional else None
        if held or project.pending or provisional is not None:
            held.append((path, report, provisional))
            if not project.pending or len(held) >= QUEUED:
                yield from _judged(held, cfg, project)
                held = []
        else:
            yield report
        if stop is not None and stop(count):
            return count, held
    yield from _judged(held, cfg, project)
    return count, []


def _judged(held: Held, cfg: Config, project: Project) -> Iterator[FileReport]:
    project.complete()  # the keys of pending manifests not linted yet (a run that stops early, or too many held)
    for path, report, provisional in held:
        yield _judge(path, report, provisional, cfg, project)


def _judge(path: str, report: FileReport, provisional: _Provisional | None, cfg: Config, project: Project) -> FileReport:
    """A report made before the repository was fully known, now that it is."""
    if provisional is not None and breaks(*provisional):
        return _lint_path(path, cfg, project)  # it breaks one: linted again, compared with the whole repository
    return report


# -- bases (SPEC §11) ------------------------------------------------------------------


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


def _base_reports(named: list[str], inherited: Inherited, project: Project, options: Options) -> Iterator[FileReport]:
    """Each base once: the named ones (linted through every manifest of the repository
    that extends them), then the others a linted manifest found a problem in (judged
    through the manifests linted)."""
    named_real = {os.path.realpath(p): p for p in named}
    order = list(dict.fromkeys([*named_real, *inherited.by_base]))
    shown = inherited.shown | named_real
    for real in order:
        yield _guarded(shown[real], partial(_base, shown[real], real, inherited, project, options, every_app=real in named_real))


def lint_base(raw: bytes, path: str, cfg: Config, *, project: Project | None = None, limit: int | None = None) -> FileReport:
    """One base an editor holds (SPEC §11): checked on its own and through the manifests
    of the repository that extend it (an editor's open buffers before the disk) — at most
    ``limit`` of them, so that one base with thousands of manifests never holds up the
    editor's other documents (the report's notice says how many were judged)."""
    project = project if project is not None else Project(cfg)
    inherited = Inherited(keep=True)

    def run() -> FileReport:
        children = project.children(path)
        found = _through_children(path, os.path.realpath(path), inherited, project, children[:limit] if limit is not None else children)
        report = base_report(path, load(raw, max_size=cfg.max_file_size), cfg, inherited=found, merge=_merging(path, project))
        report = report._replace(apps=tuple(inherited.reports))
        if limit is not None and len(children) > limit:
            report = report._replace(notice=f"judged through the first {limit} of the {len(children):,} manifests that extend it; run closeapp-lint for all")
        return report

    return _guarded(path, run)


def _through_children(path: str, real: str, inherited: Inherited, project: Project, children: list[str] | None = None) -> list[Finding]:
    """What the manifests extending the base at ``path`` (or ``children`` of them) found in
    it (each manifest not linted yet in this run is linted now, for that, and not reported)."""
    for child in project.children(path) if children is None else children:
        if files.shown(child) not in inherited.linted:
            report = _lint_path(child, project.cfg, project)
            inherited.add(report)
            if inherited.keep:
                inherited.reports.append(report)
    return inherited.of(real)


def _base(path: str, real: str, inherited: Inherited, project: Project, options: Options, *, every_app: bool = True) -> FileReport:
    """A base's report: judged through every manifest that extends it when it was named
    (a base stands for its apps), else through the manifests this run linted — the
    other manifests of the repository are no cost of the file being checked."""
    cfg = project.cfg
    found = _through_children(path, real, inherited, project) if every_app else inherited.of(real)
    raw = _guarded_read(path, cfg, project)
    if isinstance(raw, FileReport):
        return raw
    if not isinstance(raw, bytes):
        return unreadable_report(path, raw)._replace(kind=BASE)
    if options.fix or options.diff:
        return _fix_base(path, raw, found, project, options)
    return base_report(path, load(raw, max_size=cfg.max_file_size), cfg, inherited=found, merge=_merging(path, project))


def _fix_base(path: str, raw: bytes, found: list[Finding], project: Project, options: Options) -> FileReport:
    """--fix of a base: the fixable findings its manifests found in it, applied to the
    base's own bytes (the manifests were fixed already); --diff: the diff it would make.
    The report is of what remains, judged again through the manifests (with --diff, as if
    the base were fixed)."""
    from . import fixes

    cfg = project.cfg
    fixed, count = fixes.fix_base(raw, found, cfg.enabled(slashed(path)))
    if not count:
        return base_report(path, load(raw, max_size=cfg.max_file_size), cfg, inherited=found, merge=_merging(path, project))
    if options.diff:
        real = os.path.realpath(path)
        after = Project(cfg, overlay=lambda other: fixed if os.path.realpath(other) == real else None)
        return lint_base(fixed, path, cfg, project=after)._replace(fixed=count, diff=_diff(path, raw, fixed))
    if files.leaves_root(path, root=options.root):
        notice = f"not fixed: it leads outside {safe(options.root)} through a symlink"
        return base_report(path, load(raw, max_size=cfg.max_file_size), cfg, inherited=found, merge=_merging(path, project))._replace(notice=notice)
    try:
        files.write_atomic(path, fixed, through_symlink=True, root=options.root)
    except files.LeavesRoot:  # its folder was swapped for a symlink since the check
        notice = f"not fixed: it leads outside {safe(options.root)} through a symlink"
        return base_report(path, load(raw, max_size=cfg.max_file_size), cfg, inherited=found, merge=_merging(path, project))._replace(notice=notice)
    return lint_base(fixed, path, cfg, project=Project(cfg))._replace(fixed=count)


# -- workers ---------------------------------------------------------------------------


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def busy_cores() -> float:
    """How many other processes are running right now (a shared CI runner, an editor, a
    build beside us): on Linux the instantaneous count of runnable tasks (/proc/loadavg,
    ourselves not counted), else the one-minute load average."""
    try:
        with open("/proc/loadavg", encoding="utf-8") as fh:  # (the ascii codec would be one more import)
            return max(0, int(fh.read().split()[3].split("/")[0]) - 1)
    except (OSError, ValueError, IndexError):
        try:
            return max(0.0, os.getloadavg()[0] - 1)
        except (OSError, AttributeError):
            return 0.0


def workers(requested: int, count: int) -> int:
    """How many processes may lint: ``requested`` (never more than files); or (0) one per
    core this process may use (at most eight), for a run large enough to consider more
    than this one. Whether the run's work is worth them, on a machine as busy as it is
    then, is measured (:func:`_on_disk`, :func:`worth_workers`)."""
    if requested > 0:
        return min(requested, max(count, 1))
    if count < PARALLEL_FROM:
        return 1
    return max(1, min(cpu_count(), 8))


def share(processes: int, cores: int, busy: float) -> float:
    """The cores' worth of CPU time ``processes`` runnable processes of ours get beside
    ``busy`` others on ``cores`` cores: a fair scheduler gives each runnable task the same
    part, and one task never more than one core."""
    return min(float(processes), cores * processes / (processes + busy))


def worth_workers(per_file: float, remaining: int, processes: int, busy: float = 0.0) -> bool:
    """Whether the remaining work, at the cost measured so far, is finished sooner enough
    by ``processes`` processes than by this one alone to pay for starting the helpers: the
    share of the cores they win (on a busy machine, fair scheduling gives more processes a
    larger part), each going at TOGETHER of its speed alone. Two of ours beside one other
    process on two cores win 4/3 of a core, at that speed hardly more than one process
    alone: a helper pays only for a large run; on four cores they win 3.2 cores."""
    if processes < 2:
        return False
    from . import forked

    cores = cpu_count()
    saved = per_file * remaining * (1 - share(1, cores, busy) / (share(processes, cores, busy) * TOGETHER))
    return saved > (FORK_COST if forked.available() else POOL_COST)


def _on_disk(paths: list[str], cfg: Config, requested: int, project: Project) -> Iterator[FileReport]:
    """Reports for files on disk, in order. With ``requested`` processes, in that many
    for the whole run (this one and helpers, :func:`_pooled`). By default the first files
    are linted here while the cost per file is measured; after MEASURE_FOR seconds the
    rest is shared with one helper per other core only when that work, at that cost and
    on a machine as busy as it is then, is finished sooner enough to pay for them (a
    one-core machine, or a run nearly done, stays in this process)."""
    jobs = workers(requested, len(paths))
    project.expect(paths)
    if requested > 0 and jobs > 1 and len(paths) >= 2:
        yield from _pooled(paths, cfg, jobs, project, [])
        return
    if requested > 0 or jobs <= 1:
        yield from _in_order(paths, cfg, project)
        return
    if paths and _compares(paths[0], cfg):
        with suppress(Exception):  # the sibling scan is made once, before the clock starts: it is no file's cost (a failing scan is the file's error)
            project.scan(paths[0])
    started = time.perf_counter()
    decided = False

    def pool_now(done: int) -> bool:
        """After MEASURE_FOR seconds, once: whether the rest is shared with helpers."""
        nonlocal decided
        elapsed = time.perf_counter() - started
        if decided or elapsed < MEASURE_FOR:
            return False
        decided = True
        rest = len(paths) - done
        return rest >= 2 and worth_workers(elapsed / done, rest, jobs, busy_cores())  # as busy as the machine is now, not at the start

    done, held = yield from _in_order(paths, cfg, project, stop=pool_now)
    if done < len(paths):
        yield from _pooled(paths[done:], cfg, jobs, project, held)
    else:
        yield from _judged(held, cfg, project)


def _pooled(paths: list[str], cfg: Config, jobs: int, project: Project, held: Held) -> Iterator[FileReport]:
    """The reports ``held`` (judged), then those of ``paths`` from ``jobs`` processes:
    this one and helpers forked from it (:mod:`forked`), which start with its scan and the
    bytes it holds; where a process cannot fork, from a pool of ``jobs`` workers handed
    the scan. The keys the scan left to the lint of ``paths`` (:meth:`Project.expect`)
    are read here while the helpers lint: what they linted comes back with the keys it
    was compared without, and is judged here against the whole repository."""
    from . import forked  # pickle and select: a run large enough for helpers only

    project.scan(paths[0])  # made once, here, before any helper starts
    if not forked.available():
        yield from _judged(held, cfg, project)  # the keys every worker needs, read first
        project.release()  # the workers read their files themselves
        shipped = _map(_lint_task, paths, jobs, cfg, project.scans)
        yield from (r._replace(frames=MappingProxyType(r.frames)) for r in shipped)
        return
    with forked.shared(paths, partial(_lint_shared, cfg=cfg, project=project), jobs - 1) as results:
        yield from _judged(held, cfg, project)  # the repository is fully known from here on
        for path, (report, me, visibility) in zip(paths, results):
            scanned = project.scan(path) if me is not None else None
            yield _judge(path, report, _Provisional(me, visibility, scanned.siblings) if me is not None and scanned is not None else None, cfg, project)


def _lint_shared(path: str, cfg: Config, project: Project) -> tuple[FileReport, Sibling | None, object]:
    """A manifest linted by a helper or this process: its report, and, when it was linted
    before the repository was fully known, its compared keys and visibility."""
    report = _lint_path(path, cfg, project)
    provisional = project.provisional.pop(project.shown(path), None) if project.provisional else None
    return (report, None, None) if provisional is None else (report, provisional.me, provisional.visibility)


T = TypeVar("T")
_shared: dict[str, Project] = {}  # what every task of a worker shares, sent once per worker


def _map(task: Callable[[str], T], paths: list[str], jobs: int, cfg: Config, scans: dict[str, Scanned]) -> Iterator[T]:
    import multiprocessing

    chunk = max(1, min(256, len(paths) // (jobs * 8)))
    with multiprocessing.get_context("spawn").Pool(jobs, initializer=_start_worker, initargs=(cfg, scans)) as pool:
        yield from pool.imap(task, paths, chunksize=chunk)


def _start_worker(cfg: Config, scans: dict[str, Scanned]) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the parent stops the pool
    _shared["project"] = Project(cfg, scans)


def _lint_task(path: str) -> FileReport:
    project = _shared["project"]
    report = _lint_path(path, project.cfg, project)
    return report._replace(frames=dict(report.frames))  # a mapping proxy cannot be pickled


# -- --check-urls ----------------------------------------------------------------------


def _with_urls(run: Input, settings: Settings, project: Project) -> Iterator[FileReport]:
    """Each file is read and parsed once; its URLs go to the checker at once (each
    distinct URL checked once, concurrently) and its report is finished when they are
    answered. Reports come in order; at most ``URL_WINDOW`` files wait at a time."""
    from collections import deque

    from . import netcheck

    def finish(source: _Source, loaded: LoadResult | None, started: list[tuple[Target, Future[Outcome]]]) -> FileReport:
        outcomes = {target: future.result() for target, future in started}
        return _lint(source, run.cfg, project, lambda doc: netcheck.findings(doc, outcomes), loaded)

    waiting: deque[tuple[_Source, LoadResult | None, list[tuple[Target, Future[Outcome]]]]] = deque()
    with netcheck.Checker(settings) as checker:
        for source in _sources(run):
            loaded, started = None, []
            if isinstance(source.raw, bytes) and not files.is_record_name(os.path.basename(source.name)):  # a record's URLs are not fetched
                document = None
                try:
                    loaded = load(source.raw, max_size=run.cfg.max_file_size)
                    document = loaded.document
                    if document is not None and "extends" in document.data and source.path != "-":
                        document = project.merge(source.path, document).doc  # the URLs it inherits are checked too
                except Exception:  # noqa: BLE001 - linting it again reports the failure as this file's error
                    loaded, document = None, None
                started = [(target, checker.submit(target)) for _, target in netcheck.targets(document)] if document is not None else []
            waiting.append((source, loaded, started))
            if len(waiting) >= URL_WINDOW:
                yield finish(*waiting.popleft())
        while waiting:
            yield finish(*waiting.popleft())


# -- --fix and --diff ------------------------------------------------------------------


def _fixed(source: _Source, cfg: Config, options: Options, project: Project) -> FileReport:
    """--fix: the file fixed in place (standard input: to ``write_stdin``), never through a
    symlink that leads outside the root; --diff: the diff it would make. The report is
    of what remains, with ``fixed`` counting the fixes (applied, or that would be)."""
    if not isinstance(source.raw, bytes) or files.is_record_name(os.path.basename(source.name)):
        return _lint(source, cfg, project)  # an applied record has nothing to fix
    raw = source.raw
    return _guarded(source.name, lambda: _fix_one(source, raw, cfg, options, project))


def _fix_one(source: _Source, raw: bytes, cfg: Config, options: Options, project: Project) -> FileReport:
    from . import fixes

    where = source.name if source.path == "-" else source.path
    result = fixes.fix(raw, source.name, cfg, extra=_across(_drift(None, where, cfg), where, cfg, project), merge=_merging(where, project))
    if options.diff:
        return result.report._replace(fixed=result.applied, diff=_diff(source.name, raw, result.raw) if result.applied else "")
    if source.path == "-":
        if options.write_stdin is not None:
            options.write_stdin(result.raw)
    elif result.applied and files.leaves_root(source.path, root=options.root):
        notice = f"not fixed: it leads outside {safe(options.root)} through a symlink"
        unfixed = lint_with_document(raw, source.name, cfg, extra=_across(None, where, cfg, project), merge=_merging(where, project))[0]
        return unfixed._replace(notice=notice)  # what is in the file, unfixed
    elif result.applied:
        try:
            files.write_atomic(source.path, result.raw, through_symlink=True, root=options.root)  # a symlink inside the root stays a symlink
        except files.LeavesRoot:  # its folder was swapped for a symlink since the check
            unfixed = lint_with_document(raw, source.name, cfg, extra=_across(None, where, cfg, project), merge=_merging(where, project))[0]
            return unfixed._replace(notice=f"not fixed: it leads outside {safe(options.root)} through a symlink")
    return result.report._replace(fixed=result.applied)


def _diff(name: str, raw: bytes, fixed: bytes) -> str:
    """The unified diff --fix would make, credentials masked, control characters escaped."""
    import difflib

    from .credentials import mask_source, secrets_in

    before, after = decode(raw), decode(fixed)
    assert isinstance(before, str) and isinstance(after, str)
    # Context lines never show a credential, nor do lines a credential was copied into.
    before, after = mask_source(before), mask_source(after, secrets_in(before))
    shown = safe(name)
    lines = difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True), f"a/{shown}", f"b/{shown}")
    return "".join(_shown_line(line) for line in lines)


def _shown_line(line: str) -> str:
    """A diff line for a terminal: control and bidi characters of the source escaped."""
    body = line.removesuffix("\n")
    return safe(body) + line[len(body) :]
