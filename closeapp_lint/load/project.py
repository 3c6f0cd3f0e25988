"""The repository a run lints in (SPEC §11): its root, its bases (read and parsed once
per run, however many manifests extend them), and the sibling scan that the
cross-manifest rules compare each linted manifest with (every manifest under the root,
read once per run, only the keys those rules need kept; the keys of the manifests this
process is about to lint are left to their lint, which parses them anyway — ``expect``).

The root of a file is the nearest folder above it that holds ``.git``, else the config
file's folder, else the file's own folder — never the current directory, which may be an
ancestor (the home folder, ``/``) that a downloaded project's symlinks lead into. A file
outside its root has no siblings, and no base of its can be read."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from ..core.document import Document
from ..core.manifest import CROSS_FIELDS
from ..core.model import Finding
from ..core.records import NamedTuple
from ..rules.environments import Sibling, Siblings, sibling
from . import files
from .config import Config
from .source import load, resolves_as_str, too_large

if TYPE_CHECKING:
    from .extends import Loaded, Merged

Overlay = Callable[[str], "bytes | None"]  # a path -> an editor's buffer of it, if open


HOLD = 8 * 1024 * 1024  # bytes of manifests the scan keeps for the lint that follows
LEFT_TO_LINT = 20_000  # manifests at most whose keys the scan leaves to their own lint (a run holds their reports until all are known)


class Scanned(NamedTuple):
    siblings: Siblings
    children: dict[str, list[str]]  # a base's real path -> the manifests whose chain holds it, in walk order


class Project:
    """Per-run state (one per process: a worker builds its own bases from the files, and
    is handed the sibling scan the parent made)."""

    def __init__(self, cfg: Config, scans: dict[str, Scanned] | None = None, *, overlay: Overlay | None = None) -> None:
        self.cfg = cfg
        self.overlay = overlay  # an editor's open buffers, read before the disk
        self._bases: dict[str, Loaded] = {}
        self._roots: dict[str, str] = {}
        self._inside: dict[str, bool] = {}
        self._scan_of: dict[str, Scanned | None] = {}  # a folder as written -> its root's scan
        self._held: dict[str, bytes] = {}  # bytes the scan read, kept for the lint (HOLD at most)
        self.scans: dict[str, Scanned] = dict(scans or {})
        self._shown: dict[str, str] = {}
        self._expected: frozenset[str] = frozenset()  # the manifests (as shown) this process lints next, in order
        # Of those, the ones whose compared keys the scan left to their lint (which parses
        # them anyway): as shown -> the siblings they belong to. While any is left, the
        # repository is not fully known, and no manifest is compared with it yet.
        self.pending: dict[str, Siblings] = {}
        self.provisional: dict[str, Any] = {}  # as shown -> what pipeline._in_order judges it by, once the repository is known

    def shown(self, path: str) -> str:
        """``files.shown(path)``, worked out once per path a run names (its working
        directory does not change): a run asks it of each file several times."""
        found = self._shown.get(path)
        if found is None:
            found = self._shown[path] = files.shown(path)
        return found

    def expect(self, paths: list[str]) -> None:
        """The manifests this process is about to lint, in order (before the scan is made):
        the scan holds their bytes and leaves their keys to their own lint — see
        :meth:`settle` and pipeline._in_order."""
        self._expected = frozenset(self.shown(p) for p in paths if p != "-")

    def settle(self, shown: str, me: Sibling) -> None:
        """A pending manifest's keys, as its lint found them."""
        siblings = self.pending.pop(shown, None)
        if siblings is not None:
            siblings.add(me)

    def settle_read(self, path: str, raw: bytes) -> None:
        """A pending manifest whose lint gave no keys (it does not parse, or the rules that
        compare are off for it): its keys read as the scan would have read them."""
        shown = self.shown(path)
        siblings = self.pending.pop(shown, None)
        if siblings is not None:
            self._add(siblings, shown, path, raw)

    def complete(self) -> None:
        """The keys of the pending manifests not linted yet, read now (their bytes are held)."""
        for shown, siblings in list(self.pending.items()):
            del self.pending[shown]
            held = self._held.get(shown)
            raw = held if held is not None else self._fresh(shown)
            if isinstance(raw, bytes):
                self._add(siblings, shown, shown, raw)

    def root(self, path: str) -> str:
        """The repository root of the file at ``path``."""
        folder = os.path.dirname(os.path.abspath(path))
        if folder not in self._roots:
            self._roots[folder] = _root_of(folder, self.cfg.root)
        return self._roots[folder]

    def inside(self, path: str) -> bool:
        """Whether the folder of ``path`` really is inside its root (decided once per folder)."""
        folder = os.path.dirname(os.path.abspath(path))
        known = self._inside.get(folder)
        if known is None:
            known = self._inside[folder] = files.really_inside(os.path.realpath(folder), self.root(path))
        return known

    def read(self, path: str) -> Loaded:
        """A base, read and parsed once per run (by the real path)."""
        key = os.path.realpath(path)
        if key not in self._bases:
            self._bases[key] = self._load(path)
        return self._bases[key]

    def raw(self, path: str) -> bytes | Finding:
        """A file's bytes: an editor's buffer when it holds the file open, else what the
        scan read of it a moment ago (each file read once per run), else the disk."""
        if self._held:
            held_bytes = self._held.pop(self.shown(path), None)
            if held_bytes is not None:
                return held_bytes
        return self._fresh(path)

    def _fresh(self, path: str) -> bytes | Finding:
        """A file's bytes from an editor's buffer, else from the disk."""
        if self.overlay is not None:
            held = self.overlay(path)
            if held is not None:
                return held if len(held) <= self.cfg.max_file_size else too_large(len(held), self.cfg.max_file_size)
        return files.read(path, self.cfg.max_file_size, root=self.root(path))

    def _load(self, path: str) -> Loaded:
        from .extends import Loaded  # a run whose manifests extend nothing never needs it

        raw = self.raw(path)
        if not isinstance(raw, bytes):
            return Loaded(None, _reason(raw.message))
        result = load(raw, max_size=self.cfg.max_file_size)
        if result.document is None:
            first = result.findings[0] if result.findings else None
            return Loaded(None, f"is not a valid base ({first.code}: {_reason(first.message)})" if first else "is not a valid base")
        return Loaded(result.document)

    def extends_any(self) -> bool:
        """Whether a manifest of a scanned repository extends a base (or this process
        merged one)."""
        return bool(self._bases) or any(scanned.children for scanned in self.scans.values())

    def release(self) -> None:
        """Drop the bytes the scan kept (the rest of the run is linted elsewhere)."""
        self._held.clear()

    def merge(self, path: str, own: Document) -> Merged:
        from .extends import merge

        return merge(own, path, self.read, self.root(path))

    def scan(self, path: str) -> Scanned | None:
        """The sibling scan of the root of ``path`` (made on first need, once per run);
        None for a file outside its root. Looked up once per folder name."""
        folder = os.path.dirname(path)
        if folder in self._scan_of:
            return self._scan_of[folder]
        found = None
        if self.inside(path):
            root = self.root(path)
            if root not in self.scans:
                self.scans[root] = self._scan(root)
            found = self.scans[root]
        self._scan_of[folder] = found
        return found

    def _scan(self, root: str) -> Scanned:
        found = Siblings()
        children: dict[str, list[str]] = {}
        held = 0
        cwd = os.getcwd()
        walk = os.path.relpath(root, cwd) if root == cwd or root.startswith(cwd.rstrip(os.sep) + os.sep) else root  # paths as a run spells them
        for path in _manifests(walk, self.cfg):
            raw = self._fresh(path)  # nothing is held before the scan
            if not isinstance(raw, bytes):
                continue
            shown = files.shown(path)
            if held + len(raw) <= HOLD:
                self._held[shown] = raw
                held += len(raw)
                if shown in self._expected and len(self.pending) < LEFT_TO_LINT and raw.find(b"extends") == -1:  # a chain of bases is known here or never
                    self.pending[shown] = found
                    continue
            for base in self._add(found, shown, path, raw):
                children.setdefault(os.path.realpath(base), []).append(path)
        return Scanned(found, children)

    def _add(self, siblings: Siblings, shown: str, path: str, raw: bytes) -> tuple[str, ...]:
        """Add a manifest's keys to ``siblings``; its chain of bases."""
        try:
            data, chain = self._keys(path, raw)
        except Exception:  # noqa: BLE001 - a file the scan cannot read is reported when it is linted
            return ()
        if data is not None:
            siblings.add(sibling(shown, data))
        return chain

    def _keys(self, path: str, raw: bytes) -> tuple[dict[str, Any] | None, tuple[str, ...]]:
        """The keys the rules compare (merged with the bases, when it extends some), and
        its chain of bases. Most manifests write them as plain one-line values: those are
        read from the lines without building the document."""
        quick = plain_keys(raw)
        if quick is not None:
            return quick, ()
        doc = load(raw, max_size=self.cfg.max_file_size).document
        if doc is None:
            return None, ()
        if "extends" not in doc.data:
            return doc.data, ()
        from .extends import keys_of

        return keys_of(doc, path, self.read, self.root(path), CROSS_FIELDS)

    def children(self, base: str) -> list[str]:
        """The manifests under the root whose chain of bases holds ``base``."""
        scanned = self.scan(base)
        return scanned.children.get(os.path.realpath(base), []) if scanned is not None else []


