"""The repository a run lints in (SPEC §11): its root, its bases (read and parsed once
per run, however many manifests extend them), and the sibling scan that the
cross-manifest rules compare each linted manifest with (every manifest under the root,
read once per run, only the keys those rules need kept).

The root of a file is the nearest folder above it that holds ``.git``, else the config
file's folder, else the current directory — never just the folder named on the command
line. A file outside its root has no siblings, and no base of its can be read."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

from . import files
from .config import Config
from .document import Document
from .extends import Loaded, Merged, merge
from .model import Finding
from .rules.environments import Sibling, Siblings, sibling
from .source import load, resolves_as_str, too_large

Overlay = Callable[[str], "bytes | None"]  # a path -> an editor's buffer of it, if open


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
        self.scans: dict[str, Scanned] = dict(scans or {})

    def root(self, path: str) -> str:
        """The repository root of the file at ``path``."""
        folder = os.path.dirname(os.path.abspath(path))
        if folder not in self._roots:
            self._roots[folder] = _root_of(folder, self.cfg.root)
        return self._roots[folder]

    def inside(self, path: str) -> bool:
        root = self.root(path)
        real = os.path.realpath(path)
        real_root = os.path.realpath(root)
        return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)

    def read(self, path: str) -> Loaded:
        """A base, read and parsed once per run (by the real path)."""
        key = os.path.realpath(path)
        if key not in self._bases:
            self._bases[key] = self._load(path)
        return self._bases[key]

    def raw(self, path: str) -> bytes | Finding:
        """A file's bytes: an editor's buffer when it holds the file open, else the disk."""
        if self.overlay is not None:
            held = self.overlay(path)
            if held is not None:
                return held if len(held) <= self.cfg.max_file_size else too_large(len(held), self.cfg.max_file_size)
        return files.read(path, self.cfg.max_file_size)

    def _load(self, path: str) -> Loaded:
        raw = self.raw(path)
        if not isinstance(raw, bytes):
            return Loaded(None, _reason(raw.message))
        result = load(raw, max_size=self.cfg.max_file_size)
        if result.document is None:
            first = result.findings[0] if result.findings else None
            return Loaded(None, f"is not a valid base ({first.code}: {_reason(first.message)})" if first else "is not a valid base")
        return Loaded(result.document)

    def merge(self, path: str, own: Document) -> Merged:
        return merge(own, path, self.read, self.root(path))

    def scan(self, path: str) -> Scanned | None:
        """The sibling scan of the root of ``path`` (made on first need, once per run);
        None for a file outside its root."""
        if not self.inside(path):
            return None
        root = self.root(path)
        if root not in self.scans:
            self.scans[root] = self._scan(root)
        return self.scans[root]

    def _scan(self, root: str) -> Scanned:
        found: list[Sibling] = []
        children: dict[str, list[str]] = {}
        for path in _manifests(root, self.cfg):
            raw = self.raw(path)
            if not isinstance(raw, bytes):
                continue
            try:
                data, chain = self._keys(path, raw)
            except Exception:  # noqa: BLE001, S112 - a file the scan cannot read is reported when it is linted
                continue
            if data is None:
                continue
            found.append(sibling(files.shown(path), data))
            for base in chain:
                children.setdefault(os.path.realpath(base), []).append(path)
        return Scanned(Siblings(found), children)

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
        merged = self.merge(path, doc)
        return merged.doc.data, merged.chain

    def children(self, base: str) -> list[str]:
        """The manifests under the root whose chain of bases holds ``base``."""
        scanned = self.scan(base)
        return scanned.children.get(os.path.realpath(base), []) if scanned is not None else []


# A top-level key the scan reads, with a value that YAML reads as the text it shows.
_LINE = re.compile(rb"^(client_id|redirect_url|name|visibility|environment|extends)[ \t]*:(?:[ \t]+([^\n]*?))?[ \t]*\r?$", re.MULTILINE)
_PLAIN_VALUE = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._/:?=&%~+@()-]*")
# Anchors and aliases, merge keys, complex keys, documents and directives, tabs, flow
# collections, escapes, tags, and quotes (a quoted scalar may span lines).
_RISKY = (b"&", b"*", b"<<", b"? ", b"---", b"\n...", b"%", b"\t", b"{", b"[", b"\\", b"!", b'"', b"'")


def plain_keys(raw: bytes) -> dict[str, Any] | None:
    """The compared keys of a manifest read from its lines, when that reading is certain to
    agree with YAML's: UTF-8 without anything that could make a value or a key other than
    what the line shows (anchors, merge keys, flow collections, tags, several documents),
    each key once, each value plain text on its line. None: build the document instead."""
    if raw[:3] in (b"\xef\xbb\xbf",) or b"\x00" in raw or any(marker in raw for marker in _RISKY):
        return None
    found: dict[str, Any] = {}
    for match in _LINE.finditer(raw):
        key = match.group(1).decode()
        if key in found or key == "extends":
            return None
        end = raw.find(b"\n", match.end() + 1)
        following = raw[match.end() + 1 : end if end != -1 else len(raw)]
        if following[:1] == b" " and following.strip() and not following.strip().startswith(b"#"):
            return None  # the value goes on, or is a mapping: the document knows
        value = (match.group(2) or b"").split(b" #", 1)[0].strip()
        try:
            text = value.decode("utf-8")
        except UnicodeDecodeError:
            return None
        if not _PLAIN_VALUE.fullmatch(text) or ": " in text or text.endswith(":") or not resolves_as_str(text):
            return None
        found[key] = text
    return found


def _reason(message: str) -> str:
    return message.removeprefix("the file ").removeprefix("this ")


def _manifests(root: str, cfg: Config) -> Iterator[str]:
    for path in files.discover([root], cfg.excluded):
        if files.is_manifest_name(os.path.basename(path)):
            yield path


def _root_of(folder: str, config_root: str | None) -> str:
    here = folder
    while True:
        if os.path.exists(os.path.join(here, ".git")):
            return here
        parent = os.path.dirname(here)
        if parent == here:
            break
        here = parent
    return config_root or os.getcwd()
