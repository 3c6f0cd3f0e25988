"""The loaded manifest as every later stage sees it: its data, the JSON Pointer → node
index that answers "where is /redirect_url?", and the helpers that turn parser marks and
character offsets into spans. A leaf below the rule declarations (``rulespec``) and the
loader (``source``, which builds a :class:`Document`): it imports only ``model`` and
PyYAML's node classes."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from yaml.nodes import MappingNode, Node, SequenceNode

from .model import Span
from .records import NamedTuple

# YAML line breaks, as libyaml counts them (so our line numbers agree with its marks).
LINE_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


class NodeInfo(NamedTuple):
    """Where a value sits and how it was written. Spans are computed from the parser's
    marks only when asked for: most nodes never need one."""

    node: Node
    key: Node | None  # the key node when the value is a mapping entry
    resolved: str | None = None  # for plain scalars YAML read as non-strings: the type

    @property
    def kind(self) -> str:
        return node_kind(self.node)


_NONE: Mapping[str, Any] = MappingProxyType({})


class Document(NamedTuple):
    """One file as loaded; or a manifest merged with the bases it extends (SPEC §11),
    whose ``text`` is still the manifest's own: ``origins`` names the base document of
    each value a base set, so that its span is measured in that base's text."""

    text: str
    data: dict[str, Any]
    nodes: Mapping[str, NodeInfo]
    dates: tuple[str, ...] = ()  # values kept as strings that YAML 1.1 reads as dates
    shadowed: tuple[tuple[str, Node], ...] = ()  # (key, value node) a duplicate key replaced
    origins: Mapping[str, Document] = _NONE  # pointer -> the base document that set it
    bases: tuple[Document, ...] = ()  # the bases merged in, nearest first
    base_paths: tuple[str, ...] = ()  # their paths, in the same order

    @property
    def lines(self) -> tuple[str, ...]:
        """The source lines (split on first use: most valid files never need them)."""
        return split_lines(self.text)

    def source_of(self, pointer: str) -> Document:
        """The document whose text holds the node at ``pointer`` (or its nearest existing
        parent): this one, or the base that set an inherited value."""
        if not self.origins:
            return self
        return self.origins.get(self.nearest(pointer), self)

    def file_of(self, pointer: str) -> str | None:
        """The path of the base that set the value at ``pointer``; None: this file did."""
        source = self.source_of(pointer)
        if source is self:
            return None
        return next((path for base, path in zip(self.bases, self.base_paths, strict=False) if base is source), None)

    def nearest(self, pointer: str) -> str:
        """``pointer``, or its nearest parent that exists."""
        while pointer not in self.nodes and pointer:
            pointer = pointer.rpartition("/")[0]
        return pointer

    def mentions(self, word: str) -> bool:
        """Whether ``word`` is in the text of this file or of a base merged into it (the
        cheap prefilter of a rule)."""
        return word in self.text or (bool(self.bases) and any(word in base.text for base in self.bases))

    @property
    def texts(self) -> tuple[str, ...]:
        """This file's text and the text of every base merged into it."""
        return (self.text, *(base.text for base in self.bases)) if self.bases else (self.text,)

    def span(self, pointer: str) -> Span:
        """The span of the node at ``pointer``, or of its nearest existing parent."""
        pointer = self.nearest(pointer)
        info = self.nodes.get(pointer)
        return span_of(info.node, self.source_of(pointer).lines) if info else Span(1, 1, 1, 1)

    def value_at(self, pointer: str) -> Any:
        """The value at a JSON Pointer into mappings (``/listing/product_url``), or None."""
        node: Any = self.data
        for token in _tokens(pointer):
            if not isinstance(node, dict) or token not in node:
                return None
            node = node[token]
        return node

    def first_key_span(self, pointer: str) -> Span:
        """The span of the first key of the mapping at ``pointer`` (where CA101 points)."""
        value = self.value_at(pointer)
        if isinstance(value, dict) and value:
            return self.key_span(f"{pointer}/{escape_pointer(next(iter(value)))}")
        return self.span(pointer)

    def key_span(self, pointer: str) -> Span:
        info = self.nodes.get(pointer)
        if info is not None and info.key is not None:
            return span_of(info.key, self.source_of(pointer).lines)
        return self.span(pointer)


