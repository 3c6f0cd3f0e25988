"""Bytes to a document: decode, parse with libyaml, and build the data and a JSON
Pointer → position index in one walk over the node tree.

This is the only module that touches PyYAML marks; they become 1-based here, once.
Nothing is ever constructed from a tag outside the YAML core schema, and the walk
enforces an alias-expansion budget and a depth limit, so hostile input costs
milliseconds instead of the gigabytes jsonschema would spend on an alias bomb.
"""

from __future__ import annotations

import codecs
import math
import re
from types import MappingProxyType
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..core.codes import finding
from ..core.document import Document, NodeInfo, escape_pointer, node_kind, point, span_at_index, span_of, split_lines
from ..core.model import Finding, Span
from ..core.records import NamedTuple

DEFAULT_MAX_FILE_SIZE = 1024 * 1024
MAX_DEPTH = 100
MAX_ALIAS_EXPANSION = 10_000  # nodes visited again through aliases
MAX_NODES = 20_000  # values, keys and aliases in one document: a manifest has a few dozen
MAX_INT_DIGITS = 4000  # below Python's 4,300-digit int/str conversion limit

_RESOLVER = yaml.resolver.Resolver()
_PLAIN_TAGS: dict[str, str] = {}  # plain scalar -> its implicit tag: keys and common values recur in every file


