"""Lints many files: reads each one safely, keeps one bad file from stopping the rest,
and spreads large runs over the machine's cores."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Any, NamedTuple, TypeVar

from . import files
from .config import Config
from .engine import lint, unreadable_report
from .escape import error_text
from .model import Counts, FileReport, Finding
from .reporters import Options, render_file
from .source import LoadResult

PARALLEL_FROM = 256  # files; below this, starting workers costs more than it saves


def lint_path(
    path: str,
    cfg: Config,
    *,
    name: str | None = None,
    read: Callable[[], bytes | Finding] | None = None,
    url_outcomes: Mapping[Any, Any] | None = None,
    loaded: LoadResult | None = None,
) -> FileReport:
    """Read and lint one file; an internal failure becomes the report's ``error``."""
    name = name or path
    try:
        raw = read() if read is not None else files.read(path, cfg.max_file_size)
        return unreadable_report(name, raw) if isinstance(raw, Finding) else lint(raw, name, cfg, url_outcomes=url_outcomes, loaded=loaded)
    except Exception as exc:  # noqa: BLE001 - one bad file must not take the others down
        return FileReport(path=name.replace(os.sep, "/"), findings=(), error=error_text(exc))


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def free_cores() -> float:
    """The cores this process may use that nothing else is busy on right now: on Linux
    the instantaneous count of runnable tasks (/proc/loadavg, ourselves included), else
    the one-minute load average. A shared CI runner or an editor beside us takes cores."""
    busy = 0.0
    try:
        with open("/proc/loadavg", encoding="ascii") as fh:
            busy = max(0, int(fh.read().split()[3].split("/")[0]) - 1)
    except (OSError, ValueError, IndexError):
        try:
            busy = max(0.0, os.getloadavg()[0] - 1)
        except (OSError, AttributeError):
            busy = 0.0
    return max(0.0, cpu_count() - busy)


def workers(requested: int, count: int, *, free: float | None = None) -> int:
    """``requested`` workers; or (0) one per core that is free right now, once there are
    enough files for workers to pay — never more workers than free cores, since a worker
    that has to share a core with another process costs more than it saves."""
    if requested > 0:
        return min(requested, max(count, 1))
    if count < PARALLEL_FROM:
        return 1
    idle = free_cores() if free is None else free
    return max(1, min(int(idle), 8))


class Rendered(NamedTuple):
    """One file's share of a streaming report, rendered where it was linted."""

    path: str
    text: str
    error: str | None
    counts: Counts


def lint_paths(paths: list[str], cfg: Config, *, jobs: int = 1) -> Iterator[FileReport]:
    """Reports for ``paths`` (files on disk), in order, as they are ready."""
    if jobs <= 1 or len(paths) < 2:
        return (lint_path(p, cfg) for p in paths)
    shipped = _map(_lint_task, paths, jobs, (cfg, "", None))
    return (r._replace(frames=MappingProxyType(r.frames)) for r in shipped)


def render_paths(paths: list[str], cfg: Config, fmt: str, options: Options, *, jobs: int = 1) -> Iterator[Rendered]:
    """Lint and render each file (in the workers, when there are several): only small
    strings travel back, and nothing accumulates, so memory stays flat."""
    if jobs <= 1 or len(paths) < 2:
        return (_render(p, cfg, fmt, options) for p in paths)
    return _map(_render_task, paths, jobs, (cfg, fmt, options))


def _render(path: str, cfg: Config, fmt: str, options: Options) -> Rendered:
    return rendered(lint_path(path, cfg), fmt, options)


def rendered(report: FileReport, fmt: str, options: Options) -> Rendered:
    """One report's share of a streaming format, and its counts."""
    text = render_file(fmt, options, report)
    return Rendered(report.path, text, report.error, report.counts())


T = TypeVar("T")
# What every task of a worker shares, sent once per worker instead of once per file.
_shared: dict[str, Any] = {}


def _map(task: Callable[[str], T], paths: list[str], jobs: int, shared: tuple[Config, str, Options | None]) -> Iterator[T]:
    import multiprocessing

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() and sys.platform != "darwin" else "spawn"
    chunk = max(1, min(256, len(paths) // (jobs * 8)))
    with multiprocessing.get_context(method).Pool(jobs, initializer=_start_worker, initargs=shared) as pool:
        yield from pool.imap(task, paths, chunksize=chunk)


def _start_worker(cfg: Config, fmt: str, options: Options | None) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the parent stops the pool
    _shared.update(cfg=cfg, fmt=fmt, options=options)


def _lint_task(path: str) -> FileReport:
    report = lint_path(path, _shared["cfg"])
    return report._replace(frames=dict(report.frames))  # a mapping proxy cannot be pickled


def _render_task(path: str) -> Rendered:
    return _render(path, _shared["cfg"], _shared["fmt"], _shared["options"])
