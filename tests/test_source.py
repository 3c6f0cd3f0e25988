"""The loader: decoding, positions of every node kind, and the parse-level codes."""

from __future__ import annotations

import codecs

import pytest

from closeapp_lint.core.model import Span
from closeapp_lint.load.source import MAX_ALIAS_EXPANSION, MAX_DEPTH, load

from .conftest import VALID, found


def nodes(text: str | bytes) -> dict[str, tuple[Span, Span | None]]:
    raw = text.encode() if isinstance(text, str) else text
    result = load(raw)
    assert result.document is not None, result.findings
    doc = result.document
    return {p: (doc.span(p), doc.key_span(p) if n.key is not None else None) for p, n in doc.nodes.items()}


def test_block_mapping_positions() -> None:
    index = nodes("name: Tidewater\nredirect_url: https://a.dev/cb\n")
    assert index["/name"] == (Span(1, 7, 1, 16), Span(1, 1, 1, 5))
    assert index["/redirect_url"] == (Span(2, 15, 2, 31), Span(2, 1, 2, 13))
    assert index[""][0].line == 1 and index[""][0].column == 1


def test_flow_sequence_and_mapping_positions() -> None:
    index = nodes("scopes: [all.full_access, offline_access]\nlisting: {summary: Hi, product_url: 'https://x.dev'}\n")
    assert index["/scopes"][0] == Span(1, 9, 1, 42)
    assert index["/scopes/0"][0] == Span(1, 10, 1, 25)
    assert index["/scopes/1"][0] == Span(1, 27, 1, 41)
    assert index["/listing/summary"] == (Span(2, 20, 2, 22), Span(2, 11, 2, 18))
    assert index["/listing/product_url"][0] == Span(2, 37, 2, 52)  # quotes included


def test_block_sequence_positions() -> None:
    index = nodes("scopes:\n  - all.full_access\n  - offline_access\n")
    assert index["/scopes/0"][0] == Span(2, 5, 2, 20)
    assert index["/scopes/1"][0] == Span(3, 5, 3, 19)
    assert index["/scopes"][0].line == 2 and index["/scopes"][0].end_line == 3


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("description: >-\n  one\n  two\nname: x\n", Span(1, 14, 3, 6)),  # folded ends on its last line
        ("description: |\n  one\n  two\n\nname: x\n", Span(1, 14, 3, 6)),  # literal, blank line after
        ("description: one\n  two\n  three\nname: x\n", Span(1, 14, 3, 8)),  # multi-line plain
        ('description: "one\n  two"\nname: x\n', Span(1, 14, 2, 7)),  # multi-line double-quoted
    ],
)
def test_multiline_scalars(text: str, span: Span) -> None:
    assert nodes(text)["/description"][0] == span


def test_quoted_keys_and_pointer_escaping() -> None:
    index = nodes("\"a/b\": 1\n'c~d': 2\n")
    assert index["/a~1b"][1] == Span(1, 1, 1, 6)
    assert index["/c~0d"][1] == Span(2, 1, 2, 6)


def test_crlf_file_has_same_positions() -> None:
    lf = nodes("name: Tidewater\nredirect_url: https://a.dev/cb\n")
    crlf = nodes("name: Tidewater\r\nredirect_url: https://a.dev/cb\r\n")
    assert lf == crlf


def test_bom_and_utf16_positions_match_utf8() -> None:
    text = "name: Tidewater é\nredirect_url: https://a.dev/cb\n"
    plain = nodes(text)
    assert nodes(codecs.BOM_UTF8 + text.encode()) == plain
    assert nodes(text.encode("utf-16")) == plain  # BOM included by the codec
    assert nodes(codecs.BOM_UTF16_BE + text.encode("utf-16-be")) == plain


def test_columns_count_characters_not_bytes() -> None:
    index = nodes("name: Ünïcødé\nredirect_url: x\n")
    assert index["/name"][0] == Span(1, 7, 1, 14)
    assert index["/redirect_url"][0].column == 15


def test_alias_pointers_get_the_anchor_span() -> None:
    index = nodes("x-a: &u https://a.dev/cb\nredirect_url: *u\n")
    assert index["/redirect_url"][0] == index["/x-a"][0]


