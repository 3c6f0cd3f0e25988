"""Scope rules (CA401–CA402): Close grants every OAuth app exactly two scopes."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from ..core.document import Document
from ..core.edits import remove_sequence_item
from ..core.manifest import SCOPES
from ..core.model import ERROR, WARNING, Finding
from ..core.rulespec import FIELD, Docs, rule
from ._manifest import manifest
from ._util import at


@lru_cache(maxsize=256)
def _hint(scope: str) -> str:
    """The did-you-mean for an unknown scope (remembered: a hostile list repeats them)."""
    from difflib import get_close_matches  # only for a scope Close does not grant

    if scope.lower() in SCOPES:
        return f"did you mean {scope.lower()!r}? Scopes are written in lower case"
    close = get_close_matches(scope, SCOPES, n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else "Close grants only all.full_access and offline_access"


@rule(
    "CA401",
    "unsupported-scope",
    ERROR,
    "A scope Close does not grant, or a scope listed twice.",
    Docs(
        what="Reports every scope other than all.full_access and offline_access, with a did-you-mean, and every repeated scope.",
        why="Close grants every OAuth app exactly these two scopes; no other scope exists, so a manifest that asks for read-only access is mistaken about what the app can do.",
        example=manifest(scopes="[all.full_access, offline_access, leads.read]"),
        use_instead=manifest(scopes="[all.full_access, offline_access]"),
        fix="List only all.full_access and offline_access, once each (or leave scopes out). `closeapp-lint check --fix` removes a repeated scope when it stands on a line of its own or in a one-line [list].",
    ),
    fix=remove_sequence_item,
    checklist=(FIELD,),
)
def unsupported_scope(doc: Document) -> Iterator[Finding]:
    scopes = doc.value_at("/scopes")
    if not isinstance(scopes, list):
        return
    seen: set[str] = set()
    for index, scope in enumerate(scopes):
        if not isinstance(scope, str):
            continue
        pointer = f"/scopes/{index}"
        if scope in seen:
            yield at(doc, unsupported_scope, pointer, f"scope {scope[:60]!r} is listed twice; remove the repeat")
        elif scope not in SCOPES:
            yield at(doc, unsupported_scope, pointer, f"scope {scope[:60]!r} does not exist for Close OAuth apps; {_hint(scope[:200])}")
        seen.add(scope)


@rule(
    "CA402",
    "partial-scopes",
    WARNING,
    "Only one of the two scopes is listed.",
    Docs(
        what="Reports a scopes list that holds one of all.full_access / offline_access but not the other.",
        why="Close grants both anyway; listing one suggests the app has less access than it really does.",
        example=manifest(scopes="[all.full_access]"),
        use_instead=manifest(scopes="[all.full_access, offline_access]"),
        fix="List both scopes, or leave scopes out.",
    ),
    checklist=(FIELD,),
)
def partial_scopes(doc: Document) -> Iterator[Finding]:
    scopes = doc.value_at("/scopes")
    if isinstance(scopes, list):
        present = [s for s in SCOPES if s in scopes]
        if len(present) == 1:
            missing = next(s for s in SCOPES if s not in scopes)
            yield at(doc, partial_scopes, "/scopes", f"scopes lists {present[0]} without {missing}; Close grants both to every OAuth app — add {missing}")
