"""Worker processes: the manifests of a large run linted here and by helpers (forked, or
a pool where a process cannot fork), decided from the cores actually free and the work
measured; and the reports held while the repository is not fully known (the sibling scan
left some manifests' keys to their own lint), each judged once it is.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Generator, Iterator
from contextlib import suppress
from functools import partial
from types import MappingProxyType
from typing import TypeVar

from ..core.model import FileReport
from ..load.config import Config
from ..load.project import Project, Scanned
from ..rules.environments import Sibling, breaks
from .app import Provisional, compares, lint_path

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


QUEUED = 20_000  # reports at most held while the repository is not fully known
Held = list[tuple[str, FileReport, "Provisional | None"]]  # reports linted before the repository was fully known


def in_order(paths: list[str], cfg: Config, project: Project, stop: Callable[[int], bool] | None = None) -> Generator[FileReport, None, tuple[int, Held]]:
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
        report = lint_path(path, cfg, project)
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


def _judge(path: str, report: FileReport, provisional: Provisional | None, cfg: Config, project: Project) -> FileReport:
    """A report made before the repository was fully known, now that it is."""
    if provisional is not None and breaks(*provisional):
        return lint_path(path, cfg, project)  # it breaks one: linted again, compared with the whole repository
    return report


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
    then, is measured (:func:`on_disk`, :func:`worth_workers`)."""
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
    from . import helpers as forked

    cores = cpu_count()
    saved = per_file * remaining * (1 - share(1, cores, busy) / (share(processes, cores, busy) * TOGETHER))
    return saved > (FORK_COST if forked.available() else POOL_COST)


def on_disk(paths: list[str], cfg: Config, requested: int, project: Project) -> Iterator[FileReport]:
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
        yield from in_order(paths, cfg, project)
        return
    if paths and compares(paths[0], cfg):
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

    done, held = yield from in_order(paths, cfg, project, stop=pool_now)
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
    from . import helpers as forked  # pickle and select: a run large enough for helpers only

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
            yield _judge(path, report, Provisional(me, visibility, scanned.siblings) if me is not None and scanned is not None else None, cfg, project)


def _lint_shared(path: str, cfg: Config, project: Project) -> tuple[FileReport, Sibling | None, object]:
    """A manifest linted by a helper or this process: its report, and, when it was linted
    before the repository was fully known, its compared keys and visibility."""
    report = lint_path(path, cfg, project)
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
    report = lint_path(path, project.cfg, project)
    return report._replace(frames=dict(report.frames))  # a mapping proxy cannot be pickled
