"""The compiled fast path against jsonschema on randomly built schemas (not only the
bundled one): whenever the fast check says "valid", jsonschema agrees, and the explainer
lists errors only where jsonschema finds exactly missing or unknown keys. Overlapping
``properties`` and ``patternProperties`` are generated on purpose."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from closeapp_lint.judge.fastschema import compile_explainer, compile_schema

KEYS = ["a", "b", "x-a", "x-b", "ab"]
leaf_schemas = st.one_of(
    st.just({"type": "string"}),
    st.just({"type": "integer"}),
    st.just({"type": "string", "minLength": 2}),
    st.just({"type": "string", "maxLength": 1}),
    st.just({"enum": ["p", "q"]}),
    st.just({"type": "string", "pattern": "^p"}),
    st.just({}),
)


@st.composite
def object_schemas(draw: Any) -> dict[str, Any]:
    properties = draw(st.dictionaries(st.sampled_from(KEYS), leaf_schemas, max_size=3))
    patterns = draw(st.dictionaries(st.sampled_from(["^x-", "a", "^b$", "b"]), leaf_schemas, max_size=2))
    schema: dict[str, Any] = {"type": "object", "properties": properties, "additionalProperties": draw(st.booleans())}
    if patterns:
        schema["patternProperties"] = patterns
    if properties and draw(st.booleans()):
        schema["required"] = sorted(draw(st.sets(st.sampled_from(sorted(properties)), min_size=1)))
    return schema


instances = st.dictionaries(st.sampled_from(KEYS), st.one_of(st.text(alphabet="pqz", max_size=3), st.integers(-2, 2)), max_size=4)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(object_schemas(), instances)
def test_fast_path_never_says_valid_when_jsonschema_does_not(schema: dict[str, Any], instance: dict[str, Any]) -> None:
    check = compile_schema(schema, {})
    assert check is not None
    truth = Draft202012Validator(schema).is_valid(instance)
    assert check(instance) == truth


@settings(max_examples=400, deadline=None, derandomize=True)
@given(object_schemas(), instances)
def test_explainer_agrees_with_jsonschema(schema: dict[str, Any], instance: dict[str, Any]) -> None:
    explain = compile_explainer(schema, {})
    assert explain is not None
    errors = list(Draft202012Validator(schema).iter_errors(instance))
    simple = explain(instance, ())
    if simple is None:
        assert any(e.validator not in ("required", "additionalProperties") for e in errors)
    else:
        assert {e.validator for e in simple} == {e.validator for e in errors}  # jsonschema repeats "required" per key


def test_overlap_applies_both_subschemas() -> None:
    schema = {"type": "object", "properties": {"x-a": {"type": "string"}}, "patternProperties": {"^x-": {"maxLength": 1}}, "additionalProperties": False}
    check = compile_schema(schema, {})
    assert check is not None and check({"x-a": "p"}) and not check({"x-a": "pp"})