def escape_pointer(token: str) -> str:
    if "~" not in token and "/" not in token:
        return token
    return token.replace("~", "~0").replace("/", "~1")


def unescape_pointer(token: str) -> str:
    if "~" not in token:
        return token
    return token.replace("~1", "/").replace("~0", "~")


@lru_cache(maxsize=256)
def _tokens(pointer: str) -> tuple[str, ...]:
    return tuple(unescape_pointer(token) for token in pointer.split("/")[1:])


def field_name(pointer: str) -> str:
    """``/listing/product_url`` → ``listing.product_url``; ``/scopes/1`` → ``scopes[1]``."""
    name = ""
    for token in _tokens(pointer):
        name += f"[{token}]" if token.isdigit() else (f".{token}" if name else token)
    return name or "the manifest"


_RARE_BREAKS = "\r\x85\u2028\u2029"


@lru_cache(maxsize=8)
def split_lines(text: str) -> tuple[str, ...]:
    """The lines of ``text`` as YAML counts them (a text with only newlines, nearly every
    file, is split in C without the pattern)."""
    if text.isascii() and "\r" not in text or not any(c in text for c in _RARE_BREAKS):
        return tuple(text.split("\n"))
    return tuple(LINE_BREAKS.split(text))


def span_of(node: Node, lines: tuple[str, ...]) -> Span:
    start, end = node.start_mark, node.end_mark
    line, col = start.line + 1, start.column + 1
    end_line, end_col = end.line + 1, end.column + 1
    # Block scalars and block collections end at column 0 of the following line:
    # end them on the last line that holds content instead.
    while end_col == 1 and end_line > line:
        end_line -= 1
        end_col = len(lines[end_line - 1]) + 1 if end_line <= len(lines) else 1
        if lines[end_line - 1].strip():
            break
    if end_line == line:
        end_col = max(end_col, col + 1)  # an empty node still gets one column
    return clamp(lines, line, col, end_line, end_col)


def clamp(lines: tuple[str, ...], line: int, col: int, end_line: int, end_col: int) -> Span:
    """Keep a span inside the text: columns at most one past the end of their line."""
    last = len(lines)
    line, end_line = max(1, min(line, last)), max(1, min(end_line, last))
    col = max(1, min(col, len(lines[line - 1]) + 1))
    end_col = max(1, min(end_col, len(lines[end_line - 1]) + 1))
    end_line, end_col = max((end_line, end_col), (line, col))
    return Span(line, col, end_line, end_col)


def span_at_index(text: str, index: int, lines: tuple[str, ...]) -> Span:
    """The point at character ``index`` of ``text``."""
    index = max(0, min(index, len(text)))
    before = text[:index]
    starts = [m.end() for m in LINE_BREAKS.finditer(before)]
    line = len(starts) + 1
    column = index - (starts[-1] if starts else 0) + 1
    return point(lines, line, column)


class LineIndex:
    """Character offset → 1-based (line, column) by bisecting line starts, computed once:
    many lookups in one text cost O(log lines) each, not a rescan."""

    def __init__(self, text: str) -> None:
        self.starts = [0, *(m.end() for m in LINE_BREAKS.finditer(text))]

    def point(self, index: int) -> tuple[int, int]:
        line = bisect_right(self.starts, index)
        return line, index - self.starts[line - 1] + 1

    def span(self, start: int, end: int) -> Span:
        line, column = self.point(start)
        end_line, end_column = self.point(end)
        return Span(line, column, end_line, end_column)


def point(lines: tuple[str, ...], line: int, column: int) -> Span:
    """A one-character span, or an empty one at the end of a line."""
    return clamp(lines, line, column, line, column + 1)


def node_kind(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "map"
    if isinstance(node, SequenceNode):
        return "seq"
    return "scalar"
