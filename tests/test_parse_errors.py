"""CA001 in plain words: one row per libyaml problem people actually make, each with its
exact message and position; libyaml's own text stays after the hint."""

from __future__ import annotations

import pytest

from .conftest import found

ROWS = [
    (
        "a tab in indentation",
        "manifest_version: 1\nname: x\n\tdescription: y\n",
        3,
        1,
        "YAML indents with spaces; replace the tab (the parser said: while scanning a plain scalar (line 2): found a tab character that violates indentation)",
    ),
    (
        "a tab before a key",
        "listing:\n\tproduct_url: x\n",
        2,
        1,
        "YAML indents with spaces; replace the tab (the parser said: while scanning for the next token (line 2): found character that cannot start any token)",
    ),
    (
        "indented more than its siblings",
        "manifest_version: 1\nname: x\n  description: y\n",
        3,
        1,
        (
            "this line is indented more than line 2, so YAML reads it as part of that line's value; line it up with its siblings "
            "(the parser said: mapping values are not allowed in this context)"
        ),
    ),
    (
        "indented less than its siblings",
        "listing:\n    product_url: x\n  summary: y\n",
        3,
        1,
        (
            "this line is indented less than its siblings at line 2 and more than the mapping at line 1; line it up with one of them "
            "(the parser said: while parsing a block mapping (line 1): did not find expected key)"
        ),
    ),
    (
        "an unclosed double quote",
        'manifest_version: 1\nname: "Tidewater\ndescription: y\n',
        2,
        7,
        "the quote opened at line 2, column 7 is never closed; close it (the parser said: while scanning a quoted scalar (line 2): found unexpected end of stream)",
    ),
    (
        "an unclosed bracket",
        "manifest_version: 1\nscopes: [all.full_access, offline_access\nname: x\n",
        2,
        9,
        (
            "the [ opened at line 2, column 9 is never closed, or two of its items lack a comma between them; close it with ] "
            "(the parser said: while parsing a flow sequence (line 2): did not find expected ',' or ']')"
        ),
    ),
    (
        "an unclosed brace",
        "x-a: {a: 1\nname: x\n",
        1,
        6,
        (
            "the { opened at line 1, column 6 is never closed, or two of its entries lack a comma between them; close it with } "
            "(the parser said: while parsing a flow mapping (line 1): did not find expected ',' or '}')"
        ),
    ),
    (
        "key: value: more",
        "manifest_version: 1\nname: Tidewater: Deal Desk\n",
        2,
        16,
        "a value cannot hold ': ' unquoted; quote the whole value (the parser said: mapping values are not allowed in this context)",
    ),
    (
        "no space after the colon",
        "manifest_version: 1\nname:Tidewater\ndescription: y\n",
        2,
        6,
        (
            "put a space after ':' — without one YAML reads the key and the value as one word "
            "(the parser said: while scanning a simple key (line 2): could not find expected ':')"
        ),
    ),
]


@pytest.mark.parametrize(("case", "text", "line", "column", "message"), ROWS, ids=[r[0] for r in ROWS])
def test_parse_error_in_plain_words(case: str, text: str, line: int, column: int, message: str) -> None:
    assert found(text) == [("CA001", line, column, message)]


def test_other_parse_errors_keep_the_parser_text() -> None:
    assert found("name: [\n") == [("CA001", 2, 1, "while parsing a flow node (line 2): did not find expected node content")]
