"""The forked helpers (closeapp_lint.run.helpers): results in order, the work really shared,
a helper that dies costs nothing but time, and nothing is left running."""

from __future__ import annotations

import os
import select
import sys
from collections.abc import Callable
from types import MappingProxyType
from typing import TypeVar

import pytest

from closeapp_lint.run import helpers as forked

pytestmark = pytest.mark.skipif(not forked.available(), reason="helpers are forked on POSIX systems other than macOS only")

T = TypeVar("T")
WAIT = 30.0  # seconds a test waits for a helper before it fails (never reached when things work)


def _every(items: list[int], run: Callable[[int], T], helpers: int) -> list[T]:
    with forked.shared(items, run, helpers) as results:
        return list(results)


def _wait_for(fd: int, count: int) -> bytes:
    """``count`` bytes from a pipe; a failure, not a hang, if they never come."""
    got = b""
    while len(got) < count:
        ready, _, _ = select.select([fd], [], [], WAIT)
        assert ready, "no helper wrote in time"
        piece = os.read(fd, count - len(got))
        assert piece, "every helper ended first"
        got += piece
    return got


def test_results_come_in_order_from_this_process_and_the_helpers() -> None:
    """Each helper, on its first item, says so and waits for this process to run one
    too; this process, on its first item, waits for a helper: so the work is shared,
    whatever the timing, and the order is still the items' order."""
    parent = os.getpid()
    started, told = os.pipe()
    go, going = os.pipe()
    first = True

    def run(item: int) -> tuple[int, int]:
        nonlocal first
        if first and os.getpid() != parent:
            os.write(told, b"!")
            _wait_for(go, 1)
        elif first:
            _wait_for(started, 1)
            os.write(going, b"go")  # one for each helper
        first = False
        return item * item, os.getpid()

    items = list(range(500))
    results = _every(items, run, 2)
    for fd in (started, told, go, going):
        os.close(fd)
    assert [square for square, _ in results] == [i * i for i in items]
    by = {pid for _, pid in results}
    assert parent in by and len(by - {parent}) >= 1


def test_a_helper_that_dies_loses_nothing() -> None:
    """Each helper dies on the first item it takes (as if killed): the chunks they held
    are run here, and every result still comes, once, in order."""
    parent = os.getpid()
    died, dying = os.pipe()
    waited = False

    def run(item: int) -> int:
        nonlocal waited
        if os.getpid() != parent:
            os.write(dying, b"x")
            os._exit(9)
        if not waited:
            _wait_for(died, 2)  # both helpers took a chunk and died with it
            waited = True
        return -item

    results = _every(list(range(300)), run, 2)
    os.close(died)
    os.close(dying)
    assert results == [-i for i in range(300)]


def test_results_larger_than_a_pipe_arrive_whole() -> None:
    """A chunk's results come in many reads (more than the pipe holds at once)."""
    parent = os.getpid()

    def run(item: int) -> tuple[bytes, bool]:
        return bytes([item % 256]) * 300_000, os.getpid() != parent

    results = _every(list(range(64)), run, 1)
    assert [r[0] for r in results] == [bytes([i]) * 300_000 for i in range(64)]


def test_read_only_mappings_come_back_read_only() -> None:
    """A report's frames are a read-only mapping: a helper sends it as one."""
    parent = os.getpid()

    def run(item: int) -> tuple[MappingProxyType[int, str], bool]:
        return MappingProxyType({item: str(item)}), os.getpid() != parent

    results = _every(list(range(200)), run, 2)
    assert all(isinstance(mapping, MappingProxyType) and dict(mapping) == {i: str(i)} for i, (mapping, _) in enumerate(results))


def test_stopping_early_ends_every_helper() -> None:
    parent = os.getpid()

    def run(item: int) -> int:
        return os.getpid()

    helpers: set[int] = set()
    with forked.shared(list(range(5_000)), run, 2) as results:
        for pid in results:
            if pid != parent:
                helpers.add(pid)
                break
    assert helpers
    for pid in helpers:
        with pytest.raises(ChildProcessError):  # reaped: no zombie, nothing running
            os.waitpid(pid, os.WNOHANG)


@pytest.mark.parametrize(("count", "processes"), [(0, 2), (1, 2), (10, 3), (1_000, 2), (1_000, 9), (100_000, 2), (1_000_000, 3)])
def test_chunks_cover_the_items_and_fit_in_the_pipe(count: int, processes: int) -> None:
    size = forked.chunk_size(count, processes)
    chunks = -(-count // size)
    assert size >= 1 and chunks * 4 <= 4096  # one page: the least a pipe holds
    if count >= processes * 16:
        assert chunks >= processes * 8 or size > 32  # enough chunks to balance the work


_ONE_PAGE_PIPES = """
import fcntl, os, sys
from closeapp_lint.run import helpers as forked

real = os.pipe

def small():
    read, write = real()
    fcntl.fcntl(write, fcntl.F_SETPIPE_SZ, 4096)  # what a pipe gets once the user's pipes hold pipe-user-pages-soft
    return read, write

os.pipe = small
with forked.shared(range(200_000), lambda n: n, 1) as results:
    assert sum(results) == sum(range(200_000))
print("done")
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a pipe's size is set on Linux only")
def test_a_large_run_does_not_wait_on_a_pipe_of_one_page() -> None:
    """Every chunk number is written before a helper reads one: with pipes of one page
    (a user with many pipes open) a large run must still start, not wait forever."""
    import subprocess

    done = subprocess.run([sys.executable, "-c", _ONE_PAGE_PIPES], capture_output=True, text=True, timeout=120, check=False)
    assert done.stdout.strip() == "done", done.stderr
