"""Work shared with forked helper processes, results in order (POSIX).

:func:`shared` runs ``run`` over a list of items in this process *and* in helpers forked
from it, and yields the results in the order of the items. The items are cut into chunks
whose numbers are written, all at once, into one pipe that every process takes the next
number from — so a process that is slower (this one writes the output too, or shares its
core) simply takes fewer chunks. A helper sends back each chunk's results, pickled, on a
pipe of its own; this process runs its own chunks in between and hands out whatever is
next in order.

Why not :mod:`multiprocessing`: its import alone (tempfile, socket, subprocess, …) costs
a run 30–40 ms before the first helper starts, its workers are fed one message per chunk
through a feeder thread, and the process that starts them only waits. A forked helper
starts from this process's memory as it is — the patterns already compiled, the
repository already scanned, the bytes the scan kept — in a millisecond or two.

A helper that dies (killed, out of memory) loses at most the chunk it held: a chunk
never received when every helper has ended is run here. Forking that fails leaves fewer
helpers, or none. Nothing a helper does reaches the terminal: it exits with ``os._exit``,
so no buffer of this process is flushed twice.
"""

from __future__ import annotations

import gc
import os
import pickle
import select
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from io import BytesIO
from types import MappingProxyType
from typing import Any, TypeVar

X = TypeVar("X")
T = TypeVar("T")

_KILL = 9  # SIGKILL, the same on every POSIX system (the signal module is not imported for it)
_HEADER = 12  # a chunk's number (4 bytes) and the length of its pickled results (8)
# Chunk numbers at most: all are written before any helper reads, so they must fit in the
# smallest buffer a pipe may get — one page (4 KiB) on Linux once a user's pipes hold
# pipe-user-pages-soft, where the default 64 KiB would make the write wait forever.
_MOST_CHUNKS = 1_024
_READ = 1 << 20  # bytes at most taken from a helper's pipe at once


def available() -> bool:
    """Whether helpers can be forked here (not on Windows; not on macOS, where forking
    a process that has used system frameworks is unsafe)."""
    return hasattr(os, "fork") and sys.platform != "darwin"


def chunk_size(count: int, processes: int) -> int:
    """Items per chunk: about sixteen chunks per process, for balance, at most 32 items
    (results reach the output soon), and few enough chunks for the pipe that holds them."""
    size = max(1, min(32, count // (processes * 16)))
    return max(size, -(-count // _MOST_CHUNKS))


def _proxy(mapping: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    return MappingProxyType(mapping)


def _reduce_proxy(proxy: MappingProxyType[Any, Any]) -> tuple[Callable[..., Any], tuple[dict[Any, Any]]]:
    return _proxy, (dict(proxy),)


def _dumps(value: object) -> bytes:
    """``pickle.dumps``, with read-only mappings sent as mappings and received read-only."""
    out = BytesIO()
    pickler = pickle.Pickler(out, pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {MappingProxyType: _reduce_proxy}
    pickler.dump(value)
    return out.getvalue()


@contextmanager
def shared(items: Sequence[X], run: Callable[[X], T], helpers: int) -> Iterator[Iterator[T]]:
    """``run(item)`` for every item, in order, spread over this process and up to
    ``helpers`` forked ones: the helpers are forked on entering, so this process may do
    other work before it takes the results (and its first chunk). ``run`` must not raise
    (a helper that raises loses its chunk, which is then run here, where the exception is
    this caller's). On leaving, every helper is ended and waited for."""
    size = chunk_size(len(items), helpers + 1)
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    tasks, feed = os.pipe()
    with os.fdopen(feed, "wb") as out:
        out.write(b"".join(k.to_bytes(4, "little") for k in range(len(chunks))))
    started = _Helpers(chunks, run, tasks, helpers)
    try:
        yield started.results()
    finally:
        started.close()


class _Helpers:
    """The helpers of one :func:`shared` call, and the results they have sent."""

    def __init__(self, chunks: list[Sequence[X]], run: Callable[[X], T], tasks: int, helpers: int) -> None:
        self.chunks, self.run, self.tasks = chunks, run, tasks
        self.pids: dict[int, int] = {}  # a helper's result pipe -> its process
        self.buffers: dict[int, bytearray] = {}
        self.done: dict[int, list[Any]] = {}  # a chunk's number -> its results, until their turn
        self.own_work = True  # chunks are left to take
        gc.freeze()  # no collector touches what lives now (a helper's pages stay shared); the run's objects live to its end anyway
        for _ in range(helpers):
            if not self._fork():
                break

    def _fork(self) -> bool:
        try:
            result, write = os.pipe()
        except OSError:
            return False
        try:
            pid = os.fork()
        except OSError:
            os.close(result)
            os.close(write)
            return False
        if pid == 0:  # the helper
            code = 70
            try:
                os.close(result)
                for fd in self.pids:
                    os.close(fd)
                import signal

                signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the parent ends its helpers
                self._serve(write)
                code = 0
            finally:
                os._exit(code)
        os.close(write)
        self.pids[result] = pid
        self.buffers[result] = bytearray()
        return True

    def _take(self) -> int | None:
        """The next chunk's number from the shared pipe; None when all are taken."""
        got = os.read(self.tasks, 4)
        return int.from_bytes(got, "little") if len(got) == 4 else None

    def _run(self, number: int) -> list[Any]:
        """The results of one chunk, run in this process."""
        return [self.run(item) for item in self.chunks[number]]

    def _serve(self, write: int) -> None:
        with os.fdopen(write, "wb") as out:
            while (number := self._take()) is not None:
                payload = _dumps(self._run(number))
                out.write(number.to_bytes(4, "little") + len(payload).to_bytes(8, "little"))
                out.write(payload)
                out.flush()

    def results(self) -> Iterator[Any]:
        for number in range(len(self.chunks)):
            while number not in self.done:
                self._receive(wait=not self.own_work)
                if number in self.done:
                    break
                if self.own_work:
                    taken = self._take()
                    if taken is None:
                        self.own_work = False
                    else:
                        self.done[taken] = self._run(taken)
                elif not self.pids:  # every helper has ended without it: it is run here
                    self.done[number] = self._run(number)
            yield from self.done.pop(number)

    def _receive(self, *, wait: bool) -> None:
        """Read what the helpers have sent (waiting for something, if ``wait``)."""
        if not self.pids:
            return
        ready, _, _ = select.select(list(self.pids), [], [], None if wait else 0)
        for fd in ready:
            data = os.read(fd, _READ)
            if not data:
                self._ended(fd)
                continue
            buffer = self.buffers[fd]
            buffer += data
            while len(buffer) >= _HEADER:
                size = int.from_bytes(buffer[4:_HEADER], "little")
                if len(buffer) < _HEADER + size:
                    break
                number = int.from_bytes(buffer[:4], "little")
                self.done[number] = pickle.loads(buffer[_HEADER : _HEADER + size])
                del buffer[: _HEADER + size]

    def _ended(self, fd: int) -> None:
        os.close(fd)
        pid = self.pids.pop(fd)
        del self.buffers[fd]
        os.waitpid(pid, 0)

    def close(self) -> None:
        """End the helpers (at once, when the caller stopped early) and the pipes."""
        for fd, pid in list(self.pids.items()):
            try:
                os.kill(pid, _KILL)
            except OSError:
                pass
            self._ended(fd)
        os.close(self.tasks)