def test_merge_key() -> None:
    result = load(b"x-base: &b {name: T}\n<<: *b\nredirect_url: u\n")
    assert result.document is not None
    assert result.document.data["name"] == "T"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            b"name: [a\n",
            [
                (
                    "CA001",
                    1,
                    7,
                    (
                        "the [ opened at line 1, column 7 is never closed, or two of its items lack a comma between them; close it with ] "
                        "(the parser said: while parsing a flow sequence (line 1): did not find expected ',' or ']')"
                    ),
                )
            ],
        ),
        (
            b"name: 'abc\n",
            [
                (
                    "CA001",
                    1,
                    7,
                    (
                        "the quote opened at line 1, column 7 is never closed; close it "
                        "(the parser said: while scanning a quoted scalar (line 1): found unexpected end of stream)"
                    ),
                )
            ],
        ),
        (
            b"a: b\n  c: d\n",
            [
                (
                    "CA001",
                    2,
                    1,
                    (
                        "this line is indented more than line 1, so YAML reads it as part of that line's value; line it up with its siblings "
                        "(the parser said: mapping values are not allowed in this context)"
                    ),
                )
            ],
        ),
        (b"a: 1\na: 2\n", [("CA002", 2, 1, "duplicate key 'a'; it is already defined on line 1 and this one would silently replace it")]),
        (b"", [("CA003", 1, 1, "the file is empty; a manifest is a mapping of fields")]),
        (b"# only a comment\n", [("CA003", 1, 1, "the file is empty; a manifest is a mapping of fields")]),
        (b"---\n", [("CA003", 1, 1, "the file is empty; a manifest is a mapping of fields")]),
        (b"- a\n- b\n", [("CA003", 1, 1, "the document is a list; a manifest is a mapping of fields such as name: and redirect_url:")]),
        (b"just text\n", [("CA003", 1, 1, "the document is a single value; a manifest is a mapping of fields such as name: and redirect_url:")]),
        (b"a: 1\n---\nb: 2\n", [("CA003", 3, 1, "the file holds more than one YAML document; a manifest is exactly one document")]),
        (
            b"a: !!python/object/apply:os.system [ls]\n",
            [("CA004", 1, 4, "the tag !!python/object/apply:os.system is outside the YAML core schema; closeapp-lint never constructs it — remove the tag")],
        ),
        (b"a: !Custom 3\n", [("CA004", 1, 4, "the tag !Custom is outside the YAML core schema; closeapp-lint never constructs it — remove the tag")]),
        (b"a: !!set {x}\n", [("CA004", 1, 4, "the tag !!set is outside the YAML core schema; closeapp-lint never constructs it — remove the tag")]),
        (b"a: &x [*x]\n", [("CA004", 1, 4, "an alias refers to the node that contains it (recursive alias)")]),
        (b"a: b\x00\n", [("CA005", 1, 5, "the file is binary (NUL byte at offset 4), not YAML text")]),
        (b"a: \xff\xfe b\n", [("CA005", 1, 4, "the file is not valid UTF-8 (byte 0xff at offset 3)")]),
        ("a: b\n".encode("utf-16-le"), [("CA005", 1, 1, "the file looks like UTF-16 without a byte-order mark; save it as UTF-8")]),
        (b"a: b\x07\n", [("CA005", 1, 5, "character #x0007 is not allowed in YAML (control characters are not allowed)")]),
        (codecs.BOM_UTF32_LE + "a: b".encode("utf-32-le"), [("CA005", 1, 1, "the file is UTF-32; save it as UTF-8")]),
    ],
)
def test_parse_level_codes(raw: bytes, expected: list[tuple[str, int, int, str]]) -> None:
    result = load(raw)
    assert [(f.code, f.span.line, f.span.column, f.message) for f in result.findings] == expected


def test_size_limit_is_checked_before_parsing() -> None:
    result = load(b"a: " + b"x" * 200, max_size=100)
    assert [(f.code, f.message) for f in result.findings] == [("CA005", "the file is 203 bytes, over the 100-byte limit (max-file-size)")]


