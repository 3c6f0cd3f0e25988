"""The fast paths must never change an answer: the compiled schema check may only say
"valid" when jsonschema finds nothing, and the quick host check agrees with validators."""

from __future__ import annotations

from typing import Any

import pytest
import validators
from hypothesis import given, settings
from hypothesis import strategies as st

from closeapp_lint.judge.fastschema import compile_schema
from closeapp_lint.judge.schema import _fast, _validator, schema
from closeapp_lint.load.source import load
from closeapp_lint.text.urls import _valid_public_host

from .conftest import EXAMPLES

FIELDS = [
    "manifest_version",
    "name",
    "description",
    "redirect_url",
    "terms_of_service_url",
    "privacy_policy_url",
    "visibility",
    "scopes",
    "client_id",
    "listing",
    "x-ext",
    "product_url",
    "summary",
    "contact_email",
    "colour",
]
leaf = (
    st.none()
    | st.booleans()
    | st.integers(-3, 3)
    | st.floats(allow_nan=True)
    | st.text(max_size=60)
    | st.sampled_from(
        [
            "",
            " ",
            "public",
            "private",
            "pubic",
            "all.full_access",
            "offline_access",
            "a@b.dev",
            "not-an-email",
            "https://tidewater.dev",
            1,
            1.0,
            True,
            "x" * 51,
            "x" * 301,
        ]
    )
)
values = st.recursive(leaf, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(FIELDS), inner, max_size=5), max_leaves=12)


def test_the_bundled_schema_compiles() -> None:
    assert _fast() is not None


@pytest.mark.parametrize("path", sorted(EXAMPLES.rglob("*.closeapp.yaml")), ids=lambda p: p.name)
def test_agrees_on_examples(path: Any) -> None:
    doc = load(path.read_bytes()).document
    if doc is None:  # the examples of parse-level codes: nothing for a schema to judge
        assert path.name.split(".")[0] in ("CA001", "CA002", "CA003", "CA004", "CA005")
        return
    assert _fast()(doc.data) == (list(_validator().iter_errors(doc.data)) == [])


@settings(max_examples=600, deadline=None, derandomize=True)
@given(st.dictionaries(st.sampled_from(FIELDS), values, max_size=12))
def test_fast_valid_implies_jsonschema_valid(document: dict[str, Any]) -> None:
    errors = list(_validator().iter_errors(document))
    if _fast()(document):
        assert errors == []


def test_unknown_keywords_switch_the_fast_path_off() -> None:
    assert compile_schema({"type": "object", "oneOf": [{}]}, {}) is None
    assert compile_schema({"type": "object", "properties": {"a": {}}}, {}) is None  # no additionalProperties
    assert compile_schema(schema(), {}) is None  # a format it has no checker for


@pytest.mark.parametrize(
    "host",
    [
        "tidewater.dev",
        "app.tidewater.dev",
        "x.co",
        "a-b.c-d.io",
        "xn--bcher-kva.example",
        "a_b.com",
        "-a.com",
        "a-.com",
        "foo",
        "ex.a1",
        "UPPER.CASE.COM",
        "a." * 130 + "com",
        "toolonglabel" * 6 + ".com",
        "exa mple.com",
        "é.com",
        "1.2.3.4x",
    ],
)
def test_quick_host_check_agrees_with_validators(host: str) -> None:
    assert _valid_public_host(host) == bool(validators.domain(host.lower().rstrip(".")))


def test_the_plain_host_test_is_the_pattern_it_replaced() -> None:
    """_simple_host (string methods, nothing compiled) against the regular expression it
    replaced, on every string of up to six characters over an alphabet of the cases."""
    import itertools
    import re

    from closeapp_lint.text.urls import _simple_host

    pattern = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")
    for size in range(7):
        for letters in itertools.product("a0-.é_Z", repeat=size):
            host = "".join(letters)
            assert _simple_host(host) == bool(pattern.fullmatch(host)), host
    for host in ["a" * 63 + ".com", "a" * 64 + ".com", "x." + "a" * 63, "x." + "a" * 64, "a-b--c.d9.io"]:
        assert _simple_host(host) == bool(pattern.fullmatch(host)), host


def _both_roads(document: dict[str, Any]) -> tuple[list[Any], list[Any]]:
    from closeapp_lint.judge import schema as schema_module

    explained = schema_module._explainer()(document, ())
    full = list(_validator().iter_errors(document))
    return explained, full