def plain_tag(value: str) -> str:
    """The tag YAML 1.1 resolves a plain scalar ``value`` to (PyYAML's resolver, its
    answers for short values kept: it tries a regular expression or two per scalar)."""
    tag = _PLAIN_TAGS.get(value)
    if tag is None:
        tag = _RESOLVER.resolve(ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
        if len(value) <= 64:
            if len(_PLAIN_TAGS) >= 4096:  # a run over many files with many distinct values: start over
                _PLAIN_TAGS.clear()
            _PLAIN_TAGS[value] = tag
    return tag


class _Loader(getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader):  # type: ignore[misc]
    def resolve(self, kind: Any, value: Any, implicit: tuple[bool, bool]) -> Any:
        """The tag of an untagged node: PyYAML's answers (the safe loader has no path
        resolvers, so anything but a plain scalar gets its kind's default tag), asked of
        the cache first — the parser calls this for every node."""
        if kind is ScalarNode:
            return (_PLAIN_TAGS.get(value) or plain_tag(value)) if implicit[0] else STR
        return MAP if kind is MappingNode else SEQ

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        """Path resolvers track where the parser is; the safe loader has none."""

    def ascend_resolver(self) -> None:
        """See :meth:`descend_resolver`."""


_CONSTRUCTOR = yaml.constructor.SafeConstructor()

_T = "tag:yaml.org,2002:"
STR, INT, FLOAT, BOOL, NULL = _T + "str", _T + "int", _T + "float", _T + "bool", _T + "null"
SEQ, MAP, MERGE = _T + "seq", _T + "map", _T + "merge"
# Tags YAML 1.1 resolves implicitly that the 1.2 core schema reads as strings.
_TIMESTAMP = _T + "timestamp"
_IMPLICIT_AS_STR = frozenset({_TIMESTAMP, _T + "value"})


def resolves_as_str(value: str) -> bool:
    """Whether YAML reads ``value``, written plain, as a string."""
    return plain_tag(value) == STR


class LoadResult(NamedTuple):
    document: Document | None
    findings: tuple[Finding, ...]
    text: str | None = None  # decoded text, when decoding succeeded


def decode(raw: bytes) -> str | Finding:
    """Decode UTF-8 (with or without BOM) or UTF-16 with a BOM; anything else is CA005."""
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return _unreadable("the file is UTF-32; save it as UTF-8")
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            return _unreadable("the file has a UTF-16 byte-order mark but is not valid UTF-16")
    nul = raw.find(b"\x00")
    if nul != -1:
        if _looks_like_bomless_utf16(raw):
            return _unreadable("the file looks like UTF-16 without a byte-order mark; save it as UTF-8")
        return _unreadable(f"the file is binary (NUL byte at offset {nul}), not YAML text", raw, nul)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _unreadable(f"the file is not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})", raw, exc.start)


def _looks_like_bomless_utf16(raw: bytes) -> bool:
    sample = raw[:200]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    return min(even, odd) == 0 and max(even, odd) >= 0.9 * (len(sample) // 2)


def _unreadable(message: str, raw: bytes | None = None, offset: int = 0) -> Finding:
    span = Span(1, 1, 1, 1)
    if raw is not None:
        line = raw.count(b"\n", 0, offset) + 1
        column = offset - (raw.rfind(b"\n", 0, offset) + 1) + 1
        span = Span(line, column, line, column + 1)
    return finding("CA005", message, span)


def too_large(size: int, limit: int) -> Finding:
    return finding("CA005", f"the file is {size:,} bytes, over the {limit:,}-byte limit (max-file-size)", Span(1, 1, 1, 1))


def load(raw: bytes, *, max_size: int = DEFAULT_MAX_FILE_SIZE) -> LoadResult:
    """Turn the bytes of one file into a document, or into the findings that stop it."""
    if len(raw) > max_size:
        return LoadResult(None, (too_large(len(raw), max_size),))
    text = decode(raw)
    if isinstance(text, Finding):
        return LoadResult(None, (text,))
    crowded = _too_many_nodes(text)
    if crowded is not None:
        return LoadResult(None, (crowded,), text)
    try:
        root, extra = _compose(text)
    except yaml.MarkedYAMLError as exc:
        return LoadResult(None, (_parse_error(exc, split_lines(text)),), text)
    except yaml.reader.ReaderError as exc:
        span = span_at_index(text, exc.position, split_lines(text))
        reason = f"character #x{exc.character:04x} is not allowed in YAML ({exc.reason})"
        return LoadResult(None, (finding("CA005", reason, span),), text)
    except RecursionError:  # only the pure-Python loader recurses this deep
        return LoadResult(None, (_too_deep(Span(1, 1, 1, 1)),), text)
    except yaml.YAMLError as exc:
        return LoadResult(None, (finding("CA001", _one_line(str(exc)), Span(1, 1, 1, 1)),), text)
    if extra is not None:
        span = point(split_lines(text), extra.line + 1, extra.column + 1)
        msg = "the file holds more than one YAML document; a manifest is exactly one document"
        return LoadResult(None, (finding("CA003", msg, span),), text)
    if root is None or (isinstance(root, ScalarNode) and root.tag == NULL and not root.value):
        return LoadResult(None, (finding("CA003", "the file is empty; a manifest is a mapping of fields", Span(1, 1, 1, 1)),), text)
    walker = _Walker(text)
    try:
        data = walker.build(root, "", None, 0)
    except _Refused as refusal:
        return LoadResult(None, (*walker.findings, refusal.finding), text)
    if not isinstance(data, dict):
        kind = {"seq": "a list", "scalar": "a single value"}.get(node_kind(root), "not a mapping")
        msg = f"the document is {kind}; a manifest is a mapping of fields such as name: and redirect_url:"
        return LoadResult(None, (*walker.findings, finding("CA003", msg, span_of(root, split_lines(text)))), text)
    document = Document(text, data, MappingProxyType(walker.nodes), tuple(walker.dates), tuple(walker.shadowed))
    return LoadResult(document, tuple(walker.findings), text)


def _too_many_nodes(text: str) -> Finding | None:
    """CA004 when the document holds more than MAX_NODES nodes, found by counting parser
    events and stopping at the limit — before libyaml composes (and we walk) hundreds of
    thousands of nodes from a 1 MiB flow list or a file of repeated keys. Only files with
    that many separators are counted at all."""
    if text.count("\n") + text.count(",") < MAX_NODES // 2:
        return None
    loader = _Loader(text)
    count = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent, yaml.CollectionStartEvent)):
                count += 1
                if count > MAX_NODES:
                    mark = event.start_mark
                    span = point(split_lines(text), mark.line + 1, mark.column + 1) if mark else Span(1, 1, 1, 1)
                    message = f"the document holds more than {MAX_NODES:,} values; a manifest needs a few dozen — refusing to read further"
                    return finding("CA004", message, span)
    except yaml.YAMLError:
        return None  # composing reports the syntax error properly
    finally:
        loader.dispose()
    return None


