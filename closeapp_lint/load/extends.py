"""``extends:`` (SPEC §11): a manifest merged with the bases it names.

Pure: the bases are read through ``read`` (the pipeline's per-run cache, so a base is
parsed once per run however many manifests extend it). The merged document keeps the
manifest's own text, and records which base set each inherited value (``origins``), so
that a finding about an inherited value points at the base's line.

Merging: mappings merge key by key, lists and scalars replace, ``key: null`` removes an
inherited key. ``extends`` itself is never part of the merged values.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from types import MappingProxyType
from typing import Any

from ..core.codes import finding
from ..core.document import Document, NodeInfo, escape_pointer
from ..core.escape import safe, slashed
from ..core.manifest import MAX_EXTENDS
from ..core.model import Finding
from ..core.records import NamedTuple
from .files import is_base_name, really_inside

EXTENDS = "/extends"


class Loaded(NamedTuple):
    """A base as read: its document, or why it cannot be used (in words)."""

    document: Document | None
    problem: str = ""


Read = Callable[[str], Loaded]  # a base's path -> the base as read (cached by the caller)


class Merged(NamedTuple):
    doc: Document  # the merged manifest (the manifest itself when it extends nothing)
    findings: tuple[Finding, ...]  # CA009, at the manifest's extends value
    chain: tuple[str, ...]  # the bases merged in, nearest first
    broken: bool = False  # the chain stopped before its end: the values are not the app's (SPEC §11.1)
    unreadable: str | None = None  # the base the chain stopped at because it cannot be read (its own report says why)


def target(path: str, value: str) -> str:
    """The base ``value`` names, relative to the folder of the file at ``path``."""
    return os.path.normpath(os.path.join(os.path.dirname(path) or ".", value))


def merge(own: Document, path: str, read: Read, root: str) -> Merged:
    """``own`` merged with its chain of bases, and CA009 for a chain that cannot be followed
    (what could be followed up to the problem is still merged)."""
    if "extends" not in own.data:
        return Merged(own, (), ())
    layers: list[tuple[str, Document]] = []  # nearest first
    followed = _follow(own, path, read, root, layers)
    findings: tuple[Finding, ...] = ()
    if followed.problem:
        findings = (finding("CA009", followed.problem, own.span(EXTENDS), EXTENDS),)
    merged = _merged(own, [doc for _, doc in layers])._replace(base_paths=tuple(slashed(p) for p, _ in layers))
    return Merged(merged, findings, tuple(p for p, _ in layers), followed.broken, followed.unreadable)


def keys_of(own: Document, path: str, read: Read, root: str, keys: tuple[str, ...]) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The top-level ``keys`` of ``own`` merged with its chain of bases, and the chain —
    without building the merged document: what the sibling scan compares costs the few
    keys, never the size of the bases (a 133 KB base under 1,000 manifests)."""
    layers: list[tuple[str, Document]] = []
    _follow(own, path, read, root, layers)
    found: dict[str, Any] = {}
    for key in keys:
        for layer in (own, *(doc for _, doc in layers)):  # nearest first
            if key in layer.data:
                if layer.data[key] is not None:  # key: null removes what a base set
                    found[key] = layer.data[key]
                break
    return found, tuple(p for p, _ in layers)


def unresolved(own: Document, why: str) -> Merged:
    """``own`` with no base merged, and CA009 saying why (standard input without a name
    has no folder to find a base from)."""
    return Merged(_merged(own, []), (finding("CA009", why, own.span(EXTENDS), EXTENDS),), (), True)


class _Followed(NamedTuple):
    problem: str  # the first problem met ('' for none)
    broken: bool = False  # whether one stopped the chain (a base holding client_id does not)
    unreadable: str | None = None  # the base it stopped at because it cannot be read