def _key(error: Any) -> tuple[Any, ...]:
    return (error.validator, tuple(error.absolute_path))


@settings(max_examples=800, deadline=None, derandomize=True)
@given(st.dictionaries(st.sampled_from(FIELDS), values, max_size=12))
def test_explainer_agrees_with_jsonschema(document: dict[str, Any]) -> None:
    """When the explainer answers, jsonschema finds exactly those missing/unknown keys."""
    explained, full = _both_roads(document)
    if explained is None:
        assert full, "the explainer gave up on a valid document"
        return
    assert sorted({_key(e) for e in explained}) == sorted({_key(e) for e in full})


def test_explainer_handles_the_common_mistakes_without_jsonschema() -> None:
    from closeapp_lint.judge import schema as schema_module

    doc = {"manifest_version": 1, "name": "T", "redirect_uri": "x", "listing": {"summary": "s", "sumary": "t"}}
    explained = schema_module._explainer()(doc, ())
    assert [(e.validator, e.absolute_path) for e in explained] == [
        ("required", ()),
        ("required", ("listing",)),
        ("additionalProperties", ("listing",)),
        ("additionalProperties", ()),
    ]
    assert schema_module._explainer()({"name": 5}, ()) is None  # a type error: jsonschema explains it


def test_findings_are_the_same_on_both_roads(monkeypatch: pytest.MonkeyPatch) -> None:
    from closeapp_lint.judge import schema as schema_module
    from closeapp_lint.judge.engine import lint

    text = (EXAMPLES / "failing" / "CA102.closeapp.yaml").read_bytes() + b"listing:\n  sumary: x\n"
    fast = lint(text, "closeapp.yaml")
    monkeypatch.setattr(schema_module, "_explainer", lambda base=False: None)
    assert lint(text, "closeapp.yaml") == fast


@pytest.mark.parametrize("pattern", [r"\S", "^x-", "^x_y-1", "^x.", r"^\d", "x-", "^"])
def test_the_schema_patterns_read_without_compiling_match_as_compiled(pattern: str) -> None:
    import itertools
    import re

    from closeapp_lint.judge.fastschema import searcher

    search = searcher(pattern)
    for size in range(4):
        for letters in itertools.product(["x", "-", "_", "y", "1", ".", " ", "\t", "\u3000", "\u200b", "\n"], repeat=size):
            text = "".join(letters)
            assert search(text) == (re.search(pattern, text) is not None), (pattern, text)


@pytest.mark.parametrize(
    "name",
    [
        "closeapp.yaml",
        "closeapp.yml",
        "a.closeapp.yaml",
        ".closeapp.yaml",
        "xcloseapp.yaml",
        "closeapp.yaml.bak",
        "a.b.closeapp.yml",
        "closeapp-base.yaml",
        "x.closeapp-base.yml",
        "closeapp.applied.json",
        "b.closeapp.applied.json",
        "closeapp.json",
        "a\n.closeapp.yaml",
        "closeapp.YAML",
        "closeapp.yamll",
    ],
)
def test_file_names_are_read_as_the_patterns_they_replaced(name: str) -> None:
    import re

    from closeapp_lint.load.files import is_base_name, is_manifest_name, is_record_name

    assert is_manifest_name(name) == bool(re.fullmatch(r"(?:.*\.)?closeapp\.ya?ml", name, re.DOTALL))
    assert is_base_name(name) == bool(re.fullmatch(r"(?:.*\.)?closeapp-base\.ya?ml", name, re.DOTALL))
    assert is_record_name(name) == bool(re.fullmatch(r"(?:.*\.)?closeapp\.applied\.json", name, re.DOTALL))


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="a é\n\r\x85\u2028\u2029\t", max_size=30))
def test_lines_split_without_the_pattern_agree_with_it(text: str) -> None:
    """A text with only newlines is split with str.split: the lines are YAML's all the same."""
    from closeapp_lint.core.document import LINE_BREAKS, split_lines

    assert split_lines(text) == tuple(LINE_BREAKS.split(text))


