"""Safe autofix: byte-level edits computed from the spans the loader recorded.

Nothing is re-serialised: an edit replaces a few characters inside one node's source
text, so comments, quoting style, key order, indentation, blank lines, line endings
and byte-order marks survive untouched. Every round of edits is checked by loading the
result again; a file with a parse-level finding (CA001–CA005) is never edited.
"""

from __future__ import annotations

import codecs

from ..core.document import Document
from ..core.model import Edit, FileReport, Finding
from ..core.records import NamedTuple
from ..load.config import DEFAULT, Config
from ..load.source import load
from ..rules import registry
from . import engine, suppress

MAX_ROUNDS = 3


class FixResult(NamedTuple):
    raw: bytes  # the fixed bytes (the input itself when nothing changed)
    applied: int  # how many findings were fixed
    report: FileReport  # what remains


def edits_for(doc: Document, code: str, pointer: str) -> tuple[Edit, ...]:
    rule = registry.get(code)
    if rule is None or rule.fix is None:
        return ()
    return tuple(rule.fix(doc, pointer))


def fix(raw: bytes, path: str, config: Config = DEFAULT, *, extra: engine.ExtraFindings | None = None, merge: engine.Merge | None = None) -> FixResult:
    """Apply every available fix, round after round until none is left (at most
    MAX_ROUNDS), and re-lint. Fixing the result again changes nothing. A manifest that
    extends a base is fixed in its own values (the base is fixed with the base)."""
    applied = 0
    report, result = engine.lint_with_document(raw, path, config, extra=extra, merge=merge)
    for _ in range(MAX_ROUNDS):
        if result.document is None or _unparsable(report):
            break
        edits = [e for f in report.findings if f.fixable for e in edits_for(result.document, f.code, f.pointer)]
        text, count = apply(result.document.text, edits)
        if not count:
            break
        candidate = encode_like(raw, text)
        after = engine.lint_with_document(candidate, path, config, extra=extra, merge=merge)
        if _unparsable(after[0]):
            break  # never trade a finding for a broken file
        raw, applied = candidate, applied + count
        report, result = after  # the next round starts from what this one checked
    return FixResult(raw, applied, report)


def fix_base(raw: bytes, found: list[Finding], enabled: frozenset[str]) -> tuple[bytes, int]:
    """A base fixed where the manifests extending it found a fixable problem in its
    values (their findings point into it): (the fixed bytes, the fixes applied). A value
    whose finding a comment in the base suppresses is never edited. Nothing is changed
    when the result would not load as cleanly as the base did."""
    before = load(raw, max_size=len(raw) + 1)
    if before.document is None:
        return raw, 0
    kept, _ = suppress.split(before.document, [f for f in found if f.fixable], enabled)
    edits = [e for f in kept if f.fixable for e in edits_for(before.document, f.code, f.pointer)]
    text, count = apply(before.document.text, edits)
    if not count:
        return raw, 0
    candidate = encode_like(raw, text)
    after = load(candidate, max_size=len(candidate) + 1)
    if after.document is None or len(after.findings) > len(before.findings):
        return raw, 0
    return candidate, count


def _unparsable(report: FileReport) -> bool:
    return any(f.code in registry.UNSUPPRESSIBLE for f in report.findings)


def apply(text: str, edits: list[Edit]) -> tuple[str, int]:
    """Apply non-overlapping edits (the first wins where two overlap)."""
    chosen: list[Edit] = []
    for edit in sorted(set(edits)):
        if not chosen or edit.start >= chosen[-1].end:
            chosen.append(edit)
    for edit in reversed(chosen):
        text = text[: edit.start] + edit.replacement + text[edit.end :]
    return text, len(chosen)


_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def encode_like(original: bytes, text: str) -> bytes:
    """``text`` in the original's encoding, byte-order mark included."""
    for bom, codec in _BOMS:
        if original.startswith(bom):
            return bom + text.encode(codec)
    return text.encode("utf-8")
