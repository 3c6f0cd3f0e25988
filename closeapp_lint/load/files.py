"""Finding manifests on disk and reading them safely (the I/O the core never does)."""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from functools import lru_cache
from typing import BinaryIO

from ..core.codes import finding
from ..core.model import Finding, Span
from ..core.records import NamedTuple
from .source import too_large

SKIP_DIRS = frozenset({".git", ".hg", ".svn", "node_modules", ".venv", "venv", ".tox", ".nox", "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache"})


# The names closeapp-lint looks for, each also after a prefix ending in "." (billing.closeapp.yaml):
_MANIFEST_NAMES = ("closeapp.yaml", "closeapp.yml")
_BASE_NAMES = ("closeapp-base.yaml", "closeapp-base.yml")  # a base that manifests extend (SPEC §11)
_RECORD_NAMES = ("closeapp.applied.json",)  # the applied record beside a manifest (SPEC §10)
RECORD_SUFFIX = ".applied.json"


def _dotted(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple("." + n for n in names)


_MANIFEST_ENDINGS, _BASE_ENDINGS, _RECORD_ENDINGS = _dotted(_MANIFEST_NAMES), _dotted(_BASE_NAMES), _dotted(_RECORD_NAMES)


def is_manifest_name(name: str) -> bool:
    """closeapp.yaml, closeapp.yml, *.closeapp.yaml, *.closeapp.yml."""
    return name in _MANIFEST_NAMES or name.endswith(_MANIFEST_ENDINGS)


def is_base_name(name: str) -> bool:
    """Whether a file name is a base's (``shared.closeapp-base.yaml``)."""
    return name in _BASE_NAMES or name.endswith(_BASE_ENDINGS)


def is_record_name(name: str) -> bool:
    """Whether a file name is an applied record's (``billing.closeapp.applied.json``)."""
    return name in _RECORD_NAMES or name.endswith(_RECORD_ENDINGS)


def record_of(manifest: str) -> str:
    """The applied record beside a manifest: ``billing.closeapp.yml`` → ``billing.closeapp.applied.json``."""
    return re.sub(r"\.ya?ml\Z", "", manifest) + RECORD_SUFFIX


def manifests_of(record: str) -> tuple[str, str]:
    """The two manifests a record may belong to: ``X.yaml`` and ``X.yml``."""
    stem = record.removesuffix(RECORD_SUFFIX)
    return stem + ".yaml", stem + ".yml"


def present(paths: tuple[str, ...]) -> frozenset[str]:
    """Which of ``paths`` exist (one ``stat`` each)."""
    return frozenset(p for p in paths if os.path.lexists(p))


def discover(
    paths: list[str], excluded: Callable[[str], bool] = lambda _path: False, *, force_exclude: bool = False, missing: Callable[[str], None] | None = None
) -> Iterator[str]:
    """Files to lint: every named file, and manifests found under named folders.

    Folders are walked in sorted order without following symlinked folders (so a
    symlink loop cannot trap the walk); ``excluded(path)`` filters what walks find, and
    with ``force_exclude`` named paths too (pre-commit names every file it passes)."""
    for path in paths:
        if path == "-":
            yield path
            continue
        if force_exclude and excluded(path):
            continue
        try:
            is_dir = stat.S_ISDIR(os.stat(path).st_mode)  # one system call per named path
        except OSError:
            if not os.path.lexists(path):
                if missing is not None:
                    missing(path)  # reported by the caller; the other paths are still linted
                continue
            is_dir = False  # a dangling or looping symlink: reading it reports why
        if is_dir:
            yield from _walk(path, excluded)
        else:
            yield path


def _lintable(name: str) -> bool:
    return is_manifest_name(name) or is_record_name(name) or is_base_name(name)


def manifests_under(root: str, is_excluded: Callable[[str], bool] | None) -> Iterator[str]:
    """The manifests under ``root`` (no bases, no records), as a folder walk finds them."""
    return _walk(root, is_excluded, is_manifest_name)


def _walk(root: str, is_excluded: Callable[[str], bool] | None, wanted: Callable[[str], bool] = _lintable) -> Iterator[str]:
    """Manifests (their bases and applied records; what ``wanted`` names) under ``root`` in
    sorted order, folder by folder (each folder's files, then its subfolders). Iterative,
    so a tree thousands of folders deep is walked, not a RecursionError; symlinked folders
    are not entered. ``is_excluded``: None when nothing is."""
    real_root = os.path.realpath(root)
    stack = [root]
    while stack:
        folder = stack.pop()
        names, dirs, links = _listing(folder)
        for name in names:
            if not wanted(name):
                continue
            path = _join(folder, name)
            if (is_excluded is None or not is_excluded(path)) and not (name in links and outside(path, real_root)):  # read() checks the opened file again
                yield path
        folders = [_join(folder, d) for d in dirs if d not in SKIP_DIRS]
        stack.extend(reversed(folders if is_excluded is None else [f for f in folders if not is_excluded(f)]))


def _listing(folder: str) -> tuple[list[str], list[str], set[str]]:
    """(file names, names of folders to enter, which names are symlinks), sorted; a folder
    that cannot be read is empty. The folder's listing says what is a symlink: no system
    call per file."""
    names, dirs, links = [], [], set()
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                try:
                    is_dir = entry.is_dir()
                except OSError:
                    is_dir = False
                if not is_dir:
                    names.append(entry.name)
                    if entry.is_symlink():
                        links.add(entry.name)
                elif not entry.is_symlink():
                    dirs.append(entry.name)
    except OSError:
        return [], [], set()
    return sorted(names), sorted(dirs), links


def upwards(start: str | os.PathLike[str]) -> Iterator[str]:
    """``start`` (made absolute) and every folder above it, to the filesystem root."""
    folder = os.path.abspath(start)
    while True:
        yield folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return
        folder = parent


def git_root(start: str) -> str | None:
    """The nearest folder from ``start`` upwards that holds ``.git``, if any."""
    return next((folder for folder in upwards(start) if os.path.exists(os.path.join(folder, ".git"))), None)


@lru_cache(maxsize=8)
def _root_of(cwd: str) -> str:
    return git_root(cwd) or cwd


def repository_root() -> str:
    """The folder nothing may be read or written outside of through a symlink: the
    nearest folder above the working directory that holds ``.git``, else the working
    directory itself."""
    return _root_of(os.getcwd())


def _within(real: str, real_root: str) -> bool:
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


def really_inside(real: str, root: str) -> bool:
    """Whether the resolved path ``real`` is inside ``root`` (symlinks of the root followed)."""
    return _within(real, _real(root))


def leaves_root(path: str, *, real: str | None = None, root: str | None = None) -> bool:
    """Whether ``path`` — written as a place inside the repository — really leads outside
    it, through a symlink on the way (a folder or the file itself). ``real`` is where it
    really is, when already known (the file a descriptor has open). A path written as a
    place outside the repository was asked for by name and is never refused."""
    root = root or repository_root()
    if real is not None and _within(real, _real(root)):
        return False  # where it really is lies inside: how it is written cannot matter (the common case, decided without abspath)
    if not _within(os.path.abspath(path), root):
        return False
    return not _within(real if real is not None else os.path.realpath(path), _real(root))


@lru_cache(maxsize=8)
def _real(root: str) -> str:
    return os.path.realpath(root)  # once per run, not once per file


def _opened(fd: int, path: str) -> str | None:
    """Where the file open on ``fd`` really is (not where ``path`` points now); None when
    that cannot be told (it was swapped between the open and the look)."""
    proc = f"/proc/self/fd/{fd}"
    try:
        return os.readlink(proc)
    except OSError:
        pass
    real = os.path.realpath(path)
    try:
        now, opened = os.stat(real), os.fstat(fd)
    except OSError:
        return None
    return real if (now.st_dev, now.st_ino) == (opened.st_dev, opened.st_ino) else None


def outside(path: str, real_root: str) -> bool:
    """Whether ``path`` is a symlink that leads out of ``real_root``: a walk never reads
    such a file (a committed ``closeapp.yaml -> ~/.git-credentials`` would print a token)."""
    if not os.path.islink(path):
        return False
    return not _within(os.path.realpath(path), real_root)


def shown(path: str) -> str:
    """A path as reports show it: relative to the working directory when inside it (one
    spelling per file, so that two spellings of one path compare equal)."""
    if os.sep == "/" and path[:1] == "/" and "/." not in path and "//" not in path and path[-1:] != "/":
        absolute = path  # absolute and normal already (what a shell's glob of an absolute folder yields)
    else:
        parts = path.split(os.sep)
        if not os.path.isabs(path) and "" not in parts and "." not in parts and ".." not in parts:
            return "/".join(parts)  # relative and normal already (what a folder walk yields)
        absolute = os.path.normpath(path if os.path.isabs(path) else os.path.join(os.getcwd(), path))
    cwd = os.getcwd().rstrip(os.sep)
    if absolute.startswith(cwd + os.sep):
        absolute = absolute[len(cwd) + 1 :]
    return absolute.replace(os.sep, "/")


def _join(folder: str, name: str) -> str:
    """A folder's path and the name of an entry in it (os.path.join's answer, without "./")."""
    if os.sep == "/" and folder[-1:] != "/":  # what os.path.join does for a name from a listing, at a fraction of its cost
        return name if folder in (".", "") else f"{folder}/{name}".removeprefix("./")
    return os.path.join(folder, name).removeprefix("." + os.sep)


# Without blocking on a FIFO; binary on Windows. Made once: a flag the platform lacks
# costs an AttributeError made and dropped at every read.
_READING = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def own_root(path: str) -> str:
    """The root of the file at ``path`` when no configuration says otherwise: the nearest
    folder above it holding ``.git``, else its own folder — never the working directory,
    which may be an ancestor such as the home folder (SPEC §11, round 4)."""
    return _own_root(os.path.dirname(os.path.abspath(path)))


@lru_cache(maxsize=64)
def _own_root(folder: str) -> str:
    return git_root(folder) or folder


def read(path: str, max_size: int, *, root: str | None = None) -> bytes | Finding:
    """The file's bytes, or a CA005 finding. The size is checked before reading and
    anything but a regular file is refused without reading (a FIFO never blocks us).
    A file that really is outside its root (``root``, else :func:`own_root`) is never
    read: a symlink in a downloaded project does not lead into the home folder."""
    try:
        fd = os.open(path, _READING)
    except OSError as exc:
        return _cannot_read(path, exc)
    try:
        real = _opened(fd, path)
        if real is None or leaves_root(path, real=real, root=root if root is not None else own_root(path)):
            # Checked on the open file, not the path: a file swapped for a symlink after it
            # was found is caught here, where the bytes would be read.
            return finding("CA005", "the file leads outside the repository through a symlink; it was not read", Span(1, 1, 1, 1))
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            return finding("CA005", "this is a folder, not a manifest file", Span(1, 1, 1, 1))
        if not stat.S_ISREG(info.st_mode):
            return finding("CA005", "this is not a regular file (a FIFO, socket or device); it was not read", Span(1, 1, 1, 1))
        if info.st_size > max_size:
            return too_large(info.st_size, max_size)
        data = _read_up_to(fd, max_size + 1, info.st_size + 1)
    except OSError as exc:
        return _cannot_read(path, exc)
    finally:
        os.close(fd)
    if len(data) > max_size:
        return too_large(len(data), max_size)
    return data


def _read_up_to(fd: int, limit: int, expected: int) -> bytes:
    """At most ``limit`` bytes, asking for the size stat gave (plus one, to see growth)."""
    chunks, total = [], 0
    while total < limit:
        wanted = min(max(expected - total, 65536), limit - total)
        chunk = os.read(fd, wanted)
        chunks.append(chunk)
        total += len(chunk)
        if len(chunk) < wanted:  # a regular file reads short only at its end: no second call to learn it
            break
    return b"".join(chunks)


def _cannot_read(path: str, exc: OSError) -> Finding:
    if exc.errno == errno.ELOOP:
        reason = "it is a symlink loop (it leads back to itself)"
    elif os.path.islink(path) and not os.path.exists(path):
        reason = "it is a symlink to a file that does not exist"
    else:
        reason = exc.strerror or type(exc).__name__
    return finding("CA005", f"the file cannot be read: {reason}", Span(1, 1, 1, 1))


class LeavesRoot(OSError):
    """The folder a file was to be written in turned out to lead outside the root."""


@contextmanager
def atomic_writer(path: str, *, through_symlink: bool = False, root: str | None = None) -> Iterator[BinaryIO]:
    """A file to write that replaces ``path`` only when the block ends without an error:
    a temporary file in the same folder, then a rename, so readers see the old or the
    new file, never half of one. An existing file keeps its permissions. A symlink is
    replaced by the file (the rename never follows it), unless ``through_symlink``: then
    the file it points to is replaced and the symlink stays.

    The folder is opened once, and every step after — the check that it is inside
    ``root``, the temporary file, the rename, the clean-up — goes through that open
    folder (``dir_fd``): a folder swapped for a symlink meanwhile cannot move the write
    elsewhere. A path written as a place outside ``root`` was asked for by name."""
    target = os.path.realpath(path) if through_symlink else os.path.abspath(path)
    folder, name = os.path.split(target)
    if not _BY_FOLDER:
        yield from _atomic_by_path(target)  # a system without dir_fd: by path, as before
        return
    dfd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_CLOEXEC", 0))
    temp = f".closeapp-lint-{os.urandom(6).hex()}.tmp"
    try:
        if root is not None and leaves_root(os.path.dirname(os.path.abspath(path)), real=_folder_of(dfd, folder), root=root):
            raise LeavesRoot(errno.EXDEV, f"{folder} leads outside {root} through a symlink")
        try:
            mode = stat.S_IMODE(os.stat(name, dir_fd=dfd).st_mode)
        except FileNotFoundError:
            mode = _new_file_mode()
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0), 0o600, dir_fd=dfd)
        try:
            with os.fdopen(fd, "wb") as fh:
                yield fh
                os.fchmod(fh.fileno(), mode)
            os.replace(temp, name, src_dir_fd=dfd, dst_dir_fd=dfd)
        except BaseException:
            with suppress(OSError):
                os.unlink(temp, dir_fd=dfd)
            raise
    finally:
        os.close(dfd)