def test_alias_bomb_is_refused() -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 9)}]")
    result = load(("\n".join(lines) + "\n").encode())
    assert result.document is None
    assert [f.code for f in result.findings] == ["CA004"]
    assert f"more than {MAX_ALIAS_EXPANSION:,} nodes" in result.findings[0].message


def test_moderate_alias_use_is_fine() -> None:
    result = load(b"x-a: &a {k: [1, 2, 3]}\nx-b: *a\nx-c: *a\n")
    assert result.document is not None and result.findings == ()


@pytest.mark.parametrize("depth", [MAX_DEPTH + 5, 1500, 100_000])
def test_deep_flow_nesting_is_refused(depth: int) -> None:
    result = load(("a: " + "[" * depth + "]" * depth + "\n").encode(), max_size=10**7)
    assert [f.code for f in result.findings] == ["CA004"]
    assert "nesting is deeper than the limit" in result.findings[0].message


def test_deep_block_nesting_is_refused() -> None:
    text = "".join(f"{'  ' * i}k{i}:\n" for i in range(1500)) + "  " * 1500 + "v\n"
    result = load(text.encode(), max_size=10**7)
    assert [f.code for f in result.findings] == ["CA004"]


def test_nesting_within_limit_loads() -> None:
    result = load(("a: " + "[" * 50 + "]" * 50 + "\n").encode())
    assert result.document is not None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("a: 2024-01-01\n", "2024-01-01"),  # YAML 1.1 timestamps stay strings
        ("a: =\n", "="),
        ("a: 0x1F\n", 31),
        ("a: .nan\n", "nan"),
        ("a: 1" + "0" * 5000 + "\n", float("inf")),  # over Python's int digit limit
        ("a: 0x" + "f" * 20000 + "\n", float("inf")),  # loads, but str() would raise
        ("a: -1" + "0" * 5000 + "\n", float("-inf")),
    ],
)
def test_scalar_values(text: str, value: object) -> None:
    result = load(text.encode())
    assert result.document is not None
    got = result.document.data["a"]
    assert (str(got) if value == "nan" else got) == value


def test_non_string_and_complex_keys_become_strings() -> None:
    result = load(b"1: x\nnull: y\n? [a, b]\n: c\n")
    assert result.document is not None
    assert list(result.document.data) == ["1", "null", "[a, b]"]


def test_unsafe_tag_is_never_constructed(tmp_path: object) -> None:
    # If the tag were constructed, the module would be imported and the call run.
    result = load(b"a: !!python/object/apply:builtins.exec ['raise SystemExit(9)']\n")
    assert [f.code for f in result.findings] == ["CA004"]


def test_valid_manifest_has_no_findings() -> None:
    assert found(VALID) == []


@pytest.mark.parametrize(
    "value",
    [
        "",
        "~",
        "null",
        "Null",
        "NULL",
        "nULL",
        "yes",
        "Yes",
        "YES",
        "yEs",
        "y",
        "n",
        "on",
        "Off",
        "true",
        "False",
        "1",
        "-1",
        "+1",
        "0x1F",
        "0o17",
        "017",
        "1_000",
        "1:20",
        "1.5",
        ".5",
        "1e3",
        "1.0e+3",
        ".inf",
        "-.Inf",
        ".NaN",
        "2026-11-30",
        "2026-11-30 10:00:00",
        "<<",
        "=",
        "Tide0",
        "all.full_access",
        "https://app.tide0.dev/cb",
        "é",
        "x" * 65,
        "12" * 40,
    ],
)
def test_the_cached_plain_tag_is_pyyamls(value: str) -> None:
    """source.plain_tag keeps PyYAML's answers: for the same plain scalar, the same tag,
    asked once or twice (the second answer may come from the cache)."""
    import yaml

    from closeapp_lint.load.source import plain_tag

    expected = yaml.resolver.Resolver().resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
    assert plain_tag(value) == expected and plain_tag(value) == expected


def test_the_plain_tag_cache_stays_bounded() -> None:
    from closeapp_lint.load import source

    for i in range(10_000):
        source.plain_tag(f"value{i}")
    assert len(source._PLAIN_TAGS) <= 4096