def _compose(text: str) -> tuple[Node | None, Any]:
    """Compose the first document; return it and the start mark of a second one, if any."""
    loader = _Loader(text)
    try:
        if not loader.check_node():
            return None, None
        root = loader.get_node()
        extra = loader.peek_event().start_mark if loader.check_node() else None
        return root, extra
    finally:
        loader.dispose()


def _parse_error(exc: yaml.MarkedYAMLError, lines: tuple[str, ...]) -> Finding:
    mark = exc.problem_mark or exc.context_mark
    line = min(mark.line + 1, len(lines)) if mark else 1
    column = min(mark.column + 1, len(lines[line - 1]) + 1) if mark else 1
    span = point(lines, line, column)
    problem = exc.problem or "not well-formed YAML"
    if "maximum nesting depth" in problem:
        return _too_deep(span)
    raw = problem
    if exc.context:
        where = f" (line {exc.context_mark.line + 1})" if exc.context_mark else ""
        raw = f"{exc.context}{where}: {problem}"
    plain = _plain_parse_error(exc, lines, line, column)
    if plain is None:
        return finding("CA001", _one_line(raw), span)
    hint, at = plain
    if at is not None:
        span = point(lines, *at)
    return finding("CA001", _one_line(f"{hint} (the parser said: {raw})"), span)


def _plain_parse_error(exc: yaml.MarkedYAMLError, lines: tuple[str, ...], line: int, column: int) -> tuple[str, tuple[int, int] | None] | None:
    """libyaml's problem in plain words, and where to point instead (None: at the
    parser's mark). One row per problem people actually make; None for the rest."""
    problem, context = exc.problem or "", exc.context or ""
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    opened = (exc.context_mark.line + 1, exc.context_mark.column + 1) if exc.context_mark else None
    if "tab" in problem or ("cannot start any token" in problem and text[column - 1 : column] == "\t"):
        return "YAML indents with spaces; replace the tab", None
    if "quoted scalar" in context and "end of stream" in problem and opened:
        return f"the quote opened at line {opened[0]}, column {opened[1]} is never closed; close it", opened
    if "flow sequence" in context and opened:
        return f"the [ opened at line {opened[0]}, column {opened[1]} is never closed, or two of its items lack a comma between them; close it with ]", opened
    if "flow mapping" in context and opened:
        return (
            f"the {{ opened at line {opened[0]}, column {opened[1]} is never closed, or two of its entries lack a comma between them; close it with }}",
            opened,
        )
    if "simple key" in context and "expected ':'" in problem and opened:
        key_line = lines[opened[0] - 1] if opened[0] <= len(lines) else ""
        if re.match(r"\s*[^\s:#]+:[^\s]", key_line):
            return "put a space after ':' — without one YAML reads the key and the value as one word", (opened[0], key_line.index(":") + 2)
    if "mapping values are not allowed" in problem:
        if ": " in text[: column - 1] or text[: column - 1].rstrip().endswith(":"):
            return "a value cannot hold ': ' unquoted; quote the whole value", None
        previous = _previous_content_line(lines, line)
        if previous:
            return f"this line is indented more than line {previous}, so YAML reads it as part of that line's value; line it up with its siblings", (line, 1)
    if "block mapping" in context and "expected key" in problem and opened:
        previous = _previous_content_line(lines, line)
        return (
            f"this line is indented less than its siblings at line {previous or opened[0]} and more than the mapping at line {opened[0]}; line it up with one of them",
            (line, 1),
        )
    return None


