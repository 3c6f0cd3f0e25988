"""Each way of running closeapp-lint, below the command line: lint files (in workers or
with --check-urls), stream a report file by file, fix in place, show the diff of the
fixes. The CLI declares options, discovers files, calls one of these and turns the
result into an exit code; anything else that drives the linter (an editor's language
server) calls the same functions. Nothing here prints: problems go to ``on_error`` as
one line each, formatted by :func:`internal_error_line`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

from . import files, runner
from .config import Config
from .engine import lint, lint_with_document, unreadable_report
from .escape import error_text, internal_error_line, safe
from .model import FileReport, Summary
from .reporters import Options
from .source import Document

ReadStdin = Callable[[int], bytes]  # (size limit) -> bytes
OnError = Callable[[str], None]  # one line for the user, about one file


class Input(NamedTuple):
    """Where a run reads from: the discovered paths ("-" is standard input)."""

    paths: list[str]
    cfg: Config
    stdin_name: str | None = None  # the name to report standard input under
    read_stdin: ReadStdin | None = None


class Source(NamedTuple):
    path: str  # on disk, or "-"
    name: str  # as reported
    raw: bytes | FileReport  # the bytes, or the report of a file that cannot be read


def sources(run: Input) -> Iterator[Source]:
    """Each input's bytes (standard input read once, here and nowhere else)."""
    for path in run.paths:
        if path == "-":
            name = run.stdin_name or "-"
            raw: bytes | Any = run.read_stdin(run.cfg.max_file_size) if run.read_stdin else b""
        else:
            name = path
            raw = files.read(path, run.cfg.max_file_size)
        yield Source(path, name, raw if isinstance(raw, bytes) else unreadable_report(name, raw))


def _lint_source(source: Source, cfg: Config, url_outcomes: Any = None, loaded: Any = None) -> FileReport:
    """The report of one source already read (and perhaps ``loaded``); an internal
    failure becomes its ``error``."""
    if not isinstance(source.raw, bytes):
        return source.raw
    raw = source.raw
    return runner.lint_path(source.path, cfg, name=source.name, read=lambda: raw, url_outcomes=url_outcomes, loaded=loaded)


def lint_document(raw: bytes, path: str, cfg: Config) -> tuple[FileReport, Document | None]:
    """One document an editor holds: its report (the same engine, config and suppressions
    as any run; an internal failure becomes the report's ``error``) and the loaded
    document, for fixes."""
    try:
        report, loaded = lint_with_document(raw, path, cfg)
    except Exception as exc:  # noqa: BLE001 - one document must not take the server down
        return FileReport(path=path.replace(os.sep, "/"), findings=(), error=error_text(exc)), None
    return report, loaded.document


def lint_files(run: Input, *, jobs: int, on_error: OnError) -> list[FileReport]:
    """Reports for every input, in order (in workers for many files on disk)."""
    return list(reports(run, jobs=jobs, on_error=on_error))


def reports(run: Input, *, jobs: int, on_error: OnError, urls: Any = None) -> Iterator[FileReport]:
    """Reports for every input, in order, as they are ready (in workers for many files on
    disk; with ``urls``, netcheck.Settings, the URLs are checked too)."""
    if urls is not None:
        yield from lint_with_urls(run, urls, on_error=on_error)
        return
    if "-" in run.paths:
        found: Iterator[FileReport] = (_lint_source(s, run.cfg) for s in sources(run))
    else:
        found = runner.lint_paths(run.paths, run.cfg, jobs=runner.workers(jobs, len(run.paths)))
    for report in found:
        if report.error:
            on_error(internal_error_line(report.path, report.error))
        yield report


def write_reports(run: Input, writers: list[Any], *, jobs: int, on_error: OnError, urls: Any = None) -> tuple[Summary, bool]:
    """Lint and hand each report to every writer (reporters.writers) as it is ready, then
    close them with the totals: nothing is kept, so memory stays flat in the number of files."""
    summary, failed = Summary(0, 0, 0, 0), False
    for report in reports(run, jobs=jobs, on_error=on_error, urls=urls):
        for out in writers:
            out.add(report)
        summary, failed = summary.plus(report.counts()), failed or bool(report.error)
    for out in writers:
        out.close(summary)
    return summary, failed


URL_WINDOW = 64  # files read ahead while their URLs are checked (bounds memory, keeps the checks busy)


