"""Lints many files: reads each one safely, keeps one bad file from stopping the rest,
and spreads large runs over the machine's cores."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from types import MappingProxyType

from . import files
from .config import Config
from .engine import lint, unreadable
from .model import FileReport, Finding

PARALLEL_FROM = 256  # files; below this, starting workers costs more than it saves


def lint_path(path: str, cfg: Config, *, name: str | None = None, read: Callable[[], bytes] | None = None) -> FileReport:
    """Read and lint one file; an internal failure becomes the report's ``error``."""
    name = name or path
    try:
        raw = read() if read is not None else files.read(path, cfg.max_file_size)
        return unreadable(name, raw) if isinstance(raw, Finding) else lint(raw, name, cfg)
    except Exception as exc:  # noqa: BLE001 - one bad file must not take the others down
        message = f"{type(exc).__name__}: {' '.join(str(exc).split())[:200]}"
        return FileReport(path=name.replace(os.sep, "/"), findings=(), error=message)


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def workers(requested: int, count: int) -> int:
    """``requested`` workers, or (0) one per core once there are enough files."""
    if requested > 0:
        return min(requested, max(count, 1))
    return min(cpu_count(), 8) if count >= PARALLEL_FROM else 1


def lint_paths(paths: list[str], cfg: Config, *, jobs: int = 1) -> list[FileReport]:
    """Reports for ``paths`` (files on disk), in order."""
    if jobs <= 1 or len(paths) < 2:
        return [lint_path(p, cfg) for p in paths]
    import multiprocessing

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() and sys.platform != "darwin" else "spawn"
    chunk = max(1, len(paths) // (jobs * 8))
    with multiprocessing.get_context(method).Pool(jobs, initializer=_quiet) as pool:
        shipped = pool.starmap(_lint_portable, [(p, cfg) for p in paths], chunksize=chunk)
    return [r._replace(frames=MappingProxyType(r.frames)) for r in shipped]


def _lint_portable(path: str, cfg: Config) -> FileReport:
    report = lint_path(path, cfg)
    return report._replace(frames=dict(report.frames))  # a mapping proxy cannot be pickled


def _quiet() -> None:
    """Workers ignore Ctrl-C; the parent stops the pool."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