# What the scan reads of a manifest from its lines (SPEC §11): these top-level keys, each
# from the line that names it at column 0, and the lines after it up to the next one at
# column 0 that is not a comment (blank, comments, indented: where a plain value could go on).
_KEYS = {key.encode(): key for key in ("extends", "client_id", "redirect_url", "name", "visibility", "environment")}
_KEY_STARTS = frozenset(key[:1] for key in _KEYS)  # a line that starts otherwise names none of them
_PLAIN_VALUE = re.compile(rb"[A-Za-z0-9][A-Za-z0-9 ._/:?=&%~+@()-]*")  # and no ": " inside, no ":" at the end
# Characters and sequences after which a line may not mean what it shows: anchors and
# aliases, directives, tabs, escapes, tags, quotes (a quoted scalar may span lines), NUL;
# merge keys, complex keys, several documents.
_RISKY = b"&*%\t\\!\"'\x00"
# The only words YAML 1.1 reads as something other than text when a plain value starts
# with a letter: booleans and null (numbers, dates and .inf start otherwise).
_NOT_TEXT = frozenset({"y", "n", "yes", "no", "true", "false", "on", "off", "null"})


def plain_keys(raw: bytes) -> dict[str, Any] | None:
    """The compared keys of a manifest read from its lines, when that reading is certain to
    agree with YAML's: UTF-8 without anything that could make a value or a key other than
    what the line shows (anchors, merge keys, tags, quotes, a flow collection over several
    lines, several documents), each key once, each value plain text on its own line.
    None: build the document instead. A few searches over the whole text, in C, and one
    short loop over its lines (this runs on every manifest of the repository)."""
    if raw.startswith(b"\xef\xbb\xbf") or len(raw.translate(None, _RISKY)) != len(raw):
        return None
    # find, not `in`: CPython 3.11 first tries a bytes operand of `in` as an integer
    # (a TypeError made and dropped, ~2k instructions), and this runs on every manifest.
    if raw.find(b"<<") != -1 or raw.find(b"? ") != -1 or raw.find(b"---") != -1 or raw.find(b"\n...") != -1 or not _flows_close_on_their_lines(raw):
        return None
    lines = raw.split(b"\n")
    if _indented_next(lines, 0):
        return None  # the top-level mapping is indented: its keys are not at column 0, where they are looked for
    found: dict[str, Any] = {}
    for index, line in enumerate(lines):
        if line[:1] not in _KEY_STARTS:
            continue
        name, colon, rest = line.partition(b":")
        key = _KEYS.get(name.rstrip(b" ")) if colon else None
        if key is None:
            continue
        if key == "extends" or key in found or rest[:1] not in (b"", b" ", b"\r") or _indented_next(lines, index + 1):  # the value goes on, or is a mapping
            return None
        value = rest.split(b" #", 1)[0].strip()
        if not _PLAIN_VALUE.fullmatch(value) or value.find(b": ") != -1 or value.endswith(b":"):
            return None
        text = value.decode("ascii")  # the pattern allows ASCII only
        if not _text(text):
            return None
        found[key] = text
    return found