def lint_with_urls(run: Input, settings: Any, *, on_error: OnError) -> Iterator[FileReport]:
    """--check-urls: each file is read and parsed once; its URLs go to the checker at
    once (each distinct URL checked once, concurrently) and its report is finished when
    they are answered. Reports come in order, as they are ready; at most ``URL_WINDOW``
    parsed files wait for their URLs at a time."""
    from collections import deque

    from . import netcheck
    from .source import load

    def finish(source: Source, loaded: Any, started: list[tuple[netcheck.Target, Any]]) -> FileReport:
        outcomes = {target: future.result() for target, future in started}
        report = _lint_source(source, run.cfg, outcomes, loaded)
        if report.error:
            on_error(internal_error_line(report.path, report.error))
        return report

    waiting: deque[tuple[Source, Any, list[tuple[netcheck.Target, Any]]]] = deque()
    with netcheck.Checker(settings) as checker:
        for source in sources(run):
            loaded, started = None, []
            if isinstance(source.raw, bytes):
                try:
                    loaded = load(source.raw, max_size=run.cfg.max_file_size)
                except Exception:  # noqa: BLE001 - linting it again reports the failure as this file's error
                    loaded = None
                document = loaded.document if loaded is not None else None
                started = [(target, checker.submit(target)) for _, target in netcheck.targets(document)] if document is not None else []
            waiting.append((source, loaded, started))
            if len(waiting) >= URL_WINDOW:
                yield finish(*waiting.popleft())
        while waiting:
            yield finish(*waiting.popleft())


def stream(run: Input, fmt: str, options: Options, write: Callable[[str], None], *, jobs: int, on_error: OnError, urls: Any = None) -> tuple[Summary, bool]:
    """Lint and write a streaming format file by file; only the counts are kept. With
    ``urls`` (netcheck.Settings), --check-urls runs as the files stream."""
    parts: Iterator[runner.Rendered]
    if urls is not None:
        reports = lint_with_urls(run, urls, on_error=lambda line: None)  # reported below, once
        parts = (runner.rendered(report, fmt, options) for report in reports)
    else:
        parts = runner.render_paths(run.paths, run.cfg, fmt, options, jobs=runner.workers(jobs, len(run.paths)))
    summary, failed = Summary(0, 0, 0, 0), False
    for item in parts:
        if item.text:
            write(item.text)
        summary, failed = summary.plus(item.counts), failed or bool(item.error)
        if item.error:
            on_error(internal_error_line(item.path, item.error))
    return summary, failed


def _fixed(raw: bytes, name: str, cfg: Config, on_error: OnError) -> Any:
    """fixes.fix, or for an internal failure a report with the error (one line, named)."""
    from . import fixes

    try:
        return fixes.fix(raw, name, cfg)
    except Exception as exc:  # noqa: BLE001 - one bad file must not take the others down
        report = FileReport(path=name, findings=(), error=error_text(exc))
        on_error(internal_error_line(report.path, report.error or ""))
        return report


class Fixed(NamedTuple):
    reports: list[FileReport]  # of what remains
    applied: int  # fixes applied
    changed: int  # files changed
    refused: list[str]  # files left alone: reached through a symlink that leads outside ``root``


def fix_files(run: Input, *, root: str, write_stdin: Callable[[bytes], None], on_error: OnError) -> Fixed:
    """--fix: fix each file in place (standard input: to ``write_stdin``), never writing
    through a symlink (the file's or a folder's) that leads outside ``root``."""
    reports: list[FileReport] = []
    applied = changed = 0
    refused: list[str] = []
    for source in sources(run):
        if not isinstance(source.raw, bytes):
            reports.append(source.raw)
            continue
        result = _fixed(source.raw, source.name, run.cfg, on_error)
        if isinstance(result, FileReport):
            reports.append(result)
            continue
        if source.path == "-":
            write_stdin(result.raw)
        elif result.applied and files.leaves_root(source.path, root=root):
            refused.append(source.path)
            reports.append(lint(source.raw, source.name, run.cfg))  # what is in the file, unfixed
            continue
        elif result.applied:
            files.write_atomic(source.path, result.raw, through_symlink=True)  # a symlink inside the root stays a symlink
        applied, changed = applied + result.applied, changed + bool(result.applied)
        reports.append(result.report)
    return Fixed(reports, applied, changed, refused)


def _shown_line(line: str) -> str:
    """A diff line for a terminal: control and bidi characters of the source escaped."""
    body = line.removesuffix("\n")
    return safe(body) + line[len(body) :]


def diff_files(run: Input, write: Callable[[str], None], *, on_error: OnError) -> tuple[int, bool]:
    """--diff: the unified diff --fix would make, credentials masked; (fixes, failed)."""
    import difflib

    from .credentials import mask_source, secrets_in
    from .source import decode

    count, failed = 0, False
    for source in sources(run):
        if not isinstance(source.raw, bytes):
            continue
        result = _fixed(source.raw, source.name, run.cfg, on_error)
        failed = failed or isinstance(result, FileReport)
        if isinstance(result, FileReport) or not result.applied:
            continue
        before, after = decode(source.raw), decode(result.raw)
        assert isinstance(before, str) and isinstance(after, str)
        # Context lines never show a credential, nor do lines a credential was copied into.
        before, after = mask_source(before), mask_source(after, secrets_in(before))
        name = safe(source.name)
        lines = difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True), f"a/{name}", f"b/{name}")
        write("".join(_shown_line(line) for line in lines))
        count += result.applied
    return count, failed
