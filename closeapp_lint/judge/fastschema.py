"""A fast yes/no check of a document against the bundled schema.

Most manifests are valid, and jsonschema's general machinery costs more per file than
loading the YAML. This compiles the schema, once, into plain Python predicates for the
keywords it uses. It only answers "certainly valid"; anything else (including keywords it
does not know, which switch it off entirely) sends the document to jsonschema, which
finds and explains the errors. Being conservative is safe: a False costs time, never a
finding.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from ..core.records import NamedTuple

Predicate = Callable[[Any], bool]  # a compiled schema keyword: value in, valid or not out
_ANNOTATIONS = frozenset({"$schema", "$id", "$comment", "title", "description", "examples", "default"})
_TYPES: dict[str, Predicate] = {
    "string": lambda x: isinstance(x, str),
    "integer": lambda x: isinstance(x, int) and not isinstance(x, bool),
    "number": lambda x: not isinstance(x, bool) and (isinstance(x, int) or (isinstance(x, float) and math.isfinite(x))),
    "boolean": lambda x: isinstance(x, bool),
    "array": lambda x: isinstance(x, list),
    "object": lambda x: isinstance(x, dict),
    "null": lambda x: x is None,
}


class Unsupported(Exception):
    pass


def compile_schema(schema: dict[str, Any], formats: dict[str, Predicate]) -> Predicate | None:
    """A predicate that is True only for documents the schema accepts; None when the
    schema uses something this compiler does not handle."""
    try:
        return _compile(schema, formats)
    except Unsupported:
        return None


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b  # JSON equality: true is not 1


def _compile(node: Any, formats: dict[str, Predicate]) -> Predicate:
    if node is True or node == {}:
        return _always
    if not isinstance(node, dict):
        raise Unsupported(node)
    checks: list[Predicate] = []
    for key, value in node.items():
        if key in _ANNOTATIONS or key in ("properties", "patternProperties"):
            continue
        if key == "type" and isinstance(value, str) and value in _TYPES:
            checks.append(_TYPES[value])
        elif key == "const" and isinstance(value, (str, int, bool)):
            checks.append(_const(value))
        elif key == "enum" and all(isinstance(v, str) for v in value):
            checks.append(_enum(frozenset(value)))
        elif key in ("minLength", "maxLength"):
            checks.append(_size(str, value if key == "minLength" else 0, value if key == "maxLength" else None))
        elif key in ("minItems", "maxItems"):
            checks.append(_size(list, value if key == "minItems" else 0, value if key == "maxItems" else None))
        elif key == "pattern":
            checks.append(_pattern(searcher(value)))
        elif key == "format" and value in formats:
            checks.append(_format(formats[value]))
        elif key == "items":
            checks.append(_items(_compile(value, formats)))
        elif key == "required":
            checks.append(_required(tuple(value)))
        elif key == "additionalProperties":
            checks.append(_object(node, formats))
        else:
            raise Unsupported(key)
    if "additionalProperties" not in node and ("properties" in node or "patternProperties" in node):
        raise Unsupported("properties without additionalProperties")
    return _all(tuple(checks))


def _always(x: Any) -> bool:
    return True


def _all(checks: tuple[Predicate, ...]) -> Predicate:
    def check_all(x: Any) -> bool:
        for check in checks:  # a plain loop: this runs for every node of every file
            if not check(x):
                return False
        return True

    return check_all


def _const(value: Any) -> Predicate:
    return lambda x: _same(x, value)


def _enum(values: frozenset[str]) -> Predicate:
    return lambda x: isinstance(x, str) and x in values


def _size(kind: type[str | list[Any]], low: int, high: int | None) -> Predicate:
    def check(x: Any) -> bool:
        return not isinstance(x, kind) or (len(x) >= low and (high is None or len(x) <= high))

    return check


def _pattern(search: Callable[[str], bool]) -> Predicate:
    return lambda x: not isinstance(x, str) or search(x)


def searcher(pattern: str) -> Callable[[str], bool]:
    """Whether ``re.search(pattern, text)`` finds something — by string methods for the two
    forms the shipped schema uses (``\\S``: not blank; ``^x-``: a literal prefix), so a run
    compiles no regular expression for them (each costs more than a lint); any other
    pattern is compiled."""
    if pattern == r"\S":
        return lambda text: bool(text) and not text.isspace()  # isspace: exactly the characters \s matches
    prefix = pattern[1:]
    if pattern.startswith("^") and prefix.isascii() and prefix.replace("-", "").replace("_", "").isalnum():
        return lambda text: text.startswith(prefix)
    search = re.compile(pattern).search
    return lambda text: search(text) is not None


def _format(check: Predicate) -> Predicate:
    return lambda x: not isinstance(x, str) or check(x)


def _items(item: Predicate) -> Predicate:
    def check_items(x: Any) -> bool:
        if isinstance(x, list):
            for i in x:
                if not item(i):
                    return False
        return True

    return check_items


def _required(names: tuple[str, ...]) -> Predicate:
    return lambda x: not isinstance(x, dict) or all(n in x for n in names)


def _object(node: dict[str, Any], formats: dict[str, Predicate]) -> Predicate:
    properties = {name: _compile(sub, formats) for name, sub in node.get("properties", {}).items()}
    patterns = [(searcher(p), _compile(sub, formats)) for p, sub in node.get("patternProperties", {}).items()]
    extra = node["additionalProperties"]
    if extra not in (False, True, {}):
        raise Unsupported("additionalProperties schema")

    def check(x: Any) -> bool:
        # applicable() unrolled (keep the two in step): this runs for every key of every
        # file, and most keys are one property and no pattern.
        if not isinstance(x, dict):
            return True
        for key, value in x.items():
            sub = properties.get(key)
            if sub is not None and not sub(value):
                return False
            applies = sub is not None
            for search, by_pattern in patterns:
                if search(key):
                    if not by_pattern(value):
                        return False
                    applies = True
            if not applies and extra is False:
                return False
        return True

    return check


S = TypeVar("S")


def applicable(key: str, properties: dict[str, S], patterns: Sequence[tuple[Callable[..., Any], S]]) -> list[S]:
    """Every subschema that applies to ``key``: its ``properties`` entry *and* each
    ``patternProperties`` entry whose pattern matches (JSON Schema applies all of them);
    none means the key is additional. The explaining walker asks here; the checking one
    (``_object``) answers the same question inline, as it runs for every key of every file
    (39k instructions a lint less, per callgrind)."""
    found = [properties[key]] if key in properties else []
    found.extend(sub for search, sub in patterns if search(key))
    return found


class SimpleError(NamedTuple):
    """A missing or unknown key, described with the attributes of jsonschema's
    ValidationError that schema.py reads, so both take the same road to a finding."""

    validator: str  # "required" | "additionalProperties"
    validator_value: Any
    instance: Any
    schema: dict[str, Any]
    absolute_path: tuple[Any, ...]


Explain = Callable[[Any, tuple[Any, ...]], "list[SimpleError] | None"]


def compile_explainer(schema: dict[str, Any], formats: dict[str, Predicate]) -> Explain | None:
    """A function that lists a document's schema errors when every one of them is a
    missing or unknown key (the common mistakes), in the order jsonschema reports them;
    None from it means "something else is wrong: ask jsonschema". None here means the
    schema uses something this compiler does not handle."""
    try:
        return _explainer(schema, formats)
    except Unsupported:
        return None


def _explainer(node: Any, formats: dict[str, Predicate]) -> Explain:
    if not isinstance(node, dict):
        _compile(node, formats)  # raises Unsupported for what it cannot handle
        return lambda x, path: []
    steps: list[Callable[[Any, tuple[Any, ...], list[SimpleError]], bool]] = []
    for key, value in node.items():
        if key in _ANNOTATIONS or key in ("properties", "patternProperties"):
            continue
        if key == "required":
            steps.append(_explain_required(node, tuple(value)))
        elif key == "additionalProperties":
            steps.append(_explain_object(node, formats))
        elif key == "items":
            steps.append(_explain_items(_explainer(value, formats)))
        else:
            steps.append(_only_if(_compile({key: value}, formats)))

    def explain(x: Any, path: tuple[Any, ...]) -> list[SimpleError] | None:
        errors: list[SimpleError] = []
        for step in steps:
            if not step(x, path, errors):
                return None
        return errors

    return explain


def _only_if(check: Predicate) -> Callable[[Any, tuple[Any, ...], list[SimpleError]], bool]:
    return lambda x, path, errors: check(x)


def _explain_required(node: dict[str, Any], names: tuple[str, ...]) -> Callable[[Any, tuple[Any, ...], list[SimpleError]], bool]:
    def step(x: Any, path: tuple[Any, ...], errors: list[SimpleError]) -> bool:
        if isinstance(x, dict) and any(n not in x for n in names):
            errors.append(SimpleError("required", list(names), x, node, path))
        return True

    return step


def _explain_items(item: Explain) -> Callable[[Any, tuple[Any, ...], list[SimpleError]], bool]:
    def step(x: Any, path: tuple[Any, ...], errors: list[SimpleError]) -> bool:
        if isinstance(x, list):
            for index, value in enumerate(x):
                found = item(value, (*path, index))
                if found is None:
                    return False
                errors.extend(found)
        return True

    return step


def _explain_object(node: dict[str, Any], formats: dict[str, Predicate]) -> Callable[[Any, tuple[Any, ...], list[SimpleError]], bool]:
    properties = {name: _explainer(sub, formats) for name, sub in node.get("properties", {}).items()}
    patterns = [(searcher(p), _explainer(sub, formats)) for p, sub in node.get("patternProperties", {}).items()]
    extra = node["additionalProperties"]
    if extra not in (False, True, {}):
        raise Unsupported("additionalProperties schema")

    def step(x: Any, path: tuple[Any, ...], errors: list[SimpleError]) -> bool:
        if not isinstance(x, dict):
            return True
        unknown = False
        for key, value in x.items():
            subs = applicable(key, properties, patterns)
            if not subs:
                unknown = unknown or extra is False
            for sub in subs:
                found = sub(value, (*path, key))
                if found is None:
                    return False
                errors.extend(found)
        if unknown:
            errors.append(SimpleError("additionalProperties", extra, x, node, path))
        return True

    return step
