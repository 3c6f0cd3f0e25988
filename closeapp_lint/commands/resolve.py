"""``closeapp-lint resolve PATH`` (SPEC §11): a manifest merged with the bases it
extends, each value with the file and line that set it — what ``docker compose config``
and ``tsc --showConfig`` show for their configurations. Every credential of every file
in the chain is masked by its value."""

from __future__ import annotations

import json
import re
from typing import Any

from ..core.document import Document, escape_pointer
from ..core.escape import json_text, safe, slashed
from ..core.model import Finding
from ..core.records import NamedTuple
from ..load import files
from ..load.config import Config
from ..load.extends import Merged
from ..load.project import Project
from ..load.source import load
from ..text.credentials import Masker, find_secrets


class Resolved(NamedTuple):
    path: str
    merged: Merged | None  # None: the manifest does not load
    problems: tuple[Finding, ...]  # why it does not load, or CA009
    origins: dict[str, tuple[str, int]]  # pointer -> (file, line) that set it
    own: Document | None = None  # the manifest as written


def resolve(path: str, cfg: Config) -> Resolved:
    raw = files.read(path, cfg.max_file_size)
    if not isinstance(raw, bytes):
        return Resolved(slashed(path), None, (raw,), {})
    loaded = load(raw, max_size=cfg.max_file_size)
    if loaded.document is None:
        return Resolved(slashed(path), None, loaded.findings, {})
    merged = Project(cfg).merge(path, loaded.document)
    doc = merged.doc
    names = {id(base): files.shown(p) for p, base in zip(merged.chain, doc.bases, strict=True)}
    origins = {}
    for pointer in doc.nodes:
        source = doc.source_of(pointer)
        origins[pointer] = (names.get(id(source), files.shown(path)), doc.key_span(pointer).line)  # where the key sets it
    return Resolved(slashed(path), merged, merged.findings, origins, loaded.document)


def _masker(found: Resolved) -> Masker | None:
    """Every credential of the manifest and of each base, masked by its value."""
    docs = [found.own] if found.own is not None else []
    secrets = [s for doc in (*docs, *(found.merged.doc.bases if found.merged else ())) for s in find_secrets(doc)]
    return Masker(secrets) if secrets else None


_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._/@+,():-]*")
_SPECIAL = frozenset({"true", "false", "yes", "no", "on", "off", "null", "~", "y", "n"})


def _scalar(value: Any) -> str:
    if isinstance(value, str):
        plain = _PLAIN.fullmatch(value) and value.strip() == value and value.lower() not in _SPECIAL and not _number(value) and ": " not in value
        return value if plain else json.dumps(value, ensure_ascii=False)
    return json.dumps(value, ensure_ascii=False, default=str)


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _masked(value: Any, mask: Masker | None) -> Any:
    """``value`` with every credential masked in each string, keys too — before it is
    serialised: a value holding a quote, a backslash, a tab or a line break is escaped
    on the way out, and would no longer be found by its value."""
    if mask is None:
        return value
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, dict):
        return {mask(k) if isinstance(k, str) else k: _masked(v, mask) for k, v in value.items()}
    if isinstance(value, list):
        return [_masked(v, mask) for v in value]
    return value


def text(found: Resolved) -> str:
    """The merged manifest as YAML, each value commented with where it was set."""
    assert found.merged is not None
    mask = _masker(found)
    lines = [f"# {safe(found.path)} merged with {', '.join(safe(files.shown(p)) for p in found.merged.chain) or 'no base'}"]
    _lines(_masked(found.merged.doc.data, mask), "", 0, found.origins, lines)
    out = "\n".join(lines) + "\n"
    return safe_multiline(mask(out) if mask else out)


def safe_multiline(text: str) -> str:
    return "\n".join(safe(line) for line in text.split("\n"))


def _lines(data: dict[str, Any], pointer: str, depth: int, origins: dict[str, tuple[str, int]], out: list[str]) -> None:
    pad = "  " * depth
    for key, value in data.items():
        child = f"{pointer}/{escape_pointer(key)}"
        where = origins.get(child)
        comment = f"  # {where[0]}:{where[1]}" if where else ""
        name = _scalar(key)
        if isinstance(value, dict) and value:
            out.append(f"{pad}{name}:{comment}")
            _lines(value, child, depth + 1, origins, out)
        elif isinstance(value, list):
            out.append(
                f"{pad}{name}: [{', '.join(_scalar(v) if not isinstance(v, (dict, list)) else json.dumps(v, ensure_ascii=False) for v in value)}]{comment}"
            )
        else:
            out.append(f"{pad}{name}: {_scalar(value) if not isinstance(value, dict) else '{}'}{comment}")


def as_json(found: Resolved) -> str:
    assert found.merged is not None
    mask = _masker(found)
    body = {
        "path": found.path,
        "bases": [files.shown(p) for p in found.merged.chain],
        "values": _masked(found.merged.doc.data, mask),
        "origins": {pointer: {"path": where[0], "line": where[1]} for pointer, where in sorted(found.origins.items()) if pointer},
    }
    out = json.dumps(body, indent=2, ensure_ascii=False, default=str) + "\n"
    return json_text(mask(out) if mask else out)
