"""Edits that fixes are made of, and the fixes rules declare (see fixes.py for how
they are applied). Every edit replaces a few characters inside one node's source."""

from __future__ import annotations

import re

from yaml.nodes import ScalarNode

from .document import Document
from .model import Edit
from .patterns import lazy

_HTTP = lazy(r"http://", re.IGNORECASE)  # these two: only when a fix is made
# What may stand between a scalar's start and its content: a quote, or a block
# scalar's header and the line break and indentation after it.
_LEAD = lazy(r"""['"]?|[|>][-+0-9]*[ \t]*(?:#[^\n]*)?\r?\n[ \t]*""")


def http_to_https(doc: Document, pointer: str) -> list[Edit]:
    """``http://`` → ``https://`` at the start of the scalar's content, whatever its style."""
    info = doc.nodes.get(pointer)
    if info is None or info.kind != "scalar":
        return []
    start, end = info.node.start_mark.index, info.node.end_mark.index
    source = doc.text[start:end]
    match = _HTTP.search(source)
    if match is None or not _LEAD.fullmatch(source[: match.start()]):
        return []  # e.g. written with escapes: leave it to a human
    return [Edit(start + match.start(), start + match.end(), "https://")]


def remove_sequence_item(doc: Document, pointer: str) -> list[Edit]:
    """Delete a repeated item of a sequence: its whole line in a block sequence (when
    the line holds nothing else), or ``, item`` in a single-line flow sequence."""
    parent, _, index_text = pointer.rpartition("/")
    info, owner = doc.nodes.get(pointer), doc.nodes.get(parent)
    if info is None or owner is None or info.kind != "scalar" or not index_text.isdigit():
        return []
    index = int(index_text)
    items = owner.node.value
    if info.node.value not in [item.value for item in items[:index] if isinstance(item, ScalarNode)]:
        return []  # only a repeat is removed; an unknown scope needs a human
    node, text = info.node, doc.text
    if getattr(owner.node, "flow_style", False):
        previous = items[index - 1] if index > 0 else None
        if previous is None or previous.end_mark.line != node.end_mark.line:
            return []
        return [Edit(previous.end_mark.index, node.end_mark.index, "")]
    line_start = text.rfind("\n", 0, node.start_mark.index) + 1
    line_end = text.find("\n", node.end_mark.index)
    line_end = len(text) if line_end == -1 else line_end + 1
    line = text[line_start:line_end]
    if not re.fullmatch(r"[ \t]*-[ \t]+" + re.escape(text[node.start_mark.index : node.end_mark.index]) + r"[ \t]*\r?\n?", line):
        return []  # a comment or anything else on the line: not ours to delete
    return [Edit(line_start, line_end, "")]
