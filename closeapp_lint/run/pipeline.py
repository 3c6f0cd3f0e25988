"""The one road from inputs to reports: every way of running closeapp-lint — the
command line, the language server, the Action through the command line — goes through
:func:`reports` (many inputs) or :func:`lint_document` (one document an editor holds).

Reading, worker processes (``workers``), --check-urls, --fix and --diff (``fixing``)
are options of this road (:class:`Options`, one frozen value); each file is linted as
the app it belongs to (``app``); each input comes out as one :class:`FileReport`,
in order, as soon as it is ready. One bad file never stops the others: an internal
failure becomes that report's ``error``, and ``on_error`` gets it as one line
(:func:`escape.internal_error_line`), here and nowhere else. Nothing here prints.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import TYPE_CHECKING

from ..core.document import Document
from ..core.escape import internal_error_line
from ..core.model import BASE, FileReport, Finding, Summary
from ..judge.engine import base_report, lint_with_document, unreadable_report
from ..load import files
from ..load.config import Config
from ..load.project import Project
from ..load.source import LoadResult, load
from .app import (
    Beside,
    Inherited,
    Input,
    Options,
    ReadStdin,
    Source,
    compared,
    drift,
    guarded,
    guarded_read,
    lint_base,
    lint_source,
    merging,
    record_beside,
    through_children,
)
from .workers import on_disk

if TYPE_CHECKING:
    from concurrent.futures import Future

    from ..reporters import Writer
    from .netcheck import Outcome, Settings, Target

__all__ = ["Beside", "Input", "Options", "ReadStdin", "lint_base", "lint_document", "record_beside", "reports", "write"]

OnError = Callable[[str], None]  # one line for the user, about one file
URL_WINDOW = 64  # files read ahead while their URLs are checked (bounds memory, keeps the checks busy)


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
    manifests = run._replace(paths=named + apps_of(named_bases, named, project))
    if options.fix or options.diff:
        from .fixing import fix_source  # a run that fixes or diffs only

        found: Iterable[FileReport] = (fix_source(source, run.cfg, options, project) for source in _sources(manifests))
    elif options.urls is not None:
        found = _with_urls(manifests, options.urls, project)
    elif "-" in run.paths:
        found = (lint_source(source, run.cfg, project) for source in _sources(manifests))
    else:
        found = on_disk(manifests.paths, run.cfg, options.jobs, project)
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


def apps_of(bases: list[str], named: list[str], project: Project) -> list[str]:
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
        report, result = lint_with_document(raw, path, cfg, extra=compared(drift(None, path, cfg, beside), path, cfg, project), merge=merging(path, project))
        loaded.append(result)
        return report

    report = guarded(path, run)
    doc = loaded[0].document if loaded and report.error is None else None
    if values and doc is not None and "extends" in doc.data:
        doc = project.merge(path, doc).doc  # the bases are read already: no file is read again
    return report, doc


def _sources(run: Input) -> Iterator[Source]:
    """Each input's bytes (standard input read once, here and nowhere else)."""
    for path in run.paths:
        if path == "-":
            name = run.stdin_name or "-"
            raw: bytes | Finding | FileReport = run.read_stdin(run.cfg.max_file_size) if run.read_stdin else b""
        else:
            name, raw = path, guarded_read(path, run.cfg)
        yield Source(path, name, raw if isinstance(raw, (bytes, FileReport)) else unreadable_report(name, raw))


# -- bases (SPEC §11) ------------------------------------------------------------------


def _base_reports(named: list[str], inherited: Inherited, project: Project, options: Options) -> Iterator[FileReport]:
    """Each base once: the named ones (linted through every manifest of the repository
    that extends them), then the others a linted manifest found a problem in (judged
    through the manifests linted)."""
    named_real = {os.path.realpath(p): p for p in named}
    order = list(dict.fromkeys([*named_real, *inherited.by_base]))
    shown = inherited.shown | named_real
    for real in order:
        yield guarded(shown[real], partial(_base, shown[real], real, inherited, project, options, every_app=real in named_real))


def _base(path: str, real: str, inherited: Inherited, project: Project, options: Options, *, every_app: bool = True) -> FileReport:
    """A base's report: judged through every manifest that extends it when it was named
    (a base stands for its apps), else through the manifests this run linted — the
    other manifests of the repository are no cost of the file being checked."""
    cfg = project.cfg
    found = through_children(path, real, inherited, project) if every_app else inherited.of(real)
    raw = guarded_read(path, cfg, project)
    if isinstance(raw, FileReport):
        return raw
    if not isinstance(raw, bytes):
        return unreadable_report(path, raw)._replace(kind=BASE)
    if options.fix or options.diff:
        from .fixing import fix_base_file

        return fix_base_file(path, raw, found, project, options)
    return base_report(path, load(raw, max_size=cfg.max_file_size), cfg, inherited=found, merge=merging(path, project))


# -- --check-urls ----------------------------------------------------------------------


def _with_urls(run: Input, settings: Settings, project: Project) -> Iterator[FileReport]:
    """Each file is read and parsed once; its URLs go to the checker at once (each
    distinct URL checked once, concurrently) and its report is finished when they are
    answered. Reports come in order; at most ``URL_WINDOW`` files wait at a time."""
    from collections import deque

    from . import netcheck

    def finish(source: Source, loaded: LoadResult | None, started: list[tuple[Target, Future[Outcome]]]) -> FileReport:
        outcomes = {target: future.result() for target, future in started}
        return lint_source(source, run.cfg, project, lambda doc: netcheck.findings(doc, outcomes), loaded)

    waiting: deque[tuple[Source, LoadResult | None, list[tuple[Target, Future[Outcome]]]]] = deque()
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