def _indented_next(lines: list[bytes], at: int) -> bool:
    """Whether the first line from ``at`` on that holds content (not blank, not a comment)
    is indented: after a key's line, more of its value (even after blank lines and
    comments) or a mapping under it."""
    for index in range(at, len(lines)):  # a plain loop: this runs for every compared key of every manifest
        body = lines[index].strip()
        if body and not body.startswith(b"#"):
            return lines[index][:1] == b" "
    return False


def _flows_close_on_their_lines(raw: bytes) -> bool:
    """Whether every line that opens a flow collection ([ or {) closes it too (only the
    lines that hold an opener are looked at)."""
    for opener in (b"[", b"{"):
        at = raw.find(opener)
        while at != -1:
            begin, end = raw.rfind(b"\n", 0, at) + 1, raw.find(b"\n", at)
            end = len(raw) if end == -1 else end
            line = raw[begin:end]
            if line.count(b"[") != line.count(b"]") or line.count(b"{") != line.count(b"}"):
                return False
            at = raw.find(opener, end)
    return True


def _text(value: str) -> bool:
    """Whether YAML reads this plain value as text."""
    if value[:1].isalpha():
        return value.lower() not in _NOT_TEXT
    return resolves_as_str(value)


def _reason(message: str) -> str:
    return message.removeprefix("the file ").removeprefix("this ")


def _manifests(root: str, cfg: Config) -> Iterator[str]:
    return files.manifests_under(root, cfg.excluded if cfg.exclude else None)


def _root_of(folder: str, config_root: str | None) -> str:
    """The nearest folder holding ``.git``, else the config file's folder, else the file's
    own folder: never the working directory, which may be an ancestor such as the home
    folder or ``/`` (SPEC §11, round 4) — nothing above the manifest is read or walked."""
    return files.git_root(folder) or config_root or folder
