"""Small helpers the rule modules share (``text_at`` and ``is_public`` live in
``manifest``, below the engine; they are re-exported here for the rules)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..core.document import Document, escape_pointer
from ..core.manifest import is_public, text_at
from ..core.model import Finding
from ..core.rulespec import Rule


def at(doc: Document, rule: Rule, pointer: str, message: str, *, key: bool = False) -> Finding:
    """A finding of ``rule`` on the value at ``pointer`` (or on its key, for a whole section)."""
    return rule.finding(message, doc.key_span(pointer) if key else doc.span(pointer), pointer)


def strings(value: Any, pointer: str = "") -> Iterator[tuple[str, str | None, str]]:
    """Every (pointer, key, string value) in ``value``, extension keys included."""
    if isinstance(value, dict):
        items: Iterator[tuple[Any, Any]] = iter(value.items())
    elif isinstance(value, list):
        items = ((None, item) for item in value)
    else:
        return
    for index, (key, item) in enumerate(items):
        child = f"{pointer}/{escape_pointer(key) if key is not None else index}"
        if isinstance(item, str):
            yield child, key, item
        else:
            yield from strings(item, child)


__all__ = ["at", "is_public", "strings", "text_at"]