def _previous_content_line(lines: tuple[str, ...], line: int) -> int | None:
    for number in range(line - 1, 0, -1):
        stripped = lines[number - 1].strip()
        if stripped and not stripped.startswith("#"):
            return number
    return None


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _too_deep(span: Span) -> Finding:
    return finding("CA004", f"nesting is deeper than the limit of {MAX_DEPTH} levels", span)


_info = tuple.__new__  # NodeInfo made in C, for the nodes every file has many of


class _Refused(Exception):
    def __init__(self, finding: Finding) -> None:
        self.finding = finding


class _Walker:
    """Builds plain Python data (dict/list/str/int/float/bool/None) and the index."""

    def __init__(self, text: str) -> None:
        self.text = text
        # Without a '*' in the text there is no alias, so no bookkeeping for them.
        self.aliases = "*" in text
        self.nodes: dict[str, NodeInfo] = {}
        self.dates: list[str] = []  # pointers of plain scalars YAML 1.1 reads as dates
        self.shadowed: list[tuple[str, Node]] = []  # (key, value) of entries a duplicate key replaced
        self.findings: list[Finding] = []
        self.seen: set[int] = set()
        self.expanded = 0
        self.path: set[int] = set()

    def build(self, node: Node, pointer: str, key: Node | None, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise _Refused(_too_deep(span_of(node, split_lines(self.text))))
        ident = id(node)
        if self.aliases:
            self._count_alias_use(node, ident, pointer)
        if isinstance(node, ScalarNode):
            if node.tag == STR:  # most values: text as written, nothing to resolve
                self.nodes[pointer] = _info(NodeInfo, (node, key, None))
                return node.value
            value, resolved = self._scalar(node, pointer)
            self.nodes[pointer] = NodeInfo(node, key, resolved)
            if resolved == "date":
                self.dates.append(pointer)
            return value
        self._check_collection_tag(node, pointer)
        self.path.add(ident)
        try:
            self.nodes[pointer] = NodeInfo(node, key)
            if isinstance(node, SequenceNode):
                return [self.build(item, f"{pointer}/{i}", None, depth + 1) for i, item in enumerate(node.value)]
            assert isinstance(node, MappingNode)
            return self._mapping(node, pointer, depth)
        finally:
            self.path.discard(ident)

    def _count_alias_use(self, node: Node, ident: int, pointer: str) -> None:
        if ident in self.path:
            raise _Refused(finding("CA004", "an alias refers to the node that contains it (recursive alias)", span_of(node, split_lines(self.text)), pointer))
        if ident in self.seen:
            self.expanded += 1
            if self.expanded > MAX_ALIAS_EXPANSION:
                msg = f"aliases expand to more than {MAX_ALIAS_EXPANSION:,} nodes (an alias bomb?); refusing to expand them"
                raise _Refused(finding("CA004", msg, span_of(node, split_lines(self.text)), pointer))
        self.seen.add(ident)

    def _mapping(self, node: MappingNode, pointer: str, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first: dict[str, Node] = {}  # key -> the key node that first wrote it
        merged: dict[str, Any] = {}
        nodes, plain = self.nodes, not self.aliases and depth < MAX_DEPTH
        for key_node, value_node in node.value:
            if key_node.__class__ is ScalarNode and key_node.tag == STR:  # most keys: text as written
                key = key_node.value
            elif key_node.tag == MERGE and isinstance(key_node, ScalarNode):
                self._merge(value_node, pointer, depth, merged)
                continue
            else:
                key = self._key(key_node)
            at = f"{pointer}/{key}" if "~" not in key and "/" not in key else f"{pointer}/{escape_pointer(key)}"
            if key in first:
                replaced = nodes.get(at)
                if replaced is not None:
                    self.shadowed.append((key, replaced.node))  # gone from the data, still in the file
                line = first[key].start_mark.line + 1
                msg = f"duplicate key {key[:60]!r}; it is already defined on line {line} and this one would silently replace it"
                self.findings.append(finding("CA002", msg, span_of(key_node, split_lines(self.text)), at))
            else:
                first[key] = key_node
            if plain and value_node.__class__ is ScalarNode and value_node.tag == STR:  # build()'s first case, without the call
                nodes[at] = _info(NodeInfo, (value_node, key_node, None))
                result[key] = value_node.value
            else:
                result[key] = self.build(value_node, at, key_node, depth + 1)
        for key, value in merged.items():
            result.setdefault(key, value)
        return result

    def _merge(self, value_node: Node, pointer: str, depth: int, merged: dict[str, Any]) -> None:
        sources = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
        for source in sources:
            if not isinstance(source, MappingNode):
                msg = "a merge key (<<) needs a mapping or a list of mappings"
                raise _Refused(finding("CA001", msg, span_of(source, split_lines(self.text)), pointer))
            for key, value in self.build(source, pointer, None, depth + 1).items():
                merged.setdefault(key, value)

    def _key(self, node: Node) -> str:
        if isinstance(node, ScalarNode):
            if node.tag != STR:
                self._scalar(node, "")  # tags on keys are checked like any scalar
            return str(node.value)
        start, end = node.start_mark.index, node.end_mark.index
        return " ".join(self.text[start:end].split())[:60] or "<complex key>"

    def _check_collection_tag(self, node: Node, pointer: str) -> None:
        expected = SEQ if isinstance(node, SequenceNode) else MAP
        if node.tag != expected:
            raise _Refused(_unsafe_tag(node.tag, span_of(node, split_lines(self.text)), pointer))

    def _scalar(self, node: ScalarNode, pointer: str) -> tuple[Any, str | None]:
        tag, text = node.tag, node.value
        plain = not node.style
        if tag == STR:
            return text, None
        implicit = plain and plain_tag(text) == tag
        if tag in _IMPLICIT_AS_STR and implicit:
            # Kept as the string it looks like, but YAML 1.1 readers (PyYAML's
            # safe_load, most tools) see a date: the schema stage says so.
            return text, ("date" if tag == _TIMESTAMP else None)
        try:
            value = self._construct(node, tag)
        except _Unsafe:
            raise _Refused(_unsafe_tag(tag, span_of(node, split_lines(self.text)), pointer)) from None
        except (ValueError, KeyError, IndexError, TypeError, OverflowError, yaml.YAMLError):  # "!!bool maybe", "!!int"
            msg = f"{text[:40]!r} cannot be read as {_short_tag(tag)}"
            raise _Refused(finding("CA001", msg, span_of(node, split_lines(self.text)), pointer)) from None
        return value, (_TYPE_NAMES[tag] if implicit else None)

    def _construct(self, node: ScalarNode, tag: str) -> Any:
        if tag == NULL:
            return None
        if tag == BOOL:
            return _CONSTRUCTOR.construct_yaml_bool(node)
        if tag == FLOAT:
            return _CONSTRUCTOR.construct_yaml_float(node)
        if tag == INT:
            digits = node.value.lstrip("+-")
            if len(digits) > MAX_INT_DIGITS:
                return -math.inf if node.value.startswith("-") else math.inf
            value = _CONSTRUCTOR.construct_yaml_int(node)
            if value.bit_length() > MAX_INT_DIGITS * 3:  # e.g. a 20,000-digit 0x… literal
                return -math.inf if value < 0 else math.inf
            return value
        raise _Unsafe


class _Unsafe(Exception):
    pass


_TYPE_NAMES = {BOOL: "boolean", INT: "integer", FLOAT: "number", NULL: "null"}


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_T) :] if tag.startswith(_T) else tag


def _unsafe_tag(tag: str, span: Span, pointer: str) -> Finding:
    msg = f"the tag {_short_tag(tag)} is outside the YAML core schema; closeapp-lint never constructs it — remove the tag"
    return finding("CA004", msg, span, pointer)