@pytest.mark.parametrize("implicit", [(True, False), (False, True), (False, False), (True, True)])
@pytest.mark.parametrize("value", ["", "x", "yes", "1", "0x1f", "1.5", "~", "null", "2024-01-01", "=", "<<", ".inf", None])
def test_the_loaders_tags_are_pyyamls(value: str | None, implicit: tuple[bool, bool]) -> None:
    """The loader answers the parser's "which tag?" itself (cached, without PyYAML's
    path-resolver bookkeeping): for every kind of node, PyYAML's safe resolver answers the same."""
    import yaml
    from yaml.nodes import MappingNode, ScalarNode, SequenceNode

    from closeapp_lint.load.source import _Loader

    assert not yaml.SafeLoader.yaml_path_resolvers  # what makes the shortcut (and the loader's no-op descend/ascend_resolver) exact
    reference, ours = yaml.resolver.Resolver(), _Loader("")
    try:
        for kind in (ScalarNode, SequenceNode, MappingNode):
            if kind is ScalarNode and value is None:
                continue
            assert ours.resolve(kind, value, implicit) == reference.resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
    finally:
        ours.dispose()


_URL_PARTS = st.sampled_from(["https://"] * 6 + ["http://"] * 6 + ["HTTP://", "ftp://", "myapp://", "https:/", "//", ""])
_PLAIN_HOSTS = ["app.tide.dev", "a.b.co", "10.0.0.1.nip.io", "x.lvh.me", "localhost", "a.example.com", "ab.c-d.io"]
_HOST_TEXT = st.sampled_from(_PLAIN_HOSTS * 4 + ["App.dev", "a.dev.", "a_b.dev", "[::1]", "a.dev:0", "u:p@a.dev", "é.dev", "*.a.dev"])
_REST_TEXT = st.lists(st.sampled_from(["/", "?", "#", "x", "=", "&", "%", "*", "@", "\\", " ", "\t", ".", ":", "-", "/cb", "?a=1", "[", "]"]), max_size=5).map(
    "".join
)


@settings(max_examples=1500, deadline=None)
@given(_URL_PARTS, _HOST_TEXT, _REST_TEXT, st.booleans())
def test_a_plainly_written_url_is_judged_as_urlsplit_reads_it(scheme: str, host: str, rest: str, allow_fragment: bool) -> None:
    """Where analyze() takes a URL as plainly written (scheme and host read with string
    methods), urlsplit's reading gives the same verdict."""
    from closeapp_lint.text import urls

    url = scheme + host + rest
    plain = urls._plain_web(url)
    if plain is not None:
        assert urls.UrlVerdict(plain[0], None, urls.classify_host(plain[1])) == urls._parsed(url, allow_fragment=allow_fragment)


def test_the_plain_road_is_taken_for_plain_urls() -> None:
    from closeapp_lint.text import urls

    assert urls._plain_web("https://app.tidewater.dev/oauth/close/callback?x=1") == ("https", "app.tidewater.dev")
    assert urls._plain_web("http://app.tidewater.dev") == ("http", "app.tidewater.dev")
    for other in ("https://App.dev/", "https://a.dev:443/", "https://u@a.dev/", "https://a.dev/#x", "https://a.dev./", "HTTPS://a.dev/", "https://a.dev/*"):
        assert urls._plain_web(other) is None, other


_PATH_PART = st.sampled_from(["a", "b.closeapp.yaml", ".hidden", ".", "..", "", "x y", "..x"])


@settings(max_examples=400, deadline=None)
@given(st.booleans(), st.lists(_PATH_PART, min_size=1, max_size=6), st.booleans())
def test_a_path_is_shown_as_the_normalizing_road_shows_it(absolute: bool, parts: list[str], under_cwd: bool) -> None:
    """files.shown's shortcuts (a relative or absolute path that is normal already) give
    what normalizing the path and cutting the working directory off gives."""
    import os

    from closeapp_lint.load import files

    cwd = os.getcwd()
    path = "/".join(parts)
    if absolute:
        path = (cwd if under_cwd else "/elsewhere") + "/" + path
    normal = os.path.normpath(os.path.join(cwd, path))
    expected = normal[len(cwd.rstrip("/")) + 1 :] if normal.startswith(cwd.rstrip("/") + "/") else normal
    assert files.shown(path) == expected


@given(st.sampled_from([".", "", "./a", "a", "a/b", "/x", "/", "/x/", "a/", "./", "../a"]), st.sampled_from(["m.closeapp.yaml", ".hidden", "x y"]))
def test_a_listed_name_is_joined_as_os_path_join_joins_it(folder: str, name: str) -> None:
    import os

    from closeapp_lint.load import files

    assert files._join(folder, name) == os.path.join(folder, name).removeprefix("./")
