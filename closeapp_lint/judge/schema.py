"""The bundled JSON Schema and the translation of its errors into CA101–CA105.

The validator is compiled once per process. Messages are written here from the error's
keyword and location — never from jsonschema's own text, which embeds ``repr`` of the
whole instance.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from functools import cache, lru_cache
from typing import Any

from ..core.codes import finding
from ..core.document import Document, escape_pointer, field_name
from ..core.manifest import CLIENT_ID, SCOPES
from ..core.model import Finding
from ..core.patterns import lazy
from ..core.records import NamedTuple
from ..rules.listing import listing_incomplete
from ..text.credentials import secret_named
from ..text.urls import analyze

_HERE = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))  # the package's folder (this is judge/schema.py)
# Inside a wheel the schema sits in the package's folder; in a source checkout (and an
# editable install) it is the top-level schemas/ folder.
_CANDIDATES = (os.path.join(_HERE, "closeapp.schema.json"), os.path.join(os.path.dirname(_HERE), "schemas", "closeapp.schema.json"))
# Where a missing required field is its own rule rather than CA101.
_REQUIRED_RULE = {"/listing": listing_incomplete}  # a listing without product_url or summary
_LENGTH = {"minLength", "maxLength", "minItems", "maxItems"}


def schema_path() -> str:
    for candidate in _CANDIDATES:
        if os.path.isfile(candidate):
            return candidate
    raise FileNotFoundError("closeapp.schema.json is missing from the installation")


def schema_text() -> str:
    with open(schema_path(), encoding="utf-8") as fh:
        return fh.read()


@cache
def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = _json_value(schema_text())
    return loaded


class _JsonOptions(NamedTuple):  # what json's C scanner reads from its decoder
    strict: bool = True
    object_hook: None = None
    object_pairs_hook: None = None
    parse_float: type = float
    parse_int: type = int
    parse_constant: type = float  # NaN, Infinity, -Infinity, as json reads them


def _json_value(text: str) -> Any:
    """``json.loads(text)`` by the C scanner json itself uses, without loading the json
    package, whose modules compile six regular expressions at import (4.8 M instructions,
    1.5 % of a one-file run, for a 7 kB file this package ships). Anything the scanner
    does not take whole goes to ``json.loads``, for its value or its error."""
    try:
        from _json import make_scanner

        value, end = make_scanner(_JsonOptions())(text, 0)  # type: ignore[arg-type]  # typeshed types the context as the scanner
        if not text[end:].strip():
            return value
    except (ImportError, StopIteration, ValueError):
        pass
    import json

    return json.loads(text)


@cache
def checked(base: bool = False) -> dict[str, Any]:
    """The schema a document is checked against. A manifest's own fields are required
    unless it extends a base (the shipped schema's ``if``/``else``, for editors); here a
    manifest is checked merged with its bases, so they are simply required. A base
    requires nothing (its ``client_id`` is CA009, not an unknown field)."""
    plain: dict[str, Any] = {}
    for key, value in schema().items():
        if key == "if" and not base:
            plain["required"] = schema()["else"]["required"]  # where editors read it from the if/else
        elif key not in ("if", "then", "else"):
            plain[key] = value
    return plain


@cache
def base_schema() -> dict[str, Any]:
    """The schema shipped for bases (schemas/closeapp-base.schema.json), made from the
    manifest's: every field but client_id, none required."""
    whole = schema()
    properties = {k: v for k, v in whole["properties"].items() if k != "client_id"}
    properties["extends"] = {
        **properties["extends"],
        "description": "The path of another base this base extends (at most 8 in a chain), relative to this file.",
    }
    head = {
        "$schema": whole["$schema"],
        "$id": "urn:closeapp-lint:schema:closeapp-base:1",
        "title": "Close OAuth app manifest base",
        "description": "Values shared by the manifests that extend this base (one Close app per environment). No field is required; client_id belongs in each manifest.",
        "type": "object",
    }
    rest = {k: whole[k] for k in ("patternProperties", "additionalProperties")}
    return {**head, "properties": properties, **rest}


@cache
def _validator(base: bool = False) -> Any:
    from jsonschema import Draft202012Validator, FormatChecker

    checker = FormatChecker(formats=())
    checker.checks("email")(_is_email)
    return Draft202012Validator(checked(base), format_checker=checker)


@cache
def _fast(base: bool = False) -> Any:
    from .fastschema import compile_schema

    return compile_schema(checked(base), {"email": _is_email})


@cache
def _explainer(base: bool = False) -> Any:
    from .fastschema import compile_explainer

    return compile_explainer(checked(base), {"email": _is_email})


def _errors(data: Any, base: bool) -> list[Any]:
    """Schema errors: from the compiled explainer when they are only missing or unknown
    keys (no need to import jsonschema at all), else from jsonschema."""
    explain = _explainer(base)
    simple = explain(data, ()) if explain is not None else None
    return simple if simple is not None else list(_validator(base).iter_errors(data))


# A plainly valid ASCII address (the common case) is accepted here; anything else goes to
# validators, which is thorough but costs 20 ms to import.
_PLAIN_EMAIL = lazy(r"[A-Za-z0-9][A-Za-z0-9_%+-]*(?:\.[A-Za-z0-9_%+-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}")


def _is_email(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if len(value) <= 254 and len(value.partition("@")[0]) <= 64 and _PLAIN_EMAIL.fullmatch(value):
        return True
    import validators

    return bool(validators.email(value))


def validate(doc: Document, *, base: bool = False) -> Iterator[Finding]:
    """Findings for every schema violation: one per node (a type error, else a length
    error, else the first other one), plus one per missing or unknown key. ``base``: the
    document is a base (nothing required)."""
    if doc.dates:
        yield from _dates(doc)
    fast = _fast(base)
    if fast is not None and fast(doc.data):
        return  # certainly valid: skip jsonschema's slower, explaining pass
    seen: set[str] = set()
    for error in sorted(_errors(doc.data, base), key=_priority):
        pointer = "".join(f"/{escape_pointer(str(p))}" for p in error.absolute_path)
        # jsonschema repeats a "required" error once per missing key; each names them all.
        key = f"{error.validator}:{pointer}" if error.validator in _ABOUT_CHILDREN else pointer
        if key in seen:
            continue
        seen.add(key)
        yield from _translate(doc, error, pointer)


_ABOUT_CHILDREN = {"required", "additionalProperties"}


def _priority(error: Any) -> tuple[int, list[str]]:
    rank = 0 if error.validator == "type" else 1 if error.validator in _LENGTH else 2
    return rank, [str(p) for p in error.absolute_path]


def _translate(doc: Document, error: Any, pointer: str) -> Iterator[Finding]:
    keyword = error.validator
    name = field_name(pointer)
    if keyword == "required":
        span = doc.first_key_span(pointer)
        for field in error.validator_value:
            if isinstance(error.instance, dict) and field not in error.instance:
                child = f"{pointer}/{field}"
                required = _REQUIRED_RULE.get(pointer)
                yield required.finding(_missing(child), span, child) if required else finding("CA101", _missing(child), span, child)
        return
    if keyword == "additionalProperties":
        yield from _unknown_keys(doc, error, pointer)
        return
    span = doc.span(pointer)
    if keyword == "type":
        yield finding("CA103", _wrong_type(doc, pointer, error), span, pointer)
    elif keyword in _LENGTH:
        yield finding("CA105", _bad_length(name, keyword, error), span, pointer)
    else:
        yield finding("CA104", _invalid(name, keyword, error), span, pointer)


def _subschema(pointer: str) -> dict[str, Any]:
    node: dict[str, Any] = schema()
    for token in pointer.split("/")[1:]:
        props = node.get("properties", {})
        node = props.get(token) or (node.get("items") if token.isdigit() else None) or {}
    return node


def _missing(pointer: str) -> str:
    sub = _subschema(pointer)
    name = field_name(pointer)
    example = sub.get("examples", [None])[0]
    hint = f" (e.g. {pointer.rsplit('/', 1)[1]}: {example})" if isinstance(example, (str, int)) else ""
    return f"required field {name} is missing{hint}"


def _unknown_keys(doc: Document, error: Any, pointer: str) -> Iterator[Finding]:
    sub = error.schema
    known = list(sub.get("properties", {}))
    patterns = sub.get("patternProperties", {})
    for key in error.instance:
        if key in known or any(re.search(pattern, key) for pattern in patterns):
            continue
        child = f"{pointer}/{escape_pointer(key)}"
        where = f" in {field_name(pointer)}" if pointer else ""
        message = f"unknown field {key[:60]!r}{where}; {_suggest(key, known)}"
        if secret_named(key, typos=True):  # never suggest moving a secret into a public field
            message = f"unknown field {key[:60]!r}{where}; secrets do not belong in the manifest — load it from your secret store"
        yield finding("CA102", message, doc.key_span(child), child)


def _suggest(key: str, known: list[str]) -> str:
    """ "did you mean …?" for an unknown key (the same misspelling recurs across a
    repository's manifests: short keys are answered once per run)."""
    return _suggest_among(key, tuple(known)) if len(key) <= 100 else _suggested(key, known)


@lru_cache(maxsize=256)
def _suggest_among(key: str, known: tuple[str, ...]) -> str:
    return _suggested(key, list(known))


def _suggested(key: str, known: list[str]) -> str:
    normal = {k.replace("_", "").lower(): k for k in known}
    squashed = key.replace("_", "").replace("-", "").lower()
    from difflib import get_close_matches  # only for an unknown key

    match = normal.get(squashed) or next(iter(get_close_matches(key.lower(), known, n=1, cutoff=0.6)), None)
    if match:
        return f"did you mean {match!r}?"
    return f"known fields are {', '.join(known)}; prefix your own keys with x-"


_TYPE_WORDS = {"string": "a string", "integer": "an integer", "array": "a list", "object": "a mapping", "number": "a number", "boolean": "a boolean"}


def describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if value is None:
        return "null (nothing)"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "a mapping"


def _wrong_type(doc: Document, pointer: str, error: Any) -> str:
    wanted = _TYPE_WORDS.get(str(error.validator_value), str(error.validator_value))
    name = field_name(pointer)
    info = doc.nodes.get(pointer)
    if error.instance is None and error.validator_value == "string":
        return _empty(doc, pointer, name)  # `key:`, `key: ~`, `key: null`: quoting "~" would be no better
    if info is not None and info.resolved and error.validator_value == "string":
        raw = _source_text(doc, pointer)
        shown = f"`{raw}`" if raw and len(raw) <= 40 else "the value"
        read = "an integer" if info.resolved == "integer" else describe(error.instance)
        head = f"{name} must be a string, but YAML read {shown} as {read}"
        if raw and _valid_string(pointer, raw):
            return f'{head}; quote it: {pointer.rsplit("/", 1)[-1]}: "{raw}"'[:300]
        return f"{head}; {_allowed(pointer)}"[:300]
    got = describe(error.instance)
    if isinstance(error.instance, float):
        got = _number(error.instance) or got  # "must be an integer, got 1.5"
    if error.validator_value == "integer" and isinstance(error.instance, str):
        quoted = info is not None and getattr(info.node, "style", None) in ("'", '"') and error.instance.strip().isdigit()
        return (
            f"{name} must be {wanted}, got a string; write it without quotes" if quoted else f"{name} must be {wanted}, got the string {error.instance[:40]!r}"
        )
    if pointer == "/scopes" and isinstance(error.instance, str):  # Close writes scopes as one string
        return f"{name} must be a list, got the string {error.instance[:60]!r}; write scopes: [{', '.join(SCOPES)}]"
    return f"{name} must be {wanted}, got {got}"


def _dates(doc: Document) -> Iterator[Finding]:
    """CA103 for an unquoted date where a string belongs: we keep it as the text, but
    YAML 1.1 readers (PyYAML's safe_load and most tools) hand over a date object."""
    for pointer in doc.dates:
        sub = _subschema(pointer)
        raw = _source_text(doc, pointer)
        if sub.get("type") != "string" or not raw or "enum" in sub:
            continue  # not a string field (CA103 already), or an enum (CA104 names the values)
        head = f"{field_name(pointer)} must be a string, but YAML 1.1 (PyYAML, most YAML readers) reads `{raw[:40]}` as a date"
        hint = f'quote it: {pointer.rsplit("/", 1)[-1]}: "{raw}"' if _valid_string(pointer, raw) else _allowed(pointer)
        yield finding("CA103", f"{head}; {hint}"[:300], doc.span(pointer), pointer)


def _valid_string(pointer: str, value: str) -> bool:
    """Whether ``value``, written as a quoted string, would be a valid value here."""
    if pointer.startswith("/scopes/"):
        return value in SCOPES
    if pointer == "/client_id":
        return re.fullmatch(CLIENT_ID, value) is not None
    if pointer.endswith("_url"):  # a URL field: only a well-formed https URL would help
        verdict = analyze(value, allow_fragment=pointer != "/redirect_url")
        return verdict.malformed is None and verdict.scheme == "https"
    from jsonschema import Draft202012Validator

    return bool(Draft202012Validator(_subschema(pointer)).is_valid(value))


def _empty(doc: Document, pointer: str, name: str) -> str:
    example = _subschema(pointer).get("examples", [None])[0]
    key = pointer.rsplit("/", 1)[-1]
    raw = _source_text(doc, pointer)
    written = f" (YAML reads `{raw}` as nothing)" if raw in ("~", "null", "Null", "NULL") else ""
    hint = f", e.g. {key}: {example}" if isinstance(example, str) and len(example) <= 120 else ""
    return f"{name} is empty{written}; give it a value{hint}"


def _source_text(doc: Document, pointer: str) -> str:
    span, lines = doc.span(pointer), doc.source_of(pointer).lines
    if span.line != span.end_line or span.line > len(lines):
        return ""
    return lines[span.line - 1][span.column - 1 : span.end_column - 1]


def _allowed(pointer: str) -> str:
    """What to write instead, when quoting the value would not make it valid."""
    sub = _subschema(pointer)
    if pointer.startswith("/scopes/"):
        return f"write one of {', '.join(SCOPES)}"
    if "enum" in sub:
        return f"write one of {', '.join(str(v) for v in sub['enum'])}"
    return "write the text you mean (quoted)"


def _bad_length(name: str, keyword: str, error: Any) -> str:
    limit = error.validator_value
    size = len(error.instance)
    unit = "items" if keyword.endswith("Items") else "characters"
    if size == 0 and name == "scopes":
        return f"scopes is empty; write scopes: [{', '.join(SCOPES)}] (Close grants both to every app), or leave scopes out"
    if size == 0:
        return f"{name} is empty; give it at least {limit} {unit[:-1] if limit == 1 else unit}"
    if keyword.startswith("max"):
        return f"{name} is {size} {unit} long; at most {limit} are allowed — shorten it"
    return f"{name} has {size} {unit}; at least {limit} are needed"


def _number(value: float) -> str | None:
    """A number as it can be shown in a message: a finite one of ordinary size (not inf,
    and not a 20,000-digit integer, which str() would refuse)."""
    return str(value) if -1e15 < value < 1e15 else None


def _invalid(name: str, keyword: str, error: Any) -> str:
    value = error.instance
    shown = repr(value[:40]) if isinstance(value, str) else describe(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        shown = _number(value) or shown  # "got 2", not "got a number"
    if keyword == "enum":
        allowed = [str(v) for v in error.validator_value]
        from difflib import get_close_matches  # only for a value outside the allowed ones

        close = get_close_matches(str(value).lower(), allowed, n=1, cutoff=0.5) if isinstance(value, str) else []
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return f"{name} must be one of {', '.join(allowed)}, got {shown}{hint}"
    if keyword == "const":
        return f"{name} must be {error.validator_value!r}, got {shown}"
    if keyword == "pattern" and error.validator_value == "\\S":
        return f"{name} is blank; write some text"
    if keyword == "format":
        return f"{name} is not a valid {'e-mail address' if error.validator_value == 'email' else error.validator_value}"
    return f"{name} is not allowed here ({keyword})"