_BY_FOLDER = {os.open, os.rename, os.unlink, os.stat} <= os.supports_dir_fd  # (os.replace takes the same dir_fd arguments as os.rename; it is not listed)


def _new_file_mode() -> int:
    """The mode a new file gets here (0o666 less the umask, which can only be read by setting it)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _folder_of(dfd: int, folder: str) -> str:
    """Where the open folder really is (Linux names it in /proc; elsewhere its path resolved)."""
    try:
        return os.readlink(f"/proc/self/fd/{dfd}")
    except OSError:
        return os.path.realpath(folder)


def _atomic_by_path(target: str) -> Iterator[BinaryIO]:
    import tempfile

    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = _new_file_mode()
    fd, temp = tempfile.mkstemp(dir=os.path.dirname(target), prefix=".closeapp-lint-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
        os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException:
        os.unlink(temp)
        raise


def prepare_output(path: str) -> str | None:
    """Make the folders a report file goes into; why it cannot be written there, or None.
    Never through a symlink: not the file itself, and, inside the repository, no folder
    on the way that leads outside it (checked before a folder is made). Only a regular
    file is ever replaced: a FIFO or a device (``/dev/null``, as root in a container)
    stays what it is, and a folder is a usage error."""
    if os.path.islink(path):
        return "is a symlink; a report is never written through one (it could point anywhere)"
    try:
        kind = os.lstat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):  # not there yet (a folder on the way is a file: said below)
        kind = None
    except OSError as exc:
        return f"cannot be written: {exc.strerror}"
    if kind is not None and stat.S_ISDIR(kind):
        return "is a folder; name a file to write the report to"
    if kind is not None and not stat.S_ISREG(kind):
        return "is not a regular file (a FIFO, a device or a socket); a report only ever replaces a regular file — leave out --output to print it"
    folder = os.path.dirname(os.path.abspath(path))
    existing = folder
    while not os.path.lexists(existing):
        existing = os.path.dirname(existing)
    if leaves_root(existing) or (os.path.islink(existing) and not os.path.isdir(existing)):
        return f"the folder {existing} leads outside the repository through a symlink; the report is not written there"
    if not os.path.isdir(existing):
        return f"{existing} is not a folder"
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as exc:
        return f"cannot make the folder {os.path.dirname(path)}: {exc.strerror}"
    return None


def write_atomic(path: str, data: bytes, *, through_symlink: bool = False, root: str | None = None) -> None:
    with atomic_writer(path, through_symlink=through_symlink, root=root) as fh:
        fh.write(data)


class GitState(NamedTuple):
    branch: str | None  # the branch checked out (None: detached, or not known)
    default: str | None  # the repository's default branch, when it can be told
    uncommitted: bool  # the file differs from what is committed (or is not committed at all)


def git_state(path: str) -> GitState | None:
    """Where ``path`` stands in git, for ``applied``'s warnings; None outside a repository
    or without git. Local commands only, each bounded by a timeout."""
    folder = os.path.dirname(os.path.abspath(path))

    def git(*args: str) -> str | None:
        return _git(folder, *args)

    if git("rev-parse", "--is-inside-work-tree") != "true":
        return None
    branch = git("symbolic-ref", "--quiet", "--short", "HEAD")
    remote = git("symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD")
    default = remote.partition("/")[2] if remote else git("config", "init.defaultBranch")
    if default is None:
        default = next((b for b in ("main", "master") if git("rev-parse", "--verify", "--quiet", f"refs/heads/{b}") is not None), None)
    return GitState(branch, default, uncommitted(path))


def uncommitted(path: str) -> bool:
    """Whether the file at ``path`` differs from what git has committed (or is not
    committed at all): one ``git status`` (a base of an app, beside git_state's manifest)."""
    return bool(_git(os.path.dirname(os.path.abspath(path)), "status", "--porcelain", "--", os.path.basename(path)))


def _git(folder: str, *args: str) -> str | None:
    """A local git command's output in ``folder``; None when it fails, times out or git is missing."""
    import subprocess

    try:
        done = subprocess.run(["git", "-C", folder, *args], capture_output=True, text=True, timeout=5, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None