def _follow(own: Document, path: str, read: Read, root: str, layers: list[tuple[str, Document]]) -> _Followed:
    """Follow the chain into ``layers``: the first problem met (a base holding client_id
    is merged without it, and the chain followed on), and what stopped the chain, if any."""
    seen = [os.path.realpath(path)]
    doc, where = own, path
    problem = ""
    while "extends" in doc.data:
        value = doc.data["extends"]
        via = "" if not layers else f"{_chain([p for p, _ in layers])}: "
        if value is None:
            return _Followed(problem)
        if not isinstance(value, str) or not value.strip():
            return _Followed(problem or f"{via}extends must be the path of a base file (*.closeapp-base.yaml), relative to the file that names it", True)
        if "\x00" in value:  # no file name holds one (the system refuses it: a ValueError, not a finding)
            return _Followed(problem or f"{via}extends holds a NUL character, which no file name can; write the path of the base", True)
        base = target(where, value.strip())
        shown = safe(slashed(value.strip()))[:200]
        if len(layers) == MAX_EXTENDS:
            return _Followed(problem or f"{via}the chain of bases is longer than {MAX_EXTENDS}; at most {MAX_EXTENDS} bases may extend one another", True)
        if not is_base_name(os.path.basename(base)):
            return _Followed(
                problem or f"{via}extends names {shown}, which is not a base: a base is named *.closeapp-base.yaml (a manifest cannot be extended)", True
            )
        real = os.path.realpath(base)  # where it really is: a symlink out of the repository is never read
        if not really_inside(real, root):
            return _Followed(
                problem or f"{via}extends names {shown}, which is outside the repository ({safe(slashed(root))[:200]}); a base must be inside it", True
            )
        if real in seen:
            cycle = " → ".join([*(safe(slashed(os.path.basename(p))) for p in [path, *(p for p, _ in layers)]), shown])
            return _Followed(problem or f"{via}extends names {shown}, which leads back to a file already in the chain (a cycle: {cycle})", True)
        if not os.path.lexists(base):
            return _Followed(problem or f"{via}extends names {shown}, which does not exist", True)
        loaded = read(base)
        if loaded.document is None:
            return _Followed(problem or f"{via}extends names {shown}, which {loaded.problem or 'cannot be read'} (its own report says why)", True, base)
        seen.append(real)
        base_doc = loaded.document
        if "client_id" in base_doc.data:  # merged without it (each app has its own client ID), and followed on
            problem = problem or f"{via}the base {shown} holds client_id; each environment's app has its own — move client_id into each manifest"
            base_doc = base_doc._replace(data={k: v for k, v in base_doc.data.items() if k != "client_id"})
        layers.append((base, base_doc))
        doc, where = loaded.document, base
    return _Followed(problem)


def client_id_in_base(doc: Document) -> Iterator[Finding]:
    """CA009 at a base's client_id: each app, one per environment, has its own."""
    if "client_id" in doc.data:
        message = "a base may not hold client_id: each environment's app has its own client ID — move it into each manifest that extends this base"
        yield finding("CA009", message, doc.key_span("/client_id"), "/client_id")


def _chain(bases: list[str]) -> str:
    return "extends " + " → ".join(safe(slashed(os.path.basename(p))) for p in bases)


def _merged(own: Document, bases: list[Document]) -> Document:
    """The merged document: values overlaid from the farthest base to the manifest."""
    layers = [*reversed(bases), own]  # farthest first; the manifest last
    data: dict[str, Any] = {}
    setter: dict[str, int] = {}  # pointer -> the layer that set the value there (its subtree too)
    for index, layer in enumerate(layers):
        data = _overlay(data, layer.data, "", index, setter)
    data.pop("extends", None)
    nodes: dict[str, NodeInfo] = {}
    origins: dict[str, Document] = {}
    dates: list[str] = []
    mine = len(layers) - 1
    for pointer in _pointers(data, ""):
        index = _layer_of(pointer, setter, mine)
        layer = layers[index]
        info = layer.nodes.get(pointer)
        if info is None:
            continue
        nodes[pointer] = info
        if index != mine:
            origins[pointer] = layer
        if pointer in layer.dates:
            dates.append(pointer)
    return Document(own.text, data, MappingProxyType(nodes), tuple(dates), own.shadowed, MappingProxyType(origins), tuple(bases))


def _overlay(lower: dict[str, Any], upper: dict[str, Any], pointer: str, index: int, setter: dict[str, int]) -> dict[str, Any]:
    result = dict(lower)
    for key, value in upper.items():
        child = f"{pointer}/{escape_pointer(key)}"
        if value is None and pointer == "" and key == "extends":
            continue
        if value is None:  # key: null removes what a base set
            _forget(result.pop(key, None), child, setter)
        elif isinstance(value, dict) and isinstance(result.get(key), dict):
            setter[child] = index  # the mapping is written here; its keys merge
            result[key] = _overlay(result[key], value, child, index, setter)
        else:
            _forget(result.get(key), child, setter)
            setter[child] = index
            result[key] = value
    return result


def _forget(replaced: Any, pointer: str, setter: dict[str, int]) -> None:
    """Drop what ``setter`` says about the value at ``pointer`` that is being replaced
    (only merged mappings have entries below their own): each value is forgotten at most
    once per layer, so a merge costs the size of the files, never their product."""
    setter.pop(pointer, None)
    if isinstance(replaced, dict):
        for key, value in replaced.items():
            _forget(value, f"{pointer}/{escape_pointer(key)}", setter)


def _layer_of(pointer: str, setter: dict[str, int], default: int) -> int:
    while pointer:
        if pointer in setter:
            return setter[pointer]
        pointer = pointer.rpartition("/")[0]
    return default


def _pointers(value: Any, pointer: str) -> Iterator[str]:
    yield pointer
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _pointers(item, f"{pointer}/{escape_pointer(key)}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _pointers(item, f"{pointer}/{i}")
